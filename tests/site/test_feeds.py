"""feeds: Atom feeds from front-matter dates, escaped by a real XML emitter, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from build_tools.site.feeds import ATOM_NS, FEED_CONTENT_CHARS, FEED_ENTRIES, atom_feed
from tests.link.test_links import make

NS = {"a": ATOM_NS}


def feed(briefings: list) -> ET.Element:  # type: ignore[type-arg]
    page_of = {b.id: f"briefings/{b.path}" for b in briefings}
    return ET.fromstring(atom_feed("feeds/countries/tajikistan.xml", "Tajikistan", "countries/tajikistan.md",
                                   briefings, page_of))


def test_entries_newest_first_with_relative_links_and_front_matter_dates() -> None:
    root = feed([make("b1", 0, []), make("b2", 5, []), make("u", None, [])])
    entries = root.findall("a:entry", NS)
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == ["Briefing b2", "Briefing b1"]
    assert entries[0].find("a:link", NS).get("href") == "../../briefings/2021/07/b2/"  # type: ignore[union-attr]
    assert entries[0].findtext("a:updated", namespaces=NS) == "2021-07-06T00:00:00+00:00"
    assert root.findtext("a:updated", namespaces=NS) == "2021-07-06T00:00:00+00:00"
    assert root.find("a:link[@rel='alternate']", NS).get("href") == "../../countries/tajikistan/"  # type: ignore[union-attr]


def test_markup_in_titles_is_escaped_text() -> None:
    root = feed([make("x", 0, [], title='Oil: "Buy the dip" <script>&')])
    assert root.find("a:entry/a:title", NS).text == 'Oil: "Buy the dip" <script>&'  # type: ignore[union-attr]


def test_feeds_are_capped_and_deterministic() -> None:
    items = [make(f"b{i:02d}", i, []) for i in range(FEED_ENTRIES + 5)]
    assert len(feed(items).findall("a:entry", NS)) == FEED_ENTRIES
    page_of = {b.id: f"briefings/{b.path}" for b in items}
    assert atom_feed("feeds/latest.xml", "t", "index.md", items, page_of) == atom_feed(
        "feeds/latest.xml", "t", "index.md", list(reversed(items)), page_of)


def test_with_a_site_url_links_are_absolute_and_entries_carry_the_text() -> None:
    long_body = "\n\n".join(f"Paragraph {i} " + "word " * 150 for i in range(12))
    items = [make("s1", 0, [], body="Short text <script>alert(1)</script> here."), make("s2", 3, [], body=long_body)]
    page_of = {b.id: f"briefings/{b.path}" for b in items}
    root = ET.fromstring(atom_feed("feeds/latest.xml", "t", "index.md", items, page_of,
                                   site_url="https://example.org/archive/"))
    assert root.find("a:link[@rel='self']", NS).get("href") == "https://example.org/archive/feeds/latest.xml"  # type: ignore[union-attr]
    assert root.find("a:link[@rel='alternate']", NS).get("href") == "https://example.org/archive/"  # type: ignore[union-attr]
    newest, oldest = root.findall("a:entry", NS)
    assert newest.find("a:link", NS).get("href") == "https://example.org/archive/briefings/2021/07/s2/"  # type: ignore[union-attr]
    content = newest.findtext("a:content", namespaces=NS) or ""
    assert content.startswith("<p>Paragraph 0") and "Paragraph 11" not in content  # cut at whole paragraphs
    assert len(content) <= FEED_CONTENT_CHARS + 200 and "Read the whole briefing" in content
    assert newest.findtext("a:summary", namespaces=NS, default="").startswith("Paragraph 0 word")  # no summary given
    small = oldest.findtext("a:content", namespaces=NS) or ""
    assert "Short text" in small and "<script" not in small  # sanitised like the page
