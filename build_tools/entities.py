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
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import yaml

from .gazetteer import COUNTRIES, ORGANIZATIONS, PEOPLE, PLACES, US_STATE_AMBIGUOUS, Name, fold, gazetteer
from .model import TAG_TYPES, Tags
from .topics import topics
from .vocabulary import Entry, read_entries

SUPPRESS = "none"
"""Kind of a name that only blocks shorter matches ("Latin American" is not the United States)."""
SUPPRESSORS = ("Latin American", "South American", "North American", "Central American", "African American",
               "African-American", "Native American", "Asian American", "Asian-American", "American Indian",
               "American Samoa", "New Mexico", "New Guinea", "Indian Ocean", "West Indian", "West Indies",
               "French fries", "Turkish delight", "Chinese New Year", "Arab Spring", "English Channel")
ADJECTIVE_RANK = 5
ETHNIC_WORDS = ("ethnic ", "Ethnic ")
STATE_BODY_WORDS = frozenset("""Ministry Department Senate Parliament Congress Police Army Navy Court Embassy
Government Assembly Marine Marines Corps Force Guard Office Council Commission Agency Cabinet Legislature House
Reserve Treasury Customs""".split())
"""Words that make an organisation a state body: a country named in it counts ("the US Senate")."""
GENERIC_FORCES = frozenset({"Army", "Navy", "Police", "Forces", "Military", "Government", "Troops", "Air Force"})
"""A country plus one of these alone is a generic reference, not an organisation ("Afghan Army")."""
SINGLE_NAME_TITLES = frozenset({"King", "Queen", "Prince", "Princess", "Pope", "Sheikh", "Emir", "Ayatollah"})
PARTY_CODES = {"D": "Democratic Party", "R": "Republican Party"}

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
WORD = rf"(?:[{UPPER}][\w'’\-]*\.?|[{UPPER}]\.)"
TOKEN = re.compile(rf"{WORD}|\S+")
PARTY_TAG = re.compile(r"\(([DR])-([A-Z][a-z]{1,4}\.?)\)")


class Cues(NamedTuple):
    person_titles: frozenset[str]
    person_lead_words: frozenset[str]
    particles: frozenset[str]
    org_suffixes: frozenset[str]
    org_heads: frozenset[str]
    ministries: dict[str, str]
    not_names: frozenset[str]
    first_names: frozenset[str]


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
                dict(spec["ministries"]), frozenset(spec["not_names"]), first_names)


def _family_names(entry: Entry) -> list[str]:
    parts = entry.name.replace("Jr.", "").split()
    if len(parts) < 2:
        return []
    found = [parts[-1]]
    if entry.country in {"China", "Taiwan", "North Korea", "South Korea", "Vietnam", "Hong Kong", "Singapore"}:
        found.append(parts[0])  # Xi Jinping, Moon Jae-in: family name first
    return found


