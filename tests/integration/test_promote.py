"""Champion/challenger on a tmp SQLite MLflow store: the alias moves only to a better version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mlflow
import numpy as np
import pytest
from mlflow.tracking import MlflowClient

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.cli_model import format_promotion
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.promote import promote
from tradeverify_train.model.tracking import log_leave_one_out, log_run
from tradeverify_train.model.train import TrainResult, fit_model

NAME = "tradeverify-risk-test"
FAST = {"num_threads": 1, "learning_rate": 0.2, "num_leaves": 4, "min_data_in_leaf": 5}
TYPOLOGIES = ("DUPLICATE_DOCUMENT", "PRICE_DEVIATION")


def synthetic(n: int, seed: int, signal: float) -> Dataset:
    """Fraud rows have features 0..2 shifted by ``signal``: the larger, the easier."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    y = (rng.uniform(size=n) < 0.3).astype(int)
    x[y == 1, :3] += signal
    typology = [TYPOLOGIES[i % 2] if label else "" for i, label in enumerate(y)]
    return Dataset([f"S{i:04d}" for i in range(n)], x, y, typology)


def _fit(signal: float, seed: int) -> tuple[TrainResult, Dataset]:
    data = synthetic(200, seed, signal)
    return fit_model(data, FAST, seed=0, folds=3, max_rounds=60), data


def _log(uri: str, signal: float, seed: int, alias: str | None, name: str = NAME) -> tuple[str, str]:
    result, data = _fit(signal, seed)
    params = {"data_seed": seed, "data_n": 200, "world": "synthetic", "fraud_rate": 0.3}
    return log_run(result, data.x, uri, name, params, alias, y=data.y)


