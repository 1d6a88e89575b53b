"""link/tfidf: the very arrays scikit-learn's TfidfVectorizer gives (the link decisions read
them, so nearly equal is not enough), on the sample archive's texts and on edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from build_tools.link import links, tfidf, thread_pairs
from build_tools.store.archive import load_archive

REPO = Path(__file__).resolve().parents[2]
RELATED_PATTERN = links.RELATED_TOKENS


def sample_texts() -> list[str]:
    archive = load_archive(REPO / "briefings")
    return [links.briefing_text(b) for b in archive.oldest_first()]


EDGE_CASES = {
    "repeats and an empty text": ["oil oil oil price", "", "price of oil, again oil", "gold"],
    "only stop words somewhere": ["the and of", "wheat exports rise", "wheat wheat"],
    "one text": ["a single briefing about wheat and wheat prices"],
}


def assert_same(ours: tfidf.Fitted | None, texts: list[str], analyzer: tfidf.Analyzer, max_df: float) -> None:
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float64, max_df=max_df)
    try:
        theirs = vectorizer.fit_transform(texts)
    except ValueError:
        assert ours is None
        return
    assert ours is not None
    assert np.array_equal(ours.matrix.indptr, theirs.indptr)
    assert np.array_equal(ours.matrix.indices, theirs.indices)
    assert ours.matrix.data.tobytes() == theirs.data.tobytes()  # bit for bit
    assert ours.idf.tobytes() == vectorizer.idf_.tobytes()


@pytest.mark.parametrize("max_df", [1.0, 0.5, 0.01], ids=["all terms", "max_df 0.5", "max_df prunes most"])
@pytest.mark.parametrize("analyzer", ["related words", "thread words"])
def test_fit_is_scikit_learns_on_the_sample_archive(max_df: float, analyzer: str) -> None:
    analyze = tfidf.english_words(RELATED_PATTERN) if analyzer == "related words" else thread_pairs.words
    texts = sample_texts()
    assert_same(tfidf.fit(texts, analyze, max_df), texts, analyze, max_df)


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_fit_is_scikit_learns_on_edge_cases(name: str) -> None:
    texts = EDGE_CASES[name]
    analyze = tfidf.english_words(RELATED_PATTERN)
    assert_same(tfidf.fit(texts, analyze), texts, analyze, 1.0)


def test_no_words_at_all_is_none() -> None:
    assert tfidf.fit(["the", "of and"], tfidf.english_words(RELATED_PATTERN)) is None
    assert tfidf.fit_or_empty(["the", ""], tfidf.english_words(RELATED_PATTERN)).shape == (2, 1)


def test_analyzer_and_stop_words_are_scikit_learns() -> None:
    assert tfidf.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS
    theirs = TfidfVectorizer(stop_words="english", token_pattern=RELATED_PATTERN).build_analyzer()
    for text in [*sample_texts()[:50], "Ünïcode CAPS don't re-enter 3rd 1987 the_end"]:
        assert tfidf.english_words(RELATED_PATTERN)(text) == theirs(text)
