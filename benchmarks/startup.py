"""Start-up cost of one-shot commands, against a bare interpreter on the same machine.

    .venv/bin/python benchmarks/startup.py [--repeat 5] [--submission data_samples/submissions/clean_digital]

Times, as separate processes (what a shell user pays), ``--repeat`` runs of each and prints the
best (the issue's measure: this shared machine's noise only ever adds time) and the median:

- ``python -c pass``: the interpreter alone, the floor;
- ``tradeverify --help``: target 0.5 s;
- ``tradeverify verify SUBMISSION``: one digital submission end to end, readers started in
  their sandbox, model loaded, report printed; target 1.5 s;
- the verify work alone: the same call again in a process whose readers and model are warm.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "tradeverify"]
WARM = """
import sys, time
from pathlib import Path
from tradeverify.config import get_settings
from tradeverify.pipeline import Engine, verify_submission
engine = Engine.load(get_settings())
verify_submission(Path(sys.argv[1]), engine)
start = time.perf_counter()
verify_submission(Path(sys.argv[1]), engine)
print(time.perf_counter() - start)
"""


def _runs(cmd: list[str], repeat: int) -> list[float]:
    """Return the wall times of ``repeat`` runs of ``cmd``; a failing command stops the benchmark."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Print each command's best and median seconds and the best's ratio to the bare interpreter."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--submission", type=Path, default=ROOT / "data_samples/submissions/clean_digital")
    args = ap.parse_args()
    bare = _runs([sys.executable, "-c", "pass"], args.repeat)
    rows = {"python -c pass": bare,
            "tradeverify --help": _runs([*CLI, "--help"], args.repeat),
            "tradeverify verify (one-shot)": _runs([*CLI, "verify", str(args.submission)], args.repeat)}
    warm_cmd = [sys.executable, "-c", WARM, str(args.submission)]
    warm = [float(subprocess.run(warm_cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
            for _ in range(args.repeat)]
    rows["verify work, warm process"] = warm
    floor = min(bare)
    print(f"{'':32} {'best':>7}   {'median':>7}")
    for name, times in rows.items():
        best, median = min(times), statistics.median(times)
        print(f"{name:32} {best:7.3f} s {median:7.3f} s  {best / floor:6.1f}x python -c pass")


if __name__ == "__main__":
    main()
