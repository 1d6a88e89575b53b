"""stories: story threads, their names and month spans."""

from __future__ import annotations

import datetime as dt

import pytest

from build_tools.link.links import link_archive
from build_tools.link.stories import STORY_MIN_BRIEFINGS, month_span
from build_tools.store.archive import Archive
from tests.link.test_links import AFGHAN, OIL, archive_of, make


@pytest.fixture
def archive() -> Archive:
    return archive_of(
        make("a1", 0, ["Tajikistan", "Afghanistan"], ["Emomali Rahmon"], AFGHAN),
        make("a2", 10, ["Tajikistan", "Afghanistan", "Uzbekistan"], [], AFGHAN + " Drills with Uzbekistan."),
        make("a3", 20, ["Tajikistan", "Afghanistan"], ["Emomali Rahmon"], AFGHAN + " Rahmon spoke."),
        make("o1", 5, ["Saudi Arabia"], [], OIL),
        make("o2", 9, ["Saudi Arabia"], [], OIL + " Brent sank."),
    )


def test_story_threads_group_close_strongly_related_briefings(archive: Archive) -> None:
    links = link_archive(archive)
    assert len(links.stories) == 1
    story = links.stories[0]
    assert [b.id for b in story.members] == ["a1", "a2", "a3"]
    assert len(story.members) >= STORY_MIN_BRIEFINGS
    assert story.name == "Afghanistan, Emomali Rahmon, Tajikistan — Jul 2021"
    assert story.slug == "afghanistan-emomali-rahmon-tajikistan-2021-07"
    assert links.story_of["a2"] is story and "o1" not in links.story_of


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 7, 30), "Jul 2021"),
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 9, 1), "Jul–Sep 2021"),
    (dt.datetime(2020, 12, 3), dt.datetime(2021, 1, 1), "Dec 2020–Jan 2021"),
], ids=["one-month", "same-year", "across-years"])
def test_month_span(first: dt.datetime, last: dt.datetime, expected: str) -> None:
    assert month_span(first, last) == expected
