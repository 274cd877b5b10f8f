"""MLflow pyfunc (models-from-code, no pickle): returns the calibrated probability of risk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.pyfunc import PythonModel

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel


class RiskPyfunc(PythonModel):  # type: ignore[misc]
    """Wraps :class:`RiskModel`; ``predict`` gives probabilities, never class labels."""

    def load_context(self, context: Any) -> None:
        """Load the code-free model files logged as the ``model_dir`` artifact."""
        self.model = RiskModel.load(Path(context.artifacts["model_dir"]))

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> np.ndarray:
        """Return the probability of risk for each row of features."""
        # The outlier column is the model's own: a caller need not send it.
        x = model_input.reindex(columns=list(FEATURE_NAMES)).to_numpy(dtype=float)
        return self.model.predict_proba(x)


mlflow.models.set_model(RiskPyfunc())
