"""A seeded corpus of mutated and hostile documents (the same seed writes the same bytes).

Mutations of the golden samples' documents (truncations, bit flips, zeroed ranges, header
swaps, spliced halves) and the hostile builders of :mod:`tests.fuzz.hostile` with varied sizes
(nested forms, text-operator floods, inflate bombs, sparse files, fake encryption, TIFF frames,
FIFOs, device symlinks, directories). ``build_corpus(folder, n, seed)`` returns ``(kind, path)``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from . import hostile

SAMPLES = Path(__file__).resolve().parents[2] / "data_samples" / "submissions"
DIGITAL = sorted((SAMPLES / "clean_digital").glob("*.pdf")) + sorted(
    (SAMPLES / "fraud_price_deviation").glob("*.pdf"))
IMAGES = sorted((SAMPLES / "clean_scanned").glob("*.png")) + sorted(
    (SAMPLES / "clean_scanned").glob("*.jpg"))
HEADERS = (b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*", b"PK\x03\x04")

Mutation = Callable[[bytes, random.Random], bytes]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, len(data))]


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 4, 32, 256))):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def zero_range(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.choice((16, 512, 8192, 65536)))
    return data[:start] + bytes(end - start) + data[end:]


def swap_header(data: bytes, rng: random.Random) -> bytes:
    head = rng.choice(HEADERS)
    return head + data[len(head):]


def splice(data: bytes, rng: random.Random) -> bytes:
    other = rng.choice(DIGITAL + IMAGES).read_bytes()
    return data[: rng.randrange(len(data))] + other[rng.randrange(len(other)):]


MUTATIONS: dict[str, Mutation] = {"truncate": truncate, "flip_bits": flip_bits,
                                  "zero_range": zero_range, "swap_header": swap_header,
                                  "splice": splice}
# Hostile builders with a size drawn per case; the slow ones (sparse, TIFF) are kept few.
HOSTILE: dict[str, tuple[int, Callable[[Path, random.Random], Path]]] = {
    "nested_xobjects": (30, lambda p, r: hostile.nested_xobjects(p, r.randint(8, 14), r.randint(4, 10))),
    "text_operators": (20, lambda p, r: hostile.text_operators(p, r.choice((200_000, 1_000_000, 2_000_000)))),
    "inflate_bomb": (6, lambda p, r: hostile.inflate_bomb(p, r.choice((0.1, 0.25)))),
    "sparse_pdf": (3, lambda p, r: hostile.sparse_pdf(p, r.choice((5, 49)))),
    "zero_mediabox": (4, lambda p, r: hostile.zero_mediabox(p)),
    "broken_encrypt": (10, lambda p, r: hostile.broken_encrypt(p)),
    "tiff_frames": (2, lambda p, r: hostile.tiff_frames(p, r.choice((3, 8)), (850, 1100))),
    "fifo": (3, lambda p, r: hostile.fifo(p)),
    "symlink_to_zero": (3, lambda p, r: hostile.symlink_to_zero(p)),
    "directory": (3, lambda p, r: hostile.directory(p)),
}


def build_corpus(folder: Path, n: int = 1000, seed: int = 0) -> list[tuple[str, Path]]:
    """Write ``n`` documents into ``folder``: the hostile set, then mutations to make up ``n``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path]] = []
    for kind, (count, build) in HOSTILE.items():
        for i in range(count):
            suffix = ".tif" if kind == "tiff_frames" else ".pdf"
            cases.append((kind, build(folder / f"{kind}-{i:03d}{suffix}", rng)))
    while len(cases) < n:
        # Images cost an OCR pass when they still decode: one case in ten.
        source = rng.choice(IMAGES) if rng.random() < 0.1 else rng.choice(DIGITAL)
        kind = rng.choice(sorted(MUTATIONS))
        path = folder / f"{kind}-{len(cases):04d}{source.suffix}"
        path.write_bytes(MUTATIONS[kind](source.read_bytes(), rng))
        cases.append((kind, path))
    return cases
