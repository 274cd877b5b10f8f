"""Printed forms of values: dates, amounts, quantities, weights and container numbers per layout.

Public because the extractor's normalizers are tested against the same strings.
"""

from __future__ import annotations

from datetime import date, datetime

# Month abbreviations spelled out: strftime("%b") depends on the process locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(value: str | date | datetime, layout: str, *, month_first: bool = False) -> str:
    """Format an ISO date as ``layout`` prints it.

    A "12 Mar 2025", B "2025-03-12", C "March 12, 2025", D "12.03.2025" (or "03/12/2025" for an
    issuer whose country writes the month first), E "12-MAR-2025", F "12th March 2025".
    """
    if isinstance(value, datetime):  # a datetime is a date too, but isoformat() adds the time
        value = value.date()
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    mon = _MONTHS[day.month - 1]
    printed = {
        "A": f"{day.day:02d} {mon} {day.year}",
        "C": f"{_MONTH_NAMES[day.month - 1]} {day.day}, {day.year}",
        "D": f"{day.month:02d}/{day.day:02d}/{day.year}" if month_first
        else f"{day.day:02d}.{day.month:02d}.{day.year}",
        "E": f"{day.day:02d}-{mon.upper()}-{day.year}",
        "F": f"{_ordinal(day.day)} {_MONTH_NAMES[day.month - 1]} {day.year}",
    }
    return printed.get(layout, day.isoformat())


def format_amount(value: float, decimals: int = 2) -> str:
    """Format money US style with thousands separators, e.g. ``1,234,567.89``."""
    return f"{float(value):,.{decimals}f}"


def price_decimals(value: float) -> int:
    """Return the decimals a unit price prints with: two, up to four when it carries more precision."""
    return next((d for d in (2, 3) if round(float(value), d) == round(float(value), 6)), 4)


def format_price(value: float) -> str:
    """Format a unit price: two decimals, up to four when the price carries more precision."""
    return format_amount(value, price_decimals(value))


def format_quantity(value: float, unit: str | None = None, *, with_unit: bool = True) -> str:
    """Format a quantity, e.g. ``25,000.000 MT``; whole PCS counts print without decimals."""
    whole_count = unit == "PCS" and float(value).is_integer()
    text = format_amount(value, 0 if whole_count else 3)
    return f"{text} {unit}" if unit and with_unit else text


def format_weight(value: float) -> str:
    """Format a weight in kilograms, e.g. ``25,125.500 KGS``."""
    return f"{float(value):,.3f} KGS"


def format_count(value: float) -> str:
    """Format a package count with thousands separators, e.g. ``1,250``."""
    return f"{round(float(value)):,d}"


def format_container(number: str, layout: str) -> str:
    """Format an ISO 6346 number: ``MSCU 123456 5`` in A, ``MSCU 1234565`` in E, else compact."""
    compact = number.replace(" ", "").upper()
    if layout == "A" and len(compact) == 11:
        return f"{compact[:4]} {compact[4:10]} {compact[10]}"
    if layout == "E" and len(compact) == 11:
        return f"{compact[:4]} {compact[4:]}"
    return compact



# Number conventions the diverse layouts print: (thousands separator, decimal mark).
NUMBER_CONVENTIONS: dict[str, tuple[str, str]] = {
    "1,234.56": (",", "."), "1.234,56": (".", ","), "1 234,56": (" ", ","), "1'234.56": ("'", "."),
}  # fmt: skip


def format_number(value: float, decimals: int, convention: str) -> str:
    """Format ``value`` in one of NUMBER_CONVENTIONS, e.g. ``1.234.567,89`` for "1.234,56"."""
    thousands, decimal = NUMBER_CONVENTIONS[convention]
    us = f"{float(value):,.{decimals}f}"
    return us.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
