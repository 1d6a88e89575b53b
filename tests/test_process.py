"""One article through the stages: the seed and the sample inbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools.model import Article
from build_tools.process import process
from build_tools.read import sources
from build_tools.store.briefing import iso
from build_tools.store.record import article_record
from tests.conftest import INBOX, require_shared

SEED = "000_f6c71d6e3319c2d1"


def process_file(path: Path) -> list[Article]:
    return [process(a, None) for a in sources.read(path) if isinstance(a, Article)]


@pytest.mark.corpus
def test_seed_matches_its_truth_exactly() -> None:
    seed = require_shared("corpus", "seed")
    truth = json.loads((seed / "truth" / f"{SEED}.json").read_text("utf-8"))
    (a,) = process_file(seed / "raw" / f"{SEED}.txt")
    assert a.title == truth["title"]
    assert iso(a.date) == truth["date"]
    assert a.author == truth["author"]
    assert a.outlet == truth["outlet"]
    assert a.section == truth["section"]
    assert a.summary == truth["summary"]
    assert a.image_credit == truth["image_credit"]
    assert a.sources == truth["sources"]
    assert "\n\n".join(a.body) == truth["body"]
    assert len(a.body) == 11


INBOX_TITLES = {
    "fullpage-style-germany-election-scholz-merkel.txt":
        ("Scholz's SPD narrowly wins German election as Merkel era draws to a close", "The Continental Post",
         "Katrin Vogel", "2021-09-27"),
    "republished-2-fullpage-continental-post-afghan-exodus.txt":
        ("Afghan exodus feared as Tajikistan and Uzbekistan tighten borders, UN agency warns",
         "The Continental Post", None, "2021-08-17"),
    "wire-style-blinken-wang-yi-afghanistan-call.txt":
        ("Blinken, Wang Yi discuss Afghanistan in call as Kabul evacuations continue", "Wire",
         "Daniel Whitcombe, Lin Qiao", "2021-08-19"),
    "meridian-tajikistan-border-troops.txt":
        ("Tajikistan calls up 20,000 reservists to guard Afghan border as Taliban advance", "Meridian",
         "Meridian Web Team", "2021-07-23"),
}


@pytest.mark.parametrize("name", sorted(INBOX_TITLES), ids=sorted(INBOX_TITLES))
def test_sample_inbox_metadata(name: str) -> None:
    title, outlet, author, day = INBOX_TITLES[name]
    (a,) = process_file(INBOX / name)
    assert a.title == title
    assert a.outlet == outlet
    if author is not None:
        assert a.author == author
    assert a.date is not None and a.date.date().isoformat() == day


def test_every_inbox_text_gets_a_headline_and_date() -> None:
    for path in sorted(INBOX.glob("*.txt")):
        (a,) = process_file(path)
        assert a.title and not a.title.lower().startswith(("skip to", "home")), path.name
        assert a.date is not None, path.name
        assert len(a.body) >= 5, path.name


def test_record_has_the_cli_fields(fixtures: Path) -> None:
    (a,) = process_file(fixtures / "raw_with_photo_credit_line.txt")
    record = article_record(a)
    assert record["title"] == a.title
    assert record["image_credit"] == "Harbour Authority"
    assert record["date"] == "2022-03-03T09:15:00+00:00"


def test_sample_outlets_take_their_one_spelling_from_the_vocabulary() -> None:
    from build_tools.tag.entities import load_vocabulary

    vocab = load_vocabulary(INBOX.parent.parent / "vocabulary")
    (a,) = [process(x, vocab) for x in sources.read(INBOX / "meridian-tajikistan-border-troops.txt")
            if isinstance(x, Article)]
    assert a.outlet == "Meridian News"
    assert a.author == "Meridian Web Team"  # the byline as printed; a team, never tagged as a person
    assert "Meridian Web Team" not in a.tags.people


@pytest.mark.parametrize("name", ["wire-style-blinken-wang-yi-afghanistan-call.txt",
                                  "republished-1-wire-unhcr-afghan-exodus-borders.txt"])
def test_wire_credits_are_data_not_body(name: str) -> None:
    (a,) = process_file(INBOX / name)
    assert a.credits and a.credits[0].startswith("Reporting by ")
    assert any(c.startswith("Editing by ") for c in a.credits)
    assert not any("Reporting by" in p or "Editing by" in p for p in a.body)


def test_a_caption_credit_is_the_image_credit_and_leaves_the_body() -> None:
    (a,) = process_file(INBOX / "fullpage-style-germany-election-scholz-merkel.txt")
    assert a.image_credit == "Jonas Richter/Reuters"
    assert not any("Photo: Jonas Richter" in p for p in a.body)


@pytest.mark.parametrize(("site_name", "url", "outlet"), [
    ("The Coastal Gazette", "https://www.coastalgazette.example.com/a", "The Coastal Gazette"),
    ("Harbour Media Group", "https://www.coastalgazette.example.com/a", "coastalgazette.example.com"),
    ("© 2022 The Coastal Gazette. All rights reserved.", None, "The Coastal Gazette"),
], ids=["names-its-host", "parent-company-host-instead", "copyright-line-cleaned"])
def test_html_outlet(site_name: str, url: str | None, outlet: str) -> None:
    from build_tools.model import Given
    from build_tools.process import html_outlet

    assert html_outlet(Given(outlet=site_name, url=url), (), None) == outlet


def test_load_models_leaves_nothing_for_the_first_article_to_load() -> None:
    from build_tools.extract import clean, language
    from build_tools.process import load_models
    from build_tools.tag import names, topics

    for cached in (clean.shipped_models, language.stop_languages, names.load_model, topics.topic_model):
        cached.cache_clear()
    load_models()
    assert all(f.cache_info().currsize == 1
               for f in (clean.shipped_models, language.stop_languages, names.load_model, topics.topic_model))
