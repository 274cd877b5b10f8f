"""NER fallback: parties and goods a document prints without a label the vocabulary knows.

Labels are the primary source of every field. Only when a party field or the goods description
has no labelled value does the packaged NER model (:mod:`tradeverify.nlp.entities`) get asked, so
documents whose labels are all known never pay for spaCy. What it finds is a guess: its
confidence stays below ``Settings.review_confidence`` and it therefore shows up in review hints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout

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
        if ent.entity.label == "GOODS" and ent.words and free:
            return ent.entity.text, ent.words
    return None


def letterhead_issuer(layout: Layout) -> tuple[nz.Norm, tuple[Word, ...]] | None:
    """Return the company name heading the first page, above the first label, if there is one.

    An invoice is issued by the seller, whose letterhead heads it; a segment there whose last
    word is a legal form ("S.R.L.", "Ltd.") is that name. Nothing is guessed from a page that
    opens with labels.
    """
    first_label = min((h.line for h in layout.hits), default=len(layout.lines))
    for line in layout.lines[:first_label]:
        if line.page != layout.lines[0].page:
            break
        for segment in line.segments():
            if len(segment) >= 2 and nz.is_legal_form(segment[-1].text):
                text = " ".join(w.text for w in segment)
                return nz.parse_party(text), segment
    return None
