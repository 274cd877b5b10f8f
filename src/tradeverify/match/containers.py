"""Containers: ISO 6346 check digits and the carrier's events for the stated vessel and date."""

from __future__ import annotations

from datetime import date, datetime

from stdnum import iso6346

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.store import ReferenceStore

EVENT_WINDOW_DAYS = 3
Event = dict[str, object]


def _near(event: Event, day: date) -> bool:
    when = datetime.fromisoformat(str(event["time"])).date()
    return abs((when - day).days) <= EVENT_WINDOW_DAYS


def _loaded_as_stated(events: list[Event], pol: str, imo: str, day: date) -> bool:
    return any(e["event"] == "loaded" and e["locode"] == pol and e["imo"] == imo and _near(e, day)
               for e in events)


def _owner(number: str) -> str:
    """Return the owner code and category of a container number (``MSCU`` of ``MSCU1234565``)."""
    return number[:4].upper()


def _feed_covers(store: ReferenceStore, owners: set[str], pol: str, imo: str, day: date) -> bool:
    """Return True when the carrier's feed shows boxes of these owners loaded as stated.

    Then the feed covers this loading, and a box it never heard of is not a gap in the feed.
    """
    loaded = store.rows("container_events", "imo = ? AND locode = ? AND event = 'loaded'", (imo, pol))
    return any(_owner(str(e["container_number"])) in owners and _near(e, day) for e in loaded)


def _unrecorded(numbers: list[str], store: ReferenceStore) -> list[str]:
    """Return the valid container numbers of which the carrier's feed has no event at all."""
    return [n for n in numbers if iso6346.is_valid(n) and not store.container_events(n)]


def container_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Share of B/L containers with a bad check digit, unknown to the carrier, not loaded as stated."""
    numbers = docs.get("bill_of_lading", "container_numbers") or []
    pol, imo = docs.get("bill_of_lading", "port_of_loading"), docs.get("bill_of_lading", "imo_number")
    when = docs.get("bill_of_lading", "shipped_on_board_date")
    ev = Evidence(features=dict.fromkeys(
        ("container_invalid_share", "container_events_share", "containers_without_events"), UNKNOWN))
    if not numbers:
        ev.checks.append(Check(name="containers", status="unknown", detail="no containers (bulk or unread)"))
        return ev
    invalid, unrecorded = [n for n in numbers if not iso6346.is_valid(n)], _unrecorded(numbers, store)
    ev.features["container_invalid_share"] = len(invalid) / len(numbers)
    # Without any carrier feed, no box is known: that is an unknown, not a finding.
    ev.features["containers_without_events"] = (
        len(unrecorded) / len(numbers) if store.count("container_events") else UNKNOWN)
    ev.facts.update(invalid_containers=invalid, unrecorded_containers=[])
    if pol and imo and when:
        day = date.fromisoformat(when)
        seen = [n for n in numbers if _loaded_as_stated(store.container_events(n), pol, imo, day)]
        ev.features["container_events_share"] = len(seen) / len(numbers)
        if unrecorded and _feed_covers(store, {_owner(n) for n in unrecorded}, pol, imo, day):
            ev.facts["unrecorded_containers"] = unrecorded
    ev.checks.append(_check(invalid, unrecorded, ev.features["container_events_share"]))
    return ev


def _check(invalid: list[str], unrecorded: list[str], share: float) -> Check:
    detail = f"{len(invalid)} invalid check digit(s); {len(unrecorded)} unknown to the carrier"
    detail += f"; loading events for {share:.0%}" if share == share else ""
    return Check.verdict("containers", bool(invalid or unrecorded) or (share == share and share < 1), detail)
