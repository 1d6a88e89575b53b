"""Date stage of the metadata: where on a page its publication date is printed. Pure functions
over the page's lines (``dates`` reads the printed dates)."""

from __future__ import annotations

import re
from collections import Counter

from build_tools.extract import clean
from build_tools.extract.dates import SHORT_YEAR_RE, FoundDate, find_date, find_foreign_date, is_embed_line
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

REPEATED_STAMP_LINES = 3
"""A date with a time printed in the same shape ('14. 01. 2020, 13:47', '23.09.20 | 18:19') on at
least this many lines of a page is a stamp of a list (reader comments, a live ticker), not the
page's own date: the first earlier date of another shape in the search order is taken instead (a
page is published before its comments). Calibrated on trafilatura-eval folds 1-4 only (fold 0 held
out), date accuracy on those folds: 372/448 without the rule, 375 at 2 and 3 lines, 374 at 5; taking
any other-shaped date (not only an earlier one) or repeated shapes without a time lost 8-22 pages
(teaser lists printed like the article's own date)."""

_DIGITS_RE = re.compile(r"\d+")
_TIME_RE = re.compile(r"\d:\d\d")


def stamp_shape(date: FoundDate) -> str:
    """How a printed date looks with its numbers blanked: one shape for every stamp of a comment
    list ('14. 01. 2020, 13:47' and '24. 01. 2020, 13:18' are both '0. 0. 0, 0:0')."""
    return _DIGITS_RE.sub("0", date.text)


def _line_date(line: str, language: str | None) -> FoundDate | None:
    """The date a line gives as a date line: a short line's first date, a long line's only when it
    opens the line (a dateline), never one inside a sentence or of an embedded post."""
    if not (clean.YEAR_RE.search(line) or SHORT_YEAR_RE.search(line)) or is_embed_line(line):
        return None
    long_line = clean.words(line) > MAX_DATE_LINE_WORDS
    text = line[:LEADING_DATE_CHARS] if long_line else line
    date = find_date(text) or find_foreign_date(text, language)
    if date is None or (long_line and line.find(date.text) > LEADING_DATE_OFFSET):
        return None
    if _in_brackets(line, date):
        return None
    return date


def _in_brackets(line: str, date: FoundDate) -> bool:
    """Whether ``date`` is printed in brackets inside a line, without a date label before it
    ('(zum 28.02.2017 gekündigt)', '(z.B.: 9.9.2019)', but not '(last edited 2019-11-10 ...)'): an
    aside, never the page's date. A bracket opening the line is a press-release dateline.
    trafilatura-eval folds 1-4 (fold 0 held out): 377 -> 379 of 448 right, none lost (one lost
    before labelled brackets were kept)."""
    at = line.find(date.text)
    opened = line.rfind("(", 0, at)
    if opened <= LEADING_DATE_OFFSET or line.find(")", at) < 0 or line.rfind(")", 0, at) > opened:
        return False
    aside = line[opened:at]
    return not (DATE_LABEL_RE.search(aside) or PUBLISHED_RE.search(aside) or MODIFIED_RE.search(aside))


def find_page_date(lines: list[str], found: Found, body_start: int | None = None,
                   language: str | None = None) -> None:
    """The publication (and update) date when the header did not show one (``language``: the
    page's, for dates in words the patterns do not know). A comment stamp (see
    REPEATED_STAMP_LINES) gives way to an earlier date of another shape, also when the header
    took it, and a change date to a nearby publication date (PUBLISHED_LABEL_LINES)."""
    header = found.date_found if found.date is not None else None
    first: FoundDate | None = header
    first_line = ""
    shapes: Counter[str] | None = None
    order = date_search_order(lines, found.title_index, body_start)
    for i in order:
        if first is not None and not _TIME_RE.search(first.text):
            break  # a date without a time is no comment stamp
        date = _line_date(lines[i], language)
        if date is None:
            continue
        if first is None:
            first, first_line = date, lines[i]
            continue
        if shapes is None:
            shapes = Counter(stamp_shape(d) for d in (_line_date(line, language) for line in lines) if d is not None)
            if shapes[stamp_shape(first)] < REPEATED_STAMP_LINES:
                break
        if date.when < first.when and shapes[stamp_shape(date)] < REPEATED_STAMP_LINES:
            first, first_line = date, lines[i]
            break
    if first is not None and first is not header:
        _take(first_line, first, found)
    _prefer_published(lines, found, order, language)


PUBLISHED_LABEL_LINES = 2
"""A date labelled as a change ('Letzte Änderung: 31.10.2023', 'Updated: ...') gives way to a date
labelled as the publication ('Erschienen am: 01.11.2023', 'Published: ...') at most this many lines
away: the change date is kept as the update date. trafilatura-eval folds 1-4 (fold 0 held out): 376
-> 377 of 448 right at 2, 5 and 10 lines alike, none lost; letting any unlabelled date give way too
fixed and broke one page each, so only a change label gives way."""
PUBLISHED_RE = re.compile(r"\b(?:published|posted|veröffentlicht|erschienen|publiziert|publié|publicado|pubblicato)\b",
                          re.IGNORECASE)
"""Labels of a publication date, in the languages of the corpus."""
MODIFIED_RE = re.compile(r"\b(?:updated|modified|last edited|aktualisiert|letzte änderung|geändert|mis à jour|actualizado|"
                         r"aggiornato)\b", re.IGNORECASE)
"""Labels of a change date."""


def _prefer_published(lines: list[str], found: Found, order: list[int], language: str | None) -> None:
    """A change date chosen (see PUBLISHED_LABEL_LINES) gives way to the nearby publication date."""
    chosen = found.date_found
    if chosen is None:
        return
    at = next((i for i in order if chosen.text in lines[i]), None)
    if at is None or PUBLISHED_RE.search(lines[at]) or not MODIFIED_RE.search(lines[at]):
        return
    near = sorted(range(max(0, at - PUBLISHED_LABEL_LINES), min(len(lines), at + PUBLISHED_LABEL_LINES + 1)),
                  key=lambda j: abs(j - at))
    for i in near:
        if PUBLISHED_RE.search(lines[i]) and (date := _line_date(lines[i], language)) is not None \
                and date.text != chosen.text:
            _take(lines[i], date, found)
            if chosen.when > date.when:
                found.updated = chosen.when
            return


def _take(line: str, date: FoundDate, found: Found) -> None:
    """``date`` (printed on ``line``) as the page's date, an update date when labelled so."""
    if found.updated is not None and found.date_found is not None and found.updated == found.date_found.when:
        found.updated = None
    found.date, found.date_found = date.when, date
    label = DATE_LABEL_RE.search(line)
    if label and label.group("label").lower() in ("updated", "last updated", "modified"):
        found.updated = date.when


MONTH_FIRST_LANGUAGES = frozenset({"en", None})
"""Pages in these languages (None: unknown, wire copy) print '3/5/2022' month first; every other
language day first. trafilatura-eval: 9 of 10 ambiguous slash dates that decide a page on non-English pages were day first."""
