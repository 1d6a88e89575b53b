"""Every generated page of the site, made on every core.

Each page is a pure function of the linked archive (``site/pages``), so the pages are cut into
jobs (the front pages, one briefing, one entity, one story, one feed) and made by
``parallel.map_ordered`` in forked workers that inherit the archive and its links; the pages
come back in the order a single process makes them. What a worker rendered into the body memo
(``render``: bodies are rendered once and kept between builds) comes back with its pages, so
the next build reuses it as if everything had been made here.

A rebuild makes only the jobs whose inputs changed (``update_pages``): each job has a *key*, a
digest of everything its pages read (the briefings it lists, by a digest of each, and the links
it shows: related, backlinks, story, neighbours, entity counts), and a job whose key is the one
of the previous build, and whose files are still the ones written then, is kept as it is. The
few jobs of one page each that read the whole archive (home, timeline, indexes, latest feed) are
made every time: they cost milliseconds. A key that missed an input would leave a stale page;
``tests/site/test_pageset_incremental.py`` edits an archive step by step and compares every
page with a build from scratch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from build_tools import slugs
from build_tools.model import TAG_TYPES, Briefing
from build_tools.parallel import map_ordered
from build_tools.site import entity_pages, feeds, pages, render
from build_tools.site.pages import Page, briefing_page_path
from build_tools.store.archive import Archive
from build_tools.tag.geography import CountryOf

if TYPE_CHECKING:  # numpy and scipy: not loaded by a build that links nothing
    from build_tools.link.links import Links


class Context(NamedTuple):
    """What every job reads (inherited by the forked workers, never pickled on Linux)."""

    archive: Archive
    links: Links
    country_of: CountryOf | None
    trusted_html: bool
    site_url: str


Job = tuple[str, ...]
"""("front",), ("briefing", id), ("timeline",), ("entity index", type), ("entity", type, slug),
("story", index), ("feed",), ("entity feed", type, slug)."""


class Made(NamedTuple):
    pages: list[Page]
    bodies: dict[bytes, str]
    """The body memo entries the job used (``render.take_used``)."""


def jobs(archive: Archive, links: Links) -> list[Job]:
    """Every job, in the order the pages are listed."""
    out: list[Job] = [("front",)]
    out += [("briefing", b.id) for b in archive.oldest_first()]
    out.append(("timeline",))
    for t in TAG_TYPES:
        out.append(("entity index", t))
        out += [("entity", t, e.slug) for e in entity_pages.ranked_entities(links, t)]
    out += [("story", str(n)) for n in range(len(links.stories))]
    out.append(("feed",))
    for t in TAG_TYPES:
        out += [("entity feed", t, e.slug) for e in sorted(links.entities[t].values(), key=lambda e: e.slug)]
    return out


def make(job: Job, ctx: Context) -> Made:
    """The pages of one job."""
    archive, links = ctx.archive, ctx.links
    kind = job[0]
    made: list[Page]
    if kind == "front":
        made = [pages.home_page(archive), entity_pages.tags_page(links), pages.stories_index(links)]
    elif kind == "briefing":
        made = [pages.briefing_page(archive.by_id[job[1]], archive, links, ctx.trusted_html)]
    elif kind == "timeline":
        made = pages.timeline_pages(archive)
    elif kind == "entity index":
        made = entity_pages.entity_index(job[1], entity_pages.ranked_entities(links, job[1]), links)
    elif kind == "entity":
        made = entity_pages.entity_page(links.entities[job[1]][job[2]], links, ctx.country_of)
    elif kind == "story":
        made = [pages.story_page(links.stories[int(job[1])], links)]
    elif kind == "feed":
        page_of = {b.id: briefing_page_path(b) for b in archive.briefings}
        made = [Page(slugs.LATEST_FEED, feeds.atom_feed(slugs.LATEST_FEED, "Briefing Archive: latest briefings",
                                                        "index.md", archive.briefings, page_of, ctx.site_url))]
    elif kind == "entity feed":
        e = links.entities[job[1]][job[2]]
        page_of = {b.id: briefing_page_path(b) for b in e.briefings}
        feed = slugs.entity_feed(job[1], e.name)
        made = [Page(feed, feeds.atom_feed(feed, f"Briefing Archive: {e.name}", e.page, e.briefings, page_of,
                                           ctx.site_url))]
    else:
        raise ValueError(f"unknown page job {job!r}")
    return Made(made, render.take_used())


def all_pages(archive: Archive, links: Links, country_of: CountryOf | None = None, trusted_html: bool = False,
              site_url: str = "", workers: int | None = None) -> list[Page]:
    """Every generated page, in a stable order, on ``workers`` processes (default: every core)."""
    out: list[Page] = []
    for done in map_ordered(make, jobs(archive, links), Context(archive, links, country_of, trusted_html, site_url),
                            workers=workers):
        out += done.pages
        render.adopt(done.bodies)
    return out


# --- rebuilds: only the jobs whose inputs changed ---------------------------------------------

ALWAYS_MADE = frozenset({"front", "timeline", "entity index", "feed"})
"""Jobs made on every build: one each (a handful of pages) but each reads the whole archive, so
their key would cost what making them costs (home + timeline + five indexes + the latest feed:
well under a second at 2,938 Reuters briefings)."""


class JobRecord(NamedTuple):
    """What a job made last time, for the next build."""

    key: bytes | None
    """Digest of the job's inputs (None: a job of ALWAYS_MADE)."""
    paths: tuple[str, ...]
    """Docs-relative paths of its pages."""
    bodies: tuple[bytes, ...]
    """The body memo entries its pages used (``render``), kept for the next build."""


