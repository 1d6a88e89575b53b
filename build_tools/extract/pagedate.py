"""Date stage of the metadata: where on a page its publication date is printed. Pure functions
over the page's lines (``dates`` reads the printed dates)."""

from __future__ import annotations

from build_tools.extract import clean
from build_tools.extract.dates import SHORT_YEAR_RE, find_date, find_foreign_date
from build_tools.extract.found import Found
from build_tools.extract.headline import DATE_LABEL_RE, MAX_DATE_LINE_WORDS

DATE_AFTER_TITLE = 15
"""Lines after the headline searched first for the date line. trafilatura-eval date accuracy:
0.779 at 10 and 15 lines, 0.777 at 25, 0.771 at 40 (further down, dates of teasers and comments)."""

DATE_BEFORE_BODY = 3

DATE_AFTER_BODY = 5
"""Lines before / after the start of the main article text searched when the headline's window
holds no date (see date_search_order). Chosen, not swept: with the cut-headline ranker,
trafilatura-eval date accuracy was 0.8168 with nearest-first order alone and 0.8185 with this
window added."""

DATE_BEFORE_TITLE = 10
"""Lines before the headline searched next (kicker/date lines above the h1); trafilatura-eval:
0.767 at 3, 0.779 at 10, 0.769 at 20."""

LEADING_DATE_CHARS = 40

LEADING_DATE_OFFSET = 2
"""A long line still gives its date when it opens with it ('27.1.2022 - Bei der Erinnerung ...',
'(21. November 2022) Energieverbraucher ...'): a news-agency or press-release dateline."""

FALLBACK_DATE_WORDS = 12
"""Anywhere else on the page only short date-like lines (a stamp, not a sentence) are taken."""

def date_search_order(lines: list[str], title_index: int | None, body_start: int | None = None) -> list[int]:
    """Where the publication date is looked for: around the headline, nearest line first (the line
    below before the line above at the same distance), then the first lines of the article text,
    then the short lines of the rest of the page in order. Nearest first keeps the date stable when
    the ranker picks a kicker, a deck or a subheading near the true headline: the header's date
    line is still the closest one."""
    anchor = title_index if title_index is not None else 0
    near = [anchor] if anchor < len(lines) else []
    for k in range(1, max(DATE_AFTER_TITLE, DATE_BEFORE_TITLE + 1)):
        if k < DATE_AFTER_TITLE and anchor + k < len(lines):
            near.append(anchor + k)
        if k <= DATE_BEFORE_TITLE and anchor - k >= 0:
            near.append(anchor - k)
    seen = set(near)
    if body_start is not None:
        # A headline picked far from the text (a navigation line): the date printed over or at the
        # start of the article text comes before dates of teasers and comments further down.
        near += [i for i in range(max(0, body_start - DATE_BEFORE_BODY), min(len(lines), body_start + DATE_AFTER_BODY))
                 if i not in seen]
        seen = set(near)
    rest = [i for i in range(len(lines)) if i not in seen and clean.words(lines[i]) <= FALLBACK_DATE_WORDS]
    return near + rest

def find_page_date(lines: list[str], found: Found, body_start: int | None = None,
                   language: str | None = None) -> None:
    """The publication (and update) date when the header did not show one (``language``: the
    page's, for dates in words the patterns do not know)."""
    if found.date is not None:
        return
    for i in date_search_order(lines, found.title_index, body_start):
        line = lines[i]
        if not (clean.YEAR_RE.search(line) or SHORT_YEAR_RE.search(line)):
            continue
        long_line = clean.words(line) > MAX_DATE_LINE_WORDS
        text = line[:LEADING_DATE_CHARS] if long_line else line
        date = find_date(text) or find_foreign_date(text, language)
        if date is None or (long_line and line.find(date.text) > LEADING_DATE_OFFSET):
            continue
        found.date, found.date_found = date.when, date
        label = DATE_LABEL_RE.search(line)
        if label and label.group("label").lower() in ("updated", "last updated", "modified"):
            found.updated = date.when
        return

MONTH_FIRST_LANGUAGES = frozenset({"en", None})
"""Pages in these languages (None: unknown, wire copy) print '3/5/2022' month first; every other
language day first. trafilatura-eval: 9 of 10 ambiguous slash dates that decide a page on non-English pages were day first."""
