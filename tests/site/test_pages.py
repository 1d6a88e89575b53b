"""pages: generated Markdown for briefings, entities, timeline, stories; inline entity links."""

from __future__ import annotations

import pytest

from build_tools.link.links import link_archive
from build_tools.site.entity_pages import bar_chart, month_counts
from build_tools.site.inline_links import Mention, link_first_mentions
from build_tools.site.pages import FILTER_MIN_BRIEFINGS, mentions, search_facets
from build_tools.site.pageset import all_pages
from tests.link.test_links import AFGHAN, archive_of, make


@pytest.fixture
def pages() -> dict[str, str]:
    a = archive_of(make("a1", 0, ["Tajikistan", "Afghanistan"], ["Emomali Rahmon"], AFGHAN, title="Call-up"),
                   make("a2", 10, ["Tajikistan", "Afghanistan"], [], AFGHAN + " Drills."),
                   make("a3", 40, ["Tajikistan"], ["Emomali Rahmon"], AFGHAN + " Rahmon spoke."))
    return {p.path: p.text for p in all_pages(a, link_archive(a))}


def test_briefing_page_has_related_reasons_tags_story_and_neighbours(pages: dict[str, str]) -> None:
    text = pages["briefings/2021/07/a2.md"]
    assert "## Related briefings" in text and "*shares: " in text
    assert "**Countries:** [Tajikistan](../../../countries/tajikistan.md), [Afghanistan](../../../countries/afghanistan.md)" in text
    assert "[More from July 2021](../../../timeline/2021/07.md)" in text
    assert "← Previous: [Call-up](a1.md)" in text
    assert "Next: [Briefing a3](../08/a3.md) →" in text


def test_every_tag_has_an_entity_page_with_chart_and_counts(pages: dict[str, str]) -> None:
    for path in ("countries/tajikistan.md", "countries/afghanistan.md", "people/emomali-rahmon.md"):
        assert path in pages
    text = pages["countries/tajikistan.md"]
    assert "Country · 3 briefings" in text
    assert '<svg class="entity-chart" role="img"' in text
    assert "**By month:** [Aug 2021](#august-2021) (1) · [Jul 2021](#july-2021) (2)" in text  # this entity in that month
    assert "### July 2021" in text and "### August 2021" in text
    assert "**Often alongside:** [Afghanistan](afghanistan.md) (2 briefings), [Emomali Rahmon](../people/emomali-rahmon.md) (2 briefings)" in text
    assert "[Atom feed](../feeds/countries/tajikistan.xml)" in text
    assert text.index("Briefing a3") < text.index("Call-up")  # newest first
    assert "- [Tajikistan](tajikistan.md) (3)" in pages["countries/index.md"]


def test_timeline_has_year_and_month_pages(pages: dict[str, str]) -> None:
    assert "timeline/2021/index.md" in pages
    assert "[August 2021](08.md) →" in pages["timeline/2021/07.md"]


def test_feeds_are_generated(pages: dict[str, str]) -> None:
    assert "feeds/latest.xml" in pages and "feeds/people/emomali-rahmon.xml" in pages


def test_bar_chart_has_a_bar_per_month_including_gaps() -> None:
    a = archive_of(make("x", 0, []), make("y", 70, []))
    months = month_counts(a.briefings)
    assert months == [(2021, 7, 1), (2021, 8, 0), (2021, 9, 1)]
    svg = bar_chart(months)
    assert svg.count("<rect") == 3 and "<title>Aug 2021: 0</title>" in svg


MENTIONS = [Mention("Tajikistan", "../../countries/tajikistan/"), Mention("AT&T", "../../organizations/at-t/")]


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>Tajikistan and Tajikistan.</p>",
     '<p><a class="entity-link" href="../../countries/tajikistan/">Tajikistan</a> and Tajikistan.</p>'),
    ('<p><a href="x">Tajikistan</a> then Tajikistan</p>',
     '<p><a href="x">Tajikistan</a> then <a class="entity-link" href="../../countries/tajikistan/">Tajikistan</a></p>'),
    ("<p><code>Tajikistan</code></p>", "<p><code>Tajikistan</code></p>"),
    ("<h2>Tajikistan</h2><p>Tajikistani Tajikistan's</p>",
     '<h2>Tajikistan</h2><p>Tajikistani <a class="entity-link" href="../../countries/tajikistan/">Tajikistan</a>\'s</p>'),
    ("<p>AT&amp;T said</p>", '<p><a class="entity-link" href="../../organizations/at-t/">AT&amp;T</a> said</p>'),
    ('<p title="Tajikistan">x</p>', '<p title="Tajikistan">x</p>'),
], ids=["first-only", "not-inside-links", "not-in-code", "whole-words-not-headings", "escaped-text", "not-attributes"])
def test_inline_entity_links(html: str, expected: str) -> None:
    assert link_first_mentions(html, MENTIONS) == expected


