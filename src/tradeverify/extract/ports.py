"""Printed port name -> UN/LOCODE, using the real port list that searoute ships."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

# Located without importing searoute: its import pulls in networkx (~0.3 s), and only its data is read.
_SEAROUTE = importlib.util.find_spec("searoute")
_PORTS_FILE = Path(str(_SEAROUTE and _SEAROUTE.origin)).parent / "data" / "ports.geojson"
_LOCODE = re.compile(r"\b([A-Z]{2})\s?([A-Z2-9]{3})\b")
# Fuzzy cut-offs: within a printed country a near miss is an OCR slip; without one, a fuzzy hit
# could be any of ~4,000 ports, so it must be closer and is trusted less.
_IN_COUNTRY_CUTOFF = 80.0
_GLOBAL_CUTOFF = 90.0
_GLOBAL_FACTOR = 0.8


@dataclass(frozen=True)
class _Port:
    locode: str
    name: str  # folded for matching
    country: str  # ISO 3166 alpha-2, the LOCODE prefix


# Every ASCII character but a-z and 0-9 becomes a space (upper case is lowered first).
_SPACES = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isdigit()
                         and not ("a" <= chr(c) <= "z")})


def fold(text: str) -> str:
    """Lower-case, strip accents, punctuation and underscores, and collapse whitespace."""
    if not text.isascii():  # most names are ASCII: NFKD is then the identity (a reader's start-up folds 28k)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().translate(_SPACES).split())


@lru_cache(maxsize=1)
def _ports() -> tuple[_Port, ...]:
    """Load searoute's port list once."""
    with _PORTS_FILE.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return tuple(
        _Port(str(f["properties"]["port"]), fold(str(f["properties"]["name"])),
              str(f["properties"]["port"])[:2])
        for f in features
    )  # fmt: skip


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Return folded country names (searoute's and ISO 3166's) -> alpha-2 code."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                index[fold(value)] = country.alpha_2
    # searoute's own spellings ("South_korea", "Ivory_coast") map to their ports' LOCODE prefix.
    with _PORTS_FILE.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    prefixes: dict[str, Counter[str]] = {}
    for feat in features:
        cty = fold(str(feat["properties"].get("cty", "")))
        prefixes.setdefault(cty, Counter())[str(feat["properties"]["port"])[:2]] += 1
    for cty, counts in prefixes.items():
        index.setdefault(cty, counts.most_common(1)[0][0])
    index.update({"usa": "US", "uk": "GB", "uae": "AE", "korea": "KR", "russia": "RU", "u s a": "US",
                  "u s": "US", "u k": "GB", "u a e": "AE", "dominican rep": "DO", "p r china": "CN",
                  "prc": "CN", "holland": "NL"})  # fmt: skip
    # Country names as other languages print them ("Reino Unido", "Spanien", "中国"), from CLDR.
    from babel import Locale

    for lang in COUNTRY_LOCALES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and fold(name):
                index.setdefault(fold(name), code)
    return index


# Languages whose country names a printed port may carry ("Algeciras (España)").
COUNTRY_LOCALES = ("de", "fr", "es", "nl", "it", "pt")
# US states and Canadian provinces printed between a port and its country ("Mobile, AL").
_REGIONS = {"US": frozenset("AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS "
                            "MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI "
                            "WY".split()),
            "CA": frozenset("BC AB SK MB ON QC NB NS PE NL".split())}  # fmt: skip


@lru_cache(maxsize=1)
def _by_locode() -> dict[str, _Port]:
    return {p.locode: p for p in _ports()}


def names_a_place(text: str) -> bool:
    """Return True when ``text`` is a country's name or a port's ("United States", "Santos, Brazil")."""
    if fold(text) in _countries():
        return True
    code, confidence = resolve_port(text)
    return code is not None and confidence == 1.0


