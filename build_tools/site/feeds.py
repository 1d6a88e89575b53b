"""Atom feeds of the latest briefings: one for the archive, one per entity. Pure.

Dates come from front matter (``updated`` or ``date``), never from git or the clock, so the same
briefings always give the same bytes. XML is written by ElementTree (a real emitter: every
title and summary is escaped). Links are absolute under the site's ``site_url`` when mkdocs.yml
sets one (what feed readers expect), else relative to the feed file, so the site works under any
base URL; entry ids are UUIDs derived from briefing ids, stable across rebuilds and moves. Entries
carry the briefing's text as sanitised HTML (render.body_html), cut at whole paragraphs.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
import xml.etree.ElementTree as ET

from build_tools.model import Briefing
from build_tools.site import render
from build_tools.text import cut

FEED_ENTRIES = 20
"""Entries per feed: what a reader polling daily needs, small enough for 2,000 entity feeds."""

FEED_CONTENT_CHARS = 4_000
"""Most HTML characters of a briefing's text in one feed entry, cut at a paragraph end (a long
wire story is 20-30 KB; 20 entries stay under 100 KB per feed). Longer texts end with a link."""

SUMMARY_CHARS = 300
"""An entry without a summary gets its text's opening, cut at a word, as the summary."""

ATOM_NS = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "briefing-archive")
FEED_AUTHOR = "Briefing Archive"


def feed_href(feed_path: str, page: str, site_url: str = "") -> str:
    """URL of docs page ``page`` (a .md path): under ``site_url`` when given, else relative to the
    feed file ``feed_path``."""
    url = render.page_url(page) or "./"
    if site_url:
        return site_url + ("" if url == "./" else url)
    rel = posixpath.relpath(url.rstrip("/") or ".", posixpath.dirname(feed_path))
    return rel + "/" if url.endswith("/") else rel


def entry_time(b: Briefing) -> dt.datetime | None:
    return b.updated or b.date


def entry_content(b: Briefing, page: str) -> tuple[str, bool]:
    """The briefing's text as sanitised HTML, whole paragraphs up to FEED_CONTENT_CHARS; and
    whether it was cut."""
    blocks = render.body_html(b.body, page).split("\n")
    kept: list[str] = []
    size = 0
    for block in blocks:
        if kept and size + len(block) > FEED_CONTENT_CHARS:
            return "\n".join(kept), True
        kept.append(block)
        size += len(block)
    return "\n".join(kept), False


def entry_summary(b: Briefing) -> str:
    if b.summary:
        return b.summary
    opening = " ".join(b.body.split("\n\n", 1)[0].split())
    return cut(opening, SUMMARY_CHARS) if opening else ""


def atom_feed(feed_path: str, title: str, page: str, briefings: list[Briefing],
              page_of: dict[str, str], site_url: str = "") -> str:
    """An Atom feed of the newest FEED_ENTRIES dated briefings. ``page_of``: id -> docs page;
    ``site_url``: mkdocs.yml's, for absolute links (empty: relative links)."""
    dated = sorted((b for b in briefings if entry_time(b)), key=lambda b: (entry_time(b), b.id), reverse=True)
    dated = dated[:FEED_ENTRIES]
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "title", title)
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, feed_path)}")
    sub(feed, "link", rel="alternate", type="text/html", href=feed_href(feed_path, page, site_url))
    sub(feed, "link", rel="self", type="application/atom+xml",
        href=site_url + feed_path if site_url else posixpath.basename(feed_path))
    newest = entry_time(dated[0]) if dated else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    sub(feed, "updated", newest.isoformat() if newest else "")
    sub(sub(feed, "author"), "name", FEED_AUTHOR)
    for b in dated:
        entry = sub(feed, "entry")
        sub(entry, "title", b.title)
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, b.id)}")
        href = feed_href(feed_path, page_of[b.id], site_url)
        sub(entry, "link", rel="alternate", type="text/html", href=href)
        when = entry_time(b)
        sub(entry, "updated", when.isoformat() if when else "")
        if b.date:
            sub(entry, "published", b.date.isoformat())
        if b.author:
            sub(sub(entry, "author"), "name", b.author)
        summary = entry_summary(b)
        if summary:
            sub(entry, "summary", summary)
        content, was_cut = entry_content(b, page_of[b.id])
        if was_cut:
            content += f'\n<p><a href="{render.text(href)}">Read the whole briefing</a></p>'
        if content:
            sub(entry, "content", content, type="html")
        for t in b.flat_tags:
            sub(entry, "category", term=t)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
