"""A synchronous verification of uploaded documents, kept with its report and audit entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeverify.domain import RiskReport
from tradeverify.pipeline import verify_files
from tradeverify.service.audit import verification_details
from tradeverify.service.keys import Principal
from tradeverify.service.store import store_verified


def verify_and_keep(state: Any, principal: Principal, saved: list[tuple[Path, dict[str, Any]]],
                    meta: dict[str, Any], record: bool, idempotency_key: str | None) -> RiskReport:
    """Verify the saved uploads, keep the documents, then store report, audit entry and key at once.

    One transaction: a process killed before it leaves the key unsettled (a retry verifies
    again under the same server id), never a report without its audit entry. Used by
    ``POST /v1/verify`` and the desk's upload.
    """
    report = verify_files([path for path, _ in saved], meta, state.engine, record=record)
    report.client_reference = meta["client_reference"]
    for path, info in saved:
        state.store.keep_document(principal.bank_id, info["sha256"], path)
    inputs = [info for _, info in saved]
    key, sid = idempotency_key, report.submission_id
    store_verified(state.store, state.audit, principal, report, inputs,
                   verification_details(report, inputs, record),
                   then=(lambda conn: state.store.settle(principal.bank_id, key, sid, conn)) if key else None)
    return report
