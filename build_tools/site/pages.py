"""Generate: the Markdown pages of the site, computed from the complete archive. Pure.

Every function returns :class:`Page` objects (docs-relative path + text); the build writes them.
Here: briefing pages, home, timeline and stories, and the helpers every page uses; the entity
pages, their indexes and the tags page are in ``entity_pages``.
Paths come from ``slugs``; every value from a briefing goes through ``render``; cross-links
(related, backlinks, stories, entities) come from ``links.link_archive``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools import slugs
from build_tools.extract.dates import is_local
from build_tools.model import TAG_TYPES, Briefing
from build_tools.site import render
from build_tools.site.inline_links import Mention, link_first_mentions
from build_tools.store.archive import Archive

if TYPE_CHECKING:  # the link stage's numpy and scipy: not loaded by a build that links nothing
    from build_tools.link.links import Links
    from build_tools.link.stories import Story

LATEST_ON_HOME = 30
"""Briefings listed on the home page; the timeline holds the rest."""

MONTHS_LISTED = 24
"""Months listed in words under the chart (the latest ones)."""

TYPE_TITLES = {"countries": "Countries", "places": "Places", "people": "People",
               "organizations": "Organisations", "topics": "Topics"}
TYPE_SINGULAR = {"countries": "Country", "places": "Place", "people": "Person",
                 "organizations": "Organisation", "topics": "Topic"}

GENERATED_FOLDERS = ["briefings", "timeline", "countries", "places", "people", "organizations", "topics", "stories",
                     slugs.FEEDS_FOLDER]
GENERATED_FILES = ["index.md", "tags.md"]

@dataclass(frozen=True)
class Page:
    path: str
    """Docs-relative path, e.g. ``briefings/2021/07/slug.md`` (or a feed, ``feeds/latest.xml``)."""
    text: str


def briefing_page_path(b: Briefing) -> str:
    return slugs.briefing_page(b.path)  # type: ignore[arg-type]


def link(from_page: str, to_page: str, label: str) -> str:
    return f"[{render.md_text(label)}]({slugs.relative_link(from_page, to_page)})"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def fmt_date(when: dt.datetime | None) -> str:
    return when.strftime("%d %b %Y") if when else "undated"


def fmt_datetime(when: dt.datetime | None) -> str:
    if when is None:
        return "undated"
    offset = "" if is_local(when) else when.strftime("%z")
    return when.strftime("%d %B %Y, %H:%M") + (f" (UTC{offset[:3]}:{offset[3:]})" if offset else "")


def listing(from_page: str, items: list[Briefing], with_summary: bool = True) -> list[str]:
    lines = []
    for b in items:
        line = f"- **{fmt_date(b.date)}** · {link(from_page, briefing_page_path(b), b.title)}"
        if b.outlet:
            line += f" · *{render.md_text(b.outlet)}*"
        lines.append(line)
        if with_summary and b.summary:
            lines.append(f"    <br>{render.md_text(b.summary)}")
    return lines


def tag_links(page: str, b: Briefing) -> list[str]:
    out = []
    for t in TAG_TYPES:
        names = list(dict.fromkeys(getattr(b.tags, t)))
        if names:
            links = ", ".join(link(page, slugs.entity_page(t, n), n) for n in names)
            out.append(f"**{TYPE_TITLES[t]}:** {links}")
    return out


def month_link(page: str, b: Briefing) -> str:
    if b.date is None:
        return f"[Undated briefings]({slugs.relative_link(page, UNDATED_PAGE)})"
    return link(page, slugs.month_page(b.date.year, b.date.month), b.date.strftime("More from %B %Y"))


SEARCH_FILTERS = {"countries": "country", "places": "place", "people": "person", "organizations": "organisation",
                  "topics": "topic"}
"""Tag types offered as search filters (Pagefind filter name for each); see overrides/main.html.
Every briefing also has an ``outlet`` filter and a ``month`` filter (``YYYY-MM``, for the date
range of the search page: overrides/assets/javascripts/search-page.js)."""


FILTER_MIN_BRIEFINGS = 3
"""A tag becomes a search filter value only when at least this many briefings carry it. Pagefind's
UI downloads every filter value before the first result: at 10,000 Reuters briefings the one-off
people and organisations made the first query weigh over 300 KB (quality.bench). Rare tags
are still searchable as words, and their entity pages list every briefing."""


def search_facets(b: Briefing, links: Links | None = None) -> dict[str, object]:
    """What the theme turns into Pagefind sort key, date and filters (overrides/main.html)."""
    facets: dict[str, object] = {"date": b.date.strftime("%Y-%m-%d") if b.date else "",
                                 "shown_date": fmt_date(b.date) if b.date else ""}
    for t, name in SEARCH_FILTERS.items():
        values = [v for v in getattr(b.tags, t)
                  if links is None or len(links.entity(t, v).briefings) >= FILTER_MIN_BRIEFINGS]
        if values:
            facets[name] = values
    if b.outlet:
        facets["outlet"] = [b.outlet]
    if b.date:
        facets["month"] = [b.date.strftime("%Y-%m")]
    return facets


# --- briefing pages ----------------------------------------------------------------------------

def mentions(page: str, b: Briefing) -> list[Mention]:
    """Each tagged entity with the site URL of its page, for the inline links in the body. Topics are
    left out: they are common words ("defence", "energy"), linked at the top of the page instead."""
    return [Mention(name, render.md_url(slugs.relative_link(page, slugs.entity_page(t, name)), page))
            for t in TAG_TYPES if t != "topics" for name in getattr(b.tags, t)]


def body_block(b: Briefing, page: str, trusted_html: bool = False) -> str:
    """The body as HTML: sanitised, unless the site trusts raw HTML and an editor wrote this briefing."""
    trusted = trusted_html and not b.origins
    return link_first_mentions(render.body_html(b.body, page, trusted=trusted), mentions(page, b))


def cross_links(b: Briefing, archive: Archive, links: Links) -> list[str]:
    """The sections after a briefing's text: story, related, mentioned in, previous/next."""
    path = briefing_page_path(b)
    lines: list[str] = []
    story = links.story_of.get(b.id)
    if story:
        at = next(i for i, m in enumerate(story.members) if m.id == b.id)
        lines += ["## Story", "", f"Part of the story {link(path, story.page, story.name)} "
                                  f"({plural(len(story.members), 'briefing')}).", ""]
        if at > 0:
            lines.append(f"- Earlier: {link(path, briefing_page_path(story.members[at - 1]), story.members[at - 1].title)}"
                         f" ({fmt_date(story.members[at - 1].date)})")
        if at + 1 < len(story.members):
            lines.append(f"- Later: {link(path, briefing_page_path(story.members[at + 1]), story.members[at + 1].title)}"
                         f" ({fmt_date(story.members[at + 1].date)})")
        lines.append("")
    related = links.related.get(b.id, [])
    if related:
        lines += ["## Related briefings", ""]
        for r in related:
            other = archive.by_id[r.id]
            lines.append(f"- {link(path, briefing_page_path(other), other.title)} · {fmt_date(other.date)}"
                         f" · *{render.md_text(r.reason())}*")
        lines.append("")
    mentioned = links.backlinks.get(b.id, [])
    if mentioned:
        lines += ["## Mentioned in", ""] + listing(path, mentioned, with_summary=False) + [""]
    steps = []
    if b.id in links.previous:
        before = links.previous[b.id]
        steps.append(f"← Previous: {link(path, briefing_page_path(before), before.title)}")
    steps.append(month_link(path, b))
    if b.id in links.following:
        after = links.following[b.id]
        steps.append(f"Next: {link(path, briefing_page_path(after), after.title)} →")
    lines += ["---", "", " · ".join(steps), ""]
    return lines


