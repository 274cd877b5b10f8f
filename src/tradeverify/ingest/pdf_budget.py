"""Refuse a PDF page that would cost minutes or gigabytes, before pdfminer or pdfium lay it out.

Three hostile shapes cost little to make and a lot to read: a content stream that inflates a
thousandfold, a page of millions of text operators, and Form XObjects that each draw the next
one several times (8 ** 12 draws from 6 KB). Each page's content and forms are inflated here
with a ceiling, their shown characters bounded from above (bytes of string operands), and the
number of form draws the page expands to counted over the form graph (memoized, so the count
itself stays cheap). Anything over its limit raises :class:`DocumentTooComplexError`.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from pdfminer.pdftypes import PDFStream, resolve1

from tradeverify.config import Settings
from tradeverify.errors import DocumentTooComplexError

MAX_FORM_DEPTH = 12
_FLATE = {"FlateDecode", "Fl"}
# Upper bounds of shown characters: every byte of a literal string, half the digits of a hex one.
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")
_DO = re.compile(rb"/[^\s/\[\]()<>{}%]+\s+Do\b")


class _Page:
    """The budget check of one page."""

    def __init__(self, path: Path, number: int, settings: Settings) -> None:
        self.path, self.number, self.settings = path, number, settings
        self.stream_limit = settings.max_stream_mb * 1024 * 1024
        self.expansion: dict[int, int] = {}

    def fail(self, what: str) -> DocumentTooComplexError:
        return DocumentTooComplexError(f"{self.path.name}: page {self.number} {what}", file=str(self.path))

    def data(self, stream: Any) -> bytes:
        """Return a stream's decoded bytes, refusing one that inflates past the limit."""
        stream = resolve1(stream)
        if not isinstance(stream, PDFStream):
            return b""
        filters = [getattr(f, "name", str(f)) for f, _params in stream.get_filters()]
        if not filters:
            return bytes(stream.rawdata or b"")
        if set(filters) <= _FLATE and len(filters) == 1:
            inflater = zlib.decompressobj()
            try:
                out = inflater.decompress(stream.rawdata or b"", self.stream_limit + 1)
            except zlib.error:
                return b""  # damaged: pdfminer reports it when it reads the page
            if len(out) > self.stream_limit:
                raise self.fail(f"has a stream that inflates past {self.settings.max_stream_mb} MB")
            return out
        return b""  # other filter chains: left to the worker's memory budget

    def draws(self, data: bytes, resources: Any, depth: int) -> int:
        """Return the form draws ``data`` expands to with these resources (1 for itself)."""
        calls = len(_DO.findall(data))
        forms = [x for x in (resolve1(v) for v in (resolve1(resolve1(resources) or {}).get("XObject")
                                                     or {}).values()) if _is_form(x)] if calls else []
        if not forms:
            return 1
        if depth >= MAX_FORM_DEPTH:
            raise self.fail(f"nests forms deeper than {MAX_FORM_DEPTH} levels")
        return 1 + calls * max(self.form_draws(form, depth + 1) for form in forms)

    def form_draws(self, form: PDFStream, depth: int) -> int:
        key = id(form)
        if key not in self.expansion:
            self.expansion[key] = 1  # a form that draws itself counts once, not forever
            count = self.draws(self.data(form), form.attrs.get("Resources"), depth)
            if count > self.settings.max_form_draws:
                raise self.fail(f"expands to more than {self.settings.max_form_draws:,} form draws")
            self.expansion[key] = count
        return self.expansion[key]


def _is_form(obj: Any) -> bool:
    return isinstance(obj, PDFStream) and getattr(resolve1(obj.attrs.get("Subtype")), "name", "") == "Form"


def shown_chars_bound(data: bytes) -> int:
    """Return an upper bound of the characters a content stream shows."""
    literal = sum(len(m) - 2 for m in _LITERAL.findall(data))
    hexed = sum(len(m) - 2 for m in _HEX.findall(data)) // 2
    return literal + hexed


def check_page(path: Path, number: int, page_obj: Any, settings: Settings) -> None:
    """Raise DocumentTooComplexError when one pdfminer page is over any of its budgets."""
    check = _Page(path, number, settings)
    contents = resolve1(page_obj.attrs.get("Contents"))
    data = b"\n".join(check.data(s) for s in (contents if isinstance(contents, list) else [contents]))
    chars = shown_chars_bound(data)
    if chars > settings.max_chars_per_page:
        raise check.fail(f"shows up to {chars:,} characters, above the limit of "
                         f"{settings.max_chars_per_page:,}")
    draws = check.draws(data, page_obj.resources, 0)
    if draws > settings.max_form_draws:
        raise check.fail(f"expands to {draws:,} form draws, above the limit of "
                         f"{settings.max_form_draws:,}")
