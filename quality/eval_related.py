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

The two truth figures are pinned in ``quality/baselines/related.json`` (group ``related``), and
again on the links of the briefings whose story is in the gate's held-out fold (group ``related
held-out``, ``gate.fold_of(story id) == gate.HELD_OUT_FOLD``), through ``quality.gate``: any drop
fails (exit 1), ``--update`` raises figures and never lowers one, ``--accept-drop "reason"`` lowers
them and records why. ``links.LEAD_CHARS`` and ``links.RELATED_FALLBACK`` were calibrated on stories
1-200, the gate's sample, before the fold was held out: the report says so beside each figure.
Another ``--limit`` is pinned in its own baseline file (``related-<limit>.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quality import gate

if TYPE_CHECKING:
    from build_tools.link.links import Links
    from build_tools.store.archive import Archive
    from build_tools.tag.geography import CountryOf

GOOD_WITHIN_DAYS = 60

TARGET = 0.90
"""The issue's target share of good related links (truth + dateline), printed beside the figure."""

BASELINES = Path(__file__).resolve().parent / "baselines"
BASELINE = BASELINES / "related.json"
GATE_LIMIT = 200
"""The gate's sample: the first 200 stories (by file name). ``BASELINE`` pins this sample only."""
TOLERANCE = 0.00005
"""Shares are pinned to 4 decimals (one link of ~700 is 0.0014): a change smaller than rounding is not a drop."""
HELD_OUT = "related held-out"
CALIBRATED = {
    "related": ("CALIBRATED", "links.LEAD_CHARS and links.RELATED_FALLBACK were chosen on stories 1-200 (checked on "
                "201-600 and 1-1000)"),
    HELD_OUT: ("CALIBRATED before issue 10", "held out since issue 10; LEAD_CHARS and RELATED_FALLBACK were chosen "
               "on all of stories 1-200, this fold included"),
}
"""Group -> (whether the linking constants were calibrated on that set, why): printed beside each figure."""

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


def judge(archive: Archive, links: Links, truth_dir: Path, country_of: CountryOf | None,
          only: Collection[str] | None = None) -> Score:
    """Every related link (pins aside) of the briefings, or of the briefing ids in ``only``."""
    truths = {b.id: [t for o in b.origins if (t := read_truth(truth_dir, o.source))]
              for b in archive.briefings}
    ours = our_anchors(archive, country_of)

    def shares(a: list[Truth], b: list[Truth], places: Callable[[Truth], Iterable[str]]) -> bool:
        return any(set(places(x)) & set(places(y)) or x.people & y.people for x in a for y in b)

    with_related = links_n = fallback = close = sharing = good = editors_good = ours_good = 0
    briefings = [b for b in archive.briefings if only is None or b.id in only]
    for b in briefings:
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
    return Score(len(briefings), with_related, links_n, fallback, close, sharing, good,
                 editors_good, ours_good)


def story_id(source: str) -> str:
    """'…/reut-00004.txt' -> 'reut-00004': the id the truth file and the fold use."""
    return Path(source.split("#")[0]).stem


def held_out_ids(archive: Archive) -> frozenset[str]:
    """Briefings whose (first) story is in the gate's held-out fold."""
    return frozenset(b.id for b in archive.briefings if b.origins
                     and gate.fold_of(story_id(b.origins[0].source)) == gate.HELD_OUT_FOLD)


def evaluate(raw: Path, limit: int | None = None, work: Path | None = None) -> dict[str, Score]:
    """``{"related": all links, "related held-out": the links of the held-out fold's briefings}``."""
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
    links = link_archive(archive, country_of)
    truth = raw.parent / "truth"
    return {"related": judge(archive, links, truth, country_of),
            HELD_OUT: judge(archive, links, truth, country_of, held_out_ids(archive))}


def figures(scores: dict[str, Score]) -> gate.Figures:
    """The pinned figures: both truth shares per group."""
    return {group: {"good_share": round(s.share, 4), "editors_good_share": round(s.editors_share, 4)}
            for group, s in scores.items()}


def report(s: Score, pinned: dict[str, float] | None = None, calibrated: str = "") -> list[str]:
    def pct(k: int) -> str:
        return f"{k}/{s.links} = {k / max(s.links, 1):.1%}"

    def was(name: str) -> str:
        old = (pinned or {}).get(name)
        return "not pinned" if old is None else f"pinned {old:.1%}"

    mark = f"; {calibrated}" if calibrated else ""
    return [
        f"briefings: {s.briefings}, with related links: {s.with_related} ({s.with_related / max(s.briefings, 1):.1%})",
        f"related links: {s.links} ({s.fallback} loosely related fallbacks); "
        f"within {GOOD_WITHIN_DAYS} days: {pct(s.close)}",
        f"good by our tags (countries, people): {pct(s.ours_good)}",
        f"good by truth, editors' places and people only: {pct(s.editors_good)} ({was('editors_good_share')}{mark})",
        f"good (both) by truth, editors' places and people + dateline country: {pct(s.good)} "
        f"({was('good_share')}, target {TARGET:.0%}{mark})",
    ]


def default_baseline(limit: int | None) -> Path:
    """``related.json`` for the gate's sample; any other sample has its own file."""
    return BASELINE if limit == GATE_LIMIT else BASELINES / f"related-{limit or 'all'}.json"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.eval_related", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("raw", type=Path, help="Reuters-21578 raw folder (its truth/ folder sits beside it)")
    p.add_argument("--limit", type=int, default=None,
                   help=f"only the first N stories (sorted by file name); the gate's sample is {GATE_LIMIT}")
    gate.add_arguments(p, BASELINE)
    args = p.parse_args(argv)
    if not (args.raw.is_dir() and (args.raw.parent / "truth").is_dir()):
        print(f"error: {args.raw}: not a corpus raw/ folder with a truth/ folder beside it", file=sys.stderr)
        return 2
    if args.baseline == BASELINE:
        args.baseline = default_baseline(args.limit)
    scores = evaluate(args.raw, args.limit)
    try:
        pinned = gate.Baseline.load(args.baseline).figures
    except gate.BaselineError:
        pinned = {}  # gate.run reports it
    for group, s in scores.items():
        mark, why = CALIBRATED[group]
        print(f"== {group} ({mark}: {why})")
        print("\n".join(report(s, pinned.get(group), mark)))
    return gate.run(figures(scores), args, TOLERANCE)


if __name__ == "__main__":
    raise SystemExit(main())
