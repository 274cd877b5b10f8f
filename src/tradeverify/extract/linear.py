"""A multinomial linear model read from JSON: the learned parts of extraction load without pickle.

Training (scikit-learn, in ``tradeverify.nlp``) writes the weights with :func:`model_to_json`;
serving reads them with :func:`load_linear` and scores sparse feature dicts in plain Python.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tradeverify.errors import ModelError


@dataclass(frozen=True)
class LinearModel:
    """Learned weights: one row of per-class weights per feature, and a bias per class."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    feature_version: int

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Return the softmax probability of every class for one example's features."""
        scores = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                scores = [s + w * value for s, w in zip(scores, row, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def best(self, features: Mapping[str, float]) -> tuple[str, float]:
        """Return the most probable class and its probability."""
        probabilities = self.probabilities(features)
        top = max(probabilities, key=lambda c: probabilities[c])
        return top, probabilities[top]


def model_to_json(model: LinearModel, meta: Mapping[str, object], *, sparse_below: float = 0.0) -> str:
    """Return the model as JSON text (weights rounded: the file is committed).

    With ``sparse_below``, a feature's row keeps only its class weights of at least that size, as
    ``[class index, weight]`` pairs: a scorer of many classes whose features each speak for a few.
    """
    def row(weights: tuple[float, ...]) -> list[float] | list[list[float]]:
        if not sparse_below:
            return [round(w, 5) for w in weights]
        return [[i, round(w, 4)] for i, w in enumerate(weights) if abs(w) >= sparse_below]

    body = {
        "feature_version": model.feature_version,
        "classes": list(model.classes),
        "bias": [round(b, 5) for b in model.bias],
        "weights": {k: row(v) for k, v in sorted(model.weights.items())},
        "meta": dict(meta),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


def _dense(row: list[Any], classes: int) -> tuple[float, ...]:
    """Return a stored row as one weight per class (a sparse row lists ``[index, weight]`` pairs)."""
    if row and isinstance(row[0], list):
        out = [0.0] * classes
        for index, weight in row:
            out[int(index)] = float(weight)
        return tuple(out)
    return tuple(float(w) for w in row)


@cache
def load_linear(path: Path, feature_version: int) -> LinearModel | None:
    """Load a model written by :func:`model_to_json`; None when the file is absent.

    A model of another feature version is refused: its weights belong to other features.
    """
    if not path.is_file():
        return None
    body = json.loads(path.read_text(encoding="utf-8"))
    if body.get("feature_version") != feature_version:
        raise ModelError(f"{path}: a model of feature version {body.get('feature_version')}, this "
                         f"code computes version {feature_version}; retrain it (see the Makefile)")
    return LinearModel(
        classes=tuple(body["classes"]),
        bias=tuple(float(b) for b in body["bias"]),
        weights={k: _dense(v, len(body["classes"])) for k, v in body["weights"].items()},
        feature_version=feature_version,
    )
