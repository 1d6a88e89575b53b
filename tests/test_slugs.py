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