def _compile(root: Path | None, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    gaz = gazetteer()
    names: dict[str, list[Name]] = {k: list(v) for k, v in gaz.names.items()}
    for adj, country in gaz.adjectives.items():
        names.setdefault(adj, []).append(Name(COUNTRIES, country, country, ADJECTIVE_RANK, "adjective"))
    for s in SUPPRESSORS:
        names.setdefault(s, []).insert(0, Name(SUPPRESS, s, None, -1, "suppressor"))
    surnames: dict[str, list[str]] = {}
    files: tuple[Path, ...] = ()
    if root is not None and root.is_dir():
        found = read_entries(root)
        files = tuple(found.files)
        for entry in found.entries:
            name = Name(entry.kind, entry.name, entry.country, -1, entry.source)
            for form in {entry.name, fold(entry.name), *entry.aliases, *map(fold, entry.aliases)}:
                bucket = names.setdefault(form, [])
                bucket[:] = [n for n in bucket if n.rank >= 0 or n.canonical != entry.name]
                bucket.insert(0, name)
            if entry.kind == PEOPLE:
                for fam in {*_family_names(entry), *(a for a in entry.aliases if " " not in a)}:
                    surnames.setdefault(fold(fam), []).append(entry.name)
    automaton = ahocorasick.Automaton()
    for surface in names:
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    known = {t: frozenset(n.canonical for b in names.values() for n in b if n.kind == t) for t in TAG_TYPES}
    return Vocabulary(names, automaton, dict(gaz.adjectives), cues(), surnames, known, files)


@functools.lru_cache(maxsize=4)
def _cached(root: Path | None, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    return _compile(root, stamp)


def load_vocabulary(root: Path | None = None) -> Vocabulary:
    """Gazetteers plus every ``*.yaml`` in ``root`` (missing folder: gazetteers only).

    Compiled once per process and folder state; raises ``VocabularyError`` listing every bad entry.
    """
    if root is not None and root.is_dir():
        root = root.resolve()
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.y*ml")))
    else:
        root, stamp = None, ()
    return _cached(root, stamp)


# --------------------------------------------------------------------------- matching

def _caps_view(text: str) -> str | None:
    """The text with ALL-CAPS lines (wire headlines, datelines) in title case, same length; None if none."""
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        letters = [c for c in line if c.isalpha()]
        if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
            titled = line.title()
            if len(titled) == len(line):
                lines[i], changed = titled, True
    return "\n".join(lines) if changed else None


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
        gap = text[current[-1][1]:s] if current else " "
        if current and ("\n" in gap or gap.strip() not in ("", ",") or gap.strip() == ","):
            close()
        if tok[0].isupper():
            current.extend(pending)
            pending.clear()
            bare = tok.rstrip(".,;:'’") if not re.fullmatch(r"[A-Z]\.|(?:Inc|Corp|Co|Jr|Ltd|Sr|St)\.", tok) else tok
            if bare.endswith(("'s", "’s")):
                current.append((s, s + len(bare) - 2, bare[:-2]))
                close()
                continue
            current.append((s, s + len(bare), bare))
            if bare != tok and tok[len(bare):len(bare) + 1] in ".,;:":
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


def _is_title(tokens: list[str], i: int, c: Cues) -> int:
    """Length of a person title starting at tokens[i] (0 if none)."""
    for n in (3, 2, 1):
        if i + n <= len(tokens) and " ".join(tokens[i:i + n]) in c.person_titles:
            return n
    return 0


def _covering(matches: list[Match], start: int, end: int) -> list[Match]:
    return [m for m in matches if m.start < end and m.end > start]


def _detect(text: str, runs: list[Run], matches: list[Match], vocab: Vocabulary) -> tuple[list[Found], list[Found]]:
    """Organisations and people the vocabulary does not know, from cues."""
    c = vocab.cues
    orgs: list[Found] = []
    people: list[Found] = []
    for run in runs:
        toks = [t[2] for t in run.tokens]
        spans = run.tokens
        # organisations: a run ending in an organisation word, or opening with "<Head> of"
        last_upper = max(i for i, t in enumerate(toks) if t[:1].isupper())
        i0 = 0
        while i0 < len(toks) and (toks[i0] in c.not_names and toks[i0] not in c.org_heads):
            i0 += 1
        if i0 < last_upper:
            tail = toks[last_upper].rstrip(".")
            head = toks[i0]
            is_org = (tail in c.org_suffixes or toks[last_upper] in c.org_suffixes) or (
                head in c.org_heads and i0 + 1 < len(toks) and toks[i0 + 1] in ("of", "for"))
            inner = [t for t in toks[i0:last_upper + 1] if t[:1].isupper()]
            if is_org and len(inner) >= 2:
                s, e = spans[i0][0], spans[last_upper][1]
                hits = [m for m in _covering(matches, s, e) if m.names[0].kind in (ORGANIZATIONS, PEOPLE)]
                exact = [m for m in hits if m.start == s and m.end == e]
                generic = len(inner) == 2 and inner[1] in GENERIC_FORCES and (
                    inner[0] in vocab.adjectives or any(n.kind == COUNTRIES for n in vocab.names.get(inner[0], [])))
                if not exact and not generic:
                    orgs.append(Found(ORGANIZATIONS, text[s:e], s, e))
                continue
        # people: strip leading non-names and titles, then a name of 2-4 words
        i, titled = 0, False
        lead = text[max(0, run.start - 30):run.start].split()
        led = bool(lead) and lead[-1].strip(",").lower() in c.person_lead_words
        while i < len(toks):
            n = _is_title(toks, i, c)
            if n:
                titled, i = True, i + n
                continue
            if toks[i] in c.not_names or toks[i] in vocab.adjectives or (
                    i + 1 < len(toks) and any(x.kind == COUNTRIES for x in vocab.names.get(toks[i], []))):
                i += 1
                continue
            if toks[i] in ("of", "the", "for", "and", "&"):
                i += 1
                titled = False
                continue
            break
        rest = list(range(i, len(toks)))
        while rest and (toks[rest[-1]] in c.particles or toks[rest[-1]] in ("of", "and", "the", "for", "&")):
            rest.pop()
        if not rest or any(toks[k] in ("of", "for", "and", "&", "the") for k in rest):
            continue
        words = [toks[k] for k in rest]
        s, e = spans[rest[0]][0], spans[rest[-1]][1]
        if any(w.isupper() and len(w) > 1 and w not in ("II", "III", "IV") for w in words):
            continue
        if any(w in c.not_names or w.rstrip(".") in c.org_suffixes for w in words[1:]):
            continue
        first_known = words[0] in c.first_names
        if len(words) == 1:
            if titled:
                people.append(Found("single", words[0], s, e))
            continue
        if len(words) > 4:
            continue
        family = fold(words[-1]) in vocab.surnames
        if not (first_known or titled or led or family):
            continue
        over = _covering(matches, s, e)
        if any(m.names[0].kind in (ORGANIZATIONS, PEOPLE, SUPPRESS) for m in over):
            continue
        if any(m.names[0].kind in (COUNTRIES, PLACES) and m.start > s for m in over):
            continue  # "Angela Merkel Paris" is not a name; "Jordan Peterson" is
        people.append(Found(PEOPLE, text[s:e], s, e))
    return orgs, people


def _ministries(text: str, vocab: Vocabulary) -> list[tuple[Found, str]]:
    """"the Chinese foreign ministry" -> Ministry of Foreign Affairs (China), with the country."""
    c = vocab.cues
    out = []
    pattern = re.compile(r"\b([A-Z][\w.\-]+(?: [A-Z][\w.\-]+)?)(?:'s|’s)? (" + "|".join(c.ministries) +
                         r")(?:\s+affairs)? [Mm]inistry\b", re.IGNORECASE)
    for m in pattern.finditer(text):
        who = m.group(1)
        country = vocab.adjectives.get(who) or next(
            (n.canonical for n in vocab.names.get(who, []) if n.kind == COUNTRIES), None)
        if country is None or not who[0].isupper():
            continue
        name = f"Ministry of {c.ministries[m.group(2).lower()]} ({country})"
        out.append((Found(ORGANIZATIONS, name, m.start(), m.end()), country))
    return out


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
    ministries = _ministries(text, vocab)
    found: dict[str, set[str]] = {t: set() for t in TAG_TYPES}

    # Spans that swallow the names inside them: detected organisations and people.
    blocks = [(f.start, f.end, f.kind, f.canonical) for f in orgs + people if f.kind != "single"]
    state_body = {(f.start, f.end) for f in orgs if set(f.canonical.split()) & STATE_BODY_WORDS}
    for f, country in ministries:
        found[ORGANIZATIONS].add(f.canonical)
        found[COUNTRIES].add(country)
        blocks.append((f.start, f.end, "ministry", f.canonical))

    def blocked(m: Match) -> bool:
        for s, e, kind, _ in blocks:
            if s <= m.start and m.end <= e:
                if kind == ORGANIZATIONS and m.names[0].kind == COUNTRIES and (s, e) in state_body:
                    return False
                if kind == ORGANIZATIONS and m.names[0].kind == ORGANIZATIONS:
                    return False  # "NASA" inside "NASA Office of Inspector General"
                return True
        return False

    kept = [m for m in matches if not blocked(m)]
    unambiguous = {m.names[0].canonical for m in kept if m.names[0].kind == COUNTRIES and len(m.names) == 1}
    us_places = sum(1 for m in kept if len(m.names) == 1 and m.names[0].kind == PLACES
                    and m.names[0].country == "United States")
    for m in kept:
        name = _choose(m.names, unambiguous, us_places)
        if name.kind == SUPPRESS:
            continue
        if name.source == "adjective" and text[max(0, m.start - 7):m.start] in ETHNIC_WORDS:
            continue
        if name.kind == PEOPLE and " " not in m.surface and m.start > 0:
            # a surname alias inside a longer name ("Hunter Biden") is someone else
            before = text[:m.start].rstrip()
            prev = before.split()[-1] if before.split() else ""
            if before.endswith(prev) and prev[:1].isupper() and prev not in vocab.cues.not_names \
                    and _is_title([prev], 0, vocab.cues) == 0 and prev not in vocab.adjectives \
                    and text[m.start - 1] == " " and not prev.endswith((".", ",", ":", "\"")):
                continue
        found[name.kind].add(name.canonical)

    for f in orgs:
        found[ORGANIZATIONS].add(f.canonical.removeprefix("The ").removeprefix("the "))
    full_people = [f.canonical for f in people if f.kind == PEOPLE]
    found[PEOPLE].update(full_people)
    _resolve_singles(people, found, vocab)
    for party in PARTY_TAG.finditer(text):
        found[ORGANIZATIONS].add(PARTY_CODES[party.group(1)])
    _merge_people(found)
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


def _merge_people(found: dict[str, set[str]]) -> None:
    """Drop a detected name that is a shorter form of another person in the same article."""
    people = found[PEOPLE]
    for p in list(people):
        parts = p.split()
        for q in people:
            if q != p and len(q.split()) > len(parts) and fold(q).endswith(fold(p)) and len(parts) >= 2:
                people.discard(p)
                break
