"""NER fallback: parties and goods a document prints without a label the vocabulary knows.

Labels are the primary source of every field. Only when a party field or the goods description
has no labelled value does the packaged NER model (:mod:`tradeverify.nlp.entities`) get asked, so
documents whose labels are all known never pay for spaCy. What it finds is a guess: its
confidence stays below ``Settings.review_confidence`` and it therefore shows up in review hints.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout, wrapped_lines
from tradeverify.extract.lines import Line, fold_token
from tradeverify.extract.tables import TABLE_HEADERS, caption_tokens
from tradeverify.extract.vocab import all_titles

log = logging.getLogger(__name__)

PARTY_FIELDS = ("seller_name", "buyer_name", "shipper_name", "consignee_name", "notify_party")
GOODS_FIELD = "goods_description"
# Confidence of a value the model found without a label: below the review threshold (0.6).
NER_CONFIDENCE = 0.5

# The party that issues a document type: its name heads the page as a letterhead (a B/L is
# the carrier's form).
ISSUER_FIELD = {"commercial_invoice": "seller_name", "bill_of_lading": "carrier_name"}

# (field, normalized value, words) of one guess.
Guess = tuple[str, nz.Norm, tuple[Word, ...]]
EntityFinder = Callable[[Sequence[Any]], list[Any]]


def wanted_fields(names: Sequence[str], found: set[str]) -> list[str]:
    """Return the party and goods fields of a document type that labels did not fill."""
    return [n for n in names if n in (*PARTY_FIELDS, GOODS_FIELD) and n not in found]


def ner_guesses(layout: Layout, wanted: Sequence[str], used: set[int], taken: set[str]) -> list[Guess]:
    """Return NER guesses for the ``wanted`` fields, in the order the fields are listed.

    Parties are PARTY entities followed by an ADDRESS (a company block), in reading order, and
    go to the wanted party fields in their canonical order (seller before buyer, shipper before
    consignee before notify party, the order documents print them in). ``used`` holds the ids
    of words already read as a field and ``taken`` the values already read, so a labelled party
    is not handed out twice. Goods are the first GOODS entity outside the items table.
    """
    entities = _entities(layout)
    if not entities:
        return []
    blocks = [
        (e.entity.text, e.words) for i, e in enumerate(entities)
        if e.entity.label == "PARTY" and _address_follows(entities, i) and e.words
        and not any(id(w) in used for w in e.words) and nz.clean_text(e.entity.text) not in taken
    ]  # fmt: skip
    blocks = list({text: (text, words) for text, words in reversed(blocks)}.values())[::-1]
    guesses: list[Guess] = []
    parties = iter(blocks)
    for name in wanted:
        if name == GOODS_FIELD:
            goods = _goods(layout, entities, used)
            if goods is not None:
                guesses.append((name, nz.parse_text(goods[0]), goods[1]))
        elif (block := next(parties, None)) is not None:
            guesses.append((name, nz.parse_party(block[0]), block[1]))
    return [g for g in guesses if g[1].ok]


def _entities(layout: Layout) -> list[Any]:
    """Return the model's entities on the document's lines; none when the model is missing."""
    from tradeverify.nlp import entities  # spaCy loads here, only when a fallback is needed

    try:
        return [e for e in entities.find_line_entities(layout.lines) if e.entity.source == "model"]
    except entities.NerModelError as exc:
        log.warning("NER fallback skipped: %s", exc)
        return []


def _address_follows(entities: Sequence[Any], index: int) -> bool:
    """Return True when the entity after ``index`` (in text order) is an ADDRESS."""
    return index + 1 < len(entities) and entities[index + 1].entity.label == "ADDRESS"


def _goods(layout: Layout, entities: Sequence[Any], used: set[int]) -> tuple[str, tuple[Word, ...]] | None:
    """Return the first GOODS entity that lies outside the items table and running text."""
    skip = set(layout.table.lines) if layout.table else set()
    skip |= layout.prose
    outside = {id(w) for i, line in enumerate(layout.lines) if i not in skip for w in line.words}
    for ent in entities:
        free = all(id(w) in outside and id(w) not in used for w in ent.words)
        if ent.entity.label == "GOODS" and ent.words and free and _names_goods(ent.entity.text):
            rows = itertools.takewhile(lambda r: not any(id(w) in used for w in r),
                                       wrapped_lines(layout, ent.words))
            rest = [w for row in rows for w in row]
            return " ".join([ent.entity.text, *(w.text for w in rest)]), (*ent.words, *rest)
    return None


def _names_goods(text: str) -> bool:
    """Return True when a GOODS entity can name goods: words of letters, neither a caption nor a phone.

    On a till receipt the model also tags "GRAND TOTAL", "Item", "6,00" or "Tel:07-8263254".
    """
    if ":" in text or not re.search(r"[^\W\d_]{3,}", text):
        return False
    tokens = tuple(fold_token(word) for word in text.split())
    return tokens not in _caption_tokens()


@cache
def _caption_tokens() -> frozenset[tuple[str, ...]]:
    """Return the folded tokens of every field caption and items-table column name."""
    return caption_tokens() | {names for variants in TABLE_HEADERS.values() for names in variants}


def letterhead_issuer(layout: Layout) -> tuple[nz.Norm, tuple[Word, ...]] | None:
    """Return the company name heading the first page, above the first label, if there is one.

    An invoice is issued by the seller, whose letterhead heads it; a segment there whose last
    word is a legal form ("S.R.L.", "Ltd.") is that name. Nothing is guessed from a page that
    opens with labels.
    """
    first_label = min((h.line for h in layout.hits), default=len(layout.lines))
    for index, line in enumerate(layout.lines[:first_label]):
        if line.page != layout.lines[0].page:
            break
        for segment in (part for seg in line.segments() for part in _parts(seg)):
            named = len(segment) >= 2 or nz.is_cjk_company(segment[0].text)
            if named and nz.is_legal_form(segment[-1].text):
                segment = _wrapped_above(layout.lines, index, segment) + segment
                text = " ".join(w.text for w in segment)
                return nz.parse_party(text), segment
    return None


# Words that separate the parts of a one-line sender or registration line
# ("Feldberg Präzisionsteile GmbH · Industriestraße 14 · 78112 St. Georgen").
SEPARATORS = frozenset({"·", "|", "•", "–", "—"})
# The footer: the bottom of the page, where a registration line names the issuer.
FOOTER_ZONE = 0.8
FOOTER_NAME_WORDS = 8


def _parts(segment: tuple[Word, ...]) -> list[tuple[Word, ...]]:
    """Split a segment at separator words; the separators are dropped."""
    parts: list[list[Word]] = [[]]
    for word in segment:
        if word.text in SEPARATORS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [tuple(p) for p in parts if p]


def footer_issuer(layout: Layout) -> tuple[nz.Norm, tuple[Word, ...]] | None:
    """Return the company a footer's registration line names first ("X B.V. · Zandweg 41 · KvK ...").

    Only a line of several separated parts counts, so a sentence in the footer ("goods remain
    the property of X GmbH") names nobody.
    """
    first_page = layout.lines[0].page if layout.lines else 1
    for line in layout.lines:
        if line.page != first_page or line.y0 < FOOTER_ZONE:
            continue
        parts = _parts(line.words)
        if len(parts) < 2:
            continue
        for part in parts:
            if 2 <= len(part) <= FOOTER_NAME_WORDS and nz.is_legal_form(part[-1].text):
                return nz.parse_party(" ".join(w.text for w in part)), part
    return None


# A name wrapped over two letterhead lines: the line above starts it when it is one segment
# centred or aligned with the rest (within this page fraction), in the same case, with no
# digits or colon ("LIAN CHI PU TIAN VEGETARIAN" over "RESTAURANT SDN BHD").
WRAP_ALIGN = 0.03


@cache
def _titles() -> frozenset[str]:
    return frozenset(t.lower() for t in all_titles())


def _same_size(a: Sequence[Word], b: Sequence[Word]) -> bool:
    """Return True when two runs of words are printed at about one size (a title is larger)."""
    ha, hb = max(w.y1 - w.y0 for w in a), max(w.y1 - w.y0 for w in b)
    return min(ha, hb) >= 0.7 * max(ha, hb)


def _wrapped_above(lines: Sequence[Line], index: int, segment: tuple[Word, ...]) -> tuple[Word, ...]:
    """Return the words of the line above that begin the name ``segment`` ends, or ()."""
    if index == 0 or len(lines[index].segments()) != 1:
        return ()
    above = lines[index - 1]
    text = " ".join(w.text for w in above.words)
    if above.page != lines[index].page or len(above.segments()) != 1 or any(c.isdigit() for c in text) \
            or ":" in text or text.isupper() != " ".join(w.text for w in segment).isupper() \
            or text.lower() in _titles() or not _same_size(above.words, segment):
        return ()
    centred = abs((above.x0 + above.words[-1].x1) - (segment[0].x0 + segment[-1].x1)) / 2 <= WRAP_ALIGN
    return above.words if centred or abs(above.x0 - segment[0].x0) <= WRAP_ALIGN else ()
