"""Training copies of deals with one check's evidence unread, so unknown is neither guilt nor innocence.

A scan that misreads a party name leaves ``counterparty_age_days`` unknown. A feature that is
never unknown in training gets no learned direction for a missing value, and LightGBM then
reads the missing value as 0: an unknown company age became "incorporated the day the
contract was signed" and an honest deal scored 0.99. Document-level damage
(:func:`tradeverify_train.model.dataset.damage`) does not reach such features, since another document
usually fills them.

Each copy blanks every feature of one red-flag family (what one unread field does to one
check). Honest and fraudulent rows are copied at the same rate, and a fraud never loses its
own typology's family: the evidence that makes it a fraud stays, so a missing value is seen as
often with either label and carries no weight of its own.
"""

from __future__ import annotations

import numpy as np

from tradeverify.features.spec import FEATURES, OUTLIER_BLIND

FAMILIES: tuple[str, ...] = tuple(sorted({f.family for f in FEATURES} - OUTLIER_BLIND))
COLUMNS: dict[str, np.ndarray] = {
    fam: np.asarray([i for i, f in enumerate(FEATURES) if f.family == fam]) for fam in FAMILIES}


def unread_copies(
    x: np.ndarray, y: np.ndarray, typology: list[str], share: float, seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``x`` and ``y`` with ``share`` of the rows appended again, one family blanked in each."""
    if share <= 0:
        return x, y
    rng = np.random.default_rng(seed)
    picked = np.flatnonzero(rng.random(len(y)) < share)
    copies = np.array(x[picked], dtype=float, copy=True)
    for row, i in enumerate(picked):
        allowed = [fam for fam in FAMILIES if fam != typology[i]]
        copies[row, COLUMNS[allowed[rng.integers(len(allowed))]]] = np.nan
    return np.vstack([x, copies]), np.concatenate([y, y[picked]])
