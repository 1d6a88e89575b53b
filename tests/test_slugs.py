from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

import pytest

from build_tools import slugs


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Russia to bolster Tajikistan's military", "russia-to-bolster-tajikistans-military"),
        ("Badakhshān: Taliban take districts", "badakhshan-taliban-take-districts"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-page"),
        ("!!! ???", ""),
        ("Пожар в Москве", ""),
    ],
    ids=["apostrophe", "accents", "traversal", "windows-reserved", "punctuation-only", "cyrillic"],
)
def test_slugify(title: str, expected: str) -> None:
    assert slugs.slugify(title) == expected


def test_slug_is_bounded_at_a_word_boundary() -> None:
    slug = slugs.slugify("word " * 100)
    assert len(slug) <= slugs.MAX_SLUG_CHARS
    assert not slug.endswith("-")
    assert slug.endswith("word")


def test_briefing_path_uses_year_month_and_falls_back_to_id() -> None:
    when = dt.datetime(2021, 7, 28, 16, 31, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert slugs.briefing_path("A title", when, "abcdef123456") == PurePosixPath("2021/07/a-title.md")
    assert slugs.briefing_path("!!!", None, "abcdef123456") == PurePosixPath("undated/briefing-abcdef12.md")
    assert slugs.briefing_path("A title", when, "abcdef123456", suffix=True) == PurePosixPath("2021/07/a-title-abcdef.md")


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("index.md", "briefings/2021/07/x.md", "briefings/2021/07/x.md"),
        ("briefings/2021/07/x.md", "countries/russia.md", "../../../countries/russia.md"),
        ("countries/russia.md", "countries/china.md", "china.md"),
    ],
    ids=["from-root", "up-and-over", "sibling"],
)
def test_relative_link(src: str, dst: str, expected: str) -> None:
    assert slugs.relative_link(src, dst) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Владимир Путин", "vladimir-putin"),
    ("习近平", "xi-jin-ping"),
    ("محمد بن سلمان", "mhmd-bn-slmn"),
    ("Łódź", "lodz"),
], ids=["cyrillic", "chinese", "arabic", "latin-marks"])
def test_entity_slug_is_readable_in_any_script(name: str, expected: str) -> None:
    assert slugs.entity_slug(name) == expected


def test_entity_slug_hash_only_when_nothing_letter_like_remains() -> None:
    assert slugs.entity_slug("・").startswith("entity-")


def test_entity_named_index_does_not_take_its_types_index_page() -> None:
    assert slugs.entity_page("organizations", "Index") == "organizations/index-entity.md"
    assert slugs.entity_slug("Index") != "index"


@pytest.mark.parametrize(("headline", "date", "expected"), [
    ("Index", None, "index-story"),
    ("INDEX!", None, "index-story"),
    ("Index", dt.datetime(2021, 7, 3), "index-2021-07"),
    ("Talks resume", None, "talks-resume"),
], ids=["undated-index", "undated-index-punctuated", "dated-index", "plain"])
def test_story_slug_never_takes_the_stories_index_page(headline: str, date: dt.datetime | None, expected: str) -> None:
    assert slugs.story_slug(headline, date) == expected


def test_an_undated_story_headed_index_gets_its_own_page_beside_the_list_of_stories() -> None:
    from build_tools.link.links import link_archive
    from build_tools.site import pageset
    from tests.link.test_links import AFGHAN, archive_of, make

    archive = archive_of(make("i1", None, ["Tajikistan"], body=AFGHAN, title="Index"),
                         make("i2", None, ["Tajikistan"], body=AFGHAN + " Reservists called up.", title="Update",
                              thread="i1"))  # the editor's pin makes the two one story, whatever the model says
    links = link_archive(archive)
    (story,) = links.stories
    paths = [p.path for p in pageset.all_pages(archive, links, workers=1)]
    assert story.page == "stories/index-story.md"
    assert paths.count("stories/index.md") == 1 and paths.count(story.page) == 1


@pytest.mark.parametrize(("title", "date", "expected"), [
    ("Index", dt.datetime(2021, 7, 3), "2021/07/index-briefing.md"),
    ("Index", None, "undated/index-briefing.md"),
    ("Index of prices", None, "undated/index-of-prices.md"),
], ids=["dated", "undated", "index-as-a-word"])
def test_a_briefing_headed_index_is_not_its_folders_own_page(title: str, date: dt.datetime | None,
                                                             expected: str) -> None:
    assert slugs.briefing_path(title, date, "abcdef123456") == PurePosixPath(expected)
