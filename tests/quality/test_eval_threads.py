"""The story-thread gate: pairwise and B-cubed figures out of fold, beside making no threads."""

from __future__ import annotations

import pytest

from quality import gate
from quality.eval_threads import BASELINE, TARGETS, figures, main, score
from tests.conftest import require_shared


@pytest.mark.corpus
@pytest.mark.slow
def test_thread_figures_on_every_labelled_set_hold_the_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = require_shared("corpus")
    assert main(["--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    for group in ("sample", "reuters 1-300", "reuters 301-600", "reuters 601-900", "reuters 1-300 held-out",
                  "reuters 301-600 held-out", "reuters 601-900 held-out"):
        assert f"\n{group} " in f"\n{out}" or out.startswith(group)
    assert out.count("no threads B-cubed F1") == 7 and "out of fold" in out and "in-sample pairwise F1" in out


def test_the_sample_meets_the_issue_target_out_of_fold() -> None:
    pinned = gate.Baseline.load(BASELINE).figures
    assert pinned["sample"]["bcubed_f1"] >= TARGETS["sample"][1]
    assert {"reuters 1-300", "reuters 301-600", "reuters 1-300 held-out"} <= set(pinned)


def test_pairwise_and_bcubed_count_inputs_and_pairs() -> None:
    truth = {"a": "x", "b": "x", "c": "y", "d": "z"}
    predicted = {"a": "1", "b": "2", "c": "2", "d": "3"}.__getitem__
    alone = {"a": "a", "b": "b", "c": "c", "d": "d"}.__getitem__
    s = score(["a", "b", "c", "d"], truth, lambda _i: predicted, lambda _a, _b: predicted, alone)
    assert (s.pair_tp, s.pair_fp, s.pair_fn) == (0, 1, 1)
    assert s.bcubed_precision == pytest.approx((1 + 0.5 + 0.5 + 1) / 4)
    assert s.bcubed_recall == pytest.approx((0.5 + 0.5 + 1 + 1) / 4)
    assert s.none_f1 == pytest.approx(2 * 0.75 / 1.75)
    assert figures({"g": s})["g"]["pairwise_f1"] == 0.0
