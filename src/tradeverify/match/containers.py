"""Containers: ISO 6346 check digits and the carrier's events for the stated vessel and date."""

from __future__ import annotations

from datetime import date, datetime

from stdnum import iso6346

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.store import ReferenceStore

EVENT_WINDOW_DAYS = 3


def _loaded_as_stated(events: list[dict[str, object]], pol: str, imo: str, day: date) -> bool:
    for e in events:
        when = datetime.fromisoformat(str(e["time"])).date()
        if e["event"] == "loaded" and e["locode"] == pol and e["imo"] == imo \
                and abs((when - day).days) <= EVENT_WINDOW_DAYS:
            return True
    return False


def container_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Share of B/L containers with a bad check digit, and with no loading event as stated."""
    numbers = docs.get("bill_of_lading", "container_numbers") or []
    pol, imo = docs.get("bill_of_lading", "port_of_loading"), docs.get("bill_of_lading", "imo_number")
    when = docs.get("bill_of_lading", "shipped_on_board_date")
    ev = Evidence(features={"container_invalid_share": UNKNOWN, "container_events_share": UNKNOWN})
    if not numbers:
        ev.checks.append(Check(name="containers", status="unknown", detail="no containers (bulk or unread)"))
        return ev
    invalid = [n for n in numbers if not iso6346.is_valid(n)]
    ev.features["container_invalid_share"] = len(invalid) / len(numbers)
    if pol and imo and when:
        day = date.fromisoformat(when)
        seen = [n for n in numbers if _loaded_as_stated(store.container_events(n), pol, imo, day)]
        ev.features["container_events_share"] = len(seen) / len(numbers)
    ev.facts["invalid_containers"] = invalid
    share = ev.features["container_events_share"]
    detail = f"{len(invalid)} invalid check digit(s)"
    detail += f"; loading events for {share:.0%}" if share == share else ""
    ev.checks.append(Check.verdict("containers", bool(invalid) or (share == share and share < 1), detail))
    return ev
