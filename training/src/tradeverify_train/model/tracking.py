"""MLflow: log a training run with its folds and search trials, and register ``tradeverify-risk``.

Training moves an alias only where none points yet: the first version becomes ``champion``,
later ones are challengers, and ``tradeverify model promote`` alone replaces a champion.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.data.numpy_dataset import from_numpy
from mlflow.exceptions import MlflowException
from mlflow.models import ModelSignature
from mlflow.tracking import MlflowClient
from mlflow.types.schema import AnyType, ColSpec, Schema

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel
from tradeverify_train.experiments import use_experiment
from tradeverify_train.model.card import model_card
from tradeverify_train.model.metrics import typology_table
from tradeverify_train.model.plots import calibration_plot, contribution_summary_plot, curves_plot
from tradeverify_train.model.train import TrainResult

# The serving package's file, found without importing it (its import registers the model).
PYFUNC_CODE = Path(str(importlib.util.find_spec("tradeverify.model.pyfunc").origin))  # type: ignore[union-attr]
CARD_FILE, CALIBRATION_PLOT, CONTRIBUTION_PLOT = "model_card.md", "calibration.png", "contributions.png"
CURVES_PLOT, TYPOLOGY_TABLE = "pr_roc_curves.png", "typology_table.json"
CHALLENGER = "challenger"
EXPERIMENT = "tradeverify-risk"
LOO_EXPERIMENT = "tradeverify-leave-one-out"
LOO_CAUGHT = 0.5  # a typology unseen in training counts as caught when half its rows band high
# What the pyfunc and the serving modules logged with it import (the tradeverify distribution is
# not among them: its modules travel as code_paths). Pinned from the installed versions: MLflow's
# own inference spawns a subprocess that re-imports the model (~8 s a run).
REQUIREMENTS = ("mlflow", "lightgbm", "numpy", "pandas", "scikit-learn")
# Prints the files of the serving modules the pyfunc imports, from a fresh interpreter.
_CLOSURE = ("import json, sys, tradeverify.model.pyfunc; print(json.dumps({m.__name__: m.__file__ "
            "for m in list(sys.modules.values()) if m.__name__.split('.')[0] == 'tradeverify'}))")


def _input_example(x: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(x[:3], columns=list(FEATURE_NAMES))


def data_version(x: np.ndarray, y: np.ndarray | None = None) -> str:
    """Return a short content hash of the feature table (and labels): the data version."""
    digest = hashlib.sha256(np.ascontiguousarray(x, dtype=float).tobytes())
    if y is not None:
        digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()[:12]


def pip_requirements() -> list[str]:
    """Return the pyfunc's pip requirements pinned to the installed versions (skipping absent ones)."""
    pins = []
    for name in REQUIREMENTS:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return pins


def _log_diagnostics(result: TrainResult, x: np.ndarray, y: np.ndarray | None, folder: Path,
                     card: str, typology: list[str] | None = None, high_threshold: float = 0.7) -> None:
    """Log the metrics JSON, the model card and the plots.

    With the labels: the out-of-fold calibration, PR and ROC curves; with the typologies too, the
    per-typology table (weakest catch first).
    """
    (folder / "metrics.json").write_text(json.dumps(result.metrics, indent=1))
    (folder / CARD_FILE).write_text(card)
    paths = [folder / "metrics.json", folder / CARD_FILE,
             contribution_summary_plot(result.model, x, folder / CONTRIBUTION_PLOT)]
    if y is not None and len(y) == len(result.oof):
        paths.append(calibration_plot(y, result.oof, folder / CALIBRATION_PLOT))
        paths.append(curves_plot(y, result.oof, folder / CURVES_PLOT))
        if typology is not None:
            rows = typology_table(y, result.oof, typology, high_threshold)
            mlflow.log_table(pd.DataFrame(rows), artifact_file=TYPOLOGY_TABLE)
    for path in paths:
        mlflow.log_artifact(str(path))


def model_signature() -> ModelSignature:
    """Return the pyfunc's signature from the feature spec: every feature optional.

    The columns are typed ``any`` because MLflow refuses an int64 column where ``double`` is
    declared; the pyfunc turns ints and bools into floats and names a column that is no number.
    """
    inputs = Schema([ColSpec(AnyType(), name, required=False) for name in FEATURE_NAMES])
    return ModelSignature(inputs=inputs, outputs=Schema([ColSpec("double", "risk_probability")]))


