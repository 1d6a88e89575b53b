"""Thread error analysis: which pairs join wrongly and which are missed, each judged by the right fold's run."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.link.thread_assign import ThreadModel
from build_tools.link.thread_pairs import FEATURES
from quality.thread_errors import PairError, drivers, pair_errors, why_missed


def test_a_pair_is_judged_by_the_run_of_the_lower_of_its_two_folds() -> None:
    truth = ["x", "x", "y", "y"]
    fold = np.array([1, 0, 1, 1])
    runs = {0: [0, 1, 2, 2],  # fold 0's model: 0 and 1 apart (the pair 1-0 is judged here: missed)
            1: [0, 0, 0, 3]}  # fold 1's model: 0, 1 and 2 together, 3 alone (pairs among 0, 2, 3 judged here)
    assert pair_errors(truth, runs, fold) == [
        PairError(1, 0, "missed", 0),
        PairError(2, 0, "false join", 1),
        PairError(3, 2, "missed", 1),
    ]


def test_a_perfect_run_has_no_errors() -> None:
    truth = ["a", "b", "a"]
    assert pair_errors(truth, {0: [0, 1, 0]}, np.zeros(3, dtype=int)) == []


@pytest.mark.parametrize(("p", "cause"), [(None, "not a candidate"), (0.2, "weak pair"), (0.5, "thread decision")],
                         ids=["never-compared", "below-threshold", "strong-pair"])
def test_a_missed_pair_says_why(p: float | None, cause: str) -> None:
    assert why_missed(p, 0.5) == cause


def test_drivers_name_the_features_that_pushed_most() -> None:
    coef = tuple(0.0 for _ in FEATURES[:-2]) + (-3.0, 2.0)
    model = ThreadModel(FEATURES, coef, 0.0, 0.5)
    x = np.ones(len(FEATURES))
    assert drivers(model, x).startswith(f"{FEATURES[-2]} -3.0, {FEATURES[-1]} +2.0")
