"""Real sea-route distances (searoute), with a shipped table for the world's ports.

searoute takes 50-150 ms per pair; the generator needs thousands of voyages, so the distances
between the world's ports are computed once (``python -m tradeverify.reference.sea``) and shipped
as ``sea_distances.csv``. Other pairs are computed on demand and cached per process.
"""

from __future__ import annotations

import csv
import json
import math
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import searoute

_TABLE = Path(__file__).with_name("sea_distances.csv")
_PORTS_FILE = Path(searoute.__file__).parent / "data" / "ports.geojson"
EARTH_RADIUS_NM = 3440.065

# The world's ports: real UN/LOCODEs that searoute ships, chosen for the trades in commodities.csv.
WORLD_PORTS = (
    "CNSHA CNNGB CNTAO CNDLC CNXMN CNYTN HKHKG SGSIN MYPKG MYTPP IDJKT IDSUB VNSGN VNHPH THLCH "
    "KRPUS JPYOK INNSA INMUN AEJEA AEFJR SAJED OMSOH EGPSD NLRTM BEANR DEHAM ESALG ESVLC ITGOA "
    "GBFXT USLAX USNYC USHOU BRSSZ BRTUB BRPNG ARBUE ARROS CLSAI PECLL ZADUR NGLOS AUMEL AUPHE "
    "AUNTL TRMER KWKWI"
).split()
# Ports in high-risk jurisdictions (Iran, Myanmar, North Korea). Regular schedules never call
# there; a vessel shows up at one only when a route-risk scheme sends it (synth/typologies.py).
RISK_PORTS = ("IRBND", "IRBKM", "MMRGN", "KPNAM")


@lru_cache(maxsize=1)
def port_table() -> dict[str, dict[str, object]]:
    """Return searoute's real port list: LOCODE -> {name, country, lat, lon}."""
    with _PORTS_FILE.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    table: dict[str, dict[str, object]] = {}
    for feat in features:
        props, (lon, lat) = feat["properties"], feat["geometry"]["coordinates"]
        country = str(props.get("cty", "")).replace("_", " ").title()
        table[str(props["port"])] = {"name": props["name"], "country": country, "lat": lat, "lon": lon}
    return table


def port_label(locode: str | None) -> str:
    """Return ``Name (LOCODE)`` for a port, or the code alone when it is not known."""
    info = port_table().get(locode or "")
    return f"{info['name']} ({locode})" if info else str(locode or "unknown port")


@lru_cache(maxsize=1)
def _shipped() -> dict[tuple[str, str], float]:
    if not _TABLE.exists():
        return {}
    with _TABLE.open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        return {(r["origin"], r["destination"]): float(r["nm"]) for r in rows}


def great_circle_nm(a: dict[str, object], b: dict[str, object]) -> float:
    """Return the great-circle distance between two ports of ``port_table`` in nautical miles."""
    lat1, lon1, lat2, lon2 = (math.radians(float(str(p[k]))) for p in (a, b) for k in ("lat", "lon"))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(math.sqrt(h))


@lru_cache(maxsize=4096)
def _computed(origin: str, destination: str) -> float:
    ports = port_table()
    a, b = ports[origin], ports[destination]
    route = searoute.searoute([a["lon"], a["lat"]], [b["lon"], b["lat"]], units="naut")
    # searoute snaps both ends of a short hop (Fujairah-Sohar) to one network node and says 0 nm;
    # no sea route is shorter than the great circle.
    return max(float(route.properties["length"]), great_circle_nm(a, b))


def distance_nm(origin: str, destination: str) -> float:
    """Return the sea-route distance in nautical miles between two UN/LOCODEs."""
    if origin == destination:
        return 0.0
    key = (origin, destination) if origin < destination else (destination, origin)
    shipped = _shipped().get(key)
    return shipped if shipped is not None else _computed(*key)


def build_table(path: Path = _TABLE) -> None:
    """Compute and write the shipped distance table for ``WORLD_PORTS`` and ``RISK_PORTS``."""
    ports = sorted((*WORLD_PORTS, *RISK_PORTS))
    rows = [(a, b, _computed(a, b)) for a, b in combinations(ports, 2)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["origin", "destination", "nm"])
        writer.writerows((a, b, f"{nm:.1f}") for a, b, nm in rows)


if __name__ == "__main__":
    build_table()
