"""Topic keywords: the grouped keyword pattern matches exactly what the flat alternation matches."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from build_tools.tag.topics import by_first_character, topic_model, topics


def flat(parts: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) + t for w, t in parts) + r")\b")


def grouped(parts: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + by_first_character(parts) + r")\b")


PARTS = [("interest rate", r"[\w-]*"), ("interest", ""), ("inter", r"[\w-]*"), ("war crime", ""), ("war", ""),
         ("warsaw", ""), ("a.i.", ""), ("aid", ""), ("ai", "")]


@pytest.mark.parametrize("text", [
    "interest rates rose", "an interest in inter-bank war", "warsaw war crimes", "war crime trial",
    "a.i. aid ai-driven", "interestingly", "the interest rate-setting body", "",
], ids=lambda t: t[:20] or "empty")
def test_grouped_matches_flat(text: str) -> None:
    ordered = sorted(PARTS, key=lambda p: len(re.escape(p[0]) + p[1]), reverse=True)
    assert [m.group(0) for m in grouped(ordered).finditer(text)] == [m.group(0) for m in flat(ordered).finditer(text)]


def shipped_parts() -> list[tuple[str, str]]:
    """The shipped keywords as ``topic_model`` orders them (longest pattern first, file order among equals)."""
    spec = yaml.safe_load(resources.files("build_tools").joinpath("data", "topics.yaml").read_text(encoding="utf-8"))
    parts = [(str(w).lower().removesuffix("*"), r"[\w-]*" if str(w).endswith("*") else "")
             for words in spec.values() for w in words]
    return sorted(parts, key=lambda p: len(re.escape(p[0]) + p[1]), reverse=True)


def test_shipped_pattern_matches_flat_on_every_keyword() -> None:
    parts = shipped_parts()
    words = [w for w, _ in parts]
    text = " ".join(words) + " " + " ".join(w + "s-x" for w in words) + " " + "".join(words)
    assert [m.group(0) for m in topic_model().pattern.finditer(text)] == \
        [m.group(0) for m in flat(parts).finditer(text)]


def test_bare_star_keyword_falls_back_to_the_flat_pattern() -> None:
    assert by_first_character([("", r"[\w-]*"), ("war", "")]) == r"[\w-]*|war"


def test_topics_of_a_story() -> None:
    assert "energy" in topics("Oil prices rose as OPEC cut crude output; gasoline and oil futures climbed. " * 3)
