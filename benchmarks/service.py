"""The REST service under load: req/s and latency percentiles, sync and async, and /healthz meanwhile.

Starts a real `tradeverify serve` (and `tradeverify worker` for jobs) on a throw-away work dir
and drives it with 1, 4 and 16 clients posting the same digital submission:

- sync: `POST /v1/verify`, each client posting in a loop (a 503 "busy" is waited out as its
  Retry-After says, and counted);
- async: `POST /v1/jobs` of a batch, until every job is done, with 1 and 2 worker processes;
  then the same batch queued while the workers are stopped and drained by them alone
  (scale-out = drain jobs/s with 2 / with 1), and with ``--pinned`` each worker on a core of
  its own (what a second machine adds);
- `/healthz` probed every 20 ms throughout, its p50/p95/p99 reported per load level;
- the floor: the same submission verified in this process with `verify_files`, no HTTP.

    .venv/bin/python benchmarks/service.py [--requests 24] [--jobs 24]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "data_samples" / "submissions" / "clean_digital"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _files() -> list:
    docs = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob("*.pdf"))]
    meta = {k: v for k, v in json.loads((CLEAN / "submission.json").read_text()).items() if k != "bank_id"}
    return docs + [("submission", ("submission.json", json.dumps(meta).encode(), "application/json"))]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Probe:
    """Measures /healthz latency every 20 ms until stopped."""

    def __init__(self, base: str) -> None:
        self.base, self.samples, self._stop = base, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.wait(0.02):
                t = time.perf_counter()
                client.get(f"{self.base}/healthz")
                self.samples.append((time.perf_counter() - t) * 1000)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _env(work: Path) -> dict[str, str]:
    return {**os.environ, "TRADEVERIFY_WORK_DIR": str(work), "TRADEVERIFY_RATE_PER_MINUTE": "100000",
            "TRADEVERIFY_RECORD_SUBMISSIONS": "false"}


def _start(cmd: list[str], work: Path, cpu: int | None = None) -> subprocess.Popen:
    """Start a tradeverify command; its JSON log lines go to <work>/<command>-<pid>.log."""
    pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
    log = open(work / f"{cmd[0]}-{len(list(work.glob('*.log')))}.log", "wb")  # noqa: SIM115 - kept
    return subprocess.Popen([*pin, sys.executable, "-m", "tradeverify", *cmd], env=_env(work),
                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:  # readers started too
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API did not become ready")


def sync_load(base: str, auth: dict, clients: int, total: int) -> dict:
    """Post ``total`` verifications from ``clients`` threads; return throughput and latencies."""
    latencies: list[float] = []
    busy = [0]
    lock, left = threading.Lock(), [total]

    def client() -> None:
        with httpx.Client(timeout=120, headers=auth) as http:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                t = time.perf_counter()
                while (resp := http.post(f"{base}/v1/verify", files=_files())).status_code == 503:
                    busy[0] += 1
                    time.sleep(float(resp.headers.get("retry-after", "1")) / 10)
                resp.raise_for_status()
                latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    with Probe(base) as probe:
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    wall = time.perf_counter() - started
    return {"req_s": total / wall, "p50": _pct(latencies, .5), "p95": _pct(latencies, .95),
            "p99": _pct(latencies, .99), "busy": busy[0], "healthz": probe.samples}


def _open_jobs(work: Path) -> int:
    """Jobs not yet done or failed, read from the service database (cheaper than polling the API)."""
    with sqlite3.connect(work / "service.sqlite", timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM jobs WHERE status NOT IN ('done', 'failed', "
                                "'cancelled')").fetchone()[0])


def _wait_drained(work: Path) -> None:
    while _open_jobs(work):
        time.sleep(0.05)


def _submit(base: str, auth: dict, jobs: int, clients: int) -> None:
    def submit(n: int) -> None:
        with httpx.Client(timeout=60, headers=auth) as http:
            for _ in range(n):
                http.post(f"{base}/v1/jobs", files=_files()).raise_for_status()
    threads = [threading.Thread(target=submit, args=(jobs // clients,)) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def async_load(base: str, auth: dict, work: Path, jobs: int, clients: int) -> dict:
    """Submit ``jobs`` jobs from ``clients`` threads while workers run; jobs/s until all are done."""
    started = time.perf_counter()
    with Probe(base) as probe:
        _submit(base, auth, jobs, clients)
        _wait_drained(work)
    return {"jobs_s": jobs / (time.perf_counter() - started), "healthz": probe.samples}


def drain(base: str, auth: dict, work: Path, jobs: int, workers: list[subprocess.Popen]) -> float:
    """Queue ``jobs`` with the workers stopped (SIGSTOP), then time the workers alone emptying it.

    The API and this load generator share the machine's two cores with the workers; stopped
    while the jobs are sent, they leave the workers every core, so the figure is the workers'.
    """
    for worker in workers:
        os.killpg(worker.pid, signal.SIGSTOP)
    try:
        _submit(base, auth, jobs, 4)
    finally:
        started = time.perf_counter()
        for worker in workers:
            os.killpg(worker.pid, signal.SIGCONT)
    _wait_drained(work)
    return jobs / (time.perf_counter() - started)


def floor(n: int) -> float:
    """Submissions/s of verify_files in this process on the same documents (no HTTP, no store)."""
    from tradeverify.config import Settings
    from tradeverify.pipeline import Engine, read_submission, verify_files

    with tempfile.TemporaryDirectory() as work:
        engine = Engine.load(Settings(work_dir=Path(work), record_submissions=False))
        meta, files = read_submission(CLEAN)
        verify_files(files, meta, engine, record=False)  # warm
        t = time.perf_counter()
        for _ in range(n):
            verify_files(files, meta, engine, record=False)
        return n / (time.perf_counter() - t)


def _health(samples: list[float]) -> str:
    return f"healthz p50 {_pct(samples, .5):.1f} p95 {_pct(samples, .95):.1f} p99 {_pct(samples, .99):.1f} ms"


def _async_levels(base: str, auth: dict, work: Path, levels: list[int], jobs: int, base_floor: float,
                  pinned: bool) -> None:
    """Print jobs/s with each number of workers; pinned: worker i alone on core i (taskset)."""
    rates = {}
    for processes in levels:
        workers = ([_start(["worker", "--processes", "1"], work, cpu=i) for i in range(processes)]
                   if pinned else [_start(["worker", "--processes", str(processes)], work)])
        try:
            async_load(base, auth, work, 2 * processes, 2)  # warm: engines and readers loaded
            r = async_load(base, auth, work, jobs, 4)
            rates[processes] = drain(base, auth, work, jobs, workers)
        finally:
            for worker in workers:
                _stop(worker)
        how = "worker(s), one core each" if pinned else "worker process(es)"
        print(f"async {processes} {how}: {r['jobs_s']:.2f} jobs/s submitted and done meanwhile "
              f"({r['jobs_s'] / base_floor:.2f}x floor), {_health(r['healthz'])}; queue drained by "
              f"the workers alone {rates[processes]:.2f} jobs/s")
    if {1, 2} <= set(rates):
        print(f"scale-out 2 / 1 {'pinned workers' if pinned else 'worker processes'} (drain): "
              f"{rates[2] / rates[1]:.2f}x")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=48)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16],
                        help="sync load levels (default 1 4 16)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                        help="async worker process counts (none: skip the async part)")
    parser.add_argument("--keep-logs", type=Path, default=None,
                        help="work in this folder and keep it (the API's and workers' logs)")
    parser.add_argument("--pinned", action="store_true",
                        help="also run each worker pinned to a core of its own: the scale-out a "
                             "second machine adds, measured on one")
    args = parser.parse_args()
    base_floor = floor(8)
    print(f"floor: verify_files in-process {base_floor:.2f} submissions/s")
    with tempfile.TemporaryDirectory() as tmp:
        work, port = Path(args.keep_logs or tmp), _port()
        work.mkdir(parents=True, exist_ok=True)
        from tradeverify.service.keys import KeyStore

        token = KeyStore.at(work / "service.sqlite").create("BANK002", "submitter")[1]
        auth, base = {"Authorization": f"Bearer {token}"}, f"http://127.0.0.1:{port}"
        api = _start(["serve", "--port", str(port)], work)
        try:
            _wait_up(base)
            idle = Probe(base)
            with idle:
                time.sleep(2)
            print(f"idle: {_health(idle.samples)}")
            for clients in args.clients:
                r = sync_load(base, auth, clients, max(args.requests, clients))
                ratio = r["req_s"] / base_floor
                print(f"sync  {clients:2} clients: {r['req_s']:.2f} req/s ({ratio:.2f}x floor), "
                      f"p50 {r['p50'] * 1000:.0f} p95 {r['p95'] * 1000:.0f} p99 {r['p99'] * 1000:.0f} ms, "
                      f"{r['busy']} busy answers; {_health(r['healthz'])}")
            for pinned in (False, True) if args.pinned else (False,):
                _async_levels(base, auth, work, args.workers, args.jobs, base_floor, pinned)
        finally:
            _stop(api)


if __name__ == "__main__":
    main()
