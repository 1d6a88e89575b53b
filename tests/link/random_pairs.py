"""Random candidate pairs for the thread tests: every earlier briefing of a later one with the given chance."""

from __future__ import annotations

import numpy as np

from build_tools.link import thread_pairs


def random_pairs(rng: np.random.Generator, n: int, density: float) -> thread_pairs.Pairs:
    """Pairs (later, earlier) among ``n`` briefings, each present with chance ``density``; no features."""
    later, earlier = np.nonzero(np.tril(rng.random((n, n)) < density, k=-1))
    return thread_pairs.Pairs(later, earlier, np.zeros((len(later), 0)))
