"""Train the field scorer (extract/ranker.py) from seeded generated worlds.

``python -m tradeverify_train.nlp.field_train --out models/fields/model.json --seed 41`` generates a
world of the diverse layouts' training part and one of the fixed layouts A-D, turns every typed
candidate of every document into :func:`tradeverify.extract.ranker.candidate_features`, labels it
with the field whose true value it reads as (or ``none``), fits a multinomial logistic regression
and writes its weights as JSON. A world of a new seed (training part) gives the figures printed
and stored in the file's ``meta``. The held-out part of the lexicon is never generated here.

``--corrections DIR`` (a folder from ``tradeverify feedback export --documents DIR``) adds the
officers' field corrections: each candidate of a corrected document that reads as a corrected
value is a positive example of that field, counted ``--correction-weight`` times. Only
positives: the officer vouched for the corrected fields, not for what the rest of the page is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tradeverify.config import Settings, get_settings
from tradeverify.extract import normalize as nz
from tradeverify.extract import scored_fields
from tradeverify.extract.layout import Layout, build_layout
from tradeverify.extract.linear import LinearModel, model_to_json
from tradeverify.extract.ranker import (
    FEATURE_VERSION,
    NONE,
    Parser,
    candidate_features,
    candidates,
    rank_fields,
    typed,
)
from tradeverify.ingest.readers import read_pages
from tradeverify_train.extraction.accuracy import same_value
from tradeverify_train.extraction.golden import golden_pairs
from tradeverify_train.nlp.linear_fit import fit_linear, make_world

SPARSE_BELOW = 0.01  # class weights of a kept feature smaller than this are stored as zero
EVAL_FLOOR = 0.5  # the serving floor the printed figures are measured at


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m tradeverify_train.nlp.field_train", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("models/fields/model.json"))
    parser.add_argument("--seed", type=int, default=41, help="worlds and solver seed")
    parser.add_argument("--n", type=int, default=200, help="submissions of the diverse training world")
    parser.add_argument("--n-fixed", type=int, default=40, help="submissions of the A-D world")
    parser.add_argument("--eval-n", type=int, default=40, help="submissions of the evaluation world")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 regularization strength")
    parser.add_argument("--work", type=Path, default=None, help="default: <work_dir>/fields")
    parser.add_argument("--corrections", type=Path, action="append", default=[],
                        help="a golden folder of officers' corrections (repeatable)")
    parser.add_argument("--correction-weight", type=int, default=5, help="times each correction counts")
    return parser.parse_args(argv)


def ranked_parsers(layout: Layout, doc_type: str) -> tuple[dict[str, Parser], list[str]]:
    """Return the document's parsers (bound to its number convention) and its scorable fields."""
    numbers = nz.infer_number_style(line.text for line in layout.lines)
    parsers = scored_fields.ranked_parsers(doc_type, numbers)
    return parsers, list(parsers)


def reads_as(name: str, norm: nz.Norm, truth: dict[str, Any]) -> bool:
    """Return True when a candidate's reading as ``name`` is that field's true value."""
    if name not in truth or truth[name] in (None, "", []):
        return False
    value = norm.value[0] if name == "quantity" and isinstance(norm.value, tuple) else norm.value
    return same_value(value, truth[name])


def world_documents(world: Path, settings: Settings) -> Iterator[tuple[Layout, str, dict[str, Any]]]:
    """Yield every document of a world as its layout, true type and true fields."""
    for truth_file in sorted((world / "truth").glob("*/*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        path = world / "submissions" / truth_file.parent.name / truth["file"]
        pages, _ocr = read_pages(path, settings, None)
        yield build_layout(pages), str(truth["doc_type"]), truth["fields"]


def examples(worlds: Sequence[Path], settings: Settings) -> tuple[list[dict[str, float]], list[str]]:
    """Return the features and label of every typed candidate of every document."""
    features, labels = [], []
    for world in worlds:
        for layout, doc_type, truth in world_documents(world, settings):
            parsers, names = ranked_parsers(layout, doc_type)
            for cand in candidates(layout):
                fits = typed(cand, parsers, names)
                if not fits:
                    continue
                label = next((n for n in fits if reads_as(n, fits[n], truth)), NONE)
                features.append(candidate_features(cand, sorted(fits), doc_type))
                labels.append(label)
    return features, labels


def corrected_documents(folders: Sequence[Path], settings: Settings,
                        ) -> Iterator[tuple[Layout, str, dict[str, Any]]]:
    """Yield every corrected document as its layout, type and corrected fields."""
    for folder in folders:
        for path, truth_file in golden_pairs(folder):
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            pages, _ocr = read_pages(path, settings, None)
            yield build_layout(pages), str(truth["doc_type"]), truth["fields"]


def correction_examples(folders: Sequence[Path], settings: Settings, weight: int,
                        ) -> tuple[list[dict[str, float]], list[str]]:
    """Return the candidates that read as a corrected value, each ``weight`` times, labelled so."""
    features, labels = [], []
    for layout, doc_type, truth in corrected_documents(folders, settings):
        parsers, names = ranked_parsers(layout, doc_type)
        for cand in candidates(layout):
            fits = typed(cand, parsers, names)
            label = next((n for n in fits if reads_as(n, fits[n], truth)), None)
            if label is not None:
                features += [candidate_features(cand, sorted(fits), doc_type)] * weight
                labels += [label] * weight
    return features, labels


def evaluate(model: LinearModel, world: Path, settings: Settings) -> dict[str, float]:
    """Return precision and recall of the scorer alone (no caption rules) on a world's fields."""
    counts: Counter[str] = Counter()
    for layout, doc_type, truth in world_documents(world, settings):
        parsers, names = ranked_parsers(layout, doc_type)
        chosen = rank_fields(layout, doc_type, names, parsers, model, EVAL_FLOOR)
        for name in names:
            if truth.get(name) in (None, "", []):
                continue
            counts["wanted"] += 1
            if name in chosen:
                counts["read"] += 1
                counts["right"] += reads_as(name, chosen[name].norm, truth)
    return {"precision": round(counts["right"] / max(counts["read"], 1), 4),
            "recall": round(counts["right"] / max(counts["wanted"], 1), 4)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Generate, fit, evaluate and write the model; return what was measured."""
    settings = get_settings()
    work = args.work or settings.work_dir / "fields"
    train_worlds = [make_world(work / "diverse", args.n, args.seed, "diverse"),
                    make_world(work / "fixed", args.n_fixed, args.seed + 1, "train")]
    features, labels = examples(train_worlds, settings)
    corrected, corrected_labels = correction_examples(args.corrections, settings, args.correction_weight)
    features, labels = features + corrected, labels + corrected_labels
    model = fit_linear(features, labels, c=args.c, seed=args.seed, feature_version=FEATURE_VERSION,
                       max_iter=2000)
    eval_world = make_world(work / "eval", args.eval_n, args.seed + 1000, "diverse")
    meta = {"seed": args.seed, "n": args.n, "n_fixed": args.n_fixed, "c": args.c,
            "candidates": len(labels), "positives": sum(label != NONE for label in labels),
            "correction_examples": len(corrected_labels) // max(args.correction_weight, 1),
            "features": len(model.weights), "eval_seed": args.seed + 1000, "eval_floor": EVAL_FLOOR,
            **{f"eval_{k}": v for k, v in evaluate(model, eval_world, settings).items()}}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model_to_json(model, meta, sparse_below=SPARSE_BELOW), encoding="utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the model; print what was measured."""
    json.dump(run(parse_args(argv)), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
