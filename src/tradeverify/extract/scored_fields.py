"""Fields no known caption gave, filled from the learned field scorer's choices (``ranker.py``).

Which fields the scorer may read per document type, the checks on its choices, the fields every
document of a type prints, and the OCR repair of a choice read from a scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tradeverify.domain import CANONICAL_FIELDS
from tradeverify.extract import items as items_
from tradeverify.extract import normalize as nz
from tradeverify.extract import ranker as rk
from tradeverify.extract.field_parsers import OCR_REPAIRS, Parser, parser_for
from tradeverify.extract.layout import Layout
from tradeverify.extract.linear import LinearModel
from tradeverify.extract.normalize import Norm
from tradeverify.extract.ports import names_a_place
from tradeverify.extract.reading import Reading, text_of

# A field the scorer chooses needs this probability; its confidence is the probability times
# RANK_FACTOR, so an unsure choice still goes to the review hints.
RANK_FLOOR = 0.5
# Before the other fallbacks, the scorer's sure choices are taken (SURE_RANK) except for the
# total, whose own reader weighs all the page's total lines at once (subtotal, tax, total).
SURE_RANK = 0.9
READ_AS_A_WHOLE = frozenset({"total_amount"})
RANK_FACTOR = 0.85
SINGLE_GOOD_FIELDS = frozenset(items_.SINGLE_GOOD)


# Free-text fields a caption may give as any text, but an uncaptioned candidate only when its
# text is of the field's kind.
RANKED_TYPES: dict[str, Parser] = {"payment_terms": nz.parse_payment_terms}
# A B/L number no caption names must look like one: 8 characters or more of letters and digits
# with at most "-" and "/" between ("SMLMOB2509117", "NGC-BUN-25-4410"). A till's receipt number,
# an account code ("HOL01"), a telephone or an address line OCR ran together is none.
MIN_BL_CHARS = 8
_BL_SHAPE = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9][A-Za-z0-9/-]+")


def _shaped_like_bl_number(norm: Norm) -> bool:
    """Accept a B/L number of the shape above."""
    value = str(norm.value or "")
    return bool(_BL_SHAPE.fullmatch(value)) and sum(c.isalnum() for c in value) >= MIN_BL_CHARS


def _not_a_place(norm: Norm) -> bool:
    """Refuse a country or a port as a vessel no caption names ("Country of Origin: United States")."""
    return not names_a_place(str(norm.value or ""))


# Checks on the value of a field the scorer chose (after scoring, so its features stay as trained).
RANKED_CHECKS: dict[str, Callable[[Norm], bool]] = {
    "bl_number": _shaped_like_bl_number, "vessel_name": _not_a_place,
}


# Fields every document of its type prints (a B/L names its carrier, shipper, consignee, ports
# and vessel; an invoice its number, date, parties and total): the scorer's likeliest
# candidate for one may be taken below its floor when it stands out on the page.
REQUIRED: dict[str, frozenset[str]] = {
    "bill_of_lading": frozenset({"bl_number", "carrier_name", "shipper_name", "consignee_name",
                                 "port_of_loading", "port_of_discharge", "vessel_name"}),
    "commercial_invoice": frozenset({"invoice_number", "invoice_date", "seller_name", "buyer_name",
                                     "total_amount"}),
    "sales_contract": frozenset({"contract_number", "contract_date", "seller_name", "buyer_name",
                                 "total_amount"}),
}


def ranked_parsers(doc_type: str, numbers: nz.NumberStyle) -> dict[str, Parser]:
    """Return the parsers of the fields the scorer may read on ``doc_type`` (training uses it too)."""
    fields = [n for n in rk.RANKED_FIELDS if n in CANONICAL_FIELDS.get(doc_type, ())]
    return {n: RANKED_TYPES.get(n) or parser_for(n, numbers) for n in fields}


def ranked_fallbacks(
    layout: Layout, doc_type: str, readings: dict[str, Reading], numbers: nz.NumberStyle,
    ranker: LinearModel, floor: float,
) -> None:
    """Fill the fields still unread from the learned field scorer's candidates of ``floor`` or more."""
    parsers = ranked_parsers(doc_type, numbers)
    names = list(parsers)
    # An invoice of several goods has no one quantity, price or HS code: its items table
    # carries them, and a figure of an item line is no header field.
    unranked = SINGLE_GOOD_FIELDS if doc_type == "commercial_invoice" else frozenset()
    if floor >= SURE_RANK:
        unranked = unranked | READ_AS_A_WHOLE
    wanted = [n for n in names if n not in readings and n not in unranked]
    if not wanted:
        return
    taken = {id(w) for r in readings.values() for w in r.words}
    given = {name: reading.norm.value for name, reading in readings.items()}
    # The sure pass scores each candidate alone: conditioning on other fields would lift
    # near-sure scores over its floor ("RED GLOBE 8.2 KG" from 0.90 as a gross weight).
    unsure = floor < SURE_RANK
    ranked = rk.rank_fields(layout, doc_type, wanted, parsers, ranker, floor, taken, RANKED_CHECKS, given,
                            exclusive=unsure, required=REQUIRED.get(doc_type, frozenset()) if unsure
                            else frozenset())
    for name, top in ranked.items():
        reason = f"no known caption: chosen by the field scorer (p={top.probability:.2f})"
        note = Norm(_repaired(name, top, parsers[name]).value, True, reason)
        readings[name] = Reading(note, text_of(top.words), top.words, False, 0, RANK_FACTOR * top.probability)


def _repaired(name: str, top: rk.Ranked, parser: Parser) -> Norm:
    """Return the scorer's choice read again through its field's OCR repair when OCR read it.

    The repair comes after scoring, so the candidate's features stay as in training: "O66N" is
    scored as printed and kept as voyage "066N"; "UC at sight" becomes "L/C at sight".
    """
    repair = OCR_REPAIRS.get(name)
    if repair is None or all(w.conf >= 1.0 for w in top.words):
        return top.norm
    again = parser(repair(text_of(top.words)))
    return again if again.ok and again.value not in (None, [], "") else top.norm
