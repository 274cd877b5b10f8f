"""Parties no known caption gave: the letterhead issuer, the addressee, designated parties, NER."""

from __future__ import annotations

from collections.abc import Sequence

from tradeverify.domain import Word
from tradeverify.extract import candidates as cand
from tradeverify.extract import fallback, parties
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout, line_of
from tradeverify.extract.normalize import Norm
from tradeverify.extract.reading import Reading, text_of
from tradeverify.extract.vocab import all_titles

PARTY_FIELDS = frozenset({"seller_name", "buyer_name", "shipper_name", "consignee_name", "notify_party",
                          "carrier_name"})


def ner_fallback(layout: Layout, wanted: Sequence[str], readings: dict[str, Reading]) -> None:
    """Fill unlabelled parties and goods from the NER model, at a confidence that asks review."""
    used = {id(w) for r in readings.values() for w in r.words}
    taken = {str(r.norm.value) for n, r in readings.items() if isinstance(r.norm.value, str)}
    for name, norm, words in fallback.ner_guesses(layout, wanted, used, taken):
        norm = Norm(norm.value, norm.ok, "no label: found by the NER model")
        readings[name] = Reading(norm, text_of(words), words, False, 0, fallback.NER_CONFIDENCE)


def designated_parties(layout: Layout, names: Sequence[str], readings: dict[str, Reading]) -> None:
    """Fill seller and buyer a contract names only in its text ("..., hereinafter the Seller")."""
    if not {"seller_name", "buyer_name"} & (set(names) - set(readings)):
        return
    for name, (norm, words) in parties.designated_parties(layout).items():
        if name in names and name not in readings:
            readings[name] = Reading(norm, text_of(words), words, False, 0, cand.CANDIDATE_FACTOR)


def addressee_fallback(layout: Layout, doc_type: str, readings: dict[str, Reading]) -> None:
    """Take an invoice's uncaptioned buyer from the address block it is sent to."""
    if doc_type != "commercial_invoice" or "buyer_name" in readings:
        return
    seller = readings.get("seller_name")
    found = parties.addressee(layout, None if seller is None else str(seller.norm.value))
    if found is not None:
        norm, words = found
        readings["buyer_name"] = Reading(norm, text_of(words), words, False, 0, cand.CANDIDATE_FACTOR)


def issuer_fallback(layout: Layout, doc_type: str, readings: dict[str, Reading]) -> None:
    """Take an unlabelled issuer (an invoice's seller) from the letterhead, at low confidence."""
    name = fallback.ISSUER_FIELD.get(doc_type)
    if name is None or name in readings:
        return
    signed = cand.carrier_signature(layout) if name == "carrier_name" else None
    if signed is not None:
        norm = Norm(signed.norm.value, True, "no caption: the carrier the B/L is signed for")
        readings[name] = Reading(norm, signed.raw, signed.words, False, 0, cand.CANDIDATE_FACTOR)
        return
    found = fallback.letterhead_issuer(layout) or fallback.footer_issuer(layout)
    # A segment that starts with a legal form ("CO. (M) SDN BHD") ends a name wrapped over two
    # lines: the scored candidates below join them. A name another party field already holds
    # (a shipper's own footer on its B/L) is that party, not the issuer.
    others = {str(r.norm.value).casefold() for n, r in readings.items() if n in PARTY_FIELDS}
    if found is not None and str(found[0].value).casefold() in others:
        return
    if found is not None and found[0].ok and not nz.is_legal_form(found[1][0].text):
        norm, words = found
        norm = Norm(norm.value, True, "no label: the letterhead of the issuer")
        readings[name] = Reading(norm, text_of(words), words, False, 0, fallback.NER_CONFIDENCE)
        return
    top = cand.best(cand.issuer_candidates(layout, all_titles()), cand.ISSUER_FLOOR)
    if top is not None and top.norm.ok:
        norm = Norm(top.norm.value, True, "no label: the line heading the page, read as the issuer")
        readings[name] = Reading(norm, top.raw, top.words, False, 0, cand.CANDIDATE_FACTOR)


# A name wrapped in a narrow column goes on for at most this many words on the next line
# ("Shenzhen Baosheng" / "Commodities Co., Ltd."); the line under it is its address.
WRAP_WORDS = 4
WRAP_GAP_LINES = 1.5


def complete_names(layout: Layout, readings: dict[str, Reading]) -> None:
    """Join the rest of a party name that wrapped onto the next line of its column.

    A name is cut when it has no legal form yet, or ends on a dangling one ("Co.,"), and the
    line under its first word holds a few words ending in a legal form ("Ltd.").
    """
    for name in sorted(PARTY_FIELDS & set(readings)):
        reading = readings[name]
        if not reading.words or not _cut_name(reading.raw):
            continue
        rest = _wrapped_rest(layout, reading.words)
        if rest is None:
            continue
        raw = f"{reading.raw} {text_of(rest)}"
        norm = nz.parse_party(raw)
        if norm.ok:
            norm = Norm(norm.value, True, reading.norm.reason)
            readings[name] = Reading(norm, raw, reading.words + rest, reading.strong,
                                     reading.variant, reading.factor, reading.note)


def _cut_name(raw: str) -> bool:
    """Return True for a name that has no legal form or ends on an open one ("Co.,", "&")."""
    words = raw.split()
    return not any(nz.is_legal_form(w) for w in words) or words[-1].endswith((",", "&"))


def _wrapped_rest(layout: Layout, words: tuple[Word, ...]) -> tuple[Word, ...] | None:
    """Return the few words under a name's start that end in a legal form, or None."""
    index = line_of(layout, words[-1])
    if index is None or index + 1 >= len(layout.lines):
        return None
    line, below = layout.lines[index], layout.lines[index + 1]
    if below.page != line.page or below.y0 - line.y1 > WRAP_GAP_LINES * line.height:
        return None
    tol = 2 * line.char_width
    segment = next((s for s in below.segments() if abs(s[0].x0 - words[0].x0) <= tol), None)
    if segment is None or len(segment) > WRAP_WORDS or not nz.is_legal_form(segment[-1].text):
        return None
    if any(any(c.isdigit() for c in w.text) for w in segment):
        return None
    return segment
