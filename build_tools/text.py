"""Text helpers every stage shares: one-line values, forbidden characters, safe log lines, cuts.

Pure functions, text in, text out. Readers use them to normalise inputs, ingest to enforce the
briefing invariants, the briefing reader to clean hand-edited values, the CLI to print paths.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

# Characters that must never reach a title, slug or YAML value: C0/C1 controls (but tab and
# newline), bidi embeddings/overrides/isolates (Trojan Source), zero-width characters, the soft
# hyphen, lone surrogates (JSON "\ud800" escapes; they cannot even be written as UTF-8) and
# noncharacters. ZWJ/ZWNJ stay: emoji sequences and several scripts need them.
CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\u061c\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)

# ZWJ/ZWNJ are meaningful inside emoji sequences and in Arabic and Indic scripts; next to a
# Latin, Greek or Cyrillic letter, a space or a line edge they only hide words ("Tali\u200dban").
STRAY_JOINER_RE = re.compile("(?<=[\x00-\u052f\\s])[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\u052f\\s]|$)|^[\u200c\u200d]+",
                             re.MULTILINE)


def strip_controls(text: str) -> str:
    """``text`` without the characters of ``CONTROL_RE`` and stray joiners (tab and newline kept)."""
    return STRAY_JOINER_RE.sub("", CONTROL_RE.sub("", text))


def clean_value(value: str) -> str:
    """A metadata value on one line: NFC, controls removed, whitespace collapsed."""
    value = strip_controls(unicodedata.normalize("NFC", value))
    return re.sub(r"\s+", " ", value).strip()


def escape_line(text: str) -> str:
    """Text safe to print as one log line: undecodable bytes (surrogate escapes), control, bidi
    and other non-printable characters shown as ``\\xNN``/``\\uNNNN`` escapes, never raw."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if text.isprintable():  # nearly every line: nothing to escape (a space is printable)
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def display_path(path: Path | str) -> str:
    """A path as it may be printed: control characters and undecodable bytes escaped."""
    return escape_line(os.fsdecode(path))


WORD_CUT_SHARE = 0.5
"""A long value is cut at its last space only when that space lies in the last half of the
allowed length; a value without such a space (one 2,000-character word, hostile c011) is cut
mid-word rather than shrunk to its first word."""

_GRAPHEME_TAIL = "\u200d\u200c\ufe0e\ufe0f"
"""Characters a cut must not end on: they join to, or modify, the character after or before."""


def cut(value: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters, else cut to fit with '…' (at a word
    boundary, see ``WORD_CUT_SHARE``), never inside a grapheme: never ending on half an emoji
    ZWJ sequence, a variation selector, a skin-tone modifier or a combining mark."""
    if len(value) <= limit:
        return value
    kept = value[: limit - 1]  # room for the ellipsis
    if " " in kept[int(limit * WORD_CUT_SHARE):]:
        kept = kept.rsplit(" ", 1)[0]
    while kept and (kept[-1] in _GRAPHEME_TAIL or unicodedata.combining(kept[-1])
                    or 0x1F3FB <= ord(kept[-1]) <= 0x1F3FF):
        kept = kept[:-1]
    return kept.rstrip() + "…"
