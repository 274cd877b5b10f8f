"""API tests run on an engine with a registry of their own: what other tests recorded (the
CLI verifies the same samples) would make the samples duplicates of themselves here."""

from __future__ import annotations

import pytest

from tradeverify.config import Settings
from tradeverify.pipeline import Engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    work = tmp_path_factory.mktemp("api-engine")
    return Engine.load(Settings(work_dir=work, registry_path=work / "registry.sqlite"))
