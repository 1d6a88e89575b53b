"""Generate, the entity pages: one page per country, place, person and organisation (its bar
chart of briefings by month, what it is often tagged alongside, its briefings by month, older ones
on further pages), each type's index (the most-tagged first, the rest by letter) and the tags
page. Pure, like ``pages``, whose helpers it uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from build_tools import slugs
from build_tools.model import TAG_TYPES, Briefing
from build_tools.site import render
from build_tools.site.pages import (
    MONTHS_LISTED,
    TYPE_SINGULAR,
    TYPE_TITLES,
    Page,
    feed_link,
    fmt_date,
    link,
    listing,
    month_title,
    older_pages,
    plural,
)
from build_tools.tag.geography import CountryOf

if TYPE_CHECKING:  # the link stage's numpy and scipy: not loaded by a build that links nothing
    from build_tools.link.links import Entity, Links

ENTITY_SUMMARIES = 50
"""Entity pages show the summary of this many newest briefings, titles only after that
(an entity in 5,000 briefings must not make a multi-megabyte page)."""

ALONGSIDE = 8
"""Entities listed under 'Often alongside' on an entity page."""

CHART_MONTHS = 36
"""Months drawn in an entity page's bar chart (the latest ones)."""

ENTITY_PAGE_SIZE = 200
"""Briefings listed on one page of an entity; older ones go on numbered pages (``countries/x/2``),
so no listing grows with the archive (at 10,000 briefings a common topic had 5,000 lines)."""

