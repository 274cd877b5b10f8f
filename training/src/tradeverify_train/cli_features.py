"""``tradeverify features build``: the feature table of a world or a batch input, as Parquet.

Thin like ``cli.py``: the command calls :func:`tradeverify_train.model.table.build_table` and
raises ``tradeverify.errors`` types; ``cli.main`` turns those into exit codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tradeverify.cli_service import get_settings
from tradeverify.progress import progress_bar

features_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@features_app.command("build")
def build(
    source: Annotated[Path, typer.Argument(
        help="a labelled world (from synth) or a folder of submission folders (batch input)")],
    out: Annotated[Path, typer.Option("--out", help="Parquet file to write")],
    damaged_rate: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="share of a world's submissions built with one document damaged")] = 0.0,
    seed: Annotated[int, typer.Option(help="draws which submissions are damaged")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="print what was written as JSON")] = False,
    engine: Annotated[str, typer.Option(help="extract with local (worker processes) or spark")] = "local",
    master: Annotated[str, typer.Option(help="Spark master: local[N] or spark://host:port")] = "local[*]",
) -> None:
    """Write one row per submission: id, labels where known, every feature, FEATURE_VERSION."""
    from tradeverify_train.model.table import build_table

    if engine not in ("local", "spark"):
        raise typer.BadParameter("expected local or spark", param_hint="--engine")
    written = build_table(source, out, get_settings(), damaged_rate, seed, progress_bar("extract"),
                          master if engine == "spark" else None)
    if json_out:
        typer.echo(json.dumps(written, indent=2))
        return
    typer.echo(f"wrote {written['rows']} rows ({written['labelled']} labelled, {written['frauds']} "
               f"fraudulent) to {out}; features v{written['feature_version']}, "
               f"data version {written['data_version']}")
    for sid, why in dict(written["skipped"]).items():  # type: ignore[call-overload]
        typer.echo(f"skipped {sid}: {why}", err=True)
