"""Train the story-thread merge decision: a logistic regression and boosted trees on pair features
(their probabilities averaged), and its threshold.

    python -m quality.train_threads [--corpus ../shared/corpus]

Labelled pairs come from every thread set (``quality/thread_sets.py``): each candidate pair of
briefings is positive when both are in one hand-labelled thread. Writes, in one deterministic run:

* ``quality/models/thread_fold_<k>.json``: for each fold k, a model trained on the pairs of which
  neither briefing is in fold k (the gate scores fold k's briefings with it: out of fold);
* ``build_tools/data/thread_model.json``: the shipped model, trained on every pair.

The threshold (THE named constant of the merge, stored in both) is chosen on the out-of-fold
clusterings: the value in THRESHOLDS with the best mean pairwise F1 over the sets, counting only
briefings outside ``gate.HELD_OUT_FOLD`` (calibration never looks at the held-out fold).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from build_tools.link import thread_pairs
from build_tools.link.thread_assign import ThreadModel, Tree, assign
from quality import gate
from quality.thread_sets import REPO, ThreadSet, load_sets

MODELS = Path(__file__).resolve().parent / "models"
SHIPPED = REPO / "build_tools" / "data" / "thread_model.json"
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.91, 0.05))
REGULARISATION = 1.0
"""Inverse regularisation strength C of the logistic regression (scikit-learn's default; the
features are few and on similar 0-2 scales)."""
TREES = {"max_iter": 100, "learning_rate": 0.05, "max_leaf_nodes": 8, "min_samples_leaf": 40,
         "l2_regularization": 1.0, "random_state": 0}
"""The boosted trees averaged with the logistic regression (scikit-learn's
HistGradientBoostingClassifier; its default early stopping on a seeded 10% of the pairs). Small
trees and many pairs per leaf: 256 same-thread pairs among 105,500. Calibrated by
``quality.thread_experiments`` (issue 23, threads2): out of fold, the mean of both models over the
shipped features took the Reuters sets' pairwise F1 over briefings from .673 / .583 / .508
(logistic alone) to .813 / .592 / .593; trees alone .809 / .512 / .526, so neither alone."""

TREE_FLOOR = 0.01
"""Pairs under this logistic probability keep it, the trees not consulted (``ThreadModel.tree_floor``):
1.3% of the 105,500 labelled candidate pairs are at or above it. Calibrated by
``quality.thread_experiments``' out-of-fold runs (issue 23, threads2): floors 0, 0.003 and 0.01
cluster every labelled set alike (pairwise F1 over briefings .813 / .592 / .593 on the Reuters
sets); the link stage is then about as fast as with the logistic regression alone."""


def _trees(x: np.ndarray, y: np.ndarray) -> tuple[float, tuple[Tree, ...]]:
    """The boosted trees fitted to the pairs, as the shipped model stores them."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    hgb = HistGradientBoostingClassifier(**TREES).fit(x, y)
    trees = []
    for (predictor,) in hgb._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(Tree(tuple(int(f) for f in nodes["feature_idx"]), tuple(float(t) for t in nodes["num_threshold"]),
                          tuple(-1 if lf else int(n) for lf, n in zip(leaf, nodes["left"], strict=True)),
                          tuple(-1 if lf else int(n) for lf, n in zip(leaf, nodes["right"], strict=True)),
                          tuple(float(v) if lf else 0.0 for lf, v in zip(leaf, nodes["value"], strict=True))))
    return float(np.ravel(hgb._baseline_prediction)[0]), tuple(trees)


def fold_model_path(k: int) -> Path:
    return MODELS / f"thread_fold_{k}.json"


def fit(sets: list[ThreadSet], without_fold: int | None) -> ThreadModel:
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for s in sets:
        keep = np.ones(len(s.same), dtype=bool)
        if without_fold is not None:
            keep = (s.fold[s.pairs.later] != without_fold) & (s.fold[s.pairs.earlier] != without_fold)
        xs.append(s.pairs.x[keep])
        ys.append(s.same[keep])
    x, y = np.vstack(xs), np.concatenate(ys)
    lr = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(x, y)
    baseline, trees = _trees(x, y)
    return ThreadModel(thread_pairs.FEATURES, tuple(float(c) for c in lr.coef_[0]), float(lr.intercept_[0]), 0.5,
                       trees, baseline, TREE_FLOOR)


def oof_threads(s: ThreadSet, models: dict[int, ThreadModel], threshold: float) -> dict[int, list[int]]:
    """Fold -> the set clustered with that fold's model (briefing -> thread)."""
    return {k: assign(len(s.briefings), s.pairs, m.probability(s.pairs.x), threshold) for k, m in models.items()}


def pair_counts(truth: list[str], runs: dict[int, list[int]], fold: np.ndarray, items: list[int]) -> tuple[int, int, int]:
    """True positive, false positive, false negative same-thread pairs among items; a pair is judged
    by the run of the lower of its two folds (a model that saw neither pair member... nor this pair)."""
    tp = fp = fn = 0
    for x, a in enumerate(items):
        for b in items[x + 1:]:
            run = runs[min(int(fold[a]), int(fold[b]))]
            pred, true = run[a] == run[b], truth[a] == truth[b]
            tp += pred and true
            fp += pred and not true
            fn += true and not pred
    return tp, fp, fn


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_threshold(sets: list[ThreadSet], models: dict[int, ThreadModel]) -> float:
    best, score = THRESHOLDS[0], -1.0
    for t in THRESHOLDS:
        total = 0.0
        for s in sets:
            runs = oof_threads(s, models, t)
            items = [i for i in range(len(s.briefings)) if s.fold[i] != gate.HELD_OUT_FOLD]
            total += f1(*pair_counts(s.truth, runs, s.fold, items))
        if total / len(sets) > score + 1e-9:
            best, score = t, total / len(sets)
    return best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.train_threads", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = p.parse_args(argv)
    sets = load_sets(args.corpus)
    models = {k: fit(sets, k) for k in range(gate.K_FOLDS)}
    threshold = choose_threshold(sets, models)
    about = (f"Trained by python -m quality.train_threads on {', '.join(s.name for s in sets)} "
             f"({sum(len(s.same) for s in sets)} candidate pairs, {sum(int(s.same.sum()) for s in sets)} in one thread). "
             f"threshold: best mean out-of-fold pairwise F1 over those sets outside the held-out fold {gate.HELD_OUT_FOLD}.")
    MODELS.mkdir(exist_ok=True)
    for k, m in models.items():
        fold_model_path(k).write_text(m.with_threshold(threshold).as_json(
            f"Fold model: trained without fold {k}. " + about), "utf-8")
    shipped = fit(sets, None)
    SHIPPED.write_text(shipped.with_threshold(threshold).as_json(about), "utf-8")
    print(f"threshold {threshold}; shipped weights: "
          + ", ".join(f"{n} {c:+.2f}" for n, c in zip(shipped.features, shipped.coef, strict=True))
          + f", intercept {shipped.intercept:+.2f}; {len(shipped.trees)} trees")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
