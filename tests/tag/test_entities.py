"""Tagging: gazetteer names, false friends, label rules, unknown names and their resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.model import Tags
from build_tools.tag.compiled import _family_names
from build_tools.tag.entities import (
    _misc_alias,
    decide,
    dedupe_by_slug,
    load_vocabulary,
    parties,
    suggest,
    tag,
    unknown_tags,
)
from build_tools.tag.mentions import Entity
from build_tools.tag.names import Mention
from build_tools.tag.vocabulary import Entry


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


@pytest.mark.parametrize(("text", "place", "absent"), [
    ("Storms crossed the Indian Ocean.", "Indian Ocean", "India"),
    ("Voters in New Mexico lined up.", "New Mexico", "Mexico"),
], ids=["ocean", "us-state"])
def test_a_suppressor_the_gazetteer_knows_is_that_place(vocab, text: str, place: str, absent: str) -> None:
    tags = tag("", text, vocab)
    assert place in tags.places and absent not in tags.countries


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


# --------------------------------------------------------------------------- organisation error classes

ORG_VOCAB = """\
- {name: Associated Press, type: organization, aliases: [AP]}
- {name: Hong Kong Police Force, type: organization, aliases: [Hong Kong police]}
"""


@pytest.fixture(scope="module")
def org_vocab(tmp_path_factory):
    root = tmp_path_factory.mktemp("vocabulary")
    (root / "organizations.yaml").write_text(ORG_VOCAB, encoding="utf-8")
    return load_vocabulary(root)


@pytest.mark.parametrize(("text", "orgs"), [
    ("Shares of Acme Co Inc. rose. Acme Co Inc said more.", ["Acme"]),
    ("The Salafist Group for Preaching and Combat claimed it.", ["Salafist Group for Preaching and Combat"]),
    ("WASHINGTON (AP) — Officials met on Monday.", []),
    ("Officials met, AP reported.", ["Associated Press"]),
    ("AP Business Writer Jane Roe contributed to this report.", []),
    ("The Hong Kong police fired tear gas.", []),
    ("Penelope Muse Abernathy of the University of North Carolina said so.", ["University of North Carolina"]),
    ("The People's Liberation Army moved.", ["People's Liberation Army"]),
    ("The New York Times reported it.", ["New York Times"]),
], ids=["legal-forms-one-slug", "name-joined-by-and", "dateline-credit", "agency-cited", "contributor-credit",
        "generic-police", "person-of-organisation", "possessive-inside-name", "leading-not-name-word"])
def test_organisation_error_classes(org_vocab, text: str, orgs: list[str]) -> None:
    assert tag("", text, org_vocab).organizations == orgs


def test_two_spellings_never_share_a_slug(org_vocab) -> None:
    tags = tag("", "Pension Benefit Guaranty Corp. paid. Later Pension Benefit Guaranty Corp said no.", org_vocab)
    assert tags.organizations == ["Pension Benefit Guaranty"]
    assert dedupe_by_slug({"Acme Co Inc.", "Acme Co Inc", "Sutro Group"}, frozenset()) == {"Acme Co Inc.",
                                                                                          "Sutro Group"}
    assert dedupe_by_slug({"Acme Corp.", "ACME Corp"}, frozenset({"ACME Corp"})) == {"ACME Corp"}


@pytest.mark.parametrize(("name", "country", "role", "family"), [
    ("Andrés Manuel López Obrador", "Mexico", "President of Mexico", ["López"]),
    ("Charles III", "United Kingdom", "King of the United Kingdom", []),
    ("Hussein of Jordan", "Jordan", "King of Jordan", []),
    ("William, Prince of Wales", "United Kingdom", "Prince of Wales", []),
    ("Benigno Aquino III", "Philippines", "President of the Philippines", ["Aquino"]),
    ("Henry Ford II", "United States", "CEO of Ford Motor Company", ["Ford"]),
    ("Xi Jinping", "China", "President of China", ["Jinping", "Xi"]),
    ("Angela Merkel", "Germany", "Chancellor of Germany", ["Merkel"]),
], ids=["spanish-two-surnames", "regnal-number", "realm", "title-after-comma", "namesake-numeral", "dynasty-numeral",
        "family-name-first", "plain"])
def test_family_names(name: str, country: str, role: str, family: list[str]) -> None:
    assert _family_names(Entry(name, "people", (), country, "", role)) == family


def test_king_hussein_does_not_tag_jordan_as_a_person(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(
        "- {name: Hussein of Jordan, type: person, country: Jordan, role: King of Jordan}\n", encoding="utf-8")
    tags = tag("", "Mr Jordan arrived in Amman.", load_vocabulary(tmp_path))
    assert "Hussein of Jordan" not in tags.people


def test_legal_forms_alone_are_not_an_organisation(vocab) -> None:
    text = "Bryson said it has retained D.F. King and Co Inc to work on its dealings with the company."
    assert not [o for o in tag("", text, vocab).organizations if o.rstrip(".") in ("Co Inc", "Co", "Inc")]


def test_a_family_name_beside_its_full_name_is_one_person(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(
        "- name: Wang Yi\n  type: person\n  country: China\n- name: Wang Wenbin\n  type: person\n  country: China\n",
        encoding="utf-8")
    text = ("Chinese Foreign Minister Wang Yi spoke with Antony Blinken on Thursday. "
            "China's foreign ministry said Wang told Blinken that the withdrawal was hasty. "
            "Wang hosted a Taliban delegation in Tianjin last month, and Wang said talks would go on.")
    assert "Wang" not in tag("", text, load_vocabulary(tmp_path)).people


@pytest.mark.parametrize(("text", "place"), [
    ("NEW DELHI: Their dream shattered, the deportees came home.", "New Delhi"),
    ("CLEVELAND, Feb 26 - Ohio Mattress Co said its profit may fall.", "Cleveland"),
    ("He paid an Amritsar-based agent to help him travel.", "Amritsar"),
    ("NORTH MIAMI BEACH, Fla, March 4 - Home Intensive Care Inc extended its rights.", "Miami"),
], ids=["dateline-colon", "dateline-date-dash", "place-based", "place-inside-a-dateline"])
def test_places_the_model_may_not_read(vocab, text: str, place: str) -> None:
    assert place in tag("", text, vocab).places


def test_a_thing_named_after_an_organisation_is_not_it(tmp_path: Path) -> None:
    """The model reads "Dow Jones" (the index) or "RBI" (runs batted in) as MISC: an alias of a vocabulary organisation at
    those words is not the organisation; its own full name still is, whatever the model read."""
    from build_tools.tag.compiled import Match
    from build_tools.tag.entities import decide
    from build_tools.tag.mentions import Entity
    from build_tools.tag.names import Mention

    (tmp_path / "organizations.yaml").write_text(
        "- {name: Dow Jones & Company, type: organization, aliases: [Dow Jones]}\n"
        "- {name: Reserve Bank of India, type: organization, aliases: [RBI]}\n", encoding="utf-8")
    vocab = load_vocabulary(tmp_path)
    index = Entity("MISC", "Dow Jones", [Mention("MISC", 4, 13, "Dow Jones")])
    assert decide(index, vocab, set(), 0) is None
    company = Entity("MISC", "Reserve Bank of India", [Mention("MISC", 0, 21, "Reserve Bank of India")])
    decision = decide(company, vocab, set(), 0)
    assert decision is not None and decision.kind == "organizations"
    read_as_org = decide(Entity("ORG", "Dow Jones", index.mentions), vocab, set(), 0)
    assert read_as_org is not None and read_as_org.kind == "organizations"
    names = vocab.names["Dow Jones"]
    assert _misc_alias(Match(4, 13, "Dow Jones", tuple(names)), names[0], [(4, 13)])
    assert not _misc_alias(Match(4, 13, "Dow Jones", tuple(names)), names[0], [(0, 3)])


def _org(*surfaces: str) -> Entity:
    return Entity("ORG", surfaces[0], [Mention("ORG", 0, len(s), s) for s in surfaces])


@pytest.mark.parametrize(("surfaces", "name"), [
    (("Central Narcotics Bureau", "CNB"), "Central Narcotics Bureau"),
    (("Organisation for Security and Cooperation in Europe", "OSCE"),
     "Organization for Security and Co-operation in Europe"),
    (("U.N. Council", "U.N."), "United Nations"),
], ids=["expansion-defines-its-acronym", "known-expansion-spelled-otherwise", "acronym-of-a-part"])
def test_an_article_expansion_against_the_vocabulary_acronym(tmp_path: Path, surfaces: tuple[str, ...], name: str) -> None:
    (tmp_path / "organizations.yaml").write_text(
        "- {name: Czech National Bank, type: organization, aliases: [CNB]}\n"
        "- {name: Organization for Security and Co-operation in Europe, type: organization, aliases: [OSCE]}\n"
        "- {name: United Nations, type: organization, aliases: [U.N.]}\n", encoding="utf-8")
    decision = decide(_org(*surfaces), load_vocabulary(tmp_path), set(), 0)
    assert decision is not None and decision.name == name


KNOWN_PARTIES = frozenset({"Democratic Party (United States)", "Republican Party (United States)",
                           "Liberal Party of Canada", "Conservative Party (UK)", "Democratic Party of Japan"})


@pytest.mark.parametrize(("text", "countries", "expected"), [
    ("Republicans also questioned Morrison.", {"United States"}, {"Republican Party (United States)"}),
    ("the newest 2020 Democratic presidential hopeful", {"United States"}, {"Democratic Party (United States)"}),
    ("The Liberals, whose divided ranks allowed it", {"Canada"}, {"Liberal Party of Canada"}),
    ("linked to the Conservatives.", {"United Kingdom"}, {"Conservative Party (UK)"}),
    ("Democrats in both countries", {"United States", "Japan"}, set()),
    ("a former Liberal Democrat leader", {"United Kingdom", "Canada"}, set()),
    ("Conservative estimates put it at 10.", {"Canada"}, set()),
    ("Democrats won in France.", {"France"}, set()),
], ids=["plural", "adjective", "canada", "uk-short-name", "two-countries", "another-party", "sentence-adjective",
        "no-such-party"])
def test_parties_named_by_their_members(text: str, countries: set[str], expected: set[str]) -> None:
    assert parties(text, [], countries, KNOWN_PARTIES) == expected


def test_a_member_word_inside_another_name_names_no_party() -> None:
    text = "troops of the Democratic Republic of Congo"
    inside = Mention("LOC", text.index("Democratic"), len(text), "Democratic Republic of Congo")
    assert parties(text, [inside], {"United States"}, KNOWN_PARTIES) == set()


def _one(label: str, name: str) -> Entity:
    return Entity(label, name, [Mention(label, 0, len(name), name)])


def test_a_city_read_as_an_organisation_is_the_place(vocab) -> None:
    tashkent = _one("ORG", "Tashkent")
    assert decide(tashkent, vocab, {"Uzbekistan"}, 0) == ("places", "Tashkent", True)
    assert decide(tashkent, vocab, {"Uzbekistan"}, 0, sport=True).kind == "organizations"  # a club
    assert decide(tashkent, vocab, set(), 0).kind == "organizations"  # no country of it in the story
    cued = Entity("ORG", "Tashkent", [Mention("ORG", 0, 8, "Tashkent", cued=True)])
    assert decide(cued, vocab, {"Uzbekistan"}, 0).kind == "organizations"  # "the official newspaper Tashkent"


@pytest.mark.parametrize("name", ["Central Asian", "South Korean"])
def test_an_adjective_phrase_is_no_organisation(vocab, name: str) -> None:
    assert decide(_one("ORG", name), vocab, set(), 0) is None


@pytest.mark.parametrize(("text", "countries", "expected"), [
    ("threatened to kill Rep. Ilhan Omar (D-Minn.), the office said", {"United States"},
     {"Democratic Party (United States)"}),
    ("including a career Army officer who described", {"United States", "Ukraine"}, {"United States Army"}),
    ("enough to swing Parliament against the idea", {"Canada"}, {"Parliament of Canada"}),
    ("the Red Army marched", {"United States"}, set()),
    ("Army Corps engineers", {"United States"}, set()),
], ids=["affiliation", "army", "parliament", "another-army", "longer-name"])
def test_institutions_named_by_one_word(text: str, countries: set[str], expected: set[str]) -> None:
    known = KNOWN_PARTIES | {"United States Army", "Parliament of Canada"}
    assert parties(text, [], countries, known) == expected


DESCRIBED_ORGS = """\
- name: Ministry of Foreign Affairs (Russia)
  type: organization
  country: Russia
  aliases: [Russian foreign ministry]
