"""Atom feeds of the latest briefings: one for the archive, one per entity. Pure.

Dates come from front matter (``updated`` or ``date``), never from git or the clock, so the same
briefings always give the same bytes. XML is written by ElementTree (a real emitter: every
title and summary is escaped). Links are relative to the feed file, so the site works under
any base URL; entry ids are UUIDs derived from briefing ids, stable across rebuilds and moves.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
import xml.etree.ElementTree as ET

from build_tools.model import Briefing
from build_tools.site import render

FEED_ENTRIES = 20
"""Entries per feed: what a reader polling daily needs, small enough for 2,000 entity feeds."""

ATOM_NS = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "briefing-archive")
FEED_AUTHOR = "Briefing Archive"


def feed_href(feed_path: str, page: str) -> str:
    """URL of docs page ``page`` (a .md path) relative to the feed file ``feed_path``."""
    url = render.page_url(page) or "./"
    rel = posixpath.relpath(url.rstrip("/") or ".", posixpath.dirname(feed_path))
    return rel + "/" if url.endswith("/") else rel


def entry_time(b: Briefing) -> dt.datetime | None:
    return b.updated or b.date


def atom_feed(feed_path: str, title: str, page: str, briefings: list[Briefing],
              page_of: dict[str, str]) -> str:
    """An Atom feed of the newest FEED_ENTRIES dated briefings. ``page_of``: id -> docs page."""
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
    sub(feed, "link", rel="alternate", type="text/html", href=feed_href(feed_path, page))
    sub(feed, "link", rel="self", type="application/atom+xml", href=posixpath.basename(feed_path))
    newest = entry_time(dated[0]) if dated else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    sub(feed, "updated", newest.isoformat() if newest else "")
    sub(sub(feed, "author"), "name", FEED_AUTHOR)
    for b in dated:
        entry = sub(feed, "entry")
        sub(entry, "title", b.title)
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, b.id)}")
        sub(entry, "link", rel="alternate", type="text/html", href=feed_href(feed_path, page_of[b.id]))
        when = entry_time(b)
        sub(entry, "updated", when.isoformat() if when else "")
        if b.date:
            sub(entry, "published", b.date.isoformat())
        if b.author:
            sub(sub(entry, "author"), "name", b.author)
        if b.summary:
            sub(entry, "summary", b.summary)
        for t in b.flat_tags:
            sub(entry, "category", term=t)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
