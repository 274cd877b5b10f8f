"""OCR of one page image with Tesseract: recognize, re-read what came back unsure, straighten.

One Tesseract pass reads the page; more passes run only where it read badly:

- a page that looks bilingual (many unsure words: the English model garbles Chinese labels) is
  read again with ``chi_sim`` alone, and its Chinese words replace the English reading's
  garbage under them (:mod:`tradeverify.ingest.cjk`); each script is read by its own model, as
  the combined ``eng+chi_sim`` model reads short Chinese labels as English words. The whole
  page is read: the English model drops some Chinese labels altogether, leaving no unsure
  word to show where they are;
- a page with a few unsure words left has only their regions read again, as sparse text
  (``--psm 11``, every word on its own): page segmentation can merge two columns whose
  baselines are offset into one line and read it as garbage ("ee", "oo"). The regions are cut
  out and stacked into one small image, read in one pass that costs about a process start
  (0.25 s) instead of a page (1 s); per region, the surer reading is kept.

Skew is measured on a thumbnail's projection profile and undone on the image before the first
pass (:mod:`tradeverify.ingest.skew`).
Only a page that reads badly is checked for a 90, 180 or 270 degree turn.
"""

from __future__ import annotations

import logging
import os
import statistics
import unicodedata
from dataclasses import replace
from functools import lru_cache

from PIL import Image, ImageOps

from tradeverify.config import Settings
from tradeverify.domain import Word
from tradeverify.errors import OcrError
from tradeverify.ingest import rapid
from tradeverify.ingest.cjk import SURE_WORD_CONF, is_ideograph, join_cjk, overlay
from tradeverify.ingest.rapid import rapid_words
from tradeverify.ingest.skew import deskew, estimate_skew

OCR_TIMEOUT_S = 120
# Page segmentation of the first reading (Tesseract's default, automatic).
PRIMARY = ""
# The sparse re-read of unsure regions runs when this share of a page's words or more is unsure,
# or when one word is read below ``DOUBTFUL``, more likely wrong than right ("T/T" read "1/T" at
# 0.41; a B/L number read right at 0.0 was read again at 0.91). Measured on 53 English scans:
# 15 % of pages have the share, 45 % either (62 % have an unsure word at all).
SPARSE_RETRY_SHARE, DOUBTFUL = 0.03, 0.5
_SPARSE = "--psm 11"
# A page "reads" when most of its words come back at 60 %+ confidence. Measured on the samples:
# upright scans 0.99-1.0 of words; the same pages turned 90 or 180 degrees 0.13-0.20.
MIN_SURE_SHARE = 0.5
_KEEP_PUNCT = ":/#&%$€£¥@"
# Tesseract's OpenMP threads fight each other on small machines: one thread is ~4x faster on
# 2 cores, and parallelism comes from the worker pool instead. An explicit setting still wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Chinese: the traineddata the set-up installs (tesseract-ocr-chi-sim). A page is read with it
# too when its English reading has this share and number of unsure words: English scans run
# 0-4 % (one page in 55 of a test world more), bilingual ones 10-30 %.
CHINESE = "chi_sim"
CHINESE_RETRY_SHARE, CHINESE_RETRY_WORDS = 0.06, 3
# An unsure word's region reaches this many median word heights beyond its box, left/right and
# up/down.
_PAD_X, _PAD_Y = 2.0, 0.5
_GAP_PX = 24  # white between the regions stacked for a re-read
# A page whose Tesseract words are sure less often than this reads badly and is read again
# by RapidOCR (auto engine), whose reading replaces it unless it found far fewer words.
# Measured sure shares: the generator's scans 0.99-1.0 (30 pages), the hand-made outside
# scans 0.975-1.0, real receipts 0.0-0.989 (36 of 42 below 0.95), on which RapidOCR read 81
# fields of 126 against Tesseract's 56 (benchmarks/receipts.py).
BAD_SURE_SHARE = 0.95
RAPID_MIN_WORDS = 0.5
# RapidOCR's cost grows with the text on a page: 5 s and 450 MB more for a receipt, 8 s and
# 700 MB for a dense 1700 x 2200 page of 320 words (one thread, measured here). Receipts and till
# slips carry 15-200 words (42 SROIE receipts); pages with more stay with Tesseract's reading.
RAPID_MAX_WORDS = 250
# A page Tesseract found no word on is read by RapidOCR only when this share of it is ink.
MIN_INK_SHARE = 0.005
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as page fractions
Pixels = tuple[int, int, int, int]

