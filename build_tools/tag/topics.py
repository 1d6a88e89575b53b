"""Topics from keyword weights (``data/topics.yaml``). Pure: text in, sorted topic labels out."""

from __future__ import annotations

import functools
import math
import re
from importlib import resources
from typing import NamedTuple

import yaml

TOPICS: tuple[str, ...] = ("politics", "diplomacy", "conflict", "defence", "terrorism", "refugees", "elections",
                           "economy", "business", "markets", "energy", "technology", "health", "crime", "law",
                           "environment", "disaster", "culture", "sport", "science", "media", "human rights")

KEYWORD_CAP = 3
"""One keyword counts at most this many times: a story repeating "oil" is not five times more about energy."""
MIN_SCORE = 5.0
"""A topic needs this much length-normalised weight. Calibrated on the 40 labelled development
articles (shared/labels/entities) against their 2-5 topic labels, for micro-F1, then rounded."""
RELATIVE_FLOOR = 0.35
"""...and at least this share of the best topic's score, so a long story keeps its main topics only."""
MAX_TOPICS = 5
LENGTH_REFERENCE_WORDS = 400
"""Scores are divided by sqrt(words / this) for longer texts, so long stories do not pass every floor."""


class TopicModel(NamedTuple):
    pattern: re.Pattern[str]
    weights: dict[str, list[tuple[str, float]]]
    """Matched keyword (lower-case surface, stars resolved by prefix) -> [(topic, weight)]."""
    prefixes: list[tuple[str, str, float]]


@functools.cache
def topic_model() -> TopicModel:
    spec = yaml.safe_load(resources.files("build_tools").joinpath("data", "topics.yaml").read_text(encoding="utf-8"))
    exact: dict[str, list[tuple[str, float]]] = {}
    prefixes: list[tuple[str, str, float]] = []
    parts: list[tuple[str, str]] = []  # (keyword, what may follow it)
    for topic, words in spec.items():
        if topic not in TOPICS:
            raise ValueError(f"data/topics.yaml: unknown topic {topic!r}; topics are {', '.join(TOPICS)}")
        for word, weight in words.items():
            word = str(word).lower()
            if word.endswith("*"):
                prefixes.append((word[:-1], topic, float(weight)))
                parts.append((word[:-1], r"[\w-]*"))
            else:
                exact.setdefault(word, []).append((topic, float(weight)))
                parts.append((word, ""))
    parts.sort(key=lambda part: len(re.escape(part[0]) + part[1]), reverse=True)  # longest first
    return TopicModel(re.compile(r"\b(?:" + by_first_character(parts) + r")\b"), exact, prefixes)


def by_first_character(parts: list[tuple[str, str]]) -> str:
    """The alternation of ``parts`` (keyword, regex that may follow it), grouped by the keyword's
    first character: "a(?:id|rmy)|w(?:ar)". It matches exactly what the flat alternation in the
    same order matches (at any position only the keywords starting with its character can match,
    and they are tried in their order), about eight times faster: the flat one tries all ~500
    keywords at every word start."""
    if any(not word for word, _ in parts):  # a bare "*" keyword: no first character to group on
        return "|".join(re.escape(word) + tail for word, tail in parts)
    groups: dict[str, list[str]] = {}
    for word, tail in parts:
        groups.setdefault(word[0], []).append(re.escape(word[1:]) + tail)
    return "|".join(re.escape(first) + "(?:" + "|".join(rest) + ")" for first, rest in groups.items())


def _weights(model: TopicModel, found: str) -> list[tuple[str, float]]:
    hits = list(model.weights.get(found, []))
    for prefix, topic, weight in model.prefixes:
        if found.startswith(prefix):
            hits.append((topic, weight))
    return hits


@functools.lru_cache(maxsize=1 << 14)  # pure (the model is read once); the same keywords recur in every story
def _shipped_weights(found: str) -> tuple[tuple[str, float], ...]:
    return tuple(_weights(topic_model(), found))


def topics(text: str) -> list[str]:
    """1 to MAX_TOPICS topic labels, sorted; always at least the best-scoring topic when any keyword hits."""
    model = topic_model()
    lowered = text.lower()
    counts: dict[str, int] = {}
    for m in model.pattern.finditer(lowered):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    scores: dict[str, float] = {}
    for found, n in counts.items():
        seen: set[str] = set()
        for topic, weight in _shipped_weights(found):
            if topic in seen:
                continue
            seen.add(topic)
            scores[topic] = scores.get(topic, 0.0) + weight * min(n, KEYWORD_CAP)
    if not scores:
        return []
    words = max(1, len(lowered.split()))
    norm = math.sqrt(max(1.0, words / LENGTH_REFERENCE_WORDS))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ranked[0][1]
    chosen = [t for t, s in ranked if s / norm >= MIN_SCORE and s >= RELATIVE_FLOOR * best][:MAX_TOPICS]
    return sorted(chosen or [ranked[0][0]])
