"""``mlflow.pyfunc.spark_udf`` scores a Spark DataFrame of features with the registered champion."""

from __future__ import annotations

import sys
from pathlib import Path

import mlflow
import numpy as np
import pytest

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel

from ..registry import NAME, PACKAGED, register_packaged_model

pytestmark = pytest.mark.spark


def test_spark_udf_scores_feature_rows_like_the_packaged_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pyspark.sql import SparkSession

    uri = register_packaged_model(tmp_path / "store")
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    # executors run this interpreter (the project's venv), as the batch engine's session does
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    x = np.random.default_rng(3).normal(size=(20, len(FEATURE_NAMES)))
    x[:, FEATURE_NAMES.index("documents_missing")] = np.arange(20) % 3  # an int column below
    rows = [tuple(float(v) for v in row) for row in x]
    frame = spark.createDataFrame(rows, list(FEATURE_NAMES))
    frame = frame.withColumn("documents_missing", frame["documents_missing"].cast("int"))
    score = mlflow.pyfunc.spark_udf(spark, f"models:/{NAME}@champion", result_type="double",
                                    env_manager="local")
    got = [r["risk"] for r in frame.withColumn("risk", score(*FEATURE_NAMES)).collect()]
    np.testing.assert_allclose(got, RiskModel.load(PACKAGED).predict_proba(x), rtol=1e-9)
