"""The feature table as a Parquet file: one row per submission, the features, labels where known.

``tradeverify features build`` writes it and training reads it (``features:`` in the experiment
YAML), so a table built once is trained on, compared and explored (pandas, Spark, DuckDB)
without extracting the world again. The file carries ``feature_version`` and its content hash
(``data_version``) in its schema metadata; a table from other features is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tradeverify.config import Settings
from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify_train.model.dataset import UNLABELLED, Dataset, build_dataset, build_input_dataset
from tradeverify_train.model.tracking import data_version

META_KEY = b"tradeverify"
LABELS = ("is_fraud", "typology", "trade_model", "hard_rule", "damaged")


def _columns(data: Dataset) -> dict[str, pa.Array]:
    """Return the table's columns: id, labels (null where unknown), then every feature."""
    n = len(data.ids)
    known = [int(v) != UNLABELLED for v in data.y]
    cols: dict[str, pa.Array] = {"submission_id": pa.array(data.ids, pa.string())}
    rows = list(zip(data.y, data.typology, known, strict=True))
    cols["is_fraud"] = pa.array([int(v) if k else None for v, _, k in rows], pa.int8())
    cols["typology"] = pa.array([t if k else None for _, t, k in rows], pa.string())
    models: list[str | None] = list(data.trade_model) if data.trade_model else [None] * n
    cols["trade_model"] = pa.array(models, pa.string())
    for name, values in (("hard_rule", data.flagged), ("damaged", data.damaged)):
        cols[name] = pa.array(values.tolist() if values is not None else [None] * n, pa.bool_())
    for j, name in enumerate(FEATURE_NAMES):
        cols[name] = pa.array(data.x[:, j], pa.float64())  # NaN: the check had nothing to go on
    return cols


def write_table(data: Dataset, path: Path, source: str) -> str:
    """Write ``data`` to a Parquet file at ``path``; return its data version."""
    version = data_version(data.x, data.y)
    meta = {"feature_version": FEATURE_VERSION, "data_version": version, "source": source,
            "rows": len(data.ids)}
    table = pa.table(_columns(data)).replace_schema_metadata({META_KEY: json.dumps(meta).encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, staged)
    staged.replace(path)
    return version


def table_meta(path: Path) -> dict[str, object]:
    """Return the metadata ``write_table`` stored (feature and data version, source, rows)."""
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"not a readable Parquet feature table: {path} ({exc})") from exc
    raw = (schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise InputError(f"{path} is not a tradeverify feature table (no {META_KEY.decode()} metadata)")
    return dict(json.loads(raw))


def read_table(path: Path) -> Dataset:
    """Return the labelled Dataset stored at ``path``.

    Raises:
        InputError: not a feature table, built for another feature version, or unlabelled.

    """
    meta = table_meta(path)
    if meta.get("feature_version") != FEATURE_VERSION:
        raise InputError(f"{path} holds features version {meta.get('feature_version')}; this code "
                         f"builds version {FEATURE_VERSION}: rebuild it with `tradeverify features build`")
    frame = pq.read_table(path).to_pandas()
    if frame["is_fraud"].isna().any():
        raise InputError(f"{path} has rows without labels: training needs a labelled world")
    flags = {k: frame[k].to_numpy(dtype=bool) if frame[k].notna().all() else None
             for k in ("hard_rule", "damaged")}
    return Dataset(frame["submission_id"].tolist(), frame[list(FEATURE_NAMES)].to_numpy(dtype=float),
                   frame["is_fraud"].to_numpy(dtype=np.int64), frame["typology"].fillna("").tolist(),
                   flags["hard_rule"], frame["trade_model"].tolist(), flags["damaged"])


def is_world(folder: Path) -> bool:
    """Return whether ``folder`` is a labelled world (from synth), not a bank's batch input."""
    return (folder / "labels.csv").is_file() and (folder / "submissions").is_dir()


def build_table(
    source: Path, out: Path, settings: Settings, damaged_rate: float = 0.0, seed: int = 0,
    progress: Callable[[int, int], None] | None = None, master: str | None = None,
) -> dict[str, object]:
    """Build the feature table of a world or of a batch input folder and write it to ``out``.

    A world is labelled and matched against its own reference data; a batch input is
    unlabelled and matched against the configured reference store. ``master``: extract on that
    Spark cluster (the features themselves are built on the driver). Returns what was written.
    """
    skipped: dict[str, str] = {}
    if is_world(source):
        data = build_dataset(source, settings, progress, damaged_rate, seed, master)
    elif damaged_rate:
        raise InputError("--damaged-rate applies to a labelled world (training), not to batch input")
    else:
        data, skipped = build_input_dataset(source, settings, progress, master)
    version = write_table(data, out, str(source))
    labelled = int(np.count_nonzero(data.y != UNLABELLED))
    return {"path": str(out), "rows": len(data.ids), "labelled": labelled,
            "frauds": int(np.count_nonzero(data.y == 1)), "feature_version": FEATURE_VERSION,
            "data_version": version, "skipped": skipped}
