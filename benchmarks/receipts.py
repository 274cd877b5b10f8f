"""Seller, date and total read from real scanned receipts (SROIE layout: img/NNN.jpg + key/NNN.json).

    python benchmarks/receipts.py ../shared/outside-dev/receipts [--limit N] [--json]

The SROIE truth (company, date day first, total) is converted to golden truth files in
out/golden-receipts/ (images linked, not copied) and scored by the golden evaluator, so the
figure is the same per-field count `tradeverify evaluate-extraction --golden` prints. Prints
fields right of 3 x receipts, per field, the doc-type accuracy and seconds per receipt.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

from tradeverify_train.extraction.golden import evaluate_golden

OUT = Path("out/golden-receipts")
FIELDS = {"company": "seller_name", "date": "invoice_date", "total": "total_amount"}


def iso_day_first(text: str) -> str | None:
    """Return an SROIE date ("25/12/2018", "06/01/18", "05-JAN-2017", "16 APR 2018") as ISO."""
    months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
    m = re.fullmatch(r"(\d{1,2})[-/ .]([A-Za-z]{3}|\d{1,2})[-/ .](\d{2,4})", text.strip())
    if not m:
        return None
    day, mon, year = m.groups()
    month = months.index(mon.upper()) + 1 if mon.isalpha() else int(mon)
    full = int(year) + (2000 if len(year) == 2 else 0)
    return date(full, month, int(day)).isoformat()


def convert(source: Path, limit: int | None) -> int:
    """Write out/golden-receipts/NNN.jpg (link) + NNN.json from SROIE's img/ and key/."""
    OUT.mkdir(parents=True, exist_ok=True)
    keys = sorted((source / "key").glob("*.json"))[:limit]
    for key in keys:
        raw = json.loads(key.read_text(encoding="utf-8"))
        fields = {"seller_name": raw["company"], "invoice_date": iso_day_first(raw["date"]),
                  "total_amount": float(re.sub(r"[^\d.]", "", raw["total"]))}
        truth = {"doc_type": "commercial_invoice", "layout": "receipt", "fields": fields,
                 "unannotated": ["line_items"], "source": f"SROIE receipt {key.stem}"}
        (OUT / f"{key.stem}.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
        link = OUT / f"{key.stem}.jpg"
        link.unlink(missing_ok=True)
        link.symlink_to((source / "img" / f"{key.stem}.jpg").resolve())
    return len(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", action="store_true", help="print the per-document report too")
    args = parser.parse_args()
    n = convert(args.source, args.limit)
    start = time.perf_counter()
    result = evaluate_golden(OUT)
    seconds = time.perf_counter() - start
    per_type = result["kinds"]["all"]["doc_types"]["commercial_invoice"]
    right = sum(d["fields_right"] for d in result["documents"])
    print(f"receipts: {n}; fields right {right} / {3 * n} = {right / (3 * n):.3f}; "
          f"doc type {per_type['overall']['doc_type_accuracy']:.3f}; {seconds / n:.2f} s/receipt")
    for name, m in per_type["fields"].items():
        print(f"  {name:14} tp {m['tp']:3d} fp {m['fp']:3d} fn {m['fn']:3d}")
    if args.json:
        json.dump(result["documents"], sys.stdout, indent=1)


if __name__ == "__main__":
    main()
