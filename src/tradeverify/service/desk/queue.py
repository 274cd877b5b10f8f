"""The desk's queue: a bank's stored submissions by band and score, filtered, counted, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from tradeverify.domain import TRADE_MODELS
from tradeverify.errors import InputError
from tradeverify.service.store import BANDS, submissions

REVIEW_STATES = ("open", "awaiting_second", "escalated", "cleared", "confirmed_fraud")
PAGE_SIZE = 25
_BAND_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class QueueFilter:
    """What the officer narrowed the queue to; empty strings mean "any"."""

    band: str = ""
    review: str = ""
    red_flag: str = ""  # "yes" | "no" | ""
    trade_model: str = ""
    since: str = ""  # ISO dates, inclusive
    until: str = ""

    def check(self) -> QueueFilter:
        """Return the filter, or raise InputError naming the value that is not one of its choices."""
        for name, value, allowed in (("band", self.band, BANDS), ("review", self.review, REVIEW_STATES),
                                     ("red_flag", self.red_flag, ("yes", "no")),
                                     ("trade_model", self.trade_model, TRADE_MODELS)):
            if value and value not in allowed:
                raise InputError(f"{name} {value!r} is not one of: {', '.join(allowed)}")
        for name, value in (("since", self.since), ("until", self.until)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise InputError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None
        return self

    def query(self) -> dict[str, str]:
        """Return the filter as query parameters (the set ones only), for paging links."""
        return {k: v for k, v in self.__dict__.items() if v}


def _filtered(query: Select[Any], bank_id: str, f: QueueFilter, with_band: bool = True) -> Select[Any]:
    c = submissions.c
    query = query.where(c.bank_id == bank_id)
    if with_band and f.band:
        query = query.where(c.band == f.band)
    if f.review:
        query = query.where(c.review == f.review)
    if f.red_flag:
        query = query.where(c.red_flags > 0 if f.red_flag == "yes" else c.red_flags == 0)
    if f.trade_model:
        query = query.where(c.trade_model == f.trade_model)
    if f.since:
        query = query.where(c.created_at >= f.since)
    if f.until:  # inclusive: everything before the next day
        query = query.where(c.created_at < (date.fromisoformat(f.until) + timedelta(days=1)).isoformat())
    return query


def band_counts(engine: Engine, bank_id: str, f: QueueFilter) -> dict[str, int]:
    """Return how many submissions each band holds under the filter's other conditions."""
    c = submissions.c
    query = _filtered(select(c.band, func.count()).group_by(c.band), bank_id, f, with_band=False)
    with engine.connect() as conn:
        counts = {str(band or "none"): int(n) for band, n in conn.execute(query)}
    return {band: counts.get(band, 0) for band in (*BANDS, "none")}


def queue_page(engine: Engine, bank_id: str, f: QueueFilter, offset: int = 0,
               limit: int = PAGE_SIZE) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the queue, riskiest first (band, then score, then newest), and the total."""
    c = submissions.c
    columns = (c.submission_id, c.client_reference, c.status, c.band, c.score, c.created_at,
               c.trade_model, c.red_flags, c.review)
    band_rank = case(_BAND_ORDER, value=c.band, else_=len(_BAND_ORDER))
    query = _filtered(select(*columns), bank_id, f).order_by(
        band_rank, func.coalesce(c.score, -1.0).desc(), c.created_at.desc(), c.submission_id)
    total_query = _filtered(select(func.count()).select_from(submissions), bank_id, f)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query.limit(limit).offset(offset))]
        total = int(conn.execute(total_query).scalar_one())
    return rows, total
