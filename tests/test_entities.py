"""Tagging: gazetteer names, false friends, label rules, unknown names and their resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.entities import load_vocabulary, suggest, tag, unknown_tags
from build_tools.model import Tags


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(None)


@pytest.mark.parametrize(("text", "country"), [
    ("Afghan troops retreated.", "Afghanistan"),
    ("The Chinese foreign ministry said so.", "China"),
    ("Officials in the U.S. agreed.", "United States"),
    ("The UAE and the DPRK signed nothing.", "United Arab Emirates"),
    ("Russia said it will help.", "Russia"),
    ("Talks with the Soviet Union ended.", "Soviet Union"),
    ("A West German bank lent money.", "West Germany"),
    ("A Hungarian-American investor bought it.", "Hungary"),
], ids=["demonym", "adjective-ministry", "abbreviation", "uae", "common-name", "historic", "historic-adjective",
        "hyphenated"])
def test_country_forms(vocab, text: str, country: str) -> None:
    assert country in tag("", text, vocab).countries


@pytest.mark.parametrize(("text", "absent"), [
    ("Exports to Guinea-Bissau rose.", "Guinea"),
    ("Oil output in Nigeria fell.", "Niger"),
    ("Biman Bangladesh Airlines cancelled flights.", "Bangladesh"),
    ("Washington said it would respond.", "United States"),
    ("Ethnic Albanians protested.", "Albania"),
    ("Latin American markets rose.", "United States"),
    ("Michael Jordan scored.", "Jordan"),
], ids=["guinea-bissau", "nigeria", "org-name", "capital-is-place", "ethnic", "latin-american", "first-name"])
def test_false_friends(vocab, text: str, absent: str) -> None:
    assert absent not in tag("", text, vocab).countries


def test_capital_for_government_is_a_place(vocab) -> None:
    tags = tag("", "Washington said it would respond.", vocab)
    assert tags.places == ["Washington, D.C."]


def test_georgia_us_state_with_us_context(vocab) -> None:
    tags = tag("", "Voters in Atlanta, Georgia, and Florida lined up.", vocab)
    assert "Georgia (U.S. state)" in tags.places and "Georgia" not in tags.countries
    assert tag("", "Georgia and Russia fought over South Ossetia.", vocab).countries == ["Georgia", "Russia"]


def test_provinces_are_accent_folded(vocab) -> None:
    tags = tag("", "The Taliban captured districts in Badakhshan and Kandahar provinces.", vocab)
    assert {"Badakhshan", "Kandahar"} <= set(tags.places)


def test_wire_caps_dateline_gives_the_city(vocab) -> None:
    assert "Los Angeles" in tag("BANKAMERICA OFFER", "LOS ANGELES, Feb 26 - BankAmerica said.", vocab).places


def test_unknown_person_from_title_and_surname_resolution(vocab) -> None:
    tags = tag("", "Interior Minister Wolfgang Peschorn spoke. Later Peschorn added more.", vocab)
    assert tags.people == ["Wolfgang Peschorn"]


def test_unknown_organisation_from_suffix(vocab) -> None:
    tags = tag("", "noted Daniel Williams, analyst with Sutro Group.", vocab)
    assert tags.organizations == ["Sutro Group"] and tags.people == ["Daniel Williams"]


def test_described_ministry(vocab) -> None:
    tags = tag("", "The Chinese foreign ministry slammed the plan.", vocab)
    assert tags.organizations == ["Ministry of Foreign Affairs (China)"]


def test_tags_are_sorted_and_unique(vocab) -> None:
    tags = tag("Russia and China", "China, Russia and China again.", vocab)
    assert tags.countries == ["China", "Russia"]


def test_topics_between_one_and_five(vocab) -> None:
    tags = tag("", "The central bank raised interest rates as inflation and unemployment rose.", vocab)
    assert 1 <= len(tags.topics) <= 5 and "economy" in tags.topics


def test_vocabulary_surname_and_title_resolve(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(
        "- {name: Xi Jinping, type: person, country: China}\n- {name: Joe Biden, type: person, aliases: [Biden]}\n",
        encoding="utf-8")
    vocab = load_vocabulary(tmp_path)
    tags = tag("", "Chinese President Xi met officials. President Biden set a deadline.", vocab)
    assert tags.people == ["Joe Biden", "Xi Jinping"]
    assert "Hunter Biden" in tag("", "Her son Hunter Biden sat on the board.", vocab).people


def test_unknown_tags_and_suggest(vocab) -> None:
    tags = Tags(countries=["Russia"], people=["Jane Roe"], organizations=["Acme Group"])
    assert unknown_tags(tags, vocab) == [("people", "Jane Roe"), ("organizations", "Acme Group")]
    ranked = suggest([tags, Tags(people=["Jane Roe"])], vocab)
    assert ranked[0].name == "Jane Roe" and ranked[0].briefings == 2
