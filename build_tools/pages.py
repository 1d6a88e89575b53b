"""Generate: the Markdown pages of the site, computed from the complete archive. Pure.

Every function returns :class:`Page` objects (docs-relative path + text); the build writes them.
Paths come from ``slugs``; every value from a briefing goes through ``render``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import render, slugs
from .archive import Archive
from .model import TAG_TYPES, Briefing

LATEST_ON_HOME = 30
"""Briefings listed on the home page; the timeline holds the rest."""

TYPE_TITLES = {"countries": "Countries", "places": "Places", "people": "People",
               "organizations": "Organisations", "topics": "Topics"}
TYPE_SINGULAR = {"countries": "Country", "places": "Place", "people": "Person",
                 "organizations": "Organisation", "topics": "Topic"}

GENERATED_FOLDERS = ["briefings", "timeline", "countries", "places", "people", "organizations", "topics", "stories"]
GENERATED_FILES = ["index.md", "tags.md"]


@dataclass(frozen=True)
class Page:
    path: str
    """Docs-relative path, e.g. ``briefings/2021/07/slug.md``."""
    text: str


def briefing_page_path(b: Briefing) -> str:
    return slugs.briefing_page(b.path)  # type: ignore[arg-type]


def link(from_page: str, to_page: str, label: str) -> str:
    return f"[{render.md_text(label)}]({slugs.relative_link(from_page, to_page)})"


def fmt_date(when: dt.datetime | None) -> str:
    return when.strftime("%d %b %Y") if when else "undated"


def fmt_datetime(when: dt.datetime | None) -> str:
    if when is None:
        return "undated"
    offset = when.strftime("%z")
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
        names = getattr(b.tags, t)
        if names:
            links = ", ".join(link(page, slugs.entity_page(t, n), n) for n in names)
            out.append(f"**{TYPE_TITLES[t]}:** {links}")
    return out


SEARCH_FILTERS = {"countries": "country", "people": "person", "organizations": "organisation", "topics": "topic"}
"""Tag types offered as search filters (Pagefind filter name for each); see overrides/main.html."""


def search_facets(b: Briefing) -> dict[str, object]:
    """What the theme turns into Pagefind sort key, date and filters (overrides/main.html)."""
    facets: dict[str, object] = {"date": b.date.strftime("%Y-%m-%d") if b.date else "",
                                 "shown_date": fmt_date(b.date) if b.date else ""}
    for t, name in SEARCH_FILTERS.items():
        if getattr(b.tags, t):
            facets[name] = list(getattr(b.tags, t))
    return facets


def briefing_page(b: Briefing, extra_sections: list[str] | None = None) -> Page:
    path = briefing_page_path(b)
    meta = {"title": b.title, "description": b.summary or b.title, "tags": b.flat_tags, "facets": search_facets(b)}
    facts = [f"**Date:** {fmt_datetime(b.date)}"]
    if b.updated and b.updated != b.date:
        facts.append(f"**Updated:** {fmt_datetime(b.updated)}")
    for label, value in (("Outlet", b.outlet), ("Author", b.author), ("Section", b.section)):
        if value:
            facts.append(f"**{label}:** {render.md_text(value)}")
    if b.date:
        facts.append(link(path, slugs.month_page(b.date.year, b.date.month), b.date.strftime("More from %B %Y")))
    lines = [render.page_front_matter(meta), f"# {render.md_text(b.title)}", "", " · ".join(facts), ""]
    lines += [t + "  " for t in tag_links(path, b)]
    lines.append("")
    if b.summary:
        lines += [f"> {render.md_text(b.summary)}", ""]
    lines += ['<div class="briefing-body" data-pagefind-body>', render.body_html(b.body, path), "</div>", ""]
    credits = []
    if b.image_credit:
        credits.append(f"Image: {render.md_text(b.image_credit)}")
    if b.sources:
        credits.append("With inputs from " + render.md_text(", ".join(b.sources)))
    if credits:
        lines += ["*" + " · ".join(credits) + "*", ""]
    if b.origins:
        lines += ["## Sources", ""]
        for o in b.origins:
            label = o.get("outlet") or o.get("source") or "source"
            url = o.get("url", "")
            if url.startswith(("http://", "https://")):
                lines.append(f"- [{render.md_text(label)}](<{render.text(url)}>) ({render.md_text(o.get('source', ''))})")
            else:
                lines.append(f"- {render.md_text(label)} ({render.md_text(o.get('source', ''))})")
        lines.append("")
    lines += extra_sections or []
    return Page(path, "\n".join(lines) + "\n")


def home_page(archive: Archive) -> Page:
    path = "index.md"
    latest = archive.newest_first()[:LATEST_ON_HOME]
    lines = [render.page_front_matter({"title": "Latest briefings"}), "# Latest briefings", "",
             f"{len(archive.briefings)} briefings in the archive. Older ones are in the "
             f"{link(path, 'timeline/index.md', 'timeline')}.", ""]
    lines += listing(path, latest)
    return Page(path, "\n".join(lines) + "\n")


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
        month_links = ", ".join(link(index, slugs.month_page(year, m), f"{dt.date(year, m, 1):%B} ({len(by_month[(year, m)])})")
                                for m in months)
        lines.append(f"- {link(index, slugs.year_page(year), str(year))}: {month_links}")
        ypath = slugs.year_page(year)
        ylines = [render.page_front_matter({"title": str(year)}), f"# {year}", ""]
        for m in months:
            ylines += ["", f"## {link(ypath, slugs.month_page(year, m), f'{dt.date(year, m, 1):%B %Y}')}", ""]
            ylines += listing(ypath, by_month[(year, m)], with_summary=False)
        pages.append(Page(ypath, "\n".join(ylines) + "\n"))
    if undated:
        lines += ["", "## Undated", ""] + listing(index, undated, with_summary=False)
    pages.append(Page(index, "\n".join(lines) + "\n"))
    for (year, month), items in by_month.items():
        mpath = slugs.month_page(year, month)
        title = f"{dt.date(year, month, 1):%B %Y}"
        mlines = [render.page_front_matter({"title": title}), f"# {title}", "",
                  f"{len(items)} briefings. {link(mpath, slugs.year_page(year), f'All of {year}')}.", ""]
        mlines += listing(mpath, items)
        pages.append(Page(mpath, "\n".join(mlines) + "\n"))
    return pages


def entity_index(archive: Archive) -> dict[str, dict[str, list[Briefing]]]:
    """tag type -> entity name -> briefings tagged with it (newest first)."""
    index: dict[str, dict[str, list[Briefing]]] = {t: defaultdict(list) for t in TAG_TYPES}
    for b in archive.newest_first():
        for t in TAG_TYPES:
            for name in getattr(b.tags, t):
                index[t][name].append(b)
    return index


def entity_pages(archive: Archive) -> list[Page]:
    index = entity_index(archive)
    pages = []
    for t in TAG_TYPES:
        ipath = f"{slugs.ENTITY_SECTIONS[t]}/index.md"
        entries = sorted(index[t].items(), key=lambda kv: (-len(kv[1]), kv[0]))
        lines = [render.page_front_matter({"title": TYPE_TITLES[t]}), f"# {TYPE_TITLES[t]}", "",
                 f"{len(entries)} {TYPE_TITLES[t].lower()} in the archive.", ""]
        lines += [f"- {link(ipath, slugs.entity_page(t, name), name)} ({len(items)})" for name, items in entries]
        pages.append(Page(ipath, "\n".join(lines) + "\n"))
        for name, items in entries:
            path = slugs.entity_page(t, name)
            co: Counter[tuple[str, str]] = Counter()
            for b in items:
                for t2 in TAG_TYPES:
                    for other in getattr(b.tags, t2):
                        if (t2, other) != (t, name):
                            co[(t2, other)] += 1
            elines = [render.page_front_matter({"title": name, "description": f"{TYPE_SINGULAR[t]}: {name}"}),
                      f"# {render.md_text(name)}", "",
                      f"{TYPE_SINGULAR[t]} · {len(items)} briefing{'s' if len(items) != 1 else ''}", ""]
            if co:
                elines += ["**Often alongside:** " + ", ".join(link(path, slugs.entity_page(t2, o), o)
                                                               for (t2, o), _ in co.most_common(8)), ""]
            elines += ["## Briefings", ""] + listing(path, items)
            pages.append(Page(path, "\n".join(elines) + "\n"))
    return pages


def tags_page(archive: Archive) -> Page:
    path = "tags.md"
    index = entity_index(archive)
    lines = [render.page_front_matter({"title": "Tags"}), "# Tags", ""]
    for t in TAG_TYPES:
        entries = sorted(index[t].items(), key=lambda kv: kv[0].casefold())
        if not entries:
            continue
        lines += [f"## {TYPE_TITLES[t]}", ""]
        lines.append(" · ".join(f"{link(path, slugs.entity_page(t, n), n)} ({len(i)})" for n, i in entries))
        lines.append("")
    return Page(path, "\n".join(lines) + "\n")


def stories_index(archive: Archive) -> Page:
    return Page("stories/index.md", render.page_front_matter({"title": "Stories"}) +
                "# Stories\n\nStory threads group briefings about one developing story.\n")


def all_pages(archive: Archive) -> list[Page]:
    pages = [home_page(archive), tags_page(archive), stories_index(archive)]
    pages += [briefing_page(b) for b in archive.briefings]
    pages += timeline_pages(archive)
    pages += entity_pages(archive)
    return pages
