"""Model governance pieces on tiny synthetic data: plots, card, leave-one-out, search, decisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.model.card import model_card
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.loo import format_table, leave_one_out
from tradeverify_train.model.metrics import HONEST, typology_table
from tradeverify_train.model.plots import (
    calibration_plot,
    contribution_summary_plot,
    curves_plot,
    reliability_bins,
)
from tradeverify_train.model.search import search_params
from tradeverify_train.model.train import TrainResult, fit_model
from tradeverify_train.model.workflow import TrainConfig, searched_params

TYPOLOGIES = ("DUPLICATE_DOCUMENT", "PRICE_DEVIATION", "VESSEL_NOT_AT_PORT")
FAST = {"num_threads": 1, "learning_rate": 0.2, "num_leaves": 4, "min_data_in_leaf": 5}
PNG = b"\x89PNG\r\n\x1a\n"


def synthetic(n: int = 240, seed: int = 0, signal: float = 3.0) -> Dataset:
    """Fraud rows of typology k have feature k shifted by ``signal``: a known, typology-specific cue."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    y = (rng.uniform(size=n) < 0.3).astype(int)
    typology = [""] * n
    for rank, i in enumerate(np.flatnonzero(y)):
        k = rank % len(TYPOLOGIES)
        typology[i] = TYPOLOGIES[k]
        x[i, k] += signal
    return Dataset([f"S{i:04d}" for i in range(n)], x, y, typology)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return synthetic()


@pytest.fixture(scope="module")
def trained(data: Dataset) -> TrainResult:
    return fit_model(data, FAST, seed=0, folds=3, max_rounds=100)


def test_plots_are_written(tmp_path: Path, data: Dataset, trained: TrainResult) -> None:
    cal = calibration_plot(data.y, trained.oof, tmp_path / "plots" / "calibration.png")
    con = contribution_summary_plot(trained.model, data.x, tmp_path / "contributions.png")
    curves = curves_plot(data.y, trained.oof, tmp_path / "pr_roc_curves.png")
    for path in (cal, con, curves):
        assert path.stat().st_size > 1000 and path.read_bytes()[:8] == PNG


def test_typology_table_counts_and_orders() -> None:
    y = np.array([0, 0, 0, 1, 1, 1, 1])
    p = np.array([0.1, 0.8, 0.2, 0.9, 0.75, 0.3, 0.95])
    typology = ["", "", "", "PRICE_DEVIATION", "PRICE_DEVIATION", "CHRONOLOGY", "CHRONOLOGY"]
    rows = typology_table(y, p, typology, threshold=0.7)
    assert [r["typology"] for r in rows] == ["CHRONOLOGY", "PRICE_DEVIATION", HONEST]
    assert rows[0] == {"typology": "CHRONOLOGY", "rows": 2, "high": 1, "share_high": 0.5,
                       "mean_score": 0.625, "is_fraud": 1}
    assert rows[1]["share_high"] == 1.0 and rows[2]["high"] == 1 and rows[2]["is_fraud"] == 0


def test_reliability_bins_count_every_row(data: Dataset, trained: TrainResult) -> None:
    bins = reliability_bins(data.y, trained.oof)
    assert sum(n for _, _, n in bins) == len(data.y)
    assert all(0.0 <= obs <= 1.0 and 0.0 <= pred <= 1.0 for pred, obs, _ in bins)


def test_model_card_has_metrics_and_every_feature(trained: TrainResult) -> None:
    card = model_card(trained, {"data_seed": 7, "data_n": 240, "world": "w", "fraud_rate": 0.3})
    assert card.startswith("# Model card")
    assert f"{trained.metrics['pr_auc']:.4f}" in card and f"{trained.metrics['ece']:.4f}" in card
    for name in FEATURE_NAMES:
        assert f"`{name}`" in card
    for typology in TYPOLOGIES:
        assert f"| {typology} |" in card
    for words in ("Intended use", "isotonic", "USD", "synthetic", "prevalence", "data seed: 7"):
        assert words in card


def test_leave_one_out_one_row_per_typology(data: Dataset) -> None:
    rows = leave_one_out(data, FAST, seed=0, folds=3)
    assert [r["typology"] for r in rows] == sorted(TYPOLOGIES)
    for row in rows:
        assert 0.0 <= row["recall_high"] <= 1.0 and 0.0 <= row["recall_high_seen"] <= 1.0
        assert 0.0 <= row["pr_auc"] <= 1.0 and row["n_clean_heldout"] == row["n_typology"]
    # Each typology has its own cue: a model that never saw it misses more of it.
    assert np.mean([r["recall_high"] for r in rows]) < np.mean([r["recall_high_seen"] for r in rows])
    table = format_table(rows)
    assert len(table.splitlines()) == len(TYPOLOGIES) + 1
    assert all(t in table for t in TYPOLOGIES) and "recall_unseen" in table


def test_leave_one_out_needs_two_typologies(data: Dataset) -> None:
    one = Dataset(data.ids, data.x, data.y, [TYPOLOGIES[0] if t else "" for t in data.typology])
    with pytest.raises(InputError):
        leave_one_out(one, FAST, folds=3)


def test_search_is_deterministic_for_a_seed(data: Dataset) -> None:
    small = Dataset(data.ids[:150], data.x[:150], data.y[:150], data.typology[:150])
    first = search_params(small, 3, seed=5, base_params={"num_threads": 1})
    assert first == search_params(small, 3, seed=5, base_params={"num_threads": 1})
    assert set(first) == {"learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction", "lambda_l2"}


def test_search_section_is_optional(data: Dataset) -> None:
    assert TrainConfig().search is None
    assert searched_params(TrainConfig(params=FAST), data) == (FAST, {}, [])
    cfg = TrainConfig.model_validate({"search": {"n_trials": 2}, "params": FAST, "seed": 3})
    assert cfg.search is not None and cfg.search.n_trials == 2 and cfg.search.folds == 3
    params, logged, trials = searched_params(cfg, data)
    assert [name for name, _, _ in trials] == ["trial-0", "trial-1"]
    assert max(m["pr_auc"] for _, _, m in trials) == pytest.approx(logged["search_best_pr_auc"], abs=1e-6)
    assert params["num_threads"] == 1 and 0.01 <= params["learning_rate"] <= 0.2
    assert logged["search_n_trials"] == 2 and logged["search_num_leaves"] == params["num_leaves"]
    assert 0.0 <= logged["search_best_pr_auc"] <= 1.0


def test_model_cli_rejects_a_folder_without_labels(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tradeverify_train.cli_model import model_app

    for args in (["promote", "--world", str(tmp_path)], ["leave-one-out", "--world", str(tmp_path)]):
        result = CliRunner().invoke(model_app, args)
        assert isinstance(result.exception, InputError) and "labels.csv" in result.exception.message
