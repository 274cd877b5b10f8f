"""Canonical fields of each document type, read from the layout and normalized."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from tradeverify.domain import CANONICAL_FIELDS, ExtractedField, PageText
from tradeverify.extract import candidates as cand
from tradeverify.extract import clauses, fallback, money, party_fill, receipts
from tradeverify.extract import items as items_
from tradeverify.extract import normalize as nz
from tradeverify.extract import scored_fields as scored
from tradeverify.extract.classify import title_index
from tradeverify.extract.field_parsers import OCR_REPAIRS, PARSERS, PORT_FIELDS, parser_for
from tradeverify.extract.labels import GENERIC_DATE
from tradeverify.extract.layout import FIGURE_COLUMNS, Layout, Value, build_layout, wrapped_lines
from tradeverify.extract.linear import LinearModel
from tradeverify.extract.normalize import Norm
from tradeverify.extract.ports import resolve_port
from tradeverify.extract.reading import PATTERN_FACTOR, Reading, text_of, to_field

# Fields whose value may wrap onto following lines; names never do (the address follows them).
MULTILINE = frozenset({"goods_description", "container_numbers", "payment_terms"})
# Multi-line text that ends at its first deliberate line break (the goods, not their specification).
WRAPPED = frozenset({"goods_description"})
# List fields whose every labelled occurrence contributes (a long list continues on a new page).
MERGED = frozenset({"container_numbers"})


# Fields whose column may close with a TOTAL row (per-container rows of a packing list).
TOTALLED = frozenset({"number_of_packages", "gross_weight_kg", "net_weight_kg"})
WEIGHTS = frozenset({"gross_weight_kg", "net_weight_kg"})
GOODS = "goods_description"




def read_field(layout: Layout, name: str, numbers: nz.NumberStyle = nz.PLAIN_NUMBERS) -> Reading | None:
    """Return the best reading of a labelled field, or None when no label has a usable value."""
    parser = parser_for(name, numbers)
    candidates = []
    repair = OCR_REPAIRS.get(name)
    found = layout.candidates(name, multiline=name in MULTILINE, totals=name in TOTALLED,
                              wrapped=name in WRAPPED)
    for values in found:
        # Beside the label first; below it only when the words beside it do not read as a value.
        for value in values:
            ocr = any(w.conf < 1.0 for w in value.words)
            norm = parser(_with_unit(name, value, repair(value.text) if repair and ocr else value.text))
            if norm.value is not None and norm.value != []:
                candidates.append(_reading(name, norm, value))
                break
    if not candidates:
        return None
    if name in MERGED:
        return _merge(candidates)
    # max() keeps the first of equals, so reading order breaks ties.
    return max(candidates, key=Reading.rank)


def _with_unit(name: str, value: Value, text: str) -> str:
    """Append the unit a weight caption names ("Gross Weight (Metric Tons)") to a bare figure."""
    if name in WEIGHTS and value.hit.note and not nz.parse_unit(text).ok:
        return f"{text} {value.hit.note}"
    return text


def _merge(candidates: list[Reading]) -> Reading:
    """Join list readings (containers continued under a repeated label), without repeats."""
    values = list(dict.fromkeys(v for c in candidates for v in c.norm.value))
    reasons = [c.norm.reason for c in candidates if c.norm.reason]
    norm = Norm(values, all(c.norm.ok for c in candidates), "; ".join(reasons) or None)
    words = tuple(w for c in candidates for w in c.words)
    return Reading(norm, " ".join(c.raw for c in candidates), words)


def _reading(name: str, norm: Norm, value: Value) -> Reading:
    # A fuzzy port match is right but uncertain: its score, not a failure, lowers confidence.
    factor = resolve_port(value.text)[1] if name in PORT_FIELDS else 1.0
    hit = value.hit
    return Reading(norm, value.text, value.words, hit.strong, hit.label.variant, factor, hit.note)


def extract_fields(
    pages: Sequence[PageText] | Layout, doc_type: str, *, ranker: LinearModel | None = None
) -> dict[str, ExtractedField]:
    """Return the canonical fields of ``doc_type`` found on the pages (absent ones omitted).

    Captions the vocabulary knows are read first; with ``ranker`` (the learned field scorer),
    fields still unread are taken from the page's typed candidates it scores high enough.
    An invoice that reads as a till receipt keeps only a receipt's fields (``receipts``).
    """
    layout = pages if isinstance(pages, Layout) else build_layout(pages)
    names = CANONICAL_FIELDS.get(doc_type, ())
    numbers = nz.infer_number_style(line.text for line in layout.lines)
    comma = numbers.decimal_comma
    readings = {
        n: r for n in names
        if n in PARSERS and (r := read_field(layout, n, numbers)) is not None
    }  # fmt: skip
    table = layout.table
    items = items_.line_items(table, numbers) if "line_items" in names and table else None
    if items is not None and table is not None:
        items_.fill_from_items(readings, items, table)
    if "currency" in names:
        money.fill_currency(layout, readings)
    _main_date(layout, doc_type, readings)
    _resolve_date_order(layout, readings)
    _pattern_fallbacks(layout, names, readings, numbers)
    if doc_type == "sales_contract":
        _clause_fallbacks(layout, names, readings, decimal_comma=comma)
    if ranker is not None:  # a sure choice of the scorer goes before the guessing fallbacks
        scored.ranked_fallbacks(layout, doc_type, readings, numbers, ranker, scored.SURE_RANK)
    _hs_fallback(layout, names, readings)
    _reference_after_title(layout, doc_type, readings)
    _incoterms_fallback(layout, names, readings)
    _ports_from_incoterm(names, readings)
    _figures_below(layout, names, readings, numbers)
    if items is None:  # with an items table, the quantity and price are its rows', not the deal's
        money.total_from_product(layout, names, readings, numbers)
    _candidate_fallbacks(layout, names, readings, numbers)
    if items is not None and "total_amount" in names:
        items_.total_from_items(readings, items)
    party_fill.designated_parties(layout, names, readings)
    party_fill.issuer_fallback(layout, doc_type, readings)
    party_fill.addressee_fallback(layout, doc_type, readings)
    if ranker is not None:
        scored.ranked_fallbacks(layout, doc_type, readings, numbers, ranker, scored.RANK_FLOOR)
    wanted = fallback.wanted_fields(names, set(readings))
    if wanted:  # only then: a document whose labels are all known never loads the NER model
        party_fill.ner_fallback(layout, wanted, readings)
    party_fill.complete_names(layout, readings)
    _split_voyage(names, readings)
    if items is not None:
        items_.several_goods(readings, items)
    fields = {n: to_field(r) for n, r in readings.items()}
    _split_quantity(fields, readings, wants_unit="unit" in names)
    if items is not None:
        fields["line_items"] = to_field(items)
    lines = (line.text for line in layout.lines)
    if doc_type == "commercial_invoice" and receipts.is_till_receipt(lines, readings):
        names = receipts.receipt_fields(names)
    return {n: fields[n] for n in names if n in fields}


def _clause_fallbacks(
    layout: Layout, names: Sequence[str], readings: dict[str, Reading], *, decimal_comma: bool
) -> None:
    """Fill a contract's terms printed only in numbered clauses ("3. PRICE: USD 1,045.00 ...")."""
    for name, (norm, words) in clauses.clause_fields(layout, decimal_comma=decimal_comma).items():
        if name in names and name not in readings:
            note = Norm(norm.value, True, "read from the contract's clause")
            raw = str(norm.value)
            readings[name] = Reading(note, raw, words, False, 0, clauses.CLAUSE_FACTOR)


