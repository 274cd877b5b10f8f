"""Bank feeds into the reference folder: row checks per table, ``load_feed`` and the schema docs.

``ROW_CHECKS`` holds the format rules beyond the schema's types (applied by ``loaders`` to every
row, CSV or Parquet, with the file and line of a failure). Only rules that are certain are here:
a row that breaks one is wrong in any real feed, or breaks a lookup the matchers make.

``load_feed`` validates a whole feed file, then writes ``<reference_dir>/<table>.csv`` atomically;
the embedded store rebuilds itself from the newer CSV on its next open.

Regenerate the column tables of ``docs/reference-data.md`` with
``python -m tradeverify.reference.feeds docs/reference-data.md``.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from tradeverify.errors import InputError, ReferenceDataError
from tradeverify.reference.fingerprints import keyed_hash
from tradeverify.reference.schemas import TABLES

Mode = Literal["replace", "append"]
Row = tuple[object, ...]


@dataclass(frozen=True)
class RowCheck:
    """A rule a row must satisfy; ``rule`` is the wording of errors and of the docs."""

    columns: tuple[str, ...]
    rule: str
    test: Callable[..., bool]

    def error(self, row: Mapping[str, object]) -> str | None:
        """Return what is wrong with the row, or None (also when a value is absent)."""
        values = [row.get(c) for c in self.columns]
        if any(v is None for v in values) or self.test(*values):
            return None
        shown = ", ".join(f"{c}={v!r}" for c, v in zip(self.columns, values, strict=True))
        return f"{shown}: expected {self.rule}"


def _iso(pattern: str, parse: Callable[[str], object]) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        if not re.fullmatch(pattern, str(value), re.ASCII):
            return False
        try:
            parse(str(value))
        except ValueError:
            return False
        return True

    return test


def _pattern(column: str, pattern: str, rule: str) -> RowCheck:
    return RowCheck((column,), rule, lambda v: re.fullmatch(pattern, str(v), re.ASCII) is not None)


_FP_LENGTH = len(keyed_hash("key", "probe"))
_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
_is_timestamp = _iso(_TIME, datetime.fromisoformat)


def _timestamp(column: str) -> RowCheck:
    return RowCheck((column,), "a UTC timestamp `YYYY-MM-DDTHH:MM` (`:SS` optional)", _is_timestamp)


def _date(column: str, time_allowed: bool = False) -> RowCheck:
    if time_allowed:
        return RowCheck((column,), "an ISO date `YYYY-MM-DD` (a `THH:MM` UTC time may follow)",
                        _iso(rf"\d{{4}}-\d{{2}}-\d{{2}}|{_TIME}", datetime.fromisoformat))
    return RowCheck((column,), "an ISO date `YYYY-MM-DD`", _iso(r"\d{4}-\d{2}-\d{2}", date.fromisoformat))


def _between(column: str, low: float, high: float) -> RowCheck:
    return RowCheck((column,), f"a number from {low:g} to {high:g}", lambda v: low <= float(v) <= high)


def _imo(column: str) -> RowCheck:
    return _pattern(column, r"\d{7}", "an IMO number: 7 digits")


def _locode(column: str) -> RowCheck:
    return _pattern(column, r"[A-Z]{2}[A-Z2-9]{3}", "a UN/LOCODE: 2-letter country + 3 of A-Z, 2-9 (`SGSIN`)")


def _after(later: str, earlier: str) -> RowCheck:
    def test(b: object, a: object) -> bool:
        return datetime.fromisoformat(str(b)) >= datetime.fromisoformat(str(a))

    return RowCheck((later, earlier), f"{later} ≥ {earlier}", test)


def _month(column: str) -> RowCheck:
    is_month = _iso(r"\d{4}-\d{2}", lambda v: date.fromisoformat(f"{v}-01"))
    return RowCheck((column,), "a month `YYYY-MM`", is_month)


def _fingerprint(column: str, joined: bool = False) -> RowCheck:
    one = f"[0-9a-f]{{{_FP_LENGTH}}}"
    if joined:
        return _pattern(column, rf"{one}(\|{one})*", f"`|`-joined fingerprints of {_FP_LENGTH} hex digits")
    return _pattern(column, one, f"a keyed fingerprint: {_FP_LENGTH} lower-case hex digits")


ROW_CHECKS: dict[str, tuple[RowCheck, ...]] = {
    "ports": (_locode("locode"), _between("lat", -90, 90), _between("lon", -180, 180)),
    "vessels": (_imo("imo"), RowCheck(("dwt",), "a positive tonnage", lambda v: float(v) > 0)),
    "port_calls": (_imo("imo"), _locode("locode"), _timestamp("arrival"), _timestamp("departure"),
                   _after("departure", "arrival")),
    "container_events": (
        _pattern("container_number", r"[A-Z]{3}[UJZ]\d{7}", "an ISO 6346 container number (`MSCU1234565`)"),
        _locode("locode"), _imo("imo"), _timestamp("time"),
    ),
    "customs_declarations": (_date("date"), _pattern("hs_code", r"\d{6,10}", "an HS code: 6 to 10 digits"),
                             _locode("locode")),
    # The price matcher looks benchmarks up by the first 6 digits and divides by log(p90 / p10).
    "price_benchmarks": (
        _pattern("hs_code", r"\d{6}", "an HS subheading: 6 digits"),
        _month("month"),
        RowCheck(("p10_usd", "median_usd", "p90_usd"), "0 < p10_usd ≤ median_usd ≤ p90_usd, p10 < p90",
                 lambda lo, mid, hi: 0 < lo <= mid <= hi and lo < hi),
    ),
    "companies": (_date("incorporated"),),
    "commodities": (_pattern("hs_code", r"\d{6}", "an HS subheading: 6 digits"),
                    _pattern("vessel_types", r"[a-z_]+(\|[a-z_]+)*", "`|`-joined vessel types")),
    "watchlists": (_pattern("kind", "entity|vessel|jurisdiction", "`entity`, `vessel` or `jurisdiction`"),),
    "processing_routes": (
        _pattern("input_hs", r"\d{6}", "an HS subheading: 6 digits"),
        _pattern("output_hs", r"\d{6}", "an HS subheading: 6 digits"),
        RowCheck(("yield_min", "yield_max"), "0 < yield_min ≤ yield_max (output units per input unit)",
                 lambda lo, hi: 0 < lo <= hi),
    ),
    # A registry shared between banks holds keyed fingerprints only, never plain numbers.
    "document_registry": (_date("submitted_at", time_allowed=True), _fingerprint("number_fp"),
                          _fingerprint("voyage_fp"), _fingerprint("cargo_fp"),
                          _fingerprint("container_fps", joined=True), _fingerprint("seller_fp"),
                          _fingerprint("buyer_fp"), _fingerprint("goods_fp")),
}

# What the docs say of columns that no check covers.
NOTES: dict[str, str] = {
    "country": "English country name, spelt as in the other tables (`United Arab Emirates`)",
    "flag": "flag state, English country name",
    "vessel_type": "`container`, `bulk` or `tanker` (the types the voyage-speed check knows)",
    "former_names": "`|`-joined earlier names, oldest first",
    "former_flags": "`|`-joined earlier flag states, oldest first",
    "mmsi": "9-digit AIS identity",
    "event": "`gate_in`, `loaded`, `discharged`, `gate_out`, ...",
    "flow": "`export` or `import`",
    "unit": "quantity unit: `MT`, `BBL`, `PCS`, ...",
    "directors": "`|`-joined names",
    "related_to": "`|`-joined `company_id`s of related or owning companies",
    "value": "entity name, vessel IMO number or country name (by `kind`)",
    "doc_type": "`bill_of_lading`, `commercial_invoice` or `sales_contract` (a trade leg)",
    "submission_id": "the earlier submission's id",
    "bank_id": "the bank that financed it",
}


def _format(table: str, column: str) -> str:
    rules = [c.rule for c in ROW_CHECKS.get(table, ()) if c.columns == (column,)]
    return "; ".join(rules) or NOTES.get(column, "")


def describe_table(table: str) -> str:
    """Return a markdown table of a reference table's columns, then its cross-column rules."""
    lines = ["| column | type | required | format |", "|---|---|---|---|"]
    for col in TABLES[table]:
        cell = _format(table, col.name).replace("|", "\\|")  # a bare | would split the cell
        lines.append(f"| `{col.name}` | {col.sql_type} | {'yes' if col.required else 'no'} | {cell} |")
    for check in ROW_CHECKS.get(table, ()):
        if len(check.columns) > 1:
            lines.append(f"\nRow rule: {check.rule}.")
    return "\n".join(lines) + "\n"


