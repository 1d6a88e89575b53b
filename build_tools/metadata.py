"""Metadata stage: title, dates, byline, outlet, section, summary, image credit, sources, language.

Works on the page's lines (from ``clean.split_lines``) and returns a :class:`Found` record:
pure functions, no I/O. Values the page does not show stay None: a null beats a wrong value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import clean
from .dates import find_date, parse_date
from .sources import clean_value

HEADER_WINDOW = 8
"""How many lines after the headline are searched for byline, date line, credit and highlights."""
MAX_TITLE_WORDS = 40
MIN_TITLE_WORDS = 3
MAX_TITLE_CHARS = 300
"""Titles longer than this are cut at a word boundary (limits on title length, hostile c011)."""
MAX_BYLINE_WORDS = 6

BYLINE_RE = re.compile(r"^(?:by|von|par|por|door|di|przez)\s+(?P<name>.{2,120})$", re.IGNORECASE)
TEAM_RE = re.compile(r"^(?P<outlet>.+?)\s+(?:web team|web desk|news desk|desk|staff|bureau|newsroom|online desk)$",
                     re.IGNORECASE)
DATE_LABEL_RE = re.compile(r"\b(?P<label>updated|published|posted|last updated|modified|first published)\b\s*(?:on|at)?:?\s*",
                           re.IGNORECASE)
CREDIT_RES = [
    re.compile(r"^(?:photograph|photo|image|picture|pic|foto|bild)s?\s*:\s*\(?(?P<credit>[^()]{1,80}?)\)?\.?$", re.IGNORECASE),
    re.compile(r"\((?:photo|image|picture)\s*(?:by|:)\s*(?P<credit>[^()]{1,80})\)", re.IGNORECASE),
]
INPUTS_RE = re.compile(r"^\(?\s*with inputs from (?P<who>.{1,120}?)\s*\)?\.?$", re.IGNORECASE)
HIGHLIGHTS_RE = re.compile(r"^(story highlights|highlights|key points|in brief|summary)\s*:?$", re.IGNORECASE)
COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<owner>.{2,60}?)"
                          r"(?:\s*(?:ltd|limited|inc|llc|plc|gmbh|s\.a\.|co)\.?)?[.,]?\s*(?:all rights reserved\.?)?$",
                          re.IGNORECASE)


@dataclass
class Found:
    """What the metadata stage found, and which lines it used (so the cleaner skips them)."""

    title_index: int | None = None
    title: str | None = None
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    author: str | None = None
    outlet: str | None = None
    section: str | None = None
    summary: str | None = None
    image_credit: str | None = None
    sources: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def cut_title(title: str) -> str:
    title = clean_value(title)
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title


def find_title(lines: list[str], given: str | None = None) -> int | None:
    """Index of the headline line: the given title's line, else the first headline-like line."""
    if given:
        key = clean_value(given).casefold()
        for i, line in enumerate(lines):
            if line.casefold() == key:
                return i
        return None
    for i, line in enumerate(lines):
        n = clean.words(line)
        if clean.is_furniture(line) or not (MIN_TITLE_WORDS <= n <= MAX_TITLE_WORDS):
            continue
        if line.endswith(":") or BYLINE_RE.match(line) or find_date(line):
            continue
        return i
    return None


def split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", text)
    return [clean_value(p) for p in parts if p.strip()]


