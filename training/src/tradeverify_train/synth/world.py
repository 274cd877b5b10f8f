"""The normal world: ports, vessels sailing real sea distances, carriers, companies, prices."""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from tradeverify.reference.fingerprints import normalize
from tradeverify.reference.sea import RISK_PORTS, WORLD_PORTS, distance_nm, port_table
from tradeverify_train.synth import entities

COMMODITIES_FILE = Path(__file__).with_name("commodities.csv")
# shared/domain: container 16-22 kn, bulk 11-14, tanker 12-15.
SPEED_KN = {"container": (16.0, 22.0), "bulk": (11.0, 14.0), "tanker": (12.0, 15.0)}
PORT_STAY_H = {"container": (10.0, 36.0), "bulk": (30.0, 110.0), "tanker": (20.0, 60.0)}
DWT = {"container": (40_000, 200_000), "bulk": (60_000, 210_000), "tanker": (80_000, 320_000)}
CARRIERS = (
    ("Oceanic Star Lines", "OSL", "OCEANIC"),
    ("Meridian Container Line", "MCL", "MERIDIAN"),
    ("Pacific Crest Shipping", "PCS", "PACIFIC"),
    ("Nordhavn Bulk Carriers", "NBC", "NORDHAVN"),
    ("Golden Wave Tankers", "GWT", "GOLDEN"),
)
FLAGS = ("Panama", "Liberia", "Marshall Islands", "Singapore", "Malta", "Hong Kong", "Greece")
HOME_COUNTRY = "China"
# Overseas customs data a platform can see: not every country is covered (a gap is "unknown").
CUSTOMS_COVERED = frozenset({"Singapore", "Malaysia", "Brazil", "Chile", "Australia", "Indonesia",
                             "India", "United States", "Netherlands", "Germany", "South Korea",
                             "Vietnam"})
HOME_CITIES = ("Shanghai", "Shenzhen", "Qingdao", "Xiamen", "Ningbo")
SHADOW_VESSELS = 10
GROUP_PAIRS = 25  # supplier/buyer affiliates
# Sanctioned names as a forger spells them to slip past an exact match (typologies, reference tables).
SANCTIONED_ENTITIES = ("Sable Horizon Trading FZE", "Kestrel Maritime Holdings Ltd")
# Honest traders whose names are part of a sanctioned one ("Horizon Trading FZE"): a screen that
# scores token subsets 100 % flags them; each is a buyer, at the port whose country it sits in.
NAMESAKES = (("Horizon Trading FZE", "AEJEA"), ("Maritime Holdings Ltd", "HKHKG"))
EPOCH = datetime(2024, 11, 1)
HORIZON = datetime(2026, 3, 1)


@dataclass(frozen=True)
class Commodity:
    """A traded commodity (project copy of shared/domain/commodities.csv, extended)."""

    hs_code: str
    description: str
    unit: str
    value_usd: float
    volatility: float
    vessel_types: tuple[str, ...]
    kg_per_unit: float
    lot_min: float
    lot_max: float

    @property
    def dispersion(self) -> float:
        """Return the log-price dispersion of single deals around the monthly median."""
        return 0.04 + 0.25 * self.volatility


@dataclass(frozen=True)
class Vessel:
    """A ship in the registry, with its service speed."""

    imo: str
    name: str
    flag: str
    vessel_type: str
    dwt: float
    mmsi: str
    build_year: int
    speed_kn: float
    carrier: int
    # The "shadow fleet": ships that also call in high-risk jurisdictions. Honest deals never
    # use them; a ROUTE_RISK scheme ships on one (synth/voyages.py).
    shadow: bool = False


@dataclass(frozen=True)
class PortCall:
    """A vessel's stay at a port."""

    imo: str
    locode: str
    arrival: datetime
    departure: datetime


@dataclass(frozen=True)
class Company:
    """A company in the registry."""

    company_id: str
    name: str
    country: str
    city: str
    incorporated: str
    address: str
    role: str
    related_to: str = ""  # company_id of an affiliate (same group), "" for none


@dataclass
class World:
    """Everything the deals are drawn from; reference tables are written from it."""

    rng: random.Random
    commodities: list[Commodity]
    vessels: list[Vessel]
    calls: dict[str, list[PortCall]]
    companies: list[Company]
    benchmarks: dict[tuple[str, str], float]
    hidden_calls: set[tuple[str, str, datetime]] = field(default_factory=set)

    def ports(self) -> dict[str, dict[str, object]]:
        """Return the world's ports with names and coordinates."""
        table = port_table()
        return {code: table[code] for code in WORLD_PORTS}

    def by_role(self, role: str) -> list[Company]:
        """Return the companies of one role (applicant, supplier, buyer)."""
        return [c for c in self.companies if c.role == role]

    def company(self, company_id: str) -> Company:
        """Return a company by id."""
        return next(c for c in self.companies if c.company_id == company_id)


def load_commodities() -> list[Commodity]:
    """Read the commodity table shipped with the package."""
    with COMMODITIES_FILE.open(encoding="utf-8") as fh:
        return [
            Commodity(
                r["hs_code"], r["description"], r["unit"], float(r["typical_unit_value_usd"]),
                float(r["annual_volatility"]), tuple(r["vessel_types"].split("|")),
                float(r["kg_per_unit"]), float(r["lot_min"]), float(r["lot_max"]),
            )
            for r in csv.DictReader(fh)
        ]


