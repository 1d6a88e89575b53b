"""Link: story threads. Briefings strongly related to each other, close in time, sharing key
entities, grouped into one thread with a name made from its dominant entities.

Works on the related-briefing candidates of ``build_tools.link.links`` (passed in: this module
does not import that one).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from build_tools import slugs
from build_tools.components import connected
from build_tools.model import Briefing
from build_tools.store.archive import sort_key


class ScoredCandidate(Protocol):
    @property
    def pos(self) -> int: ...
    @property
    def score(self) -> float: ...


class StoryInputs(Protocol):
    """What the threads read of the related candidates (``links.Candidates``)."""

    @property
    def best(self) -> Sequence[Sequence[ScoredCandidate]]: ...
    @property
    def keys(self) -> list[list[str]]: ...
    @property
    def idf(self) -> dict[str, float]: ...
    @property
    def names(self) -> dict[str, str]: ...


STORY_MIN_SCORE = 0.30
"""Two briefings are in one story only if their related score reaches this (and both directions
rank each other among STORY_TOP). Calibrated on the sample inbox: the Afghanistan/Central Asia
briefings of Jul-Sep 2021 pair at 0.35-0.8, the OPEC and European ones with them under 0.25."""

STORY_TOP = 5
STORY_MAX_GAP_DAYS = 45
"""A developing story: consecutive links at most this far apart (a 2-month silence ends it)."""

STORY_MIN_BRIEFINGS = 3
STORY_NAME_ENTITIES = 3
STORY_KEY_TYPES = ("countries", "places", "people", "organizations")
"""Entities that make a story (topics are too broad to name or join a thread)."""


@dataclass
class Story:
    slug: str
    name: str
    members: list[Briefing]
    """Oldest first."""

    @property
    def page(self) -> str:
        return slugs.story_page(self.slug)


def _key_entities(keys: list[str]) -> set[str]:
    return {k for k in keys if k.split(":", 1)[0] in STORY_KEY_TYPES}


def find_stories(ordered: list[Briefing], cands: StoryInputs) -> list[Story]:
    """Threads: components of mutual strong links, close in time, sharing a key entity."""
    n = len(ordered)
    top = [{c.pos: c.score for c in sorted(cands.best[i], key=lambda c: (-c.score, c.pos))[:STORY_TOP]}
           for i in range(n)]  # by score alone: a thread may drift from country to country
    joined: list[tuple[int, int]] = []
    for i in range(n):
        for j, score in top[i].items():
            if j <= i or i not in top[j] or min(score, top[j][i]) < STORY_MIN_SCORE:
                continue
            a, b = ordered[i], ordered[j]
            if a.date is None or b.date is None or abs((b.date - a.date).days) > STORY_MAX_GAP_DAYS:
                continue
            if not (_key_entities(cands.keys[i]) & _key_entities(cands.keys[j]) & set(cands.idf)):
                continue
            joined.append((i, j))
    stories: list[Story] = []
    used: set[str] = set()
    for members in sorted(connected(n, joined), key=lambda m: (sort_key(ordered[m[0]]))):
        members = trim_to_core(sorted(members), cands)
        if len(members) < STORY_MIN_BRIEFINGS:
            continue
        briefings = [ordered[i] for i in members]
        name, slug = story_name(briefings, [cands.keys[i] for i in members], cands)
        unique, k = slug, 2
        while unique in used:
            unique, k = f"{slug}-{k}", k + 1
        used.add(unique)
        stories.append(Story(unique, name, briefings))
    return stories


def trim_to_core(members: list[int], cands: StoryInputs) -> list[int]:
    """Keep the members carrying the thread's most common key entity (chains of pairwise links
    can otherwise drift from one subject to another)."""
    counts: Counter[str] = Counter(k for i in members for k in _key_entities(cands.keys[i]) if k in cands.idf)
    if not counts:
        return []
    core = min(counts, key=lambda k: (-counts[k], -cands.idf[k], k))
    return [i for i in members if core in cands.keys[i]]


def story_name(members: list[Briefing], keys: list[list[str]], cands: StoryInputs) -> tuple[str, str]:
    """('Afghanistan, Tajikistan, Taliban — Jul–Sep 2021', 'afghanistan-tajikistan-taliban-2021-07')."""
    counts: Counter[str] = Counter(k for ks in keys for k in _key_entities(ks))
    ranked = sorted(counts, key=lambda k: (-counts[k], -cands.idf.get(k, 0.0), cands.names[k]))
    dominant = [k for k in ranked if counts[k] >= 2][:STORY_NAME_ENTITIES]
    labels = sorted((cands.names[k] for k in dominant), key=str.casefold)
    dates = [b.date for b in members if b.date]
    span = month_span(min(dates), max(dates)) if dates else ""
    subject = ", ".join(labels) if labels else members[0].title
    name = f"{subject} — {span}" if span else subject
    first = min(dates) if dates else None
    slug = slugs.slugify(" ".join(labels) if labels else members[0].title, 60) or "story"
    return name, f"{slug}-{first:%Y-%m}" if first else slug


def month_span(first: dt.datetime, last: dt.datetime) -> str:
    """'Jul 2021', 'Jul–Sep 2021' or 'Dec 2020–Jan 2021'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"