def test_inline_links_refuse_unsafe_hrefs() -> None:
    assert link_first_mentions("<p>Evil</p>", [Mention("Evil", 'x" onclick="alert(1)')]) == "<p>Evil</p>"


def test_rare_tags_are_not_search_filters() -> None:
    common = [make(f"c{i}", 10 + i, ["Tajikistan"], ["Emomali Rahmon"]) for i in range(FILTER_MIN_BRIEFINGS)]
    rare = make("r1", 40, ["Tajikistan", "Bhutan"], ["Emomali Rahmon", "Someone Rare"])
    archive = archive_of(*common, rare)
    facets = search_facets(rare, link_archive(archive))
    assert facets["country"] == ["Tajikistan"]
    assert facets["person"] == ["Emomali Rahmon"]


def test_year_pages_count_months_and_undated_briefings_have_their_own_page() -> None:
    a = archive_of(make("d1", 0, ["Tajikistan"], title="Dated one"), make("u1", None, ["Tajikistan"], title="Undated one"))
    pages = {p.path: p.text for p in all_pages(a, link_archive(a))}
    year = pages["timeline/2021/index.md"]
    assert "Dated one" not in year and "1 briefing" in year
    assert "Undated one" in pages["timeline/undated.md"]
    assert "Undated one" not in pages["timeline/index.md"]
    assert "(undated.md)" in pages["timeline/index.md"]


def test_long_entity_lists_are_split_into_numbered_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import build_tools.site.entity_pages as entity_pages_module

    monkeypatch.setattr(entity_pages_module, "ENTITY_PAGE_SIZE", 2)
    a = archive_of(*(make(f"p{i}", i, ["Tajikistan"], title=f"Story {i}") for i in range(5)))
    pages = {p.path: p.text for p in all_pages(a, link_archive(a))}
    first, second, third = pages["countries/tajikistan.md"], pages["countries/tajikistan/2.md"], pages["countries/tajikistan/3.md"]
    assert "Story 4" in first and "Story 3" in first and "Story 2" not in first
    assert "Story 2" in second and "Story 0" in third
    assert "[2](tajikistan/2.md)" in first
    assert "[1](../tajikistan.md)" in second


def test_tags_page_shows_the_most_used_tags_and_links_the_full_list(monkeypatch: pytest.MonkeyPatch) -> None:
    import build_tools.site.entity_pages as entity_pages_module

    monkeypatch.setattr(entity_pages_module, "TAGS_PER_TYPE", 1)
    a = archive_of(make("t1", 0, ["Tajikistan", "Bhutan"]), make("t2", 5, ["Tajikistan"]))
    tags = {p.path: p.text for p in all_pages(a, link_archive(a))}["tags.md"]
    assert "[Tajikistan](countries/tajikistan.md) (2)" in tags
    assert "Bhutan" not in tags
    assert "[all countries](countries/index.md)" in tags


def test_topics_are_not_linked_inside_the_body() -> None:
    b = make("k1", 0, ["Tajikistan"], body="Tajikistan raised defence spending.")
    b.tags.topics = ["defence"]
    names = [m.name for m in mentions("briefings/2021/07/k1.md", b)]
    assert names == ["Tajikistan"]


def test_sources_show_outlet_date_and_link_never_the_inbox_file_name() -> None:
    from build_tools.model import Origin

    origins = [Origin("asiadesk-style-story.txt", "Asia Desk Today", "https://example.org/a", "h1",
                      "2021-07-05T10:00:00+00:00"),
               Origin("wire-feed.jsonl#3", "Wire", "", "h2", "2021-07-04T08:00:00+00:00"),
               Origin("undated.html", "", "", "h3", "")]
    b = make("s1", 0, ["Tajikistan"], title="Sourced", origins=origins)
    page = {p.path: p.text for p in all_pages(archive_of(b), link_archive(archive_of(b)))}[f"briefings/{b.path}"]
    sources = page.split("## Sources", 1)[1].split("##", 1)[0]
    assert "asiadesk-style-story.txt" not in page and "wire-feed.jsonl" not in page and "undated.html" not in page
    assert "[Asia Desk Today](<https://example.org/a>), 05 July 2021, 10:00" in sources
    assert "- Wire, 04 July 2021, 08:00 (UTC+00:00) (first published)" in sources
    assert "- Original article" in sources
    assert sources.count("first published") == 1


