"""Clean stage: split a page's visible text into lines and keep the article paragraphs.

Pure functions: text in, lists of strings out. The rules are data (``data/boilerplate.json``)
plus named thresholds; ``python -m build_tools.eval`` scores every change on real pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MIN_BODY_WORDS = 8
"""A line shorter than this is body only if it sits between body lines (subheadings, short
quotes). Calibrated on the seed and sample inbox: bylines and menu items have at most 6 words."""

SENTENCE_END_RE = re.compile(r"[.!?…:;\"'”’»)\]]$")


@dataclass(frozen=True)
class Furniture:
    """Compiled boilerplate patterns (from data/boilerplate.json)."""

    line: re.Pattern[str]


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    data = json.loads(resources.files("build_tools.data").joinpath("boilerplate.json").read_text("utf-8"))
    joined = "|".join(f"(?:{p})" for p in data["line_patterns"])
    return Furniture(line=re.compile(rf"^\s*(?:{joined})\s*$", re.IGNORECASE))


def split_lines(text: str) -> list[str]:
    """The non-blank lines of a page, whitespace collapsed."""
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]


def is_furniture(line: str) -> bool:
    return bool(furniture().line.match(line))


def words(line: str) -> int:
    return len(line.split())


def looks_like_prose(line: str) -> bool:
    return words(line) >= MIN_BODY_WORDS and bool(SENTENCE_END_RE.search(line))


def body_lines(lines: list[str], start: int, skip: set[int]) -> list[str]:
    """Article paragraphs among ``lines[start:]``, leaving out the indices in ``skip``.

    A line is body when it reads like prose; a short line is kept when prose follows it and
    precedes it (a subheading or a short quote inside the article).
    """
    candidates = [i for i in range(start, len(lines)) if i not in skip and not is_furniture(lines[i])]
    prose = {i for i in candidates if looks_like_prose(lines[i])}
    if not prose:
        return []
    first, last = min(prose), max(prose)
    keep = []
    for i in candidates:
        if i in prose or (first < i < last and words(lines[i]) >= 2 and not _is_label(lines[i])):
            keep.append(lines[i])
    return keep


def _is_label(line: str) -> bool:
    """A one-word or colon-terminated label ('Watch:', 'Read more:') is furniture, not a subheading."""
    return line.endswith(":") and words(line) <= 3
