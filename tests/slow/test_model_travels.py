"""The registered champion loads and predicts in a fresh virtualenv made from its own requirements
file alone: no tradeverify installed, the serving modules it needs travel with it (code_paths).
Opt-in: ``pytest -m slow`` (installs MLflow, LightGBM, pandas and scikit-learn: ~2 minutes).
"""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import mlflow
import numpy as np
import pytest

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel

from ..registry import NAME, PACKAGED, register_packaged_model

pytestmark = pytest.mark.slow

# Run in the fresh environment: the project must be absent before the model loads.
LOAD = """
import json, sys
try:
    import tradeverify
    sys.exit("tradeverify is importable before the model loads")
except ImportError:
    pass
import mlflow, pandas as pd
uri, model_uri, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
mlflow.set_tracking_uri(uri)
mlflow.set_registry_uri(uri)
model = mlflow.pyfunc.load_model(model_uri)
print(json.dumps([float(p) for p in model.predict(pd.DataFrame(rows))]))
"""


def _fresh_python(folder: Path) -> Path:
    """Create a virtualenv with pip and nothing else; return its interpreter."""
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(folder)
    return folder / "bin" / "python"


def test_champion_predicts_in_a_venv_made_from_its_requirements(tmp_path: Path) -> None:
    uri = register_packaged_model(tmp_path / "store")
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    champion = f"models:/{NAME}@champion"
    requirements = mlflow.pyfunc.get_model_dependencies(champion)
    python = _fresh_python(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", requirements], check=True,
                   timeout=1200)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, len(FEATURE_NAMES)))
    rows = [dict(zip(FEATURE_NAMES, map(float, row), strict=True)) for row in x]
    done = subprocess.run([str(python), "-c", LOAD, uri, champion, json.dumps(rows)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(got, RiskModel.load(PACKAGED).predict_proba(x), rtol=1e-9)
    print(f"fresh venv from {Path(requirements).read_text().split()}: {len(got)} predictions equal")
