"""Retrain the NER model end to end: world -> corpus -> ``spacy train`` -> models/ner -> evaluation.

``python -m tradeverify_train.nlp.train --config training/spacy/config.cfg --out models/ner --seed 21``
generates a digital world with ``--seed`` (train/dev split by submission), a second world with
``--eval-seed`` that training never sees, trains, copies the best model to ``--out`` and prints
per-label precision / recall / F1 on the held-out world. The figures go to ``evaluation.json``
beside the model and, unless ``--no-mlflow``, to the MLflow experiment ``tradeverify-ner``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tradeverify.config import get_settings
from tradeverify_train.nlp.corpus import LABELS, build_corpus, build_eval_corpus
from tradeverify_train.synth.generate import WorldConfig, generate_world

EXPERIMENT = "tradeverify-ner"
EVAL_FILE = "evaluation.json"
MODEL_NAME = "tradeverify_ner"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m tradeverify_train.nlp.train", description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("training/spacy/config.cfg"))
    parser.add_argument("--out", type=Path, default=Path("models/ner"))
    parser.add_argument("--seed", type=int, default=21, help="world, corpus and training seed")
    parser.add_argument("--n", type=int, default=120, help="submissions in the training world")
    parser.add_argument("--eval-seed", type=int, default=None, help="default: seed + 1000")
    parser.add_argument("--eval-n", type=int, default=30, help="submissions in the held-out world")
    parser.add_argument("--work", type=Path, default=None, help="default: <work_dir>/ner")
    parser.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    parser.add_argument("--no-mlflow", action="store_true", help="do not log to MLflow")
    return parser.parse_args(argv)


def make_world(path: Path, n: int, seed: int) -> Path:
    """Generate a digital world (no scans: OCR text does not align with the truth word for word)."""
    if path.exists():
        shutil.rmtree(path)  # a stale world of another size would be mixed into the corpus
    generate_world(path, WorldConfig(n=n, seed=seed, scanned_rate=0.0))
    return path


def train_model(
    config: Path, corpus: Path, output: Path, seed: int, max_steps: int | None = None
) -> Path:
    """Run ``spacy train`` on ``corpus/{train,dev}.spacy``; return the best model's directory."""
    from spacy.cli.train import train

    import tradeverify_train.nlp.augment  # noqa: F401  (registers the config's case augmenter)

    overrides: dict[str, Any] = {
        "paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "dev.spacy"),
        "system.seed": seed,
    }  # fmt: skip
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    train(config, output, use_gpu=-1, overrides=overrides)
    return output / "model-best"


def package(best: Path, out: Path, info: dict[str, Any]) -> None:
    """Copy the trained pipeline to ``out`` (replacing it) with tradeverify's name in its meta."""
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({"name": MODEL_NAME, "description": "tradeverify NER: PARTY, ADDRESS, GOODS",
                 "tradeverify": info})  # fmt: skip
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    staging = out.with_name(out.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(best, staging)
    scrub_paths(staging)
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)  # the old model stays in place until the new one is complete


def scrub_paths(model_dir: Path) -> None:
    """Reset the corpus paths saved in the model's config: they name this machine's scratch files."""
    from confection import Config

    path = model_dir / "config.cfg"
    config = Config().from_disk(path, interpolate=False)
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(path)


def evaluate(model_dir: Path, corpus_file: Path) -> dict[str, dict[str, float]]:
    """Return precision / recall / F1 per label (and ``ALL``) of the model on a DocBin."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    nlp = spacy.load(model_dir)
    gold = DocBin().from_disk(corpus_file).get_docs(nlp.vocab)
    scores = nlp.evaluate([Example(nlp.make_doc(doc.text), doc) for doc in gold])
    per_type = scores.get("ents_per_type") or {}
    out = {label: _prf(per_type.get(label, {})) for label in LABELS}
    out["ALL"] = {"p": scores["ents_p"], "r": scores["ents_r"], "f": scores["ents_f"]}
    return out


def _prf(scores: dict[str, float]) -> dict[str, float]:
    return {key: float(scores.get(key, 0.0)) for key in ("p", "r", "f")}


def format_table(metrics: dict[str, dict[str, float]]) -> str:
    """Return the per-label figures as a small text table."""
    rows = [f"{'label':<8} {'P':>6} {'R':>6} {'F1':>6}"]
    rows += [f"{label:<8} {m['p']:6.3f} {m['r']:6.3f} {m['f']:6.3f}" for label, m in metrics.items()]
    return "\n".join(rows)


def log_to_mlflow(params: dict[str, Any], metrics: dict[str, dict[str, float]], files: list[Path]) -> str:
    """Log a run to experiment ``tradeverify-ner``; return its id."""
    import mlflow

    from tradeverify_train.experiments import use_experiment

    use_experiment(EXPERIMENT, get_settings().tracking_uri())
    with mlflow.start_run() as run:
        mlflow.log_params({k: str(v) for k, v in params.items()})
        mlflow.log_metrics({f"{k}_{label}": v for label, m in metrics.items() for k, v in m.items()})
        for path in files:
            mlflow.log_artifact(str(path))
    return str(run.info.run_id)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Do the whole retrain; return the parameters, corpus counts and held-out figures."""
    work = args.work or get_settings().work_dir / "ner"
    eval_seed = args.seed + 1000 if args.eval_seed is None else args.eval_seed
    started = time.monotonic()
    train_world = make_world(work / "world-train", args.n, args.seed)
    eval_world = make_world(work / "world-eval", args.eval_n, eval_seed)
    corpus = work / "corpus"
    stats = build_corpus(train_world, corpus, args.seed)
    eval_stats = build_eval_corpus(eval_world, corpus / "eval.spacy", eval_seed)
    corpus_seconds = time.monotonic() - started
    with tempfile.TemporaryDirectory(prefix="tradeverify-ner-") as tmp:
        best = train_model(args.config, corpus, Path(tmp), args.seed, args.max_steps)
        params = {"seed": args.seed, "n": args.n, "eval_seed": eval_seed, "eval_n": args.eval_n,
                  "config": str(args.config)}  # fmt: skip
        package(best, args.out, params)
    metrics = evaluate(args.out, corpus / "eval.spacy")
    result = {"params": params, "corpus": stats.as_dict(), "eval_corpus": eval_stats.as_dict(),
              "heldout": metrics, "corpus_seconds": round(corpus_seconds, 1),
              "total_seconds": round(time.monotonic() - started, 1)}  # fmt: skip
    (args.out / EVAL_FILE).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if not args.no_mlflow:
        result["mlflow_run"] = log_to_mlflow(params, metrics, [args.out / EVAL_FILE, args.config])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Retrain from the command line; print the held-out figures."""
    result = run(parse_args(argv))
    print(json.dumps({"corpus": result["corpus"], "eval_corpus": result["eval_corpus"]}))
    print(f"held-out world (seed {result['params']['eval_seed']}):")
    print(format_table(result["heldout"]))
    if "mlflow_run" in result:
        print(f"MLflow run {result['mlflow_run']} (experiment {EXPERIMENT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
