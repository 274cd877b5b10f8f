"""The registered model travels: its pyfunc types its inputs from the feature spec, it is exported
to a packaged-model folder by alias, and serving can read it from the registry directly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest

from tradeverify.cli import main
from tradeverify.config import Settings
from tradeverify.errors import ModelError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.registry import CACHE_FOLDER, fetch_model, parse_model_uri
from tradeverify.model.risk import RiskModel
from tradeverify.pipeline import Engine, verify_submission

from ..conftest import SAMPLES
from ..registry import NAME, PACKAGED, register_packaged_model

CHAMPION = f"models:/{NAME}@champion"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder, elsewhere = tmp_path_factory.mktemp("store"), tmp_path_factory.mktemp("cwd")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(elsewhere)  # MLflow's default artifact root is ./mlruns of the working directory
        uri = register_packaged_model(folder)
    assert list(elsewhere.iterdir()) == []
    yield uri, folder


@pytest.fixture(scope="module")
def pyfunc(store: tuple[str, Path]) -> mlflow.pyfunc.PyFuncModel:
    mlflow.set_tracking_uri(store[0])
    mlflow.set_registry_uri(store[0])
    return mlflow.pyfunc.load_model(CHAMPION)


def test_artifacts_live_beside_the_store_not_in_the_working_directory(
    store: tuple[str, Path], pyfunc: mlflow.pyfunc.PyFuncModel,
) -> None:
    assert list((store[1] / "mlartifacts").rglob("MLmodel"))  # and none in the working directory
    # the pyfunc carries the serving modules it imports, and no others
    code = {p.relative_to(store[1] / "staging" / "code").as_posix()
            for p in (store[1] / "staging" / "code").rglob("*.py")}
    assert {"tradeverify/model/pyfunc.py", "tradeverify/model/risk.py",
            "tradeverify/features/spec.py"} <= code
    assert not any(p.startswith(("tradeverify/extract", "tradeverify/service")) for p in code)


def test_signature_takes_every_feature_as_optional(pyfunc: mlflow.pyfunc.PyFuncModel) -> None:
    inputs = pyfunc.metadata.get_input_schema()
    assert inputs.input_names() == list(FEATURE_NAMES)
    assert not any(spec.required for spec in inputs.inputs)


def test_requirements_name_libraries_not_the_project(pyfunc: mlflow.pyfunc.PyFuncModel) -> None:
    lines = Path(mlflow.pyfunc.get_model_dependencies(CHAMPION)).read_text().split()
    assert sorted(line.split("==")[0] for line in lines) == [
        "lightgbm", "mlflow", "numpy", "pandas", "scikit-learn"]


def test_ints_bools_and_missing_columns_score_as_floats(pyfunc: mlflow.pyfunc.PyFuncModel) -> None:
    model = RiskModel.load(PACKAGED)
    ints = pd.DataFrame({"documents_missing": [0, 2, 1], "bl_number_seen": [1, 0, 0],
                         "imo_valid": [True, False, True]})
    got = np.asarray(pyfunc.predict(ints))
    x = np.full((3, len(FEATURE_NAMES)), np.nan)
    for name in ints.columns:
        x[:, FEATURE_NAMES.index(name)] = ints[name].astype(float)
    np.testing.assert_allclose(got, model.predict_proba(x))
    assert ((got >= 0) & (got <= 1)).all()


def test_a_column_that_is_no_number_is_named(pyfunc: mlflow.pyfunc.PyFuncModel) -> None:
    with pytest.raises(Exception, match="price_log_ratio"):
        pyfunc.predict(pd.DataFrame({"price_log_ratio": ["cheap"]}))


def test_export_by_alias_writes_the_files_serving_reads(
    store: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store[0])
    from tradeverify.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "risk"
    with pytest.raises(SystemExit) as done:
        main(["model", "export", "--alias", "champion", "--out", str(out)])
    assert done.value.code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in PACKAGED.iterdir())
    assert json.loads((out / "meta.json").read_text()) == json.loads((PACKAGED / "meta.json").read_text())
    with pytest.raises(SystemExit) as done:
        main(["model", "export", "--alias", "nobody", "--out", str(out)])
    assert done.value.code == 5 and "nobody" in capsys.readouterr().err
    assert (out / "model.txt").exists()  # a failed export leaves the model that was there
    get_settings.cache_clear()


def test_serving_reads_the_champion_from_the_registry(store: tuple[str, Path], tmp_path: Path) -> None:
    settings = Settings(work_dir=tmp_path, mlflow_tracking_uri=store[0], model_uri=CHAMPION,
                        record_submissions=False, isolate_documents=False)
    sample = SAMPLES / "submissions" / "clean_digital"
    from_registry = verify_submission(sample, Engine.load(settings))
    local = verify_submission(sample, Engine.load(settings.model_copy(update={"model_uri": ""})))
    assert from_registry.risk.score == local.risk.score
    cached = tmp_path / CACHE_FOLDER / f"{NAME}-v1" / "model.txt"
    stamp = cached.stat().st_mtime_ns
    assert fetch_model(CHAMPION, store[0], tmp_path / CACHE_FOLDER) == cached.parent
    assert cached.stat().st_mtime_ns == stamp  # a second load downloads nothing


@pytest.mark.parametrize("uri", ["runs:/abc/model", "models:/", "models:/x@", "tradeverify-risk"])
def test_a_malformed_model_uri_is_a_model_error(uri: str) -> None:
    with pytest.raises(ModelError, match="models:/NAME@ALIAS"):
        parse_model_uri(uri)
