"""A throw-away MLflow store holding the packaged model as registered ``tradeverify-risk@champion``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from mlflow.tracking import MlflowClient

from tradeverify.config import PROJECT_DIR
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel
from tradeverify_train.experiments import use_experiment
from tradeverify_train.model.tracking import EXPERIMENT, log_pyfunc

NAME = "tradeverify-risk"
PACKAGED = PROJECT_DIR / "models" / "risk"


def register_packaged_model(folder: Path) -> str:
    """Log and register the packaged model in a SQLite store under ``folder``; return its URI."""
    import mlflow

    uri = f"sqlite:///{folder / 'mlflow.db'}"
    use_experiment(EXPERIMENT, uri)
    example = np.random.default_rng(0).normal(size=(3, len(FEATURE_NAMES)))
    with mlflow.start_run():
        version = log_pyfunc(RiskModel.load(PACKAGED), example, folder / "staging", NAME)
    MlflowClient(uri, uri).set_registered_model_alias(NAME, "champion", version)
    return uri
