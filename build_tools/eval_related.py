"""Quality gate for related briefings, on Reuters-21578 (../shared/corpus/reuters21578).

    python -m build_tools.eval_related ../shared/corpus/reuters21578/raw [--limit 200]

Ingests the stories into a temporary folder with the real pipeline, links the archive, and
judges every related link (pins aside) against the corpus' truth files, which Reuters' own
editors tagged: a link is *good* when the two stories share at least one country (Reuters
``places``) or person and are at most 60 days apart. Prints the share of good links and
fails (exit 1) under the pinned floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

GOOD_WITHIN_DAYS = 60

TARGET = 0.90
"""The issue's target share of good related links (not reached yet: see FLOOR)."""

FLOOR = 0.65
"""Share of good related links required; only ever moves up. 69.7-70.9 % on the first 200
stories (Nov 2026, moving with concurrent extraction and tagging work, hence the margin):
extraction still misses many Reuters headlines, the tagger misses many 'U.S.' mentions, and
Reuters' editors list only a story's main places, so the truth under-counts sharing."""


@dataclass(frozen=True)
class Truth:
    date: dt.datetime | None
    places: frozenset[str]
    people: frozenset[str]


@dataclass(frozen=True)
class Score:
    briefings: int
    with_related: int
    links: int
    good: int
    sharing: int
    close: int

    @property
    def share(self) -> float:
        return self.good / self.links if self.links else 0.0


def read_truth(truth_dir: Path, source: str) -> Truth | None:
    path = truth_dir / (Path(source.split("#")[0]).stem + ".json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    date = dt.datetime.fromisoformat(data["date"]) if data.get("date") else None
    return Truth(date, frozenset(data.get("places") or []), frozenset(data.get("people") or []))


def evaluate(raw: Path, limit: int | None = None, work: Path | None = None) -> Score:
    from .archive import load_archive
    from .entities import load_vocabulary
    from .ingest import ingest
    from .links import known_country_of, link_archive

    truth_dir = raw.parent / "truth"
    inputs = sorted(raw.glob("*.txt"))[:limit]
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for p in inputs:  # copies (ingest refuses symbolic links), so it reads exactly these inputs
            shutil.copyfile(p, folder / p.name)
        ingest([folder], Path(tmp) / "briefings", load_vocabulary(None))
        archive = load_archive(Path(tmp) / "briefings")
    links = link_archive(archive, known_country_of())
    truths = {b.id: [t for o in b.origins if (t := read_truth(truth_dir, o.get("source", "")))] for b in archive.briefings}
    total = good = sharing = close = with_related = 0
    for b in archive.briefings:
        related = [r for r in links.related.get(b.id, []) if not r.pinned]
        with_related += bool(related)
        for r in related:
            total += 1
            a_truth, b_truth = truths[b.id], truths[r.id]
            shares = any((x.places & y.places) or (x.people & y.people) for x in a_truth for y in b_truth)
            near = any(x.date and y.date and abs((x.date - y.date).days) <= GOOD_WITHIN_DAYS
                       for x in a_truth for y in b_truth)
            sharing += shares
            close += near
            good += shares and near
    return Score(len(archive.briefings), with_related, total, good, sharing, close)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m build_tools.eval_related", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("raw", type=Path, help="Reuters-21578 raw folder (its truth/ folder sits beside it)")
    p.add_argument("--limit", type=int, default=None, help="only the first N stories (sorted by file name)")
    args = p.parse_args(argv)
    if not (args.raw.is_dir() and (args.raw.parent / "truth").is_dir()):
        print(f"error: {args.raw}: not a corpus raw/ folder with a truth/ folder beside it", file=sys.stderr)
        return 2
    s = evaluate(args.raw, args.limit)
    print(f"briefings: {s.briefings}, with related links: {s.with_related} ({s.with_related / max(s.briefings, 1):.1%})")
    print(f"related links: {s.links}; share a country or person: {s.sharing} ({s.sharing / max(s.links, 1):.1%}); "
          f"within {GOOD_WITHIN_DAYS} days: {s.close} ({s.close / max(s.links, 1):.1%})")
    print(f"good (both): {s.good}/{s.links} = {s.share:.1%} (floor {FLOOR:.0%}, target {TARGET:.0%})")
    if s.share < FLOOR:
        print(f"FAIL: {s.share:.1%} is under the floor {FLOOR:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
