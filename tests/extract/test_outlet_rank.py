"""extract/outlet_rank: the references naming one site become one candidate; the shipped ranker
picks a site the page names in several places and gives no outlet on thin evidence."""

from __future__ import annotations

from build_tools.extract import clean, outlet, outlet_rank
from build_tools.extract.outlet import SelfReference

FILLER = [f"Paragraph {n} of the story, a sentence long enough to be article text on any page." for n in range(30)]


def page(*top: str, bottom: tuple[str, ...] = ()) -> list[str]:
    return [*top, "A Headline About Something", *FILLER, *bottom]


def refs_of(lines: list[str]) -> list[SelfReference]:
    return outlet.self_references(lines, lambda name: False, lambda name: False)


def test_a_name_and_its_domain_are_one_candidate() -> None:
    lines = page("The Harbour Ledger", "Home | News | Sport",
                 bottom=("Read more at harbourledger.com", "© 2023 The Harbour Ledger. All rights reserved."))
    found = outlet_rank.candidates(lines, refs_of(lines))
    assert all(len(c.features) == len(outlet_rank.OUTLET_FEATURES) for c in found)
    ledger = [c for c in found if outlet.names_site(c.name, ["harbourledger"])]
    assert len(ledger) == 1 and ledger[0].name == "The Harbour Ledger"
    features = dict(zip(outlet_rank.OUTLET_FEATURES, ledger[0].features, strict=True))
    assert features["cue:copyright"] == features["cue:domain"] == 1.0
    assert features["mentioned near top"] == features["mentioned near bottom"] == 1.0


def test_the_shipped_ranker_picks_the_site_named_in_several_places() -> None:
    model = clean.shipped_models().outlet
    assert model is not None
    lines = page("The Harbour Ledger", "Home | News | Sport", "Subscribe to The Harbour Ledger",
                 bottom=("Follow The Harbour Ledger on Twitter", "Read more at harbourledger.com",
                         "© 2023 The Harbour Ledger. All rights reserved."))
    assert outlet_rank.ranked_outlet(outlet_rank.candidates(lines, refs_of(lines)), model) == "The Harbour Ledger"


def test_no_outlet_from_a_page_that_names_no_site() -> None:
    model = clean.shipped_models().outlet
    assert model is not None
    lines = page()
    assert outlet_rank.ranked_outlet(outlet_rank.candidates(lines, refs_of(lines)), model) is None
