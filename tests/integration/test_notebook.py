"""training/explore.ipynb runs top to bottom on a feature table and a registered champion."""

from __future__ import annotations

import json
from pathlib import Path

import mlflow
import nbformat
import numpy as np
import pandas as pd
from nbclient import NotebookClient
from sklearn.metrics import average_precision_score

from tradeverify.config import Settings
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.model.metrics import typology_table
from tradeverify_train.model.table import build_table, read_table
from tradeverify_train.model.workflow import TrainConfig, train

NOTEBOOK = Path(__file__).resolve().parents[2] / "training" / "explore.ipynb"


def _with_parameters(nb: nbformat.NotebookNode, **values: str) -> nbformat.NotebookNode:
    """Replace the cell tagged ``parameters`` with these assignments (papermill's convention)."""
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = "\n".join(f"{k} = {v!r}" for k, v in values.items())
    return nb


def test_explore_notebook_runs_and_reports_the_champion(small_world: Path, tmp_path: Path) -> None:
    settings = Settings(work_dir=tmp_path, mlflow_tracking_uri="")
    table = tmp_path / "features.parquet"
    build_table(small_world, table, settings)
    cfg = TrainConfig(features=table, folds=3, params={"num_threads": 1, "num_leaves": 7,
                                                       "min_data_in_leaf": 3})
    train(cfg, settings)
    nb = _with_parameters(nbformat.read(NOTEBOOK, as_version=4), TABLE=str(table),
                          MODEL_URI="models:/tradeverify-risk@champion",
                          TRACKING_URI=settings.tracking_uri())
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.write(nb, tmp_path / "explore.executed.ipynb")  # kept with the test's files

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the reliability diagram
    summary = json.loads(nb.cells[-1].outputs[-1].text.strip().splitlines()[-1])

    # The notebook's figures are the champion's own on this table, computed here independently.
    data = read_table(table)
    mlflow.set_tracking_uri(settings.tracking_uri())
    champion = mlflow.pyfunc.load_model("models:/tradeverify-risk@champion")
    p = np.asarray(champion.predict(pd.DataFrame(data.x, columns=list(FEATURE_NAMES))), dtype=float)
    assert summary["rows"] == 40
    assert summary["pr_auc"] == round(float(average_precision_score(data.y, p)), 6)
    frauds = [r for r in typology_table(data.y, p, data.typology, settings.band_high) if r["is_fraud"]]
    assert summary["weakest"] == [r["typology"] for r in frauds[:3]]
    honest = np.flatnonzero(data.y == 0)
    assert summary["suspect"] == data.ids[honest[np.argmax(p[honest])]]
    assert summary["top_input"] in champion.unwrap_python_model().model.booster.feature_name()