def _champion(client: MlflowClient, name: str = NAME) -> str:
    return str(client.get_model_version_by_alias(name, "champion").version)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One SQLite store for the module (creating one costs seconds); artifacts under its folder."""
    folder = tmp_path_factory.mktemp("mlflow")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)  # the default artifact root is relative: keep it out of the repo
        yield f"sqlite:///{folder / 'mlflow.db'}"


def test_champion_moves_only_to_a_better_challenger(store: str) -> None:
    client = MlflowClient(store, store)
    holdout = synthetic(300, 99, signal=1.5)
    _, weak = _log(store, signal=0.2, seed=1, alias="champion")
    run_id, strong = _log(store, signal=1.5, seed=2, alias=None)
    assert _champion(client) == weak  # a challenger is registered without moving the alias
    assert client.get_model_version(NAME, strong).tags["registered_as"] == "challenger"
    artifacts = {a.path for a in client.list_artifacts(run_id)}
    assert {"model_card.md", "calibration.png", "contributions.png", "metrics.json"} <= artifacts
    assert "data_version" in client.get_run(run_id).data.params

    won = promote(holdout, store, NAME, None)  # latest version = the strong challenger
    assert won.promoted and won.challenger_version == strong and won.champion_version == weak
    assert won.champion_metrics is not None
    assert won.challenger_metrics["pr_auc"] > won.champion_metrics["pr_auc"]
    assert _champion(client) == strong
    assert client.get_model_version(NAME, strong).tags["promotion_decision"] == "promoted"
    assert client.get_model_version(NAME, weak).tags["last_challenge_result"] == "replaced"
    # the decision is a run: both sides' metrics and the bootstrap interval of the PR-AUC gain
    assert won.gain_interval is not None and 0 < won.gain_interval[0] <= won.pr_auc_gain
    decision = client.get_run(str(won.run_id))
    assert decision.data.tags["decision"] == "promoted"
    assert decision.data.metrics["pr_auc_gain_low"] == pytest.approx(won.gain_interval[0])
    assert decision.data.params["champion_version"] == weak
    assert client.get_model_version(NAME, strong).tags["promotion_run_id"] == won.run_id

    _, worse = _log(store, signal=0.2, seed=3, alias=None)
    lost = promote(holdout, store, NAME, worse)
    assert not lost.promoted and _champion(client) == strong
    assert client.get_model_version(NAME, worse).tags["promotion_decision"] == "rejected"
    assert client.get_model_version(NAME, strong).tags["last_challenge_result"] == "kept"
    assert "champion kept" in format_promotion(lost) and f"v{worse}" in format_promotion(lost)

    same = promote(holdout, store, NAME, strong)
    assert not same.promoted and "already the champion" in same.reason
    with pytest.raises(InputError):
        promote(holdout, store, NAME, "42")


def test_first_version_without_champion_is_promoted(store: str) -> None:
    name = f"{NAME}-fresh"
    _log(store, signal=1.5, seed=2, alias=None, name=name)
    result = promote(synthetic(120, 98, signal=1.5), store, name)
    assert result.promoted and result.champion_metrics is None and result.reason == "no champion yet"
    assert _champion(MlflowClient(store, store), name) == result.challenger_version


def test_a_challenger_worse_on_the_officers_decisions_is_not_promoted(store: str) -> None:
    name = f"{NAME}-feedback"
    client = MlflowClient(store, store)
    _, weak = _log(store, signal=0.2, seed=1, alias="champion", name=name)
    _, strong = _log(store, signal=1.5, seed=2, alias=None, name=name)
    # Officers cleared deals that look like the generator's frauds, and confirmed ordinary ones:
    # the challenger that learnt the generator best is the most wrong about the bank's own deals.
    decided = synthetic(80, 96, signal=1.5)
    decided.y = 1 - decided.y
    result = promote(synthetic(300, 99, signal=1.5), store, name, strong, feedback=decided)
    assert not result.promoted and "officers' held-out decisions" in result.reason
    assert result.challenger_feedback is not None and result.champion_feedback is not None
    assert result.challenger_feedback["brier"] > result.champion_feedback["brier"]
    assert _champion(client, name) == weak
    decision = client.get_run(str(result.run_id))
    assert decision.data.metrics["challenger_feedback_rows"] == 80.0
    assert "on held-out decisions, challenger" in format_promotion(result)
    agreeing = synthetic(80, 95, signal=1.5)  # decisions that agree with the world: promoted
    won = promote(synthetic(300, 99, signal=1.5), store, name, strong, feedback=agreeing)
    assert won.promoted and "no worse on the officers' held-out decisions" in won.reason


def test_training_never_replaces_a_champion(store: str) -> None:
    name = f"{NAME}-train"
    _, first = _log(store, signal=0.2, seed=1, alias="champion", name=name)
    _, second = _log(store, signal=1.5, seed=2, alias="champion", name=name)  # asks, is refused
    client = MlflowClient(store, store)
    assert _champion(client, name) == first
    assert client.get_model_version(name, first).tags["registered_as"] == "champion"
    assert client.get_model_version(name, second).tags["registered_as"] == "challenger"


def test_a_registry_set_elsewhere_in_the_process_gets_nothing(store: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    mlflow.set_registry_uri(other)  # as serving's model fetch leaves it
    name = f"{NAME}-leak"
    _, version = _log(store, signal=1.5, seed=3, alias="champion", name=name)
    assert _champion(MlflowClient(store, store), name) == version == "1"
    assert not MlflowClient(other, other).search_registered_models(f"name = '{name}'")
    mlflow.set_registry_uri(other)
    result = promote(synthetic(120, 97, signal=1.5), store, name)
    assert result.champion_version == "1"  # read from the store promotion was given


def test_leave_one_out_is_a_run(store: str) -> None:
    rows = [{"typology": "PRICE_DEVIATION", "n_typology": 9, "n_clean_heldout": 9, "recall_high": 0.8,
             "pr_auc": 0.9, "clean_flagged_high": 0.0, "recall_high_seen": 1.0},
            {"typology": "CHRONOLOGY", "n_typology": 7, "n_clean_heldout": 7, "recall_high": 0.1,
             "pr_auc": 0.6, "clean_flagged_high": 0.1, "recall_high_seen": 0.9}]
    run = MlflowClient(store, store).get_run(log_leave_one_out(rows, {"world": "w", "seed": 0}, store))
    assert run.data.metrics["recall_high_PRICE_DEVIATION"] == 0.8
    assert run.data.metrics["typologies_caught"] == 1.0 and run.data.params["world"] == "w"
