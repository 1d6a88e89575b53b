"""Find and parse publication dates printed on news pages. Pure functions.

Regular expressions cover numeric layouts and month names in the languages of ``MONTHS``;
``dateparser`` reads the rest (other languages and scripts, unusual layouts). A date printed
without a time zone keeps its local time: its zone is :data:`LOCAL`, written without an offset
(never a made-up '+00:00').
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

MIN_YEAR = 1900
"""Dates before this are refused as typos or attacks (year 1, year 0001...)."""
MAX_FUTURE_DAYS = 2
"""A publication date more than this far past the reference time is refused."""


class LocalTime(dt.tzinfo):
    """The zone of a time printed without one: local to the page, offset unknown. Compares and
    sorts as UTC (a datetime must be aware to be ordered with the others), but is written without
    an offset (``store.briefing.iso``) and shown without one."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def dst(self, when: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, when: dt.datetime | None) -> str:
        return "local"

    def __reduce__(self) -> str:
        return "LOCAL"

    def __repr__(self) -> str:
        return "LOCAL"


LOCAL = LocalTime()
"""The one :class:`LocalTime` (pickles as itself, so ``is`` tells it across processes)."""


def is_local(when: dt.datetime | None) -> bool:
    """Whether ``when`` was printed without a time zone."""
    return when is not None and when.tzinfo is LOCAL


class FoundDate(NamedTuple):
    when: dt.datetime
    text: str
    """The matched text, for messages and for stripping from the line."""
    ambiguous: bool = False
    """A numeric date whose day and month can swap ('3/5/2022'): read month first here."""


@lru_cache(maxsize=1)
def tz_offsets() -> dict[str, int]:
    data = json.loads(resources.files("build_tools.data").joinpath("timezones.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


MONTHS = {m: i for i, names in enumerate(
    [("jan", "january", "januar", "jänner", "jän", "janvier", "janv", "enero", "ene", "gennaio", "janeiro",
      "januari", "stycznia", "styczeń"), ("feb", "february", "februar", "février", "fevrier", "févr", "febrero", "febbraio", "fevereiro", "februari",
      "lutego", "luty"),
     ("mar", "march", "märz", "mär", "maerz", "mars", "marzo", "março", "maart", "marca", "marzec"), ("apr", "april", "avril", "avr", "abril", "aprile", "abr", "kwietnia", "kwiecień"),
     ("may", "mai", "mayo", "maggio", "maio", "mei", "maja", "maj", "mag"), ("jun", "june", "juni", "juin", "junio", "giugno", "junho", "czerwca", "czerwiec", "giu"),
     ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "julho", "lipca", "lipiec", "lug"), ("aug", "august", "août", "aout", "agosto", "augustus", "sierpnia", "sierpień", "ago"),
     ("sep", "sept", "september", "septembre", "septiembre", "settembre", "setembro", "set", "września",
      "wrzesień", "sett"), ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro", "out", "ott",
      "października", "październik"),
     ("nov", "november", "novembre", "noviembre", "novembro", "listopada", "listopad"), ("dec", "december", "dezember", "dez", "décembre", "decembre", "déc",
                                                    "diciembre", "dic", "dicembre", "dezembro", "grudnia", "grudzień")], 1) for m in names}

_MON = r"(?P<mon>[^\W\d_]{3,12})\.?"
_TIME = (r"(?:[,\s]+(?:[/|•·-]\s+)?(?:at\s+|um\s+|à\s+|a las\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
         r"(?:\s*(?P<tz>UTC[+-]\d{1,2}(?::?\d{2})?|[A-Z]{1,5}\b|[+-]\d{2}:?\d{2}))?)?")
PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
               r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:of\s+|de\s+|/\s*)?{_MON},?\s*(?:de\s+|/\s*)?(?P<y>\d{{4}}){_TIME}"),
    re.compile(r"\b(?P<d>\d{1,2})-(?P<mon>[A-Za-z]{3})-(?P<y>\d{4})" + _TIME),
    re.compile(r"\b(?P<a>\d{1,2})\s?[/.]\s?(?P<b>\d{1,2})\s?[/.]\s?(?P<y>\d{4})" + _TIME),
    # '28.09.19', '31.10.23, 08:16 Uhr': the German short form, always day.month.year (dots only;
    # not part of a longer dotted number such as a version '1.12.22.4').
    re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<yy>\d{2})(?![\w.]\w)" + _TIME),
]
SHORT_YEAR_RE = re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}\.\d{2}(?![\w.]\w)")
"""Cheap test for the short form before the full patterns run."""


EMBED_RE = re.compile(r"\(@\w{1,30}\)")
"""A social-media handle in brackets marks the attribution line of an embedded post ('— Name
(@handle) 14. Juni 2018', 'Ein Beitrag geteilt von Name (@handle) am Apr 21, 2019'): its date is
the post's, never the page's. trafilatura-eval: such lines on 23 pages of many sites; folds 1-4 date
accuracy 375 -> 376 of 448 right, no page lost."""


def is_embed_line(line: str) -> bool:
    """Whether ``line`` attributes an embedded social-media post (see EMBED_RE)."""
    return "(@" in line and EMBED_RE.search(line) is not None


