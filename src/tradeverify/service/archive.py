"""Uploaded files on disk: names the server chooses, and a submission sent as one zip.

A zip is a hostile input like any document: its listing can lie about sizes (a bomb), name
paths outside the folder (``../../etc``), hold thousands of members, be encrypted or be no zip
at all. So members are read, never extracted by name: each is streamed with a byte cap into a
file whose name the server chose, the count and the total are capped, and every refusal is a
typed error naming the member.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO, Any

from tradeverify.errors import DocumentTooLargeError, InputError

CHUNK = 1 << 16
META_NAME = "submission.json"
META_LIMIT = 1 << 20  # a submission.json is a few hundred bytes; 1 MB is generous


def safe_name(name: str | None, index: int) -> str:
    """Return a file name safe to write: no folders, no dot files, at most 100 characters."""
    base = Path(name or f"document-{index}").name
    if not base or base.startswith("."):
        return f"document-{index}"
    stem, suffix = Path(base).stem, Path(base).suffix[:10]
    return stem[: 100 - len(suffix)] + suffix


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Return the members that are documents or metadata: no folders, no dot files, no __MACOSX."""
    kept = []
    for info in archive.infolist():
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if info.is_dir() or not parts or any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        if info.flag_bits & 0x1:
            raise InputError(f"{info.filename}: encrypted zip members are not accepted",
                             file=info.filename)
        kept.append(info)
    return kept


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes], limit: int) -> tuple[int, str]:
    """Stream one member into ``target``; return its size and SHA-256.

    At most ``limit`` bytes are taken, whatever the member's header claims: a bomb is stopped
    after the limit, not after it filled the disk.
    """
    written, sha = 0, hashlib.sha256()
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise DocumentTooLargeError(f"{info.filename}: more than {limit} bytes once unzipped "
                                            "(the limit left for this document)", file=info.filename)
            sha.update(chunk)
            target.write(chunk)
    return written, sha.hexdigest()


def _read_meta(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    """Return the zip's submission.json as an object (InputError when it is not one)."""
    with archive.open(info) as member:
        data = member.read(META_LIMIT + 1)
    if len(data) > META_LIMIT:
        raise DocumentTooLargeError(f"{info.filename}: larger than {META_LIMIT} bytes", file=info.filename)
    try:
        meta = json.loads(data)
    except ValueError as exc:
        raise InputError(f"{info.filename} is not valid JSON: {exc}", file=info.filename) from exc
    if not isinstance(meta, dict):
        raise InputError(f"{info.filename} must be a JSON object", file=info.filename)
    return meta


def expand(source: IO[bytes], folder: Path, *, max_files: int, max_file_bytes: int,
           max_total_bytes: int, first_index: int = 0,
           ) -> tuple[dict[str, Any] | None, list[tuple[Path, dict[str, Any]]]]:
    """Write a zip's documents into ``folder``; return its submission.json (or None) and the files.

    Each file gets the audit record the other uploads get ({name, bytes, sha256}). Raises
    InputError for what is not a usable zip, DocumentTooLargeError past a limit.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"archive is not a readable zip file: {exc}", file="archive") from exc
    with archive:
        members = _members(archive)
        metas = [m for m in members if PurePosixPath(m.filename).name.lower() == META_NAME]
        if len(metas) > 1:
            raise InputError(f"the zip holds {len(metas)} submission.json files; one at most")
        documents = [m for m in members if m not in metas]
        if not documents:
            raise InputError("the zip holds no documents", file="archive")
        if len(documents) > max_files:
            raise DocumentTooLargeError(f"{len(documents)} documents in the zip, above the limit "
                                        f"of {max_files}", file="archive")
        meta = _read_meta(archive, metas[0]) if metas else None
        saved, total = [], 0
        for i, info in enumerate(documents, start=first_index):
            saved.append(_write(archive, info, folder, i, min(max_file_bytes, max_total_bytes - total)))
            total += saved[-1][1]["bytes"]
    return meta, saved


def _write(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path, index: int,
           limit: int) -> tuple[Path, dict[str, Any]]:
    """Stream one member to a server-named file; return its path and audit record."""
    path = folder / f"{index:02d}-{safe_name(PurePosixPath(info.filename).name, index)}"
    try:
        with path.open("wb") as target:
            size, sha256 = _copy(archive, info, target, limit)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        # a corrupt member (CRC, truncated data) or an unsupported compression method
        raise InputError(f"{info.filename}: cannot be unzipped: {exc}", file=info.filename) from exc
    return path, {"name": path.name, "bytes": size, "sha256": sha256}
