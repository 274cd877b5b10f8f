"""Document type from the printed title and the field labels present."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from functools import cache

from tradeverify.domain import PageText, Word
from tradeverify.extract.doctype import DoctypeModel, predict
from tradeverify.extract.labels import token_eq
from tradeverify.extract.layout import Layout, build_layout
from tradeverify.extract.lines import fold_token
from tradeverify.extract.normalize import find_amounts, parse_date
from tradeverify.extract.vocab import read_only_titles, title_labels

UNKNOWN = "unknown"
# Fields whose labels identify a doc type (unit and line_items have no label of their own).
TYPE_FIELDS: dict[str, frozenset[str]] = {
    "sales_contract": frozenset(
        "contract_number contract_date seller_name buyer_name goods_description hs_code quantity "
        "unit_price currency total_amount incoterms port_of_loading port_of_discharge "
        "latest_shipment_date payment_terms".split()
    ),
    "commercial_invoice": frozenset(
        "invoice_number invoice_date seller_name buyer_name contract_number currency total_amount "
        "incoterms port_of_loading port_of_discharge vessel_name bl_number goods_description "
        "hs_code quantity unit_price".split()
    ),
    "bill_of_lading": frozenset(
        "bl_number shipper_name consignee_name notify_party carrier_name vessel_name imo_number "
        "voyage_number port_of_loading port_of_discharge shipped_on_board_date issue_date "
        "container_numbers number_of_packages gross_weight_kg goods_description hs_code".split()
    ),
    "packing_list": frozenset(
        "invoice_number number_of_packages gross_weight_kg net_weight_kg container_numbers".split()
    ),
}
# Without a title, this many distinct labels and this fit are needed to name a type at all.
MIN_LABELS = 3
MIN_FIT = 0.3
# Titles that make a contract the purchase leg (the English and the Chinese one, labels.zh.yaml).
_PURCHASE_TITLES = ("purchase contract", "采购合同")


def _as_layout(pages: Sequence[PageText] | Layout) -> Layout:
    return pages if isinstance(pages, Layout) else build_layout(pages)


# A title that only starts its segment ("Invoice INV/2023/03/0008") is read in the top part of
# the first page (a page fraction), on a segment of at most TITLE_WORDS words.
TITLE_ZONE = 0.4
TITLE_WORDS = 6


@cache
def title_index() -> dict[tuple[str, ...], tuple[str, str]]:
    """Return folded title tokens -> ``(doc_type, title)``, printed and read-only titles."""
    index: dict[tuple[str, ...], tuple[str, str]] = {}
    for titles in (title_labels(), read_only_titles()):
        for doc_type, variants in titles.items():
            for title in variants:
                index.setdefault(tuple(fold_token(t) for t in title.split()), (doc_type, title))
    return index


@cache
def squashed_titles() -> dict[str, tuple[str, str]]:
    """Return titles with their spaces removed ("packinglist") -> ``(doc_type, title)``."""
    return {"".join(tokens): title for tokens, title in title_index().items()}


# A title printed letter-spaced ("P A C K I N G  L I S T") is this many one-letter words or more.
SPACED_LETTERS = 4


def spaced_title(words: Sequence[Word]) -> tuple[str, str] | None:
    """Return ``(doc_type, title)`` when a line spells a title one letter per word."""
    if len(words) < SPACED_LETTERS or any(len(w.text) != 1 or not w.text.isalpha() for w in words):
        return None
    return squashed_titles().get("".join(w.text.lower() for w in words))


def _misread_title(segment: Sequence[Word]) -> tuple[str, str] | None:
    """Return the title an OCR segment spells with a misread letter ("PACKING LIstT"), or None."""
    if all(w.conf >= 1.0 for w in segment):
        return None  # a text layer spells its title exactly
    return next((title for tokens, title in title_index().items() if len(tokens) == len(segment)
                 and all(token_eq(w, t) for w, t in zip(segment, tokens, strict=True))), None)


_CJK_TITLE = re.compile(r"[\u3400-\u9fff（）()]+")


def _compound_title(segment: Sequence[Word]) -> tuple[str, str] | None:
    """Return the title a Chinese compound ends with ("电子发票（增值税专用发票）" -> 发票).

    A Chinese title qualifies its head noun from the front (电子 electronic, 增值税 VAT), and a
    bracket adds a kind; the head noun before the bracket names the type.
    """
    if len(segment) != 1 or not _CJK_TITLE.fullmatch(segment[0].text):
        return None
    head = re.split(r"[（(]", segment[0].text, maxsplit=1)[0]
    heads = sorted((t for t in squashed_titles() if _CJK_TITLE.fullmatch(t)), key=len, reverse=True)
    return next((squashed_titles()[t] for t in heads if head.endswith(t)), None)


def find_titles(layout: Layout) -> list[tuple[str, str, float]]:
    """Return ``(doc_type, title, height)`` for every title segment of the first page.

    A segment that is exactly a title counts anywhere on the page; one that starts with a
    title ("Invoice INV/2023/03/0008", "TAX INVOICE No. 88") in the title zone, unless a field
    caption starts there ("Invoice Date:", "Contract No." are captions, not titles).
    """
    index = title_index()
    longest = max(map(len, index))
    caption_starts = {(h.line, h.start) for h in layout.hits}
    found = []
    first_page = layout.lines[0].page if layout.lines else 1
    for number, line in enumerate(layout.lines):
        if line.page != first_page:
            break  # the title is on the first page; later pages quote other documents
        spaced = spaced_title(line.words)
        if spaced is not None:
            found.append((*spaced, max(w.y1 - w.y0 for w in line.words)))
            continue
        start = 0
        for segment in line.segments():
            key = tuple(fold_token(w.text) for w in segment)
            title = index.get(key) or _misread_title(segment)
            if title is None and line.y0 < TITLE_ZONE:
                title = _compound_title(segment)
            if title is None and line.y0 < TITLE_ZONE and len(key) <= TITLE_WORDS \
                    and (number, start) not in caption_starts:
                title = next((index[key[:n]] for n in range(min(longest, len(key) - 1), 0, -1)
                              if key[:n] in index), None)
            if title is not None:
                found.append((*title, max(w.y1 - w.y0 for w in segment)))
            start += len(segment)
    return found


def label_fit(layout: Layout) -> dict[str, float]:
    """Return, per doc type, how well the distinct field labels found fit it (0-1).

    Precision (labels that belong to the type) times a saturating count: a partial page with
    four B/L-only labels is a B/L, and a packing list's five fields are all a packing list has.
    """
    present = {hit.field for hit in layout.hits if not hit.field.startswith("_")}
    fit = {}
    for doc_type, fields in TYPE_FIELDS.items():
        common = len(present & fields)
        fit[doc_type] = (common / len(present)) * (common / (common + 2)) if present else 0.0
    return fit


# The learned classifier names a page's type when neither a title nor enough captions do, at
# this probability or more; and it overrules a known title printed no larger than the body text
# (a caption such as "INVOICE" over a reference box) at MODEL_OVERRULE or more.
MODEL_FLOOR = 0.5
MODEL_OVERRULE = 0.9
# A title at least this many times the body's median word height is the page's heading.
HEADING_SCALE = 1.2


def classify(pages: Sequence[PageText] | Layout, model: DoctypeModel | None = None) -> tuple[str, float]:
    """Return ``(doc_type, confidence)``; ``("unknown", 0.0)`` when nothing names a type.

    A printed title decides first, then the field captions found, then the learned ``model``
    (when given), then an invoice-like page (a total and a date) is read as an invoice.
    """
    layout = _as_layout(pages)
    fit = label_fit(layout)
    titles = find_titles(layout)
    learned = predict(model, layout) if model is not None else None
    if titles:
        # The largest title wins: a letterhead may quote "INVOICE" in small print.
        doc_type, _title, height = max(titles, key=lambda t: t[2])
        if learned is not None and learned[0] != doc_type and learned[1] >= MODEL_OVERRULE \
                and height < HEADING_SCALE * body_height(layout):
            return learned[0], round(0.6 * learned[1], 3)
        return doc_type, round(0.6 + 0.4 * fit[doc_type], 3)
    invoice = invoice_like(layout)
    # On a tie an invoice-like page (a total beside an amount, a date) is the invoice.
    best = max(fit, key=lambda k: (fit[k], invoice and k == "commercial_invoice"))
    fields = {h.field for h in layout.hits if not h.field.startswith("_")}
    if len(fields) >= MIN_LABELS and fit[best] >= MIN_FIT:
        return best, round(0.5 * fit[best], 3)
    if learned is not None and learned[1] >= MODEL_FLOOR:
        return learned[0], round(0.6 * learned[1], 3)
    if invoice:
        return "commercial_invoice", INVOICE_LIKE_CONFIDENCE
    return UNKNOWN, 0.0


def body_height(layout: Layout) -> float:
    """Return the median word height of the first page: the size of its body text."""
    first_page = layout.lines[0].page if layout.lines else 1
    heights = [w.y1 - w.y0 for line in layout.lines if line.page == first_page for w in line.words]
    return statistics.median(heights) if heights else 0.0


# A page with no title and few captions that prints a total beside an amount and a date is
# an invoice of some kind (a receipt, a till slip): it is read as one, at this confidence.
INVOICE_LIKE_CONFIDENCE = 0.3
_TOTAL_WORD = re.compile(r"\b(?:grand\s+)?total\b|\bamount\s+(?:due|paid|payable)\b|\bbalance\s+due\b"
                         r"|\bnett?\s+(?:amt|amount)\b",
                         re.IGNORECASE)


def invoice_like(layout: Layout) -> bool:
    """Return True when some line prints a total with an amount and the page has a date."""
    texts = [" ".join(w.text for w in line.words) for line in layout.lines]
    totals = any(_TOTAL_WORD.search(t) and find_amounts(t) for t in texts)
    return totals and any(parse_date(t).ok for t in texts)


def contract_role(pages: Sequence[PageText] | Layout) -> str | None:
    """Guess a contract's role from its title: "purchase" or "sale" (None without a title)."""
    titles = [t for t in find_titles(_as_layout(pages)) if t[0] == "sales_contract"]
    if not titles:
        return None
    title = max(titles, key=lambda t: t[2])[1].lower()
    return "purchase" if title in _PURCHASE_TITLES else "sale"
