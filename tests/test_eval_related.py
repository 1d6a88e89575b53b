"""The related-briefings quality gate, on a sample of Reuters-21578 (marked corpus)."""

from __future__ import annotations

import pytest

from build_tools.eval_related import FLOOR, evaluate, main

from .conftest import require_shared

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_related_links_on_a_reuters_sample_clear_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    assert main([str(raw), "--limit", "200"]) == 0
    out = capsys.readouterr().out
    assert "good (both): " in out and f"floor {FLOOR:.0%}" in out


def test_every_briefing_of_a_small_sample_is_scored() -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    score = evaluate(raw, limit=40)
    assert score.links > 0 and score.close == score.links
