"""Mention resolution: one entity per name over its mentions, short forms joining full names."""

from __future__ import annotations

import pytest

from build_tools.tag.compiled import cues
from build_tools.tag.mentions import Entity, resolve
from build_tools.tag.names import Mention


def mention(text: str, label: str, surface: str, nth: int = 0, headline: bool = False) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(label, start, start + len(surface), surface, headline)


def names(entities: list[Entity]) -> set[tuple[str, str]]:
    return {(e.label, e.name) for e in entities}


def test_surname_joins_the_full_name_across_particles() -> None:
    text = "Ursula von der Leyen spoke. Von der Leyen said the plan stands, and von der Leyen's aides agreed."
    found = [mention(text, "PER", "Ursula"), mention(text, "PER", "Leyen", 0), mention(text, "PER", "Leyen", 1),
             mention(text, "PER", "Leyen", 2)]
    entities = resolve(found, text, cues())
    assert names(entities) == {("PER", "Ursula von der Leyen")}
    assert len(entities[0].mentions) == 3


def test_surname_of_another_type_joins_the_person() -> None:
    text = "Peter Such took three wickets. Such said it went well."
    found = [mention(text, "PER", "Peter Such"), mention(text, "ORG", "Such", 1)]
    assert names(resolve(found, text, cues())) == {("PER", "Peter Such")}


def test_two_people_sharing_a_surname_take_the_nearest_before() -> None:
    text = "Bill Clinton met Hillary Clinton. Clinton said."
    found = [mention(text, "PER", "Bill Clinton"), mention(text, "PER", "Hillary Clinton"),
             mention(text, "PER", "Clinton", 2)]
    entities = {e.name: e for e in resolve(found, text, cues())}
    assert set(entities) == {"Bill Clinton", "Hillary Clinton"}
    assert len(entities["Hillary Clinton"].mentions) == 2


@pytest.mark.parametrize(("longer", "short"), [
    ("European Union", "EU"), ("Newmont Mining Corp", "Newmont"), ("European Commission", "Commission")],
    ids=["acronym", "beginning", "ending"])
def test_organisation_short_forms_join(longer: str, short: str) -> None:
    text = f"The {longer} said so. Later the {short} agreed."
    found = [mention(text, "ORG", longer), mention(text, "ORG", short, 1 if short in longer else 0)]
    assert names(resolve(found, text, cues())) == {("ORG", longer)}


def test_an_ending_that_names_another_organisation_stays_apart() -> None:
    text = "the governing Liberal Democratic Party used its majority after the opposition Democratic Party won."
    found = [mention(text, "ORG", "Liberal Democratic Party"), mention(text, "ORG", "Democratic Party", 1)]
    assert names(resolve(found, text, cues())) == {("ORG", "Liberal Democratic Party"), ("ORG", "Democratic Party")}


def test_an_ending_after_an_owner_joins_the_organisation() -> None:
    text = "the U.S. Democratic Party said so; later the Democratic Party agreed, as did the European Security Council."
    found = [mention(text, "ORG", "U.S. Democratic Party"), mention(text, "ORG", "Democratic Party", 1)]
    assert names(resolve(found, text, cues())) == {("ORG", "U.S. Democratic Party")}


@pytest.mark.parametrize(("longer", "acronym"), [
    ("United Nations High Commissioner for Refugees", "UNHCR"), ("State Law and Order Restoration Council", "SLORC")],
    ids=["five-letters", "five-letters-and"])
def test_a_long_acronym_in_the_body_keeps_its_capitals_and_joins_its_expansion(longer: str, acronym: str) -> None:
    text = f"The {longer} said so. A {acronym} official agreed."
    found = [mention(text, "ORG", longer), mention(text, "ORG", acronym)]
    assert names(resolve(found, text, cues())) == {("ORG", longer)}


def test_a_long_acronym_alone_in_the_body_is_written_as_the_writer_does() -> None:
    text = "A UNHCR official in Termez said families had sold everything."
    assert names(resolve([mention(text, "ORG", "UNHCR")], text, cues())) == {("ORG", "UNHCR")}


