"""Open an MLflow experiment whose artifacts live beside its tracking store.

MLflow's default artifact root for a database store is ``./mlruns`` of whatever directory the
command runs in, so runs made from two directories split their artifacts and a clean checkout
gains a stray folder. Experiments created here keep theirs in ``mlartifacts/`` next to the
SQLite file (a tracking server keeps its own root).
"""

from __future__ import annotations

from pathlib import Path

import mlflow

ARTIFACT_FOLDER = "mlartifacts"


def artifact_root(tracking_uri: str) -> Path | None:
    """Return the artifact folder of a SQLite tracking store, or None for any other store."""
    if not tracking_uri.startswith("sqlite:///"):
        return None
    return Path(tracking_uri.removeprefix("sqlite:///")).resolve().parent / ARTIFACT_FOLDER


def use_experiment(name: str, tracking_uri: str) -> str:
    """Point MLflow at ``tracking_uri`` and make ``name`` the active experiment; return its id.

    The model registry is pointed at the same store: a registry URI set earlier in the process
    (serving's model fetch sets one) would otherwise receive this run's model versions.
    """
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    found = mlflow.get_experiment_by_name(name)
    if found is None:
        root = artifact_root(tracking_uri)
        location = (root / name).as_uri() if root is not None else None
        return mlflow.set_experiment(experiment_id=mlflow.create_experiment(
            name, artifact_location=location)).experiment_id
    return mlflow.set_experiment(name).experiment_id
