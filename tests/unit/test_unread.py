"""Training copies with one check's evidence unknown (model/unread.py)."""

from __future__ import annotations

import numpy as np

from tradeverify.features.spec import FEATURES
from tradeverify_train.model.unread import COLUMNS, FAMILIES, unread_copies


def _table(n: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x = np.arange(n * len(FEATURES), dtype=float).reshape(n, len(FEATURES))
    y = np.asarray([i % 2 for i in range(n)])
    typology = ["" if i % 2 == 0 else "PRICE_DEVIATION" for i in range(n)]
    return x, y, typology


def test_each_copy_blanks_exactly_one_family_and_keeps_its_label() -> None:
    x, y, typology = _table(400)
    xa, ya = unread_copies(x, y, typology, 0.5, seed=3)
    assert np.array_equal(xa[:400], x) and np.array_equal(ya[:400], y)  # the real rows are untouched
    assert 150 < len(xa) - 400 < 250  # about half of the rows
    for row, label in zip(xa[400:], ya[400:], strict=True):
        known = ~np.isnan(row)
        source = np.flatnonzero((x[:, known] == row[known]).all(axis=1))
        assert len(source) == 1 and y[source[0]] == label  # a copy of one row, with its label
        family = [f for f in FAMILIES if set(COLUMNS[f]) == set(np.flatnonzero(~known))]
        assert len(family) == 1
        if label == 1:
            assert family[0] != "PRICE_DEVIATION"  # a fraud keeps the evidence that makes it one


def test_same_seed_same_copies_and_share_zero_adds_nothing() -> None:
    x, y, typology = _table(50)
    a, b = unread_copies(x, y, typology, 0.3, seed=9), unread_copies(x, y, typology, 0.3, seed=9)
    assert np.array_equal(a[0], b[0], equal_nan=True) and np.array_equal(a[1], b[1])
    same, labels = unread_copies(x, y, typology, 0.0, seed=9)
    assert same is x and labels is y
