"""The training commands of ``tradeverify``: synth, train, evaluate, evaluate-extraction, model, features.

Serving's CLI finds :func:`register` through the ``tradeverify.commands`` entry point when this
package is installed (serving itself never imports training code). Thin like serving's
``cli.py``: the commands call library functions and raise ``tradeverify.errors`` types, which
``tradeverify.cli.main`` turns into exit codes; the library code loads only when a command runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tradeverify.cli_service import get_settings  # loads the settings on first use (fast --help)
from tradeverify.progress import progress_bar
from tradeverify_train.cli_extraction import evaluate_extraction_cmd
from tradeverify_train.cli_features import features_app
from tradeverify_train.cli_model import leave_one_out_report, model_app

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def register(app: typer.Typer) -> None:
    """Add the training commands to serving's command line."""
    app.command("synth")(synth)
    app.command("train")(train)
    app.command("evaluate")(evaluate)
    app.command("evaluate-extraction")(evaluate_extraction_cmd)
    app.add_typer(model_app, name="model")
    app.add_typer(features_app, name="features")


def synth(
    out: Annotated[Path, typer.Option("--out", help="world folder to write")],
    n: Annotated[int, typer.Option("--n", help="submissions")] = 200,
    seed: Annotated[int, typer.Option(help="same seed, same bytes")] = 0,
    fraud_rate: Annotated[float, typer.Option(help="share of fraudulent submissions")] = 0.05,
    scanned_rate: Annotated[float, typer.Option(help="share of scanned submissions")] = 0.2,
    lookalike_rate: Annotated[float, typer.Option(
        help="share of honest submissions given one innocent oddity (a price premium, an AIS gap, "
             "a late B/L date...), as training worlds have")] = 0.25,
    layout_set: Annotated[
        str, typer.Option(help="issuer layouts: train (A-D), holdout (E, F, never tuned on), diverse "
                               "(randomized, training lexicon) or diverse-holdout (held-out lexicon "
                               "and layouts)")
    ] = "train",
) -> None:
    """Generate a synthetic trade world with ground truth."""
    from tradeverify_train.synth.docspec import LAYOUT_SETS
    from tradeverify_train.synth.generate import WorldConfig, generate_world

    if layout_set not in LAYOUT_SETS:
        raise typer.BadParameter(f"expected one of {sorted(LAYOUT_SETS)}", param_hint="--layout-set")
    cfg = WorldConfig(n=n, seed=seed, fraud_rate=fraud_rate, scanned_rate=scanned_rate,
                      lookalike_rate=lookalike_rate, layout_set=layout_set)
    deals = generate_world(out, cfg, progress_bar("synth"))
    frauds = sum(bool(d.typology) for d in deals)
    typer.echo(f"wrote {len(deals)} submissions ({frauds} fraudulent) to {out}")


def train(
    config: Annotated[Path, typer.Option(help="experiment YAML")] = Path("training/default.yaml"),
    export: Annotated[Path | None, typer.Option(help="write the packaged model here")] = None,
    feedback: Annotated[Path | None, typer.Option(help="officers' decisions to mix in (from `tradeverify "
                                                  "feedback export`)")] = None,
    feedback_weight: Annotated[float | None, typer.Option(
        min=0.0, help="how many generator rows one decision weighs (default: the config's, 5)")] = None,
) -> None:
    """Train, evaluate, log to MLflow, register and (optionally) export the risk model."""
    from tradeverify_train.model.workflow import TrainConfig
    from tradeverify_train.model.workflow import train as run_train

    settings = get_settings()
    bars: dict[str, Callable[[int, int], None]] = {}

    def progress(stage: str, i: int, n: int) -> None:
        bars.setdefault(stage, progress_bar(stage))(i, n)

    cfg = TrainConfig.from_yaml(config)
    if feedback is not None:
        cfg.feedback = feedback
    if feedback_weight is not None:
        cfg.feedback_weight = feedback_weight
    result, run_id, version = run_train(cfg, settings, export, progress)
    for key, value in sorted(result.metrics.items()):
        typer.echo(f"{key:34} {value:.4f}")
    from mlflow.tracking import MlflowClient

    name = settings.registered_model_name
    uri = settings.tracking_uri()
    role = MlflowClient(uri, uri).get_model_version(name, version).tags.get("registered_as")
    told = ("@champion" if role == "champion" else
            f"registered as {role}: `tradeverify model promote --world HOLDOUT` decides")
    typer.echo(f"mlflow run {run_id}; {name} v{version} {told}; store {settings.tracking_uri()}")


def evaluate(
    world: Annotated[Path, typer.Option(help="labelled world folder (from synth)")],
    json_out: JsonOpt = False,
    leave_one_out: Annotated[bool, typer.Option(
        "--leave-one-out", help="train without each typology in turn and report its recall")] = False,
) -> None:
    """Score a labelled world with the packaged model and print its metrics."""
    from tradeverify_train.evaluation import evaluate_world

    if leave_one_out:
        typer.echo(leave_one_out_report(world, get_settings(), config=None,
                                        progress=progress_bar("extract")))
        return
    result = evaluate_world(world, get_settings(), progress_bar("extract"))
    if json_out:
        typer.echo(json.dumps(result, indent=2))
    else:
        for key, value in _flat(result).items():
            typer.echo(f"{key:40} {value:.4f}" if isinstance(value, float) else f"{key:40} {value}")


def _flat(result: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested metric groups to ``group.key`` lines for the text output."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
