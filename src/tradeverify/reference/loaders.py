"""CSV loaders for reference tables: validate every row, reject malformed ones with file and line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from tradeverify.errors import ReferenceDataError
from tradeverify.reference.schemas import TABLES, Column

_PARSERS = {"TEXT": str, "REAL": float, "INTEGER": int}


def _parse(value: str, column: Column, where: str) -> object:
    if value == "":
        if column.required:
            raise ReferenceDataError(f"{where}: column '{column.name}' is empty")
        return None
    try:
        return _PARSERS[column.sql_type](value)
    except ValueError:
        raise ReferenceDataError(
            f"{where}: column '{column.name}' is not {column.sql_type}: {value!r}"
        ) from None


def read_table(table: str, path: Path) -> Iterator[tuple[object, ...]]:
    """Yield typed rows of a reference CSV in schema column order.

    Raises:
        ReferenceDataError: unknown table, missing column, or a malformed row (with its line).

    """
    if table not in TABLES:
        raise ReferenceDataError(f"unknown reference table '{table}'; known: {sorted(TABLES)}")
    columns = TABLES[table]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c.name for c in columns if c.required and c.name not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{path}: missing columns {missing}", file=str(path))
        for row in reader:
            where = f"{path}:{reader.line_num}"
            yield tuple(_parse(row.get(c.name) or "", c, where) for c in columns)
