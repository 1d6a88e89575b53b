"""How long each hostile input takes to read and process, against an ordinary article in the same run.

``python -m quality.bench_hostile ../shared`` reads and processes (extract and tag, as ingest does,
writing nothing) every input of ``../shared/hostile/raw`` and, as the baseline measured in the same
run, the articles of the sample inbox. It prints each input's time and its ratio to the median
sample article, and flags any input over ``MAX_RATIO`` (the README asks for bounded resources: a
hostile input may cost more than an article, but not without bound). The machine is shared, so
figures are ratios; exit status 1 when an input is over the bound.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from build_tools.model import Article
from build_tools.process import process
from build_tools.read.sources import read
from build_tools.tag.entities import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "examples" / "inbox"
MAX_RATIO = 100.0
"""An input may take at most this many times the median sample article (about 10 ms here: 1 s).
Measured 2026-12-07: the slowest input, c011's 180,000-character line, takes about 16 times."""
REPEATS = 3
"""Each input is timed this many times; the fastest run counts (the least disturbed by other load)."""


def seconds(path: Path, vocabulary: object) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for item in read(path):
            if isinstance(item, Article):
                process(item, vocabulary)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.bench_hostile", description=__doc__.split("\n\n")[0])
    p.add_argument("shared", type=Path, help="the shared folder (holds hostile/)")
    args = p.parse_args(argv)
    raw = args.shared / "hostile" / "raw"
    if not raw.is_dir():
        print(f"error: {raw} not found; pass the shared folder (../shared)", file=sys.stderr)
        return 2
    vocabulary = load_vocabulary(REPO / "vocabulary")
    samples = sorted(q for q in INBOX.iterdir() if q.suffix in (".txt", ".html"))
    base = statistics.median(seconds(q, vocabulary) for q in samples)
    print(f"baseline: median of {len(samples)} sample articles {base * 1000:.1f} ms")
    over = 0
    for path in sorted(raw.iterdir()):
        took = seconds(path, vocabulary)
        ratio = took / base
        flag = "  OVER" if ratio > MAX_RATIO else ""
        over += bool(flag)
        print(f"{path.name:48} {took * 1000:9.1f} ms {ratio:8.1f}x{flag}")
    print(f"{over} input(s) over {MAX_RATIO:.0f}x the median sample article")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
