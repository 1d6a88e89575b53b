"""Try candidate pair features and classifiers for the story threads' merge decision, out of fold.

    python -m quality.thread_experiments [--corpus ../shared/corpus] [--hgb]

A bench for ideas, not a gate: nothing here is shipped. For each variant (the shipped features,
then the shipped features plus one or more candidate features), it trains one model per fold as
``quality/train_threads.py`` does (on the pairs of which neither briefing is in the fold), chooses
the threshold in ``train_threads.THRESHOLDS`` with the best mean pairwise F1 outside the held-out
fold, clusters with ``thread_assign.assign`` and prints each set's out-of-fold pairwise precision,
recall and F1, counted over *briefings* (the gate, ``quality/eval_threads.py``, counts labelled
inputs: near-duplicate inputs fold into one briefing, so its figures run a little higher). Every
variant is retrained in the same run on today's tags; the first row scores the pinned fold models
of ``quality/models`` (the gate's, trained on earlier tags) the same way, for comparison.

Candidate features (each a number per candidate pair, beside ``thread_pairs.FEATURES``):

* ``numbers``: TF-IDF cosine of the numbers of headline and lead ('18 dlr', '3.5 mln'), years and
  one-digit numbers left out;
* ``bigrams``: TF-IDF cosine of the stemmed word pairs of headline and lead ('sales tax');
* ``content``: TF-IDF cosine of the headline and lead without the words the body writes as names
  (what happened, apart from who: two answers of one minister on one day share the minister only);
* ``people``, ``organizations``: the ``actors`` cosine of one tag type.

``--hgb`` adds a gradient-boosted tree model (scikit-learn's HistGradientBoostingClassifier, small
trees, fixed seed) on the shipped features plus every candidate.

**Findings (issue 23, code 23e3d75).** Pairwise F1 over briefings, Reuters 1-300 / 301-600 / 601-900
(this command, ``--hgb``): pinned fold models .687 / .583 / .508; the shipped features retrained on
today's tags .602 / .642 / .495; + numbers .692 / .587 / .508; + bigrams .670 / .578 / .516; +
content .683 / .583 / .512; + people .680 / .565 / .489; + organizations .667 / .571 / .521; + all
.689 / .567 / .492; trees .687 / .475 / .497. Shipped as a feature and retrained, ``numbers`` moved
the gate (``quality/eval_threads.py``, inputs) to .685 / .590 / .571 against the pinned .679 / .586
/ .575: noise, not kept. Tried in a scratch harness with the same folds and threshold choice, and
no better: the headline's words found in the other body (both directions), capitals-only acronyms
('OPEC', 'ICO') among the body names, polynomial (degree 2) logistic regression, other tree sizes;
joining a thread on its best pair, its mean pair, or a noisy-or times the mean; and a learned
thread-level decision on the noisy-or, best pair, summed pairs and cosines with the thread's
centroid (.59 / .46 / .42). ``quality/thread_errors.py`` says why: nearly every missed pair is a
weak pair (probability under the threshold), not a thread decision, and the misses sit in a few
long affairs (OPEC's price defence: 21 of 601-900's 81 labelled pairs; Reagan after the Tower
report and OPEC: 64 of 1-300's 113), while the false joins are one actor's unrelated news on one
day (Baker's answers to Congress, one company's notes and results). The bag-of-words pair
features see who, not which affair; that, not the merge, is what to change next.

**Findings (issue 23, threads2).** Scored the same way in a scratch harness on the same folds: the
mean of the logistic regression and the ``--hgb`` trees, both on the shipped features, .813 /
.592 / .593 against the logistic regression's .673 / .583 / .508 (trees alone .809 / .512 /
.526): shipped (``quality/train_threads.py``), gate .824 / .582 / .645 over inputs. Not kept,
each noise or worse on some set: a neighbour-profile feature (cosine of two briefings' headline+lead
similarities to the earlier briefings, cut at 0.05 or 0.15: .706 / .611 / .424 with the logistic
regression, .728 / .614 / .604 in the mean), the summed rarity of the headline+lead words both
share (.610 / .624 / .509), trees with a monotone constraint on the gap (.807 / .562 / .541).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from build_tools.link import thread_pairs
from build_tools.link.thread_assign import assign
from quality import gate
from quality.thread_sets import REPO, ThreadSet, load_sets
from quality.train_threads import THRESHOLDS, f1, pair_counts

Predict = Callable[[np.ndarray], np.ndarray]
Fitter = Callable[[np.ndarray, np.ndarray], Predict]

_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_YEAR = re.compile(r"(?:19|20)\d\d")


def numbers(text: str) -> list[str]:
    """Numbers of a text, thousands separators dropped; years and numbers below 11 left out."""
    out = []
    for m in _NUMBER.findall(text):
        m = m.replace(",", "")
        if not _YEAR.fullmatch(m) and not (m.isdigit() and int(m) <= 10):
            out.append(m)
    return out


def bigrams(text: str) -> list[str]:
    w = thread_pairs.words(text)
    return [f"{a} {b}" for a, b in zip(w, w[1:], strict=False)]


def _cosine(docs: Sequence[Sequence[str]], later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        m = sp.csr_matrix(TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit_transform(docs))
    except ValueError:  # no token at all
        return np.zeros(len(later))
    return np.asarray(m[later].multiply(m[earlier]).sum(axis=1)).ravel()


def candidates(s: ThreadSet) -> dict[str, np.ndarray]:
    """Each candidate feature of every candidate pair of the set."""
    bs, later, earlier = s.briefings, s.pairs.later, s.pairs.earlier
    head_lead = [f"{b.title}\n{thread_pairs.thread_lead(b)}" for b in bs]
    named = [thread_pairs.name_words(b) for b in bs]
    out = {"numbers": _cosine([numbers(t) for t in head_lead], later, earlier),
           "bigrams": _cosine([bigrams(t) for t in head_lead], later, earlier),
           "content": _cosine([[w for w in thread_pairs.words(t) if w not in n] for t, n in zip(head_lead, named, strict=True)],
                              later, earlier)}
    for kind in ("people", "organizations"):
        m, _ = thread_pairs._weighted([thread_pairs.tag_keys(b, (kind,)) for b in bs])
        out[kind] = np.asarray(m[later].multiply(m[earlier]).sum(axis=1)).ravel()
    return out


def logistic(x: np.ndarray, y: np.ndarray) -> Predict:
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(max_iter=5000).fit(x, y)
    return lambda z: m.predict_proba(z)[:, 1]


def boosted(x: np.ndarray, y: np.ndarray) -> Predict:
    from sklearn.ensemble import HistGradientBoostingClassifier

    m = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=40,
                                       l2_regularization=1.0, random_state=0).fit(x, y)
    return lambda z: m.predict_proba(z)[:, 1]


def out_of_fold(sets: list[ThreadSet], xs: list[np.ndarray], fitter: Fitter) -> tuple[float, list[tuple[int, int, int]]]:
    """The threshold chosen out of fold, and each set's (tp, fp, fn) briefing pairs at it."""
    probability: dict[int, list[np.ndarray]] = {}
    for k in range(gate.K_FOLDS):
        keep = [(s.fold[s.pairs.later] != k) & (s.fold[s.pairs.earlier] != k) for s in sets]
        model = fitter(np.vstack([x[m] for x, m in zip(xs, keep, strict=True)]),
                       np.concatenate([s.same[m] for s, m in zip(sets, keep, strict=True)]))
        probability[k] = [model(x) for x in xs]

    def counts(t: float, held: bool) -> list[tuple[int, int, int]]:
        out = []
        for i, s in enumerate(sets):
            runs = {k: assign(len(s.briefings), s.pairs, p[i], t) for k, p in probability.items()}
            items = [b for b in range(len(s.briefings)) if held or s.fold[b] != gate.HELD_OUT_FOLD]
            out.append(pair_counts(s.truth, runs, s.fold, items))
        return out

    best = max(THRESHOLDS, key=lambda t: (round(float(np.mean([f1(*c) for c in counts(t, False)])), 9), -t))
    return best, counts(best, True)


