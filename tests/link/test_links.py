"""links: related briefings, entity identity, backlinks, date neighbours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from build_tools.link.links import (
    ANCHORED,
    LATE_PENALTY,
    LEAD_ANCHORED,
    RELATED_FALLBACK,
    RELATED_SHOWN,
    TIME_FLOOR,
    UNANCHORED,
    UNDATED_CLOSENESS,
    implied_countries,
    lead_anchors,
    link_archive,
    related_candidates,
    time_factor,
)
from build_tools.model import Briefing, Tags
from build_tools.store.archive import Archive
from build_tools.tag.geography import load_geography

REPO = Path(__file__).resolve().parents[2]


def day(n: int) -> dt.datetime:
    return dt.datetime(2021, 7, 1, tzinfo=dt.UTC) + dt.timedelta(days=n)


def make(bid: str, when: int | None, countries: list[str], people: list[str] | None = None, body: str = "",
         title: str | None = None, **kw: object) -> Briefing:
    date = day(when) if when is not None else None
    folder = f"{date:%Y/%m}" if date else "undated"
    return Briefing(path=Path(f"{folder}/{bid}.md"), id=bid, title=title or f"Briefing {bid}", date=date,
                    body=body or f"Text of {bid}.", tags=Tags(countries=countries, people=people or []), **kw)  # type: ignore[arg-type]


def archive_of(*briefings: Briefing) -> Archive:
    a = Archive()
    for b in briefings:
        a.briefings.append(b)
        a.by_id[b.id] = b
    return a


AFGHAN = "Taliban fighters advance on the Afghan border; Tajik reservists called up near Khatlon."
OIL = "Oil prices fell as OPEC delegates met in Vienna to discuss output quotas."


@pytest.fixture
def archive() -> Archive:
    return archive_of(
        make("a1", 0, ["Tajikistan", "Afghanistan"], ["Emomali Rahmon"], AFGHAN),
        make("a2", 10, ["Tajikistan", "Afghanistan", "Uzbekistan"], [], AFGHAN + " Drills with Uzbekistan."),
        make("a3", 20, ["Tajikistan", "Afghanistan"], ["Emomali Rahmon"], AFGHAN + " Rahmon spoke."),
        make("o1", 5, ["Saudi Arabia"], [], OIL),
        make("o2", 9, ["Saudi Arabia"], [], OIL + " Brent sank."),
    )


def test_related_links_prefer_shared_entities_and_say_why(archive: Archive) -> None:
    links = link_archive(archive, load_geography(None))  # 'Afghan', 'Tajik' name their countries
    related = links.related["a1"]
    assert [r.id for r in related] == ["a3", "a2"]
    assert related[0].reason() == "shares: Emomali Rahmon, Afghanistan, Tajikistan"
    assert all(len(v) <= RELATED_SHOWN for v in links.related.values())
    assert [r.reason() for r in links.related["o1"]] == ["shares: Saudi Arabia (loosely related)"]


PASSING = "Officials met for a second day of talks on quotas and prices, with no deal in sight before the weekend. Tajikistan also attended."


@pytest.fixture
def tiers() -> Archive:
    """t0's candidates: t1 and t2 name Tajikistan (or Rahmon) in their lead like t0 does; p1 shares
    more tags with t0 but names Tajikistan only in passing; late is the same story 200 days on."""
    def shared(b: Briefing) -> Briefing:
        b.tags.organizations = ["Collective Security Treaty Organization"]
        b.tags.topics = ["defence", "borders"]
        return b

    return archive_of(
        shared(make("t0", 0, ["Tajikistan"], ["Emomali Rahmon"], "Dushanbe - President Emomali Rahmon called up reservists.",
                    title="Tajikistan calls up reservists")),
        make("t1", 10, ["Tajikistan", "Uzbekistan"], [], "Tashkent - Joint drills.",
             title="Tajikistan and Uzbekistan stage drills"),
        make("t2", 20, ["Tajikistan"], ["Emomali Rahmon"], "Dushanbe - He will not recognise it.",
             title="Rahmon rejects Taliban government"),
        shared(make("p1", 5, ["Tajikistan", "Austria"], ["Emomali Rahmon"], PASSING,
                    title="Oil ministers meet in Vienna")),
        shared(make("late", 200, ["Tajikistan"], ["Emomali Rahmon"], "Dushanbe - Reservists called up again.",
                    title="Tajikistan calls up reservists again")),
        make("lonely", 3, ["Peru"], [], "Lima - The central bank held rates.", title="Peru holds rates"),
        make("peru2", 4, ["Chile"], [], "Santiago - Copper output rose. Peru was not mentioned in the lead of this story.",
             title="Chile copper output rises"),
    )


def test_related_needs_a_country_or_person_named_in_both_leads_within_60_days(tiers: Archive) -> None:
    ordered = tiers.oldest_first()
    cands = related_candidates(ordered, None)
    scores = {ordered[c.pos].id: c for c in cands.best[ordered.index(tiers.by_id["t0"])]}
    assert scores["p1"].score > scores["t1"].score  # more shared tags, yet ranked lower:
    assert (scores["t2"].tier, scores["t1"].tier, scores["p1"].tier, scores["late"].tier) == (
        LEAD_ANCHORED, LEAD_ANCHORED, ANCHORED, UNANCHORED)
    related = link_archive(tiers).related
    assert [r.id for r in related["t0"]] == ["t2", "t1"]
    assert related["t0"][0].reason() == "shares: Emomali Rahmon, Tajikistan"


def test_a_briefing_with_no_lead_anchored_candidate_gets_one_marked_fallback(tiers: Archive) -> None:
    related = link_archive(tiers).related["lonely"]
    assert len(related) == RELATED_FALLBACK == 1
    assert related[0].id == "peru2" and not related[0].anchored
    assert related[0].reason().endswith("(loosely related)")


def test_the_lead_names_countries_by_alias_and_by_dateline_place() -> None:
    b = make("us", 0, ["United States", "Japan"], [], "WASHINGTON, March 2 - A senior Treasury official warned "
             "that inflation could return. " + "He spoke at length. " * 5 + "Japan's prices fell.",
             title="U.S. TREASURY AIDE WARNS ON INFLATION")
    b.tags.places = ["Washington, D.C."]
    assert lead_anchors(b, load_geography(None)) == {"countries:united-states"}  # Japan only in passing
    assert lead_anchors(b, None) == set()  # no gazetteer: 'U.S.' is not 'United States'
    la = make("la", 0, [], [], "LOS ANGELES, Feb 26 - BankAmerica Corp is not under pressure.", title="BANKAMERICA")
    la.tags.places = ["Los Angeles"]
    assert lead_anchors(la, load_geography(None)) == {"countries:united-states"}


def test_time_cuts_a_score_sharply_beyond_60_days() -> None:
    factor = time_factor(np.array([0.0, 30.0, 60.0, 61.0, np.nan], dtype=np.float32))
    assert factor[0] == pytest.approx(1.0) and factor[0] > factor[1] > factor[2]
    assert factor[3] == pytest.approx(factor[2] * LATE_PENALTY, rel=0.05)
    assert factor[4] == pytest.approx(TIME_FLOOR + (1 - TIME_FLOOR) * UNDATED_CLOSENESS)


def test_pins_come_first_and_exclusions_never_show(archive: Archive) -> None:
    archive.by_id["a1"].related_pin = ["o2"]
    archive.by_id["a1"].related_exclude = ["a3"]
    related = link_archive(archive).related["a1"]
    assert related[0].id == "o2" and related[0].reason() == "chosen by the editors"
    assert "a3" not in [r.id for r in related]


def test_unknown_pin_is_a_warning_naming_the_file(archive: Archive) -> None:
    archive.by_id["a1"].related_pin = ["nope"]
    links = link_archive(archive)
    assert links.warnings == ["briefings/2021/07/a1.md: related_pin 'nope' is not the id of any briefing; "
                              "fix or remove it"]


def test_entity_spellings_that_share_a_slug_are_reported_naming_both() -> None:
    a = archive_of(make("x1", 0, [], body="a"), make("x2", 1, [], body="b"))
    a.by_id["x1"].tags.organizations = ["ACME Corp."]
    a.by_id["x2"].tags.organizations = ["Acme Corp"]
    links = link_archive(a)
    assert len(links.warnings) == 1
    assert "'ACME Corp.'" in links.warnings[0] and "'Acme Corp'" in links.warnings[0]
    assert "organizations/acme-corp.md" in links.warnings[0]
    assert [e.slug for e in links.entities["organizations"].values()] == ["acme-corp"]
    assert len(links.entities["organizations"]["acme-corp"].briefings) == 2


def test_backlinks_list_briefings_that_link_by_hand(archive: Archive) -> None:
    archive.by_id["a3"].body += "\n\nSee [the call-up](a1.md) and [nothing](../09/missing.md)."
    links = link_archive(archive)
    assert [b.id for b in links.backlinks["a1"]] == ["a3"]
    assert any("missing.md" in w for w in links.warnings)


def test_previous_and_next_follow_date_order(archive: Archive) -> None:
    links = link_archive(archive)
    assert links.previous["o1"].id == "a1" and links.following["o1"].id == "o2"
    assert "a1" not in links.previous and "a3" not in links.following


def test_an_empty_or_single_archive_links_without_error() -> None:
    assert link_archive(Archive()).related == {}
    assert link_archive(archive_of(make("s", None, []))).related == {"s": []}


def test_people_imply_their_country_through_the_vocabulary() -> None:
    """A briefing naming only a person relates to one naming only that person's country: the
    vocabulary's ``country`` of people.yaml reaches the related score (lost once, unnoticed)."""
    geography = load_geography(REPO / "vocabulary")
    assert geography("people", "Richard Nixon") == "United States"
    assert geography("places", "Kabul") == "Afghanistan"
    nixon = make("n1", 0, [], people=["Richard Nixon"])
    usa = make("u1", 3, ["United States"])
    other = make("o1", 3, ["Japan"])
    archive = Archive([nixon, usa, other])
    assert implied_countries(nixon, geography) == {"countries:united-states": "United States"}
    related = [r.id for r in link_archive(archive, geography).related["n1"]]
    assert related[:1] == ["u1"]
    assert implied_countries(nixon, load_geography(None)) == {}
