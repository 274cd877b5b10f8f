"""Duplicate financing: the B/L or invoice was presented before, here or at another bank.

Lookups use keyed fingerprints only (reference/fingerprints.py). What comes back names this
bank's own earlier submissions; of other banks it says only that they saw the document.
"""

from __future__ import annotations

from typing import Any

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.fingerprints import BillFingerprint, bill_fingerprint, invoice_fingerprint
from tradeverify.reference.registry import Lookup

Row = dict[str, object]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _containers(row: Row) -> set[str]:
    return set(filter(None, str(row.get("container_fps") or "").split("|")))


def _same_voyage_overlap(rows: list[Row], fp: BillFingerprint) -> float:
    """Best container overlap with an earlier B/L of the same vessel and date.

    Bulk cargo has no containers: there the same cargo weight on the same voyage is the overlap.
    """
    best = 0.0
    for row in rows:
        if fp.containers or _containers(row):
            best = max(best, _jaccard(set(fp.containers), _containers(row)))
        else:
            best = max(best, float(row.get("cargo_fp") == fp.cargo))
    return best


def _bill(docs: SubmissionDocs, key: str) -> BillFingerprint | None:
    number = docs.get("bill_of_lading", "bl_number")
    if not number:
        return None
    return bill_fingerprint(
        key, number, docs.get("bill_of_lading", "imo_number"),
        docs.get("bill_of_lading", "shipped_on_board_date"),
        docs.get("bill_of_lading", "gross_weight_kg"),
        docs.get("bill_of_lading", "container_numbers") or [],
    )


def duplicate_evidence(
    docs: SubmissionDocs, store: Lookup, submission_id: str, key: str,
    bank_id: str | None = None,
) -> Evidence:
    """Look the B/L and the invoice up in the registry of earlier submissions."""
    ev = Evidence(features=dict.fromkeys(
        ("bl_number_seen", "bl_same_voyage_overlap", "container_seen_elsewhere"), UNKNOWN))
    fp, hits = _bill(docs, key), []
    if fp is not None:
        me = (submission_id, bank_id)
        exact = _others(store.registry_by("number_fp", fp.number), me)
        voyage = _others(store.registry_by("voyage_fp", fp.voyage), me) if fp.voyage else []
        shared = _others(store.registry_by_containers(fp.containers), me)
        ev.features["bl_number_seen"] = float(len(exact))
        ev.features["bl_same_voyage_overlap"] = _same_voyage_overlap(voyage, fp) if fp.voyage else UNKNOWN
        ev.features["container_seen_elsewhere"] = max(
            (_jaccard(set(fp.containers), _containers(r)) for r in shared), default=0.0)
        hits = exact + [r for r in voyage if _same_voyage_overlap([r], fp) >= 0.5]
    ev.features["invoice_number_seen"] = _invoice_seen(docs, store, (submission_id, bank_id), key)
    ev.facts["duplicate"] = _disclosable(hits, bank_id)
    ev.checks.append(_check(ev))
    return ev


def _invoice_seen(docs: SubmissionDocs, store: Lookup, me: tuple[str, str | None], key: str) -> float:
    number, issuer = docs.get("commercial_invoice", "invoice_number"), docs.get(
        "commercial_invoice", "seller_name")
    if not number:
        return UNKNOWN
    rows = store.registry_by("number_fp", invoice_fingerprint(key, issuer or "", number))
    return float(len(_others(rows, me)))


def _others(rows: list[Row], me: tuple[str, str | None]) -> list[Row]:
    """Return the rows of other submissions: a bank's own re-verification is not a duplicate.

    A submission is its bank's id within that bank: another bank presenting the same id is
    another submission, and must not be able to hide behind it.
    """
    submission_id, bank_id = me
    return [r for r in rows
            if r["submission_id"] != submission_id or str(r.get("bank_id") or "") != str(bank_id or "")]


def _disclosable(rows: list[Row], bank_id: str | None) -> dict[str, Any]:
    """Return what may be shown: this bank's own earlier submissions; of others, only a count."""
    own = sorted({str(r["submission_id"]) for r in rows if bank_id and r["bank_id"] == bank_id})
    others = {str(r["bank_id"]) for r in rows if not bank_id or r["bank_id"] != bank_id}
    return {"this_bank_submissions": own, "other_banks": len(others)}


def _check(ev: Evidence) -> Check:
    seen, overlap = ev.features["bl_number_seen"], ev.features["bl_same_voyage_overlap"]
    if seen != seen:
        return Check(name="document_not_financed_before", status="unknown", detail="no B/L number")
    if seen > 0 or overlap >= 0.5:
        return Check(name="document_not_financed_before", status="fail",
                     detail="a B/L with this number, or the same vessel, date and cargo, was "
                     "presented in an earlier submission")
    return Check(name="document_not_financed_before", status="pass",
                 detail="no earlier submission presented this B/L")
