"""Front matter is written by a real YAML emitter: awkward titles round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.model import Article, InputKind
from build_tools.store import briefing

AWKWARD_TITLES = [
    'Oil: "Buy the dip" says OPEC delegate',
    "Gas prices become Europe's #1 political headache",
    "yes",
    "No",
    "null",
    "--- a leading document marker",
    "!!python/object:os.system",
    "{not: a mapping}",
    "[not, a, list]",
    "Title with 'single' and \"double\" quotes: and a colon",
    "1987",
    "*alias",
    "&anchor title",
    "% percent at the start",
    "@at sign",
    "Tab\tinside",
]


@pytest.mark.parametrize("title", AWKWARD_TITLES, ids=range(len(AWKWARD_TITLES)))
def test_title_round_trips(title: str) -> None:
    article = Article(source="x.txt", kind=InputKind.TEXT, text="", input_hash="ab" * 32, title=title,
                      body=["One paragraph."])
    text = briefing.render(briefing.front_matter(article, []), briefing.article_body(article))
    parsed, errors, _ = briefing.parse(text, Path("x.md"))
    assert errors == []
    assert parsed is not None
    assert parsed.title == title


def test_written_briefing_is_not_hand_edited_until_changed() -> None:
    article = Article(source="x.txt", kind=InputKind.TEXT, text="", input_hash="cd" * 32, title="T",
                      body=["Para."])
    text = briefing.render(briefing.front_matter(article, []), briefing.article_body(article))
    assert not briefing.is_hand_edited(text)
    assert briefing.is_hand_edited(text.replace("Para.", "Para, edited."))
