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
    ("Britain's Sun newspaper reported on Friday", "PER", "Sun", ("ORG", "Sun")),
    ("Zycie Warszawy daily said on Saturday", "PER", "Zycie Warszawy", ("ORG", "Zycie Warszawy")),
], ids=["company", "plural-lead", "arabic-article", "lower-party", "lower-prison", "misc-after-the",
        "publication-word-after", "daily-after"])
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


def test_a_town_s_newspaper_is_no_publication_name() -> None:
    text = "a Moscow newspaper said on Friday"
    known = {"Moscow": [Name("places", "Moscow", "Russia", 2, "test")]}
    assert names(resolve([mention(text, "LOC", "Moscow")], text, cues(), None, frozenset(), known)) == {
        ("LOC", "Moscow")}


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


NATION_NAMES = {"England": [Name("places", "England", "United Kingdom", 0, "test")],
                "France": [Name("countries", "France", "France", 0, "test")],
                "Norwich": [Name("places", "Norwich", "United Kingdom", 2, "test")]}


@pytest.mark.parametrize(("text", "found", "club"), [
    ("20-year-old Norwich striker Keith O'Neill scored", [("LOC", "Norwich"), ("PER", "Keith O'Neill")], "Norwich"),
    ("the sending-off of Chelsea central defender Franck Leboeuf", [("PER", "Chelsea"), ("PER", "Franck Leboeuf")],
     "Chelsea"),
    ("Birmingham's Gary Breen was selected", [("LOC", "Birmingham"), ("PER", "Gary Breen")], "Birmingham"),
    ("Keith O'Neill of Norwich City joins up front", [("PER", "Keith O'Neill"), ("LOC", "Norwich City")], "Norwich City"),
    ("Leicestershire beat Somerset by an innings", [("ORG", "Leicestershire"), ("LOC", "Somerset")], "Somerset"),
    ("emphatic victories for champions Bath, 56-13 winners", [("PER", "Bath")], "Bath"),
    ("first division team Deportivo Coruna will be without", [("PER", "Deportivo Coruna")], "Deportivo Coruna"),
    ("Before the match Deportivo chairman Augusto Lendoiro said", [("PER", "Deportivo"), ("PER", "Augusto Lendoiro")],
     "Deportivo"),
    ("Baratelli, who played for Nice and Paris St Germain, takes over",
     [("PER", "Baratelli"), ("LOC", "Nice"), ("ORG", "Paris St Germain")], "Paris St Germain"),
    ("the former Blackburn and Southampton skipper", [("LOC", "Blackburn"), ("LOC", "Southampton")], "Blackburn"),
], ids=["role-after", "role-after-adjective", "possessive-before-player", "player-of", "beat", "plural-title",
        "team-before", "chairman-after", "listed-after-a-club", "listed-before-a-club"])
def test_in_a_sports_story_the_words_around_a_town_make_it_its_club(text: str, found: list[tuple[str, str]],
                                                                     club: str) -> None:
    got = names(resolve([mention(text, label, surface) for label, surface in found], text, cues(), None,
                        frozenset(), NATION_NAMES, sport=True))
    assert ("ORG", club) in got
    assert not any(label != "ORG" and name == club for label, name in got)


@pytest.mark.parametrize(("text", "found", "name", "sport"), [
    ("Former England captain Will Carling kicked", [("LOC", "England"), ("PER", "Will Carling")], "England", True),
    ("France beat Mexico 2-0 on Saturday", [("LOC", "France"), ("LOC", "Mexico")], "France", True),
    ("Sampras beat Agassi in the final", [("PER", "Sampras"), ("PER", "Agassi")], "Agassi", True),
    ("the Norwich striker of old, a police spokesman said", [("LOC", "Norwich")], "Norwich", False),
    ("At the Oval, Surrey captain Chris Lewis", [("LOC", "Oval"), ("LOC", "Surrey"), ("PER", "Chris Lewis")], "Oval",
     True),
    ("France and Norwich fans met", [("LOC", "France"), ("LOC", "Norwich")], "France", True),
], ids=["nation-region", "nation-country", "person-beaten", "not-a-sports-story", "comma-ends-a-clause",
        "nation-listed-beside-a-club"])
def test_names_the_club_cues_leave_alone(text: str, found: list[tuple[str, str]], name: str, sport: bool) -> None:
    got = names(resolve([mention(text, label, surface) for label, surface in found], text, cues(), None,
                        frozenset(), NATION_NAMES, sport=sport))
    assert ("ORG", name) not in got
