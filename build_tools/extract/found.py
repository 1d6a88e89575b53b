"""The record the metadata stages fill: what a page says about itself, and which lines said it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from build_tools.extract.dates import FoundDate
from build_tools.extract.outlet import SelfReference


@dataclass
class Found:
    """What the metadata stage found, and which lines it used (so the cleaner skips them)."""

    title_index: int | None = None
    title: str | None = None
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    author: str | None = None
    outlet: str | None = None
    claimed_outlet: str | None = None
    """The name the page claims without a second self-reference agreeing (``outlet.claimed_outlet``):
    weighed against the title and URL of an HTML page, never used alone."""
    outlet_refs: list[SelfReference] = field(default_factory=list)
    """Every place the page names a site (``outlet.self_references``): what the outlet was chosen from."""
    section: str | None = None
    summary: str | None = None
    image_credit: str | None = None
    sources: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    """Wire credits ('Reporting by A in Geneva', 'Editing by B'), in the order printed."""
    used: set[int] = field(default_factory=set)
    date_found: FoundDate | None = None
    """The printed date the publication date came from (its numeric order may need the page's language)."""
