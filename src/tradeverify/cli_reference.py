"""``tradeverify reference``: load a bank's feeds into the reference folder, describe the tables.

Thin: the commands call ``reference.feeds``; typed errors propagate to ``cli.main``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradeverify.reference.schemas import TABLES

reference_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

# Required on purpose: a default would let a load overwrite the shipped sample tables.
ReferenceOpt = Annotated[Path, typer.Option("--reference", help="reference folder to write")]


@reference_app.command("load")
def load(
    table: Annotated[str, typer.Argument(help=f"one of: {', '.join(TABLES)}")],
    file: Annotated[Path, typer.Argument(help="feed file: .csv or .parquet")],
    reference: ReferenceOpt,
    append: Annotated[bool, typer.Option("--append", help="add to the table's rows, not replace")] = False,
) -> None:
    """Validate FILE and write it as TABLE of the reference folder (nothing is written on error)."""
    from tradeverify.reference.feeds import load_feed

    rows = load_feed(table, file, reference, mode="append" if append else "replace")
    typer.echo(f"loaded {rows} rows into {table} ({reference})")


@reference_app.command("tables")
def tables(
    markdown: Annotated[bool, typer.Option("--markdown", help="print the full column reference")] = False,
) -> None:
    """List the reference tables and their columns (``?`` marks an optional column)."""
    if markdown:
        from tradeverify.reference.feeds import describe_tables

        typer.echo(describe_tables())
        return
    for name, columns in TABLES.items():
        typer.echo(f"{name:22} {' '.join(c.name + ('' if c.required else '?') for c in columns)}")
