"""YAML syntax errors as editors can act on them: the line where the mistake starts, what it is,
and what to do, without parser jargon ("found unexpected end of stream").

One explainer for every hand-edited YAML file: a briefing's front matter (``store.briefing``)
and ``mkdocs.yml`` (``build``). PyYAML reports where it gave up, which for an unclosed quote or
bracket is the end of the file: the explanation points at where the quote or bracket opened.
The explanations come from the pure-Python parser, whose messages are more specific than
libyaml's; :func:`explain` re-parses with it when needed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml


class YamlProblem(NamedTuple):
    line: int
    """1-based line of the YAML text where the mistake starts."""
    message: str
    """What is wrong and how to fix it."""


_KEY_VALUE_RE = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"][^:#]*?):\s+(\S.*)$")
"""An unquoted 'key: value' line (optionally a list item), to tell a ': ' inside the value."""

_CLOSERS = {"[": "]", "{": "}"}
_FLOW_WORDS = {"[": "list", "{": "mapping"}


def _pure_python_error(text: str) -> yaml.YAMLError | None:
    try:
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.YAMLError as exc:
        return exc
    return None


def _quote_run_on(text: str, where: yaml.Mark) -> yaml.Mark | None:
    """Where a quoted value that ran on over several lines up to ``where`` opened: an unclosed
    quote that closed at the next value's opening quote (``id: 'x`` above ``date: '2021...'``)."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= where.index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass
    if last is not None and last.style in ("'", '"') and last.end_mark.line > last.start_mark.line:
        return last.start_mark
    return None


def _char(lines: list[str], mark: yaml.Mark | None) -> str:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _quoted(key: str, value: str) -> str:
    """``key: "value"`` as the emitter writes it, for a fix to copy."""
    quoted = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style='"').strip()
    return f"{key}: {quoted}"


def explain(text: str, exc: yaml.YAMLError) -> YamlProblem:
    """The problem behind a YAML error raised while reading ``text``."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return YamlProblem(line, f"a control character (#x{char:02x}) YAML does not allow; delete it")
    if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit, before the schema's
        mark = getattr(exc, "problem_mark", None)
        return YamlProblem(mark.line + 1 if mark else 1, "nested too deeply; flatten it")
    detailed = _pure_python_error(text) or exc
    if isinstance(detailed, yaml.MarkedYAMLError):
        exc = detailed
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return YamlProblem(1, f"not valid YAML ({' '.join(str(exc).split())}); fix the syntax")
    lines = text.split("\n")
    problem, context = exc.problem or "", exc.context or ""
    where, opened = exc.problem_mark, exc.context_mark
    line = where.line + 1
    if context == "while scanning a quoted scalar" and opened is not None:
        quote = _char(lines, opened) or "'"
        return YamlProblem(opened.line + 1, f"the quote ({quote}) opened here is never closed; close it at the end "
                                            "of the value or remove it")
    if context.startswith("while parsing a flow") and opened is not None:
        bracket = _char(lines, opened) or "["
        closer, word = _CLOSERS.get(bracket, "]"), _FLOW_WORDS.get(bracket, "list")
        return YamlProblem(opened.line + 1, f"the {bracket} opened here is never closed (or its items lack commas); "
                                            f"close the {word} with {closer}, separate items with ', ', or put the "
                                            "whole value in quotes if the bracket is part of the text")
    if "'\\t'" in problem or "tab character" in problem:
        return YamlProblem(line, "tabs cannot indent YAML; use spaces")
    if context == "while scanning a simple key" and opened is not None:
        shown = lines[opened.line].strip()[:40] if opened.line < len(lines) else ""
        return YamlProblem(opened.line + 1, f"'{shown}' is not a 'key: value' line; write it as key: value, or, if "
                                            "the front matter ends above it, add a line '---' before it")
    if problem.startswith("mapping values are not allowed"):
        text_line = lines[where.line] if where.line < len(lines) else ""
        m = _KEY_VALUE_RE.match(text_line)
        if m and text_line.find(": ") < where.column:
            return YamlProblem(line, "the value contains ': ', which YAML reads as the start of another key; put the "
                                     f"value in quotes: {_quoted(m.group(1).strip(), m.group(2).rstrip())}")
        return YamlProblem(line, "this key is indented deeper than the key above it; line it up with the keys "
                                 "above it")
    run_on = _quote_run_on(text, where) if isinstance(exc, yaml.parser.ParserError) else None
    if run_on is not None:
        quote = _char(lines, run_on) or "'"
        return YamlProblem(run_on.line + 1, f"the quote ({quote}) opened here is never closed; close it at the end "
                                            "of the value or remove it")
    if problem.startswith("expected <block end>"):
        before = lines[where.line][:where.column].rstrip() if where.line < len(lines) else ""
        if before[-1:] in ("'", '"'):
            q = before[-1]
            return YamlProblem(line, f"text follows the closing {q} of a quoted value; write a {q} inside the "
                                     f"value twice ({q}{q})" if q == "'" else
                               f"text follows the closing {q} of a quoted value; write a {q} inside the value "
                               f"as \\{q}, or quote the value with ' instead")
        if "block sequence start" in problem or "'-'" in problem:
            return YamlProblem(line, "this list item is not lined up with the items above it; indent its '-' like "
                                     "theirs")
        return YamlProblem(line, "this line is not lined up with the lines above it; indent it with spaces like "
                                 "the key or list item it belongs beside")
    if problem.startswith("could not find expected ':'"):
        return YamlProblem(line, "a key without ': ' after it; write 'key: value', with a space after the colon")
    if "could not determine a constructor" in problem or "tag" in problem and problem.startswith("found"):
        return YamlProblem(line, "a YAML tag (!!name or !name) is not allowed here; remove it")
    return YamlProblem(line, f"not valid YAML ({problem}); fix the syntax there")
