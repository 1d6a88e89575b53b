"""Entities stage: tag countries, places, people, organisations and topics from a vocabulary.

Minimal first version: countries by name (pycountry). Pure: text in, Tags out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Tags


@dataclass
class Vocabulary:
    """Names to look for, each mapped to (tag type, canonical name)."""

    names: dict[str, tuple[str, str]]
    pattern: re.Pattern[str]


COMMON_COUNTRY_NAMES = {"Russian Federation": "Russia", "Iran, Islamic Republic of": "Iran",
                        "Korea, Republic of": "South Korea", "United States": "United States",
                        "Viet Nam": "Vietnam", "Syrian Arab Republic": "Syria"}


def load_vocabulary(root: Path | None = None) -> Vocabulary:
    import pycountry

    names: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        canonical = getattr(c, "common_name", None) or COMMON_COUNTRY_NAMES.get(c.name, c.name)
        for n in {c.name, canonical}:
            names[n] = ("countries", canonical)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return Vocabulary(names=names, pattern=re.compile(rf"\b(?:{alternation})\b"))


def tag(title: str, body: str, vocabulary: Vocabulary) -> Tags:
    tags = Tags()
    for m in vocabulary.pattern.finditer(title + "\n" + body):
        kind, canonical = vocabulary.names[m.group(0)]
        bucket = getattr(tags, kind)
        if canonical not in bucket:
            bucket.append(canonical)
    for kind in ("countries", "places", "people", "organizations", "topics"):
        getattr(tags, kind).sort()
    return tags
