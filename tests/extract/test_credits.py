"""Credits: wire credits and picture credits become data and leave the body."""

from __future__ import annotations

import pytest

from build_tools.extract import credits
from build_tools.extract.found import Found


@pytest.mark.parametrize(("line", "parts"), [
    ("(Reporting by Clara Hoffmann in Geneva; Additional reporting by Farrukh Nazarov in Dushanbe; Editing by Mark Ellison)",
     ["Reporting by Clara Hoffmann in Geneva", "Additional reporting by Farrukh Nazarov in Dushanbe",
      "Editing by Mark Ellison"]),
    ("Reporting by Helen Marsh; Writing by Omar Haddad; Editing by Jonathan Pryce",
     ["Reporting by Helen Marsh", "Writing by Omar Haddad", "Editing by Jonathan Pryce"]),
    ("Compiled by Anna Keller", ["Compiled by Anna Keller"]),
], ids=["wire-parenthesised", "wire-bare", "compiled"])
def test_wire_credit_lines(line: str, parts: list[str]) -> None:
    assert credits.wire_credits(line) == parts


@pytest.mark.parametrize("line", [
    "Reporting by the council shows that the harbour plans were approved; editing the plans took a year and more "
    "of meetings with everyone who lives near the quay, and then " + "some more words " * 30,
    "The reporting by local papers was thin.",
    "(With inputs from Reuters)",
], ids=["long-sentence", "sentence", "inputs-line"])
def test_not_wire_credits(line: str) -> None:
    assert credits.wire_credits(line) == []


def test_wire_credits_at_the_end_are_taken_and_their_line_used() -> None:
    lines = ["Headline", "Text of the story.", "(Reporting by A B in Geneva; Editing by C D)", "Our Standards"]
    found = Found(title_index=0)
    credits.find_wire_credits(lines, found)
    assert found.credits == ["Reporting by A B in Geneva", "Editing by C D"]
    assert found.used == {2}


@pytest.mark.parametrize(("line", "credit"), [
    ("Photograph:(Reuters)", "Reuters"),
    ("Afghan families wait near the bridge at Hairatan. Photo: Anvar Ilyasov/AFP", "Anvar Ilyasov/AFP"),
    ("A ferry at the pier (Photo by Tom Reed)", "Tom Reed"),
], ids=["label-line", "caption", "bracketed"])
def test_image_credit(line: str, credit: str) -> None:
    assert credits.image_credit(line) == credit


def test_caption_credit_is_found_under_the_headline_and_leaves_the_body() -> None:
    lines = ["Headline", "Menu", "A caption of the picture. Photo: Tom Reed/AFP", "Text of the story goes on here."]
    found = Found(title_index=0)
    credits.find_caption_credit(lines, found)
    assert found.image_credit == "Tom Reed/AFP"
    assert 2 in found.used


def test_sources_from_with_inputs_lines() -> None:
    found = Found()
    credits.find_sources(["Text.", "(With inputs from Reuters and AFP)"], found)
    assert found.sources == ["Reuters", "AFP"]


def test_lines_without_a_credit_word_match_no_credit_pattern() -> None:
    import random

    from build_tools.extract.credits import CREDIT_RES, CREDIT_WORD_RE

    rng = random.Random(5)
    pieces = ["Photo", "photograph", "PHOTO", "Picture", "pic", "foto", "Bild", "image", "by", "(", ")", ":",
              "Reuters", " ", ".", "/", "İmage", "pıcture", "Fotograf", "Pix", "Imaging"]
    for _ in range(20000):
        line = "".join(rng.choice(pieces) + rng.choice(["", " ", ": "]) for _ in range(rng.randint(1, 8)))
        if any(p.search(line) for p in CREDIT_RES):
            assert CREDIT_WORD_RE.search(line), line
