"""Do officers' field corrections teach the field scorer? Measured on documents the generator did not make.

The hand-authored golden set (tests/golden/outside) is split in two halves by file order. On the
first half, every field the extractor reads wrong or misses, and that an officer can correct,
becomes a correction in the desk's export format (the document beside ``NAME.json`` with the
corrected fields, the rest unannotated). The field scorer is trained twice with the same seed
and worlds, without and with those corrections (``field_train --corrections``), and both halves
are extracted with each: the first half shows whether the corrections are learnt at all, the
second (never corrected) whether they carry to other documents.

    .venv/bin/python benchmarks/corrections.py [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tradeverify.config import Settings
from tradeverify.service.decisions import CORRECTABLE
from tradeverify_train.extraction.golden import evaluate_golden, golden_pairs
from tradeverify_train.nlp.field_train import parse_args, run

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "outside"


def _halves(work: Path) -> tuple[Path, Path]:
    pairs = golden_pairs(GOLDEN)
    out = (work / "corrected-half", work / "other-half")
    for index, (doc, truth) in enumerate(pairs):
        folder = out[index % 2]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(doc, folder / doc.name)
        shutil.copy(truth, folder / truth.name)
    return out


def _corrections(half: Path, figures: dict[str, Any], out: Path) -> int:
    """Write the wrong or missed correctable fields of ``half`` as an officer's corrections."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in figures["documents"]:
        fields = {name: w["truth"] for name, w in doc["wrong"].items()
                  if w["truth"] not in (None, "", []) and name in CORRECTABLE.get(doc["doc_type"], ())}
        if not fields:
            continue
        stem = Path(doc["file"]).stem
        shutil.copy(half / doc["file"], out / doc["file"])
        (out / f"{stem}.json").write_text(json.dumps({
            "doc_type": doc["doc_type"], "fields": fields,
            "unannotated": [f for f in CORRECTABLE[doc["doc_type"]] if f not in fields]}))
        count += len(fields)
    return count


def _score(figures: dict[str, Any]) -> dict[str, Any]:
    right = sum(d["fields_right"] for d in figures["documents"])
    expected = sum(d["fields_expected"] for d in figures["documents"])
    return {"fields_right": right, "fields_expected": expected,
            **{f"f1_{kind}": round(float(v["overall"]["f1"]), 4) for kind, v in figures["kinds"].items()}}


def main() -> None:
    """Print the halves' figures under each field model as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="corrections-bench-"))
    corrected, other = _halves(work)
    packaged = Settings(work_dir=work)
    before = evaluate_golden(corrected, packaged)
    n = _corrections(corrected, before, work / "corrections")
    models = {"retrained_without": work / "without.json", "retrained_with_corrections": work / "with.json"}
    run(parse_args(["--out", str(models["retrained_without"]), "--work", str(work / "fields")]))
    run(parse_args(["--out", str(models["retrained_with_corrections"]), "--work", str(work / "fields"),
                    "--corrections", str(work / "corrections")]))
    out: dict[str, Any] = {"corrections": n, "packaged": {
        "corrected_half": _score(before), "other_half": _score(evaluate_golden(other, packaged))}}
    for name, path in models.items():
        settings = Settings(work_dir=work, field_model=path)
        out[name] = {"corrected_half": _score(evaluate_golden(corrected, settings)),
                     "other_half": _score(evaluate_golden(other, settings))}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