def split_country(printed: str) -> tuple[str, str | None]:
    """Split "Busan, Korea, Republic of" into the port part and the country's alpha-2 code."""
    printed = re.sub(r"\s*\(([^)]*)\)", r", \1", printed)  # "Algeciras (España)"
    parts = [p.strip() for p in printed.split(",") if p.strip()]
    for i in range(1, len(parts)):
        code = _countries().get(fold(", ".join(parts[i:])))
        if code:
            return _without_region(parts[:i], code), code
    for code, regions in _REGIONS.items():  # "Mobile, AL": the state names the country
        if len(parts) > 1 and parts[-1].upper() in regions:
            return ", ".join(parts[:-1]), code
    return printed, None


def _without_region(parts: list[str], country: str) -> str:
    """Drop a state or province printed before the country ("Long Beach, CA, U.S.A.")."""
    if len(parts) > 1 and parts[-1].upper() in _REGIONS.get(country, frozenset()):
        parts = parts[:-1]
    return ", ".join(parts)


@lru_cache(maxsize=4096)
def resolve_port(printed: str) -> tuple[str | None, float]:
    """Return the UN/LOCODE of a printed port ("Shanghai, China" -> "CNSHA") and a confidence."""
    text = " ".join(printed.split())
    if not text:
        return None, 0.0
    compact = text.replace(" ", "").upper().strip("()")
    if compact in _by_locode():
        return compact, 1.0
    if " / " in text:  # "HAMBURGO / HAMBURG": the name in each language, the surer one counts
        return max((resolve_port(part) for part in text.split(" / ")), key=lambda r: r[1])
    if _CJK.search(text):
        chinese = _chinese_port(text)
        return (chinese, 1.0) if chinese else (None, 0.0)
    name, country = split_country(text)
    candidates = [p for p in _ports() if country is None or p.country == country]
    exact = [p for p in candidates if p.name == fold(name)]
    if exact:
        # Without a country, a name shared by ports of several countries is a guess.
        return exact[0].locode, 1.0 if len(exact) == 1 else 0.6
    code = _printed_locode(text)
    if code:
        return code, 1.0
    return _fuzzy(name, candidates, in_country=country is not None)


_CJK = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _chinese_names() -> dict[str, str]:
    """Return the Chinese port names of ports.zh.yaml -> UN/LOCODE."""
    import yaml

    data = yaml.safe_load(Path(__file__).with_name("ports.zh.yaml").read_text(encoding="utf-8"))
    return {str(name): str(code) for name, code in data.items()}


@lru_cache(maxsize=1)
def _chinese_countries() -> tuple[str, ...]:
    """Return the Chinese country names (CLDR), longest first ("中国", "英国", "阿拉伯联合酋长国")."""
    from babel import Locale

    territories = Locale.parse("zh").territories.items()
    names = {name for code, name in territories if len(code) == 2 and code.isalpha()}
    return tuple(sorted(names, key=len, reverse=True))


def _chinese_port(text: str) -> str | None:
    """Return the LOCODE of a port printed in Chinese ("中国宁波", "英国费利克斯托", "宁波港")."""
    name = "".join(_CJK.findall(text))
    for country in _chinese_countries():  # before the port ("中国宁波") or after it ("上海, 中国")
        if name != country and (name.startswith(country) or name.endswith(country)):
            name = name.removeprefix(country) if name.startswith(country) else name.removesuffix(country)
            break
    names = _chinese_names()
    return names.get(name) or names.get(name.removesuffix("港"))


def _printed_locode(text: str) -> str | None:
    """Return a LOCODE printed beside the name ("Shanghai (CNSHA)"), if any."""
    for match in _LOCODE.finditer(text):
        code = match.group(1) + match.group(2)
        if code in _by_locode():
            return code
    return None


def _fuzzy(name: str, candidates: list[_Port], *, in_country: bool) -> tuple[str | None, float]:
    """Return the closest port name among ``candidates`` with a score-based confidence."""
    if not candidates or not fold(name):
        return None, 0.0
    cutoff = _IN_COUNTRY_CUTOFF if in_country else _GLOBAL_CUTOFF
    best = process.extractOne(
        fold(name), [p.name for p in candidates], scorer=fuzz.ratio, score_cutoff=cutoff
    )
    if best is None:
        return None, 0.0
    confidence = best[1] / 100.0 * (1.0 if in_country else _GLOBAL_FACTOR)
    return candidates[best[2]].locode, round(confidence, 3)
