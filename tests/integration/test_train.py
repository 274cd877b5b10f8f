"""`tradeverify train` on a small world: a real MLflow SQLite store, registry and alias."""

import json
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import yaml
from mlflow.tracking import MlflowClient

from tradeverify.config import Settings
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel
from tradeverify_train.model.workflow import TrainConfig, train

PROJECT = Path(__file__).resolve().parents[2]


def test_train_logs_registers_and_exports(tmp_path: Path) -> None:
    settings = Settings(work_dir=tmp_path, mlflow_tracking_uri="")
    cfg = TrainConfig.from_yaml(PROJECT / "training" / "smoke.yaml")
    result, run_id, version = train(cfg, settings, export=tmp_path / "export")

    client = MlflowClient(settings.tracking_uri(), settings.tracking_uri())
    run = client.get_run(run_id)
    assert run.data.params["data_seed"] == str(cfg.world.seed)
    assert run.data.params["lookalike_rate"] == str(cfg.world.lookalike_rate)
    assert run.data.params["scanned_rate"] == str(cfg.world.scanned_rate)
    # Lineage: the feature table is the run's input (named by its content hash), the resolved
    # experiment is an artifact, and the code is pinned by its commit.
    inputs = run.inputs.dataset_inputs
    assert len(inputs) == 1 and inputs[0].dataset.digest == run.data.params["data_version"]
    assert inputs[0].dataset.name == "training-features"
    logged = yaml.safe_load(Path(mlflow.artifacts.download_artifacts(
        run_id=run_id, artifact_path="config.yaml", tracking_uri=settings.tracking_uri())).read_text())
    assert logged["world"]["seed"] == cfg.world.seed and logged["unread"] == cfg.unread
    assert run.data.params["git_commit"] == "unknown" or len(run.data.params["git_commit"]) >= 40
    children = client.search_runs([run.info.experiment_id],
                                  filter_string=f"tags.mlflow.parentRunId = '{run_id}'")
    assert sorted(c.info.run_name for c in children) == [f"fold-{i}" for i in range(cfg.folds)]
    assert all(0.0 <= c.data.metrics["pr_auc_raw"] <= 1.0 for c in children)
    for metric in ("pr_auc", "roc_auc", "recall_at_1pct_fpr", "brier", "ece"):
        assert 0.0 <= run.data.metrics[metric] <= 1.0
    assert any(k.startswith("recall_high_") for k in run.data.metrics)
    logged = {a.path for a in client.list_artifacts(run_id)}
    assert {"calibration.png", "pr_roc_curves.png", "contributions.png", "typology_table.json"} <= logged
    table = json.loads(Path(mlflow.artifacts.download_artifacts(
        run_id=run_id, artifact_path="typology_table.json", tracking_uri=settings.tracking_uri(),
    )).read_text())
    rows = dict(zip(table["columns"], zip(*table["data"], strict=True), strict=True))
    assert rows["typology"][-1] == "(honest)" and sum(rows["rows"]) == cfg.world.n
    assert list(rows["share_high"][:-1]) == sorted(rows["share_high"][:-1])  # weakest catch first
    assert result.metrics["roc_auc"] > 0.6  # far from a coin flip even on 120 rows
    alias = client.get_model_version_by_alias("tradeverify-risk", "champion")
    assert str(alias.version) == version and alias.run_id == run_id

    # The registered pyfunc returns probabilities, equal to the exported code-free model's.
    mlflow.set_tracking_uri(settings.tracking_uri())
    pyfunc = mlflow.pyfunc.load_model("models:/tradeverify-risk@champion")
    exported = RiskModel.load(tmp_path / "export")
    x = np.random.default_rng(0).normal(size=(5, len(FEATURE_NAMES)))
    got = np.asarray(pyfunc.predict(pd.DataFrame(x, columns=list(FEATURE_NAMES))))
    assert got.shape == (5,) and ((got >= 0) & (got <= 1)).all()
    np.testing.assert_allclose(got, exported.predict_proba(x))
    assert not list((tmp_path / "export").glob("*.pkl"))
