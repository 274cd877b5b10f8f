"""A real desk to drive: uvicorn on a free port, samples verified, officers added."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from tradeverify.config import Settings
from tradeverify.pipeline import Engine
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore
from tradeverify.service.officers import OfficerStore

from ..conftest import SAMPLES

BANK = "BANK001"
PASSWORDS = {"alice": "alice-desk-password", "bob": "bob-desk-password"}


@dataclass
class Desk:
    """A running desk: its address, the verified samples by folder name, its work dir."""

    url: str
    submissions: dict[str, str]
    work: Path
    settings: Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def submit(url: str, token: str, folder: Path) -> str:
    """Verify one sample folder through the REST API; return the server's submission id."""
    files = [("documents", (p.name, p.read_bytes(), "application/octet-stream"))
             for p in sorted(folder.iterdir()) if p.suffix != ".json"]
    meta = {k: v for k, v in json.loads((folder / "submission.json").read_text()).items() if k != "bank_id"}
    files.append(("submission", ("submission.json", json.dumps(meta).encode(), "application/json")))
    resp = httpx.post(f"{url}/v1/verify", files=files, headers={"Authorization": f"Bearer {token}"},
                      timeout=120)
    resp.raise_for_status()
    return str(resp.json()["submission_id"])


@contextmanager
def running_desk(work: Path, samples: tuple[str, ...], four_eyes: bool = False) -> Iterator[Desk]:
    """Serve the desk over real HTTP with ``samples`` verified for BANK001."""
    settings = Settings(work_dir=work, registry_path=work / "registry.sqlite", desk_secure_cookies=False,
                        desk_four_eyes=four_eyes)
    keys = KeyStore.at(work / "service.sqlite")
    officers = OfficerStore(keys.url)
    for name, password in PASSWORDS.items():
        officers.add(BANK, name, password, name.title())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, Engine.load(settings), keys),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        token = keys.create(BANK, "submitter")[1]
        done = {name: submit(url, token, SAMPLES / "submissions" / name) for name in samples}
        yield Desk(url, done, work, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
