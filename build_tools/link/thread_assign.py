"""Link: which story thread each briefing joins, decided briefing by briefing in date order.

A learned merge decision (``ThreadModel``: the mean of a logistic regression and of small
gradient-boosted trees, on the pair features of ``thread_pairs``, trained by
``quality/train_threads.py`` from hand-labelled threads) gives each candidate pair of briefings the
probability that both tell one story. Briefings are then taken oldest first, and
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
from dataclasses import dataclass, replace
from functools import cached_property
from importlib import resources

import numpy as np

from build_tools.link import thread_pairs


@dataclass(frozen=True)
class Tree:
    """One regression tree of a boosted model, as flat node arrays (scikit-learn's
    HistGradientBoostingClassifier predictors): an internal node sends a pair left when its
    ``feature`` is <= ``threshold`` (right otherwise); a leaf (``left`` -1) adds its ``value``."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    @cached_property
    def _walk(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """Node arrays in which a leaf sends every pair to itself (so a walk of the tree's depth
        ends every pair in its leaf, with no test for leaves), and that depth."""
        n = len(self.left)
        leaf = np.asarray(self.left) < 0
        left = np.where(leaf, np.arange(n), self.left)
        right = np.where(leaf, np.arange(n), self.right)
        threshold = np.where(leaf, np.inf, self.threshold)
        depth = np.zeros(n, dtype=int)
        for k in range(n):  # scikit-learn numbers a node before its children
            if not leaf[k]:
                depth[left[k]] = depth[right[k]] = depth[k] + 1
        return np.asarray(self.feature, dtype=np.intp), threshold, left, right, np.asarray(self.value), int(depth.max())

    def predict(self, x: np.ndarray) -> np.ndarray:
        feature, threshold, left, right, value, depth = self._walk
        flat, width = x.ravel(), x.shape[1]
        start = np.arange(x.shape[0]) * width
        node = np.zeros(x.shape[0], dtype=np.intp)
        for _ in range(depth):  # every pair one level down a round
            node = np.where(flat[start + feature[node]] <= threshold[node], left[node], right[node])
        return value[node]

    def as_dict(self) -> dict[str, list[int] | list[float]]:
        return {"feature": list(self.feature), "threshold": list(self.threshold), "left": list(self.left),
                "right": list(self.right), "value": list(self.value)}

    @classmethod
    def from_dict(cls, data: dict[str, list[float]]) -> Tree:
        return cls(tuple(int(f) for f in data["feature"]), tuple(float(t) for t in data["threshold"]),
                   tuple(int(n) for n in data["left"]), tuple(int(n) for n in data["right"]),
                   tuple(float(v) for v in data["value"]))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class ThreadModel:
    """The merge decision: P(same story) = sigmoid(intercept + coef . pair features), averaged with
    sigmoid(tree_baseline + the sum of the trees' leaves) when the model has trees; a briefing
    joins a thread whose noisy-or of those probabilities over its members is >= threshold."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """Chosen out of fold (see quality/train_threads.py and the model file's ``about``)."""
    trees: tuple[Tree, ...] = ()
    tree_baseline: float = 0.0
    tree_floor: float = 0.0
    """A pair whose logistic probability is below this keeps it, the trees not consulted (the
    trees cost about twenty times the logistic regression per pair, and most candidate pairs
    share little); see quality/train_threads.py's TREE_FLOOR."""

    def probability(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        out = _sigmoid(x @ np.asarray(self.coef) + self.intercept)
        if not self.trees:
            return out
        ask = np.flatnonzero(out >= self.tree_floor)
        if len(ask):
            z = np.ascontiguousarray(x[ask])
            raw = np.full(len(ask), self.tree_baseline)
            for tree in self.trees:
                raw += tree.predict(z)
            out[ask] = 0.5 * (out[ask] + _sigmoid(raw))
        return out

    def with_threshold(self, threshold: float) -> ThreadModel:
        return replace(self, threshold=threshold)

    def as_json(self, about: str = "") -> str:
        data: dict[str, object] = {"about": about, "features": list(self.features),
                                   "coef": [round(c, 6) for c in self.coef],
                                   "intercept": round(self.intercept, 6), "threshold": self.threshold}
        if self.trees:  # exact floats: a split moved by rounding would be another model
            data["tree_baseline"] = self.tree_baseline
            data["tree_floor"] = self.tree_floor
            data["trees"] = [t.as_dict() for t in self.trees]
        return json.dumps(data, indent=None if self.trees else 1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ThreadModel:
        data = json.loads(text)
        if tuple(data["features"]) != thread_pairs.FEATURES:
            raise ValueError(f"thread model features {data['features']} are not {list(thread_pairs.FEATURES)}: "
                             f"retrain with python -m quality.train_threads")
        return cls(tuple(data["features"]), tuple(float(c) for c in data["coef"]), float(data["intercept"]),
                   float(data["threshold"]), tuple(Tree.from_dict(t) for t in data.get("trees", ())),
                   float(data.get("tree_baseline", 0.0)), float(data.get("tree_floor", 0.0)))


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
