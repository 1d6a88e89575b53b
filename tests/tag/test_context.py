"""What the words around a name say: organisation cues, a name's edges, two places at a slash (through
``mentions.resolve``, which reads them before grouping)."""

from __future__ import annotations

import pytest

from build_tools.tag.compiled import cues
from build_tools.tag.gazetteer import Name
from build_tools.tag.mentions import resolve
from tests.tag.test_mentions import mention, names


@pytest.mark.parametrize(("text", "label", "surface", "expected"), [
    ("Ukrainian energy company Burisma was named.", "PER", "Burisma", ("ORG", "Burisma")),
    ("the newspaper chains Gannett and GateHouse merged.", "PER", "Gannett", ("ORG", "Gannett")),
    ("Arabic satellite TV network al-Arabiya reported.", "LOC", "al-Arabiya", ("ORG", "al-Arabiya")),
    ("the mouthpiece of the Communist party, warned", "ORG", "Communist", ("ORG", "Communist Party")),
    ("the city's Hoa Lo prison, dubbed", "PER", "Hoa Lo", ("ORG", "Hoa Lo Prison")),
    ("Tsai Ing-wen of the Democratic Progressive party said", "MISC", "Democratic Progressive",
     ("ORG", "Democratic Progressive Party")),
], ids=["company", "plural-lead", "arabic-article", "lower-party", "lower-prison", "misc-after-the"])
def test_words_around_a_name_make_it_an_organisation(text: str, label: str, surface: str,
                                                     expected: tuple[str, str]) -> None:
    assert names(resolve([mention(text, label, surface)], text, cues())) == {expected}


@pytest.mark.parametrize(("text", "label", "surface"), [
    ("the aircraft carrier Enterprise was in port", "LOC", "Enterprise"),
    ("army annulled polls a now-banned Islamist party was poised to win", "MISC", "Islamist"),
    ("a Chinese prison held him", "MISC", "Chinese"),
    ("Constand Viljoen, leader of the Freedom Front party, told", "ORG", "Freedom Front"),
    ("He said Smith ministry officials met", "LOC", "Smith"),
], ids=["not-a-lead-word", "indefinite", "country-adjective", "named-already", "place"])
def test_words_around_a_name_that_make_no_organisation(text: str, label: str, surface: str) -> None:
    adjectives = frozenset({"Chinese"})
    assert names(resolve([mention(text, label, surface)], text, cues(), None, adjectives)) == {(label, surface)}


def test_a_dateline_naming_two_cities_gives_two_places() -> None:
    text = "WASHINGTON/BEIJING, Aug 19 (Wire) - Blinken spoke by phone."
    assert names(resolve([mention(text, "LOC", "WASHINGTON/BEIJING")], text, cues())) == {
        ("LOC", "Washington"), ("LOC", "Beijing")}


PLACE_NAMES = {"Indiana": [Name("places", "Indiana", "United States", 0, "test")]}


@pytest.mark.parametrize(("text", "label", "surface", "expected"), [
    ("a survey by Penelope Abernathy of the University of North Carolina, the firm",
     "LOC", "of the University of North Carolina", ("LOC", "University of North Carolina")),  # the cue rules type it
    ("a teacher at eastern Indiana’s Richmond High School, said", "LOC", "Indiana’s Richmond High School",
     ("ORG", "Richmond High School")),
    ("outside the offices of Georgian Public Television, he said", "MISC", "Georgian Public Television",
     ("ORG", "Georgian Public Television")),
    ("a truce with the left-wing New People's Army rebels", "ORG", "New People's Army", ("ORG", "New People's Army")),
    ("said Joel Naroff of First Union bank in Philadelphia.", "ORG", "of First Union bank in Philadelphia",
     ("ORG", "of First Union bank in Philadelphia")),
], ids=["leading-of-the", "place-possessive", "misc-with-org-word", "not-a-place-possessive", "lower-words-inside"])
def test_a_name_s_edges(text: str, label: str, surface: str, expected: tuple[str, str]) -> None:
    assert names(resolve([mention(text, label, surface)], text, cues(), None, frozenset(), PLACE_NAMES)) == {expected}
