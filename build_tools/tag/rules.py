"""The hand-written rules that find names from cues (the tagger before the trained name finder,
kept as its fallback): a known first name or a title before a capitalised name makes a person
("Interior Minister Wolfgang Peschorn"); an organisation word at the end makes an organisation
("Sutro Group"). Cues are in ``data/name_cues.yaml``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from build_tools.model import TAG_TYPES, Tags
from build_tools.tag.compiled import SUPPRESS, Cues, Match, Vocabulary, choose, credits, dedupe_by_slug, scan
from build_tools.tag.gazetteer import COUNTRIES, ORGANIZATIONS, PEOPLE, PLACES, fold
from build_tools.tag.topics import topics

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


class Run(NamedTuple):
    """A run of capitalised words (with name particles and connectors inside)."""

    start: int
    end: int
    tokens: tuple[tuple[int, int, str], ...]


def runs(text: str, c: Cues) -> list[Run]:
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


def org_name(surface: str) -> str:
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


def covering(matches: list[Match], start: int, end: int) -> list[Match]:
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
    return not covering([m for m in matches if m.names[0].kind in (PEOPLE, ORGANIZATIONS)], s, e)


def detect(text: str, runs: list[Run], matches: list[Match], vocab: Vocabulary) -> tuple[list[Found], list[Found]]:
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
            exact = [m for m in covering(matches, s, e) if m.start == s and m.end == e]
            legal_only = all(t.rstrip(".,") in CORPORATE_TAILS or t in ("and", "&") for t in inner)
            if len(inner) >= 2 and not exact and not legal_only:
                orgs.append(Found(ORGANIZATIONS, org_name(text[s:e].replace("’", "'")), s, e))
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
    over = covering(matches, s, e)
    if any(m.names[0].kind == ORGANIZATIONS or (m.names[0].kind in (PEOPLE, SUPPRESS) and m.start <= s)
           for m in over):
        return []  # known names win; a known surname inside ("Hunter Biden") does not
    if any(m.start == s and m.end == e for m in over):
        return []  # the whole span is a known place or country ("by Sierra Leone")
    return [Found(PEOPLE, text[s:e].replace("’", "'"), s, e)]


def tag_by_rules(title: str, body: str, vocabulary: Vocabulary) -> Tags:
    """The tags the rules alone give (the tagger before the name finder; the gate prints its figures
    beside the model's). Pure."""
    text = (title + "\n\n" + body) if title else body
    vocab = vocabulary
    matches = scan(vocab, text)
    found_runs = runs(text, vocab.cues)
    orgs, people = detect(text, found_runs, matches, vocab)
    credit_spans = credits(text, vocab.cues)
    found: dict[str, set[str]] = {t: set() for t in TAG_TYPES}

    def in_credit(s: int, e: int) -> bool:
        return any(cs <= s and e <= ce for cs, ce in credit_spans)

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
        name = choose(m.names, unambiguous, us_places)
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
    found[ORGANIZATIONS] = dedupe_by_slug(found[ORGANIZATIONS], vocab.known[ORGANIZATIONS])
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
