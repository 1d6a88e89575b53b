"""Metadata read from a page's lines: headline, dates, byline, outlet, credits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools import extract, sources
from build_tools.metadata import detect_language
from build_tools.model import Article


def article(path: Path) -> Article:
    item = sources.read(path)[0]
    assert isinstance(item, Article)
    return extract.process(item, None)


def test_seed_style_header(fixtures: Path) -> None:
    a = article(fixtures / "raw_with_photo_credit_line.txt")
    assert a.title == "Harbour authority opens new container terminal after two years of delays"
    assert a.author == "Coastal Desk Web Team"
    assert a.outlet == "Coastal Desk"
    assert a.section == "Business"
    assert a.date == dt.datetime(2022, 3, 3, 9, 15, tzinfo=dt.UTC)
    assert a.image_credit == "Harbour Authority"
    assert a.summary == "The terminal doubles the port's capacity and will be run by a consortium of three shipping lines"
    assert a.sources == ["Agencies"]


def test_full_page_headline_is_not_the_site_name_or_a_menu_item(fixtures: Path) -> None:
    a = article(fixtures / "raw_fullpage_with_menus.txt")
    assert a.title == "Rail strike halts trains across the country as unions reject pay offer"
    assert a.author == "Anna Keller"
    assert a.outlet == "The Morning Courier"
    assert a.date is not None and a.date.isoformat() == "2022-02-14T07:30:00+01:00"
    assert a.summary is not None and a.summary.startswith("Commuters face a third day")
    assert a.image_credit == "Max Berger/Reuters"


def test_german_blog_byline_and_date(fixtures: Path) -> None:
    a = article(fixtures / "raw_german_blog_byline.txt")
    assert a.title == "Warum wir im Winter mehr Gemüse aus der Region essen sollten"
    assert a.author == "Simon Keller"
    assert a.date is not None and a.date.date() == dt.date(2019, 12, 17)
    assert a.language == "de"


def test_wire_copy_headline_and_timestamp(fixtures: Path) -> None:
    a = article(fixtures / "raw_wire_hard_wrapped.txt")
    assert a.title == "COPPER PRICES FIRM ON SUPPLY WORRIES"
    assert a.date == dt.datetime(1987, 3, 14, 10, 22, 5, tzinfo=dt.UTC)
    assert a.author is None
    assert a.body[0].startswith("LONDON, March 14 - Copper prices firmed")


@pytest.mark.parametrize(("text", "code"), [("The government said on Monday that the talks were over and it "
                                             "would not return to them before the end of the year.", "en"),
                                            ("short", None)], ids=["english", "too-short"])
def test_detect_language(text: str, code: str | None) -> None:
    assert detect_language(text) == code
