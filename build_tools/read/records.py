"""JSON inputs: a .json file (one record or a list) or JSON Lines, each record an :class:`Article`
or a :class:`Rejected` naming its record or line. Never raises, whatever the JSON holds."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from build_tools.extract.dates import parse_date
from build_tools.model import FIELDS, Article, Given, InputKind, Kind
from build_tools.read.bounds import bound_text
from build_tools.read.decode import normalise_text
from build_tools.read.files import Rejected
from build_tools.slugs import content_hash
from build_tools.text import clean_value, escape_line

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
