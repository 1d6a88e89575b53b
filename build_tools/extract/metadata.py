"""Metadata stage: title, dates, byline, outlet, section, summary, credits, sources.

Works on the page's lines (from ``clean.split_lines``) and returns a :class:`Found` record. Each
idea has its module: ``headline`` (where the headline is), ``header`` (the lines under it),
``pagedate`` (where the date is), ``bylines``, ``credits``, ``outlet``; this one runs them in
order. Pure functions, no I/O. Values the page does not show stay None: a null beats a wrong value.
"""

from __future__ import annotations

import numpy as np

from build_tools.extract import clean, credits, outlet, outlet_rank
from build_tools.extract.bylines import (
    find_end_byline,
    find_inline_author,
    find_name_line,
    find_split_byline,
    is_agency,
    outlet_from_author,
    person_name,
    vet_author,
)
from build_tools.extract.dates import day_first, parse_date
from build_tools.extract.found import Found
from build_tools.extract.header import cut_title, find_standfirst, read_header
from build_tools.extract.headline import find_title, header_block_title, main_body_start, rank_title
from build_tools.extract.pagedate import MONTH_FIRST_LANGUAGES, find_page_date

__all__ = ["Found", "cut_title", "extract_metadata", "outlet_from_author"]


def extract_metadata(lines: list[str], given_title: str | None = None, given_date: str | None = None,
                     scores: np.ndarray | None = None, page: list[clean.Line] | None = None,
                     stop: frozenset[str] = frozenset(), language: str | None = None,
                     title_model: clean.Trees | None = None, outlet_model: clean.Trees | None = None) -> Found:
    """Everything the page says about itself, found in its lines (``title_model``: the headline
    ranker, used with ``scores`` and ``page``; ``outlet_model``: the outlet ranker, else the
    hand-set agreement of two self-references decides)."""
    found = Found()
    if page is not None and scores is not None and not given_title:
        # The trained ranker; when it finds no headline-like line near the text (wire copy with an
        # upper-case slug, a page of short lines), the first headline-shaped line.
        found.title_index = header_block_title(lines, page)
        if found.title_index is None and (ranked := rank_title(lines, page, scores, stop, title_model)) is not None:
            # A headline cut from its line or joined with the next: the header is read below it.
            found.title = cut_title(ranked.text)
            found.title_index = ranked.end
            found.used.update(range(ranked.start, ranked.end + 1))
        if found.title_index is None:
            found.title_index = find_title(lines)
    else:
        found.title_index = find_title(lines, given_title)
    if found.title is None and found.title_index is not None:
        found.title = cut_title(lines[found.title_index])
        found.used.add(found.title_index)
    elif given_title:
        found.title = cut_title(given_title)
    read_header(lines, found)
    if scores is not None:
        find_standfirst(lines, scores, found)
    find_page_date(lines, found, main_body_start(lines, scores) if scores is not None else None, language)
    find_inline_author(lines, found)
    find_name_line(lines, found)
    credits.find_sources(lines, found)
    credits.find_wire_credits(lines, found)
    credits.find_caption_credit(lines, found)
    find_end_byline(lines, found)
    find_split_byline(lines, found)
    if found.date_found is not None and language not in MONTH_FIRST_LANGUAGES:
        found.date = day_first(found.date_found)
        if found.updated == found.date_found.when:
            found.updated = found.date
    if given_date:
        found.date = parse_date(given_date) or found.date
    found.author = vet_author(found.author, found.sources)
    # The site naming itself: its team's byline, a 'Follow X on' or copyright line, a wire dateline.
    refs = outlet.self_references(lines, is_agency, person_name, found.author, outlet_from_author, clean.is_furniture)
    found.outlet_refs = refs
    chosen = (outlet_rank.ranked_outlet(outlet_rank.candidates(lines, refs), outlet_model) if outlet_model is not None
              else outlet.agreed_outlet(refs))
    found.outlet = chosen or outlet.dateline_agency(lines)
    found.claimed_outlet = outlet.claimed_outlet(refs) or outlet.dateline_agency(lines)
    return found
