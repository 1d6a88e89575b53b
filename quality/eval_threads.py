"""Quality gate for story threads: pairwise and B-cubed precision, recall and F1 against
hand-labelled threads, out of fold, beside the figure of making no threads at all.

    python -m quality.eval_threads [--corpus ../shared/corpus] [--update | --accept-drop REASON]

Labelled sets (``quality/labels/threads/``, see its README; loaded by ``quality/thread_sets.py``):
the sample inbox, Reuters-21578 stories 1-300 and 301-600. Each input is ingested with the real
pipeline (near-duplicates fold into one briefing: its inputs share a thread) and every labelled
input gets its briefing's thread.

**Out of fold.** The merge decision is learned (``quality/train_threads.py``). Each input is scored
with the thread assignment made by the model trained without its fold (``quality/models``): its
B-cubed figures with the run of its own fold, a pair of inputs with the run of the lower of their
two folds (a model that saw neither). The in-sample figure (the shipped model) and the gap are
printed beside. The ``held-out`` rows score fold ``gate.HELD_OUT_FOLD`` alone (threads cut down
to its inputs), which the threshold's calibration never looked at.

**Figures.** Pairwise: precision and recall over pairs of inputs in one thread. B-cubed (Bagga &
Baldwin 1998): per input, precision is the share of its predicted thread in its true thread,
recall the share of its true thread in its predicted one, both averaged over inputs. ``none``: the
B-cubed F1 of making no threads (every briefing alone), the figure to beat. Pinned in
``quality/baselines/threads.json`` through ``quality.gate``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from build_tools.link.thread_assign import ThreadModel, assign, shipped_model
from quality import gate
from quality.thread_sets import REPO, ThreadSet, load_sets
from quality.train_threads import fold_model_path

BASELINE = Path(__file__).resolve().parent / "baselines" / "threads.json"
TOLERANCE = 0.00005
TARGETS = {"sample": ("bcubed", 0.85), "reuters": ("pairwise", 0.75)}
"""The issue's targets: B-cubed F1 on the sample, pairwise F1 on the wires."""
NONE_MARGIN = 0.05
"""The wires' B-cubed F1 must beat making no threads by this much (the issue's target)."""


@dataclass(frozen=True)
class Scores:
    pair_tp: int
    pair_fp: int
    pair_fn: int
    bcubed_precision: float
    bcubed_recall: float
    none_f1: float
    """B-cubed F1 of every briefing alone."""
    items: int

    @property
    def pair_precision(self) -> float:
        return self.pair_tp / (self.pair_tp + self.pair_fp) if self.pair_tp + self.pair_fp else 1.0

    @property
    def pair_recall(self) -> float:
        return self.pair_tp / (self.pair_tp + self.pair_fn) if self.pair_tp + self.pair_fn else 1.0

    @property
    def pair_f1(self) -> float:
        return 2 * self.pair_tp / (2 * self.pair_tp + self.pair_fp + self.pair_fn) if self.pair_tp else 0.0

    @property
    def bcubed_f1(self) -> float:
        p, r = self.bcubed_precision, self.bcubed_recall
        return 2 * p * r / (p + r) if p + r else 0.0


Predicted = Callable[[str], str]
"""Input -> its predicted thread, for the run that scores it."""


def score(items: list[str], truth: dict[str, str], run_of: Callable[[str], Predicted],
          pair_run: Callable[[str, str], Predicted], alone: Predicted) -> Scores:
    """Pairwise and B-cubed figures over ``items`` (threads cut down to them)."""
    tp = fp = fn = 0
    for x, a in enumerate(items):
        for b in items[x + 1:]:
            run = pair_run(a, b)
            pred, true = run(a) == run(b), truth[a] == truth[b]
            tp, fp, fn = tp + (pred and true), fp + (pred and not true), fn + (true and not pred)
    p, r = _bcubed(items, truth, run_of)
    p0, r0 = _bcubed(items, truth, lambda _i: alone)
    return Scores(tp, fp, fn, p, r, 2 * p0 * r0 / (p0 + r0) if p0 + r0 else 0.0, len(items))


def _bcubed(items: list[str], truth: dict[str, str], run_of: Callable[[str], Predicted]) -> tuple[float, float]:
    if not items:
        return 0.0, 0.0
    p = r = 0.0
    for a in items:
        run = run_of(a)
        mine = [b for b in items if run(b) == run(a)]
        real = [b for b in items if truth[b] == truth[a]]
        both = sum(truth[b] == truth[a] for b in mine)
        p += both / len(mine)
        r += both / len(real)
    return p / len(items), r / len(items)


