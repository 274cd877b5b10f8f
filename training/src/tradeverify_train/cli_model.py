"""``tradeverify model ...``: promotion, export of a registered version, leave-one-typology-out.

Thin like ``cli.py``: commands call library functions and raise ``tradeverify.errors`` types;
``cli.main`` turns those into exit codes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tradeverify.cli_service import get_settings
from tradeverify.errors import InputError
from tradeverify.progress import Progress, progress_bar

if TYPE_CHECKING:  # the model code loads only when a command runs (fast --help)
    from tradeverify.config import Settings
    from tradeverify_train.model.dataset import Dataset
    from tradeverify_train.model.promote import PromotionResult

model_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

WorldOpt = Annotated[Path, typer.Option("--world", help="labelled world folder (from synth)")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="experiment YAML for params/seed/folds")]
PROMOTION_METRICS = ("pr_auc", "recall_at_1pct_fpr", "roc_auc", "brier", "ece")


def world_dataset(world: Path, settings: Settings, progress: Progress | None = None) -> Dataset:
    """Return the labelled feature table of a world folder (extracted once, then cached)."""
    from tradeverify_train.model.dataset import build_dataset

    if not (world / "labels.csv").is_file():
        raise InputError(f"not a labelled world (no labels.csv): {world}")
    return build_dataset(world, settings, progress)


def format_promotion(result: PromotionResult) -> str:
    """Return both versions' holdout metrics side by side, the PR-AUC gain and the decision."""
    champion = result.champion_metrics or {}
    keys = [*PROMOTION_METRICS, *sorted(k for k in result.challenger_metrics if k.startswith("recall_high_"))]
    head = f"v{result.champion_version}" if result.champion_version else "(none)"
    lines = [f"holdout: {result.holdout}",
             f"{'metric':34} {'challenger v' + result.challenger_version:>16} {'champion ' + head:>16}"]
    for key in keys:
        other = f"{champion[key]:16.4f}" if key in champion else f"{'-':>16}"
        lines.append(f"{key:34} {result.challenger_metrics[key]:16.4f} {other}")
    for who, metrics in (("challenger", result.challenger_feedback), ("champion", result.champion_feedback)):
        if metrics:
            shown = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items())
            lines.append(f"on held-out decisions, {who}: {shown}")
    verdict = "PROMOTED to champion" if result.promoted else "champion kept"
    lines.append(f"decision: v{result.challenger_version} {verdict} ({result.reason})")
    if result.run_id:
        lines.append(f"mlflow run {result.run_id} (experiment tradeverify-promotion)")
    return "\n".join(lines)


def leave_one_out_report(
    world: Path, settings: Settings | None = None, config: Path | None = None,
    progress: Progress | None = None,
) -> str:
    """Run leave-one-typology-out on a world with an experiment's params; return the table."""
    from tradeverify_train.model.loo import format_table, leave_one_out
    from tradeverify_train.model.tracking import data_version, log_leave_one_out
    from tradeverify_train.model.workflow import TrainConfig

    settings = settings or get_settings()
    cfg = TrainConfig.from_yaml(config) if config else TrainConfig()
    data = world_dataset(world, settings, progress)
    rows = leave_one_out(data, cfg.params, cfg.seed, cfg.folds, settings.band_high, outlier=cfg.outlier,
                         unread=cfg.unread)
    run_id = log_leave_one_out(rows, {"world": str(world), "data_version": data_version(data.x, data.y),
                                      "seed": cfg.seed, "folds": cfg.folds, "outlier": cfg.outlier,
                                      "unread": cfg.unread, "config": str(config or "defaults")},
                               settings.tracking_uri())
    note = (f"trained without each typology; recall at p >= {settings.band_high:g}; "
            "pr_auc is T vs as many held-out clean rows (0.5 = chance)\n"
            f"mlflow run {run_id} (experiment tradeverify-leave-one-out)")
    return f"{format_table(rows)}\n{note}"


@model_app.command()
def promote(
    world: WorldOpt,
    version: Annotated[str | None, typer.Option(help="challenger version (default: latest)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    resamples: Annotated[int, typer.Option(min=100, help="paired bootstrap resamples")] = 1000,
    brier_margin: Annotated[float, typer.Option(
        min=0.0, help="how much worse in Brier score a challenger may be")] = 0.005,
    ece_margin: Annotated[float, typer.Option(min=0.0, help="how much worse in ECE")] = 0.02,
    feedback: Annotated[Path | None, typer.Option(help=(
        "officers' decisions the challenger was not trained on (`tradeverify feedback export`): "
        "a challenger worse on them is not promoted"))] = None,
) -> None:
    """Score challenger and champion on one holdout world; move `champion` only if clearly better.

    Clearly better: the paired bootstrap 95 % interval of the PR-AUC gain lies above 0, and
    Brier score and ECE are no worse beyond the margins.
    """
    from tradeverify_train.model.compare import Policy
    from tradeverify_train.model.feedback import read_feedback
    from tradeverify_train.model.promote import promote as run_promote

    settings = get_settings()
    held_out = read_feedback(feedback).data if feedback is not None else None
    data = world_dataset(world, settings, progress_bar("extract"))
    policy = Policy(resamples=resamples, brier_margin=brier_margin, ece_margin=ece_margin)
    result = run_promote(data, settings.tracking_uri(), settings.registered_model_name, version,
                         settings.band_high, policy, held_out)
    typer.echo(json.dumps(asdict(result), indent=2) if json_out else format_promotion(result))


@model_app.command("leave-one-out")
def leave_one_out_cmd(world: WorldOpt, config: ConfigOpt = None) -> None:
    """Train without each fraud typology in turn and print recall on the unseen typology."""
    typer.echo(leave_one_out_report(world, get_settings(), config, progress_bar("extract")))


@model_app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="packaged-model folder to write")] = Path("models/risk"),
    alias: Annotated[str, typer.Option(help="registry alias to export")] = "champion",
    version: Annotated[str | None, typer.Option(help="a version number instead of the alias")] = None,
) -> None:
    """Write a registered version's packaged model (LightGBM text + JSON) where serving reads it."""
    from tradeverify.model.registry import export_model

    settings = get_settings()
    name = settings.registered_model_name
    uri = f"models:/{name}/{version}" if version else f"models:/{name}@{alias}"
    exported = export_model(uri, settings.tracking_uri(), out)
    typer.echo(f"exported {exported} ({uri}) to {out}")
