"""Which of the name finder's unknown names are believed, and as what."""

from __future__ import annotations

import pytest

from build_tools.tag.compiled import cues
from build_tools.tag.evidence import (
    ORG_MIN_CONFIDENCE,
    PERSON_MIN_CONFIDENCE,
    SINGLE_PERSON_MIN_CONFIDENCE,
    SINGLE_PERSON_MIN_MENTIONS,
    believe,
    facts,
)

TEXT = "The head of the agency said human rights mattered. Gordon Sondland testified."


def judge(kind: str, name: str, confidence: float = 1.0, mentions: int = 1, *, rules_people: frozenset[str] = frozenset(),
          rules_orgs: frozenset[str] = frozenset(), places: frozenset[str] = frozenset()) -> str | None:
    f = facts(TEXT, set(rules_people), set(rules_orgs), ["Gordon Sondland"], set(places))
    return believe(kind, name, confidence, mentions, f, cues())


@pytest.mark.parametrize(("kind", "name", "confidence", "mentions", "expected"), [
    ("people", "John Bridenstine", 0.6, 1, "people"),
    ("people", "Hashim Thachi", PERSON_MIN_CONFIDENCE, 1, "people"),
    ("people", "Hashim Thachi", PERSON_MIN_CONFIDENCE - 0.01, 1, None),
    ("people", "Burias Island", 1.0, 1, None),
    ("people", "Advocacy Director", 1.0, 1, None),
    ("people", "Dreamliner", 0.99, 1, None),
    ("people", "Gannett", SINGLE_PERSON_MIN_CONFIDENCE, SINGLE_PERSON_MIN_MENTIONS, "people"),
    ("people", "Gannett", SINGLE_PERSON_MIN_CONFIDENCE, SINGLE_PERSON_MIN_MENTIONS - 1, None),
    ("people", "Andrew", PERSON_MIN_CONFIDENCE, 1, "people"),
    ("places", "Head", 1.0, 1, None),
    ("organizations", "Human Rights", 1.0, 1, None),
    ("places", "Sondland", 1.0, 1, None),
    ("places", "Sacramento Bee", 1.0, 1, "organizations"),
    ("organizations", "National Security Adviser", 1.0, 1, None),
    ("organizations", "Bidens and Burisma", 1.0, 1, None),
    ("organizations", "Ministry of Trade, Industry and Energy", 1.0, 1, "organizations"),
    ("organizations", "Guangdong Post and Telecommunications Administration", 1.0, 1, "organizations"),
    ("organizations", "TV", 1.0, 3, None),
    ("organizations", "Kohelet Policy Forum", ORG_MIN_CONFIDENCE, 1, "organizations"),
    ("organizations", "Kohelet Policy Forum", ORG_MIN_CONFIDENCE - 0.01, 1, None),
    ("organizations", "White House Treaty Room", 1.0, 1, None),
    ("organizations", "Hong Kong News Room", 1.0, 1, "organizations"),
], ids=["given-name", "sure-two-words", "unsure-two-words", "place-word", "title-word", "one-word-once",
        "one-word-sure-and-repeated", "one-word-sure-once", "known-given-name-alone", "written-lower-word",
        "written-lower-phrase", "surname-of-a-person", "newspaper", "title-inside-an-organisation", "two-names-and",
        "organisation-own-and", "agency-word-after-and", "short-organisation", "organisation-sure-enough", "organisation-unsure",
        "room-of-a-building", "newsroom"])
def test_believe(kind: str, name: str, confidence: float, mentions: int, expected: str | None) -> None:
    assert judge(kind, name, confidence, mentions) == expected


def test_the_cue_rules_decide_the_type() -> None:
    assert judge("people", "McClatchy Co.", 0.1, rules_orgs=frozenset({"McClatchy Co."})) == "organizations"
    assert judge("people", "Eyamba Sowers", 0.1, rules_people=frozenset({"Eyamba Sowers"})) == "people"
    assert judge("organizations", "Gordon Sowers", 0.1, rules_people=frozenset({"Gordon Sowers"})) == "people"
    # the rules' person against the model's organisation, with no known given name: the model's
    assert judge("organizations", "Essar Steel", 0.9, rules_people=frozenset({"Essar Steel"})) == "organizations"


@pytest.mark.parametrize(("name", "expected"), [
    ("Russia of Crimea", None), ("White House Russia", None), ("Kowloon West", "places")],
    ids=["known-place-and-more", "known-country-at-the-end", "known-place-and-direction"])
def test_known_place_wrapped_in_other_words(name: str, expected: str | None) -> None:
    assert judge("places", name, places=frozenset({"Russia", "Kowloon"})) == expected


def test_a_one_word_person_the_model_also_read_as_another_type_is_not_believed() -> None:
    f = facts(TEXT, set(), set(), [], set())
    assert believe("people", "Termez", 0.99, 4, f, cues(), agreed=True) == "people"
    assert believe("people", "Termez", 0.99, 4, f, cues(), agreed=False) is None


@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("organizations", "Sondlands", None),
    ("organizations", "Sondland Partners", "organizations"),
    ("organizations", "Lands", "organizations"),
    ("organizations", "National Socialism", None),
], ids=["family-plural", "longer-name", "no-such-surname", "doctrine"])
def test_a_family_named_after_a_person_of_the_story_is_no_name(kind: str, name: str, expected: str | None) -> None:
    assert judge(kind, name) == expected
