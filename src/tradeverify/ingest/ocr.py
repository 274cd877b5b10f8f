"""OCR of one page image with Tesseract: deskew, recognize, words with normalized boxes."""

from __future__ import annotations

import os

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from tradeverify.domain import Word
from tradeverify.errors import OcrError

# Skew search: scans are rotated by a degree or two; the search covers a little more.
MAX_SKEW_DEG = 3.0
_COARSE_STEP, _FINE_STEP = 0.25, 0.05
_SKEW_WIDTH = 800  # the angle is estimated on a thumbnail this wide: fast and precise enough
OCR_TIMEOUT_S = 120
# Tesseract's page segmentation ("--psm 3") can merge two columns whose baselines are offset
# into one text line and read it as garbage ("ee", "oo"). When this share of words or more
# comes back unsure, the page is read again as sparse text ("--psm 11", every word on its own,
# our layout engine builds the lines) and the surer of the two readings is kept.
SPARSE_RETRY_SHARE = 0.03
_SPARSE = "--psm 11"
# A page "reads" when most of its words come back at 60 %+ confidence. Measured on the samples:
# upright scans 0.99-1.0 of words; the same pages turned 90 or 180 degrees 0.13-0.20.
SURE_WORD_CONF, MIN_SURE_SHARE = 0.6, 0.5
_KEEP_PUNCT = ":/#&%$€£¥@"
# Tesseract's OpenMP threads fight each other on small machines: one thread is ~4x faster on
# 2 cores, and parallelism comes from the worker pool instead. An explicit setting still wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def to_gray(image: Image.Image) -> Image.Image:
    """Return an 8-bit grayscale copy, flattening alpha onto white and honouring EXIF rotation."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("L")


def _profile_score(ink: Image.Image, angle: float) -> float:
    """Return how sharply rows of ink line up at ``angle`` (variance of row sums)."""
    rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float32).sum(axis=1)
    return float(np.var(rows))


def estimate_skew(gray: Image.Image) -> float:
    """Return the rotation in degrees that makes text lines horizontal (projection profile)."""
    scale = min(1.0, _SKEW_WIDTH / max(gray.width, 1))
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
    ink = small.point(lambda v: 255 if v < 128 else 0)
    # Candidates go smallest rotation first so that ties (a blank page) keep the page as it is.
    coarse = sorted(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, _COARSE_STEP), key=abs)
    best = max(coarse, key=lambda a: _profile_score(ink, float(a)))
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    return float(max(sorted(fine, key=lambda a: abs(a - best)),
                     key=lambda a: _profile_score(ink, float(a))))  # fmt: skip


def deskew(gray: Image.Image) -> Image.Image:
    """Rotate a skewed scan straight, so that words of one line share one band."""
    angle = estimate_skew(gray)
    if abs(angle) < _FINE_STEP:
        return gray
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)


def _recognize(gray: Image.Image, page: int, lang: str, file: str, config: str = "") -> list[Word]:
    # pytesseract hands the image over as a temp file in the image's format; BMP is written in
    # a fraction of PNG's time (about 0.3 s a page here) and is lossless too.
    gray.format = "BMP"
    try:
        data = pytesseract.image_to_data(
            gray, lang=lang, config=config, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S
        )
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError) as exc:
        raise OcrError(f"{file}: Tesseract failed on page {page}: {exc}", file=file) from exc
    return _words_from_data(data, page, gray.width, gray.height)


def _mean_conf(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _sparse_if_unsure(gray: Image.Image, words: list[Word], page: int, lang: str, file: str) -> list[Word]:
    """Return ``words`` of an upright page, or its sparse-text reading when that is surer."""
    if not words or 1.0 - _sure_share(words) < SPARSE_RETRY_SHARE:
        return words
    sparse = _recognize(gray, page, lang, file, _SPARSE)
    return sparse if _mean_conf(sparse) > _mean_conf(words) else words


def _sure_share(words: list[Word]) -> float:
    """Return the share of words read with confidence (0 for no words)."""
    return sum(w.conf >= SURE_WORD_CONF for w in words) / len(words) if words else 0.0


def _horizontal_share(words: list[Word], width: int, height: int) -> float:
    """Return the share of longer words whose box is wider than tall.

    Tesseract reads a page turned by 90 degrees as vertical text, often with high confidence:
    only the shape of the boxes gives it away.
    """
    long = [w for w in words if len(w.text) >= 4]
    if not long:
        return 0.0
    return sum((w.x1 - w.x0) * width > (w.y1 - w.y0) * height for w in long) / len(long)


def _upright(words: list[Word], width: int, height: int) -> bool:
    return _sure_share(words) >= MIN_SURE_SHARE and _horizontal_share(words, width, height) >= 0.5


def upright_angle(gray: Image.Image) -> int:
    """Return the clockwise rotation (0, 90, 180, 270) Tesseract's OSD detects, 0 if unsure."""
    gray.format = "BMP"
    try:
        osd = pytesseract.image_to_osd(gray, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell (a photo, a blank page): keep the page as it is
    return int(osd.get("rotate", 0)) % 360


def ocr_words(image: Image.Image, page: int, lang: str, *, file: str) -> list[Word]:
    """OCR one page image; return its words (conf 0-1, bbox in page fractions).

    Upright pages that read cleanly cost one Tesseract pass; one with a few unsure words is read
    again as sparse text. Only a page that reads badly is checked for a 90, 180 or 270 degree
    turn (orientation detection costs about half a pass) and read again.
    """
    gray = deskew(to_gray(image))
    words = _recognize(gray, page, lang, file)
    if _upright(words, gray.width, gray.height):
        return _sparse_if_unsure(gray, words, page, lang, file)
    angle = upright_angle(gray)
    if angle == 0:
        return words
    turned = deskew(gray.rotate(-angle, expand=True, fillcolor=255))
    again = _recognize(turned, page, lang, file)
    if _upright(again, turned.width, turned.height):
        return _sparse_if_unsure(turned, again, page, lang, file)
    return words


def _clean_word(text: str) -> str:
    """Drop box rules that OCR reads as "|" or "_" glued to or standing for words."""
    text = text.strip().strip("|_")
    # Punctuation-only tokens are ruling and speckle, except the few that labels use.
    if not any(c.isalnum() or c in _KEEP_PUNCT for c in text):
        return ""
    return text


def _words_from_data(data: dict[str, list], page: int, width: int, height: int) -> list[Word]:
    """Convert Tesseract's TSV columns to Words, keeping real words (conf >= 0, some text)."""
    words: list[Word] = []
    for i, raw in enumerate(data["text"]):
        conf, text = float(data["conf"][i]), _clean_word(str(raw))
        if conf < 0 or not text:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        w, h = float(data["width"][i]), float(data["height"][i])
        words.append(
            Word(text, left / width, top / height, (left + w) / width,
                 (top + h) / height, page, min(conf / 100.0, 1.0))
        )  # fmt: skip
    return words
