"""Metadata stage: title, dates, byline, outlet, section, summary, image credit, sources.

Works on the page's lines (from ``clean.split_lines``) and returns a :class:`Found` record:
pure functions, no I/O. Values the page does not show stay None: a null beats a wrong value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from build_tools.extract import clean
from build_tools.extract.dates import MONTHS, SHORT_YEAR_RE, FoundDate, day_first, find_date, parse_date
from build_tools.extract.headline import (
    BYLINE_RE,
    COPYRIGHT_RE,
    DATE_LABEL_RE,
    HIGHLIGHTS_RE,
    MAX_DATE_LINE_WORDS,
    TEAM_RE,
    find_title,
    header_block_title,
    main_body_start,
    rank_title,
)
from build_tools.model import FIELDS
from build_tools.text import clean_value, cut

HEADER_WINDOW = 8
"""How many lines after the headline are searched for byline, date line, credit and highlights."""
MAX_TITLE_CHARS = FIELDS["title"].limit
"""Titles longer than this are cut at a word boundary (the field table's limit; hostile c011)."""
MAX_BYLINE_WORDS = 6
MAX_CAPTION_WORDS = 40
"""A caption ending 'Photo: Name/Agency' is at most this long (longer lines are text quoting a credit)."""
STANDFIRST_WINDOW = 3
"""A standfirst sits within this many lines under the headline, before the byline and the text."""
MIN_STANDFIRST_WORDS = 8
"""Shorter lines under a headline are kickers, bylines or labels, not a summary."""

CREDIT_RES = [
    re.compile(r"^(?:photograph|photo|image|picture|pic|foto|bild)s?\s*:\s*\(?(?P<credit>[^()]{1,80}?)\)?\.?$", re.IGNORECASE),
    re.compile(r"\((?:photo|image|picture)\s*(?:by|:)\s*(?P<credit>[^()]{1,80})\)", re.IGNORECASE),
    re.compile(r"\b(?:photograph|photo|image|picture|foto|bild)\s*:\s*(?P<credit>[^.:|]{2,80}?)\.?$", re.IGNORECASE),
]
DATELINE_AGENCY_RE = re.compile(r"^[A-Z][A-Z/ .'-]{1,60},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\((?P<agency>[A-Z][\w .&-]{1,30})\)\s+[-–—]")
"""A wire dateline, 'DUSHANBE, Aug 5 (Wire) - ...': the agency in brackets is the outlet."""
INPUTS_RE = re.compile(r"^\(?\s*with inputs from (?P<who>.{1,120}?)\s*\)?\.?$", re.IGNORECASE)



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
    date_found: FoundDate | None = None
    """The printed date the publication date came from (its numeric order may need the page's language)."""


def cut_title(title: str) -> str:
    """``title`` on one line, at most MAX_TITLE_CHARS characters plus '…', never cut inside a
    grapheme (emoji ZWJ sequence, variation selector, combining mark)."""
    return cut(clean_value(title), MAX_TITLE_CHARS)


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
            if m and found.image_credit is None and clean.words(line) <= MAX_CAPTION_WORDS:
                found.image_credit = clean_value(m.group("credit")).strip("() ") or None
                found.used.add(i)
                break
        if i in found.used:
            continue
        if clean.words(line) <= 20 and (date := find_date(line)) is not None and found.date is None \
                and not _date_line_above(lines, found.title_index, i - start + 1):
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
        if m and _is_agency(m.group("name")):  # 'Von dpa', 'By Reuters': a wire credit
            if (agency := clean_value(m.group("name"))) not in found.sources:
                found.sources.append(agency)
            found.used.add(i)
            continue
        if m and PICTURE_WORD_RE.search(m.group("name")):
            continue
        if m and found.author is None and clean.words(m.group("name")) <= MAX_BYLINE_WORDS + 4:
            first = re.split(r"\s+[|•·/–—-]\s+|\s*[|•·]\s*", m.group("name"))[0]
            name = _clean_name(first.split())
            if (names := byline_names(first)) and len(names) > 1:
                found.author = ", ".join(names)  # 'By A, Senior Correspondent, and B'
                found.used.add(i)
                continue
            if name:
                found.author = _more_names(name, first[len(name):]) if first.startswith(name) else name
                found.used.add(i)
                continue
        if found.author is None and _looks_like_name(line) and i <= start + 2 and \
                any(find_date(lines[j]) for j in range(i + 1, min(len(lines), i + 3))):
            # 'Artikel von Alexa von Heyden' over the date: the name after the byline keyword.
            m = INLINE_BYLINE_RE.search(line)
            found.author = (m and _clean_name(m.group("name").split())) or clean_value(line)
            found.used.add(i)


def _date_line_above(lines: list[str], title_index: int | None, within: int) -> bool:
    """A short date line less than ``within`` lines above the headline: a date below it that is
    further away belongs to a subheading or an embed, and the date search picks the nearer one."""
    if title_index is None:
        return False
    return any(clean.words(lines[j]) <= MAX_DATE_LINE_WORDS and find_date(lines[j]) is not None
               for j in range(max(0, title_index - within + 1), title_index))


def _looks_like_name(line: str) -> bool:
    tokens = line.split()
    if not (2 <= len(tokens) <= MAX_BYLINE_WORDS) or clean.is_furniture(line):
        return False
    if re.search(r"[\d.!?:;\"“”]", line):
        return False
    return all(t[0].isupper() for t in tokens if t.lower() not in ("de", "van", "von", "der", "al", "bin", "la", "le"))


def read_footer(lines: list[str], found: Found) -> None:
    """Agency credits ('(With inputs from ...)') and the copyright owner anywhere on the page;
    a wire dateline's agency is the outlet when no owner is printed."""
    agency: str | None = None
    for i, line in enumerate(lines):
        m = INPUTS_RE.match(line)
        if m:
            found.sources.extend(n for n in split_names(m.group("who")) if n not in found.sources)
            found.used.add(i)
            continue
        m = DATELINE_AGENCY_RE.match(line)
        if m and agency is None:
            agency = clean_value(m.group("agency"))
            continue
        m = COPYRIGHT_RE.match(line)
        if m and found.outlet is None:
            found.outlet = clean_value(m.group("owner"))
    if found.outlet is None and agency is not None:
        found.outlet = agency


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
_NAME_TOKEN = r"(?:[A-ZÄÖÜÉÀÁÂÈÓŁŚŻ][\w.'’-]*|de|van|von|der|al|la|le|da|di|del|dos|du)"
BYLINE_VERBS = (r"(?i:posted|written|text|post author|veröffentlicht|erstellt|eingestellt|geschrieben|verfasst|gepostet|"
                r"publié|publicado|escrito|pubblicato|scritto|beitrag|gastbeitrag|artikel|kolumne|kommentar|"
                r"analyse|reportage|article|column|story|artículo|columna)")
"""Verbs and nouns that open a byline ('Posted by X', 'Erstellt von X', 'Ein Artikel von X')."""
INLINE_BYLINE_RE = re.compile(
    rf"(?:^|[|/•·,(–—-]\s*|(?<=\d)\s+|(?<=\d\.)\s+|{BYLINE_VERBS}\s+(?:(?i:am|on|le)\s+\S+\s+)?)"
    r"(?P<keyword>(?i:by|von|vom|par|por|door|przez|durch|autor(?:in)?|auteur|author|text|redaktion|autor\*in|"
    r"kolumnist\*in|escribe))\s*:?\s+"
    rf"(?P<name>[A-ZÄÖÜÉÀÁÂÈÓŁŚŻ][\w.'’-]*(?:\s+{_NAME_TOKEN}){{0,3}})",
)
"""A byline inside a line: at its start, after a separator, a date or a byline verb. A 'von'/'by'
after an ordinary word is a preposition in a sentence ('Reisen von Van der Bellen'), not a byline."""
NAME_BREAK = frozenset({"foto", "fotos", "photo", "photos", "bild", "bilder", "illustration", "published", "updated",
                        "veröffentlicht", "aktualisiert", "am", "on", "at", "um", "in", "im", "und", "and", "the",
                        "le", "el", "la", "mit", "with", "für", "for", "zum", "zur", "staff", "writer",
                        "reporter", "correspondent", "editor", "redakteur", "redakteurin", "korrespondent",
                        "korrespondentin", "twitter", "ein", "eine"})
"""Words that end a name read after 'by'/'von' (the credit, role or date that follows it)."""
LONG_MONTHS = frozenset(m for m in MONTHS if len(m) > 3)
"""Month names end a name read after 'by' ('by Logan C. Ritchie November 8'); three-letter
abbreviations do not (they are also surnames and given names)."""
NAME_NOT_AUTHOR = frozenset({"redaktion", "admin", "share", "teilen", "kommentar", "kommentare", "uhr", "min",
                             "minuten", "lesezeit", "read", "minutes"})
"""Words that make the text next to a date something else than a name."""
LABELLED_AUTHOR_RE = re.compile(r"^(?:autor(?:in)?|author|text|written by|geschrieben von|reporter|reporters|words by|words|"
                                r"story by|reported by|reportage|redakteur(?:in)?|auteur|autora)\s*:?\s+(?P<name>.{2,60})$",
                                re.IGNORECASE)
AUTHOR_WINDOW = 6
"""Lines after the headline searched for an inline byline ('… | von Jona Göbelbecker'); half as
many before it. On trafilatura-eval author accuracy was 0.587/0.584/0.553/0.534/0.502 for windows
of 4/6/12/18/30 lines: further away, 'von X' is more often a comment or a teaser than the byline."""
CREDIT_WORD_RE = re.compile(r"\b(?:foto|fotos|photo|photos|bild|image|picture|illustration|grafik|"
                            r"translated|übersetzt|traduit)\b", re.IGNORECASE)
"""A line naming a photographer or translator: its 'by'/'von' is no byline."""
AUTHOR_KEYWORD_WINDOW = 30
"""Lines after the headline searched for a short line that opens with a byline keyword.
trafilatura-eval author misses (of 584): 197 without this pass, 197 at 15 lines, 191 at 30, 190 at 50."""
MAX_KEYWORD_BYLINE_WORDS = 8
"""Longer lines opening with 'Von'/'By' are sentences ('Von Montag an gilt ...')."""
NAME_STOP = frozenset({"am", "on", "at", "um", "le", "el", "in", "im", "und", "and"})


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


def find_page_date(lines: list[str], found: Found, body_start: int | None = None) -> None:
    """The publication (and update) date when the header did not show one."""
    if found.date is not None:
        return
    for i in date_search_order(lines, found.title_index, body_start):
        line = lines[i]
        if not (clean.YEAR_RE.search(line) or SHORT_YEAR_RE.search(line)):
            continue
        long_line = clean.words(line) > MAX_DATE_LINE_WORDS
        date = find_date(line[:LEADING_DATE_CHARS] if long_line else line)
        if date is None or (long_line and line.find(date.text) > LEADING_DATE_OFFSET):
            continue
        found.date, found.date_found = date.when, date
        label = DATE_LABEL_RE.search(line)
        if label and label.group("label").lower() in ("updated", "last updated", "modified"):
            found.updated = date.when
        return


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


def find_inline_author(lines: list[str], found: Found) -> None:
    """A byline inside a date or credit line ('01. Dez. 2022 | von Jona Göbelbecker')."""
    if found.author is not None:
        return
    anchor = found.title_index if found.title_index is not None else 0
    order = list(range(anchor, min(len(lines), anchor + AUTHOR_WINDOW)))
    order += list(range(anchor - 1, max(-1, anchor - AUTHOR_WINDOW // 2 - 1), -1))
    for i in order:
        line = lines[i]
        if clean.words(line) > MAX_DATE_LINE_WORDS:
            continue
        m = LABELLED_AUTHOR_RE.match(line)
        if m and clean.words(m.group("name")) <= MAX_BYLINE_WORDS:
            name = _clean_name(re.split(r"\s*[|/•·]\s*", m.group("name"))[0].split())
            if name:
                found.author = name
                return
        if i == found.title_index:
            continue  # 'Reisen von X' in a headline
        for m in INLINE_BYLINE_RE.finditer(line):
            if CREDIT_WORD_RE.search(line[:m.start("keyword")]):
                continue  # 'Foto von X', 'Photo by X on Unsplash'
            if _credit_after(line[m.end("name"):]):
                continue  # 'By X / Getty Images'
            if (name := _clean_name(m.group("name").split())) is not None:
                found.author = _more_names(name, line[m.start("name") + len(name):])
                return
        if (name := _name_by_date(line)) is not None:
            found.author = name
            return
    # A short line that opens with a byline keyword ('Von X', 'Autor: X', 'Erstellt von X') is a
    # byline further down too (under a photo, a standfirst, a share bar).
    for i in range(anchor + AUTHOR_WINDOW, min(len(lines), anchor + AUTHOR_KEYWORD_WINDOW)):
        line = lines[i]
        if clean.words(line) > MAX_KEYWORD_BYLINE_WORDS:
            continue
        m = LABELLED_AUTHOR_RE.match(line)
        if m and (name := _clean_name(re.split(r"\s*[|/•·]\s*", m.group("name"))[0].split())):
            found.author = name
            return
        m = INLINE_BYLINE_RE.match(line)
        if m and not CREDIT_WORD_RE.search(line[:m.start("keyword")]) and \
                (name := _clean_name(m.group("name").split())) is not None:
            found.author = _more_names(name, line[m.start("name") + len(name):])
            return


NAME_LINE_AFTER = 10
"""A line that is only a person's name is searched this many lines under the headline (and
NAME_LINE_BEFORE above it). trafilatura-eval author accuracy, calibrated with the other byline
rules in place, misses of 584 pages: 197 at 6 and 10 lines, 196 at 15, 200 at 20 (further down
the name of a quoted person or a teaser's author). Re-checked after the co-author rules: 180 at 10 lines,
179 at 15 (with 3 more wrong names), so 10 stays."""
NAME_LINE_BEFORE = 2
_NAME_PART_TOKEN = re.compile(r"(?:[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][\w'’.-]*|de|del|da|das|dos|du|van|von|der|den|la|le|di|al|bin|y)")
HONORIFICS = frozenset({"dr", "prof", "mrs", "mr", "ms", "dipl", "ing", "mag"})


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (data/given_names.txt and data/first_names.txt), case-folded."""
    from importlib import resources

    out: set[str] = set()
    for name in ("given_names.txt", "first_names.txt"):
        text = resources.files("build_tools.data").joinpath(name).read_text("utf-8")
        out.update(w.casefold() for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(out)


def _person_name(part: str) -> bool:
    """'Anna Keller', 'Dr. Juan Carlos Muñoz C.', 'SVEN MICHAELSEN': two to four name words,
    the first (after an honorific) a known given name."""
    tokens = part.split()
    titled = False
    while tokens and tokens[0].lower().strip(".") in HONORIFICS:
        tokens, titled = tokens[1:], True
    if not (2 <= len(tokens) <= 4) or not all(_NAME_PART_TOKEN.fullmatch(t) for t in tokens):
        return False
    return (titled or tokens[0].casefold() in given_names()) and tokens[-1][:1].isupper()


ROLE_AFTER_NAME_RE = re.compile(r"\s+(?:autor|autorin|author|redakteur|redakteurin|reporter|writer)$", re.IGNORECASE)
"""'Harald Bauer Autor': the role printed after a bare name is not part of it."""


MORE_NAME_RE = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b)\s*(?P<part>[^,&|/•·]+)")


def _more_names(name: str, rest: str) -> str:
    """'Nathan Parker, Varun Khaneja and Eric Mill': co-authors after the first name. A list of
    name-shaped parts is taken when it runs to the end of the line (or a ' - ' separator);
    otherwise only parts that start with a known given name ('Alex Durán, AMP Project Marketing,
    Google' keeps only the first name)."""
    for strict in (False, True):
        names, tail = [name], rest
        while (m := MORE_NAME_RE.match(tail)) is not None:
            part = re.split(r"\s+(?:and|und|et|y|&)\s+|\s+[-–—]\s+", m.group("part").strip(), maxsplit=1)[0]
            if not (_person_name(part) or (not strict and _name_shape(part))):
                break
            names.append(part)
            tail = tail[m.start("part") + len(part):]
        if strict or not tail.strip() or re.match(r"\s+[-–—|]\s", tail):
            return ", ".join(names)
    return name


def _name_shape(part: str) -> bool:
    """Two to four capitalised name words (a co-author whose given name is not in the list)."""
    tokens = part.split()
    return 2 <= len(tokens) <= 4 and all(_NAME_PART_TOKEN.fullmatch(t) for t in tokens) and tokens[0][:1].isupper()


def find_name_line(lines: list[str], found: Found) -> None:
    """A byline printed as the bare name (or names) on its own line near the headline."""
    if found.author is not None or found.title_index is None:
        return
    t = found.title_index
    order = list(range(t + 1, min(len(lines), t + 1 + NAME_LINE_AFTER)))
    order += list(range(t - 1, max(-1, t - 1 - NAME_LINE_BEFORE), -1))
    for i in order:
        line = ROLE_AFTER_NAME_RE.sub("", lines[i].strip(" ,"))
        if clean.words(line) > 4 * 3 or re.search(r"[\d:;!?\"“”()|/@]", line):
            continue
        parts = [p for p in re.split(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b)\s*", line) if p]
        if parts and _person_name(parts[0]) and all(_person_name(p) or _name_shape(p) for p in parts[1:]):
            found.author = clean_value(line)
            found.used.add(i)
            return


NAME_JOINERS = frozenset({"and", "und", "&", "et", "y", "i", "e"})


def _clean_name(tokens: list[str]) -> str | None:
    """The name at the start of ``tokens``: cut at a credit/date word, no trailing particles;
    'A and B' is kept whole."""
    out: list[str] = []
    for k, t in enumerate(tokens):
        low = t.lower().strip(".,:")
        if low in NAME_JOINERS and k + 1 < len(tokens) and tokens[k + 1][:1].isupper() and out:
            out.append(t)
            continue
        if low in NAME_BREAK or low in LONG_MONTHS or any(c.isdigit() for c in t) or "@" in t or t in ("•", "|", "·", "-", "–"):
            break
        out.append(t.rstrip(",;:"))
        if t.endswith((",", ";", ":")):
            break
    while out and (out[-1].lower() in NAME_STOP or out[-1][:1].islower()):
        out.pop()
    if not out or out[0][:1].islower():
        return None
    return clean_value(" ".join(out))


def _name_by_date(line: str) -> str | None:
    """'Gunter Frank / 22.04.2020 / 06:15' or '30. Oktober 2023 Carola Pönisch': a name of two or
    three capitalised words right beside a date in a short line."""
    if clean.words(line) > MAX_BYLINE_WORDS + 6 or not (clean.YEAR_RE.search(line) or SHORT_YEAR_RE.search(line)):
        return None
    date = find_date(line)
    if date is None:
        return None
    start = line.find(date.text)
    before = line[:start].strip(" |/•·,–—-")
    after = line[start + len(date.text):].strip(" |/•·,–—-")
    after = re.sub(r"^(?:\d{1,2}[:.]\d{2}\s*)?(?:uhr|h)?\s*[|/•·,–—-]?\s*", "", after, flags=re.IGNORECASE)
    while (again := find_date(after)) is not None and after.startswith(again.text):
        after = after[len(again.text):].strip(" |/•·,–—-")  # 'published 6 Nov 2023 updated 6 Nov 2023 Name'

    if _user_handle(before) and TIME_RE.search(date.text) and after.strip(" .").casefold() in ("", "uhr"):
        return before
    for side, text in (("before", before), ("after", after)):
        tokens = text.split()
        if side == "before":
            if not (2 <= len(tokens) <= 3):
                continue
        else:
            tokens = tokens[:2]
        if not (2 <= len(tokens) <= 3):
            continue
        if all(re.fullmatch(r"[A-ZÄÖÜÉŁŚ][\w'’-]+\.?", t) for t in tokens) and \
                not any(t.lower().strip(".") in NAME_NOT_AUTHOR | NAME_BREAK for t in tokens) and \
                not clean.is_furniture(" ".join(tokens)) and find_date(" ".join(tokens)) is None and \
                _person_name(" ".join(tokens)):
            return clean_value(" ".join(tokens))
    return None


TIME_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
MIN_LOWER_HANDLE_CHARS = 6
"""A lower-case user name ('macbacchi') is at least this long: shorter lower-case words before a
timestamp are labels and prepositions ('am', 'vom', 'seit'). Set on trafilatura-eval forum pages."""
HANDLE_RE = re.compile(r"(?=\w*(?:\d|_|[a-zäöü][A-ZÄÖÜ]))[A-Za-zÄÖÜäöü][\w.-]{2,29}"
                       r"|[a-zäöü]{" + str(MIN_LOWER_HANDLE_CHARS) + r",30}")
"""A forum user name: one token that a word is not (a digit, an underscore or an inner capital:
'MikeNils', 'delta201'), or one lower-case run ('macbacchi')."""


def _user_handle(text: str) -> bool:
    """'MikeNils 18.10.2019, 15:07 Uhr': the user name in front of a post's date and time."""
    return bool(HANDLE_RE.fullmatch(text)) and not DATE_LABEL_RE.search(text) and \
        text.lower() not in NAME_NOT_AUTHOR | NAME_BREAK and not clean.is_furniture(text)


def outlet_from_author(author: str | None) -> str | None:
    if not author:
        return None
    m = TEAM_RE.match(author)
    return m.group("outlet") if m else None


MONTH_FIRST_LANGUAGES = frozenset({"en", None})
"""Pages in these languages (None: unknown, wire copy) print '3/5/2022' month first; every other
language day first. trafilatura-eval: 9 of 10 ambiguous slash dates that decide a page on non-English pages were day first."""


def extract_metadata(lines: list[str], given_title: str | None = None, given_date: str | None = None,
                     scores: np.ndarray | None = None, page: list[clean.Line] | None = None,
                     stop: frozenset[str] = frozenset(), language: str | None = None,
                     title_model: clean.Trees | None = None) -> Found:
    """Everything the page says about itself, found in its lines (``title_model``: the headline
    ranker, used with ``scores`` and ``page``)."""
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
    find_page_date(lines, found, main_body_start(lines, scores) if scores is not None else None)
    find_inline_author(lines, found)
    find_name_line(lines, found)
    read_footer(lines, found)
    find_end_byline(lines, found)
    if found.date_found is not None and language not in MONTH_FIRST_LANGUAGES:
        found.date = day_first(found.date_found)
        if found.updated == found.date_found.when:
            found.updated = found.date
    if given_date:
        found.date = parse_date(given_date) or found.date
    found.author = vet_author(found.author, found.sources)
    team_outlet = outlet_from_author(found.author)
    if team_outlet:
        found.outlet = team_outlet
    return found


AGENCY_WORDS = frozenset({
    "reuters", "ap", "afp", "dpa", "apa", "ansa", "efe", "epa", "kyodo", "xinhua", "tass", "itar-tass", "ria",
    "interfax", "pti", "ians", "ani", "upi", "sid", "kna", "epd", "dapd", "ddp", "sda", "ats", "belga", "anp",
    "tt", "ntb", "ritzau", "stt", "ctk", "pap", "mti", "bta", "hina", "aa", "yonhap", "bernama", "antara", "aap",
    "cp", "aps", "mena", "wafa", "irna", "isna", "agencies", "agency", "agencias", "agenturen", "wires",
    "associated", "press", "agence", "france-presse", "presse", "news", "service", "services",
})
"""Words of a news agency's name (and of 'Agencies', 'wire services'): a byline made only of
these is a wire credit, not an author (kept in ``sources``). A small list of the agencies that
sign copy in the corpus languages, plus the generic words; an author name is never all of them."""
PICTURE_WORD_RE = re.compile(r"\b(?:photo|photos|photograph|foto|fotos|bild|bilder|image|images|picture|pictures|"
                             r"getty|imago|shutterstock|istock|istockphoto|alamy|picture-alliance|keystone|"
                             r"illustration|grafik)\b", re.IGNORECASE)
"""A byline naming a picture or a picture agency is a photo credit ('By X / Getty Images')."""
CREDIT_NAME_RE = re.compile(rf"{PICTURE_WORD_RE.pattern}|/", re.IGNORECASE)
"""A name holding a picture word or an 'X / Agency' slash is a photo credit, never the author."""
ROLE_WORDS = frozenset({
    "senior", "chief", "staff", "writer", "reporter", "correspondent", "editor", "political", "economics",
    "business", "foreign", "sports", "science", "health", "technology", "news", "deputy", "associate",
    "contributing", "special", "columnist", "analyst", "redakteur", "redakteurin", "korrespondent",
    "korrespondentin", "journaliste", "correspondant", "correspondante", "periodista", "corresponsal",
    "for", "the", "of", "and", "our",
})
"""Words of a role printed inside a byline ('By A, Senior Correspondent, and B'): such a part is
skipped, not taken for a co-author."""
PLACE_AFTER_NAME_RE = re.compile(r"\s+(?:in|en|aus|from|à|a)\s+[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*)?$")
"""'Eleanor Price in London': the place a reporter files from is not part of the name."""
BYLINE_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")


def _credit_after(tail: str) -> bool:
    """'/ Getty Images' after a name: the name is a photographer's."""
    return bool(re.match(r"\s*/", tail)) and bool(PICTURE_WORD_RE.search(tail))


def byline_names(text: str) -> list[str]:
    """The authors of a byline's text after its keyword ('Eleanor Price in London and Marcus
    Bell', 'A, Senior Correspondent, and B', 'A und B'): role and place parts skipped; empty when
    a part is neither a name nor a role (the line is a sentence, not a byline)."""
    names: list[str] = []
    for part in BYLINE_SPLIT_RE.split(text.strip(" .")):
        part = PLACE_AFTER_NAME_RE.sub("", part.strip())
        if not part:
            continue
        words = part.split()
        if all(w.casefold() in ROLE_WORDS for w in words):
            continue
        if not (_name_shape(part) or _person_name(part)):
            return []
        names.append(clean_value(part))
    return names


def _is_agency(name: str) -> bool:
    words = re.findall(r"[\w-]+", name.casefold())
    return bool(words) and all(w in AGENCY_WORDS for w in words)


def vet_author(author: str | None, sources: list[str]) -> str | None:
    """The byline without its wire agencies (moved to ``sources``) and photo credits, every
    co-author kept, joined with ', '; None when nothing is left."""
    if not author:
        return None
    kept: list[str] = []
    parts = [p for p in BYLINE_SPLIT_RE.split(author) if p.strip()] if not TEAM_RE.match(author) else [author]
    for part in parts:
        part = clean_value(part)
        if _is_agency(part):
            if part not in sources:
                sources.append(part)
            continue
        if CREDIT_NAME_RE.search(part):
            continue
        kept.append(part)
    return ", ".join(kept) or None


END_BYLINE_WINDOW = 4
"""Lines at the end of the page searched for a byline printed under the text ('By X',
'Words by X'): further up such a line is a quoted credit or a teaser."""


def find_end_byline(lines: list[str], found: Found) -> None:
    """A byline printed at the end of the article, when none was found at the top."""
    if found.author is not None:
        return
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - END_BYLINE_WINDOW), -1):
        line = lines[i]
        if clean.words(line) > MAX_KEYWORD_BYLINE_WORDS:
            continue
        m = BYLINE_RE.match(line) or LABELLED_AUTHOR_RE.match(line)
        if m and (names := byline_names(m.group("name"))):
            found.author = ", ".join(names)
            found.used.add(i)
            return
