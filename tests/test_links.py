"""links: related briefings, entity identity, backlinks, stories, date neighbours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.archive import Archive
from build_tools.links import RELATED_SHOWN, STORY_MIN_BRIEFINGS, link_archive, month_span
from build_tools.model import Briefing, Tags


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
    links = link_archive(archive)
    related = links.related["a1"]
    assert [r.id for r in related[:2]] == ["a3", "a2"]
    assert related[0].reason() == "shares: Emomali Rahmon, Afghanistan, Tajikistan"
    assert all(len(v) <= RELATED_SHOWN for v in links.related.values())
    assert "o1" not in [r.id for r in related[:2]]


def test_related_links_are_deterministic(archive: Archive) -> None:
    assert link_archive(archive).related == link_archive(archive).related


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


def test_story_threads_group_close_strongly_related_briefings(archive: Archive) -> None:
    links = link_archive(archive)
    assert len(links.stories) == 1
    story = links.stories[0]
    assert [b.id for b in story.members] == ["a1", "a2", "a3"]
    assert len(story.members) >= STORY_MIN_BRIEFINGS
    assert story.name == "Afghanistan, Emomali Rahmon, Tajikistan — Jul 2021"
    assert story.slug == "afghanistan-emomali-rahmon-tajikistan-2021-07"
    assert links.story_of["a2"] is story and "o1" not in links.story_of


def test_previous_and_next_follow_date_order(archive: Archive) -> None:
    links = link_archive(archive)
    assert links.previous["o1"].id == "a1" and links.following["o1"].id == "o2"
    assert "a1" not in links.previous and "a3" not in links.following


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 7, 30), "Jul 2021"),
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 9, 1), "Jul–Sep 2021"),
    (dt.datetime(2020, 12, 3), dt.datetime(2021, 1, 1), "Dec 2020–Jan 2021"),
], ids=["one-month", "same-year", "across-years"])
def test_month_span(first: dt.datetime, last: dt.datetime, expected: str) -> None:
    assert month_span(first, last) == expected


def test_an_empty_or_single_archive_links_without_error() -> None:
    assert link_archive(Archive()).related == {}
    assert link_archive(archive_of(make("s", None, []))).related == {"s": []}
