"""The Parquet feature table: what goes in comes out, and a table from other code is refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify_train.model.dataset import UNLABELLED, Dataset
from tradeverify_train.model.table import META_KEY, read_table, table_meta, write_table
from tradeverify_train.model.tracking import data_version


def _data(n: int = 6, labelled: bool = True) -> Dataset:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    x[0, 2] = np.nan  # a check with nothing to go on stays unknown, not 0
    y = np.array([i % 2 for i in range(n)]) if labelled else np.full(n, UNLABELLED)
    return Dataset([f"S-{i}" for i in range(n)], x, y, ["price" if v == 1 else "" for v in y],
                   np.array([i == 1 for i in range(n)]), ["offshore_resale"] * n,
                   np.array([i == 3 for i in range(n)]))


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    data = _data()
    version = write_table(data, tmp_path / "t.parquet", "worlds/w")
    back = read_table(tmp_path / "t.parquet")
    assert back.ids == data.ids and back.typology == data.typology
    np.testing.assert_array_equal(back.x, data.x)  # NaN in the same place, bit for bit
    np.testing.assert_array_equal(back.y, data.y)
    assert back.flagged is not None and back.flagged.tolist() == data.flagged.tolist()  # type: ignore[union-attr]
    assert back.damaged is not None and back.damaged.tolist() == data.damaged.tolist()  # type: ignore[union-attr]
    assert version == data_version(data.x, data.y) == data_version(back.x, back.y)
    meta = table_meta(tmp_path / "t.parquet")
    assert meta == {"feature_version": FEATURE_VERSION, "data_version": version,
                    "source": "worlds/w", "rows": 6}
    assert not list(tmp_path.glob(".*tmp"))  # written whole, then moved into place


def test_unlabelled_rows_are_null_and_refused_for_training(tmp_path: Path) -> None:
    write_table(_data(labelled=False), tmp_path / "input.parquet", "batch/in")
    frame = pq.read_table(tmp_path / "input.parquet").to_pandas()
    assert frame["is_fraud"].isna().all() and frame["typology"].isna().all()
    assert list(frame.columns[:6]) == ["submission_id", "is_fraud", "typology", "trade_model",
                                       "hard_rule", "damaged"]
    with pytest.raises(InputError, match="without labels"):
        read_table(tmp_path / "input.parquet")


def test_a_table_of_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.parquet"
    write_table(_data(), path, "w")
    table = pq.read_table(path)
    meta = {**table_meta(path), "feature_version": "9"}
    pq.write_table(table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()}), path)
    with pytest.raises(InputError, match="version 9.*features build"):
        read_table(path)


def test_not_a_feature_table(tmp_path: Path) -> None:
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a readable Parquet"):
        table_meta(tmp_path / "junk.parquet")
    pq.write_table(pa.table({"a": [1]}), tmp_path / "plain.parquet")
    with pytest.raises(InputError, match="not a tradeverify feature table"):
        read_table(tmp_path / "plain.parquet")
