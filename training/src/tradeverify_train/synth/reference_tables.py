"""Rows of the reference tables (shared/DESIGN §4) that a world implies.

Carrier, customs and AIS feeds record what really happened (the genuine deal), never what a
forged document claims; a duplicated B/L's shipment is in the feeds once, from its first use.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta

from tradeverify.reference.fingerprints import (
    DEMO_REGISTRY_KEY,
    bill_fingerprint,
    contract_fingerprint,
    invoice_fingerprint,
    leg_fingerprints,
)
from tradeverify.reference.sea import RISK_PORTS, port_table
from tradeverify_train.synth.deals import GATE_IN_DAYS, Deal, discharged_at, loaded_at
from tradeverify_train.synth.trade_models import ROUTES
from tradeverify_train.synth.world import CUSTOMS_COVERED, SANCTIONED_ENTITIES, World

Row = dict[str, object]
WATCHLIST = (
    ("jurisdiction", "Iran", "FATF high-risk"),
    ("jurisdiction", "North Korea", "FATF high-risk"),
    ("jurisdiction", "Myanmar", "FATF high-risk"),
    *(("entity", name, "sanctions") for name in SANCTIONED_ENTITIES),
    ("vessel", "9305609", "sanctions"),
)


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M")


def _ports(world: World) -> Iterator[Row]:
    table = port_table()
    ports = {**world.ports(), **{code: table[code] for code in RISK_PORTS}}
    for code, info in ports.items():
        yield {"locode": code, **{k: info[k] for k in ("name", "country", "lat", "lon")}}


def _vessels(world: World) -> Iterator[Row]:
    for v in world.vessels:
        yield {"imo": v.imo, "name": v.name, "flag": v.flag, "vessel_type": v.vessel_type,
               "dwt": v.dwt, "mmsi": v.mmsi, "build_year": v.build_year,
               "former_names": "", "former_flags": ""}


def _port_calls(world: World) -> Iterator[Row]:
    for calls in world.calls.values():
        for c in calls:
            if (c.imo, c.locode, c.arrival) not in world.hidden_calls:
                yield {"imo": c.imo, "locode": c.locode, "arrival": _ts(c.arrival),
                       "departure": _ts(c.departure)}


def _container_events(world: World, deals: list[Deal]) -> Iterator[Row]:
    for d in deals:
        loaded, discharged = loaded_at(d), discharged_at(world, d)
        for number in d.containers:
            yield {"container_number": number, "event": "gate_in", "locode": d.pol, "imo": "",
                   "voyage": "", "time": _ts(loaded - timedelta(days=GATE_IN_DAYS))}
            yield {"container_number": number, "event": "loaded", "locode": d.pol, "imo": d.imo,
                   "voyage": d.voyage, "time": _ts(loaded)}
            yield {"container_number": number, "event": "discharged", "locode": d.pod,
                   "imo": d.imo, "voyage": d.voyage, "time": _ts(discharged)}


def _customs(world: World, deals: list[Deal]) -> Iterator[Row]:
    """Yield the export declaration at origin and the import one at destination, where published."""
    ports = world.ports()
    for d in deals:
        country = str(ports[d.pol]["country"])
        if country in CUSTOMS_COVERED:
            yield {"country": country, "declaration_id": f"EX-{d.submission_id}",
                   "date": d.on_board.isoformat(), "flow": "export", "exporter": d.supplier.name,
                   "importer": d.applicant.name, "hs_code": d.commodity.hs_code,
                   "quantity": d.quantity, "unit": d.commodity.unit,
                   "value_usd": round(d.quantity * d.price_buy, 2), "locode": d.pol}
        if str(ports[d.pod]["country"]) in CUSTOMS_COVERED:
            yield _import_declaration(world, d, str(ports[d.pod]["country"]))


def _import_declaration(world: World, d: Deal, country: str) -> Row:
    """Return the mirror record: the party taking delivery declares what it paid its seller.

    A resale's buyer imports at the sale price, bought from the applicant; goods sent for
    processing stay the applicant's, so it imports them at their purchase value.
    """
    processing = d.sale_commodity is not None
    seller, importer = (d.supplier, d.applicant) if processing else (d.applicant, d.buyer)
    price = d.price_buy if processing else d.price_sell
    return {"country": country, "declaration_id": f"IM-{d.submission_id}",
            "date": discharged_at(world, d).date().isoformat(), "flow": "import",
            "exporter": seller.name, "importer": importer.name, "hs_code": d.commodity.hs_code,
            "quantity": d.quantity, "unit": d.commodity.unit,
            "value_usd": round(d.quantity * price, 2), "locode": d.pod}


def _benchmarks(world: World) -> Iterator[Row]:
    disp = {c.hs_code: (c.dispersion, c.unit) for c in world.commodities}
    for (hs, month), median in sorted(world.benchmarks.items()):
        spread, unit = disp[hs]
        yield {"hs_code": hs, "month": month, "unit": unit, "median_usd": median,
               "p10_usd": round(median * math.exp(-1.2816 * spread), 4),
               "p90_usd": round(median * math.exp(1.2816 * spread), 4)}


def _companies(world: World) -> Iterator[Row]:
    for c in world.companies:
        yield {"company_id": c.company_id, "name": c.name, "country": c.country,
               "incorporated": c.incorporated, "address": c.address, "directors": "",
               "related_to": c.related_to}


def _registry(history: list[Deal], key: str) -> Iterator[Row]:
    for d in history:
        base = {"submission_id": d.submission_id, "bank_id": d.bank_id,
                "submitted_at": d.submitted_at.isoformat()}
        bl = bill_fingerprint(key, d.numbers["bl"], d.imo, d.on_board.isoformat(), d.gross_kg,
                              d.containers)
        yield {**base, "doc_type": "bill_of_lading", "number_fp": bl.number,
               "voyage_fp": bl.voyage, "cargo_fp": bl.cargo, "container_fps": "|".join(bl.containers)}
        hs = d.commodity.hs_code
        yield {**base, "doc_type": "commercial_invoice",
               "number_fp": invoice_fingerprint(key, d.supplier.name, d.numbers["invoice"]),
               "voyage_fp": "", "cargo_fp": "", "container_fps": "",
               **leg_fingerprints(key, d.supplier.name, d.applicant.name, hs)}
        yield {**base, "doc_type": "sales_contract",
               "number_fp": contract_fingerprint(key, d.applicant.name, d.numbers["sales_contract"]),
               "voyage_fp": "", "cargo_fp": "", "container_fps": "",
               **leg_fingerprints(key, d.applicant.name, d.buyer.name, hs)}


def reference_rows(
    world: World, history: list[Deal], deals: list[Deal], genuine: list[Deal],
    registry_key: str = DEMO_REGISTRY_KEY,
) -> dict[str, Iterator[Row]]:
    """Return table name -> rows for a world, its financed history and its current deals."""
    real = history + [g for g, d in zip(genuine, deals, strict=True)
                      if d.typology != "DUPLICATE_DOCUMENT"]
    return {
        "ports": _ports(world), "vessels": _vessels(world), "port_calls": _port_calls(world),
        "container_events": _container_events(world, real), "customs_declarations": _customs(world, real),
        "price_benchmarks": _benchmarks(world), "companies": _companies(world),
        "commodities": iter([{"hs_code": c.hs_code, "description": c.description, "unit": c.unit,
                              "vessel_types": "|".join(c.vessel_types)} for c in world.commodities]),
        "watchlists": iter([{"kind": k, "value": v, "list": s} for k, v, s in WATCHLIST]),
        "processing_routes": iter([{"input_hs": r.input_hs, "output_hs": r.output_hs,
                                    "yield_min": r.yield_min, "yield_max": r.yield_max} for r in ROUTES]),
        "document_registry": _registry(history, registry_key),
    }