log = logging.getLogger(__name__)


def to_gray(image: Image.Image) -> Image.Image:
    """Return an 8-bit grayscale copy, flattening alpha onto white and honouring EXIF rotation."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("L")


def _recognize(gray: Image.Image, page: int, lang: str, file: str, config: str = "") -> list[Word]:
    # pytesseract hands the image over as a temp file in the image's format; BMP is written in
    # a fraction of PNG's time (about 0.3 s a page here) and is lossless too.
    import pytesseract  # imported where OCR runs: it loads pandas, which a text PDF never needs

    gray.format = "BMP"
    try:
        data = pytesseract.image_to_data(
            gray, lang=lang, config=config, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S
        )
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError) as exc:
        raise OcrError(f"{file}: Tesseract failed on page {page}: {exc}", file=file) from exc
    return _words_from_data(data, page, gray.width, gray.height)


def ocr_words(image: Image.Image, page: int, lang: str, *, file: str) -> list[Word]:
    """OCR one page image; return its words (conf 0-1, bbox in page fractions, skew undone).

    Upright pages that read cleanly cost one Tesseract pass; bilingual ones a Chinese pass, and
    a few unsure words one small sparse-text pass (see the module docstring). A page that reads
    badly is checked for a turn (orientation detection costs about half a pass) and read again.
    """
    gray = to_gray(image)
    # Tesseract reads a skewed page worse than a straight one, even at one degree: on a
    # proforma contract turned by 1.0 degree it dropped the captions "Commodity" and "HS Code".
    straight = deskew(gray, estimate_skew(gray))
    words = _recognize(straight, page, lang, file, PRIMARY)
    if _upright(words, gray.width, gray.height):
        return _finish(straight, words, page, lang, file)
    angle = upright_angle(straight)
    if angle == 0:
        return words
    turned = gray.rotate(-angle, expand=True)  # 90-degree steps: exact, no resampling
    turned = deskew(turned, estimate_skew(turned))
    again = _recognize(turned, page, lang, file, PRIMARY)
    if _upright(again, turned.width, turned.height):
        return _finish(turned, again, page, lang, file)
    return words


def read_page(image: Image.Image, page: int, settings: Settings, *, file: str) -> list[Word]:
    """OCR one page with the engine ``settings.ocr_engine`` names (see :func:`reads_badly`)."""
    if settings.ocr_engine == "rapidocr":
        return rapid_words(to_gray(image), page, file=file)
    words = ocr_words(image, page, settings.ocr_lang, file=file)
    if settings.ocr_engine != "auto" or not rapid.available():
        return words
    if len(words) > RAPID_MAX_WORDS or (words and not reads_badly(words)):
        return words  # read well, or a dense page RapidOCR would take 8 s and 700 MB on
    gray = to_gray(image)
    if words or ink_share(gray) >= MIN_INK_SHARE:
        try:
            again = rapid_words(gray, page, file=file)
        except OcrError as exc:  # the second engine failing leaves the first reading standing
            log.warning("%s", exc.message)
            return words
        if len(again) >= len(words) * RAPID_MIN_WORDS:
            return again
    return words


def reads_badly(words: list[Word]) -> bool:
    """Return True when Tesseract read a page's words but too few of them surely (a faint receipt).

    Measured on the real receipts and the generator's scans: see BAD_SURE_SHARE. A page with no
    words at all is judged by its ink instead (a blank frame is not read twice).
    """
    return bool(words) and _sure_share(words) < BAD_SURE_SHARE


def ink_share(gray: Image.Image) -> float:
    """Return the share of dark pixels (below mid-grey) of a page: about 0 for a blank one."""
    histogram = gray.histogram()
    return sum(histogram[:128]) / max(gray.width * gray.height, 1)


def _finish(gray: Image.Image, words: list[Word], page: int, lang: str, file: str) -> list[Word]:
    """Finish an upright page: Chinese laid over a bilingual one, sparse re-read of unsure words."""
    chinese = _chinese_words(gray, words, page, lang, file)
    return _sparse_if_unsure(gray, overlay(words, chinese), chinese, page, lang, file)


def _looks_bilingual(words: list[Word], lang: str) -> bool:
    """Return True when a page's English reading has the many unsure words of Chinese labels."""
    unsure = sum(w.conf < SURE_WORD_CONF for w in words)
    if unsure < CHINESE_RETRY_WORDS or unsure < CHINESE_RETRY_SHARE * len(words):
        return False
    return chinese_available(lang)


