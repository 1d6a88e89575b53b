"""quality.train_cleaner: fold models belong to the shipped ones and to the current feature code."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.extract import clean
from quality import gate, train_cleaner


def test_committed_fold_models_belong_to_the_shipped_models() -> None:
    models = train_cleaner.fold_models()  # raises StaleModels, naming the fix, when they do not
    assert sorted(models) == list(range(gate.K_FOLDS))
    assert all(m.cleaner is not None and m.title is not None for m in models.values())
    shipped = clean.shipped_models()
    assert shipped.cleaner is not None
    # A fold model saw 4/5 of the pages: a model of its own, not a copy of the shipped one.
    assert not np.array_equal(models[0].cleaner.stage1.value, shipped.cleaner.stage1.value)  # type: ignore[union-attr]


def test_a_change_of_feature_code_makes_fold_models_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_cleaner, "training_stamp", lambda: "0" * 16)
    with pytest.raises(train_cleaner.StaleModels, match="predates a change of the model inputs"):
        train_cleaner.fold_models()


def test_retrained_shipped_models_make_fold_models_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_cleaner, "shipped_stamp", lambda: "f" * 16)
    with pytest.raises(train_cleaner.StaleModels, match="python -m quality.train_cleaner"):
        train_cleaner.fold_models()


def test_page_ids_are_shared_by_text_and_html() -> None:
    assert gate.page_id("aeb", "0001") == "aeb/0001"
