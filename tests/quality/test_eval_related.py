"""The related-briefings quality gate, on a sample of Reuters-21578 (marked corpus)."""

from __future__ import annotations

import pytest

from quality import gate
from quality.eval_related import (
    BASELINE,
    GATE_LIMIT,
    HELD_OUT,
    TARGET,
    Score,
    dateline_places,
    default_baseline,
    evaluate,
    figures,
    main,
)
from tests.conftest import require_shared


@pytest.mark.corpus
@pytest.mark.slow
def test_related_links_on_a_reuters_sample_hold_the_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    assert main([str(raw), "--limit", str(GATE_LIMIT)]) == 0
    out = capsys.readouterr().out
    assert f"target {TARGET:.0%}; CALIBRATED)" in out and f"target {TARGET:.0%}; CALIBRATED before issue 10)" in out
    assert "good by our tags (countries, people): " in out and "not pinned" not in out
    assert f"== {HELD_OUT} (CALIBRATED before issue 10: " in out


def test_the_pinned_share_meets_the_issue_target() -> None:
    pinned = gate.Baseline.load(BASELINE).figures
    assert pinned["related"]["good_share"] >= TARGET
    assert set(pinned) == {"related", HELD_OUT}


@pytest.mark.corpus
@pytest.mark.slow
def test_every_briefing_of_a_small_sample_is_scored() -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    scores = evaluate(raw, limit=40)
    score, held = scores["related"], scores[HELD_OUT]
    assert score.links > 0 and score.close == score.links
    assert score.editors_good <= score.good <= score.links
    in_fold = [p for p in sorted(raw.glob("*.txt"))[:40] if gate.fold_of(p.stem) == gate.HELD_OUT_FOLD]
    assert 0 < held.briefings <= len(in_fold) < score.briefings
    assert 0 < held.links < score.links and held.good <= score.good


def test_figures_are_both_truth_shares_per_group() -> None:
    s = Score(briefings=3, with_related=3, links=7, fallback=1, close=7, sharing=6, good=6, editors_good=5, ours_good=7)
    assert figures({"related": s}) == {"related": {"good_share": 0.8571, "editors_good_share": 0.7143}}


@pytest.mark.parametrize(("limit", "name"), [(GATE_LIMIT, BASELINE.name), (40, "related-40.json"),
                                             (None, "related-all.json")], ids=["gate-sample", "other", "all"])
def test_each_sample_has_its_own_baseline(limit: int | None, name: str) -> None:
    assert default_baseline(limit).name == name and default_baseline(limit).parent == BASELINE.parent


@pytest.mark.corpus
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
