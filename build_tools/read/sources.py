"""Readers: find inputs on disk, decode their bytes and turn them into :class:`Article` objects.

This is one of the two edges of the pipeline that touch disk (the writer is the other).
A reader never raises for a bad input: it returns a :class:`Rejected` naming the file and why.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import json
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from build_tools.extract.dates import parse_date
from build_tools.model import FIELDS, Article, Given, InputKind, Kind
from build_tools.slugs import content_hash
from build_tools.text import CONTROL_RE, STRAY_JOINER_RE, clean_value, display_path, escape_line

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""Largest input read. The biggest real page in ../shared/corpus is under 2 MB of HTML; a 16 MiB
text file is not an article, and reading it would cost memory for nothing."""

MAX_TEXT_CHARS = 300_000
"""Longest article text read from one input (a text dump, a JSON record's body, the text of an
HTML page); the rest is cut off, with a warning naming the file and where. Extraction and tagging
grow faster than the text (headline candidates are compared with every line, entity matches with
every candidate): one article repeated to 250,000 characters takes 2.3 s and 150 MB, to 1 MB
11.6 s and 270 MB, to 5 MB 89 s and 950 MB (profiled on this repository's sample inbox); cut to
this limit, it takes 2-5 s and under 200 MB. The longest text dump in ../shared/corpus is 122 KB,
and the hostile case c011 (202,000 characters, one line of 180,000) must be kept whole."""

MAX_HTML_CHARS = 2_000_000
"""Longest HTML page read (the rest cut off, with a warning): the biggest real page in
../shared/corpus is 1.5 MB; markup beyond this is not an article, and parsing it costs time."""

MAX_HTML_ELEMENTS = 10_000
"""Most HTML elements (start tags) read from one page, the rest cut off with a warning. HTML
extraction grows faster than the markup: 5,000 empty elements take trafilatura 2.1 s, 10,000
3.1 s, 20,000 8.9 s, 40,000 13.5 s. The real page with the most elements in ../shared/corpus has
2,229 (the biggest by size, 1.5 MB, far fewer), so no real page is cut."""

BINARY_CONTROL_SHARE = 0.05
"""Share of NUL/C0 control bytes above which a file is treated as binary, not text. Real text
dumps have none; c006-style files with stray NULs have well under 1%."""

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

@dataclass(frozen=True)
class Rejected:
    """An input (or one record of it) that cannot become a briefing."""

    source: str
    reason: str
    fix: str = ""

    def message(self) -> str:
        return escape_line(f"{self.source}: {self.reason}" + (f" Fix: {self.fix}" if self.fix else ""))


@dataclass(frozen=True)
class Skipped:
    """A file found while walking a folder that is not an input (README, hidden file...)."""

    source: str
    reason: str


def discover(paths: list[Path]) -> Iterator[Path | Rejected | Skipped]:
    """Every input file under ``paths``, sorted, never following a symlink out of its tree.

    Never raises: a path that cannot be examined (a link loop, a dangling link, a pipe or device,
    a folder that vanished or cannot be listed mid-walk) becomes a :class:`Rejected` naming it."""
    for root in paths:
        shown = display_path(root)
        try:
            info = os.lstat(root)
        except FileNotFoundError:
            yield Rejected(shown, "no such file or folder.", "check the path")
            continue
        except OSError as exc:
            yield Rejected(shown, f"cannot be examined ({_why(exc)}).", "check the path and its permissions")
            continue
        if stat.S_ISLNK(info.st_mode):
            yield Rejected(shown, "is a symbolic link; inputs are never read through links.",
                           "pass the real file instead")
        elif stat.S_ISDIR(info.st_mode):
            yield from _walk(root, os.path.realpath(root))
        elif stat.S_ISREG(info.st_mode):
            yield root
        else:
            yield _special(shown)


def _why(exc: OSError) -> str:
    """An OSError as a short reason: 'Permission denied', not '[Errno 13] ...: path'."""
    return exc.strerror or type(exc).__name__


