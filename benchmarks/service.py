"""The REST service under load: req/s and latency percentiles, sync and async, and /healthz meanwhile.

Starts a real `tradeverify serve` (and `tradeverify worker` for jobs) on a throw-away work dir
and drives it with 1, 4 and 16 clients posting the same digital submission:

- sync: `POST /v1/verify`, each client posting in a loop (a 503 "busy" is waited out as its
  Retry-After says, and counted);
- async: `POST /v1/jobs` of a batch, until every job is done, with 1 and 2 worker processes
  (scale-out = jobs/s with 2 / jobs/s with 1);
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


def _start(cmd: list[str], work: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tradeverify", *cmd], env=_env(work),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


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
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API did not start")


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


def async_load(base: str, auth: dict, jobs: int, clients: int) -> dict:
    """Submit ``jobs`` jobs from ``clients`` threads and wait for all; return jobs/s."""
    ids: list[str] = []
    started = time.perf_counter()
    with Probe(base) as probe:
        def submit(n: int) -> None:
            with httpx.Client(timeout=60, headers=auth) as http:
                for _ in range(n):
                    ids.append(http.post(f"{base}/v1/jobs", files=_files()).json()["job_id"])
        threads = [threading.Thread(target=submit, args=(jobs // clients,)) for _ in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        with httpx.Client(timeout=60, headers=auth) as http:
            pending = set(ids)
            while pending:
                pending = {j for j in pending if http.get(f"{base}/v1/jobs/{j}").json()["status"]
                           not in ("done", "failed")}
                time.sleep(0.1)
    wall = time.perf_counter() - started
    return {"jobs_s": len(ids) / wall, "healthz": probe.samples}


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


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=48)
    args = parser.parse_args()
    base_floor = floor(8)
    print(f"floor: verify_files in-process {base_floor:.2f} submissions/s")
    with tempfile.TemporaryDirectory() as tmp:
        work, port = Path(tmp), _port()
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
            for clients in (1, 4, 16):
                r = sync_load(base, auth, clients, max(args.requests, clients))
                ratio = r["req_s"] / base_floor
                print(f"sync  {clients:2} clients: {r['req_s']:.2f} req/s ({ratio:.2f}x floor), "
                      f"p50 {r['p50'] * 1000:.0f} p95 {r['p95'] * 1000:.0f} p99 {r['p99'] * 1000:.0f} ms, "
                      f"{r['busy']} busy answers; {_health(r['healthz'])}")
            rates = {}
            for processes in (1, 2):
                worker = _start(["worker", "--processes", str(processes)], work)
                try:
                    async_load(base, auth, 2 * processes, 2)  # warm: engines and readers loaded
                    r = async_load(base, auth, args.jobs, 4)
                finally:
                    _stop(worker)
                rates[processes] = r["jobs_s"]
                print(f"async {processes} worker process(es): {r['jobs_s']:.2f} jobs/s "
                      f"({r['jobs_s'] / base_floor:.2f}x floor); {_health(r['healthz'])}")
            print(f"scale-out 2 / 1 worker processes: {rates[2] / rates[1]:.2f}x")
        finally:
            _stop(api)


if __name__ == "__main__":
    main()