@pytest.mark.parametrize(("line", "expected"), [("LA PRESSE", "La Presse"), ("EL PAIS", "El Pais"),
                                                 ("THE TIMES", "Times")], ids=["la", "el", "english-the"])
def test_a_headline_style_name_keeps_a_romance_article(line: str, expected: str) -> None:
    text = f"PRESS DIGEST - Tunisia.\n\n{line}\n\n- Trade talks opened."
    assert names(resolve([mention(text, "ORG", line, headline=True)], text, cues())) == {("ORG", expected)}


def test_majority_type_and_headline_half_vote() -> None:
    text = "LENTINI SIGNS\n\nLentini joined Atalanta. Lentini scored."
    found = [mention(text, "ORG", "LENTINI", headline=True), mention(text, "PER", "Lentini", 0),
             mention(text, "PER", "Lentini", 1)]
    assert names(resolve(found, text, cues())) == {("PER", "Lentini")}


def test_byline_names_are_not_people() -> None:
    text = "By Jane Reporter\n\nJohn Smith resigned."
    found = [mention(text, "PER", "Jane Reporter"), mention(text, "PER", "John Smith")]
    assert names(resolve(found, text, cues())) == {("PER", "John Smith")}


def test_a_sentence_opening_with_by_is_no_byline() -> None:
    text = "Rain fell.\nBy stumps Kent had reached 108 for three."
    found = [mention(text, "ORG", "Kent")]
    assert names(resolve(found, text, cues())) == {("ORG", "Kent")}


def test_title_taken_into_a_name_is_dropped() -> None:
    text = "Later Minister Wolfgang Peschorn said."
    found = [mention(text, "PER", "Later Minister Wolfgang Peschorn")]
    assert names(resolve(found, text, cues())) == {("PER", "Wolfgang Peschorn")}


def test_dateline_place_stays_a_place() -> None:
    text = "MILAN 1996-08-30\n\nAC Milan won. Milan fans cheered."
    found = [mention(text, "LOC", "MILAN"), mention(text, "ORG", "Milan", 0), mention(text, "ORG", "Milan", 1)]
    entities = resolve(found, text, cues())
    assert any(e.dateline and e.label == "LOC" for e in entities)


def test_the_agency_in_a_credit_line_is_not_a_place() -> None:
    text = "DUSHANBE, Aug 5 (Wire) - Troops moved."
    found = [mention(text, "LOC", "DUSHANBE"), mention(text, "LOC", "Wire")]
    assert {e.name for e in resolve(found, text, cues())} == {"Dushanbe"}


@pytest.mark.parametrize(("surface", "expected"), [
    ("Former National Security Council", "National Security Council"),
    ("All Blacks", "All Blacks"),
    ("New York Times", "New York Times"),
], ids=["opening-word", "all-blacks", "new"])
def test_an_organisation_loses_an_opening_word_only(surface: str, expected: str) -> None:
    text = f"Officials of the {surface} met."
    assert names(resolve([mention(text, "ORG", surface)], text, cues())) == {("ORG", expected)}


def test_an_organisation_run_into_a_person_is_cut_before_a_given_name() -> None:
    text = "Ambassador to the European Union Gordon Sondland testified."
    found = [mention(text, "ORG", "European Union Gordon Sondland")]
    assert names(resolve(found, text, cues(), {"European Union": "ORG"})) == {
        ("ORG", "European Union"), ("PER", "Gordon Sondland")}


def test_two_organisations_joined_by_in_the_are_one() -> None:
    text = "Al-Qaeda in the Islamic Maghreb claimed it. Reuters in London reported it."
    found = [mention(text, "ORG", "Al-Qaeda"), mention(text, "ORG", "Islamic Maghreb"),
             mention(text, "ORG", "Reuters"), mention(text, "LOC", "London")]
    assert names(resolve(found, text, cues())) == {
        ("ORG", "Al-Qaeda in the Islamic Maghreb"), ("ORG", "Reuters"), ("LOC", "London")}


