"""Link: which story thread each briefing joins, decided briefing by briefing in date order.

A learned merge decision (``ThreadModel``: logistic, on the pair features of ``thread_pairs``,
trained by ``quality/train_threads.py`` from hand-labelled threads) gives each candidate pair of
briefings the probability that both tell one story. Briefings are then taken oldest first, and
each is compared with every *thread* that holds one of its candidate partners, not with single
briefings (Miranda et al., EMNLP 2018): a developing story's later wires rarely repeat its first
one, but several of its members each share something with them. A thread's score is the
noisy-or of its members' pair probabilities, 1 - prod(1 - p): one strong partner decides alone,
several moderate ones add up. The briefing joins the best-scoring thread at or above the model's
threshold (ties: the older thread), else starts one.

A briefing never moves an older one, so the result is deterministic and *incremental*: ``assign``
takes ``fixed`` briefings whose thread is already known (from the build cache, ``stories``), and
decides only the others, against the threads built so far (``stories.thread_stories`` says when
that equals a full run).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import numpy as np

from build_tools.link import thread_pairs


@dataclass(frozen=True)
class ThreadModel:
    """The merge decision: P(same story) = sigmoid(intercept + coef . pair features); a briefing
    joins a thread whose noisy-or of those probabilities over its members is >= threshold."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """Chosen out of fold (see quality/train_threads.py and the model file's ``about``)."""

    def probability(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept)))

    def with_threshold(self, threshold: float) -> ThreadModel:
        return ThreadModel(self.features, self.coef, self.intercept, threshold)

    def as_json(self, about: str = "") -> str:
        data = {"about": about, "features": list(self.features), "coef": [round(c, 6) for c in self.coef],
                "intercept": round(self.intercept, 6), "threshold": self.threshold}
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ThreadModel:
        data = json.loads(text)
        if tuple(data["features"]) != thread_pairs.FEATURES:
            raise ValueError(f"thread model features {data['features']} are not {list(thread_pairs.FEATURES)}: "
                             f"retrain with python -m quality.train_threads")
        return cls(tuple(data["features"]), tuple(float(c) for c in data["coef"]), float(data["intercept"]),
                   float(data["threshold"]))


def shipped_model() -> ThreadModel:
    return ThreadModel.from_json(resources.files("build_tools.data").joinpath("thread_model.json").read_text("utf-8"))


SUM_BOUND_SLACK = 1e-9
"""Rounding room when the sum of probabilities bounds their noisy-or (``assign``): a bound within
this of the score to beat is scored all the same. Far above the rounding of a few hundred floats."""


def thread_score(probabilities: np.ndarray) -> float:
    """How likely a briefing belongs to a thread, from its pair probabilities with the thread's
    members that are its candidate partners: their noisy-or."""
    return float(1.0 - np.prod(1.0 - probabilities))


def assign(n: int, pairs: thread_pairs.Pairs, probability: np.ndarray, threshold: float,
           fixed: Mapping[int, int] | None = None) -> list[int]:
    """Thread (index of its first member) of each of n briefings, oldest first. A briefing in
    ``fixed`` joins the thread of the briefing it maps to (an earlier one, or itself: it starts
    one); every other one joins the best-scoring thread built so far at or above threshold."""
    fixed = fixed or {}
    order = np.argsort(pairs.later, kind="stable")
    bounds = np.searchsorted(pairs.later[order], np.arange(n + 1))
    # The noisy-or never exceeds the sum of its probabilities: a briefing (or a thread) whose
    # partners' probabilities sum below the threshold cannot join (be joined), so it is not scored.
    # The same threads as scoring every one; most of an archive's briefings are such.
    reach = np.bincount(pairs.later, weights=probability, minlength=n) if len(pairs.later) else np.zeros(n)
    thread = np.arange(n)
    for i in range(n):
        if i in fixed:
            thread[i] = thread[fixed[i]]
            continue
        if reach[i] < threshold - SUM_BOUND_SLACK:
            continue
        rows = order[bounds[i]:bounds[i + 1]]
        of, p = thread[pairs.earlier[rows]], probability[rows]
        threads, at = np.unique(of, return_inverse=True)  # oldest thread first: it wins a tie
        bound = np.bincount(at, weights=p)
        best, score = i, threshold
        for t, most in zip(threads[bound >= threshold - SUM_BOUND_SLACK].tolist(),
                           bound[bound >= threshold - SUM_BOUND_SLACK].tolist(), strict=True):
            if most < score - SUM_BOUND_SLACK:
                continue  # cannot reach the best score so far
            s = thread_score(p[of == t])
            if s >= score and (best == i or s > score):
                best, score = t, s
        thread[i] = best
    return thread.tolist()