def pinned(sets: list[ThreadSet]) -> tuple[float, list[tuple[int, int, int]]]:
    """The fold models in ``quality/models`` as they are (the gate's), counted the same way."""
    from quality.eval_threads import fold_models

    models = fold_models()
    out = []
    for s in sets:
        runs = {k: assign(len(s.briefings), s.pairs, m.probability(s.pairs.x), m.threshold) for k, m in models.items()}
        out.append(pair_counts(s.truth, runs, s.fold, list(range(len(s.briefings)))))
    return models[0].threshold, out


def line(label: str, threshold: float, sets: list[ThreadSet], counts: list[tuple[int, int, int]]) -> str:
    figures = "; ".join(f"{s.name} P {tp / (tp + fp) if tp + fp else 1:.3f} R {tp / (tp + fn) if tp + fn else 1:.3f} "
                        f"F1 {f1(tp, fp, fn):.3f}" for s, (tp, fp, fn) in zip(sets, counts, strict=True))
    return f"{label:22} threshold {threshold:.2f} | {figures}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.thread_experiments", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    p.add_argument("--hgb", action="store_true", help="also try gradient-boosted trees on every feature")
    args = p.parse_args(argv)
    sets = load_sets(args.corpus)
    extra = [candidates(s) for s in sets]
    variants: list[tuple[str, tuple[str, ...], Fitter]] = [("shipped features", (), logistic)]
    variants += [(f"+ {name}", (name,), logistic) for name in extra[0]]
    variants.append(("+ all candidates", tuple(extra[0]), logistic))
    if args.hgb:
        variants.append(("trees, all features", tuple(extra[0]), boosted))
    threshold, counts = pinned(sets)
    print(line("pinned fold models", threshold, sets, counts))
    for label, names, fitter in variants:
        xs = [np.column_stack([s.pairs.x, *(e[n] for n in names)]) for s, e in zip(sets, extra, strict=True)]
        threshold, counts = out_of_fold(sets, xs, fitter)
        print(line(label, threshold, sets, counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
