"""The typed objects that carry an article through the pipeline.

An :class:`Article` is created by a reader (``sources``) and filled in, stage by stage, by
``clean``, ``metadata`` and ``entities``.  ``briefing.to_briefing`` turns a finished article
into a :class:`Briefing`, the thing written to ``briefings/`` and read back by ``archive``.
Every field is declared here, with the stage that fills it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

TAG_TYPES: tuple[str, ...] = ("countries", "places", "people", "organizations", "topics")


class InputKind(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSON = "json"


@dataclass
class Given:
    """Metadata an input states about itself (JSON fields, HTML meta/trafilatura).

    Filled by the reader (``sources``) for JSON, by ``htmlinput`` for HTML; empty for text dumps.
    """

    title: str | None = None
    body: str | None = None
    date: str | None = None
    updated: str | None = None
    author: str | None = None
    outlet: str | None = None
    section: str | None = None
    summary: str | None = None
    url: str | None = None
    language: str | None = None
    image_credit: str | None = None


@dataclass
class Tags:
    """Entity tags by type. Filled by ``entities.tag``."""

    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {t: list(getattr(self, t)) for t in TAG_TYPES}

    def flat(self) -> list[str]:
        """Material's flat ``tags`` list: every tag once, in type order."""
        seen: dict[str, None] = {}
        for t in TAG_TYPES:
            for name in getattr(self, t):
                seen.setdefault(name, None)
        return list(seen)


@dataclass
class Article:
    """One input article on its way to becoming a briefing."""

    # --- set by the reader (sources) ---
    source: str
    """Where it came from: the input path, plus ``:N`` (line or record number) for JSON records."""
    kind: InputKind
    text: str
    """Decoded text: the page's visible text for dumps; the extracted or given body for HTML/JSON."""
    input_hash: str
    """sha256 of the normalised input (line endings, trailing blanks, BOM); decides the id."""
    given: Given = field(default_factory=Given)
    warnings: list[str] = field(default_factory=list)
    """Repairs made on the way (encoding fallback, control characters removed...)."""

    # --- set by clean ---
    lines: list[str] = field(default_factory=list)
    """Non-blank lines of the page, in order (the unit the cleaner classifies)."""
    body: list[str] = field(default_factory=list)
    """Article paragraphs, in order, as plain text."""

    # --- set by metadata ---
    title: str | None = None
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    author: str | None = None
    outlet: str | None = None
    section: str | None = None
    summary: str | None = None
    image_credit: str | None = None
    sources: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None

    # --- set by entities ---
    tags: Tags = field(default_factory=Tags)

    def __str__(self) -> str:
        return self.source


@dataclass
class Briefing:
    """A briefing: validated front matter plus Markdown body. Read by ``archive``, written by ingest."""

    path: Path
    """Path relative to the briefings folder, e.g. ``2021/07/russia-to-bolster.md``."""
    id: str
    title: str
    date: dt.datetime | None
    body: str
    updated: dt.datetime | None = None
    author: str | None = None
    outlet: str | None = None
    section: str | None = None
    summary: str | None = None
    image_credit: str | None = None
    sources: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    origins: list[dict[str, str]] = field(default_factory=list)
    """Every input this briefing was made from: ``{source, outlet, url, input_hash}`` (duplicates merged)."""
    tags: Tags = field(default_factory=Tags)
    flat_tags: list[str] = field(default_factory=list)
    related_pin: list[str] = field(default_factory=list)
    related_exclude: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    """Keys an editor added that the schema does not know (kept, reported by ``check``)."""

    def __str__(self) -> str:
        return str(self.path)