def read_header(lines: list[str], found: Found) -> None:
    """Byline, date line, section, image credit and highlights in the lines after the headline."""
    start = (found.title_index + 1) if found.title_index is not None else 0
    for i in range(start, min(len(lines), start + HEADER_WINDOW)):
        line = lines[i]
        if HIGHLIGHTS_RE.match(line):
            found.used.add(i)
            if i + 1 < len(lines) and found.summary is None:
                found.summary = lines[i + 1]
                found.used.add(i + 1)
            continue
        for credit_re in CREDIT_RES:
            m = credit_re.search(line)
            if m and found.image_credit is None and clean.words(line) <= 12:
                found.image_credit = clean_value(m.group("credit"))
                found.used.add(i)
                break
        if i in found.used:
            continue
        if clean.words(line) <= 20 and (date := find_date(line)) is not None and found.date is None:
            label = DATE_LABEL_RE.search(line)
            if label and label.group("label").lower() in ("updated", "last updated", "modified"):
                found.updated = date.when
            found.date = date.when
            prefix = line[: label.start()].strip(" |-–·,") if label else ""
            if prefix and clean.words(prefix) <= 3 and not find_date(prefix):
                found.section = clean_value(prefix)
            found.used.add(i)
            continue
        m = BYLINE_RE.match(line)
        if m and found.author is None and clean.words(m.group("name")) <= MAX_BYLINE_WORDS + 4:
            found.author = clean_value(m.group("name"))
            found.used.add(i)
            continue
        if found.author is None and _looks_like_name(line) and i <= start + 2:
            found.author = clean_value(line)
            found.used.add(i)


def _looks_like_name(line: str) -> bool:
    tokens = line.split()
    if not (2 <= len(tokens) <= MAX_BYLINE_WORDS) or clean.is_furniture(line):
        return False
    if re.search(r"[\d.!?:;\"“”]", line):
        return False
    return all(t[0].isupper() for t in tokens if t.lower() not in ("de", "van", "von", "der", "al", "bin", "la", "le"))


def read_footer(lines: list[str], found: Found) -> None:
    """Agency credits ('(With inputs from ...)') and the copyright owner anywhere on the page."""
    for i, line in enumerate(lines):
        m = INPUTS_RE.match(line)
        if m:
            found.sources.extend(n for n in split_names(m.group("who")) if n not in found.sources)
            found.used.add(i)
            continue
        m = COPYRIGHT_RE.match(line)
        if m and found.outlet is None:
            found.outlet = clean_value(m.group("owner"))


def outlet_from_author(author: str | None) -> str | None:
    if not author:
        return None
    m = TEAM_RE.match(author)
    return m.group("outlet") if m else None


def extract_metadata(lines: list[str], given_title: str | None = None, given_date: str | None = None,
                     scores: np.ndarray | None = None) -> Found:
    """Everything the page says about itself, found in its lines."""
    found = Found()
    found.title_index = find_title(lines, given_title)
    if found.title_index is not None:
        found.title = cut_title(lines[found.title_index])
        found.used.add(found.title_index)
    elif given_title:
        found.title = cut_title(given_title)
    read_header(lines, found)
    read_footer(lines, found)
    if given_date:
        found.date = parse_date(given_date) or found.date
    team_outlet = outlet_from_author(found.author)
    if team_outlet:
        found.outlet = team_outlet
    return found


# --- language ------------------------------------------------------------------------------

LANGUAGE_STOPLISTS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                      "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
                      "cs": "Czech", "tr": "Turkish", "id": "Indonesian"}
MIN_LANGUAGE_HITS = 5
"""Fewer stop-word hits than this and the language stays unknown."""


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    import justext

    return {code: frozenset(justext.get_stoplist(name)) for code, name in LANGUAGE_STOPLISTS.items()}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code by stop-word counts (justext's lists); script-based for Arabic, CJK, Cyrillic."""
    sample = text[:5000]
    scripts = {"ar": r"[\u0600-\u06ff]", "zh": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff]", "ko": r"[\uac00-\ud7af]"}
    for code, pattern in scripts.items():
        if len(re.findall(pattern, sample)) > len(sample) * 0.2:
            return code
    tokens = re.findall(r"\w+", sample.lower())
    best, hits = None, 0
    for code, stop in _stoplists().items():
        count = sum(1 for t in tokens if t in stop)
        if count > hits:
            best, hits = code, count
    return best if hits >= MIN_LANGUAGE_HITS else None
