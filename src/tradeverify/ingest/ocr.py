"""OCR of one page image with Tesseract: deskew, recognize, words with normalized boxes.

Bilingual (English + Simplified Chinese) pages: reading every page with ``eng+chi_sim`` costs
about half as much again as ``eng`` alone on an English page, and the combined model still
reads short Chinese labels with the English one ("卖方" as "RA"). So a page is read with ``eng``
first; only when that reading looks like it met characters it does not know (many unsure
words) is it read again with ``chi_sim`` alone, and the Chinese words of that second reading
replace the English reading's words under them. Each script is thus read by its own model.
Chinese characters come back one or two per "word"; runs of them are joined into one word, as
a PDF text layer gives them.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from dataclasses import replace
from functools import lru_cache

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
# Chinese: the traineddata the set-up installs (tesseract-ocr-chi-sim), read alone (the combined
# "eng+chi_sim" model reads short Chinese labels as English words). A page is read with it too
# when its English reading has this share and number of unsure words: English scans run 0-4 %
# (one page in 55 of a test world more), bilingual ones 10-30 % (each Chinese label garbled).
CHINESE = "chi_sim"
CHINESE_RETRY_SHARE, CHINESE_RETRY_WORDS = 0.06, 3
# Chinese characters of one run are at most this many character heights apart.
CJK_JOIN_GAP = 1.0
# A Chinese word read below this confidence is left out: an unreadable label is better absent
# than standing before the English label beside it. Measured on 16 bilingual scans: 1 in 10
# Chinese words read below 0.1 was right, 2 in 3 at 0.1-0.3, 9 in 10 above 0.7.
MIN_CHINESE_CONF = 0.1
_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_CJK_RANGES = ((0x3000, 0x303F), *_IDEOGRAPHS, (0xFF00, 0xFFEF))
_LABEL_PUNCT = frozenset({":", ";", "：", "；", "#"})

log = logging.getLogger(__name__)


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


def _sparse_if_unsure(
    gray: Image.Image, words: list[Word], page: int, lang: str, file: str,
    chinese: list[Word] | None = None,
) -> list[Word]:
    """Return ``words`` of an upright page, or its sparse-text reading when that is surer.

    ``chinese`` words (see :func:`_chinese_words`) are laid over both readings before they are
    compared, as they replace the garbled words of either.
    """
    words = overlay(words, chinese or [])
    if not words or 1.0 - _sure_share(words) < SPARSE_RETRY_SHARE:
        return words
    sparse = overlay(_recognize(gray, page, lang, file, _SPARSE), chinese or [])
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

    Upright pages that read cleanly cost one Tesseract pass; one with many unsure words is read
    again in Chinese (see the module docstring), one with a few is read again as sparse text.
    Only a page that reads badly is checked for a 90, 180 or 270 degree turn (orientation
    detection costs about half a pass) and read again.
    """
    gray = deskew(to_gray(image))
    words = _recognize(gray, page, lang, file)
    if _upright(words, gray.width, gray.height):
        return _read_upright(gray, words, page, lang, file)
    angle = upright_angle(gray)
    if angle == 0:
        return words
    turned = deskew(gray.rotate(-angle, expand=True, fillcolor=255))
    again = _recognize(turned, page, lang, file)
    if _upright(again, turned.width, turned.height):
        return _read_upright(turned, again, page, lang, file)
    return words


def _read_upright(gray: Image.Image, words: list[Word], page: int, lang: str, file: str) -> list[Word]:
    """Finish an upright page: lay Chinese over it when it looks bilingual, retry sparse if unsure."""
    chinese = _chinese_words(gray, words, page, lang, file)
    return _sparse_if_unsure(gray, words, page, lang, file, chinese)


def _chinese_words(gray: Image.Image, words: list[Word], page: int, lang: str, file: str) -> list[Word]:
    """Return the Chinese words of a page that looks bilingual, read by ``chi_sim`` alone.

    Pages whose first reading is sure enough (English ones) cost nothing; otherwise the words
    with a Chinese character in them are kept, runs joined and full-width punctuation folded.
    Latin words the Chinese model read with a full-width comma ("PCSU8446468，") are not
    Chinese: the English reading of them stays.
    """
    unsure = sum(w.conf < SURE_WORD_CONF for w in words)
    if unsure < CHINESE_RETRY_WORDS or unsure < CHINESE_RETRY_SHARE * len(words):
        return []
    if not chinese_available(lang):
        return []
    joined = join_cjk(_recognize(gray, page, CHINESE, file), gray.width / gray.height)
    return [replace(w, text=unicodedata.normalize("NFKC", w.text))
            for w in joined if any(map(_is_ideograph, w.text))]  # fmt: skip


def overlay(words: list[Word], chinese: list[Word]) -> list[Word]:
    """Return ``words`` without those a Chinese word covers, plus the Chinese words.

    The English model reads a Chinese label as one or two garbled words ("RA:", "#N£238") in
    the place the Chinese model read it: a word half or more under a Chinese word's box goes,
    and so does an unsure word touching one (the garbled tail of a label, "MA:"), whose colon
    the Chinese word takes over when the Chinese model dropped it. A weak Chinese word (read
    below ``MIN_CHINESE_CONF``, or a lone character: the Chinese model's guess at Latin text,
    "#:" read as "具") clears only unsure words, and is kept only where no sure word lies.
    """
    if not chinese:
        return words
    kept = [w for w in words if not any(_covered(w, c) for c in chinese)]
    cleared = [w for w in words if w not in kept]
    added = [_with_colon(c, cleared) for c in chinese
             if _strong(c) or (c.conf >= MIN_CHINESE_CONF and not any(_overlap(c, w) for w in kept))]
    return sorted([*kept, *added], key=lambda w: (w.page, w.y0, w.x0))


