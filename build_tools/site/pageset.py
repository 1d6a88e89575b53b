"""Every generated page of the site, made on every core.

Each page is a pure function of the linked archive (``site/pages``), so the pages are cut into
jobs (the front pages, one briefing, one entity, one story, one feed) and made by
``parallel.map_ordered`` in forked workers that inherit the archive and its links; the pages
come back in the order a single process makes them. What a worker rendered into the body memo
(``render``: bodies are rendered once and kept between builds) comes back with its pages, so
the next build reuses it as if everything had been made here.
"""

from __future__ import annotations

from typing import NamedTuple

from build_tools import slugs
from build_tools.link.links import Links
from build_tools.model import TAG_TYPES
from build_tools.parallel import map_ordered
from build_tools.site import feeds, pages, render
from build_tools.site.pages import Page, briefing_page_path
from build_tools.store.archive import Archive
from build_tools.tag.geography import CountryOf


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
        out += [("entity", t, e.slug) for e in pages.ranked_entities(links, t)]
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
        made = [pages.home_page(archive), pages.tags_page(links), pages.stories_index(links)]
    elif kind == "briefing":
        made = [pages.briefing_page(archive.by_id[job[1]], archive, links, ctx.trusted_html)]
    elif kind == "timeline":
        made = pages.timeline_pages(archive)
    elif kind == "entity index":
        made = pages.entity_index(job[1], pages.ranked_entities(links, job[1]), links)
    elif kind == "entity":
        made = pages.entity_page(links.entities[job[1]][job[2]], links, ctx.country_of)
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


__all__ = ["all_pages", "jobs", "make"]
