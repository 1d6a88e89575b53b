"""HTML input goes through trafilatura and keeps its metadata."""

from __future__ import annotations

from pathlib import Path

from build_tools.read.htmlinput import extract_html, head_titles


def test_html_page_metadata_and_body(fixtures: Path) -> None:
    given, visible, titles = extract_html((fixtures / "raw_page.html").read_text("utf-8"))
    assert given.title == "Lighthouse keepers return to remote island"
    assert given.author == "Maria Lind"
    assert given.outlet == "The Coastal Gazette"
    assert given.date is not None and given.date.date().isoformat() == "2022-05-04"
    assert given.body is not None and "forty years after the light was automated" in given.body
    assert "Two lighthouse keepers" in visible
    assert titles == ("Lighthouse keepers return to remote island | The Coastal Gazette",)


def test_head_titles_take_title_og_and_twitter_once() -> None:
    html = ("<html><head><title>A | Site</title><meta property='og:title' content='A'>"
            "<meta name='twitter:title' content='A'></head><body><p>x</p></body></html>")
    assert head_titles(html) == ("A | Site", "A")


def test_head_titles_of_unreadable_markup_are_empty() -> None:
    assert head_titles("") == ()
