"""`tradeverify features build` on a world and on a bank's batch input, and training from the table."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from tradeverify.cli import main
from tradeverify.config import Settings
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify.pipeline import submission_id
from tradeverify_train.model.dataset import build_dataset
from tradeverify_train.model.table import read_table, table_meta
from tradeverify_train.model.workflow import TrainConfig, train

SAMPLES = Path(__file__).resolve().parents[2] / "data_samples" / "submissions"


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def test_world_table_matches_the_dataset_and_trains(
    small_world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    table = tmp_path / "features.parquet"
    code, out, err = _cli(["features", "build", str(small_world), "--out", str(table)], capsys)
    assert code == 0, err
    meta = table_meta(table)
    assert "wrote 40 rows (40 labelled" in out and str(meta["data_version"]) in out
    assert meta["feature_version"] == FEATURE_VERSION and meta["source"] == str(small_world)
    data, direct = read_table(table), build_dataset(small_world)
    assert data.ids == direct.ids and data.typology == direct.typology
    np.testing.assert_array_equal(data.x, direct.x)  # the same features the training path builds
    labels = pd.read_csv(small_world / "labels.csv").set_index("submission_id")
    assert data.y.tolist() == labels.loc[data.ids, "is_fraud"].tolist()

    settings = Settings(work_dir=tmp_path, mlflow_tracking_uri="")
    cfg = TrainConfig(features=table, folds=3, alias=None,
                      params={"num_threads": 1, "num_leaves": 7, "min_data_in_leaf": 3})
    _, run_id, _ = train(cfg, settings)
    run = MlflowClient(settings.tracking_uri(), settings.tracking_uri()).get_run(run_id)
    assert run.data.params["features"] == str(table) and run.data.params["data_n"] == "40"
    assert run.data.params["world"] == str(small_world) and "data_seed" not in run.data.params
    assert run.inputs.dataset_inputs[0].dataset.digest == meta["data_version"]


def test_batch_input_is_unlabelled_and_a_broken_submission_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    inbox = tmp_path / "inbox"
    for name in ("clean_digital", "fraud_price_deviation"):
        shutil.copytree(SAMPLES / name, inbox / name)
    (inbox / "broken").mkdir()
    (inbox / "broken" / "submission.json").write_text("{not json")
    before = sorted(p.relative_to(inbox) for p in inbox.rglob("*"))
    table = tmp_path / "inbox.parquet"
    code, out, err = _cli(["features", "build", str(inbox), "--out", str(table)], capsys)
    assert code == 0, err
    assert "wrote 2 rows (0 labelled" in out and "skipped broken:" in err and "not valid JSON" in err
    assert sorted(p.relative_to(inbox) for p in inbox.rglob("*")) == before  # nothing written there
    frame = pd.read_parquet(table)
    assert sorted(frame["submission_id"]) == sorted(
        submission_id(inbox / n) for n in ("clean_digital", "fraud_price_deviation"))
    assert frame["is_fraud"].isna().all() and set(FEATURE_NAMES) <= set(frame.columns)
    assert frame[list(FEATURE_NAMES)].notna().any(axis=1).all()  # matched against the reference data

    code, _, err = _cli(["features", "build", str(inbox), "--out", str(table), "--damaged-rate", "0.2"],
                        capsys)
    assert code != 0 and "labelled world" in err
