"""``tradeverify features build --engine spark`` on a real Spark session (local[2]): the local table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tradeverify.cli import main
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.model.table import table_meta

from ..conftest import SAMPLES

pytestmark = pytest.mark.spark


def _build(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["features", "build", *args])
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def test_spark_table_equals_the_local_table_and_names_the_broken_submission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    inbox = tmp_path / "inbox"
    for folder in sorted((SAMPLES / "submissions").iterdir())[:6]:
        shutil.copytree(folder, inbox / folder.name)
    (inbox / "broken").mkdir()
    (inbox / "broken" / "submission.json").write_text("{not json")
    local, spark = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    code, _, err = _build([str(inbox), "--out", str(local)], capsys)
    assert code == 0, err
    code, out, err = _build([str(inbox), "--out", str(spark), "--engine", "spark", "--master", "local[2]"],
                            capsys)
    assert code == 0, err
    assert "wrote 6 rows (0 labelled" in out and "skipped broken:" in err
    # Same rows in the same order (the folders' order), the same features: the same data version.
    pd.testing.assert_frame_equal(pd.read_parquet(spark), pd.read_parquet(local))
    assert table_meta(spark)["data_version"] == table_meta(local)["data_version"]
    assert pd.read_parquet(spark)[list(FEATURE_NAMES)].notna().any(axis=1).all()


def test_unknown_engine_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _build([str(SAMPLES / "submissions"), "--out", str(tmp_path / "t.parquet"),
                           "--engine", "ray"], capsys)
    assert code == 2 and "local or spark" in err
