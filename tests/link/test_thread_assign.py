"""``thread_assign.assign`` skips briefings and threads whose probabilities cannot reach the score
to beat: the threads must be those of scoring every one."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.link import thread_pairs
from build_tools.link.thread_assign import assign, thread_score
from tests.link.random_pairs import random_pairs


def every_thread_scored(n: int, pairs: thread_pairs.Pairs, probability: np.ndarray, threshold: float) -> list[int]:
    """The assignment without the sum bound: every thread of every briefing scored."""
    thread = list(range(n))
    for i in range(n):
        by_thread: dict[int, list[float]] = {}
        for k in np.flatnonzero(pairs.later == i):
            by_thread.setdefault(thread[int(pairs.earlier[k])], []).append(float(probability[k]))
        best, score = i, threshold
        for t in sorted(by_thread):
            s = thread_score(np.asarray(by_thread[t]))
            if s >= score and (best == i or s > score):
                best, score = t, s
        thread[i] = best
    return thread


@pytest.mark.parametrize("seed", range(8))
def test_the_sum_bound_changes_no_thread(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 80
    pairs = random_pairs(rng, n, 0.15)
    later = pairs.later
    # mostly small probabilities (as in an archive), some near and at the threshold, ties included
    probability = np.where(rng.random(len(later)) < 0.85, rng.random(len(later)) * 0.2,
                           rng.choice([0.1, 0.2, 0.35, 0.5, 0.9], size=len(later)))
    for threshold in (0.2, 0.35, 0.5):
        assert assign(n, pairs, probability, threshold) == every_thread_scored(n, pairs, probability, threshold)


def test_several_moderate_partners_join_where_none_alone_would() -> None:
    """Two partners of 0.3 in one thread: noisy-or 0.51 >= 0.5, though each is below it (and the
    sum bound must not skip them)."""
    pairs = thread_pairs.Pairs(np.array([1, 2, 2]), np.array([0, 0, 1]), np.zeros((3, 0)))
    assert assign(3, pairs, np.array([0.9, 0.3, 0.3]), 0.5) == [0, 0, 0]
    assert assign(3, pairs, np.array([0.9, 0.3, 0.1]), 0.5) == [0, 0, 2]