def _reference_after_title(layout: Layout, doc_type: str, readings: dict[str, Reading]) -> None:
    """Fill the reference number printed after the title ("Invoice INV/2023/03/0008")."""
    name = REFERENCE.get(doc_type)
    if name is None or name in readings:
        return
    top = cand.title_reference(layout, title_index())
    if top is not None:
        note = Norm(top.norm.value, True, "printed after the document's title")
        readings[name] = Reading(note, top.raw, top.words, False, 0, PATTERN_FACTOR)


def _incoterms_fallback(layout: Layout, names: Sequence[str], readings: dict[str, Reading]) -> None:
    """Fill the Incoterms rule from a line that prints it before its place, when no caption gave it."""
    if "incoterms" not in names or "incoterms" in readings:
        return
    top = cand.best(cand.incoterm_candidates(layout))
    if top is not None:
        text = text_of(top.words)
        readings["incoterms"] = Reading(Norm(top.norm.value, True, "no caption: the rule before its place"),
                                        text, top.words, False, 0, PATTERN_FACTOR)


def _figures_below(
    layout: Layout, names: Sequence[str], readings: dict[str, Reading], numbers: nz.NumberStyle
) -> None:
    """Fill weights and package counts from the column under their caption (carriers' particulars)."""
    for name in FIGURE_COLUMNS:
        if name in names and name not in readings:
            top = cand.figure_below(layout, name, parser_for(name, numbers))
            if top is not None:
                readings[name] = Reading(top.norm, top.raw, top.words, False, 0, PATTERN_FACTOR)
    if GOODS in names and GOODS not in readings:  # a particulars row set far under its caption
        goods = cand.figure_below(layout, GOODS, nz.parse_text, past_captions=False)
        if goods is not None:
            words = (*goods.words, *(w for row in wrapped_lines(layout, goods.words) for w in row))
            norm = nz.parse_text(text_of(words))
            readings[GOODS] = Reading(norm, text_of(words), words, False, 0, PATTERN_FACTOR)


