"""Duplicate financing: the B/L or invoice was presented in an earlier submission."""

from __future__ import annotations

from rapidfuzz import fuzz

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.store import ReferenceStore


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _others(rows: list[dict[str, object]], submission_id: str) -> list[dict[str, object]]:
    return [r for r in rows if r["submission_id"] != submission_id]


def _same_voyage(
    rows: list[dict[str, object]], number: str, containers: set[str]
) -> tuple[float, float]:
    """Best (number similarity, container overlap) among B/Ls of the same vessel and date."""
    best_sim = best_overlap = 0.0
    for r in rows:
        best_sim = max(best_sim, fuzz.ratio(number, str(r["number"])) / 100)
        theirs = set(filter(None, str(r["containers"] or "").split("|")))
        # Bulk cargo has no containers: the same vessel and day is the whole fingerprint.
        overlap = _jaccard(containers, theirs) if containers or theirs else 1.0
        best_overlap = max(best_overlap, overlap)
    return best_sim, best_overlap


def duplicate_evidence(docs: SubmissionDocs, store: ReferenceStore, submission_id: str) -> Evidence:
    """Look the B/L and invoice up in the registry of earlier submissions."""
    ev = Evidence()
    number = docs.get("bill_of_lading", "bl_number")
    imo, on_board = docs.get("bill_of_lading", "imo_number"), docs.get(
        "bill_of_lading", "shipped_on_board_date")
    containers = set(docs.get("bill_of_lading", "container_numbers") or [])
    exact = _others(store.registry_by_number("bill_of_lading", number), submission_id) if number else []
    near = _others(store.registry_bls_near(imo, on_board), submission_id) if imo and on_board else []
    shared = _others(store.registry_by_containers(sorted(containers)), submission_id)
    sim, overlap = _same_voyage(near, number or "", containers) if near else (0.0, 0.0)
    ev.features["bl_number_seen"] = float(len(exact)) if number else UNKNOWN
    ev.features["bl_same_voyage_similarity"] = sim if number else UNKNOWN
    ev.features["bl_same_voyage_overlap"] = overlap if imo and on_board else UNKNOWN
    ev.features["container_seen_elsewhere"] = max(
        (_jaccard(containers, set(str(r["containers"]).split("|"))) for r in shared), default=0.0)
    inv = docs.get("commercial_invoice", "invoice_number")
    inv_rows = _others(store.registry_by_number("commercial_invoice", inv), submission_id) if inv else []
    ev.features["invoice_number_seen"] = float(len(inv_rows)) if inv else UNKNOWN
    ev.facts["duplicate_of"] = [str(r["submission_id"]) for r in exact + near][:3]
    ev.facts["duplicate_banks"] = sorted({str(r["bank_id"]) for r in exact + near})
    ev.checks.append(_check(ev))
    return ev


def _check(ev: Evidence) -> Check:
    seen, overlap = ev.features["bl_number_seen"], ev.features["bl_same_voyage_overlap"]
    if seen != seen:
        return Check(name="document_not_financed_before", status="unknown", detail="no B/L number")
    if seen > 0 or overlap >= 0.5:
        return Check(name="document_not_financed_before", status="fail",
                     detail="a B/L with this number or the same vessel, date and containers was "
                     "presented in an earlier submission")
    return Check(name="document_not_financed_before", status="pass",
                 detail="no earlier submission presented this B/L")
