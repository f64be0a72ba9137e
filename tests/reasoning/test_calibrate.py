"""Calibrated confidence: Platt scaling of the scorer's logit on interactions it never saw."""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kg import load_graph
from reasoning import load_rules, train_scorer, weight_scorer
from reasoning.calibrate import (Calibration, Ranker, calibration_samples, fit_calibration, fit_platt, reliability,
                                 train_ranker)
from reasoning.errors import ReasoningError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    graph = load_graph(ROOT / "data" / "demo")
    rules = load_rules(ROOT / "data" / "rules" / "default.yaml", graph)
    return graph, rules


@pytest.fixture(scope="module")
def ranker(demo):
    return train_ranker(*demo)


@pytest.fixture(scope="module")
def samples(demo, ranker):
    return calibration_samples(*demo, ranker.scorer)


def test_held_out_pairs_are_not_the_training_pairs(demo, samples, ranker) -> None:
    graph, _ = demo
    # one second-newest purchase per user with three or more, against 4 sampled items each
    assert samples.relation == "purchased" and set(np.unique(samples.labels)) == {0.0, 1.0}
    assert samples.labels.sum() <= ranker.scorer.stats.positives
    assert len(samples.labels) > 4 * samples.labels.sum() * 0.8


@pytest.mark.parametrize("parity", [0, 1])
def test_confidence_is_calibrated_on_a_held_out_split_of_the_demo(samples, parity) -> None:
    """Fit on the users of one parity, read the reliability curve on the others' pairs."""
    fit = samples.users % 2 == parity
    slope, intercept = fit_platt(samples.scores[fit], samples.labels[fit])
    cal = Calibration(slope, intercept)
    held = ~fit
    assert held.sum() >= 300
    probs = np.array([cal.probability(s) for s in samples.scores[held]])
    curve, ece = reliability(probs, samples.labels[held])
    assert ece <= 0.1, curve
    assert curve[0][1] < curve[-1][1] and curve[0][2] < curve[-1][2]  # higher confidence, more real pairs
    # the raw sigmoid of the logit is further off: it was fitted on the training pairs themselves
    _, raw = reliability(1 / (1 + np.exp(-samples.scores[held])), samples.labels[held])
    assert raw > ece


def test_train_ranker_calibrates_and_says_on_what(ranker) -> None:
    cal = ranker.calibration
    assert ranker.scorer.trained and cal is not None
    assert cal.pairs >= 500 and cal.positives >= 100 and cal.ece <= 0.1 and cal.relation == "purchased"
    assert "held-out" in cal.basis and f"{cal.pairs}" in cal.basis
    assert 0 < cal.probability(-5) < cal.probability(0) < cal.probability(5) < 1
    assert ranker.confidence(0.0) == cal.probability(0.0)


def test_probability_is_stable_for_huge_scores() -> None:
    cal = Calibration(1.0, 0.0)
    assert cal.probability(1e6) == 1.0 and cal.probability(-1e6) == 0.0 and math.isclose(cal.probability(0), 0.5)


def test_reliability_bins_count_every_pair() -> None:
    curve, ece = reliability(np.array([0.1, 0.1, 0.9, 0.9]), np.array([0, 0, 1, 1]), bins=2)
    assert curve == [(2, 0.1, 0.0), (2, 0.9, 1.0)] and math.isclose(ece, 0.1)


def test_nothing_to_calibrate_gives_none(samples) -> None:
    assert fit_calibration(None) is None
    only_real = replace(samples, scores=samples.scores[samples.labels == 1], labels=samples.labels[samples.labels == 1])
    assert fit_calibration(only_real) is None  # nothing to contrast
    assert Ranker(weight_scorer()).confidence(3.0) is None


def test_ranker_saves_and_loads_with_its_calibration(ranker, tmp_path) -> None:
    path = tmp_path / "ranker.json"
    ranker.save(path)
    assert Ranker.load(path) == ranker
    assert json.loads(path.read_text())["format"] == "whyrec-ranker"
    bare = tmp_path / "scorer.json"
    ranker.scorer.save(bare)  # a scorer saved alone loads, without calibration
    assert Ranker.load(bare) == Ranker(ranker.scorer)


@pytest.mark.parametrize("text", ["{", "[]", '{"format": "whyrec-ranker", "version": 2, "scorer": {}, "calibration": null}',
                                  '{"format": "whyrec-ranker", "version": 1, "scorer": {}, "calibration": null}',
                                  '{"format": "whyrec-ranker", "version": 1, "scorer": %s, "calibration": {"slope": "x"}}'])
def test_a_bad_ranker_file_is_refused_with_r100(ranker, tmp_path, text) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text.replace("%s", ranker.scorer.to_json()) if "%s" in text else text)
    with pytest.raises(ReasoningError) as err:
        Ranker.load(path)
    assert err.value.code == "R100" and str(path) in err.value.message


def test_a_folder_is_not_a_ranker(tmp_path) -> None:
    with pytest.raises(ReasoningError, match="not a regular file"):
        Ranker.load(tmp_path)


def test_train_ranker_trains_what_train_scorer_trains(demo, ranker) -> None:
    assert ranker.scorer == train_scorer(*demo, max_users=500)


def test_training_says_what_it_does_on_a_terminal(demo, capsys) -> None:
    train_ranker(*demo, show=True)
    err = capsys.readouterr().err
    assert "training the ranker on 150 users" in err and "calibrating confidence on" in err
    train_ranker(*demo)  # show=None: stderr is no terminal here, so nothing
    assert capsys.readouterr().err == ""
