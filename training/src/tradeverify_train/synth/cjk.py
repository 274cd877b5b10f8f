"""Chinese text in rendered documents: an embedded CJK font and a canvas that switches to it.

Helvetica has no Chinese glyphs. Bilingual documents embed WenQuanYi Micro Hei (TrueType, from
the ``fonts-wqy-microhei`` package the set-up installs) so that the PDF carries its glyphs:
pdfplumber reads them through the font's ToUnicode map, and pdfium rasterizes them for the
scanned variants on any machine. Without that font, reportlab's built-in ``STSong-Light`` CID
font is used instead: it is not embedded, so text extraction still works but a scan of it only
shows glyphs where the rasterizing machine has a CJK font of its own.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

CJK_FONT_NAME = "WQYMicroHei"
FALLBACK_CID_FONT = "STSong-Light"
# Debian/Ubuntu paths of the TrueType CJK font (a .ttc whose first face is Micro Hei).
CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
# CJK Unified Ideographs (with extension A), CJK punctuation and full-width forms.
_CJK_RANGES = ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


def has_cjk(text: str) -> bool:
    """Return True when ``text`` contains a Chinese character or CJK punctuation."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK_RANGES)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the CJK font once and return its reportlab name (embedded TTF, else CID)."""
    for path in CJK_FONT_FILES:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=0))
            return CJK_FONT_NAME
    log.warning("no CJK TrueType font found (install fonts-wqy-microhei); using %s, not embedded",
                FALLBACK_CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


def font_for(text: str, font: str) -> str:
    """Return the font to draw ``text`` in: ``font``, or the CJK font when it has Chinese."""
    return cjk_font() if has_cjk(text) else font


def zh_date(day: date) -> str:
    """Format a date as Chinese documents print it, e.g. ``2025年3月12日``."""
    return f"{day.year}年{day.month}月{day.day}日"


class BilingualCanvas(Canvas):
    """A canvas that draws any string containing Chinese in the CJK font.

    Layout code sets Helvetica and draws labels and values as usual; a string with Chinese in it
    is drawn in the CJK font at the same size (its Latin part too, so it stays one run of text),
    and the current font is restored after it. English-only documents never touch the CJK font,
    so their bytes do not change.
    """

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        """Draw ``text`` left-aligned at ``(x, y)``."""
        self._in_cjk(text, super().drawString, x, y, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        """Draw ``text`` centred on ``x``."""
        self._in_cjk(text, super().drawCentredString, x, y, *args, **kwargs)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        """Draw ``text`` right-aligned at ``x``."""
        self._in_cjk(text, super().drawRightString, x, y, *args, **kwargs)

    def _in_cjk(self, text: str, draw: Any, x: float, y: float, *args: Any, **kwargs: Any) -> None:
        if not has_cjk(text):
            draw(x, y, text, *args, **kwargs)
            return
        name, size, leading = self._fontname, self._fontsize, self._leading
        self.setFont(cjk_font(), size)
        draw(x, y, text, *args, **kwargs)
        self.setFont(name, size, leading)