def _sparse_if_unsure(
    gray: Image.Image, words: list[Word], chinese: list[Word], page: int, lang: str, file: str
) -> list[Word]:
    """Return ``words`` with each unsure region replaced by its sparse reading when surer.

    ``chinese`` words are laid over the sparse reading too, as they replace garbage in either.
    """
    if not _needs_reread(words):
        return words
    regions = unsure_regions(words, gray.width, gray.height)
    for region, sparse in zip(regions, _read_regions(gray, regions, page, lang, file, _SPARSE), strict=True):
        old = [w for w in words if _inside(w, region)]
        new = overlay(sparse, [c for c in chinese if _inside(c, region)])
        # Nothing legible in the region: the first reading's unsure words there were ruling or
        # a dotted leader read as letters ("..........ceee"), which would stand between a
        # caption and its value.
        if _mean_conf(new) > _mean_conf(old) or not new and _sure_share(old) == 0.0:
            words = [w for w in words if not _inside(w, region)] + new
    return sorted(words, key=lambda w: (w.page, w.y0, w.x0))


def _needs_reread(words: list[Word]) -> bool:
    """Return True when a page has enough unsure words, or one doubtful word, to read again."""
    if not words:
        return False
    return 1.0 - _sure_share(words) >= SPARSE_RETRY_SHARE or min(w.conf for w in words) < DOUBTFUL


def _chinese_words(gray: Image.Image, words: list[Word], page: int, lang: str, file: str) -> list[Word]:
    """Return the Chinese words of a page that looks bilingual, read by ``chi_sim`` alone.

    Pages whose first reading is sure enough (English ones) cost nothing; otherwise the words
    with a Chinese character in them are kept, runs joined and full-width punctuation folded.
    Latin words the Chinese model read with a full-width comma ("PCSU8446468，") are not
    Chinese: the English reading of them stays.
    """
    if not _looks_bilingual(words, lang):
        return []
    joined = join_cjk(_recognize(gray, page, CHINESE, file), gray.width / gray.height)
    return [replace(w, text=unicodedata.normalize("NFKC", w.text))
            for w in joined if any(map(is_ideograph, w.text))]  # fmt: skip


def unsure_regions(words: list[Word], width: int, height: int) -> list[Box]:
    """Return the regions around a page's unsure words, grown to whole words and merged.

    Each unsure word's box is padded by ``_PAD_X`` / ``_PAD_Y`` of the page's median word height
    (not its own: a dotted leader read as "....ceee" is only a few pixels tall, and the caption
    word beside it may be the misread one), then grown until no word is cut by its edge (a word
    cut in two would be read as two garbled halves), and regions that touch are merged.
    Regions are page fractions, in reading order.
    """
    boxes = [_box(w) for w in words]
    if not boxes:
        return []
    line = statistics.median(b[3] - b[1] for b in boxes)
    regions = [_padded(b, line, width / height) for w, b in zip(words, boxes, strict=True)
               if w.conf < SURE_WORD_CONF]  # fmt: skip
    changed = True
    while changed:
        grown = [_grow(r, boxes) for r in regions]
        merged = _merge(grown)
        changed = merged != regions
        regions = merged
    return sorted(regions, key=lambda r: (r[1], r[0]))


