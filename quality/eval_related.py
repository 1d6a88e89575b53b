"""Quality gate for related briefings, on Reuters-21578 (../shared/corpus/reuters21578).

    python -m quality.eval_related ../shared/corpus/reuters21578/raw [--limit 200]

Ingests the stories into a temporary folder with the real pipeline, links the archive, and
judges every related link (pins aside). A link is *good* when the two stories share at least
one country or person and are at most 60 days apart (the corpus' dates). Sharing is judged
three ways, all printed:

* **truth** (the gate): Reuters' editors' ``places`` and ``people`` (truth/*.json), plus the
  country of the story's dateline ("LOS ANGELES, Feb 26 -" -> ``usa``), because Reuters'
  editors often list only a story's main places and leave out where it was filed. The dateline
  city is looked up in our gazetteer and its country mapped to a Reuters place slug
  (``country_slug``); a dateline the gazetteer does not know adds nothing.
* **truth, editors' tags only**: the same without the dateline country (stricter).
* **our tags**: the briefings' own countries and people, plus the countries of their places
  (which is how a dateline reaches them).

Fails (exit 1) under the pinned floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_tools.link.links import Links
    from build_tools.store.archive import Archive
    from build_tools.tag.geography import CountryOf

GOOD_WITHIN_DAYS = 60

TARGET = 0.90
"""The issue's target share of good related links."""

FLOOR = 0.90
"""Share of good related links judged by truth with the dateline country (the acceptance figure)
required; only ever moves up. 92.9-93.3 % on the first 200 stories (Nov 2026; 92.5 % on
stories 201-600, 94.6 % on 1-1000), less a margin for concurrent extraction and tagging work."""

EDITORS_FLOOR = 0.86
"""The same, judged by the editors' places and people alone: 90.4-91.1 % on the first 200
stories (88.6 % on 201-600, 91.6 % on 1-1000) with the earlier extraction; 86.9 % once Reuters
headlines and first paragraphs were extracted correctly (the inputs changed, not the linking).
Only ever moves up from here."""

REUTERS_COUNTRY_SLUGS = {
    "united-states": "usa", "united-kingdom": "uk", "germany": "west-germany", "russia": "ussr",
    "serbia": "yugoslavia", "ivory-coast": "ivory-coast", "myanmar": "burma",
    "democratic-republic-of-the-congo": "zaire", "czechia": "czechoslovakia",
}
"""Our gazetteer's country names (slugified) -> Reuters-21578 (1987) place slugs, where they
differ: the corpus predates German unification and the break-up of the USSR and Yugoslavia."""


@dataclass(frozen=True)
class Truth:
    date: dt.datetime | None
    places: frozenset[str]
    people: frozenset[str]
    dateline_places: frozenset[str]
    """Reuters place slug of the dateline's country (empty when unknown)."""


@dataclass(frozen=True)
class Score:
    briefings: int
    with_related: int
    links: int
    fallback: int
    """Links shown only to fill a list, marked "loosely related" (no country or person named in
    both leads)."""
    close: int
    sharing: int
    """By the gate's judge: editors' places and people plus the dateline country."""
    good: int
    editors_good: int
    """Editors' places and people only."""
    ours_good: int
    """Our tags: countries (tagged or implied by a place or person) and people."""

    @property
    def share(self) -> float:
        return self.good / self.links if self.links else 0.0

    @property
    def editors_share(self) -> float:
        return self.editors_good / self.links if self.links else 0.0


@functools.cache
def reuters_places() -> frozenset[str]:
    vocab = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reuters21578" / "vocab"
    path = vocab / "all-places-strings.lc.txt"
    return frozenset(path.read_text("utf-8").split()) if path.is_file() else frozenset()


def country_slug(name: str) -> str:
    from build_tools.slugs import slugify

    slug = slugify(name)
    return REUTERS_COUNTRY_SLUGS.get(slug, slug)


def dateline_places(dateline: str) -> frozenset[str]:
    """'LOS ANGELES, Feb 26 -' -> {'usa'}; 'HONG KONG, ...' -> {'hong-kong'} (a Reuters place)."""
    from build_tools.slugs import slugify
    from build_tools.tag.gazetteer import gazetteer

    city = dateline.split(",")[0].strip()
    if not city:
        return frozenset()
    if slugify(city) in reuters_places():
        return frozenset({slugify(city)})
    for name in gazetteer().names.get(city.title(), []):
        if name.country:
            return frozenset({country_slug(name.country)})
    return frozenset()