def _special(shown: str) -> Rejected:
    # A FIFO or device would block or never end: never open one.
    return Rejected(shown, "is not a regular file (pipe, socket or device).", "pass a plain file")


def _walk(folder: Path, base: str) -> Iterator[Path | Rejected | Skipped]:
    """The entries of ``folder`` (recursively, sorted by name); ``base`` is the real path of the
    input folder, which links must stay inside."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:  # removed or made unreadable since it was found
        yield Rejected(display_path(folder), f"folder cannot be listed ({_why(exc)}); its files were not read.",
                       "check that it exists and is readable, then run again")
        return
    for entry in entries:
        path = Path(entry.path)
        shown = display_path(path)
        try:
            if entry.name.startswith("."):
                if not entry.is_dir(follow_symlinks=False):
                    yield Skipped(shown, "hidden file")
            elif entry.is_symlink():
                yield _link(path, base)
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(path, base)
            elif path.suffix.lower() not in SUPPORTED:
                yield Skipped(shown, f"not an input type ({', '.join(sorted(SUPPORTED))})")
            elif entry.is_file(follow_symlinks=False):
                yield path
            else:
                yield _special(shown)
        except OSError as exc:  # vanished between the listing and this look at it
            yield Rejected(shown, f"cannot be examined ({_why(exc)}).", "check that it exists, then run again")


def _link(path: Path, base: str) -> Path | Rejected | Skipped:
    """A symbolic link found in an input folder: its path when it leads to an input file inside
    the folder, else why it is not read. Loops and dangling links are reported, never followed."""
    shown = display_path(path)
    try:
        target = os.stat(path)  # follows the link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejected(shown, "is a symbolic link loop (it leads back to itself).", "remove the link")
        if exc.errno == errno.ENOENT:
            return Rejected(shown, "is a dangling symbolic link (its target does not exist).",
                            "remove the link or restore its target")
        return Rejected(shown, f"is a symbolic link that cannot be followed ({_why(exc)}).", "remove the link")
    real = os.path.realpath(path)
    if os.path.commonpath([real, base]) != base:
        return Rejected(shown, "is a symbolic link pointing outside the input folder.",
                        "copy the file into the folder instead of linking it")
    if stat.S_ISDIR(target.st_mode):
        return Skipped(shown, "link to a folder inside the input folder (its files are read there)")
    if path.suffix.lower() not in SUPPORTED:
        return Skipped(shown, f"not an input type ({', '.join(sorted(SUPPORTED))})")
    if not stat.S_ISREG(target.st_mode):
        return _special(shown)
    return path


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

UTF16_NUL_SHARE = 0.3
"""Share of NUL bytes at odd (or even) offsets above which BOM-less bytes are read as UTF-16 LE
(or BE): text in any Latin script has a NUL in almost every high byte; other files almost never."""


def _cp1252_or_latin1(err: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as Latin-1."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("briefings-latin1", _cp1252_or_latin1)


def sniff_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 (NULs in every other byte), else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    odd = sample[1::2].count(0) / (len(sample) // 2)
    even = sample[0::2].count(0) / (len(sample) // 2)
    if odd > UTF16_NUL_SHARE and even == 0:
        return "utf-16-le"
    if even > UTF16_NUL_SHARE and odd == 0:
        return "utf-16-be"
    return None


class Decoded(NamedTuple):
    text: str
    warnings: list[str]
    """What was repaired or guessed (encoding fallback, no byte-order mark...)."""


def decode(data: bytes) -> Decoded:
    """Bytes to text: BOMs honoured, UTF-16 sniffed, UTF-8 preferred, and lines that are not
    UTF-8 read as Windows-1252 (Latin-1 for its five undefined bytes), with a warning."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        # The BOM says UTF-8 for its first export; a file concatenated from several may still
        # hold Latin-1 lines further on, read by the per-line fallback below.
        data = data[len(codecs.BOM_UTF8):]
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"invalid {enc.upper()} bytes replaced with U+FFFD; re-save the file as UTF-8")
            return Decoded(text, warnings)
    utf16 = sniff_utf16(data)
    if utf16:
        warnings.append(f"no byte-order mark: read as {utf16.upper()}; save the file as UTF-8 to silence this")
        return Decoded(data.decode(utf16, errors="replace"), warnings)
    try:
        return Decoded(data.decode("utf-8"), warnings)
    except UnicodeDecodeError:
        pass
    out = []
    fallback_lines = 0
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="briefings-latin1"))
            fallback_lines += 1
    warnings.append(f"not valid UTF-8: read {fallback_lines} line(s) as Windows-1252/Latin-1; "
                    "save the file as UTF-8 to silence this")
    return Decoded("\n".join(out), warnings)


def looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or sniff_utf16(data):
        return False
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:4] in (b"%PDF", b"PK\x03\x04", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        return True
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / len(sample) > BINARY_CONTROL_SHARE


class Normalised(NamedTuple):
    text: str
    removed: int
    """How many forbidden characters were removed."""


def normalise_text(text: str) -> Normalised:
    """LF line endings, NFC, controls/bidi/zero-width removed, trailing blanks stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    cleaned, removed = CONTROL_RE.subn("", text)
    cleaned, joiners = STRAY_JOINER_RE.subn("", cleaned)
    removed += joiners
    lines = [line.rstrip() for line in cleaned.split("\n")]
    return Normalised("\n".join(lines).strip("\n"), removed)


def read_bytes(path: Path) -> bytes | Rejected:
    """The bytes of a regular file of at most MAX_INPUT_BYTES; anything else is a Rejected.

    What is checked is the file actually opened (``fstat`` of the open descriptor), so a file
    swapped for a pipe, a folder or a bigger file since it was listed is refused, not read."""
    shown = display_path(path)
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since it was listed, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return Rejected(shown, "disappeared before it could be read (moved or deleted during the run).",
                        "run again once the inbox has settled")
    except IsADirectoryError:
        return Rejected(shown, "is a folder named like an input file.", "rename it or pass the files inside")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejected(shown, "is a symbolic link loop (it leads back to itself).", "remove the link")
        return Rejected(shown, f"cannot be read ({_why(exc)}).", "check its permissions")
    try:
        info = os.fstat(fd)
        refused = _not_readable(shown, info)
        if refused is not None:
            os.close(fd)
            return refused
        with os.fdopen(fd, "rb") as fh:
            # The size fstat gave and one byte more (to see growth), not a buffer of the limit:
            # read(MAX_INPUT_BYTES + 1) allocates 16 MiB for every file (0.37 ms a Reuters story
            # instead of 0.09 ms). A file that grew is read on, up to the limit, as before.
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += fh.read(MAX_INPUT_BYTES + 1 - len(data))
    except OSError as exc:
        return Rejected(shown, f"cannot be read ({_why(exc)}).", "check its permissions")
    if len(data) > MAX_INPUT_BYTES:  # grew while being read
        return _too_big(shown, "is over")
    return data


def _not_readable(shown: str, info: os.stat_result) -> Rejected | None:
    """Why the open file described by ``info`` is not read, or None."""
    if stat.S_ISDIR(info.st_mode):
        return Rejected(shown, "is a folder named like an input file.", "rename it or pass the files inside")
    if not stat.S_ISREG(info.st_mode):
        return _special(shown)
    if info.st_size > MAX_INPUT_BYTES:
        return _too_big(shown, f"is {info.st_size / 2**20:.1f} MiB, over")
    return None


def _too_big(shown: str, what: str) -> Rejected:
    return Rejected(shown, f"{what} the {MAX_INPUT_BYTES // 2**20} MiB limit for one input (not read).",
                    "split it or extract the article text first")


def read(path: Path) -> list[Article | Rejected]:
    """Read one input file into articles (a JSON file may hold many records)."""
    shown = display_path(path)
    data = read_bytes(path)
    if isinstance(data, Rejected):
        return [data]
    if not data.strip():
        return [Rejected(shown, "is empty.", "remove it from the inbox")]
    if looks_binary(data):
        return [Rejected(shown, "is not text (binary content).", "pass the article as .txt, .html or .json")]
    text, warnings = decode(data)
    text, removed = normalise_text(text)
    if removed:
        warnings.append(f"removed {removed} control, zero-width or bidi character(s)")
    if not text.strip():
        return [Rejected(shown, "has no visible text (whitespace only).", "remove it from the inbox")]
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return read_json(shown, text, warnings, lines=suffix != ".json")
    kind = InputKind.HTML if suffix in HTML_SUFFIXES else InputKind.TEXT
    input_hash = content_hash(text)  # of the whole input: the same file is the same briefing
    bounded = bound_html(text) if kind is InputKind.HTML else bound_text(text, "the file")
    if bounded.warning:
        warnings.append(bounded.warning)
    return [Article(source=shown, kind=kind, text=bounded.text, input_hash=input_hash, warnings=warnings)]


# --- size limits ------------------------------------------------------------------------------


class Bounded(NamedTuple):
    text: str
    warning: str | None
    """What was cut, and where; None when nothing was."""


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def bound_text(text: str, what: str) -> Bounded:
    """``text`` cut to MAX_TEXT_CHARS, at the last line break before the limit (else the last
    space, else the limit itself), with a warning saying where."""
    if len(text) <= MAX_TEXT_CHARS:
        return Bounded(text, None)
    end = text.rfind("\n", 0, MAX_TEXT_CHARS + 1)
    if end < MAX_TEXT_CHARS // 2:
        end = text.rfind(" ", 0, MAX_TEXT_CHARS + 1)
    if end < MAX_TEXT_CHARS // 2:
        end = MAX_TEXT_CHARS
    return Bounded(text[:end].rstrip(), f"{what} holds {len(text):,} characters of text, over the {MAX_TEXT_CHARS:,} "
                   f"read for one article: cut at line {_line_of(text, end)} (character {end:,}); the rest is not "
                   "in the briefing. Split the input if it holds several articles")


_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)?[^>]*>|<!--")
_RAW_TEXT_TAGS = ("script", "style", "template", "noscript")


def bound_html(html: str) -> Bounded:
    """``html`` cut after MAX_HTML_CHARS characters of markup or MAX_TEXT_CHARS characters of text
    (outside tags, scripts, styles and comments), with a warning saying where. One pass, linear
    in the page: an unclosed script or comment runs to the end of the page."""
    limit = min(len(html), MAX_HTML_CHARS)
    budget = MAX_TEXT_CHARS
    elements = 0
    pos = 0
    while pos < limit:
        tag = _TAG_RE.search(html, pos, limit)
        text_end = tag.start() if tag else limit
        budget -= len(html[pos:text_end].strip())
        if budget < 0:  # the text ran over inside this stretch: cut it at its last space
            over = text_end + budget
            space = html.rfind(" ", pos, over)
            pos = space if space > pos else over
            break
        if tag is None:
            pos = limit
            break
        name = (tag.group(2) or "").lower()
        if name and not tag.group(1):
            elements += 1
            if elements > MAX_HTML_ELEMENTS:
                pos = tag.start()
                break
        pos = tag.end()
        if tag.group(0) == "<!--":
            close = html.find("-->", pos)
            pos = len(html) if close < 0 else close + 3
        elif name in _RAW_TEXT_TAGS and not tag.group(1):
            close = _find_close(html, name, pos)
            pos = len(html) if close < 0 else close
    pos = min(pos, limit)
    if pos >= len(html):
        return Bounded(html, None)
    why = (f"holds more than {MAX_TEXT_CHARS:,} characters of text" if budget < 0
           else f"has more than {MAX_HTML_ELEMENTS:,} elements" if elements > MAX_HTML_ELEMENTS
           else f"is {len(html):,} characters of HTML, over {MAX_HTML_CHARS:,}")
    return Bounded(html[:pos], f"the page {why}, the most read for one article: cut at line {_line_of(html, pos)} "
                   f"(character {pos:,}); the rest is not in the briefing. Split the page if it holds several articles")


def _find_close(html: str, name: str, start: int) -> int:
    """Where the closing tag of a raw-text element (``</script``...) starts, or -1."""
    found = re.compile(rf"</{name}\b", re.IGNORECASE).search(html, start)
    return found.start() if found else -1


# --- JSON records ---------------------------------------------------------------------------

BODY_NAMES = ("text", "body", "content", "maintext", "articleBody", "article_body", "raw_text")
"""Keys a JSON record may give its article text under, the first present winning. The metadata
fields' keys are in the field table (``model.FieldSpec.stated_as``)."""


def _text_field(value: object, name: str, allow_list: bool) -> tuple[str | None, str | None]:
    """(value, problem) for a field that should be text."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool) or not isinstance(value, (int, float, list, dict)):
        return None, f"field '{name}' is {type(value).__name__}, expected text"
    if isinstance(value, list) and allow_list and all(isinstance(v, str) for v in value):
        return ("\n\n" if name in BODY_NAMES else ", ").join(value), None
    if isinstance(value, list) and allow_list and all(isinstance(v, dict) and isinstance(v.get("name"), str)
                                                       for v in value):
        return ", ".join(str(v["name"]) for v in value), None
    if isinstance(value, dict) and isinstance(value.get("name"), str) and allow_list:
        return value["name"], None
    return None, f"field '{name}' is {type(value).__name__}, expected text"


def _date_field(value: object, name: str) -> tuple[str | None, str | None]:
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds since the epoch
            seconds /= 1000
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).isoformat(), None
        except (OverflowError, OSError, ValueError):
            return None, f"field '{name}' is a number that is not a valid time"
    return None, f"field '{name}' is {type(value).__name__}, expected an ISO 8601 date"


def _first_stated(record: dict[str, Any], names: tuple[str, ...], problems: list[str], as_date: bool = False,
                  allow_list: bool = False) -> str | None:
    """The first non-blank value ``record`` states under one of ``names``; what is wrong with the
    others before it goes to ``problems``."""
    for name in names:
        if name not in record:
            continue
        value, problem = _date_field(record[name], name) if as_date else _text_field(record[name], name, allow_list)
        if problem:
            problems.append(problem)
        elif value is not None and value.strip():
            return value
    return None


def record_to_article(source: str, record: object, warnings: list[str]) -> Article | Rejected:
    if not isinstance(record, dict):
        return Rejected(source, f"record is {type(record).__name__ if record is not None else 'null'}, "
                                "expected an object with title and text fields.",
                        "each record must be a JSON object like {\"title\": ..., \"text\": ...}")
    problems: list[str] = []
    body = _first_stated(record, BODY_NAMES, problems, allow_list=True)
    stated: dict[str, Any] = {}
    for spec in FIELDS.values():
        value = _first_stated(record, spec.stated_as, problems, as_date=spec.kind is Kind.DATE,
                              allow_list=spec.joins_lists)
        if value is not None:
            stated[spec.name] = parse_date(clean_value(value)) if spec.kind is Kind.DATE else clean_value(value)
    if body is None or not body.strip():
        reason = "record has no article text"
        if problems:
            reason += " (" + "; ".join(problems) + ")"
        return Rejected(source, reason + ".", f"give the text in one of: {', '.join(BODY_NAMES)}")
    if stated.get("title") is None:
        title_problems = [p for p in problems if any(f"'{n}'" in p for n in FIELDS["title"].stated_as)]
        if title_problems:
            return Rejected(source, "; ".join(title_problems) + ".", "give the headline as a string in 'title'")
    warnings = list(warnings) + [p + "; ignored" for p in problems]
    body, _ = normalise_text(body)
    bounded = bound_text(body, "the record")
    body = bounded.text
    if bounded.warning:
        warnings.append(bounded.warning)
    given = Given(**stated, body=body)
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    # JSON may carry lone surrogates ("\ud800"), which UTF-8 cannot encode: hash them replaced.
    canonical = _SURROGATE_RE.sub("\ufffd", canonical)
    return Article(source=source, kind=InputKind.JSON, text=body, input_hash=content_hash(canonical),
                   given=given, warnings=warnings)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class JsonProblem(Exception):
    """A JSON value Python could parse but a record must not hold: too deep, a number too long to
    convert, NaN or Infinity (not JSON). ``reason`` and ``fix`` are for the Rejected line."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


MAX_INT_DIGITS = 4300
"""Longest integer a record may hold: Python's own int/str conversion limit (``sys.int_info.
default_max_str_digits``), above which ``int()`` raises. No article field needs a tenth of it."""


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonProblem(f"holds a number of {len(digits.lstrip('-')):,} digits (more than {MAX_INT_DIGITS:,} "
                          "are not read).", "write it as a string, or remove it")
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JsonProblem(f"holds a number too large for a float ({escape_line(text[:20])}...).",
                          "write it as a string, or remove it")
    return value


def _parse_constant(name: str) -> float:
    raise JsonProblem(f"holds {name}, which is not valid JSON.", "write null or a string instead")


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)


