"""Place ``NEAR_DUPLICATE_JACCARD``: every pair of inputs at Jaccard 0.3 or more, highest first.

    python -m quality.calibrate_dedupe examples/inbox
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_tools.process import process
from build_tools.read.files import Rejected, Skipped, discover
from build_tools.read.sources import read
from build_tools.store.dedupe import NEAR_DUPLICATE_JACCARD, article_text, near_pairs, shingles

LOWEST = 0.3
"""Pairs printed: every one at this Jaccard or more."""


def calibrate(paths: list[Path]) -> list[tuple[float, str, str]]:
    """Every pair of inputs at Jaccard >= 0.3, highest first (to place NEAR_DUPLICATE_JACCARD)."""
    articles = [process(r, None) for f in discover(paths) if not isinstance(f, (Rejected, Skipped))
                for r in read(f) if not isinstance(r, Rejected)]
    pairs = near_pairs([shingles(article_text(a)) for a in articles], LOWEST)
    return sorted(((p.jaccard, articles[p.i].source, articles[p.j].source) for p in pairs), reverse=True)


if __name__ == "__main__":
    found = calibrate([Path(p) for p in sys.argv[1:]])
    for score, a, b in found:
        print(f"{score:.3f}  {a}  {b}")
    print(f"{len(found)} pairs at Jaccard >= 0.3; threshold NEAR_DUPLICATE_JACCARD = {NEAR_DUPLICATE_JACCARD}")
