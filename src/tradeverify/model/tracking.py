"""MLflow: log a training run, register ``tradeverify-risk`` and move the ``champion`` alias."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from mlflow.tracking import MlflowClient

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.train import TrainResult

PYFUNC_CODE = Path(__file__).with_name("pyfunc.py")


def _input_example(x: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(x[:3], columns=list(FEATURE_NAMES))


def log_run(
    result: TrainResult, x: np.ndarray, tracking_uri: str, registered_name: str,
    run_params: dict[str, Any], alias: str | None = "champion",
) -> tuple[str, str]:
    """Log params, metrics, artifacts and the pyfunc; register it. Return (run id, version)."""
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment("tradeverify-risk")
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params({k: str(v) for k, v in {**result.params, **run_params}.items()})
        mlflow.log_metrics(result.metrics)
        model_dir = Path(tmp) / "risk"
        result.model.save(model_dir)
        example = _input_example(x)
        proba = result.model.predict_proba(example.to_numpy())
        info = mlflow.pyfunc.log_model(
            name="model", python_model=str(PYFUNC_CODE),
            artifacts={"model_dir": str(model_dir)}, input_example=example,
            signature=infer_signature(example, pd.Series(proba, name="risk_probability")),
            registered_model_name=registered_name,
        )
        (Path(tmp) / "metrics.json").write_text(json.dumps(result.metrics, indent=1))
        mlflow.log_artifact(str(Path(tmp) / "metrics.json"))
    version = str(info.registered_model_version)
    if alias:
        MlflowClient().set_registered_model_alias(registered_name, alias, version)
    return run.info.run_id, version
