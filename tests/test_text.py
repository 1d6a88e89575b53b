"""Shared text helpers: one-line values, forbidden characters, printable paths, safe cuts."""

from __future__ import annotations

import os

import pytest

from build_tools.text import clean_value, cut, display_path


@pytest.mark.parametrize(("raw", "clean"), [
    ("Minister\u200b resigns\u202e after vote\u202c", "Minister resigns after vote"),
    ("Tali\u200dban and Tali\xadban", "Taliban and Taliban"),
    ("WION\u200d Web\u2060 Team", "WION Web Team"),
    ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"),  # an emoji ZWJ sequence stays whole
    ("a\x00b\x1b[31mc\r\nd", "ab[31mc d"),
    ("lone \ud800 surrogate", "lone surrogate"),
], ids=["bidi", "joiner-soft-hyphen", "joiner-space", "emoji", "controls", "surrogate"])
def test_clean_value(raw: str, clean: str) -> None:
    assert clean_value(raw) == clean


def test_display_path_escapes_everything_unprintable() -> None:
    name = os.fsdecode(b"a\nb\x1b[31m\tc\xe9\xe2\x80\xae.txt")
    shown = display_path(name)
    assert shown.isprintable() and "\\n" in shown and "\\x1b" in shown and "\\udce9" in shown.lower()


@pytest.mark.parametrize(("value", "limit", "expected"), [
    ("short", 10, "short"),
    ("one two three four five six", 20, "one two three four…"),
    ("x" * 30, 10, "x" * 9 + "…"),  # no space in the last half: cut mid-word, not to nothing
    ("family👨\u200d👩\u200d👧day", 9, "family👨…"),  # never ending on a joiner
    ("thumbs👍🏽" + "x" * 10, 9, "thumbs👍…"),  # never ending on a skin-tone modifier
    ("café" + "\u0301" * 3 + "x" * 10, 6, "café…"),  # never a lone combining mark
], ids=["fits", "word-boundary", "one-word", "zwj", "skin-tone", "combining"])
def test_cut_keeps_graphemes_whole(value: str, limit: int, expected: str) -> None:
    assert cut(value, limit) == expected
    assert len(cut(value, limit)) <= limit
