"""Benchmark: story threads decided incrementally, against a full run in the same process.

    python -m quality.bench_threads [--corpus ../shared/corpus] [--repeat 3]

Ingests the labelled Reuters stories (``quality/thread_sets.py``: 900 wires), then times
``stories.thread_stories`` on them two ways, each the best of ``--repeat`` runs: a full run, and
an incremental one given the state of a run without the latest briefing (one briefing appended).
Prints both times and their ratio (seconds differ across machines and loads; the ratio is the
figure), how many briefings the two runs put in different threads, and how many older briefings
the full run itself moved when one briefing was appended (the archive's word rarities shift with
every briefing, and a pair near the threshold can cross it; the incremental run keeps them).
Then the full run again with the shipped model's logistic regression alone (its boosted trees
left out), and the ratio: what the trees cost.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from build_tools.link.stories import Threads, thread_stories
from build_tools.link.thread_assign import shipped_model
from quality.thread_sets import REPO, load_set


def best_of(repeat: int, run: Callable[[], Threads]) -> tuple[float, Threads]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    assert out is not None
    return min(times), out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.bench_threads", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    sets = [s for s in (load_set(n, args.corpus) for n in ("reuters 1-300", "reuters 301-600", "reuters 601-900"))
            if s is not None]
    if not sets:
        raise SystemExit(f"{args.corpus / 'reuters21578' / 'raw'} not found")
    ordered = sorted((b for s in sets for b in s.briefings), key=lambda b: (b.date is None, b.date, b.id))
    previous = thread_stories(ordered[:-1]).state
    full_s, full = best_of(args.repeat, lambda: thread_stories(ordered))
    step_s, step = best_of(args.repeat, lambda: thread_stories(ordered, previous=previous))
    differ = sum(full.state.thread_of[i] != step.state.thread_of[i] for i in full.state.thread_of)
    moved = sum(full.state.thread_of[i] != t for i, t in previous.thread_of.items())
    print(f"{len(ordered)} briefings, one appended: full run {full_s:.2f} s, incremental {step_s:.2f} s "
          f"({step_s / full_s:.2f}x the full run); {len(full.stories)} stories; briefings in another thread "
          f"than the full run's: {differ}; older briefings the full run moved: {moved}")
    linear = replace(shipped_model(), trees=())
    linear_s, _ = best_of(args.repeat, lambda: thread_stories(ordered, linear))
    print(f"full run with the logistic regression alone: {linear_s:.2f} s; with the trees {full_s / linear_s:.2f}x that")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
