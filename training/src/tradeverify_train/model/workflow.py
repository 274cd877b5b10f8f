"""The training workflow behind ``tradeverify train``: world -> features -> fit -> MLflow -> export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from tradeverify.config import PROJECT_DIR, Settings
from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_VERSION
from tradeverify_train.model.dataset import Dataset, build_dataset
from tradeverify_train.model.feedback import mixed, read_feedback
from tradeverify_train.model.search import SEARCH_FOLDS, search_study
from tradeverify_train.model.table import read_table, table_meta
from tradeverify_train.model.tracking import git_commit, log_run
from tradeverify_train.model.train import TrainResult, fit_model
from tradeverify_train.synth.generate import WorldConfig, generate_world

Progress = Callable[[str, int, int], None]


class WorldSection(BaseModel):
    """Which world to train on: an existing folder, or one generated from these knobs."""

    path: Path | None = None
    n: int = 600
    seed: int = 11
    fraud_rate: float = 0.25
    lookalike_rate: float = 0.3
    scanned_rate: float = 0.0
    # Share of submissions trained with one document removed, unreadable or read thin.
    damaged_rate: float = 0.0


class SearchSection(BaseModel):
    """Optional Optuna search of LightGBM parameters before the final fit (off unless present)."""

    n_trials: int = Field(default=20, ge=1)
    folds: int = Field(default=SEARCH_FOLDS, ge=2)


class TrainConfig(BaseModel):
    """A training experiment (training/*.yaml)."""

    world: WorldSection = Field(default_factory=WorldSection)
    # A table from `tradeverify features build`: trained on as it is, instead of the world.
    features: Path | None = None
    seed: int = 0
    folds: int = 5
    params: dict[str, Any] = Field(default_factory=dict)
    alias: str | None = "champion"
    search: SearchSection | None = None
    # The evidence-outlier input (model/outlier.py): catches schemes never taught, see
    # training/outlier.yaml for what it costs.
    outlier: bool = False
    # Share of training rows added again with one check's evidence unknown (model/unread.py).
    unread: float = Field(default=0.0, ge=0.0, le=1.0)
    # Officers' decisions (`tradeverify feedback export`) mixed in, each row weighing
    # feedback_weight generator rows (model/feedback.py).
    feedback: Path | None = None
    feedback_weight: float = Field(default=5.0, gt=0.0)

    @classmethod
    def from_yaml(cls, path: Path) -> TrainConfig:
        """Read and validate a YAML experiment file."""
        if not path.exists():
            raise InputError(f"training config not found: {path}")
        return cls.model_validate(yaml.safe_load(path.read_text()) or {})


def prepare_world(cfg: WorldSection, work_dir: Path, progress: Progress | None) -> Path:
    """Return the world folder, generating it first when it does not exist yet."""
    folder = cfg.path or work_dir / "worlds" / f"train-n{cfg.n}-s{cfg.seed}"
    if not (folder / "labels.csv").exists():
        wc = WorldConfig(n=cfg.n, seed=cfg.seed, fraud_rate=cfg.fraud_rate,
                         lookalike_rate=cfg.lookalike_rate, scanned_rate=cfg.scanned_rate)
        generate_world(folder, wc, (lambda i, n: progress("synth", i, n)) if progress else None)
    return folder


Nested = list[tuple[str, dict[str, Any], dict[str, float]]]


def searched_params(cfg: TrainConfig, data: Dataset) -> tuple[dict[str, Any], dict[str, Any], Nested]:
    """Return (parameters to fit with, search results to log, one child run per trial).

    Without a search section: the config's own parameters, and nothing to log.
    """
    if cfg.search is None:
        return cfg.params, {}, []
    study = search_study(data, cfg.search.n_trials, cfg.seed, cfg.search.folds, cfg.params)
    logged = {f"search_{k}": v for k, v in study.best_params.items()}
    logged.update(search_n_trials=cfg.search.n_trials, search_folds=cfg.search.folds,
                  search_best_pr_auc=round(float(study.best_value), 6))
    trials = [(f"trial-{t.number}", dict(t.params), {"pr_auc": float(t.value)})
              for t in study.trials if t.value is not None]
    return {**cfg.params, **study.best_params}, logged, trials


def training_data(
    cfg: TrainConfig, settings: Settings, progress: Progress | None,
) -> tuple[Dataset, dict[str, Any]]:
    """Return the labelled rows and the run parameters that say where they came from.

    A feature table (``features:``) is trained on as it is, and its own source and data version
    are logged; otherwise the world is generated (if needed) and extracted.
    """
    if cfg.features is not None:
        meta = table_meta(cfg.features)
        data = read_table(cfg.features)
        return data, {"features": str(cfg.features), "world": str(meta.get("source", cfg.features)),
                      "data_n": len(data.ids)}
    world = prepare_world(cfg.world, settings.work_dir, progress)
    data = build_dataset(world, settings, (lambda i, n: progress("extract", i, n)) if progress else None,
                         damaged_rate=cfg.world.damaged_rate, seed=cfg.seed)
    w = cfg.world
    return data, {"data_seed": w.seed, "data_n": w.n, "world": str(world), "fraud_rate": w.fraud_rate,
                  "damaged_rate": w.damaged_rate, "lookalike_rate": w.lookalike_rate,
                  "scanned_rate": w.scanned_rate}


def with_feedback(cfg: TrainConfig, data: Dataset,
                  ) -> tuple[Dataset, dict[str, Any], tuple[Any, Any, str] | None]:
    """Return the rows with the config's feedback mixed in, the params to log, and the feedback input."""
    if cfg.feedback is None:
        return data, {}, None
    fb = read_feedback(cfg.feedback)
    if not len(fb.data.y):
        raise InputError(f"{cfg.feedback} has no labelled decision with its feature row")
    logged = {"feedback": str(cfg.feedback), "feedback_rows": len(fb.data.y),
              "feedback_fraud": int(fb.data.y.sum()), "feedback_weight": cfg.feedback_weight,
              "feedback_skipped_unlabelled": fb.skipped_unlabelled,
              "feedback_skipped_without_features": fb.skipped_without_features}
    return (mixed(data, fb.data, cfg.feedback_weight), logged,
            (fb.data.x, fb.data.y, str(cfg.feedback)))


def train(
    cfg: TrainConfig, settings: Settings, export: Path | None = None,
    progress: Progress | None = None,
) -> tuple[TrainResult, str, str]:
    """Train, log to MLflow, register and export. Return (result, run id, model version)."""
    data, data_params = training_data(cfg, settings, progress)
    data, feedback_params, feedback = with_feedback(cfg, data)
    params, search_log, trials = searched_params(cfg, data)
    result = fit_model(data, params, cfg.seed, cfg.folds, high_threshold=settings.band_high,
                       outlier=cfg.outlier, unread=cfg.unread)
    run_params = {**data_params, "feature_version": FEATURE_VERSION, "outlier": cfg.outlier,
                  "unread": cfg.unread, "git_commit": git_commit(PROJECT_DIR), **feedback_params,
                  **search_log}
    run_id, version = log_run(result, data.x, settings.tracking_uri(), settings.registered_model_name,
                              run_params, cfg.alias, y=data.y, high_threshold=settings.band_high,
                              config=yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False),
                              nested=trials, typology=data.typology, feedback=feedback)
    result.model.meta.update(version=version, run_id=run_id, data_seed=data_params.get("data_seed"))
    if export is not None:
        result.model.save(export)
    return result, run_id, version
