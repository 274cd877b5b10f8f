"""Loaders for reference tables (CSV and Parquet): validate every row, reject malformed ones.

Every error names the file and the place: ``file:LINE`` for CSV (the physical line, header = 1),
``file:row N`` for Parquet (1-based data row). Rows are checked cell by cell against the schema
(required, REAL/INTEGER parse), then against the table's row checks (``feeds.ROW_CHECKS``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from tradeverify.errors import ReferenceDataError
from tradeverify.reference.feeds import ROW_CHECKS
from tradeverify.reference.schemas import TABLES, Column

SUPPORTED_SUFFIXES = (".csv", ".parquet")
_PARSERS = {"TEXT": str, "REAL": float, "INTEGER": int}
_PARQUET_BATCH = 10_000

Cells = dict[str, str]


def _parse(value: str, column: Column, where: str, file: str) -> object:
    if value == "":
        if column.required:
            raise ReferenceDataError(f"{where}: column '{column.name}' is empty", file=file)
        return None
    try:
        parsed = _PARSERS[column.sql_type](value)
    except ValueError:
        parsed = None
    if parsed is None or (isinstance(parsed, float) and not math.isfinite(parsed)):
        raise ReferenceDataError(
            f"{where}: column '{column.name}' is not {column.sql_type}: {value!r}", file=file
        )
    return parsed


def table_columns(table: str) -> tuple[Column, ...]:
    """Return a table's schema columns.

    Raises:
        ReferenceDataError: the table is not one of ``schemas.TABLES``.

    """
    if table not in TABLES:
        raise ReferenceDataError(f"unknown reference table '{table}'; known: {', '.join(TABLES)}")
    return TABLES[table]


def read_table(table: str, path: Path) -> Iterator[tuple[object, ...]]:
    """Return typed rows of a reference file (``.csv`` or ``.parquet``) in schema column order.

    The table and file type are checked at once; the file's rows are read as they are consumed.

    Raises:
        ReferenceDataError: unknown table, unsupported file type, unreadable file, missing
            column, or a malformed row (with its file and line / row).

    """
    columns = table_columns(table)
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReferenceDataError(
            f"{path}: unsupported reference file type '{suffix}'; supported: "
            f"{', '.join(SUPPORTED_SUFFIXES)}", file=str(path),
        )
    cells = _csv_cells(Path(path), columns) if suffix == ".csv" else _parquet_cells(Path(path), columns)
    return (_typed_row(table, columns, row, where, str(path)) for where, row in cells)


def _typed_row(
    table: str, columns: Sequence[Column], cells: Cells, where: str, file: str
) -> tuple[object, ...]:
    row = tuple(_parse(cells.get(c.name, ""), c, where, file) for c in columns)
    record = dict(zip([c.name for c in columns], row, strict=True))
    for check in ROW_CHECKS.get(table, ()):
        problem = check.error(record)
        if problem:
            raise ReferenceDataError(f"{where}: {problem}", file=file)
    return row


def _require(path: Path, columns: Sequence[Column], header: Sequence[str]) -> None:
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        raise ReferenceDataError(f"{path}: missing columns {missing}", file=str(path))


def _csv_cells(path: Path, columns: Sequence[Column]) -> Iterator[tuple[str, Cells]]:
    try:
        # utf-8-sig: spreadsheet exports start with a byte-order mark that would hide column 1.
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            _require(path, columns, header)
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if not row:
                    continue
                if len(row) != len(header):
                    raise ReferenceDataError(
                        f"{where}: {len(row)} fields, the header has {len(header)} "
                        "(an unquoted comma?)", file=str(path),
                    )
                yield where, dict(zip(header, row, strict=True))
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except (csv.Error, OSError) as exc:
        raise ReferenceDataError(f"{path}: unreadable CSV: {exc}", file=str(path)) from None


def _parquet_cells(path: Path, columns: Sequence[Column]) -> Iterator[tuple[str, Cells]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {c.name: c.sql_type for c in columns}
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
        _require(path, columns, names)
        number, wanted = 0, [n for n in types if n in names]
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=wanted):
            for record in batch.to_pylist():
                number += 1
                yield f"{path}:row {number}", {k: _text(v, types[k]) for k, v in record.items()}
    except (pa.ArrowException, OSError) as exc:
        raise ReferenceDataError(f"{path}: unreadable Parquet: {exc}", file=str(path)) from None


def _text(value: object, sql_type: str) -> str:
    """Return a Parquet cell as the text the CSV loader would see."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # an aware timestamp is unambiguous: store it as UTC
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="minutes" if value.second == value.microsecond == 0 else "auto")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "|".join(_text(v, "TEXT") for v in value)
    if isinstance(value, float) and sql_type == "INTEGER" and value.is_integer():
        return str(int(value))
    return str(value)
