"""Officers' decisions as training rows: read ``tradeverify feedback export`` files and mix them in.

A feedback row is the feature row the served model scored at the time, labelled by the
officer's standing decision (confirmed fraud 1, cleared 0). Escalated decisions have no label
yet and rows stored before feature rows were kept have no features: both are skipped, and
counted. Rows of another FEATURE_VERSION are refused: the columns would not mean the same.
Mixed in, each feedback row weighs ``weight`` generator rows (a bank's real deal against a
synthetic one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify_train.model.dataset import Dataset


@dataclass(frozen=True)
class Feedback:
    """The labelled feedback rows of one file, and what was left out."""

    data: Dataset
    skipped_unlabelled: int
    skipped_without_features: int


def _row(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise InputError(f"{path}:{number}: not a JSON line ({exc})") from exc
    if not isinstance(row, dict) or row.get("label") not in (0, 1, None) or not (
            row.get("features") is None or isinstance(row["features"], dict)):
        raise InputError(f"{path}:{number}: not a feedback row (use `tradeverify feedback export`)")
    return row


def read_feedback(path: Path) -> Feedback:
    """Return the labelled rows of a feedback file as a Dataset (ids prefixed ``feedback:``).

    Raises:
        InputError: the file is missing, a line is not a feedback row, or a row was scored with
            another feature version.

    """
    if not path.is_file():
        raise InputError(f"feedback file not found: {path}")
    ids, rows, labels, typologies = [], [], [], []
    unlabelled = without = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = _row(line, path, number)
        if row["features"] is None:
            without += 1
            continue
        if row.get("feature_version") != FEATURE_VERSION:
            raise InputError(f"{path}:{number}: scored with features version {row.get('feature_version')}; "
                             f"this code trains version {FEATURE_VERSION}")
        if row["label"] is None:
            unlabelled += 1
            continue
        values = row["features"]
        ids.append(f"feedback:{row['submission_id']}")
        rows.append([np.nan if values.get(n) is None else float(values[n]) for n in FEATURE_NAMES])
        labels.append(int(row["label"]))
        typologies.append(str(row.get("typology") or ""))
    x = np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURE_NAMES))
    return Feedback(Dataset(ids, x, np.asarray(labels, dtype=np.int64), typologies), unlabelled, without)


def mixed(data: Dataset, feedback: Dataset, weight: float) -> Dataset:
    """Return the generator's rows followed by the feedback rows, each of these weighing ``weight``."""
    if weight <= 0:
        raise InputError(f"the feedback weight must be positive, not {weight}")
    base = data.weight if data.weight is not None else np.ones(len(data.y))
    n = len(feedback.y)
    return Dataset(
        data.ids + feedback.ids, np.vstack([data.x, feedback.x]), np.concatenate([data.y, feedback.y]),
        data.typology + feedback.typology,
        None if data.flagged is None else np.concatenate([data.flagged, np.zeros(n, dtype=bool)]),
        None if data.trade_model is None else data.trade_model + [""] * n,
        None if data.damaged is None else np.concatenate([data.damaged, np.zeros(n, dtype=bool)]),
        weight=np.concatenate([base, np.full(n, float(weight))]))