def _vessels(rng: random.Random, n: int) -> list[Vessel]:
    kinds = ("container", "container", "bulk", "bulk", "tanker")
    out: list[Vessel] = []
    seen: set[str] = set()
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        carrier = rng.randrange(len(CARRIERS))
        name = entities.vessel_name(rng, kind, CARRIERS[carrier][2])
        imo = entities.new_imo(rng)
        if name in seen or imo in {v.imo for v in out}:
            continue
        seen.add(name)
        lo, hi = SPEED_KN[kind]
        out.append(Vessel(
            imo, name, rng.choice(FLAGS), kind, float(rng.randint(*DWT[kind])),
            str(rng.randint(200_000_000, 799_999_999)), rng.randint(2004, 2023),
            round(rng.uniform(lo, hi), 1), carrier,
        ))
    return out


def _minute(t: datetime) -> datetime:
    return t.replace(second=0, microsecond=0)


def _schedule(rng: random.Random, vessel: Vessel) -> list[PortCall]:
    """Sail the vessel port to port at its speed over real sea distances."""
    ports = list(WORLD_PORTS) + (list(RISK_PORTS) if vessel.shadow else [])
    # A shadow-fleet ship is drawn to the risk ports near its trades.
    pull = {p: (8.0 if p in RISK_PORTS else 1.0) for p in ports}
    here = rng.choice(list(WORLD_PORTS))
    t = EPOCH + timedelta(hours=rng.uniform(0, 400))
    calls: list[PortCall] = []
    while t < HORIZON:
        stay = timedelta(hours=rng.uniform(*PORT_STAY_H[vessel.vessel_type]))
        calls.append(PortCall(vessel.imo, here, _minute(t), _minute(t + stay)))
        others = [p for p in ports if p != here]
        # Liner and tramp trades are regional more often than not: nearer ports are likelier.
        nxt = rng.choices(others, weights=[pull[p] / (distance_nm(here, p) + 800.0) for p in others])[0]
        # Weather and slow steaming: up to 8 % slower than service speed.
        hours = distance_nm(here, nxt) / vessel.speed_kn * rng.uniform(1.0, 1.08)
        t, here = t + stay + timedelta(hours=hours), nxt
    return calls


def _companies(rng: random.Random) -> list[Company]:
    ports = port_table()
    foreign = [p for p in WORLD_PORTS if ports[p]["country"] != HOME_COUNTRY]
    out: list[Company] = []
    # Shells: incorporated during the deal year, the profile of a front company.
    # A market of this size keeps chance loops among honest traders rare (circular-trade noise).
    plan = [("applicant", 20), ("supplier", 100), ("buyer", 100), ("shell", 20)]
    for role, count in plan:
        for _ in range(count):
            if role == "applicant":
                country, city = HOME_COUNTRY, rng.choice(HOME_CITIES)
            else:
                info = ports[rng.choice(foreign)]
                country, city = str(info["country"]), str(info["name"])
            name = entities.company_name(rng, country, city)
            # "Monarch Metals Ltd." and "Monarch Metals Ltd" would share one registry fingerprint.
            if any(normalize(c.name) == normalize(name) for c in out):
                continue
            year = 2025 if role == "shell" else rng.randint(1995, 2022)
            month = rng.randint(1, 9) if role == "shell" else rng.randint(1, 12)
            out.append(Company(
                f"C{len(out) + 1:05d}", name, country, city, f"{year}-{month:02d}-01",
                entities.street_address(rng, city, country), role,
            ))
    for name, locode in NAMESAKES:
        if any(normalize(c.name) == normalize(name) for c in out):
            continue
        info = ports[locode]
        city, country = str(info["name"]), str(info["country"])
        out.append(Company(f"C{len(out) + 1:05d}", name, country, city, f"{rng.randint(1995, 2020)}-06-01",
                           entities.street_address(rng, city, country), "buyer"))
    return _groups(rng, out)


def _groups(rng: random.Random, companies: list[Company]) -> list[Company]:
    """Pair companies into groups of affiliates.

    Suppliers with buyers abroad (a circular-trade scheme sells to one), and applicants with a
    buyer abroad (the affiliate a global-procurement deal buys for).
    """
    suppliers = [c for c in companies if c.role == "supplier"]
    buyers = [c for c in companies if c.role == "buyer"]
    applicants = [c for c in companies if c.role == "applicant"]
    affiliates = rng.sample(buyers, GROUP_PAIRS + len(applicants) // 2)
    pairs = list(zip(rng.sample(suppliers, GROUP_PAIRS), affiliates[:GROUP_PAIRS], strict=True))
    pairs += list(zip(rng.sample(applicants, len(applicants) // 2), affiliates[GROUP_PAIRS:], strict=True))
    link = {a.company_id: b.company_id for a, b in pairs} | {b.company_id: a.company_id for a, b in pairs}
    return [replace(c, related_to=link.get(c.company_id, "")) for c in companies]


def _benchmarks(rng: random.Random, commodities: list[Commodity]) -> dict[tuple[str, str], float]:
    """Monthly median unit values: a random walk with the commodity's annual volatility."""
    out: dict[tuple[str, str], float] = {}
    for com in commodities:
        level = com.value_usd
        month = datetime(EPOCH.year, EPOCH.month, 1)
        while month < HORIZON:
            out[(com.hs_code, month.strftime("%Y-%m"))] = round(level, 4)
            level *= math.exp(rng.gauss(0.0, com.volatility / math.sqrt(12)))
            month = (month + timedelta(days=32)).replace(day=1)
    return out


def build_world(seed: int, n_vessels: int = 60) -> World:
    """Build the normal world for a seed (no deals yet)."""
    rng = random.Random(seed)
    commodities = load_commodities()
    vessels = _vessels(rng, n_vessels + SHADOW_VESSELS)
    vessels = vessels[:n_vessels] + [replace(v, shadow=True) for v in vessels[n_vessels:]]
    calls = {v.imo: _schedule(rng, v) for v in vessels}
    return World(rng, commodities, vessels, calls, _companies(rng), _benchmarks(rng, commodities))
