"""Suppression table: can making one document unreadable (or leaving it out) hide a fraud or
frame an honest deal?

    .venv/bin/python benchmarks/suppression.py [--samples data_samples/submissions]

For every golden sample and every one of its documents, the document is once replaced by a ZIP
under the same name (unreadable) and once removed, and the submission verified again. Prints
the band of each variant next to the intact one and the two counts the issue sets: frauds that
came out ``low`` (target 0) and honest deals that came out ``high`` without a red flag (target 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tradeverify.config import Settings
from tradeverify.pipeline import Engine, verify_submission

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' variant maker
from tests.variants import one_document_damaged  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=Path, default=Path("data_samples/submissions"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        engine = Engine.load(Settings(record_submissions=False))
        hidden = framed = total = 0
        for folder in sorted(p for p in args.samples.iterdir() if p.is_dir()):
            fraud = folder.name.startswith("fraud")
            base = verify_submission(folder, engine)
            print(f"{folder.name:28} intact {base.risk.band:6} {base.risk.score:.3f}")
            variants = [(f"{name} {how}", path) for how in ("unreadable", "removed")
                        for name, path in one_document_damaged(folder, tmp, how)]
            for label, variant in variants:
                r = verify_submission(variant, engine)
                flag = bool(r.red_flags)
                bad = (fraud and r.risk.band == "low") or (not fraud and r.risk.band == "high" and not flag)
                hidden += fraud and r.risk.band == "low"
                framed += (not fraud) and r.risk.band == "high" and not flag
                total += 1
                print(f"  {label:34} {r.status:10} {r.risk.band or '-':6} {r.risk.score or 0:.3f}"
                      f"{' red flag' if flag else ''}{'  <-- FAIL' if bad else ''}")
        print(json.dumps({"variants": total, "frauds_low": hidden, "honest_high_without_flag": framed}))


if __name__ == "__main__":
    main()
