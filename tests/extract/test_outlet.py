"""The outlet stage: names cleaned of copyright furniture, matched to their site, one spelling each."""

from __future__ import annotations

import pytest

from build_tools.extract import outlet


@pytest.mark.parametrize(("raw", "expected"), [
    ("© 2019 The Paradigm", "The Paradigm"),
    ("Copyright Gannett 2018", "Gannett"),
    ("Hearst Communications,", "Hearst Communications"),
    ("© 2021 The Daily Ledger Ltd. All rights reserved.", "The Daily Ledger"),
    ("Copyright © 2019, Los Angeles Times | Terms of Service | Privacy Policy", "Los Angeles Times"),
    ("© MMVIII, CBS Interactive Inc. All Rights Reserved.", "CBS Interactive"),
    ("© 2022 Rhein-Neckar Löwen GmbH", "Rhein-Neckar Löwen"),
    ("Copyright © 2010 AUTORACING. Todos os direitos reservados.", "AUTORACING"),
    ("ABC News (Australian Broadcasting Corporation)", "ABC News"),
    ("Policy", None),
    ("© 2019 | Privacy Policy | Terms", None),
    ("Copyright", None),
    ("all content on this site is ours and may not be copied", None),
], ids=lambda v: str(v)[:30])
def test_clean_outlet(raw: str, expected: str | None) -> None:
    assert outlet.clean_outlet(raw) == expected


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("The New York Times", "https://www.nytimes.com/2019/a.html", True),
    ("The Sports Network", "http://www.tsn.ca/nhl/story", True),
    ("Goal.com", "http://www.goal.com/en/news", True),
    ("Gannett", "https://eu.usatoday.com/story", False),
    ("Hearst Communications", "https://www.sfgate.com/news", False),
], ids=["initials-and-word", "initials", "domain", "parent-company", "publisher"])
def test_names_site(name: str, url: str, expected: bool) -> None:
    assert outlet.names_site(name, outlet.site_keys(url)) is expected


def test_page_outlet_prefers_the_site_naming_itself_and_skips_agencies() -> None:
    lines = ["Headline", "Text.", "Follow Newsbeat on Instagram, Facebook and Twitter.", "© 2019 Parent Group Inc."]
    assert outlet.page_outlet(lines, lambda n: False) == "Newsbeat"
    wire = ["Headline", "Text.", "Subscribe to Daily Ledger", "© 2019 The Associated Press. All rights reserved.",
            "© 2019 Daily Ledger"]
    assert outlet.page_outlet(wire, lambda n: "Press" in n) == "Daily Ledger"


@pytest.mark.parametrize(("lines", "expected"), [
    (["Headline", "Text.", "© 2019 The Paradigm"], None),
    (["Headline", "Text.", "Read more at theparadigm.com", "© 2019 The Paradigm"], "The Paradigm"),
    (["The Paradigm", "Headline", "Text.", "© 2019 The Paradigm. All rights reserved."], "The Paradigm"),
    (["Headline", "Text.", "Subscribe to The Paradigm", "© 2019 The Paradigm"], "The Paradigm"),
    (["Headline", "Text.", "© 2019 Parent Holdings, theparadigm.com"], None),
    (["Headline", "Text.", "Visit example.com", "© 2019 Parent Group"], None),
    (["Headline", "Text.", "The Balance is part of the Dotdash Meredith publishing family."], "The Balance"),
    (["Headline", "Text.", "Reproduction prohibited without written consent from PittsburghLIVE."], "PittsburghLIVE"),
], ids=["copyright-alone", "copyright-and-domain", "first-line-and-copyright", "subscribe-and-copyright",
        "one-line-is-one-cue", "disagreeing-cues", "owner-sentence", "consent"])
def test_an_outlet_needs_agreeing_self_references(lines: list[str], expected: str | None) -> None:
    assert outlet.page_outlet(lines, lambda n: False) == expected


def test_outlet_names_map_spellings_and_hosts_to_one_name() -> None:
    names = outlet.outlet_names([{"name": "Meridian News", "spellings": ["Meridian"], "hosts": ["meridian.example.com"]}])
    assert names.name("Meridian") == "Meridian News"
    assert names.name("MERIDIAN") == "Meridian News"
    assert names.name("Someone Else", "https://www.meridian.example.com/a") == "Meridian News"
    assert names.name("Other Outlet") == "Other Outlet"


def test_outlet_names_report_every_conflict() -> None:
    with pytest.raises(outlet.OutletsError) as err:
        outlet.outlet_names([{"name": "A News", "spellings": ["Same"]}, {"name": "B News", "spellings": ["Same"]},
                             {"spellings": ["x"]}])
    assert "'Same' is a spelling of both A News and B News" in str(err.value)
    assert "entry 3 has no name" in str(err.value)


@pytest.mark.parametrize(("name", "expected"), [
    ("The Paradigm", True),
    ("Hearst Communications", False),
    ("Vox Media", False),
    ("The Associated Press", False),
    ("Anna Schäffer", False),
    ("Bild: WERK/Christian Houdek", False),
    (None, False),
], ids=["site", "parent-communications", "parent-media", "agency", "person", "picture-credit", "none"])
def test_plausible_outlet(name: str | None, expected: bool) -> None:
    assert outlet.plausible_outlet(name, lambda n: n == "Associated Press", lambda n: n == "Anna Schäffer") is expected


@pytest.mark.parametrize(("line", "name"), [("Welcome to The Points Guy!", "The Points Guy"),
                                            ("Originally published on Live Science.", "Live Science")],
                         ids=["welcome", "originally-published"])
def test_a_site_naming_itself(line: str, name: str) -> None:
    assert outlet.page_outlet(["Headline", "Text.", line], lambda n: False) == name


def test_an_outlet_zone_places_local_times() -> None:
    import datetime as dt

    from build_tools.extract.dates import LOCAL
    from build_tools.process import local_date

    names = outlet.outlet_names([{"name": "Meridian News", "zone": "Asia/Kolkata"}])
    zone = names.local_zone("Meridian News")
    when = local_date(dt.datetime(2021, 7, 23, 18, 12, tzinfo=LOCAL), zone)
    assert when is not None and when.isoformat() == "2021-07-23T18:12:00+05:30"
    printed = dt.datetime(2021, 7, 23, 18, 12, tzinfo=dt.UTC)
    assert local_date(printed, zone) == printed  # a printed zone is never replaced
    assert names.local_zone("Other") is None


def test_a_bad_zone_is_reported() -> None:
    with pytest.raises(outlet.OutletsError, match="not a time zone name"):
        outlet.outlet_names([{"name": "A News", "zone": "Mars/Olympus"}])


def test_a_claimed_outlet_needs_no_second_reference_but_an_agreed_one_does() -> None:
    lines = ["Headline", "Text.", "© 2019 The Paradigm"]
    refs = outlet.self_references(lines, lambda n: False, lambda n: False)
    assert outlet.claimed_outlet(refs) == "The Paradigm"
    assert outlet.agreed_outlet(refs) is None