def serving_code(folder: Path) -> Path:
    """Copy the serving modules the pyfunc imports into ``folder/tradeverify``; return that folder."""
    done = subprocess.run([sys.executable, "-c", _CLOSURE], capture_output=True, text=True, check=True)
    package = folder / "tradeverify"
    for name, file in json.loads(done.stdout.strip().splitlines()[-1]).items():
        source = Path(file)
        relative = Path(*name.split(".")[1:])
        target = package / relative / "__init__.py" if source.name == "__init__.py" else (
            package / relative.with_suffix(".py"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return package


def log_pyfunc(model: RiskModel, x: np.ndarray, folder: Path, registered_name: str) -> str:
    """Log the models-from-code pyfunc with its serving code, signature and example; return the version."""
    model_dir = folder / "risk"
    model.save(model_dir)
    info = mlflow.pyfunc.log_model(
        name="model", python_model=str(PYFUNC_CODE), code_paths=[str(serving_code(folder / "code"))],
        artifacts={"model_dir": str(model_dir)}, input_example=_input_example(x),
        signature=model_signature(), registered_model_name=registered_name,
        pip_requirements=pip_requirements(),
    )
    return str(info.registered_model_version)


def _describe_version(registered_name: str, version: str, card: str, params: dict[str, Any],
                      alias: str | None) -> None:
    """Put the card on the registered version, tag it, and point ``alias`` at it if it is free."""
    client = MlflowClient()
    client.update_model_version(registered_name, version, description=card)
    if alias and _alias_taken(client, registered_name, alias):
        alias = None  # an existing champion is replaced by promotion only
    client.set_model_version_tag(registered_name, version, "registered_as", alias or CHALLENGER)
    client.set_model_version_tag(registered_name, version, "data_version", str(params["data_version"]))
    if alias:
        client.set_registered_model_alias(registered_name, alias, version)


def _alias_taken(client: MlflowClient, registered_name: str, alias: str) -> bool:
    try:
        client.get_model_version_by_alias(registered_name, alias)
    except MlflowException:
        return False
    return True


def _log_nested(nested: list[tuple[str, dict[str, Any], dict[str, float]]]) -> None:
    """Log each fold or search trial as a child run of the active run."""
    for name, params, metrics in nested:
        with mlflow.start_run(run_name=name, nested=True):
            mlflow.log_params({k: str(v) for k, v in params.items()})
            mlflow.log_metrics(metrics)


def _log_lineage(x: np.ndarray, y: np.ndarray | None, params: dict[str, Any], config: str | None,
                 feedback: tuple[np.ndarray, np.ndarray, str] | None = None) -> None:
    """Log the feature table as the run's input dataset (by its content hash) and the experiment."""
    source = str(params.get("world", "features"))
    labels = {"targets": y} if y is not None else {}  # the stub types targets as required
    table = from_numpy(x, source=source, name="training-features", digest=str(params["data_version"]),
                       **labels)
    mlflow.log_input(table, context="training")
    if feedback is not None:
        fx, fy, source = feedback
        mlflow.log_input(from_numpy(fx, source=source, name="officer-feedback", digest=data_version(fx, fy),
                                    targets=fy), context="feedback")
    if config is not None:
        mlflow.log_text(config, "config.yaml")


def git_commit(folder: Path) -> str:
    """Return the commit checked out in ``folder`` (with "+changes" when the tree differs), or "unknown"."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    if not commit:
        return "unknown"  # not a clone (an installed package): the data version still pins the data
    return commit + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def log_run(
    result: TrainResult, x: np.ndarray, tracking_uri: str, registered_name: str,
    run_params: dict[str, Any], alias: str | None = "champion", y: np.ndarray | None = None,
    high_threshold: float = 0.7, config: str | None = None,
    nested: list[tuple[str, dict[str, Any], dict[str, float]]] | None = None,
    typology: list[str] | None = None, feedback: tuple[np.ndarray, np.ndarray, str] | None = None,
) -> tuple[str, str]:
    """Log params, metrics, plots, model card and the pyfunc; register it. Return (run id, version).

    ``alias`` points at the new version only if it points at none yet; otherwise, and with
    ``alias=None``, the version is registered as a challenger (``tradeverify model promote``
    decides). ``nested`` (name, params, metrics) are the folds and search trials, logged as
    child runs. ``y`` (the training labels) enables the calibration, PR and ROC plots, and
    ``typology`` (each row's, "" for honest) the per-typology table.
    ``config`` (the experiment as YAML) is logged as ``config.yaml``; the feature table is the
    run's input dataset, named by its content hash (``data_version``); ``feedback`` (rows,
    labels, file) the officers' decisions mixed in, a second input dataset.
    """
    use_experiment(EXPERIMENT, tracking_uri)
    params = {**result.params, "data_version": data_version(x, y), **run_params}
    card = model_card(result, params, high_threshold)
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params({k: str(v) for k, v in params.items()})
        mlflow.log_metrics(result.metrics)
        _log_lineage(x, y, params, config, feedback)
        _log_nested([*((f"fold-{f['fold']:.0f}", {}, f) for f in result.folds), *(nested or [])])
        version = log_pyfunc(result.model, x, Path(tmp), registered_name)
        _log_diagnostics(result, x, y, Path(tmp), card, typology, high_threshold)
    _describe_version(registered_name, version, card, params, alias)
    return run.info.run_id, version


def log_leave_one_out(rows: list[dict[str, Any]], params: dict[str, Any], tracking_uri: str) -> str:
    """Log a leave-one-typology-out table as a run of ``tradeverify-leave-one-out``; return its id."""
    use_experiment(LOO_EXPERIMENT, tracking_uri)
    with mlflow.start_run() as run:
        mlflow.log_params({k: str(v) for k, v in params.items()})
        for row in rows:
            mlflow.log_metrics({f"{key}_{row['typology']}": float(row[key])
                                for key in ("recall_high", "pr_auc", "clean_flagged_high")})
        caught = sum(row["recall_high"] >= LOO_CAUGHT for row in rows)
        mlflow.log_metrics({"typologies": float(len(rows)), "typologies_caught": float(caught)})
        mlflow.log_dict({"rows": rows}, "leave_one_out.json")
    return str(run.info.run_id)