def month_counts(items: list[Briefing]) -> list[tuple[int, int, int]]:
    """(year, month, count) for every month from the first to the last briefing, gaps as 0."""
    counts = Counter((b.date.year, b.date.month) for b in items if b.date)
    if not counts:
        return []
    (y, m), last = min(counts), max(counts)
    out = []
    while (y, m) <= last:
        out.append((y, m, counts.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bar_chart(months: list[tuple[int, int, int]]) -> str:
    """A small inline SVG bar chart of briefings per month, labelled with its first and last
    month and its peak. Only numbers and month names (generated here, never from a briefing)
    reach the markup."""
    months = months[-CHART_MONTHS:]
    if not months:
        return ""
    peak = max(c for _, _, c in months) or 1
    bar, gap, height, axis = 8, 2, 32, 14
    width = max(len(months) * (bar + gap), 120)
    first, last = f"{dt.date(*months[0][:2], 1):%b %Y}", f"{dt.date(*months[-1][:2], 1):%b %Y}"
    label = f"Briefings per month, {month_title(*months[0][:2])} to {month_title(*months[-1][:2])}, at most {peak}"
    rects = []
    for i, (y, m, c) in enumerate(months):
        h = max(1, round(height * c / peak)) if c else 0
        rects.append(f'<rect x="{i * (bar + gap)}" y="{height - h}" width="{bar}" height="{h}">'
                     f"<title>{dt.date(y, m, 1):%b %Y}: {c}</title></rect>")
    labels = (f'<text x="0" y="{height + axis - 2}" font-size="10">{first}</text>'
              + (f'<text x="{width}" y="{height + axis - 2}" font-size="10" text-anchor="end">{last}</text>'
                 if last != first else "")
              + f'<text x="{width}" y="9" font-size="10" text-anchor="end">peak {peak}</text>')
    total = height + axis
    return (f'<svg class="entity-chart" role="img" aria-label="{label}" width="{width}" height="{total}" '
            f'viewBox="0 0 {width} {total}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{label}</title>{''.join(rects)}{labels}</svg>")


def alongside(entity: Entity, links: Links) -> list[tuple[Entity, int]]:
    co: Counter[tuple[str, str]] = Counter()
    for b in entity.briefings:
        seen = set()
        for t in TAG_TYPES:
            for name in getattr(b.tags, t):
                key = (t, slugs.entity_slug(name))
                if key != (entity.type, entity.slug) and key not in seen:
                    seen.add(key)
                    co[key] += 1
    ranked = sorted(co.items(), key=lambda kv: (-kv[1], kv[0]))[:ALONGSIDE]
    return [(links.entities[t][s], n) for (t, s), n in ranked]


def entity_page(entity: Entity, links: Links, country_of: CountryOf | None) -> list[Page]:
    path = entity.page
    items = entity.briefings
    header = [TYPE_SINGULAR[entity.type]]
    country = country_of(entity.type, entity.name) if country_of and entity.type in ("places", "people") else None
    if country:
        target = links.entities["countries"].get(slugs.entity_slug(country))
        header.append(link(path, target.page, country) if target else render.md_text(country))
    header.append(plural(len(items), "briefing"))
    dated = [b.date for b in items if b.date]
    if dated:
        earliest, latest = fmt_date(min(dated)), fmt_date(max(dated))
        header.append(earliest if earliest == latest else f"{earliest} – {latest}")
    header.append(feed_link(path, slugs.entity_feed(entity.type, entity.name)))
    lines = [render.page_front_matter({"title": entity.name, "description": f"{TYPE_SINGULAR[entity.type]}: {entity.name}",
                                       "feed": slugs.entity_feed(entity.type, entity.name)}),
             f"# {render.md_text(entity.name)}", "", " · ".join(header), ""]
    chunks = [items[i:i + ENTITY_PAGE_SIZE] for i in range(0, len(items), ENTITY_PAGE_SIZE)] or [[]]
    pages_of = [path] + [slugs.entity_page_n(entity.type, entity.name, n) for n in range(2, len(chunks) + 1)]
    months = month_counts(items)
    if months:
        lines += [bar_chart(months), ""]
        listed = [(y, m, c) for y, m, c in months if c][-MONTHS_LISTED:]
        page_of_month: dict[tuple[int, int], str] = {}
        for n, chunk in enumerate(chunks):
            for b in chunk:
                if b.date:
                    page_of_month.setdefault((b.date.year, b.date.month), pages_of[n])
        lines += ["**By month:** " + " · ".join(
            f"[{dt.date(y, m, 1):%b %Y}]({month_anchor(path, page_of_month[(y, m)], y, m)}) ({c})"
            for y, m, c in reversed(listed)), ""]
    others = alongside(entity, links)
    if others and len(items) == 1:
        lines += ["**Also in this briefing:** " + ", ".join(link(path, e.page, e.name) for e, _ in others), ""]
    elif others:
        lines += ["**Often alongside:** " + ", ".join(f"{link(path, e.page, e.name)} ({plural(n, 'briefing')})"
                                                      for e, n in others), ""]
    lines += ["## Briefings", ""]
    lines += by_month(path, chunks[0], ENTITY_SUMMARIES)
    if len(chunks) > 1:
        lines += ["", older_pages(path, pages_of)]
    return [Page(path, "\n".join(lines) + "\n")] + [
        Page(pages_of[n], "\n".join([
            render.page_front_matter({"title": f"{entity.name} ({n + 1})"}),
            f"# {render.md_text(entity.name)}: briefings {n * ENTITY_PAGE_SIZE + 1}–{n * ENTITY_PAGE_SIZE + len(chunk)}", "",
            *by_month(pages_of[n], chunk, 0), "", older_pages(pages_of[n], pages_of)]) + "\n")
        for n, chunk in enumerate(chunks) if n > 0]


def month_heading_id(year: int, month: int) -> str:
    """The id Python-Markdown's toc gives the heading ``### July 2021``."""
    return f"{dt.date(year, month, 1):%B-%Y}".lower()


def month_anchor(here: str, page: str, year: int, month: int) -> str:
    """Link from ``here`` to this entity's own listing of ``year``/``month`` (on ``page``)."""
    target = "" if page == here else slugs.relative_link(here, page)
    return f"{target}#{month_heading_id(year, month)}"


def by_month(page: str, items: list[Briefing], summaries: int) -> list[str]:
    """``items`` (newest first) under a heading per month, the first ``summaries`` with summaries."""
    lines: list[str] = []
    current: tuple[int, int] | None = None
    for i, b in enumerate(items):
        month = (b.date.year, b.date.month) if b.date else None
        if month != current or i == 0:
            current = month
            lines += ["", f"### {month_title(*month) if month else 'Undated'}", ""]
        lines += listing(page, [b], with_summary=i < summaries)
    return lines


INDEX_TOP = 200
"""Entities listed on a type's index page, most mentioned first; all of them are on its A-Z pages.
At 3,638 briefings the full list of organisations made a 255 KB page."""

LETTER_PAGE_SIZE = 500
"""Entities on one A-Z page (one line each, about 120 bytes of HTML); a longer letter goes on
numbered pages."""


def entity_index(t: str, entries: list[Entity], links: Links) -> list[Page]:
    """A type's index (the most mentioned, and the letters) and its A-Z pages."""
    ipath = f"{slugs.ENTITY_SECTIONS[t]}/index.md"
    letters: dict[str, list[Entity]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: (e.name.casefold(), e.slug)):
        letters[slugs.letter_of(e.name)].append(e)
    order = sorted(letters, key=lambda k: (k == "other", k == "0-9", k))

    def letter_bar(here: str) -> str:
        return "**A–Z:** " + " · ".join(
            link(here, slugs.letter_page(t, k), k.upper() if len(k) == 1 else k) + f" ({len(letters[k])})"
            for k in order)

    shown = entries[:INDEX_TOP]
    lines = [render.page_front_matter({"title": TYPE_TITLES[t]}), f"# {TYPE_TITLES[t]}", "",
             f"{len(entries):,} {TYPE_TITLES[t].lower()} in the archive"
             + (f". The {len(shown)} most mentioned are below; every one is on the A–Z pages." if len(shown) < len(entries)
                else ", most mentioned first."), ""]
    if t == "countries" and links.entities["places"]:
        lines += [f"Cities and regions are under {link(ipath, 'places/index.md', 'Places')}.", ""]
    if len(shown) < len(entries):
        lines += [letter_bar(ipath), ""]
    lines += [f"- {link(ipath, e.page, e.name)} ({len(e.briefings)})" for e in shown]
    pages = [Page(ipath, "\n".join(lines) + "\n")]
    if len(shown) == len(entries):
        return pages
    for k in order:
        parts = [letters[k][i:i + LETTER_PAGE_SIZE] for i in range(0, len(letters[k]), LETTER_PAGE_SIZE)]
        part_pages = [slugs.letter_page(t, k, n) for n in range(1, len(parts) + 1)]
        for n, part in enumerate(parts):
            here = part_pages[n]
            title = f"{TYPE_TITLES[t]}: {k.upper() if len(k) == 1 else k}" + (f" ({n + 1})" if n else "")
            body = [render.page_front_matter({"title": title}), f"# {title}", "",
                    f"{link(here, ipath, f'All {TYPE_TITLES[t].lower()}')} · " + letter_bar(here), ""]
            if len(parts) > 1:
                body += [older_pages(here, part_pages), ""]
            body += [f"- {link(here, e.page, e.name)} ({len(e.briefings)})" for e in part]
            pages.append(Page(here, "\n".join(body) + "\n"))
    return pages


def ranked_entities(links: Links, t: str) -> list[Entity]:
    """A type's entities, most briefings first, then by name: the order of its index and tag lists."""
    return sorted(links.entities[t].values(), key=lambda e: (-len(e.briefings), e.name.casefold(), e.slug))


TAGS_PER_TYPE = 100
"""Tags shown per type on the Tags page, most used first (then alphabetical); the type's index page
lists them all. At 10,000 briefings listing every tag made a 367 KB page (benchmarks/RESULTS.md)."""


def tags_page(links: Links) -> Page:
    path = "tags.md"
    lines = [render.page_front_matter({"title": "Tags"}), "# Tags", ""]
    for t in TAG_TYPES:
        ranked = ranked_entities(links, t)
        if not ranked:
            continue
        top = sorted(ranked[:TAGS_PER_TYPE], key=lambda e: (e.name.casefold(), e.slug))
        lines += [f"## {TYPE_TITLES[t]}", ""]
        lines.append(" · ".join(f"{link(path, e.page, e.name)} ({len(e.briefings)})" for e in top))
        if len(ranked) > len(top):
            index = f"{slugs.ENTITY_SECTIONS[t]}/index.md"
            lines += ["", f"The {len(top)} most used of {len(ranked):,}: {link(path, index, f'all {TYPE_TITLES[t].lower()}')}."]
        lines.append("")
    return Page(path, "\n".join(lines) + "\n")
