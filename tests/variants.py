"""Copies of a submission with one document damaged: the suppression test and benchmark share them."""

from __future__ import annotations

import shutil
from pathlib import Path

ZIP = b"PK\x03\x04" + bytes(200)  # what an unreadable document is replaced by: a ZIP under its name


def one_document_damaged(source: Path, tmp: Path, how: str) -> list[tuple[str, Path]]:
    """Return ``(document name, folder)`` per document of ``source``: it ``removed`` or ``unreadable``."""
    out = []
    for doc in sorted(p for p in source.iterdir() if p.name != "submission.json"):
        target = tmp / f"{source.name}-{doc.stem}-{how}"
        shutil.copytree(source, target)
        if how == "removed":
            (target / doc.name).unlink()
        else:
            (target / doc.name).write_bytes(ZIP)
        out.append((doc.name, target))
    return out