PageRecords = dict[Job, JobRecord]


class PageRun(NamedTuple):
    made: list[Page]
    """Pages made this time, in job order."""
    kept: list[str]
    """Paths of the pages of unchanged jobs, left as they are."""
    records: PageRecords
    """Every job of this archive, for the next build."""


class Cards:
    """A digest of each briefing (every field, its path included): what a page listing it shows
    can only change when this does."""

    def __init__(self, archive: Archive, links: Links | None = None) -> None:
        self.archive = archive
        self.links = links
        self._done: dict[str, bytes] = {}
        self._named: dict[str, bytes] = {}

    def __call__(self, b: Briefing | str | None) -> bytes | None:
        if b is None:
            return None
        bid = b if isinstance(b, str) else b.id
        found = self._done.get(bid)
        if found is None:
            found = self._done[bid] = hashlib.sha256(repr(self.archive.by_id[bid]).encode("utf-8",
                                                                                          "surrogatepass")).digest()
        return found

    def named(self, b: Briefing) -> bytes:
        """A digest of the card and of the name each of its tags is shown under (the most used
        spelling of its entity, ``links.entity_index``): what an entity page's 'Often alongside'
        reads of it."""
        found = self._named.get(b.id)
        if found is None:
            entities = self.links.entities if self.links is not None else {}
            names = tuple(entities[t][slugs.entity_slug(n)].name for t in TAG_TYPES for n in getattr(b.tags, t))
            found = self._named[b.id] = hashlib.sha256((self(b) or b"") + repr(names).encode("utf-8", "surrogatepass")).digest()
        return found


def _digest(head: object, listed: Sequence[bytes]) -> bytes:
    """sha256 of ``head`` (by its repr, length first) and of the digests ``listed`` (32 bytes each,
    joined as they are: a list of thousands is not put through ``repr``)."""
    data = repr(head).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(len(data).to_bytes(8, "big") + data)
    digest.update(b"".join(listed))
    return digest.digest()


def job_key(job: Job, ctx: Context, card: Cards, salt: str) -> bytes | None:
    """Digest of everything the pages of ``job`` read (``pages``), None for ALWAYS_MADE jobs."""
    kind = job[0]
    links = ctx.links
    if kind in ALWAYS_MADE:
        return None
    if kind == "briefing":
        b = ctx.archive.by_id[job[1]]
        story = links.story_of.get(b.id)
        in_story: tuple[object, ...] = ()
        if story is not None:
            at = next(i for i, m in enumerate(story.members) if m.id == b.id)
            in_story = (story.page, story.name, len(story.members),
                        card(story.members[at - 1]) if at > 0 else None,
                        card(story.members[at + 1]) if at + 1 < len(story.members) else None)
        filters = tuple(len(links.entity(t, v).briefings) >= pages.FILTER_MIN_BRIEFINGS
                        for t in pages.SEARCH_FILTERS for v in getattr(b.tags, t))
        inputs: tuple[object, ...] = (
            card(b), ctx.trusted_html, [(r.id, r.reason(), card(r.id)) for r in links.related.get(b.id, [])],
            [card(x) for x in links.backlinks.get(b.id, [])], in_story, card(links.previous.get(b.id)),
            card(links.following.get(b.id)), filters)
    elif kind in ("entity", "entity feed"):
        e = links.entities[job[1]][job[2]]
        if kind == "entity feed":
            return _digest((salt, job, e.type, e.name, e.slug, ctx.site_url), [card(b) or b"" for b in e.briefings])
        country = (ctx.country_of(e.type, e.name) if ctx.country_of and e.type in ("places", "people")
                   else None)
        return _digest((salt, job, e.type, e.name, e.slug, country,
                        country is not None and slugs.entity_slug(country) in links.entities["countries"]),
                       [card.named(b) for b in e.briefings])
    elif kind == "story":
        s = links.stories[int(job[1])]
        return _digest((salt, job, s.slug, s.name, s.summary, s.outlets, s.people, s.organizations),
                       [card(b) or b"" for b in s.members])
    else:
        raise ValueError(f"unknown page job {job!r}")
    return hashlib.sha256(repr((salt, job, inputs)).encode("utf-8", "surrogatepass")).digest()


def update_pages(archive: Archive, links: Links, before: PageRecords, keep: Callable[[Sequence[str]], bool],
                 country_of: CountryOf | None = None, trusted_html: bool = False, site_url: str = "",
                 salt: str = "", workers: int | None = None) -> PageRun:
    """The pages of the jobs whose key differs from ``before`` (the previous build's records), or
    whose files ``keep`` (given their paths) could not keep as they are; the others are kept.
    ``salt``: what every page may read besides the archive and its links (the vocabulary behind
    ``country_of``): another salt makes every job again."""
    ctx = Context(archive, links, country_of, trusted_html, site_url)
    card = Cards(archive, links)
    records: PageRecords = {}
    kept: list[str] = []
    todo: list[tuple[Job, bytes | None]] = []
    for job in jobs(archive, links):
        key = job_key(job, ctx, card, salt)
        old = before.get(job)
        if key is not None and old is not None and old.key == key and keep(old.paths):
            records[job] = old
            kept += old.paths
        else:
            todo.append((job, key))
    made: list[Page] = []
    for (job, key), done in zip(todo, map_ordered(make, [job for job, _ in todo], ctx, workers=workers), strict=True):
        made += done.pages
        render.adopt(done.bodies)
        records[job] = JobRecord(key, tuple(p.path for p in done.pages), tuple(done.bodies))
    return PageRun(made, kept, records)


__all__ = ["all_pages", "jobs", "make", "update_pages"]