def predictor(s: ThreadSet, model: ThreadModel) -> Predicted:
    threads = assign(len(s.briefings), s.pairs, model.probability(s.pairs.x), model.threshold)
    return lambda i: f"t{threads[s.briefing_of[i]]}" if i in s.briefing_of else f"missing:{i}"


def fold_models() -> dict[int, ThreadModel]:
    missing = [k for k in range(gate.K_FOLDS) if not fold_model_path(k).exists()]
    if missing:
        raise SystemExit(f"{fold_model_path(missing[0])} is missing: run python -m quality.train_threads")
    return {k: ThreadModel.from_json(fold_model_path(k).read_text("utf-8")) for k in range(gate.K_FOLDS)}


def evaluate_set(s: ThreadSet, models: dict[int, ThreadModel], shipped: ThreadModel) -> dict[str, Scores]:
    runs = {k: predictor(s, m) for k, m in models.items()}
    inside = predictor(s, shipped)
    alone: Predicted = lambda i: f"b{s.briefing_of[i]}" if i in s.briefing_of else f"missing:{i}"  # noqa: E731
    fold = s.input_fold
    ids = s.labels.ids
    held = [i for i in ids if fold[i] == gate.HELD_OUT_FOLD]
    out = {s.name: score(ids, s.labels.thread_of, lambda i: runs[fold[i]], lambda a, b: runs[min(fold[a], fold[b])], alone),
           f"{s.name} in-sample": score(ids, s.labels.thread_of, lambda _i: inside, lambda _a, _b: inside, alone)}
    if s.name != "sample":  # 20 inputs: a held-out fold of four says nothing
        out[f"{s.name} held-out"] = score(held, s.labels.thread_of, lambda _i: runs[gate.HELD_OUT_FOLD],
                                          lambda _a, _b: runs[gate.HELD_OUT_FOLD], alone)
    return out


def evaluate(corpus: Path) -> dict[str, Scores]:
    models, shipped = fold_models(), shipped_model()
    scores: dict[str, Scores] = {}
    for s in load_sets(corpus):
        scores.update(evaluate_set(s, models, shipped))
    return scores


def figures(scores: dict[str, Scores]) -> gate.Figures:
    """Pinned: the out-of-fold and held-out figures (in-sample ones are printed, not pinned)."""
    return {g: {"pairwise_precision": round(s.pair_precision, 4), "pairwise_recall": round(s.pair_recall, 4),
                "pairwise_f1": round(s.pair_f1, 4), "bcubed_precision": round(s.bcubed_precision, 4),
                "bcubed_recall": round(s.bcubed_recall, 4), "bcubed_f1": round(s.bcubed_f1, 4),
                "bcubed_f1_over_none": round(s.bcubed_f1 - s.none_f1, 4)}
            for g, s in scores.items() if not g.endswith("in-sample")}


def report(scores: dict[str, Scores]) -> Iterable[str]:
    for group, s in scores.items():
        if group.endswith("in-sample"):
            continue
        kind, target = TARGETS["sample" if group.startswith("sample") else "reuters"]
        inside = scores.get(f"{group} in-sample")
        what = "held-out fold, never calibrated on" if group.endswith("held-out") else "out of fold"
        yield (f"{group:24} pairwise P {s.pair_precision:.4f} R {s.pair_recall:.4f} F1 {s.pair_f1:.4f} | "
               f"B-cubed P {s.bcubed_precision:.4f} R {s.bcubed_recall:.4f} F1 {s.bcubed_f1:.4f} | "
               f"no threads B-cubed F1 {s.none_f1:.4f} ({s.bcubed_f1 - s.none_f1:+.4f})")
        extra = f"; in-sample {kind} F1 {(inside.pair_f1 if kind == 'pairwise' else inside.bcubed_f1):.4f}" if inside else ""
        yield f"{'':24} ({s.items} inputs; {what}; target {kind} F1 >= {target}{extra})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.eval_threads", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus",
                   help="the shared corpus folder (for Reuters-21578; default: ../shared/corpus)")
    gate.add_arguments(p, BASELINE)
    args = p.parse_args(argv)
    scores = evaluate(args.corpus)
    for line in report(scores):
        print(line)
    if not any(g.startswith("reuters") for g in scores):
        print(f"note: {args.corpus / 'reuters21578' / 'raw'} not found: the Reuters sets were not scored", file=sys.stderr)
    return gate.run(figures(scores), args, TOLERANCE)


if __name__ == "__main__":
    raise SystemExit(main())
