"""thread_pairs: the pair features a story thread's merge decision reads."""

from __future__ import annotations

import numpy as np
import pytest

from build_tools.link.thread_pairs import (
    FEATURES,
    THREAD_MAX_GAP_DAYS,
    all_pairs,
    body_names,
    stem,
    thread_lead,
    thread_vectors,
)
from tests.link.test_links import make


@pytest.mark.parametrize(("body", "expected"), [
    ("LONDON, March 5 - OPEC output fell.", "OPEC output fell."),
    ("SANTOS, Brazil, March 12 - Striking seamen said.", "Striking seamen said."),
    ("Oil prices fell - sharply - on Friday.", "Oil prices fell - sharply - on Friday."),
], ids=["wire-dateline", "dateline-with-country", "no-dateline"])
def test_the_lead_drops_a_wire_dateline(body: str, expected: str) -> None:
    assert thread_lead(make("a", 1, [], body=body)) == expected


@pytest.mark.parametrize(("word", "expected"), [("Brazilian", "brazil"), ("talks", "talk"), ("Japanese", "japan"),
                                                ("USAir's", "usair"), ("subsidies", "subsidy"), ("oil", "oil")])
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_body_names_skip_sentence_starts_and_stop_words() -> None:
    names = body_names(make("a", 1, [], body="The talks went on. Finance Minister Dilson Funaro met Italy's Goria."))
    assert sorted(set(names)) == ["goria", "italy", "minister dilson funaro"]


def test_pairs_are_close_in_time_share_something_and_carry_every_feature() -> None:
    briefings = [make("a", 0, [], body="LONDON, March 5 - Coffee quota talks collapsed in London."),
                 make("b", 2, [], body="BOGOTA, March 7 - Coffee quota talks collapsed, Colombia said."),
                 make("c", 2, [], body="TOKYO, March 7 - Car sales rose."),
                 make("d", THREAD_MAX_GAP_DAYS + 10, [], body="LONDON - Coffee quota talks collapsed again.")]
    for b, title in zip(briefings, ("Coffee talks fail", "Coffee talks fail, Colombia says", "Car sales up", "Coffee talks fail"),
                        strict=True):
        b.title = title
    pairs = all_pairs(thread_vectors(briefings))
    assert pairs.x.shape == (len(pairs.later), len(FEATURES))
    found = set(zip(pairs.later.tolist(), pairs.earlier.tolist(), strict=True))
    assert (1, 0) in found and (3, 0) not in found and (2, 0) not in found
    title = pairs.x[:, FEATURES.index("title")]
    assert np.all((title >= 0) & (title <= 1 + 1e-9))


def test_the_pairs_of_some_later_rows_are_those_rows_of_all_pairs() -> None:
    briefings = [make(str(i), i, ["Brazil"], [], body=f"RIO, March {i} - Brazil's debt talks with banks, round {i}.")
                 for i in range(6)]
    v = thread_vectors(briefings)
    every, some = all_pairs(v), all_pairs(v, np.array([2, 5]))
    keep = np.isin(every.later, [2, 5])
    assert len(some.later) == int(keep.sum()) > 0
    assert np.array_equal(some.later, every.later[keep]) and np.array_equal(some.earlier, every.earlier[keep])
    assert np.allclose(some.x, every.x[keep])
