"""The related-briefings quality gate, on a sample of Reuters-21578 (marked corpus)."""

from __future__ import annotations

import pytest

from quality.eval_related import EDITORS_FLOOR, FLOOR, TARGET, dateline_places, evaluate, main
from tests.conftest import require_shared

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_related_links_on_a_reuters_sample_clear_the_floors(capsys: pytest.CaptureFixture[str]) -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    assert main([str(raw), "--limit", "200"]) == 0
    out = capsys.readouterr().out
    assert f"(floor {FLOOR:.0%}, target {TARGET:.0%})" in out and f"(floor {EDITORS_FLOOR:.0%})" in out
    assert "good by our tags (countries, people): " in out


def test_the_floor_meets_the_issue_target() -> None:
    assert FLOOR >= TARGET


def test_every_briefing_of_a_small_sample_is_scored() -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    score = evaluate(raw, limit=40)
    assert score.links > 0 and score.close == score.links
    assert score.editors_good <= score.good <= score.links


@pytest.mark.parametrize(("dateline", "expected"), [
    ("LOS ANGELES, Feb 26 -", {"usa"}),
    ("LONDON, March 2 -", {"uk"}),
    ("BONN, March 3 -", {"west-germany"}),
    ("HONG KONG, March 3 -", {"hong-kong"}),
    ("", set()),
], ids=["us-city", "uk-city", "1987-germany", "reuters-place-itself", "none"])
def test_a_dateline_adds_its_reuters_country(dateline: str, expected: set[str]) -> None:
    require_shared("corpus", "reuters21578", "vocab")
    assert dateline_places(dateline) == expected
