"""Readers: one input file in, its :class:`Article` objects out (:func:`read`, the one entry point).

This is one of the two edges of the pipeline that touch disk (the writer is the other): the file
is found by ``files.discover`` and read by ``files.read_bytes``, its bytes decoded by ``decode``,
its text bounded by ``bounds`` and a JSON file's records read by ``records``.
A reader never raises for a bad input: it returns a :class:`Rejected` naming the file and why.
"""

from __future__ import annotations

from pathlib import Path

from build_tools.model import Article, InputKind
from build_tools.read.bounds import bound_html, bound_text
from build_tools.read.decode import decode, looks_binary, normalise_text
from build_tools.read.files import HTML_SUFFIXES, JSON_SUFFIXES, Rejected, read_bytes
from build_tools.read.records import read_json
from build_tools.slugs import content_hash
from build_tools.text import display_path


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