def _loads(decoder: json.JSONDecoder, text: str) -> tuple[object, int]:
    """raw_decode, with absurd nesting reported as a JSONProblem instead of a RecursionError."""
    try:
        return decoder.raw_decode(text)
    except RecursionError:
        raise JsonProblem("is nested too deeply to read (arrays or objects inside each other).",
                          "flatten the record: one object of title, text and metadata fields") from None


def _record(source: str, record: object, warnings: list[str]) -> Article | Rejected:
    """record_to_article, never raising: a record that trips a bug is one line, not a lost file."""
    try:
        return record_to_article(source, record, warnings)
    except RecursionError:
        return Rejected(source, "record is nested too deeply to read.",
                        "flatten the record: one object of title, text and metadata fields")
    except Exception as exc:  # a reader bug must not lose the other records
        return Rejected(source, f"record could not be read ({type(exc).__name__}: {escape_line(str(exc)[:120])}).",
                        "please report this input as a bug")


def read_json(shown: str, text: str, warnings: list[str], lines: bool) -> list[Article | Rejected]:
    out: list[Article | Rejected] = []
    if not lines:
        try:
            data, end = _loads(_decoder(), text.strip())
            if text.strip()[end:].strip():
                raise json.JSONDecodeError("Extra data", text.strip(), end)
        except json.JSONDecodeError as exc:
            # A .json file may really be JSON Lines.
            if "\n" in text.strip() and text.lstrip().startswith("{"):
                return read_json(shown, text, warnings, lines=True)
            return [Rejected(f"{shown}:{exc.lineno}", f"is not valid JSON ({exc.msg}, column {exc.colno}).",
                             "fix the JSON syntax, or use .jsonl for one record per line")]
        except JsonProblem as exc:
            return [Rejected(shown, exc.reason, exc.fix)]
        records = data if isinstance(data, list) else [data]
        for i, record in enumerate(records, 1):
            src = f"{shown}#{i}" if isinstance(data, list) else shown
            out.append(_record(src, record, warnings))
        return out
    decoder = _decoder()
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        src = f"{shown}:{lineno}"
        try:
            record, end = _loads(decoder, line.strip())
        except json.JSONDecodeError as exc:
            out.append(Rejected(src, f"is not valid JSON ({exc.msg} at column {exc.colno}).",
                                "write one complete JSON object per line"))
            continue
        except JsonProblem as exc:
            out.append(Rejected(src, f"record {exc.reason}", exc.fix))
            continue
        if line.strip()[end:].strip():
            out.append(Rejected(src, "holds more than one JSON value on one line.",
                                "put each record on its own line"))
            continue
        out.append(_record(src, record, warnings))
    return out
