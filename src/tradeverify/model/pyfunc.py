"""MLflow pyfunc (models-from-code, no pickle): returns the calibrated probability of risk.

Logged with the serving modules it imports as ``code_paths`` (training's ``tracking.py``), so the
registered model loads wherever its requirements (MLflow, LightGBM, numpy, pandas,
scikit-learn) are installed, without the ``tradeverify`` distribution.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.pyfunc import PythonModel

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel


def feature_matrix(frame: pd.DataFrame) -> np.ndarray:
    """Return the model's float matrix: absent columns unknown (NaN), ints and bools as floats.

    Raises:
        InputError: a feature column holds something that is not a number.

    """
    # The outlier column is the model's own: a caller need not send it.
    frame = frame.reindex(columns=list(FEATURE_NAMES))
    for name in frame.columns:
        try:
            frame[name] = pd.to_numeric(frame[name]).astype(float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"feature {name!r} must be a number or empty: {exc}") from exc
    return frame.to_numpy(dtype=float)


class RiskPyfunc(PythonModel):  # type: ignore[misc]
    """Wraps :class:`RiskModel`; ``predict`` gives probabilities, never class labels."""

    def load_context(self, context: Any) -> None:
        """Load the code-free model files logged as the ``model_dir`` artifact."""
        self.model = RiskModel.load(Path(context.artifacts["model_dir"]))

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> np.ndarray:
        """Return the probability of risk for each row of features."""
        return self.model.predict_proba(feature_matrix(pd.DataFrame(model_input)))


mlflow.models.set_model(RiskPyfunc())