def briefing_page(b: Briefing, archive: Archive, links: Links, trusted_html: bool = False) -> Page:
    path = briefing_page_path(b)
    # No "tags" key: the page lists its tags as links itself (Material's tags plugin, which read
    # it, only repeated them as plain chips, for a tenth of the MkDocs time; it is off).
    meta = {"title": b.title, "description": b.summary or b.title, "facets": search_facets(b, links)}
    facts = [f"**Date:** {fmt_datetime(b.date)}"]
    if b.updated and b.updated != b.date:
        facts.append(f"**Updated:** {fmt_datetime(b.updated)}")
    for label, value in (("Outlet", b.outlet), ("Author", b.author), ("Section", b.section)):
        if value:
            facts.append(f"**{label}:** {render.md_text(value)}")
    facts.append(month_link(path, b))
    lines = [render.page_front_matter(meta), f"# {render.md_text(b.title)}", "", " · ".join(facts), ""]
    lines += [t + "  " for t in tag_links(path, b)]
    lines.append("")
    if b.summary:
        lines += [f"> {render.md_text(b.summary)}", ""]
    lines += ['<div class="briefing-body" data-pagefind-body>', body_block(b, path, trusted_html), "</div>", ""]
    credits = []
    if b.image_credit:
        credits.append(f"Image: {render.md_text(b.image_credit)}")
    if b.sources:
        credits.append("With inputs from " + render.md_text(", ".join(b.sources)))
    credits += [render.md_text(c) for c in b.credits]
    if credits:
        lines += ["*" + " · ".join(credits) + "*", ""]
    lines += sources_section(b)
    lines += cross_links(b, archive, links)
    return Page(path, "\n".join(lines) + "\n")


