"""Reference table schemas (shared/DESIGN §4): one definition for writers, loaders and the store.

Each column is (name, SQL type, required). Lists (directors, container sets) are ``|``-joined text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a reference table."""

    name: str
    sql_type: str  # TEXT, REAL or INTEGER
    required: bool = True


def _cols(spec: str) -> tuple[Column, ...]:
    """Parse ``"name:TYPE name:TYPE? ..."``; a trailing ``?`` marks an optional column."""
    out = []
    for item in spec.split():
        name, sql_type = item.split(":")
        out.append(Column(name, sql_type.rstrip("?"), not sql_type.endswith("?")))
    return tuple(out)


TABLES: dict[str, tuple[Column, ...]] = {
    "ports": _cols("locode:TEXT name:TEXT country:TEXT lat:REAL lon:REAL"),
    "vessels": _cols(
        "imo:TEXT name:TEXT flag:TEXT vessel_type:TEXT dwt:REAL mmsi:TEXT build_year:INTEGER "
        "former_names:TEXT? former_flags:TEXT?"
    ),
    "port_calls": _cols("imo:TEXT locode:TEXT arrival:TEXT departure:TEXT"),
    "container_events": _cols(
        "container_number:TEXT event:TEXT locode:TEXT imo:TEXT? voyage:TEXT? time:TEXT"
    ),
    "customs_declarations": _cols(
        "country:TEXT declaration_id:TEXT date:TEXT flow:TEXT exporter:TEXT importer:TEXT "
        "hs_code:TEXT quantity:REAL unit:TEXT value_usd:REAL locode:TEXT"
    ),
    "price_benchmarks": _cols("hs_code:TEXT month:TEXT unit:TEXT median_usd:REAL p10_usd:REAL p90_usd:REAL"),
    "companies": _cols(
        "company_id:TEXT name:TEXT country:TEXT incorporated:TEXT address:TEXT directors:TEXT? "
        "related_to:TEXT?"
    ),
    "watchlists": _cols("kind:TEXT value:TEXT list:TEXT"),
    # Which ship types may carry an HS code (tanker for crude, bulk for ore...): cargo-fit checks.
    "commodities": _cols("hs_code:TEXT description:TEXT unit:TEXT vessel_types:TEXT"),
    # Entrusted processing: what an input becomes abroad, in output units per input unit.
    "processing_routes": _cols("input_hs:TEXT output_hs:TEXT yield_min:REAL yield_max:REAL"),
    # Keyed fingerprints (reference/fingerprints.py) of documents presented in earlier
    # submissions, shareable between banks: no plain number, vessel, date or container.
    # Invoice and sales-contract rows also carry the trade leg (seller, buyer, goods as HS4),
    # hashed the same way, so that circular trade is found across banks without names.
    "document_registry": _cols(
        "submission_id:TEXT bank_id:TEXT submitted_at:TEXT doc_type:TEXT number_fp:TEXT "
        "voyage_fp:TEXT? cargo_fp:TEXT? container_fps:TEXT? seller_fp:TEXT? buyer_fp:TEXT? "
        "goods_fp:TEXT?"
    ),
}

# Lookups the matchers make, as indexes.
INDEXES: dict[str, tuple[str, ...]] = {
    "port_calls": ("imo", "locode"),
    "container_events": ("container_number",),
    "price_benchmarks": ("hs_code", "month"),
    "customs_declarations": ("locode", "hs_code", "date"),
    "document_registry": ("number_fp",),
    "vessels": ("imo",),
}