def _strong(word: Word) -> bool:
    """Return True for a Chinese word read surely enough to replace English words under it."""
    return word.conf >= MIN_CHINESE_CONF and sum(map(_is_ideograph, word.text)) >= 2


def _overlap(a: Word, b: Word) -> float:
    """Return the area two boxes share on one page (0 when apart)."""
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    return dx * dy if a.page == b.page and dx > 0 and dy > 0 else 0.0


def _covered(word: Word, by: Word) -> bool:
    """Return True when Chinese word ``by`` replaces ``word`` of the English reading."""
    shared = _overlap(word, by)
    if shared <= 0:
        return False
    half = shared >= 0.5 * (word.x1 - word.x0) * (word.y1 - word.y0)
    return word.conf < SURE_WORD_CONF or (half and _strong(by))


def _with_colon(word: Word, cleared: list[Word]) -> Word:
    """Give a Chinese label the colon of a cleared English word reaching past its right end."""
    if word.text.endswith(":"):
        return word
    tails = [w for w in cleared if w.text.endswith(":") and w.x1 > word.x1 and _overlap(w, word)]
    if not tails:
        return word
    return replace(word, text=f"{word.text}:", x1=max(w.x1 for w in tails))


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Return the Tesseract languages installed (asked once; empty when Tesseract is missing)."""
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError):
        return frozenset()


@lru_cache(maxsize=8)
def chinese_available(lang: str) -> bool:
    """Return True when bilingual pages get a ``chi_sim`` reading on top of ``lang``'s.

    Not when ``lang`` already includes Chinese (one reading does both). A missing ``chi_sim`` is
    logged once: bilingual scans then lose their Chinese labels (English ones beside them are
    still read), which an operator should know about.
    """
    if CHINESE in lang.split("+"):
        return False
    if CHINESE not in installed_languages():
        log.warning("Tesseract language %r is not installed (apt package tesseract-ocr-chi-sim): "
                    "Chinese labels of bilingual scans are not read", CHINESE)
        return False
    return True


def is_cjk(char: str) -> bool:
    """Return True for a Chinese character or CJK punctuation / full-width form."""
    return any(lo <= ord(char) <= hi for lo, hi in _CJK_RANGES)


def _is_ideograph(char: str) -> bool:
    return any(lo <= ord(char) <= hi for lo, hi in _IDEOGRAPHS)


def join_cjk(words: list[Word], aspect: float) -> list[Word]:
    """Join Chinese characters that Tesseract returned as separate words into runs.

    Two words join when they sit on one line at most ``CJK_JOIN_GAP`` character heights apart
    and meet at a Chinese character on one side and a Chinese character or a digit on the
    other: "提单" "号" -> "提单号", "2025" "年" "3" "月" -> "2025年3月". A Latin word next to
    Chinese stays apart (OCR boxes cannot tell a space there).

    Args:
        words: one page's words in Tesseract's reading order.
        aspect: the page image's width / height (word boxes are page fractions).

    Returns:
        The words, runs of Chinese joined.

    """
    out: list[Word] = []
    for word in words:
        prev = out[-1] if out else None
        if prev is not None and _glued_colon(prev, word):
            out[-1] = replace(prev, text=prev.text + word.text[0])
            out.append(replace(word, text=word.text[1:]))
        elif prev is not None and _same_cjk_run(prev, word, aspect):
            out[-1] = Word(prev.text + word.text, prev.x0, min(prev.y0, word.y0), max(prev.x1, word.x1),
                           max(prev.y1, word.y1), prev.page, min(prev.conf, word.conf))  # fmt: skip
        else:
            out.append(word)
    return out


def _glued_colon(left: Word, right: Word) -> bool:
    """Return True when a Chinese label's colon was read glued to the value after it (":2025")."""
    same_line = left.page == right.page and min(left.y1, right.y1) > max(left.y0, right.y0)
    return same_line and is_cjk(left.text[-1]) and right.text[0] in _LABEL_PUNCT and len(right.text) > 1


def _same_cjk_run(left: Word, right: Word, aspect: float) -> bool:
    """Return True when ``right`` continues the Chinese run ending in ``left`` on its line."""
    end, start = left.text[-1], right.text[0]
    meets = (is_cjk(end) or end.isdigit()) and (is_cjk(start) or start.isdigit())
    # A label's colon: the Chinese model reads it as a word of its own ("出卖人" ":").
    colon = is_cjk(end) and right.text in _LABEL_PUNCT
    if left.page != right.page or not (colon or meets and (is_cjk(end) or is_cjk(start))):
        return False
    height = max(left.y1 - left.y0, right.y1 - right.y0)
    overlap = min(left.y1, right.y1) - max(left.y0, right.y0)
    gap = (right.x0 - left.x1) * aspect  # in units of page height, as ``height`` is
    # Tesseract's boxes of mixed runs overlap: "2025" may span the whole "2025年3月12日".
    return overlap > 0 and right.x0 >= left.x0 and gap < CJK_JOIN_GAP * height


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
