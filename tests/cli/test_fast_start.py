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
    # --help must not pay for pdfplumber, Tesseract, spaCy or LightGBM (about 3 s of imports).
    loaded = _loaded("tradeverify.cli")
    assert sorted(m for m in ("pdfplumber", "pytesseract", "spacy", "lightgbm", "sqlalchemy")
                  if m in loaded) == []