def _box(word: Word) -> Box:
    return word.x0, word.y0, word.x1, word.y1


def _padded(box: Box, line: float, aspect: float) -> Box:
    dx, dy = _PAD_X * line / aspect, _PAD_Y * line
    return max(0.0, box[0] - dx), max(0.0, box[1] - dy), min(1.0, box[2] + dx), min(1.0, box[3] + dy)


def _touch(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _grow(region: Box, boxes: list[Box]) -> Box:
    """Return ``region`` widened to hold every word box it touches."""
    for box in boxes:
        if _touch(region, box):
            region = _union(region, box)
    return region


def _merge(regions: list[Box]) -> list[Box]:
    """Return the regions with each group of touching ones replaced by their union."""
    merged: list[Box] = []
    for region in regions:
        for i, other in enumerate(merged):
            if _touch(region, other):
                merged[i] = _union(region, other)
                break
        else:
            merged.append(region)
    return merged


def _inside(word: Word, region: Box) -> bool:
    """Return True when a word's centre lies in ``region``."""
    x, y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    return region[0] <= x <= region[2] and region[1] <= y <= region[3]


def _read_regions(
    gray: Image.Image, regions: list[Box], page: int, lang: str, file: str, config: str = ""
) -> list[list[Word]]:
    """Read ``regions`` of a page in one Tesseract pass; return each region's words (page fractions).

    The regions are cut out and stacked, left-aligned and ``_GAP_PX`` apart, into one image:
    one process start and model load for all of them. A word is given back to the region its
    centre falls in, and its box is moved from the stack to the page.
    """
    if not regions:
        return []
    crops = [_pixels(r, gray.width, gray.height) for r in regions]
    stack = Image.new("L", (max(c[2] - c[0] for c in crops) + 2 * _GAP_PX,
                            sum(c[3] - c[1] + _GAP_PX for c in crops) + _GAP_PX), 255)  # fmt: skip
    tops, top = [], _GAP_PX
    for crop in crops:
        stack.paste(gray.crop(crop), (_GAP_PX, top))
        tops.append(top)
        top += crop[3] - crop[1] + _GAP_PX
    out: list[list[Word]] = [[] for _ in regions]
    for word in _recognize(stack, page, lang, file, config):
        y = (word.y0 + word.y1) / 2 * stack.height
        for i, (crop, top) in enumerate(zip(crops, tops, strict=True)):
            if top <= y < top + crop[3] - crop[1]:
                out[i].append(_moved(word, stack, crop, top, gray))
                break
    return out


def _pixels(region: Box, width: int, height: int) -> Pixels:
    x0, y0, x1, y1 = region
    return round(x0 * width), round(y0 * height), round(x1 * width), round(y1 * height)


def _moved(word: Word, stack: Image.Image, crop: Pixels, top: int, page: Image.Image) -> Word:
    """Return a word read on the stacked image with its box on the page instead."""
    dx, dy = crop[0] - _GAP_PX, crop[1] - top
    x0, x1 = ((v * stack.width + dx) / page.width for v in (word.x0, word.x1))
    y0, y1 = ((v * stack.height + dy) / page.height for v in (word.y0, word.y1))
    return replace(word, x0=x0, y0=y0, x1=x1, y1=y1)


def _mean_conf(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


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
    import pytesseract

    gray.format = "BMP"
    try:
        osd = pytesseract.image_to_osd(gray, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell (a photo, a blank page): keep the page as it is
    return int(osd.get("rotate", 0)) % 360


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Return the Tesseract languages installed (asked once; empty when Tesseract is missing)."""
    import pytesseract

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
        log.warning(
            "Tesseract language %r is not installed (apt package tesseract-ocr-chi-sim): "
            "Chinese labels of bilingual scans are not read",
            CHINESE,
        )
        return False
    return True


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
