"""Fetch a registered model (``models:/tradeverify-risk@champion``) as a packaged-model folder.

The registered pyfunc carries the packaged model's files (LightGBM text model, JSON calibration
and metadata) as its ``model_dir`` artifact; serving and ``tradeverify model export`` read those
files, never the pyfunc. A fetched version is kept under ``<work_dir>/registry-models/`` by name
and version, so a service restarted on the same alias downloads nothing. MLflow is imported only
when a registry URI is configured: a service reading ``models/risk`` never loads it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tradeverify.errors import ModelError
from tradeverify.model.risk import MODEL_FILE

if TYPE_CHECKING:
    from tradeverify.config import Settings

MODEL_FILES_ARTIFACT = "model_dir"
CACHE_FOLDER = "registry-models"
_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:@(?P<alias>[\w-]+)|/(?P<version>\d+))$")


def with_fetched_model(settings: Settings) -> Settings:
    """Return ``settings`` reading the registered ``model_uri``, fetched, as their ``model_dir``.

    Called once before work fans out (a batch's worker processes, Spark executors), so that the
    workers read one local folder and none of them talks to the registry.
    """
    if not settings.model_uri:
        return settings
    folder = fetch_model(settings.model_uri, settings.tracking_uri(), settings.work_dir / CACHE_FOLDER)
    return settings.model_copy(update={"model_dir": folder, "model_uri": ""})


def parse_model_uri(uri: str) -> tuple[str, str | None, str | None]:
    """Return (name, alias, version) of ``models:/NAME@ALIAS`` or ``models:/NAME/VERSION``."""
    match = _URI.match(uri)
    if not match:
        raise ModelError(f"not a registered-model URI: {uri!r} (expected models:/NAME@ALIAS "
                         "or models:/NAME/VERSION)")
    return match["name"], match["alias"], match["version"]


def fetch_model(uri: str, tracking_uri: str, cache: Path) -> Path:
    """Return a local folder with the packaged-model files of a registered model version.

    Raises:
        ModelError: the URI is malformed, the name, alias or version is unknown to the
            registry, or the version carries no packaged-model files.

    """
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    name, alias, version = parse_model_uri(uri)
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        found = (client.get_model_version_by_alias(name, alias) if alias
                 else client.get_model_version(name, str(version)))
        folder = cache / f"{name}-v{found.version}"
        if not (folder / MODEL_FILE).exists():
            _download(f"models:/{name}/{found.version}", tracking_uri, folder)
    except MlflowException as exc:
        raise ModelError(f"cannot fetch {uri} from {tracking_uri}: {exc.message}") from exc
    return folder


def _download(uri: str, tracking_uri: str, folder: Path) -> None:
    """Download a version's ``model_dir`` artifact into ``folder`` (atomically: temp, then rename)."""
    import mlflow

    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(tracking_uri)
        local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=tmp))
        files = local / _artifact_path(local)
        if not (files / MODEL_FILE).exists():
            raise ModelError(f"{uri} carries no packaged-model files ({MODEL_FILES_ARTIFACT} artifact)")
        shutil.rmtree(folder, ignore_errors=True)
        files.rename(folder)


def _artifact_path(local: Path) -> str:
    """Return where the pyfunc's MLmodel file says the ``model_dir`` artifact lies."""
    from mlflow.models import Model

    flavor = Model.load(str(local / "MLmodel")).flavors.get("python_function", {})
    entry = flavor.get("artifacts", {}).get(MODEL_FILES_ARTIFACT, {})
    return str(entry.get("path", f"artifacts/{MODEL_FILES_ARTIFACT}"))


def export_model(uri: str, tracking_uri: str, out: Path) -> str:
    """Write a registered version's packaged-model files to ``out``; return ``NAME-vVERSION``.

    The files replace ``out``'s only once fetched whole, so a failed export leaves the previous
    model in place.
    """
    with tempfile.TemporaryDirectory() as tmp:
        fetched = fetch_model(uri, tracking_uri, Path(tmp))
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = out.with_name(f".{out.name}.export")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(fetched, staged)
        shutil.rmtree(out, ignore_errors=True)
        staged.rename(out)
        return fetched.name
