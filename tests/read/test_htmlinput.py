"""HTML input goes through trafilatura and keeps its metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.read.htmlinput import extract_html, strip_site_name


def test_html_page_metadata_and_body(fixtures: Path) -> None:
    given, visible = extract_html((fixtures / "raw_page.html").read_text("utf-8"))
    assert given.title == "Lighthouse keepers return to remote island"
    assert given.author == "Maria Lind"
    assert given.outlet == "The Coastal Gazette"
    assert given.date is not None and given.date.date().isoformat() == "2022-05-04"
    assert given.body is not None and "forty years after the light was automated" in given.body
    assert "Two lighthouse keepers" in visible


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Lighthouse keepers return to remote island | The Coastal Gazette", "The Coastal Gazette",
     "Lighthouse keepers return to remote island"),
    ("Gazette - News - Keepers return to the island after forty years", "", "Keepers return to the island after forty years"),
    ("A headline with no site name", "", "A headline with no site name"),
], ids=["pipe", "dashes", "plain"])
def test_strip_site_name(title: str, site: str, expected: str) -> None:
    assert strip_site_name(title, site) == expected
