"""Parties: watch-list screening and company profile (age) from the registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rapidfuzz import fuzz, process, utils

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.store import ReferenceStore

PARTY_FIELDS = (
    ("purchase_contract", "seller_name"), ("sales_contract", "buyer_name"),
    ("bill_of_lading", "shipper_name"), ("bill_of_lading", "notify_party"),
    ("bill_of_lading", "consignee_name"), ("commercial_invoice", "seller_name"),
)
# token_set_ratio of 90+ on names is the screening threshold that survives "Trdg"/"Ltd" variants.
WATCHLIST_HIT = 0.90
# A counterparty older than this is established: its exact age says nothing about a front company
# (and a model fitted on exact ages learns accidents of the data, e.g. 745 days risky, 760 not).
ESTABLISHED_DAYS = 730.0
MATCH_COMPANY = 92
Scorer = Callable[..., float]


def party_names(docs: SubmissionDocs) -> list[str]:
    """Return the distinct party names printed on the documents."""
    names = [docs.get(role, name) for role, name in PARTY_FIELDS]
    return list(dict.fromkeys(n for n in names if n))


def _screen(names: list[str], listed: list[str], scorer: Scorer = fuzz.token_set_ratio
            ) -> tuple[float, str | None, str | None]:
    best, hit, party = 0.0, None, None
    for name in names:
        found = process.extractOne(name, listed, scorer=scorer, processor=utils.default_process)
        if found and found[1] / 100 > best:
            best, hit, party = found[1] / 100, str(found[0]), name
    return best, hit, party


def _age_days(docs: SubmissionDocs, store: ReferenceStore) -> float:
    """Days between the youngest counterparty's incorporation and the purchase contract (capped)."""
    signed = docs.get("purchase_contract", "contract_date") or docs.get("commercial_invoice", "invoice_date")
    companies = store.companies()
    if not signed or not companies:
        return UNKNOWN
    names = [str(c["name"]) for c in companies]
    ages = []
    for role, field in (("purchase_contract", "seller_name"), ("sales_contract", "buyer_name")):
        name = docs.get(role, field)
        found = process.extractOne(name, names, scorer=fuzz.token_sort_ratio,
                                   processor=utils.default_process) if name else None
        if found and found[1] >= MATCH_COMPANY:
            born = date.fromisoformat(str(companies[found[2]]["incorporated"]))
            ages.append((date.fromisoformat(signed) - born).days)
    return float(min(min(ages), ESTABLISHED_DAYS)) if ages else UNKNOWN


def party_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Screen the parties against the watch lists and look up their incorporation dates."""
    listed = store.watchlist("entity")
    score, hit, party = _screen(party_names(docs), listed) if listed else (UNKNOWN, None, None)
    # The hard rule screens whole names: token_set scores "Horizon Trading FZE" 100 % against
    # "Sable Horizon Trading FZE" (a subset), which is a lead for the model, not a certainty.
    strict = _screen(party_names(docs), listed, fuzz.token_sort_ratio) if listed else (UNKNOWN, None, None)
    ev = Evidence(features={"watchlist_party_score": score,
                            "watchlist_strict_score": strict[0],
                            "counterparty_age_days": _age_days(docs, store)},
                  facts={"watchlist_hit": strict[1] or hit, "watchlist_party": strict[2] or party})
    if score != score:
        ev.checks.append(Check(name="watchlist_screening", status="unknown", detail="no entity list"))
    else:
        detail = f"best match {strict[0]:.0%}" + (f": {strict[2]!r} ~ {strict[1]!r}" if strict[1] else "")
        ev.checks.append(Check.verdict("watchlist_screening", strict[0] >= WATCHLIST_HIT, detail))
    return ev
