"""LightGBM as serving imports it: without its scikit-learn and pandas integrations.

``lightgbm.compat`` imports scikit-learn (and through it scipy.stats) and pandas whenever they
are installed, only to offer ``LGBMClassifier`` and DataFrame input. Serving loads a text model
into a ``Booster`` and predicts on numpy arrays, so those imports were 1.6 s of the 2.9 s every
one-shot ``tradeverify verify`` spent importing (benchmarks/startup.py). While LightGBM is
first imported here, ``import sklearn`` and ``import pandas`` fail at once, and LightGBM
records them as absent.

The cost: in a process where this module imported LightGBM first, LightGBM's scikit-learn
estimators, stratified ``lgb.cv`` and DataFrame input are unavailable. The project passes
numpy to ``lgb.train`` and ``Booster.predict`` only; a process that imported them before gets
the full LightGBM.
"""

from __future__ import annotations

import sys

# pandas too (0.3 s): serving hands the booster numpy arrays only.
_HIDDEN = ("sklearn", "pandas")

if "lightgbm" not in sys.modules:
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # a None entry makes the import fail
    try:
        import lightgbm  # noqa: F401 - imported for its side effect: the module is cached
    finally:
        for name in hidden:
            del sys.modules[name]

import lightgbm as lgb  # noqa: E402 - after the guarded first import above

__all__ = ["lgb"]
