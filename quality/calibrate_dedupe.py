"""Place ``NEAR_DUPLICATE_JACCARD``: every pair of inputs at Jaccard 0.3 or more, highest first.

    python -m quality.calibrate_dedupe examples/inbox
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasketch import MinHashLSH

from build_tools.process import process
from build_tools.read.sources import Rejected, Skipped, discover, read
from build_tools.store.dedupe import (
    MIN_SHINGLES,
    NEAR_DUPLICATE_JACCARD,
    NUM_PERM,
    _minhashes,
    article_text,
    jaccard,
    shingles,
)


def calibrate(paths: list[Path]) -> list[tuple[float, str, str]]:
    """Every pair of inputs at Jaccard >= 0.3, highest first (to place NEAR_DUPLICATE_JACCARD)."""
    articles = [process(r, None) for f in discover(paths) if not isinstance(f, (Rejected, Skipped))
                for r in read(f) if not isinstance(r, Rejected)]
    texts = [shingles(article_text(a)) for a in articles]
    lsh = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    kept = [i for i, t in enumerate(texts) if len(t) >= MIN_SHINGLES]
    hashes = dict(zip(kept, _minhashes([texts[i] for i in kept]), strict=True))
    for i, m in hashes.items():
        lsh.insert(str(i), m)
    pairs = {(min(i, int(k)), max(i, int(k))) for i, m in hashes.items() for k in lsh.query(m) if int(k) != i}
    scored = [(jaccard(texts[i], texts[j]), articles[i].source, articles[j].source) for i, j in pairs]
    return sorted((p for p in scored if p[0] >= 0.3), reverse=True)


if __name__ == "__main__":
    found = calibrate([Path(p) for p in sys.argv[1:]])
    for score, a, b in found:
        print(f"{score:.3f}  {a}  {b}")
    print(f"{len(found)} pairs at Jaccard >= 0.3; threshold NEAR_DUPLICATE_JACCARD = {NEAR_DUPLICATE_JACCARD}")