- name: Legislative Council of Hong Kong
  type: organization
  aliases: [Hong Kong Legislative Council]
- name: United Nations High Commissioner for Refugees
  type: organization
  aliases: [UN refugee agency]
- name: United Nations
  type: organization
  aliases: [UN]
"""


@pytest.fixture(scope="module")
def described_vocab(tmp_path_factory):
    root = tmp_path_factory.mktemp("described")
    (root / "organizations.yaml").write_text(DESCRIBED_ORGS, encoding="utf-8")
    return load_vocabulary(root)


@pytest.mark.parametrize(("text", "org"), [
    ("Russia's foreign ministry said it viewed the move as a mistake.", "Ministry of Foreign Affairs (Russia)"),
    ("the former head of Hong Kong's legislative council was allowed in.", "Legislative Council of Hong Kong"),
], ids=["country-adjective", "country-name-capitalised"])
def test_a_country_possessive_names_its_institution(described_vocab, text: str, org: str) -> None:
    assert org in tag("", text, described_vocab).organizations


def test_a_name_inside_a_known_description_is_that_description(described_vocab) -> None:
    tags = tag("", "Attacks hit the Supreme Court and the office of the UN refugee agency in Algiers.", described_vocab)
    assert "United Nations High Commissioner for Refugees" in tags.organizations
    assert "United Nations" not in tags.organizations


def test_a_possessive_after_a_sentence_opening_word(described_vocab) -> None:
    assert "Ministry of Foreign Affairs (Russia)" in tag("", "In Russia's foreign ministry, nobody spoke.",
                                                          described_vocab).organizations
