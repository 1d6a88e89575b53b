"""Error analysis of the story threads: which pairs join wrongly and which true pairs are missed, out of fold.

    python -m quality.thread_errors [--corpus ../shared/corpus] [--set NAME] [--limit N]

Clusters every labelled set (``quality/thread_sets.py``) with each fold's model, as the thread
gate (``quality/eval_threads.py``) does, and judges each pair of briefings with the run of the
lower of its two folds (a model that saw neither). Prints, per set:

* a summary: false joins (one thread, the labels keep them apart) and missed pairs (one labelled
  thread, left apart), the missed pairs split by why: *not a candidate* (``thread_pairs`` never
  compared them: too far apart, nothing shared), *weak pair* (probability below the threshold: the
  pair features do not see the story) or *thread decision* (a strong pair, yet the assignment put
  the later briefing elsewhere);
* up to ``--limit`` of each kind: the pair's probability under that fold's model, both dates and
  headlines, the labelled thread of a missed pair, and the three features that pushed its
  probability up or down most (coefficient x value).

The headlines go to the terminal only: the Reuters-21578 text is research-licensed and is never
written into the repository.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from build_tools.link.thread_assign import ThreadModel, assign
from build_tools.model import Briefing
from quality.eval_threads import fold_models
from quality.thread_sets import REPO, SETS, ThreadSet, load_set

TOP_FEATURES = 3
"""Features shown per pair: the largest |coefficient x value|."""


class PairError(NamedTuple):
    later: int
    earlier: int
    kind: str
    """'false join' or 'missed'."""
    fold: int
    """The fold whose run judged the pair (the lower of the two briefings' folds)."""


def pair_errors(truth: list[str], runs: dict[int, list[int]], fold: np.ndarray) -> list[PairError]:
    """Every wrongly joined and every missed pair of briefings (later > earlier), each judged by the
    run of the lower of its two folds; later briefing ascending, then earlier."""
    n = len(truth)
    folds = np.asarray(fold, dtype=int)
    judge = np.minimum.outer(folds, folds)
    thread = np.array([runs[k] for k in sorted(runs)])
    row = {k: r for r, k in enumerate(sorted(runs))}
    judged = np.vectorize(row.__getitem__)(judge) if n else np.zeros((0, 0), dtype=int)
    ids = np.arange(n)
    predicted = thread[judged, ids[:, None]] == thread[judged, ids[None, :]]
    _, label = np.unique(np.array(truth, dtype=str), return_inverse=True)
    same = label[:, None] == label[None, :]
    below = np.tril(np.ones((n, n), dtype=bool), -1)  # later (row) > earlier (column)
    out = [PairError(int(i), int(j), "false join", int(judge[i, j])) for i, j in np.argwhere(predicted & ~same & below)]
    out += [PairError(int(i), int(j), "missed", int(judge[i, j])) for i, j in np.argwhere(~predicted & same & below)]
    return sorted(out, key=lambda e: (e.later, e.earlier, e.kind))


def day(b: Briefing) -> str:
    return f"{b.date:%Y-%m-%d}" if b.date else "undated"


def why_missed(p: float | None, threshold: float) -> str:
    if p is None:
        return "not a candidate"
    return "weak pair" if p < threshold else "thread decision"


def drivers(model: ThreadModel, x: np.ndarray) -> str:
    push = np.asarray(model.coef) * x
    top = np.argsort(-np.abs(push), kind="stable")[:TOP_FEATURES]
    return ", ".join(f"{model.features[k]} {push[k]:+.1f}" for k in top)


def analyse(s: ThreadSet, models: dict[int, ThreadModel], limit: int) -> Iterable[str]:
    probability = {k: m.probability(s.pairs.x) for k, m in models.items()}
    runs = {k: assign(len(s.briefings), s.pairs, probability[k], m.threshold) for k, m in models.items()}
    row = {(int(a), int(b)): r for r, (a, b) in enumerate(zip(s.pairs.later, s.pairs.earlier, strict=True))}
    errors = pair_errors(s.truth, runs, s.fold)

    def p_of(e: PairError) -> float | None:
        r = row.get((e.later, e.earlier))
        return None if r is None else float(probability[e.fold][r])

    def line(e: PairError) -> str:
        b, a = s.briefings[e.earlier], s.briefings[e.later]
        p, r = p_of(e), row.get((e.later, e.earlier))
        text = f"  {'-' if p is None else f'{p:.2f}'} | {day(b)} {b.title[:60]} || {day(a)} {a.title[:60]}"
        if e.kind == "missed":
            text += f" [{s.truth[e.later][:40]}; {why_missed(p, models[e.fold].threshold)}]"
        if r is not None:
            text += f" ({drivers(models[e.fold], s.pairs.x[r])})"
        return text

    joins = [e for e in errors if e.kind == "false join"]
    missed = [e for e in errors if e.kind == "missed"]
    causes = {c: sum(why_missed(p_of(e), models[e.fold].threshold) == c for e in missed)
              for c in ("not a candidate", "weak pair", "thread decision")}
    yield (f"== {s.name}: {len(s.briefings)} briefings; {len(joins)} false joins, {len(missed)} missed pairs ("
           + ", ".join(f"{c} {k}" for c, k in causes.items()) + ")")
    if joins:
        yield "false joins (probability | earlier || later):"
        yield from (line(e) for e in joins[:limit])
    if missed:
        yield "missed pairs (probability | earlier || later [labelled thread; why]):"
        yield from (line(e) for e in missed[:limit])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.thread_errors", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    p.add_argument("--set", choices=sorted(SETS), action="append", help="only this set (repeatable; default: all)")
    p.add_argument("--limit", type=int, default=40, help="pairs shown of each kind per set (default 40)")
    args = p.parse_args(argv)
    models = fold_models()
    for name in args.set or list(SETS):
        s = load_set(name, args.corpus)
        if s is None:
            print(f"{name}: {args.corpus / 'reuters21578' / 'raw'} not found, skipped")
            continue
        for text in analyse(s, models, args.limit):
            print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
