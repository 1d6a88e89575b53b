"""The header under the headline: titles cut to their limit."""

from __future__ import annotations

import pytest

from build_tools.extract import header


@pytest.mark.parametrize(("title", "expected"), [
    ("Long " + "very-" * 500 + "long title", "Long " + ("very-" * 60)[: header.MAX_TITLE_CHARS - 6] + "…"),
    ("word " * 100, " ".join(["word"] * 59) + "…"),
], ids=["one-huge-word", "many-words"])
def test_long_titles_are_cut_to_the_limit_not_to_their_first_word(title: str, expected: str) -> None:
    cut = header.cut_title(title)
    assert cut == expected
    assert len(cut) <= header.MAX_TITLE_CHARS