def _ports_from_incoterm(names: Sequence[str], readings: dict[str, Reading]) -> None:
    """Fill a missing port from the place the Incoterms rule names ("CFR Alexandria": discharge)."""
    reading = readings.get("incoterms")
    if reading is None:
        return
    for name, norm in clauses.incoterm_place(reading.raw).items():
        if name in PORT_FIELDS and name in names and name not in readings:
            note = Norm(norm.value, True, "the place the Incoterms rule names")
            readings[name] = Reading(note, reading.raw, reading.words, False, 0, PATTERN_FACTOR)


def _hs_fallback(layout: Layout, names: Sequence[str], readings: dict[str, Reading]) -> None:
    """Fill the HS code from a quote in any line ("... KRAFT PULP, HS 4703.21") when no caption gave it."""
    if "hs_code" not in names or "hs_code" in readings:
        return
    for index, line in enumerate(layout.lines):
        if index in layout.prose:
            continue  # running text quotes other documents' codes; clauses are read apart
        norm = clauses.hs_code_in(" ".join(w.text for w in line.words))
        if norm is not None:
            readings["hs_code"] = Reading(norm, text_of(line.words), line.words, False, 0, PATTERN_FACTOR)
            return


# The reference number of each type, after which some issuers print the document's date.
REFERENCE = {"commercial_invoice": "invoice_number", "sales_contract": "contract_number",
             "bill_of_lading": "bl_number"}  # fmt: skip
# The main date of each type, which a bare "Date" caption names.
MAIN_DATE = {"commercial_invoice": "invoice_date", "sales_contract": "contract_date",
             "bill_of_lading": "issue_date"}  # fmt: skip


def _main_date(layout: Layout, doc_type: str, readings: dict[str, Reading]) -> None:
    """Read the main date from a bare "Date" caption when the type's own caption is absent."""
    name = MAIN_DATE.get(doc_type)
    if name is None or name in readings:
        return
    # "Invoice No. and Date: HS-E2509-028 Sep 12, 2025": the date printed after the reference.
    reference = readings.get(REFERENCE.get(doc_type, ""))
    if reference is not None and (norm := nz.parse_date(reference.raw)).ok:
        readings[name] = replace(reference, norm=Norm(norm.value, True, "printed after the reference number"))
        return
    # An invoice's "Issue Date" is its date: the B/L's caption names the invoice's own date there.
    for source in (GENERIC_DATE, *(("issue_date",) if doc_type == "commercial_invoice" else ())):
        reading = read_field(layout, source)
        if reading is not None:
            readings[name] = reading
            return


def _candidate_fallbacks(
    layout: Layout, names: Sequence[str], readings: dict[str, Reading], numbers: nz.NumberStyle
) -> None:
    """Fill the main date and the total from scored candidates when no caption gave them."""
    used = {id(w) for r in readings.values() for w in r.words}
    date_name = next((n for n in MAIN_DATE.values() if n in names), None)
    if date_name is not None and date_name not in readings:
        top = cand.best(cand.date_candidates(layout, used))
        if top is not None:
            note = Norm(top.norm.value, True, "no caption: the date printed on the page, by its place")
            readings[date_name] = Reading(note, top.raw, top.words, False, 0, cand.CANDIDATE_FACTOR)
    if "total_amount" in names:
        money.total_from_candidates(layout, readings, used, numbers)


