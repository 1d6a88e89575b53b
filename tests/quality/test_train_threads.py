"""``train_threads``: the boosted trees the shipped thread model stores predict what scikit-learn's
model predicts, and survive the model file."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.link import thread_pairs
from build_tools.link.thread_assign import ThreadModel, Tree
from quality.train_threads import TREES, _trees


@pytest.fixture(scope="module")
def pairs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(3)
    x = rng.rand(12000, len(thread_pairs.FEATURES))
    y = x[:, 0] + x[:, 8] + 0.4 * rng.rand(12000) > 1.4
    return x, y


def test_stored_trees_predict_as_scikit_learn(pairs: tuple[np.ndarray, np.ndarray]) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = pairs
    baseline, trees = _trees(x, y)
    raw = baseline + sum(t.predict(x) for t in trees)
    expected = HistGradientBoostingClassifier(**TREES).fit(x, y).predict_proba(x)[:, 1]  # type: ignore[arg-type]
    assert np.allclose(1.0 / (1.0 + np.exp(-raw)), expected, atol=1e-12, rtol=0)


def test_model_with_trees_round_trips_and_averages(pairs: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pairs
    baseline, trees = _trees(x, y)
    coef = tuple(k / 8 for k in range(len(thread_pairs.FEATURES)))
    model = ThreadModel(thread_pairs.FEATURES, coef, -2.0, 0.4, trees, baseline)
    back = ThreadModel.from_json(model.as_json("about"))
    assert back == model
    linear = ThreadModel(thread_pairs.FEATURES, coef, -2.0, 0.4)
    tree_p = 1.0 / (1.0 + np.exp(-(baseline + sum(t.predict(x) for t in trees))))
    assert np.allclose(back.probability(x), 0.5 * (linear.probability(x) + tree_p))


def test_tree_sends_a_value_equal_to_the_threshold_left() -> None:
    tree = Tree(feature=(1, 0, 0), threshold=(0.5, 0.0, 0.0), left=(1, -1, -1), right=(2, -1, -1), value=(0.0, -1.0, 2.0))
    x = np.array([[9.0, 0.5], [9.0, 0.50001], [0.0, -3.0]])
    assert tree.predict(x).tolist() == [-1.0, 2.0, -1.0]