def read_truth(truth_dir: Path, source: str) -> Truth | None:
    path = truth_dir / (Path(source.split("#")[0]).stem + ".json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    date = dt.datetime.fromisoformat(data["date"]) if data.get("date") else None
    return Truth(date, frozenset(data.get("places") or []), frozenset(data.get("people") or []),
                 dateline_places(data.get("dateline") or ""))


def our_anchors(archive: Archive, country_of: CountryOf | None) -> dict[str, frozenset[str]]:
    """Briefing id -> 'countries:slug' and 'people:slug' of its own tags."""
    from build_tools.link.links import implied_countries
    from build_tools.slugs import entity_slug

    return {b.id: frozenset({*(f"countries:{entity_slug(c)}" for c in b.tags.countries),
                             *(f"people:{entity_slug(p)}" for p in b.tags.people),
                             *implied_countries(b, country_of)}) for b in archive.briefings}


def judge(archive: Archive, links: Links, truth_dir: Path, country_of: CountryOf | None) -> Score:
    truths = {b.id: [t for o in b.origins if (t := read_truth(truth_dir, o.source))]
              for b in archive.briefings}
    ours = our_anchors(archive, country_of)

    def shares(a: list[Truth], b: list[Truth], places: Callable[[Truth], Iterable[str]]) -> bool:
        return any(set(places(x)) & set(places(y)) or x.people & y.people for x in a for y in b)

    with_related = links_n = fallback = close = sharing = good = editors_good = ours_good = 0
    for b in archive.briefings:
        related = [r for r in links.related.get(b.id, []) if not r.pinned]
        with_related += bool(related)
        for r in related:
            links_n += 1
            fallback += not r.anchored
            a_truth, b_truth = truths[b.id], truths[r.id]
            near = any(x.date and y.date and abs((x.date - y.date).days) <= GOOD_WITHIN_DAYS
                       for x in a_truth for y in b_truth)
            with_dateline = shares(a_truth, b_truth, lambda t: t.places | t.dateline_places)
            close += near
            sharing += with_dateline
            good += near and with_dateline
            editors_good += near and shares(a_truth, b_truth, lambda t: t.places)
            ours_good += near and bool(ours[b.id] & ours[r.id])
    return Score(len(archive.briefings), with_related, links_n, fallback, close, sharing, good,
                 editors_good, ours_good)


def evaluate(raw: Path, limit: int | None = None, work: Path | None = None) -> Score:
    from build_tools.ingest import ingest
    from build_tools.link.links import link_archive
    from build_tools.store.archive import load_archive
    from build_tools.tag.entities import load_vocabulary
    from build_tools.tag.geography import load_geography

    inputs = sorted(raw.glob("*.txt"))[:limit]
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for p in inputs:  # copies (ingest refuses symbolic links), so it reads exactly these inputs
            shutil.copyfile(p, folder / p.name)
        ingest([folder], Path(tmp) / "briefings", load_vocabulary(None))
        archive = load_archive(Path(tmp) / "briefings")
    country_of = load_geography(None)  # as ingested: gazetteer only
    return judge(archive, link_archive(archive, country_of), raw.parent / "truth", country_of)


def report(s: Score) -> list[str]:
    def pct(k: int) -> str:
        return f"{k}/{s.links} = {k / max(s.links, 1):.1%}"

    return [
        f"briefings: {s.briefings}, with related links: {s.with_related} ({s.with_related / max(s.briefings, 1):.1%})",
        f"related links: {s.links} ({s.fallback} loosely related fallbacks); "
        f"within {GOOD_WITHIN_DAYS} days: {pct(s.close)}",
        f"good by our tags (countries, people): {pct(s.ours_good)}",
        f"good by truth, editors' places and people only: {pct(s.editors_good)} (floor {EDITORS_FLOOR:.0%})",
        f"good (both) by truth, editors' places and people + dateline country: {pct(s.good)} "
        f"(floor {FLOOR:.0%}, target {TARGET:.0%})",
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.eval_related", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("raw", type=Path, help="Reuters-21578 raw folder (its truth/ folder sits beside it)")
    p.add_argument("--limit", type=int, default=None, help="only the first N stories (sorted by file name)")
    args = p.parse_args(argv)
    if not (args.raw.is_dir() and (args.raw.parent / "truth").is_dir()):
        print(f"error: {args.raw}: not a corpus raw/ folder with a truth/ folder beside it", file=sys.stderr)
        return 2
    s = evaluate(args.raw, args.limit)
    print("\n".join(report(s)))
    failed = [f"{share:.1%} ({what}) is under the floor {floor:.0%}"
              for share, floor, what in ((s.share, FLOOR, "truth + dateline"),
                                         (s.editors_share, EDITORS_FLOOR, "editors' tags only")) if share < floor]
    for message in failed:
        print(f"FAIL: {message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
