"""The thread-feature bench's candidate features: what each reads of a headline and lead."""

from __future__ import annotations

import numpy as np
import pytest

from quality.thread_experiments import _cosine, bigrams, numbers


@pytest.mark.parametrize(("text", "expected"), [
    ("OPEC DEFENDING 18 DLR PRICE", ["18"]),
    ("output put at 3.5 mln bpd, 1,200 tonnes", ["3.5", "1200"]),
    ("profits in 1987 rose 4 pct", []),
], ids=["price", "decimal-and-thousands", "year-and-small-number"])
def test_numbers_keep_amounts_and_drop_years_and_small_counts(text: str, expected: list[str]) -> None:
    assert numbers(text) == expected


def test_bigrams_are_pairs_of_stemmed_words_without_stop_words() -> None:
    assert bigrams("Japan's sales tax and the boycott") == ["japan sale", "sale tax", "tax boycott"]


def test_cosine_of_pairs_is_one_for_the_same_tokens_and_zero_for_none_shared() -> None:
    docs = [["sales", "tax"], ["sales", "tax"], ["coffee"]]
    got = _cosine(docs, np.array([1, 2]), np.array([0, 0]))
    assert got == pytest.approx([1.0, 0.0])
