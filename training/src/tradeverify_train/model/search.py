"""Optional hyper-parameter search (Optuna, TPE) maximising out-of-fold PR-AUC."""

from __future__ import annotations

from typing import Any

import optuna

from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.train import fit_model

SEARCH_FOLDS = 3  # fewer folds than the final fit: the search is the expensive part


def suggest(trial: optuna.Trial) -> dict[str, Any]:
    """Return one trial's LightGBM parameters from the search space."""
    return {
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.2, log=True),
        "num_leaves": trial.suggest_int("num_leaves", 4, 63, log=True),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", 3, 50, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.5, 1.0),
        "lambda_l2": trial.suggest_float("lambda_l2", 1e-3, 10.0, log=True),
    }


def search_study(
    data: Dataset, n_trials: int, seed: int = 0, folds: int = SEARCH_FOLDS,
    base_params: dict[str, Any] | None = None, max_rounds: int = 400,
) -> optuna.Study:
    """Run the search and return the study (deterministic for a seed: sequential TPE, seeded folds)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial: optuna.Trial) -> float:
        params = {**(base_params or {}), **suggest(trial)}
        return fit_model(data, params, seed, folds, max_rounds=max_rounds).metrics["pr_auc"]

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n_trials, n_jobs=1)
    return study


def search_params(
    data: Dataset, n_trials: int, seed: int = 0, folds: int = SEARCH_FOLDS,
    base_params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the parameters with the best out-of-fold PR-AUC after ``n_trials`` trials.

    ``base_params`` (e.g. the experiment's ``params``) are fixed; searched keys override them.
    """
    return dict(search_study(data, n_trials, seed, folds, base_params).best_params)
