"""Metadata read from a page's lines: headline, dates, byline, outlet, credits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.extract import metadata
from build_tools.model import Article
from build_tools.process import process
from build_tools.read import sources


def article(path: Path) -> Article:
    item = sources.read(path)[0]
    assert isinstance(item, Article)
    return process(item, None)


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


@pytest.mark.parametrize(("language", "day"), [("es", dt.date(2022, 5, 3)), ("en", dt.date(2022, 3, 5))], ids=["es", "en"])
def test_slash_date_order_follows_language(language: str, day: dt.date) -> None:
    lines = ["Headline of the story here", "3/5/2022 22:41"]
    found = metadata.extract_metadata(lines, language=language)
    assert found.date is not None and found.date.date() == day


SITE_NAME_TITLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour Weekly</title>
<meta property="og:title" content="Harbour Weekly">
<meta name="author" content="Maria Lind"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<h1>Ferry service to the outer islands resumes after storm repairs</h1>
<p>The ferry to the outer islands sailed again on Monday after three weeks of repairs to the pier that the storm in March had damaged beyond use.</p>
<p>The operator said the timetable would return to normal by the end of the month, once the second boat had passed its inspection at the yard.</p>
<p>Islanders had relied on a small water taxi for deliveries of food and post, which the council paid for while the ferry was out of service.</p>
</body></html>
"""


def test_html_headline_from_the_page_text_when_trafilatura_gives_the_site_name(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(SITE_NAME_TITLE_PAGE, "utf-8")
    a = article(path)
    assert a.title == "Ferry service to the outer islands resumes after storm repairs"
    assert a.author == "Maria Lind"  # trafilatura's field first
    assert a.body and a.body[0].startswith("The ferry to the outer islands sailed again")


def test_html_page_text_is_laid_out_like_a_dump_without_the_tab_title() -> None:
    from build_tools.read.htmlinput import page_text

    text = page_text(SITE_NAME_TITLE_PAGE)
    assert "Harbour Weekly" not in text  # the <title> is not shown in the page
    assert "\n\nFerry service to the outer islands resumes after storm repairs\n\n" in text


def _found(lines: list[str]) -> metadata.Found:
    return metadata.extract_metadata(lines)


@pytest.mark.parametrize(("byline", "author"), [
    ("By Eleanor Price and Marcus Bell", "Eleanor Price, Marcus Bell"),
    ("By Eleanor Price, Senior Correspondent, and Marcus Bell", "Eleanor Price, Marcus Bell"),
    ("By Eleanor Price in London and Marcus Bell in Paris", "Eleanor Price, Marcus Bell"),
    ("Von Anna Keller und Jonas Weber", "Anna Keller, Jonas Weber"),
    ("Par Claire Martin et Louis Bernard", "Claire Martin, Louis Bernard"),
    ("Por Lucía Gómez y Mateo Ruiz", "Lucía Gómez, Mateo Ruiz"),
    ("Reporter: Eleanor Price", "Eleanor Price"),
    ("Words by Eleanor Price", "Eleanor Price"),
], ids=["by-and", "role-between-co-authors", "places-after-names", "von-und", "par-et", "por-y", "reporter-label",
        "words-by"])
def test_byline_forms_keep_every_author(byline: str, author: str) -> None:
    assert _found(["Harbour plans approved after long debate", byline, "The council approved the plans."]).author == author


def test_byline_after_the_date_line() -> None:
    assert _found(["Harbour plans approved", "12 March 2022", "By Eleanor Price", "The council approved."]).author \
        == "Eleanor Price"


def test_byline_at_the_end_of_the_text() -> None:
    lines = ["Harbour plans approved", "The council approved the plans on Monday after a long debate.",
             "Work on the new quay starts in the spring and should take two years.", "By Eleanor Price"]
    assert _found(lines).author == "Eleanor Price"


@pytest.mark.parametrize("byline", ["By Reuters", "By AFP", "Von dpa", "By Associated Press"],
                         ids=["reuters", "afp", "dpa", "associated-press"])
def test_an_agency_is_never_the_author_but_a_source(byline: str) -> None:
    found = _found(["Harbour plans approved", byline, "The council approved the plans."])
    assert found.author is None
    assert found.sources


@pytest.mark.parametrize("credit", ["Photo: Tom Reed / AFP", "Tom Reed / FUNKE Foto Services", "Image: Getty Images",
                                    "By Tom Reed / Getty Images"],
                         ids=["photo-label", "funke-style", "image-label", "by-photographer"])
def test_a_photo_credit_is_never_the_author(credit: str) -> None:
    assert _found(["Harbour plans approved", credit, "The council approved the plans."]).author is None


FILLER = [f"Paragraph {n} of the article text, which runs on for a while." for n in range(40)]


@pytest.mark.parametrize(("lines", "author"), [
    (["Von", "Götz Warnke"], "Götz Warnke"),
    (["Auteur", "Uriel Gadessaud"], "Uriel Gadessaud"),
    (["by", "delta201"], "delta201"),
    (["By", "Reuters"], None),
    (["Von", "Montag an gilt die neue Regel für alle Mitglieder."], None),
], ids=["von", "auteur", "user-handle", "agency", "sentence"])
def test_a_byline_split_over_two_lines_far_below_the_headline(lines: list[str], author: str | None) -> None:
    assert _found(["Harbour plans approved", *FILLER, *lines, *FILLER]).author == author


@pytest.mark.parametrize(("line", "author"), [
    ("By Kayla Greaves", "Kayla Greaves"),
    ("By Rob Picheta, CNN", "Rob Picheta"),
    ("Autor: Petra Ruland", "Petra Ruland"),
    ("By Tom Reed / Getty Images", None),
    ("By Reuters", None),
], ids=["by", "name-and-outlet", "labelled", "photographer", "agency"])
def test_a_byline_line_anywhere_when_none_is_near_the_headline(line: str, author: str | None) -> None:
    assert _found(["Harbour plans approved", *FILLER, line, *FILLER]).author == author
