"""The hostile corpus's extraction expectations gate: it holds on main, and an expectation that held
and stops holding fails it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quality import eval_hostile, gate
from tests.conftest import require_shared


@pytest.mark.corpus
def test_hostile_extraction_gate_holds(capsys: pytest.CaptureFixture[str]) -> None:
    shared = require_shared("hostile", "raw").parent.parent
    assert eval_hostile.main([str(shared)]) == 0
    out = capsys.readouterr().out
    assert "expectations met" in out


def test_every_pinned_expectation_exists() -> None:
    pinned = gate.Baseline.load(eval_hostile.BASELINE).figures[eval_hostile.GROUP]
    assert set(pinned) == {e.name for e in eval_hostile.EXPECTATIONS} | {"met"}
    assert pinned["met"] == sum(1 for name, v in pinned.items() if name != "met" and v == 1.0)


@pytest.mark.corpus
def test_an_expectation_that_stops_holding_fails_the_gate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    shared = require_shared("hostile", "raw").parent.parent
    pinned = gate.Baseline.load(eval_hostile.BASELINE).figures[eval_hostile.GROUP]
    held = next(name for name, v in pinned.items() if name != "met" and v == 1.0)
    broken = tuple(e if e.name != held else eval_hostile.Expectation(e.name, e.inputs, lambda a, p: False)
                   for e in eval_hostile.EXPECTATIONS)
    monkeypatch.setattr(eval_hostile, "EXPECTATIONS", broken)
    assert eval_hostile.main([str(shared)]) == 1
    assert f"REGRESSION hostile extraction {held}: 0.0000 < pinned 1.0000" in capsys.readouterr().err
