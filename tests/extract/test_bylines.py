"""Bylines: every co-author kept, in several languages and layouts; never an agency or a photographer."""

from __future__ import annotations

import pytest

from build_tools.extract import bylines
from build_tools.extract.found import Found


def _meta(lines: list[str], title_index: int = 0) -> Found:
    found = Found(title_index=title_index, title=lines[title_index])
    bylines.find_inline_author(lines, found)
    bylines.find_name_line(lines, found)
    return found


@pytest.mark.parametrize(("lines", "author"), [
    (["Sneaker trend returns", "Ein Artikel von Alexa von Heyden", "19. Juni 2019"], "Alexa von Heyden"),
    (["Headline here", "Posted by Jane Doe in News"], "Jane Doe"),
    (["Headline here", "Share", "Stefan Wasmer", "Text of the article that goes on."], "Stefan Wasmer"),
    (["Headline here", "Clara Löw, Siddharth Prakash & Klaus Jacob"], "Clara Löw, Siddharth Prakash & Klaus Jacob"),
    (["Headline here", "By Evan Halper Staff Writer"], "Evan Halper"),
    (["Sneaker trend returns", "Artikel von Alexa von Heyden", "19. Juni 2019"], "Alexa von Heyden"),
    (["Headline of the thread", "MikeNils 18.10.2019, 15:07 Uhr", "Text of the post."], "MikeNils"),
    (["Headline of the thread", "macbacchi 28.09.19 12:44", "Text of the post."], "macbacchi"),
], ids=["artikel-von", "posted-by", "bare-name", "name-list", "role-suffix", "label-von-over-date",
        "forum-handle", "forum-lowercase-handle"])
def test_bylines(lines: list[str], author: str) -> None:
    assert _meta(lines).author == author


@pytest.mark.parametrize("lines", [
    ["Festspiel-Reisen von Van der Bellen kosteten 57.000 Euro", "Text"],
    ["Headline here", "Weniger Miete! Bild: Photo by Alexander Dummer on Unsplash"],
    ["Headline here", "Europäische Union", "Ort Saarbrücken"],
    ["Headline here", "Aktualisiert 18.10.2019, 15:07 Uhr"],
    ["Headline here", "seit 18.10.2019, 15:07 Uhr"],
], ids=["von-in-headline", "photo-credit", "capitalised-nouns", "label-before-timestamp", "word-before-timestamp"])
def test_no_byline(lines: list[str]) -> None:
    assert _meta(lines).author is None


@pytest.mark.parametrize(("line", "author"), [
    ("Posted by Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair - Safe Browsing team",
     "Nathan Parker, Varun Khaneja, Eric Mill, Kiran C Nair"),
    ("Posted by Alex Durán, AMP Project Marketing, Google", "Alex Durán"),
    ("Text von Christian Seiler Illustration von Markus Roost", "Christian Seiler"),
    ("04.02.2022 | 13:10 Uhr | Uta Helkenberg", "Uta Helkenberg"),
], ids=["co-authors", "role-and-company", "text-von", "name-after-time"])
def test_byline_lines(line: str, author: str) -> None:
    assert _meta(["Headline of the story", line]).author == author


def test_vet_author_keeps_co_authors_and_drops_the_agency() -> None:
    sources: list[str] = []
    assert bylines.vet_author("Eleanor Price, Marcus Bell and Reuters", sources) == "Eleanor Price, Marcus Bell"
    assert sources == ["Reuters"]


@pytest.mark.parametrize(("author", "outlet"), [("Meridian Web Team", "Meridian"), ("WION Web Team", "WION"),
                                                ("Eleanor Price", None), ("Eric Song, IGN Staff", "IGN")],
                         ids=["team", "seed-team", "person", "writer-of-the-team"])
def test_outlet_from_a_team_byline(author: str, outlet: str | None) -> None:
    assert bylines.outlet_from_author(author) == outlet
