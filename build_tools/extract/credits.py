"""Credits stage of the metadata: who reported and edited a wire story, who took its picture.

A wire story ends with its credits ('(Reporting by A in Geneva; Additional reporting by B;
Editing by C)'); a page prints its picture's credit under the picture ('Photograph:(Reuters)',
'... at the border. Photo: Anvar Ilyasov/AFP'). Both are data (``credits``, ``image_credit``),
shown under the briefing's body and removed from it. Pure functions over the page's lines.
"""

from __future__ import annotations

import re

from build_tools.extract import clean
from build_tools.extract.found import Found
from build_tools.text import clean_value

INPUTS_RE = re.compile(r"^\(?\s*with inputs from (?P<who>.{1,120}?)\s*\)?\.?$", re.IGNORECASE)
"""'(With inputs from Agencies)': the agencies an outlet's story draws on (``sources``)."""


def split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", text)
    return [clean_value(p) for p in parts if p.strip()]


def find_sources(lines: list[str], found: Found) -> None:
    """Agencies credited anywhere on the page ('(With inputs from Reuters)'), kept in ``found.sources``."""
    for i, line in enumerate(lines):
        m = INPUTS_RE.match(line)
        if m:
            found.sources.extend(n for n in split_names(m.group("who")) if n not in found.sources)
            found.used.add(i)


CREDIT_ROLES = (r"(?:additional\s+|further\s+|extra\s+)?(?:reporting|writing|editing|compiled|compilation|"
                r"graphics|research|translation|translated|produced|production|fact[- ]checking|text|"
                r"berichterstattung|redaktion|mitarbeit|reportage|rédaction|édition|redacción|edición)")
"""Roles a wire credit line names, in the languages of the corpus."""
CREDIT_PART_RE = re.compile(rf"^{CREDIT_ROLES}\s*(?:by|von|par|por|:)\s*\S", re.IGNORECASE)
WIRE_CREDIT_RE = re.compile(rf"^\(?\s*(?P<credits>{CREDIT_ROLES}\s*(?:by|von|par|por|:)\s*[^()]{{2,400}}?)\s*\)?\.?$",
                            re.IGNORECASE)
"""A line that is the wire credits and nothing else: '(Reporting by A; Editing by B)'."""
MAX_CREDIT_WORDS = 80
END_CREDIT_WINDOW = 12
"""Wire credits close the story: the last lines of the page searched for them (footers and
related links follow the text on a full page)."""

CREDIT_RES = [
    re.compile(r"^(?:photograph|photo|image|picture|pic|foto|bild)s?\s*:\s*\(?(?P<credit>[^()]{1,80}?)\)?\.?$", re.IGNORECASE),
    re.compile(r"\((?:photo|image|picture)\s*(?:by|:)\s*(?P<credit>[^()]{1,80})\)", re.IGNORECASE),
    re.compile(r"\b(?:photograph|photo|image|picture|foto|bild)\s*:\s*(?P<credit>[^.:|]{2,80}?)\.?$", re.IGNORECASE),
]
"""A picture's credit: a line of its own ('Photograph:(Reuters)') or the end of a caption."""
CREDIT_WORD_RE = re.compile(r"photo|image|pic|foto|bild", re.IGNORECASE)
"""A word every pattern of ``CREDIT_RES`` holds (photograph and picture contain photo and pic),
matched the same way: a line without it matches none of them (one search instead of three)."""
MAX_CAPTION_WORDS = 40
"""A caption ending 'Photo: Name/Agency' is at most this long (longer lines are text quoting a credit)."""
CAPTION_WINDOW = 40
"""Lines after the headline where a caption with a credit is taken for the article's picture
(the full-page sample puts it ~25 lines down, under menus, standfirst and share bar)."""


def wire_credits(line: str) -> list[str]:
    """The parts of a wire credit line ('Reporting by A in Geneva', 'Editing by C'); empty when
    the line is not one."""
    m = WIRE_CREDIT_RE.match(line.strip())
    if m is None or clean.words(line) > MAX_CREDIT_WORDS:
        return []
    parts = [clean_value(p).strip(" .") for p in re.split(r"\s*;\s*", m.group("credits"))]
    parts = [p for p in parts if p]
    return parts if parts and all(CREDIT_PART_RE.match(p) for p in parts) else []


def find_wire_credits(lines: list[str], found: Found) -> None:
    """The wire credits among the last lines of the page (kept in ``found.credits``, the line used)."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - END_CREDIT_WINDOW), -1):
        parts = wire_credits(lines[i])
        if parts:
            found.credits = parts + [c for c in found.credits if c not in parts]
            found.used.add(i)


def image_credit(line: str) -> str | None:
    """The credit a picture line or caption gives, or None."""
    if clean.words(line) > MAX_CAPTION_WORDS or not CREDIT_WORD_RE.search(line):
        return None
    for credit_re in CREDIT_RES:
        m = credit_re.search(line)
        if m:
            return clean_value(m.group("credit")).strip("() ") or None
    return None


def find_caption_credit(lines: list[str], found: Found) -> None:
    """The picture's credit from a caption under the headline when the header gave none (the
    caption is no article text: its line is used)."""
    if found.image_credit is not None:
        return
    start = found.title_index + 1 if found.title_index is not None else 0
    for i in range(start, min(len(lines), start + CAPTION_WINDOW)):
        if i in found.used:
            continue
        credit = image_credit(lines[i])
        if credit:
            found.image_credit = credit
            found.used.add(i)
            return
