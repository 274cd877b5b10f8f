"""A one-shot command pays only for what it uses: the CLI and the service import no training stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Loaded only by the commands that train, evaluate, plot or generate.
HEAVY = ("mlflow", "optuna", "matplotlib", "reportlab", "tradeverify_train.synth",
         "tradeverify_train.model.train", "tradeverify_train.model.workflow",
         "tradeverify_train.nlp.field_train")


def _loaded(module: str) -> set[str]:
    """Return the modules a fresh interpreter has after importing ``module`` (no test's imports)."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", ["tradeverify.cli", "tradeverify.service.app"])
def test_serving_entry_points_load_no_training_stack(module: str) -> None:
    loaded = _loaded(module)
    assert module in loaded
    assert sorted(h for h in HEAVY if h in loaded) == []


def test_cli_help_loads_no_reader_or_model() -> None:
    # --help must not pay for pdfplumber, Tesseract, spaCy or LightGBM (about 3 s of imports),
    # nor for the settings machinery (pydantic-settings, 0.14 s): settings load when a command runs.
    loaded = _loaded("tradeverify.cli")
    assert sorted(m for m in ("pdfplumber", "pytesseract", "spacy", "lightgbm", "sqlalchemy",
                              "pydantic_settings") if m in loaded) == []


NOT_FOR_VERIFYING = ("sklearn", "pandas", "scipy.stats", "alembic", "spacy")


@pytest.mark.parametrize("module", ["tradeverify.pipeline", "tradeverify.extract.sandbox_worker"])
def test_verification_loads_neither_scikit_learn_nor_pandas_nor_alembic(module: str) -> None:
    # LightGBM's scikit-learn and pandas integrations were 1.6 s of the one-shot verify's imports;
    # alembic is for migrations; a reader worker loads spaCy only when a fallback needs it.
    loaded = _loaded(module)
    assert sorted(m for m in NOT_FOR_VERIFYING if m in loaded) == []


def test_lean_lightgbm_leaves_pandas_and_scikit_learn_importable() -> None:
    code = ("from tradeverify.model.lean_lightgbm import lgb; import numpy as np, pandas, sklearn; "
            "import lightgbm.compat as c; x = np.random.default_rng(0).normal(size=(60, 3)); "
            "data = lgb.Dataset(x, (x[:, 0] > 0).astype(int)); "
            "b = lgb.train({'verbose': -1, 'objective': 'binary'}, data, 5); "
            "print(c.SKLEARN_INSTALLED, c.PANDAS_INSTALLED, pandas.__name__, sklearn.__name__, "
            "b.predict(x).shape[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "pandas", "sklearn", "60"]