def _offset(tz: str | None) -> dt.tzinfo | None:
    if not tz:
        return None
    if tz == "Z":
        return dt.UTC
    m = re.fullmatch(r"(?:UTC)?([+-])(\d{1,2}):?(\d{2})?", tz)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return dt.timezone(dt.timedelta(minutes=minutes if m.group(1) == "+" else -minutes))
    minutes_east = tz_offsets().get(tz.upper())
    if minutes_east is None:
        return None
    return dt.timezone(dt.timedelta(minutes=minutes_east))


def _build(match: re.Match[str]) -> FoundDate | None:
    g = match.groupdict()
    try:
        if g.get("yy"):
            year = 2000 + int(g["yy"])
            if year > dt.datetime.now(dt.UTC).year + 1:
                year -= 100
        else:
            year = int(g["y"])
        if g.get("mon"):
            month = MONTHS.get(g["mon"].lower().rstrip("."))
            if month is None:
                return None
            day = int(g["d"])
        elif g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            day, month = (a, b) if a > 12 or "." in match.group(0)[:6] else (b, a)
            if b > 12:
                day, month = b, a
        else:
            month, day = int(g["m"]), int(g["d"])
        hour = int(g["h"]) if g.get("h") else 0
        minute = int(g["mi"]) if g.get("mi") else 0
        second = int(g["s"]) if g.get("s") else 0
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        tzinfo = _offset(g.get("tz"))
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=tzinfo or LOCAL)
    except (ValueError, TypeError):
        return None
    if when.year < MIN_YEAR:
        return None
    ambiguous = bool(g.get("a")) and int(g["a"]) <= 12 and int(g["b"]) <= 12 and g["a"] != g["b"] and \
        "." not in match.group(0)[:6]
    return FoundDate(when, match.group(0).strip(), ambiguous)


def day_first(found: FoundDate) -> dt.datetime:
    """The date of ``found`` read day first ('3/5/2022' is 3 May outside the US and UK-US style pages)."""
    if not found.ambiguous:
        return found.when
    try:
        return found.when.replace(month=found.when.day, day=found.when.month)
    except ValueError:
        return found.when


def find_date(text: str, reference: dt.datetime | None = None) -> FoundDate | None:
    """The first plausible date in ``text``, or None."""
    best: tuple[int, FoundDate] | None = None
    limit = (reference or dt.datetime.now(dt.UTC)) + dt.timedelta(days=MAX_FUTURE_DAYS)
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            found = _build(match)
            if found is None or found.when > limit:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), found)
            break
    return best[1] if best else None


def parse_date(value: str, reference: dt.datetime | None = None) -> dt.datetime | None:
    """A date given as a field value (JSON/HTML metadata): ISO first, then the page patterns."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.year < MIN_YEAR:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL)
    except ValueError:
        pass
    found = find_date(value, reference)
    return found.when if found else None


# --- dates the patterns above cannot read: dateparser on a date-shaped span ------------------------

_WORD = r"[^\W\d_]{3,15}\.?"
FOREIGN_DATE_RES = [
    re.compile(rf"\b\d{{1,2}}\.?\s+(?:de\s+)?{_WORD},?\s+(?:de\s+)?\d{{4}}(?:\s*(?:г\.?|р\.?))?(?:,?\s+\d{{1,2}}:\d{{2}})?"),
    re.compile(rf"\b{_WORD}\s+\d{{1,2}},?\s+\d{{4}}(?:,?\s+\d{{1,2}}:\d{{2}})?"),
    re.compile(r"\d{4}\s*[年년.]\s*\d{1,2}\s*[月월.]\s*\d{1,2}\s*[日일]?(?:\s*\d{1,2}:\d{2})?"),
]
"""Spans shaped like a date whose month word the patterns above do not know ('3 марта 2022',
'2019년 5월 3일', '3 de março de 2019'): handed to dateparser, which knows 200 languages."""
DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"],
                       "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
"""Absolute dates only (a relative '2 hours ago' needs the page's capture time, which a dump does
not give: it stays null), day, month and year all printed."""


def find_foreign_date(text: str, language: str | None = None,
                      reference: dt.datetime | None = None) -> FoundDate | None:
    """The first date-shaped span of ``text`` that dateparser reads in the page's ``language``
    (None: not tried), for dates ``find_date`` cannot read. Local time unless a zone is printed."""
    if language is None:
        return None  # every language dateparser knows, tried in turn: slow, and a guess
    for pattern in FOREIGN_DATE_RES:
        for match in pattern.finditer(text):
            when = _dateparser(match.group(0), language)
            if when is None:
                continue
            limit = (reference or dt.datetime.now(dt.UTC)) + dt.timedelta(days=MAX_FUTURE_DAYS)
            when = when if when.tzinfo else when.replace(tzinfo=LOCAL)
            if when.year >= MIN_YEAR and when <= limit:
                return FoundDate(when, match.group(0).strip())
    return None


@lru_cache(maxsize=4096)
def _dateparser(span: str, language: str | None) -> dt.datetime | None:
    import dateparser

    try:
        return dateparser.parse(span, languages=[language] if language else None, settings=DATEPARSER_SETTINGS)
    except (ValueError, TypeError, OverflowError, LookupError):  # an unknown language code, a wild value
        return None
