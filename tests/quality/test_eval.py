"""The extraction quality gate: its scoring, and the gate itself on the shared corpus."""

from __future__ import annotations

import pytest

from quality import eval as gate
from tests.conftest import require_shared


def test_identical_bodies_score_one() -> None:
    assert gate.body_shares("one two three four five", "One, two three four five!") == (1.0, 0.0, 0.0)


def test_shares_sum_to_one_per_document() -> None:
    tp, fp, fn = gate.body_shares("a b c d e f", "c d e f g h")
    assert tp + fp + fn == pytest.approx(1.0)
    assert tp > 0 and fp > 0 and fn > 0


def test_prf_from_mean_shares() -> None:
    p, r, f = gate.prf([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert p == pytest.approx(0.75 / 1.0)
    assert r == pytest.approx(1.0)
    assert f == pytest.approx(2 * 0.75 / 1.75)


@pytest.mark.parametrize(("predicted", "truth", "same"), [
    ("Gunter Frank", "gunter frank", True),
    ("Brand, David and Khalifeh, Ramsey", ["David Brand", "Ramsey Khalifeh"], True),
    (None, None, True),
    ("Walter", None, False),
], ids=["case", "list", "both-null", "wrong"])
def test_author_normalisation(predicted: str | None, truth: object, same: bool) -> None:
    assert gate.same_author(predicted, truth) is same


def test_pinned_figures_are_out_of_fold_and_held_out_only() -> None:
    table = {"aeb text": {"pages": 127.0, "body_f1": 0.93}, "aeb text held-out": {"pages": 20.0, "body_f1": 0.92},
             "aeb text in-sample": {"pages": 127.0, "body_f1": 0.97}}
    assert gate.pinned(table) == {"aeb text": {"body_f1": 0.93}, "aeb text held-out": {"body_f1": 0.92}}
    printed = gate.format_table(table)
    assert "in-sample" in printed and "gap" in printed and "0.0400" in printed


@pytest.mark.corpus
@pytest.mark.slow
def test_gate_passes_on_the_shared_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = require_shared("corpus")
    assert gate.main([str(corpus), "--no-html", "--workers", "2"]) == 0, capsys.readouterr().err


def test_reference_rows_are_printed_not_pinned_and_a_figure_behind_them_is_reported() -> None:
    table = {"l3s-gn1 html": {"pages": 4.0, "title": 0.70, "body_f1": 0.90},
             f"l3s-gn1 html {gate.REFERENCE}": {"pages": 4.0, "title": 0.50, "body_f1": 0.95}}
    assert gate.pinned(table) == {"l3s-gn1 html": {"title": 0.70, "body_f1": 0.90}}
    assert gate.behind_reference(table) == ["l3s-gn1 html body_f1: ours 0.9000 < trafilatura alone 0.9500"]
    printed = gate.format_table(table)
    assert gate.REFERENCE in printed and "ours - it" in printed and "-0.0500" in printed