def test_one_briefing_entity_pages_speak_of_one_briefing() -> None:
    a = archive_of(make("o1", 0, ["Tajikistan", "Bhutan"], ["Emomali Rahmon"], title="Only one"),
                   make("o2", 3, ["Tajikistan"], ["Emomali Rahmon"]), make("o3", 9, ["Tajikistan"], ["Emomali Rahmon"]))
    pages = {p.path: p.text for p in all_pages(a, link_archive(a))}
    single = pages["countries/bhutan.md"]
    assert " – " not in single.split("\n\n")[2]  # one date, not "5 Jul 2021 – 5 Jul 2021"
    assert "Often alongside" not in single and "**Also in this briefing:** " in single
    common = pages["countries/tajikistan.md"]
    assert "Emomali Rahmon](../people/emomali-rahmon.md) (3 briefings)" in common


def test_the_chart_is_labelled_with_its_months_and_peak() -> None:
    chart = bar_chart([(2021, 3, 2), (2021, 4, 0), (2021, 5, 5)])
    assert ">Mar 2021</text>" in chart and ">May 2021</text>" in chart and ">peak 5</text>" in chart


def test_home_and_entity_pages_name_their_feed_for_discovery(pages: dict[str, str]) -> None:
    assert "feed: feeds/latest.xml" in pages["index.md"]
    assert "feed: feeds/countries/tajikistan.xml" in pages["countries/tajikistan.md"]
    assert "(search.md)" in pages["index.md"]


def reachable(pages: dict[str, str], start: str, clicks: int) -> set[str]:
    """Docs pages reachable from ``start`` in at most ``clicks`` Markdown links."""
    import posixpath
    import re

    seen, frontier = {start}, {start}
    for _ in range(clicks):
        nxt = set()
        for page in frontier:
            for target in re.findall(r"\]\(<?([^)>#]+\.md)", pages.get(page, "")):
                path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
                if path not in seen:
                    nxt.add(path)
        seen |= nxt
        frontier = nxt
    return seen


def test_a_busy_month_is_split_and_every_briefing_stays_three_clicks_from_home(monkeypatch: pytest.MonkeyPatch) -> None:
    import build_tools.site.pages as pages_module

    monkeypatch.setattr(pages_module, "MONTH_PAGE_SIZE", 4)
    a = archive_of(*(make(f"m{i:02d}", i % 20, ["Tajikistan"], title=f"Story {i}") for i in range(25)))
    pages = {p.path: p.text for p in all_pages(a, link_archive(a))}
    parts = sorted(p for p in pages if p.startswith("timeline/2021/07"))
    assert parts[0] == "timeline/2021/07.md" and "timeline/2021/07/7.md" in parts and len(parts) == 7
    assert all(page.count("\n- **") <= 4 for path, page in pages.items() if path in parts)
    assert "# July 2021 (2 of 7)" in pages["timeline/2021/07/2.md"]
    # Home -> the Timeline tab (one click) -> a month page -> the briefing.
    near = reachable(pages, "timeline/index.md", 2)
    assert {f"briefings/{b.path}" for b in a.briefings} <= near


def test_entity_indexes_show_the_most_mentioned_and_list_everyone_a_to_z(monkeypatch: pytest.MonkeyPatch) -> None:
    import build_tools.site.entity_pages as entity_pages_module

    monkeypatch.setattr(entity_pages_module, "INDEX_TOP", 2)
    monkeypatch.setattr(entity_pages_module, "LETTER_PAGE_SIZE", 2)
    names = ["Anna Bell", "Adam Cole", "Ali Dar", "Bo Eng", "Émile Faure", "42 Gee"]
    a = archive_of(*(make(f"e{i}", i, [], names[: i + 1]) for i in range(len(names))))
    pages = {p.path: p.text for p in all_pages(a, link_archive(a))}
    index = pages["people/index.md"]
    assert index.count("\n- [") == 2 and "[A](letters/a.md) (3)" in index and "[0-9](letters/0-9.md) (1)" in index
    assert "[Adam Cole](../adam-cole.md)" in pages["people/letters/a.md"]
    assert "Émile Faure" in pages["people/letters/e.md"]  # the slug decides the letter
    assert "people/letters/a/2.md" in pages and "[2](a/2.md)" in pages["people/letters/a.md"]
    listed = reachable(pages, "people/index.md", 2)
    assert {f"people/{slug}.md" for slug in ("anna-bell", "adam-cole", "ali-dar", "bo-eng", "emile-faure", "42-gee")} <= listed
