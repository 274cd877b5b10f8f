"""Real PostgreSQL and Redis servers for tests, started in a temporary folder and stopped after.

Both come from Debian's packages, which `make setup` installs (postgresql, redis-server). A
test that needs one fails with that hint when it is missing rather than being skipped, so a
missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HINT = "run `make setup` (it installs Debian's postgresql and redis-server)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found: {HINT}")
    return found[-1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as Debian's postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the SQLAlchemy URL of a fresh database on a throw-away PostgreSQL cluster."""
    folder = Path(tempfile.mkdtemp(prefix="tv-pg-"))  # under /tmp: the postgres user can reach it
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    try:
        subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "--no-sync"]), check=True, capture_output=True)
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"),
                                     "-o", f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off",
                                     "start"]), check=True, capture_output=True)
        subprocess.run(_as_postgres([_pg_bin("createdb"), "-h", str(folder), "-p", str(port), "-U",
                                     "postgres", "tradeverify"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@/tradeverify?host={folder}&port={port}"
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """Yield the URL of a throw-away Redis server (no persistence)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(f"redis-server not found: {HINT}")
    folder, port = Path(tempfile.mkdtemp(prefix="tv-redis-")), free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
