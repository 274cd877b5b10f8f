"""Chinese text in OCR readings.

Tesseract's single Chinese characters are joined into runs, and a Chinese reading is laid over
the garbled words the English model made of the same labels.
"""

from __future__ import annotations

from dataclasses import replace

from tradeverify.domain import Word

# The share of words read with at least this confidence is how sure a reading is (ocr.py).
SURE_WORD_CONF = 0.6
# Chinese characters of one run are at most this many character heights apart.
CJK_JOIN_GAP = 1.0
# A Chinese word read below this confidence is left out: an unreadable label is better absent
# than standing before the English label beside it. Measured on 16 bilingual scans: 1 in 10
# Chinese words read below 0.1 was right, 2 in 3 at 0.1-0.3, 9 in 10 above 0.7.
MIN_CHINESE_CONF = 0.1
_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_CJK_RANGES = ((0x3000, 0x303F), *_IDEOGRAPHS, (0xFF00, 0xFFEF))
_LABEL_PUNCT = frozenset({":", ";", "：", "；", "#"})


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
    added = [
        _with_colon(c, cleared)
        for c in chinese
        if _strong(c) or (c.conf >= MIN_CHINESE_CONF and not any(_overlap(c, w) for w in kept))
    ]
    return sorted([*kept, *added], key=lambda w: (w.page, w.y0, w.x0))


def _strong(word: Word) -> bool:
    """Return True for a Chinese word read surely enough to replace English words under it."""
    return word.conf >= MIN_CHINESE_CONF and sum(map(is_ideograph, word.text)) >= 2


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


def is_cjk(char: str) -> bool:
    """Return True for a Chinese character or CJK punctuation / full-width form."""
    return any(lo <= ord(char) <= hi for lo, hi in _CJK_RANGES)


def is_ideograph(char: str) -> bool:
    """Return True for a Chinese character (not punctuation or a full-width Latin form)."""
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


# A Latin run this long glued to Chinese characters is a word of its own ("发票号Invoice"): a text
# layer may print a bilingual caption without a space. Shorter runs stay ("HS编码", "IMO编号").
MIN_LATIN_RUN = 4


def split_scripts(word: Word) -> list[Word]:
    """Split a text-layer word where Chinese characters meet a Latin word ("收货人Consignee:").

    The box is shared out by advance width (an ideograph is about two Latin characters wide).
    """
    runs: list[str] = []
    for char in word.text:
        if runs and is_ideograph(char) == is_ideograph(runs[-1][-1]):
            runs[-1] += char
        elif runs and not char.isalnum() and not is_ideograph(char):
            runs[-1] += char  # punctuation stays with the run before it ("Invoice No.:")
        else:
            runs.append(char)
    latin = [r for r in runs if not is_ideograph(r[0])]
    if len(runs) < 2 or not any(sum(c.isalpha() for c in r) >= MIN_LATIN_RUN for r in latin):
        return [word]
    widths = [sum(2 if is_ideograph(c) else 1 for c in r) for r in runs]
    unit = (word.x1 - word.x0) / sum(widths)
    out, x = [], word.x0
    for run, width in zip(runs, widths, strict=True):
        out.append(Word(run, x, word.y0, x + width * unit, word.y1, word.page, word.conf))
        x += width * unit
    return out
