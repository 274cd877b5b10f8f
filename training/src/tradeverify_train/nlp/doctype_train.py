"""Train the document-type classifier (extract/doctype.py) from seeded generated worlds.

``python -m tradeverify_train.nlp.doctype_train --out models/doctype/model.json --seed 31`` generates
a world of the diverse layouts' training part and one of the fixed layouts A-D, turns every
document into :func:`tradeverify.extract.doctype.page_features` (each digital page also once
with OCR-like damage: misread letters, lost words), fits a multinomial logistic regression and
writes its weights as JSON. A third world of a new seed (training part) gives the accuracy
printed and stored in the file's ``meta``. The held-out part of the lexicon is never generated
here: its figure is measured with ``tradeverify evaluate-extraction`` on a diverse-holdout world.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tradeverify.config import Settings, get_settings
from tradeverify.domain import PageText
from tradeverify.extract.doctype import FEATURE_VERSION, DoctypeModel, page_features
from tradeverify.extract.layout import build_layout
from tradeverify.extract.linear import model_to_json
from tradeverify.ingest.readers import read_pages
from tradeverify_train.nlp.linear_fit import fit_linear, make_world

# Letters OCR confuses, used to damage a copy of each digital page.
_CONFUSIONS = {"o": "0", "l": "1", "i": "l", "e": "c", "a": "o", "s": "5", "b": "h", "n": "m", "u": "v"}
DAMAGE_RATE = 0.04  # per letter
DROP_RATE = 0.05  # per word


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m tradeverify_train.nlp.doctype_train",
                                     description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("models/doctype/model.json"))
    parser.add_argument("--seed", type=int, default=31, help="worlds, damage and solver seed")
    parser.add_argument("--n", type=int, default=300, help="submissions of the diverse training world")
    parser.add_argument("--n-fixed", type=int, default=80, help="submissions of the A-D world")
    parser.add_argument("--eval-n", type=int, default=60, help="submissions of the evaluation world")
    parser.add_argument("--c", type=float, default=2.0, help="inverse L2 regularization strength")
    parser.add_argument("--work", type=Path, default=None, help="default: <work_dir>/doctype")
    return parser.parse_args(argv)


def world_pages(world: Path, settings: Settings) -> Iterator[tuple[list[PageText], str]]:
    """Yield every document of a world as its read pages and its true type."""
    for truth_file in sorted((world / "truth").glob("*/*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        path = world / "submissions" / truth_file.parent.name / truth["file"]
        pages, _ocr = read_pages(path, settings, None)
        yield pages, str(truth["doc_type"])


def damaged(pages: list[PageText], rng: random.Random) -> list[PageText]:
    """Return a copy of ``pages`` with OCR-like damage: confused letters and dropped words."""
    out = []
    for page in pages:
        words = []
        for word in page.words:
            if rng.random() < DROP_RATE:
                continue
            text = "".join(_CONFUSIONS.get(c, c) if rng.random() < DAMAGE_RATE else c for c in word.text)
            words.append(replace(word, text=text, conf=0.9))
        out.append(PageText(page.number, tuple(words), True))
    return out


def examples(
    worlds: Sequence[Path], settings: Settings, rng: random.Random | None
) -> tuple[list[dict[str, float]], list[str]]:
    """Return features and labels of every document; with ``rng``, a damaged copy of each too."""
    features, labels = [], []
    for world in worlds:
        for pages, doc_type in world_pages(world, settings):
            variants = [pages] if rng is None else [pages, damaged(pages, rng)]
            for variant in variants:
                features.append(page_features(build_layout(variant)))
                labels.append(doc_type)
    return features, labels


def accuracy(model: DoctypeModel, features: list[dict[str, float]], labels: list[str]) -> float:
    """Return the share of documents whose most probable type is the true one."""
    right = sum(model.best(row)[0] == label for row, label in zip(features, labels, strict=True))
    return right / max(len(labels), 1)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Generate, fit, evaluate and write the model; return what was measured."""
    settings = get_settings()
    work = args.work or settings.work_dir / "doctype"
    train_worlds = [make_world(work / "diverse", args.n, args.seed, "diverse"),
                    make_world(work / "fixed", args.n_fixed, args.seed + 1, "train")]
    features, labels = examples(train_worlds, settings, random.Random(args.seed))
    model = fit_linear(features, labels, c=args.c, seed=args.seed, feature_version=FEATURE_VERSION)
    eval_world = make_world(work / "eval", args.eval_n, args.seed + 1000, "diverse")
    eval_features, eval_labels = examples([eval_world], settings, None)
    meta = {"seed": args.seed, "n": args.n, "n_fixed": args.n_fixed, "c": args.c,
            "training_documents": len(labels), "features": len(model.weights),
            "eval_seed": args.seed + 1000, "eval_documents": len(eval_labels),
            "eval_accuracy": round(accuracy(model, eval_features, eval_labels), 4)}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model_to_json(model, meta), encoding="utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the model; print what was measured."""
    meta = run(parse_args(argv))
    json.dump(meta, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
