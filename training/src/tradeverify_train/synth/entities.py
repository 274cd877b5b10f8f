"""Identifiers and names for the synthetic world: IMO and ISO 6346 numbers, companies, vessels."""

from __future__ import annotations

import random
import string

from stdnum import iso6346

_COMPANY_STEMS = (
    "Huaxin Jinyuan Zhongtai Hengli Baosheng Ruifeng Tianhe Xinda Longsheng Kaiyuan Minghua "
    "Andes Pacifica Meridian Atlas Boreal Coral Delta Emerald Falcon Granite Harbor Ionic Juniper "
    "Keystone Lumen Monarch Nordic Orion Pinnacle Quarry Riverstone Summit Tristar Unity Vertex "
    "Westfield Zenith Aurora Bluewater Cedar Dune Evergreen Frontier Golden Horizon"
).split()
_COMPANY_KINDS = ("Metals", "Resources", "Commodities", "Trading", "Industries", "Materials", "Energy")
_SUFFIX_BY_COUNTRY = {
    "China": "Co., Ltd.",
    "Singapore": "Pte. Ltd.",
    "Hong Kong": "Limited",
    "United Kingdom": "Ltd",
    "Germany": "GmbH",
    "Netherlands": "B.V.",
    "Brazil": "S.A.",
    "Chile": "S.A.",
    "Switzerland": "AG",
    "United Arab Emirates": "FZE",
}
_VESSEL_WORDS = (
    "ANNA AURORA BALTIC CASTOR CORAL DIAMOND EMINENCE FORTUNE GLORY HARMONY HORIZON IRIS JADE "
    "KESTREL LIBERTY MAJESTY NEPTUNE OCEANUS PEGASUS POLARIS QUEEN RADIANCE SAPPHIRE SERENITY "
    "TRITON UNITY VEGA VICTORY WISDOM ZEPHYR ATLAS BOREAS CELESTE DAWN ELARA"
).split()
_STREETS = ("Harbour Road", "Marina Boulevard", "Industrial Avenue", "Commerce Street", "Dock Lane")


def imo_check_digit(six: str) -> str:
    """Return the IMO check digit of six digits (weights 7..2, last digit of the sum)."""
    return str(sum(int(d) * w for d, w in zip(six, range(7, 1, -1), strict=True)) % 10)


def new_imo(rng: random.Random) -> str:
    """Return a valid 7-digit IMO number of a modern ship (9xxxxxx)."""
    six = "9" + "".join(rng.choice(string.digits) for _ in range(5))
    return six + imo_check_digit(six)


def new_container(rng: random.Random, owner: str) -> str:
    """Return a valid ISO 6346 container number for a 3-letter owner code."""
    body = owner + "U" + "".join(rng.choice(string.digits) for _ in range(6))
    return body + str(iso6346.calc_check_digit(body))


def company_name(rng: random.Random, country: str, city: str) -> str:
    """Return a plausible company name for a country."""
    suffix = _SUFFIX_BY_COUNTRY.get(country, "Ltd.")
    stem, kind = rng.choice(_COMPANY_STEMS), rng.choice(_COMPANY_KINDS)
    prefix = f"{city} " if country == "China" else ""
    return f"{prefix}{stem} {kind} {suffix}"


def street_address(rng: random.Random, city: str, country: str) -> str:
    """Return a one-line street address."""
    return f"{rng.randint(1, 999)} {rng.choice(_STREETS)}, {city}, {country}"


def vessel_name(rng: random.Random, vessel_type: str, brand: str) -> str:
    """Return a vessel name in the style of its trade."""
    word = rng.choice(_VESSEL_WORDS)
    if vessel_type == "container":
        return f"{brand} {word}"
    if vessel_type == "tanker":
        return f"{word} SPIRIT"
    return f"CAPE {word}" if rng.random() < 0.5 else f"{word} STAR"