def sources_section(b: Briefing) -> list[str]:
    """Where the briefing came from, as a reader can use it: each origin's outlet, publication
    date and link to the original; inbox file names never reach the site. With several origins
    the earliest published is marked."""
    if not b.origins:
        return []
    when = {o: _parse_iso(o.published) for o in b.origins}
    dated = [t for t in when.values() if t]
    first = min(dated, key=lambda t: t.timestamp()) if len(b.origins) > 1 and dated else None
    lines = ["## Sources", ""]
    for o in b.origins:
        label = render.md_text(o.outlet) if o.outlet else "Original article"
        item = f"[{label}](<{render.text(o.url)}>)" if o.url.startswith(("http://", "https://")) else label
        published = when[o]
        if published:
            item += f", {fmt_datetime(published)}"
        if first is not None and published == first:
            item += " (first published)"
        lines.append(f"- {item}")
    return lines + [""]


def _parse_iso(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- home and timeline -------------------------------------------------------------------------

def feed_link(page: str, feed: str, label: str = "Atom feed") -> str:
    return f"[{label}]({slugs.relative_link(page, feed)})"


def home_page(archive: Archive) -> Page:
    path = "index.md"
    latest = archive.newest_first()[:LATEST_ON_HOME]
    lines = [render.page_front_matter({"title": "Latest briefings", "feed": slugs.LATEST_FEED}), "# Latest briefings", "",
             f"{len(archive.briefings)} briefings in the archive. Older ones are in the "
             f"{link(path, 'timeline/index.md', 'timeline')}. Follow new ones with the "
             f"{feed_link(path, slugs.LATEST_FEED)}, or {link(path, 'search.md', 'search the archive')} "
             "by words, country, person, outlet and date.", ""]
    lines += listing(path, latest)
    return Page(path, "\n".join(lines) + "\n")


def month_title(year: int, month: int) -> str:
    return f"{dt.date(year, month, 1):%B %Y}"


UNDATED_PAGE = "timeline/undated.md"

MONTH_PAGE_SIZE = 100
"""Briefings (with summaries) on one page of a month; a busy month goes on numbered pages, each
linked from the timeline, so no page outgrows 100 KB of HTML (a 1987 Reuters month had 1,250
briefings: a 359 KB page) and every briefing stays three clicks from home."""


def month_entry(index: str, year: int, month: int, count: int) -> str:
    """'March (1,250: 1 · 2 · … 13)' on the timeline: a month with several pages links each."""
    label = link(index, slugs.month_page(year, month), f"{dt.date(year, month, 1):%B} ({count:,})")
    parts = -(-count // MONTH_PAGE_SIZE)
    if parts <= 1:
        return label
    return label + " pages " + " · ".join(link(index, slugs.month_page_n(year, month, k), str(k))
                                         for k in range(1, parts + 1))


def timeline_pages(archive: Archive) -> list[Page]:
    by_month: dict[tuple[int, int], list[Briefing]] = defaultdict(list)
    undated: list[Briefing] = []
    for b in archive.newest_first():
        if b.date:
            by_month[(b.date.year, b.date.month)].append(b)
        else:
            undated.append(b)
    pages = []
    index = "timeline/index.md"
    lines = [render.page_front_matter({"title": "Timeline"}), "# Timeline", ""]
    years = sorted({y for y, _ in by_month}, reverse=True)
    for year in years:
        months = sorted((m for y, m in by_month if y == year), reverse=True)
        month_links = ", ".join(month_entry(index, year, m, len(by_month[(year, m)])) for m in months)
        lines.append(f"- {link(index, slugs.year_page(year), str(year))}: {month_links}")
        ypath = slugs.year_page(year)
        count = sum(len(by_month[(year, m)]) for m in months)
        ylines = [render.page_front_matter({"title": str(year)}), f"# {year}", "",
                  f"{plural(count, 'briefing')}. {link(ypath, index, 'All years')}.", ""]
        # Months with counts, not every briefing: a year of a busy desk is thousands of lines.
        ylines += [f"- {link(ypath, slugs.month_page(year, m), month_title(year, m))}: "
                   f"{plural(len(by_month[(year, m)]), 'briefing')}" for m in months]
        pages.append(Page(ypath, "\n".join(ylines) + "\n"))
    if undated:
        lines += ["", f"- {link(index, UNDATED_PAGE, 'Undated briefings')} ({len(undated)})"]
        ulines = [render.page_front_matter({"title": "Undated briefings"}), "# Undated briefings", "",
                  f"{plural(len(undated), 'briefing')} without a date. {link(UNDATED_PAGE, index, 'Timeline')}.", ""]
        pages.append(Page(UNDATED_PAGE, "\n".join(ulines + listing(UNDATED_PAGE, undated, with_summary=False)) + "\n"))
    pages.append(Page(index, "\n".join(lines) + "\n"))
    ordered = sorted(by_month)
    for n, (year, month) in enumerate(ordered):
        items = by_month[(year, month)]
        title = month_title(year, month)
        parts = chunked(items, MONTH_PAGE_SIZE)
        part_pages = [slugs.month_page_n(year, month, k) for k in range(1, len(parts) + 1)]
        for k, part in enumerate(parts):
            here = part_pages[k]
            steps = []
            if n > 0:
                steps.append("← " + link(here, slugs.month_page(*ordered[n - 1]), month_title(*ordered[n - 1])))
            steps.append(link(here, slugs.year_page(year), f"All of {year}"))
            if n + 1 < len(ordered):
                steps.append(link(here, slugs.month_page(*ordered[n + 1]), month_title(*ordered[n + 1])) + " →")
            heading = title if len(parts) == 1 else f"{title} ({k + 1} of {len(parts)})"
            mlines = [render.page_front_matter({"title": heading}), f"# {heading}", "",
                      f"{plural(len(items), 'briefing')}. " + " · ".join(steps), ""]
            pager = [older_pages(here, part_pages), ""] if len(parts) > 1 else []
            mlines += pager + listing(here, part) + ([""] + pager if pager else [])
            pages.append(Page(here, "\n".join(mlines) + "\n"))
    return pages


def older_pages(here: str, pages_of: list[str]) -> str:
    """'Pages: 1 · 2 · 3' links between the pages of one entity's list."""
    return "**Pages:** " + " · ".join(f"**{n}**" if p == here else link(here, p, str(n))
                                      for n, p in enumerate(pages_of, 1))


def chunked(items: list[Briefing], size: int) -> list[list[Briefing]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


# --- stories -----------------------------------------------------------------------------------

def story_page(story: Story, links: Links) -> Page:
    """A thread: its name, two-sentence summary, outlets, people and organisations, dated timeline."""
    path = story.page
    lines = [render.page_front_matter({"title": story.name, "description": story.summary or f"Story: {story.name}"}),
             f"# {render.md_text(story.name)}", ""]
    if story.summary:
        lines += [render.md_text(story.summary), ""]
    facts = []
    if story.outlets:
        facts.append(f"- **Outlets:** {render.md_text(', '.join(story.outlets))}")
    for label, tag_type, names in (("People", "people", story.people), ("Organisations", "organizations", story.organizations)):
        if names:
            facts.append(f"- **{label}:** " + ", ".join(link(path, slugs.entity_page(tag_type, n), n) for n in names))
    if facts:
        lines += [*facts, ""]
    lines += ["## Timeline", "",
              f"{plural(len(story.members), 'briefing')}, oldest first. {link(path, 'stories/index.md', 'All stories')}.", ""]
    for b in story.members:
        outlet = f" · {render.md_text(b.outlet)}" if b.outlet else ""
        lines.append(f"- **{fmt_date(b.date)}** · {link(path, briefing_page_path(b), b.title)}{outlet}")
        if b.summary:
            lines.append(f"    <br>{render.md_text(b.summary)}")
    return Page(path, "\n".join(lines) + "\n")


def stories_index(links: Links) -> Page:
    path = "stories/index.md"
    lines = [render.page_front_matter({"title": "Stories"}), "# Stories", "",
             "Story threads follow one developing story each: one event or one ongoing affair (the same "
             "takeover bid, strike, dispute, or meeting and its reactions), never a whole topic "
             f"({link(path, 'editors/related.md', 'how they are found')}). Newest first.", ""]
    for s in sorted(links.stories, key=lambda s: (s.members[-1].date or dt.datetime.min.replace(tzinfo=dt.UTC),
                                                   s.slug), reverse=True):
        lines.append(f"- {link(path, s.page, s.name)} ({plural(len(s.members), 'briefing')})")
    if not links.stories:
        lines.append("No story threads yet.")
    return Page(path, "\n".join(lines) + "\n")
