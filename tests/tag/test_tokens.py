"""CoNLL-style tokens with their spans in the text."""

from __future__ import annotations

import pytest

from build_tools.tag.tokens import sentences, tokenize


@pytest.mark.parametrize(("text", "words"), [
    ("Somerset, England's", ["Somerset", ",", "England", "'s"]),
    ("They didn't.", ["They", "did", "n't", "."]),
    ("Acme Corp. and the U.S. agreed", ["Acme", "Corp.", "and", "the", "U.S.", "agreed"]),
    ("J. Smith, all-rounder, 1996-08-30", ["J.", "Smith", ",", "all-rounder", ",", "1996-08-30"]),
    ("O’Gorman said “no”", ["O'Gorman", "said", '"', "no", '"']),
    ("AT&T paid 1,000", ["AT&T", "paid", "1,000"]),
], ids=["possessive", "nt", "abbreviations", "initial-hyphen-date", "curly-quotes", "ampersand-number"])
def test_tokens_as_conll_writes_them(text: str, words: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == words


def test_every_token_keeps_its_span() -> None:
    text = "Ursula von der Leyen’s plan, said Mr. Smith."
    for t in tokenize(text):
        assert text[t.start:t.end].replace("’", "'") == t.text


@pytest.mark.parametrize(("text", "count"), [
    ("Mr. Smith went. He came back.", 2),
    ("One line\nanother line", 2),
    ("The U.S. said so. it did", 1),
], ids=["abbreviation-not-an-end", "line-break", "lower-case-after-dot"])
def test_sentences(text: str, count: int) -> None:
    assert len(sentences(tokenize(text), text)) == count
