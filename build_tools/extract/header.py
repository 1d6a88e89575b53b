"""Header stage of the metadata: the lines under the headline (byline, date line, section,
picture credit, highlights, standfirst). Pure functions over the page's lines."""

from __future__ import annotations

import re

import numpy as np

from build_tools.extract import clean, credits
from build_tools.extract.bylines import (
    INLINE_BYLINE_RE,
    MAX_BYLINE_WORDS,
    PICTURE_WORD_RE,
    byline_names,
    clean_name,
    is_agency,
    looks_like_name,
    more_names,
)
from build_tools.extract.dates import find_date, is_embed_line
from build_tools.extract.found import Found
from build_tools.extract.headline import BYLINE_RE, DATE_LABEL_RE, HIGHLIGHTS_RE, MAX_DATE_LINE_WORDS
from build_tools.model import FIELDS
from build_tools.text import clean_value, cut

HEADER_WINDOW = 8
"""How many lines after the headline are searched for byline, date line, credit and highlights."""

MAX_TITLE_CHARS = FIELDS["title"].limit
"""Titles longer than this are cut at a word boundary (the field table's limit; hostile c011)."""

STANDFIRST_WINDOW = 3
"""A standfirst sits within this many lines under the headline, before the byline and the text."""

MIN_STANDFIRST_WORDS = 8
"""Shorter lines under a headline are kickers, bylines or labels, not a summary."""

def cut_title(title: str) -> str:
    """``title`` on one line, at most MAX_TITLE_CHARS characters plus '…', never cut inside a
    grapheme (emoji ZWJ sequence, variation selector, combining mark)."""
    return cut(clean_value(title), MAX_TITLE_CHARS)

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
        credit = credits.image_credit(line)
        if credit and found.image_credit is None:
            found.image_credit = credit
            found.used.add(i)
        if i in found.used:
            continue
        if clean.words(line) <= 20 and not is_embed_line(line) and (date := find_date(line)) is not None \
                and found.date is None and not _date_line_above(lines, found.title_index, i - start + 1):
            label = DATE_LABEL_RE.search(line)
            if label and label.group("label").lower() in ("updated", "last updated", "modified"):
                found.updated = date.when
            found.date, found.date_found = date.when, date
            prefix = line[: label.start()].strip(" |-–·,") if label else ""
            if prefix and clean.words(prefix) <= 3 and not find_date(prefix):
                found.section = clean_value(prefix)
            found.used.add(i)
            continue
        m = BYLINE_RE.match(line)
        if m and is_agency(m.group("name")):  # 'Von dpa', 'By Reuters': a wire credit
            if (agency := clean_value(m.group("name"))) not in found.sources:
                found.sources.append(agency)
            found.used.add(i)
            continue
        if m and PICTURE_WORD_RE.search(m.group("name")):
            continue
        if m and found.author is None and clean.words(m.group("name")) <= MAX_BYLINE_WORDS + 4:
            first = re.split(r"\s+[|•·/–—-]\s+|\s*[|•·]\s*", m.group("name"))[0]
            name = clean_name(first.split())
            if (names := byline_names(first)) and len(names) > 1:
                found.author = ", ".join(names)  # 'By A, Senior Correspondent, and B'
                found.used.add(i)
                continue
            if name:
                found.author = more_names(name, first[len(name):]) if first.startswith(name) else name
                found.used.add(i)
                continue
        if found.author is None and looks_like_name(line) and i <= start + 2 and \
                any(find_date(lines[j]) for j in range(i + 1, min(len(lines), i + 3))):
            # 'Artikel von Alexa von Heyden' over the date: the name after the byline keyword.
            m = INLINE_BYLINE_RE.search(line)
            found.author = (m and clean_name(m.group("name").split())) or clean_value(line)
            found.used.add(i)

def _date_line_above(lines: list[str], title_index: int | None, within: int) -> bool:
    """A short date line less than ``within`` lines above the headline: a date below it that is
    further away belongs to a subheading or an embed, and the date search picks the nearer one."""
    if title_index is None:
        return False
    return any(clean.words(lines[j]) <= MAX_DATE_LINE_WORDS and find_date(lines[j]) is not None
               for j in range(max(0, title_index - within + 1), title_index))

def find_standfirst(lines: list[str], scores: np.ndarray, found: Found) -> None:
    """The summary printed between the headline and the byline, above the article text."""
    if found.summary is not None or found.title_index is None:
        return
    strong = np.flatnonzero(scores > clean.BODY_THRESHOLD)
    first_body = int(strong[0]) if len(strong) else len(lines)
    for i in range(found.title_index + 1, min(len(lines), found.title_index + 1 + STANDFIRST_WINDOW)):
        if i in found.used:
            continue
        line = lines[i]
        later_header = any(j in found.used for j in range(i + 1, min(len(lines), i + 1 + STANDFIRST_WINDOW)))
        if clean.words(line) >= MIN_STANDFIRST_WORDS and (i < first_body or later_header) and \
                not clean.is_furniture(line) and not BYLINE_RE.match(line) and find_date(line) is None:
            found.summary = line
            found.used.add(i)
        return
