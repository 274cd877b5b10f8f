"""``tradeverify evaluate-extraction``: extraction precision / recall / F1 on a generated world.

Thin like ``cli.py``: the command calls :mod:`tradeverify_train.extraction.evaluation` and raises
``tradeverify.errors`` types; ``cli.main`` turns those into exit codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tradeverify.cli_service import get_settings
from tradeverify.errors import InputError
from tradeverify.progress import progress_bar

WORST = 10
WorldArg = Annotated[
    Path | None, typer.Argument(help="generated world folder (from `tradeverify synth`)")
]
GoldenOpt = Annotated[
    Path | None,
    typer.Option("--golden", help="score a folder of documents with NAME.json truth files instead"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the full result as JSON")]
FreshOpt = Annotated[bool, typer.Option("--fresh", help="re-extract instead of reusing extracted.jsonl")]
MlflowOpt = Annotated[
    bool, typer.Option("--mlflow/--no-mlflow", help="log metrics and JSON to the MLflow store")
]
_DOCS_HEAD = f"{'docs':>5} {'type_acc':>8}"
_COUNTS_HEAD = f"{'tp':>6} {'fp':>6} {'fn':>6} {'precision':>9} {'recall':>7} {'f1':>6}"
_HEAD = f"{_DOCS_HEAD} {_COUNTS_HEAD}"


def _num(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.3f}"


def _row(label: str, s: dict[str, Any], width: int = 34) -> str:
    """Return one table row of a summary (documents, type accuracy, counts, P/R/F1)."""
    docs = f"{s['documents']:5d} {_num(s['doc_type_accuracy'], 8)}" if "documents" in s else " " * 14
    return (f"{label:{width}} {docs} {s['tp']:6d} {s['fp']:6d} {s['fn']:6d} "
            f"{_num(s['precision'], 9)} {_num(s['recall'], 7)} {_num(s['f1'], 6)}")


def _overall_lines(kinds: dict[str, Any]) -> list[str]:
    lines = [f"{'overall':34} {_HEAD}"]
    for kind, figures in kinds.items():
        lines.append(_row(kind, figures["overall"]))
        lines += [_row(f"  layout {lay}", s) for lay, s in figures["layouts"].items()]
    return lines


def _type_lines(kinds: dict[str, Any]) -> list[str]:
    lines = [f"{'per document type':34} {_HEAD}"]
    for kind, figures in kinds.items():
        lines += [_row(f"{kind} {t}", v["overall"]) for t, v in figures["doc_types"].items()]
    return lines


def worst_fields(result: dict[str, Any], n: int = WORST) -> list[tuple[str, dict[str, Any]]]:
    """Return the ``n`` fields with the lowest F1 (most errors first on ties), digital and scanned."""
    from tradeverify_train.extraction.evaluation import ALL

    fields = [(f"{kind} {doc_type}.{name}", metrics)
              for kind, figures in result["kinds"].items() if kind != ALL
              for doc_type, per_type in figures["doc_types"].items()
              for name, metrics in per_type["fields"].items() if metrics["f1"] is not None]  # fmt: skip
    return sorted(fields, key=lambda item: (item[1]["f1"], -(item[1]["fp"] + item[1]["fn"]), item[0]))[:n]


def format_result(result: dict[str, Any]) -> str:
    """Return the readable report: overall (and per layout), per document type, worst fields."""
    worst = [_row(label, m, 44) for label, m in worst_fields(result)]
    head = f"{'worst fields':44} {'':{len(_DOCS_HEAD)}} {_COUNTS_HEAD}"
    sections = [_overall_lines(result["kinds"]), _type_lines(result["kinds"]), [head, *worst]]
    title = f"extraction on {result['world']}  (TP: right; FP: extracted but wrong; FN: missed or wrong)"
    return "\n\n".join("\n".join(lines) for lines in [[title], *sections])


def evaluate_extraction_cmd(
    world: WorldArg = None, golden: GoldenOpt = None, json_out: JsonOpt = False,
    log: MlflowOpt = False, fresh: FreshOpt = False,
) -> None:
    """Score extraction against ground truth (a generated world, or --golden DIR): P/R/F1 per field."""
    from tradeverify_train.extraction.evaluation import EXPERIMENT, evaluate_extraction, log_to_mlflow
    from tradeverify_train.extraction.golden import evaluate_golden
    from tradeverify_train.model.dataset import EXTRACTED_FILE

    settings = get_settings()
    if golden is not None and world is None:
        result = evaluate_golden(golden, settings, progress_bar("extract"))
    elif world is not None and golden is None:
        result = evaluate_extraction(world, settings, progress_bar("extract"), fresh=fresh)
    else:
        raise InputError("give either a generated WORLD or --golden DIR")
    if result.get("cache_reused"):
        typer.echo(f"note: scored the cached {world}/{EXTRACTED_FILE}; --fresh re-extracts", err=True)
    typer.echo(json.dumps(result, indent=2, sort_keys=True) if json_out else format_result(result))
    if log:
        run_id = log_to_mlflow(result, settings)
        typer.echo(f"mlflow run {run_id} in {EXPERIMENT}; store {settings.tracking_uri()}", err=True)
