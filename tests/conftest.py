"""Shared fixtures: a small generated world (session-scoped) and the packaged engine."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tradeverify.domain import DocumentResult, ExtractedField
from tradeverify_train.synth.generate import WorldConfig, generate_world

PROJECT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Keep what tests write (MLflow store, submissions registry) out of the working tree."""
    os.environ.setdefault("TRADEVERIFY_WORK_DIR", tempfile.mkdtemp(prefix="tradeverify-tests-"))
SAMPLES = PROJECT / "data_samples"


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-submission digital world with many frauds (seed used only by tests)."""
    out = tmp_path_factory.mktemp("world")
    generate_world(out, WorldConfig(n=40, seed=202, fraud_rate=0.5, scanned_rate=0.0))
    return out


def make_document(doc_type: str, **fields: object) -> DocumentResult:
    """Return an extracted document with these field values (read with high confidence)."""
    return DocumentResult(file=f"{doc_type}.pdf", doc_type=doc_type, pages=1, fields={
        k: ExtractedField(value=v, raw=str(v), confidence=0.99) for k, v in fields.items()})


def sample_names() -> list[str]:
    """Names of the golden samples (data_samples/expected/<name>.json)."""
    return sorted(p.stem for p in (SAMPLES / "expected").glob("*.json"))


@pytest.fixture(scope="session")
def engine():  # noqa: ANN201 - the Engine, loaded once for the session
    from tradeverify.pipeline import Engine

    return Engine.load()
