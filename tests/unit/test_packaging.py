"""Serving and training are separate distributions: a bank's deployment carries no training code.

``tradeverify`` (serving) installs without the generator, Optuna, matplotlib or reportlab;
``tradeverify-train`` (``training/``) adds them and offers its commands through an entry point.
"""

from __future__ import annotations

import importlib.metadata
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import tradeverify
import tradeverify_train
from tradeverify import cli
from tradeverify.errors import ConfigurationError
from tradeverify_train.cli import register

ROOT = Path(__file__).resolve().parents[2]
TRAINING_ONLY = ("optuna", "matplotlib", "reportlab", "tradeverify-train")


def _modules(package: object) -> set[str]:
    """Return the module names of a package, relative to it (``model.risk``)."""
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    paths = package.__path__  # type: ignore[attr-defined]
    return {m.name.removeprefix(prefix) for m in pkgutil.walk_packages(paths, prefix)}


def test_serving_requires_no_training_library() -> None:
    required = importlib.metadata.requires("tradeverify") or []
    core = [r for r in required if "extra ==" not in r]
    assert [r for r in core if r.split(">")[0].split("=")[0].strip() in TRAINING_ONLY] == []
    assert any(r.startswith("tradeverify-train") and 'extra == "train"' in r for r in required)


def test_no_module_lives_on_both_sides() -> None:
    serving, training = _modules(tradeverify), _modules(tradeverify_train)
    assert {"synth.generate", "model.workflow", "model.train", "evaluation"} <= training
    assert {"model.risk", "model.calibration", "pipeline", "extract.ranker"} <= serving
    # packages such as model/ and nlp/ exist on both sides; their modules do not
    packages = {"cli", "model", "nlp", "extraction", "synth"}
    assert sorted((serving & training) - packages) == []


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Serving never imports the training side KEPT" in done.stdout
    assert "0 broken" in done.stdout


def test_training_registers_exactly_the_commands_serving_knows() -> None:
    app = typer.Typer()
    register(app)
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names == set(cli.TRAINING_COMMANDS)


def test_without_the_training_package_its_commands_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "entry_points", lambda group: [])
    app = typer.Typer()
    app.command("version")(lambda: None)  # a second command keeps Typer's sub-command mode
    cli._add_training_commands(app)
    with pytest.raises(ConfigurationError, match=r"pip install -e \./training"):
        app(args=["synth", "--out", "w", "--n", "3"], standalone_mode=False)


# A fresh interpreter in which the training package cannot be imported at all.
_BLOCKED = """
import importlib.abc, json, pathlib, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "tradeverify_train":
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Block())
from tradeverify.config import get_settings
from tradeverify.pipeline import Engine, verify_submission
report = verify_submission(pathlib.Path(sys.argv[1]), Engine.load(get_settings()))
print(json.dumps({"status": report.status, "band": report.risk.band,
                  "training": sorted(m for m in sys.modules if "tradeverify_train" in m)}))
"""


def test_serving_verifies_a_submission_without_the_training_package() -> None:
    sample = ROOT / "data_samples" / "submissions" / "clean_digital"
    done = subprocess.run([sys.executable, "-c", _BLOCKED, str(sample)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {"status": "scored", "band": "low", "training": []}