def _split_voyage(names: Sequence[str], readings: dict[str, Reading]) -> None:
    """Split a voyage printed after the vessel's name ("GLOBAL VOYAGER V-202") when none was read."""
    vessel = readings.get("vessel_name")
    if vessel is None or not isinstance(vessel.norm.value, str) or "voyage_number" in readings:
        return
    name, voyage = nz.split_voyage(vessel.norm.value)
    if voyage is None:
        return
    readings["vessel_name"] = replace(vessel, norm=Norm(name, vessel.norm.ok, vessel.norm.reason))
    if "voyage_number" in names:
        norm = Norm(voyage, True, "printed after the vessel's name")
        readings["voyage_number"] = replace(vessel, norm=norm, raw=voyage)


def _split_quantity(
    fields: dict[str, ExtractedField], readings: dict[str, Reading], *, wants_unit: bool
) -> None:
    """Turn the quantity reading (number, unit) into the quantity and unit fields."""
    reading = readings.get("quantity")
    if reading is None:
        return
    number, unit = reading.norm.value
    fields["quantity"] = to_field(reading, number)
    if wants_unit and unit:
        fields["unit"] = to_field(reading, unit)


# --- numeric dates: one order per document --------------------------------------------------------

DATE_FIELDS = ("contract_date", "invoice_date", "latest_shipment_date", "shipped_on_board_date",
               "issue_date")  # fmt: skip
# Confidence multiplier of a date whose day/month order no date of the document fixes.
DATE_ORDER_FACTOR = {"dates": 1.0, "country": 0.85, "conflict": 0.6, "default": 0.7}
_ORDER_REASONS = {
    "country": "day/month order taken from the issuer's country ({})",
    "conflict": "dates on the document disagree on day/month order; day first assumed",
    "default": "ambiguous day/month order; day first assumed",
}


def _resolve_date_order(layout: Layout, readings: dict[str, Reading]) -> None:
    """Re-read ambiguous numeric dates (03/12/2025) in the order the whole document uses.

    Any date on the page with a part over 12 fixes the order; else the country of the port of
    loading (where the issuer usually is) is a weak prior, and the confidence drops with a reason.
    """
    ambiguous = [n for n in DATE_FIELDS if n in readings and nz.ambiguous_date(readings[n].raw)]
    if not ambiguous:
        return
    pol = readings.get("port_of_loading")
    country = str(pol.norm.value)[:2] if pol is not None and pol.norm.ok else None
    order = nz.infer_date_order((line.text for line in layout.lines), country)
    reason = _ORDER_REASONS.get(order.basis, "").format(country) or None
    for name in ambiguous:
        reading = readings[name]
        norm = nz.parse_date(reading.raw, day_first=order.day_first)
        factor = reading.factor * DATE_ORDER_FACTOR[order.basis]
        readings[name] = replace(reading, norm=Norm(norm.value, norm.ok, reason), factor=factor)


# --- pattern fallbacks: self-identifying values whose label was not read ------------------------

# Confidence multiplier of a value found by its shape alone.
_QUANTITY_ONLY = re.compile(r"[\d.,]+\s*(MT|MTS|PCS|BBLS?|CBM)", re.IGNORECASE)


def _pattern_fallbacks(
    layout: Layout, names: Sequence[str], readings: dict[str, Reading], numbers: nz.NumberStyle
) -> None:
    """Fill currency, quantity and containers from unlabelled segments of their unique shape."""
    quantity = parser_for("quantity", numbers)
    used = {id(w) for r in readings.values() for w in r.words}
    segments = [s for s in layout.free_segments() if not any(id(w) in used for w in s)]
    shapes: dict[str, Callable[[str], Norm | None]] = {
        "currency": lambda t: nz.parse_currency(t) if money.CURRENCY_ONLY.fullmatch(t) else None,
        "quantity": lambda t: quantity(t) if _QUANTITY_ONLY.fullmatch(t) else None,
        "container_numbers": lambda t: nz.parse_containers(t) if nz.find_containers(t) else None,
    }
    for name, shape in shapes.items():
        if name not in names or name in readings:
            continue
        found = [(n, seg) for seg in segments if (n := shape(text_of(seg))) is not None and n.ok]
        if name == "container_numbers" and found:
            merged = _merge([Reading(n, text_of(seg), seg) for n, seg in found])
            readings[name] = Reading(merged.norm, merged.raw, merged.words, False, 0, PATTERN_FACTOR)
        elif len(found) == 1:  # a shape seen twice is ambiguous without its label
            norm, seg = found[0]
            readings[name] = Reading(norm, text_of(seg), seg, False, 0, PATTERN_FACTOR)
