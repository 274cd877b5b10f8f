"""Parties no known caption gave: the letterhead issuer, the addressee, designated parties, NER."""

from __future__ import annotations

from collections.abc import Sequence

from tradeverify.extract import candidates as cand
from tradeverify.extract import fallback, parties
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout
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
