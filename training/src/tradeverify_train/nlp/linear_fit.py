"""Shared training steps of the JSON linear models (document type, field scorer)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tradeverify.extract.linear import LinearModel
from tradeverify_train.synth.generate import WorldConfig, generate_world

MIN_WEIGHT = 0.01  # a feature whose weights are all smaller is left out of the file


def make_world(path: Path, n: int, seed: int, layout_set: str) -> Path:
    """Generate a digital world of ``layout_set`` at ``path`` (replacing a stale one)."""
    if path.exists():
        shutil.rmtree(path)
    generate_world(path, WorldConfig(n=n, seed=seed, scanned_rate=0.0, layout_set=layout_set))
    return path


def fit_linear(
    features: list[dict[str, float]], labels: list[str], *, c: float, seed: int, feature_version: int,
    max_iter: int = 3000,
) -> LinearModel:
    """Fit a multinomial logistic regression on sparse feature dicts; small weights dropped."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(features)
    model = LogisticRegression(C=c, max_iter=max_iter, random_state=seed).fit(matrix, labels)
    weights = {
        str(name): tuple(float(w) for w in model.coef_[:, j])
        for j, name in enumerate(vectorizer.get_feature_names_out())
        if abs(model.coef_[:, j]).max() >= MIN_WEIGHT
    }
    return LinearModel(tuple(str(k) for k in model.classes_), tuple(float(b) for b in model.intercept_),
                       weights, feature_version)