def describe_tables() -> str:
    """Return markdown describing every reference table (``schemas.TABLES``) and its checks."""
    return "\n".join(f"### `{table}`\n\n{describe_table(table)}" for table in TABLES)


_BLOCK = re.compile(r"(<!-- BEGIN columns (\w+) -->\n).*?(<!-- END columns -->)", re.DOTALL)


def render_doc(text: str) -> str:
    """Return a doc with each ``<!-- BEGIN columns TABLE -->`` block regenerated from the schema."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}{describe_table(m.group(2))}{m.group(3)}", text)


def load_feed(table: str, source: Path, reference_dir: Path, *, mode: Mode = "replace") -> int:
    """Validate a feed file, then write it as ``reference_dir/<table>.csv`` atomically.

    ``replace`` writes the feed's rows; ``append`` adds them to the table's current rows. Exact
    duplicate rows are written once. Nothing is written unless every row of the feed is valid.

    Returns:
        The number of rows added to the table.

    Raises:
        InputError: the feed file or the reference folder does not exist, or a bad mode.
        ReferenceDataError: unknown table, unsupported file type, a malformed row, or an empty
            feed in ``replace`` mode (it would empty the table).

    """
    from tradeverify.reference.loaders import read_table  # loaders imports ROW_CHECKS from here

    if mode not in ("replace", "append"):
        raise InputError(f"unknown load mode '{mode}'; use 'replace' or 'append'")
    source, reference_dir = Path(source), Path(reference_dir)
    if not source.is_file():
        raise InputError(f"feed file not found: {source}", file=str(source))
    if not reference_dir.is_dir():
        raise InputError(f"reference folder not found: {reference_dir}")
    new = list(read_table(table, source))
    if not new and mode == "replace":
        raise ReferenceDataError(f"{source}: no rows; replacing {table} with it would empty the table",
                                 file=str(source))
    target = reference_dir / f"{table}.csv"
    current = list(read_table(table, target)) if mode == "append" and target.exists() else []
    rows = dict.fromkeys(current)  # a dict keeps the first of exact duplicates, in order
    before = len(rows)
    rows.update(dict.fromkeys(new))
    _write_atomic(target, table, rows)
    return len(rows) - before


def _text(value: object) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def _write_atomic(target: Path, table: str, rows: Iterable[Row]) -> None:
    """Write a table CSV beside its target, then rename it: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{table}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); the store's readers may run as another user.
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([c.name for c in TABLES[table]])
            writer.writerows([_text(v) for v in row] for row in rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        doc = Path(name)
        doc.write_text(render_doc(doc.read_text(encoding="utf-8")), encoding="utf-8")