def test_two_names_run_together_at_and_are_split() -> None:
    from build_tools.tag.mentions import split_coordination

    text = "The Federal Reserve Board and Bank of England met."
    run = Mention("ORG", 4, 45, text[4:45])
    left, right = split_coordination([run], {"Bank of England": "ORG"}, frozenset({"Exchange", "Board"}))
    assert (left.text, text[left.start:left.end]) == ("Federal Reserve Board", "Federal Reserve Board")
    assert (right.text, text[right.start:right.end], right.label) == ("Bank of England", "Bank of England", "ORG")
    for name in ("Bosnia and Herzegovina", "Ministry of Trade, Industry and Energy", "Futures and Options Exchange",
                 "Hong Kong Human Rights and Democracy Act", "Guangdong Post and Telecommunications Administration"):
        whole = Mention("ORG", 0, len(name), name)
        assert split_coordination([whole], {"Bosnia and Herzegovina": "LOC"}, frozenset({"Exchange"})) == [whole]


def test_a_title_inside_an_organisation_splits_off_its_person() -> None:
    from build_tools.tag.mentions import split_at_title

    text = "Federal Air Traffic Control Administration Director Branko Bilbija"
    org, person = split_at_title(Mention("ORG", 0, len(text), text), frozenset({"Director", "General"}),
                                 frozenset({"Assembly"}))
    assert (org.label, org.text, text[org.start:org.end]) == ("ORG", "Federal Air Traffic Control Administration",
                                                               "Federal Air Traffic Control Administration")
    assert (person.label, person.text, text[person.start:person.end]) == ("PER", "Branko Bilbija", "Branko Bilbija")
    for whole in ("United Nations General Assembly", "Office of the Director of National Intelligence"):
        m = Mention("ORG", 0, len(whole), whole)
        assert split_at_title(m, frozenset({"Director", "General"}), frozenset({"Assembly", "Intelligence"})) == [m]


def test_a_title_keeps_its_the() -> None:
    text = "Her attorney told The Hill that the Federal Reserve and The Federal Reserve Board met."
    names = {e.name for e in resolve([Mention("ORG", 18, 26, "The Hill"), Mention("ORG", 32, 51, "the Federal Reserve"),
                                      Mention("ORG", 56, 84, "The Federal Reserve Board")], text, cues())}
    assert names >= {"The Hill", "Federal Reserve Board"} and "Hill" not in names


def sure(text: str, label: str, surface: str, nth: int, confidence: float) -> Mention:
    return mention(text, label, surface, nth)._replace(confidence=confidence)


def test_a_person_organisation_tie_takes_the_surer_type() -> None:
    text = "Chelsea won. Gullit said Chelsea played well."
    found = [sure(text, "PER", "Chelsea", 0, 0.55), sure(text, "ORG", "Chelsea", 1, 0.9)]
    assert names(resolve(found, text, cues())) == {("ORG", "Chelsea")}
    found = [sure(text, "PER", "Chelsea", 0, 0.9), sure(text, "ORG", "Chelsea", 1, 0.55)]
    assert names(resolve(found, text, cues())) == {("PER", "Chelsea")}


def test_a_place_organisation_tie_keeps_the_first_mention_type() -> None:
    text = "Detroit 50 40. Detroit beat Toronto."
    found = [sure(text, "ORG", "Detroit", 0, 0.6), sure(text, "LOC", "Detroit", 1, 0.95)]
    assert names(resolve(found, text, cues())) == {("ORG", "Detroit")}


@pytest.mark.parametrize(("text", "found", "expected"), [
    ("Esper spoke to the Diplomatic Academy of Vietnam, a university.",
     [("ORG", "Diplomatic Academy"), ("LOC", "Vietnam")], {("ORG", "Diplomatic Academy of Vietnam")}),
    ("said Golez, who is concurrent Office of the Civil Defense deputy administrator.",
     [("ORG", "Civil Defense")], {("ORG", "Office of the Civil Defense")}),
    ("A rally of Volunteers of America drew crowds.",
     [("ORG", "Volunteers"), ("LOC", "America")], {("ORG", "Volunteers"), ("LOC", "America")}),
], ids=["head-of-place", "head-before", "no-head-word"])
def test_organisation_words_join_what_the_model_cut(text: str, found: list[tuple[str, str]],
                                                    expected: set[tuple[str, str]]) -> None:
    assert names(resolve([mention(text, label, surface) for label, surface in found], text, cues())) == expected
