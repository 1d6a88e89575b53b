"""stories: event threads (greedy assignment of a learned merge decision), names, slugs, summaries."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from build_tools.link import thread_pairs
from build_tools.link.links import link_archive
from build_tools.link.stories import (
    ThreadModel,
    ThreadState,
    find_stories,
    month_span,
    shipped_model,
    story_name,
    story_slug,
    thread_stories,
)
from build_tools.link.thread_assign import assign
from build_tools.store.archive import Archive
from tests.link.test_links import archive_of, make

BID = "NEW YORK, March {d} - Trans World Airlines Inc said it {what} its takeover bid for USAir Group, the airline."
GRAIN = "CHICAGO, March {d} - Grain analysts said {what} wheat futures closed lower on the Chicago Board of Trade."


@pytest.fixture
def wires() -> Archive:
    def w(bid: str, d: int, title: str, body: str, orgs: list[str]) -> object:
        b = make(bid, d, ["United States"], [], body, title=title)
        b.tags.organizations = orgs
        b.outlet = "Reuters"
        return b
    return archive_of(
        w("t1", 3, "TWA <TWA> MAKES BID FOR USAIR <U>", BID.format(d=4, what="made"), ["Trans World Airlines", "USAir"]),
        w("g1", 3, "GRAIN FUTURES CLOSE LOWER", GRAIN.format(d=4, what="spring"), []),
        w("t2", 4, "USAIR <U> REJECTS TWA <TWA> BID", BID.format(d=5, what="will pursue"), ["Trans World Airlines", "USAir"]),
        w("t3", 6, "TWA <TWA> SUES USAIR <U> OVER BID", BID.format(d=7, what="sued to protect"), ["Trans World Airlines", "USAir"]),
        w("x1", 6, "JAPAN CAR SALES RISE IN FEBRUARY", "TOKYO, March 7 - Japanese car sales rose in February, dealers said.", []),
    )


def test_one_developing_story_is_one_thread_and_unrelated_briefings_stay_out(wires: Archive) -> None:
    stories = find_stories(wires.oldest_first())
    assert [[b.id for b in s.members] for s in stories] == [["t1", "t2", "t3"]]
    story = stories[0]
    assert story.slug == "twa-makes-bid-for-usair-2021-07"
    assert story.organizations == ["Trans World Airlines", "USAir"] and story.outlets == ["Reuters"]
    assert link_archive(wires).story_of["t2"].slug == story.slug


def test_a_thread_is_named_by_a_headline_never_by_a_list_of_tags(wires: Archive) -> None:
    story = find_stories(wires.oldest_first())[0]
    assert story.central is not None and story.name == story_name(story.central.title, story.central.body)
    assert story.name.startswith(("TWA", "USAir")) and ", " not in story.name


def test_the_summary_is_two_sentences_ending_with_the_span_and_latest_headline(wires: Archive) -> None:
    summary = find_stories(wires.oldest_first())[0].summary
    assert summary.count(". ") == 1 and "3 briefings from 4 July 2021 to 7 July 2021" in summary
    assert summary.endswith("“TWA sues USAir over bid”.")


def test_the_slug_stays_when_a_later_briefing_joins(wires: Archive) -> None:
    before = find_stories(wires.oldest_first())[0].slug
    later = make("t4", 9, ["United States"], [], BID.format(d=10, what="raised"), title="TWA <TWA> RAISES USAIR <U> BID")
    later.tags.organizations = ["Trans World Airlines", "USAir"]
    after = find_stories([*wires.oldest_first(), later])
    assert [s.slug for s in after] == [before] and after[0].members[-1].id == "t4"


@pytest.mark.parametrize(("headline", "body", "expected"), [
    ("BRAZIL'S FUNARO WINS FEW PROMISES ON EUROPE TRIP", "Minister Dilson Funaro of Brazil toured Europe.",
     "Brazil's Funaro wins few promises on Europe trip"),
    ("TWA <TWA> SUES USAIR <U> OVER POISON PILL", "said Trans World Airlines, suing USAir Group.",
     "TWA sues USAir over poison pill"),
    ("OPEC+ rebuffs Biden's call for more oil", "", "OPEC+ rebuffs Biden's call for more oil"),
    ("U.S. SEEKS MAJOR JAPANESE ECONOMIC CHANGE", "", "U.S. seeks major japanese economic change"),
    ("Talks " + "resume " * 20, "", "Talks" + " resume" * 10 + "…"),
], ids=["cased-as-body", "tickers-dropped", "mixed-case-kept", "acronym-kept", "cut-at-a-word"])
def test_story_name(headline: str, body: str, expected: str) -> None:
    assert story_name(headline, body) == expected


def test_the_slug_comes_from_the_first_briefing_headline_and_month() -> None:
    assert story_slug(make("s", 3, [], title="TWA <TWA> MAKES BID FOR USAIR <U>")) == "twa-makes-bid-for-usair-2021-07"
    assert story_slug(make("s", None, [], title="Talks resume")) == "talks-resume"


def test_greedy_assignment_joins_the_most_probable_earlier_partner_above_the_threshold() -> None:
    pairs = thread_pairs.Pairs(later=np.array([1, 2, 2, 3]), earlier=np.array([0, 0, 1, 2]), x=np.zeros((4, 8)))
    probability = np.array([0.2, 0.6, 0.9, 0.5])
    assert assign(4, pairs, probability, 0.5) == [0, 1, 1, 1]
    assert assign(4, pairs, probability, 0.95) == [0, 1, 2, 3]


def test_the_shipped_model_declares_its_features_and_a_threshold() -> None:
    model = shipped_model()
    assert model.features == thread_pairs.FEATURES and 0 < model.threshold < 1
    assert ThreadModel.from_json(model.as_json("x")) == model


def test_a_model_for_other_features_is_refused_with_how_to_fix() -> None:
    data = json.loads(shipped_model().as_json())
    data["features"] = ["title"]
    with pytest.raises(ValueError, match="retrain with python -m quality.train_threads"):
        ThreadModel.from_json(json.dumps(data))


def test_an_empty_or_single_archive_has_no_story() -> None:
    assert find_stories([]) == [] and find_stories([make("s", 1, [])]) == []


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 7, 30), "Jul 2021"),
    (dt.datetime(2021, 7, 3), dt.datetime(2021, 9, 1), "Jul–Sep 2021"),
    (dt.datetime(2020, 12, 3), dt.datetime(2021, 1, 1), "Dec 2020–Jan 2021"),
], ids=["one-month", "same-year", "across-years"])
def test_month_span(first: dt.datetime, last: dt.datetime, expected: str) -> None:
    assert month_span(first, last) == expected


def pinned(b: object, **front: object) -> object:
    for k, v in front.items():
        setattr(b, k, v)
    b.key_lines = {k: 7 for k in front}  # type: ignore[attr-defined]
    return b


def test_an_editor_pins_a_briefing_into_a_story_and_merges_two(wires: Archive) -> None:
    ordered = wires.oldest_first()
    pinned(next(b for b in ordered if b.id == "g1"), thread="t2")
    stories = find_stories(ordered)
    assert [[b.id for b in s.members] for s in stories] == [["g1", "t1", "t2", "t3"]]


def test_an_editor_keeps_a_briefing_out_of_every_story(wires: Archive) -> None:
    ordered = wires.oldest_first()
    pinned(next(b for b in ordered if b.id == "t2"), thread="none")
    assert [[b.id for b in s.members] for s in find_stories(ordered)] == [["t1", "t3"]]


def test_an_editor_renames_a_story_and_its_slug_stays(wires: Archive) -> None:
    ordered = wires.oldest_first()
    pinned(next(b for b in ordered if b.id == "t3"), thread_name="The battle for USAir")
    (story,) = find_stories(ordered)
    assert story.name == "The battle for USAir" and story.slug == "twa-makes-bid-for-usair-2021-07"


@pytest.mark.parametrize(("front", "message"), [
    ({"thread": "nosuchid"}, "briefings/2021/07/x1.md:7: thread 'nosuchid' is not the id of any briefing"),
    ({"thread": "x1"}, "briefings/2021/07/x1.md:7: thread 'x1' is this briefing's own id"),
    ({"thread_name": "Cars"}, "briefings/2021/07/x1.md:7: thread_name 'Cars' has no effect"),
], ids=["unknown-id", "own-id", "name-without-story"])
def test_bad_editor_choices_are_warnings_with_file_and_line(wires: Archive, front: dict[str, str], message: str) -> None:
    ordered = wires.oldest_first()
    pinned(next(b for b in ordered if b.id == "x1"), **front)
    warnings: list[str] = []
    find_stories(ordered, warnings=warnings)
    assert len(warnings) == 1 and warnings[0].startswith(message)


def members(stories: list[object]) -> list[list[str]]:
    return [[b.id for b in s.members] for s in stories]  # type: ignore[attr-defined]


def usair(bid: str, d: int, title: str, what: str) -> object:
    b = make(bid, d, ["United States"], [], BID.format(d=d + 1, what=what), title=title)
    b.tags.organizations = ["Trans World Airlines", "USAir"]
    b.outlet = "Reuters"
    return b


def test_an_appended_briefing_is_decided_alone_and_equals_a_full_run(wires: Archive) -> None:
    before = thread_stories(wires.oldest_first())
    grown = [*wires.oldest_first(), usair("t4", 9, "TWA <TWA> RAISES USAIR <U> BID", "raised")]
    full = thread_stories(grown)
    step = thread_stories(grown, previous=ThreadState.from_json(before.state.as_json()))
    assert members(step.stories) == members(full.stories) == [["t1", "t2", "t3", "t4"]]
    assert [(s.slug, s.name, s.summary) for s in step.stories] == [(s.slug, s.name, s.summary) for s in full.stories]
    assert step.state == full.state and step.state.thread_of["t4"] == "t1"


def test_kept_briefings_are_not_decided_again() -> None:
    """The state's threads are kept as they are (even ones a full run would not make): only new
    and edited briefings are decided."""
    a, b = make("a", 1, [], body="TOKYO - Car sales rose."), make("b", 2, [], body="OSLO - Fish exports fell.")
    state = thread_stories([a, b]).state
    assert members(thread_stories([a, b]).stories) == []
    state.thread_of["b"] = "a"
    assert members(thread_stories([a, b], previous=state).stories) == [["a", "b"]]
    state.model = "another model"
    assert members(thread_stories([a, b], previous=state).stories) == []


def test_an_edited_briefing_leaves_its_thread_and_draws_a_later_one_as_a_full_run_does(wires: Archive) -> None:
    state = thread_stories(wires.oldest_first()).state
    edited = wires.oldest_first()
    t2 = next(b for b in edited if b.id == "t2")
    t2.title, t2.body = "JAPAN TRUCK SALES RISE", "TOKYO, March 5 - Japanese truck sales rose in February, dealers said."
    t2.tags.organizations = []
    step = thread_stories(edited, previous=state)
    assert members(step.stories) == members(thread_stories(edited).stories) == [["t1", "t3"], ["t2", "x1"]]
    assert step.state.thread_of["t2"] == "t2" and step.state.thread_of["x1"] == "t2"


def test_a_new_briefing_starts_a_thread_with_an_unthreaded_one(wires: Archive) -> None:
    state = thread_stories(wires.oldest_first()).state
    grown = [*wires.oldest_first(), make("x2", 8, [], body="TOKYO, March 9 - Japanese car sales rose in February, "
                                                             "dealers said, as the Japan car sales boom went on.",
                                         title="JAPAN CAR SALES RISE IN FEBRUARY, DEALERS SAY")]
    step = thread_stories(grown, previous=state)
    assert members(step.stories) == members(thread_stories(grown).stories) == [["t1", "t2", "t3"], ["x1", "x2"]]
