"""Build the feature vector of one submission from its extracted documents and reference data."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.match.chain import chain_evidence, trade_model_of
from tradeverify.match.circular import circular_evidence
from tradeverify.match.containers import container_evidence
from tradeverify.match.customs import customs_evidence
from tradeverify.match.documents import consistency_evidence, quantity_evidence
from tradeverify.match.duplicates import duplicate_evidence
from tradeverify.match.evidence import Evidence, group_documents
from tradeverify.match.parties import party_evidence
from tradeverify.match.prices import price_evidence, unconfirmed_price_z
from tradeverify.match.route import route_evidence
from tradeverify.match.templates import template_evidence
from tradeverify.match.vessel import vessel_evidence
from tradeverify.reference.registry import CombinedLookup, Lookup
from tradeverify.reference.store import ReferenceStore


def build_evidence(
    meta: dict[str, Any], documents: list[DocumentResult], store: ReferenceStore, settings: Settings,
    registry: Lookup | None = None,
) -> Evidence:
    """Run every matcher over one submission; the same call serves training and scoring.

    ``meta`` is the submission.json content (submission_id, bank_id, applicant, ...).
    """
    sid, applicant = str(meta.get("submission_id", "")), meta.get("applicant")
    docs = group_documents(documents, applicant)
    ev = Evidence()
    ev.merge(vessel_evidence(docs, store, settings.port_call_tolerance_hours))
    ev.merge(route_evidence(docs, store))
    ev.merge(price_evidence(docs, store))
    lookup = store if registry is None else CombinedLookup([store, registry])
    ev.merge(duplicate_evidence(docs, lookup, sid, settings.registry_key, meta.get("bank_id")))
    as_of = _day(meta.get("submitted_at"))
    ev.merge(circular_evidence(docs, store, lookup, settings.registry_key, sid, as_of))
    ev.merge(quantity_evidence(docs))
    ev.merge(chain_evidence(docs, store, trade_model_of(meta.get("trade_model"))))
    ev.merge(container_evidence(docs, store))
    ev.merge(party_evidence(docs, store))
    ev.merge(customs_evidence(docs, store))
    ev.merge(template_evidence(docs))
    ev.merge(consistency_evidence(docs))
    ev.features["price_abs_z_unconfirmed"] = unconfirmed_price_z(ev.features)
    return ev


def _day(value: object) -> date | None:
    """Return the submission date of submission.json, or None when absent or malformed."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def feature_vector(ev: Evidence) -> list[float]:
    """Return the features in model order; a feature no matcher produced is unknown (NaN)."""
    return [float(ev.features.get(name, math.nan)) for name in FEATURE_NAMES]
