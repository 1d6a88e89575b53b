"""quality.train_outlet: the committed fold models belong to the shipped outlet ranker and to the
current candidate code; either change makes them stale, with the command that fixes it."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.extract import clean
from quality import gate, train_outlet


def test_committed_fold_models_belong_to_the_shipped_model() -> None:
    folds = train_outlet.fold_outlet_models()  # raises StaleModels, naming the fix, when they do not
    assert sorted(folds) == list(range(gate.K_FOLDS))
    shipped = clean.shipped_models().outlet
    assert shipped is not None
    assert not np.array_equal(folds[0].value, shipped.value)  # trained on 4/5 of the pages, not a copy


def test_a_change_of_candidate_code_makes_fold_models_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_outlet, "training_stamp", lambda: "0" * 16)
    with pytest.raises(train_outlet.StaleModels, match="predates a change of the outlet candidates"):
        train_outlet.fold_outlet_models()


def test_a_retrained_shipped_model_makes_fold_models_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_outlet, "shipped_stamp", lambda: "f" * 16)
    with pytest.raises(train_outlet.StaleModels, match="python -m quality.train_outlet"):
        train_outlet.fold_outlet_models()
