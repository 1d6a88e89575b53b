"""Link: cross-links computed from the complete archive. Pure: an Archive in, a Links out.

* **Entities**: every tag, by type and slug (``slugs.entity_slug``). Two spellings that slugify
  alike ("ACME Corp." / "Acme Corp") are one page; the clash is reported as an error naming both.
* **Related briefings**: the score is documented for editors in ``docs/editors/related.md``;
  keep the two in step. Vectorised with scipy sparse matrices, a block of rows at a time, so the
  work is a few matrix products, never a Python loop over pairs.
* **Backlinks**: a briefing whose body links another by hand is listed under the target's
  "Mentioned in".
* **Stories**: briefings strongly related to each other, close in time, sharing key entities,
  grouped into one thread with a name made from its dominant entities.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from . import slugs
from .archive import Archive, sort_key
from .model import TAG_TYPES, Briefing

# --- related-briefing score: documented in docs/editors/related.md --------------------------

RELATED_SHOWN = 5
"""Related briefings listed on a briefing page (pins included)."""

ENTITY_WEIGHT = 0.6
TEXT_WEIGHT = 0.4
"""similarity = ENTITY_WEIGHT * entity cosine + TEXT_WEIGHT * text cosine. Entities weigh more:
editors' tags say what a story is about, shared wording is a noisier signal (sample inbox and
Reuters-21578: text alone links many market reports that only share 'pct', 'mln', 'dlrs')."""

TIME_SCALE_DAYS = 30.0
"""closeness = exp(-days apart / TIME_SCALE_DAYS): 1 on the same day, 0.37 a month apart."""

TIME_FLOOR = 0.5
"""score = similarity * (TIME_FLOOR + (1 - TIME_FLOOR) * closeness): time can halve a score,
never zero it, so an old briefing about the same thing still ranks above a fresh unrelated one."""

UNDATED_CLOSENESS = 0.5
"""Closeness used when either briefing has no date."""

MIN_RELATED_SCORE = 0.03
"""Below this a candidate is not shown: on the sample inbox and Reuters-21578, pairs under it
share no entity and only stop-word-like terms."""

TYPE_WEIGHTS = {"countries": 1.0, "people": 1.0, "places": 0.7, "organizations": 0.7, "topics": 0.3}
"""Weight of a shared tag by type, on top of its rarity. Topics ('economy', 'diplomacy') are broad
categories: two briefings sharing only a topic are seldom about one thing (Reuters-21578: most
bad links shared a topic and nothing else)."""

IMPLIED_COUNTRY_WEIGHT = 0.5
"""A place or person counts as half a mention of its country ('Khatlon' -> Tajikistan), so two
briefings about Dushanbe and Khatlon share Tajikistan even when neither names the country."""

ENTITY_NORM_SMOOTHING = 3.0
"""Added (squared) to each briefing's tag-vector length before the cosine: a briefing with one
tag would otherwise score 1.0 with every briefing carrying that tag. About the weight of one
mid-frequency tag."""

NO_SHARED_ANCHOR = 0.5
"""Score factor for a pair sharing no country or person (tagged or implied by a place): what
readers expect of 'related' is the same country or person (Reuters-21578: pairs sharing only a
topic or an organisation were judged unrelated by the corpus' editors about half the time)."""

ANCHOR_TYPES = ("countries", "people")

COMMON_ENTITY_SHARE = 0.4
"""An entity tagged on more than this share of briefings is dropped from the score (Hugo's
'cardinalityThreshold'): 'United States' on a third of a wire archive says nothing about a pair."""

COMMON_ENTITY_MIN_ARCHIVE = 50
"""...but only in archives of at least this many briefings; in a small one every tag matters."""

TEXT_MAX_DF = 0.5
"""Words in more than half the briefings are ignored by the text similarity (TF-IDF max_df)."""

BLOCK_ROWS = 512
"""Rows scored per matrix product: bounds memory to BLOCK_ROWS x n floats per array."""

CANDIDATES = 20
"""Best candidates kept per briefing before pins, exclusions and stories are applied."""

RELATED_FALLBACK = 2
"""When no candidate reaches MIN_RELATED_SCORE, the best this many with any positive score are
shown instead, so no briefing page is a dead end (Reuters-21578: undated one-paragraph items)."""

REASON_ENTITIES = 3
"""Shared entities named in a related link's reason ("shares: Tajikistan, Taliban")."""

# --- stories -----------------------------------------------------------------------------------

STORY_MIN_SCORE = 0.30
"""Two briefings are in one story only if their related score reaches this (and both directions
rank each other among STORY_TOP). Calibrated on the sample inbox: the Afghanistan/Central Asia
briefings of Jul-Sep 2021 pair at 0.35-0.8, the OPEC and European ones with them under 0.25."""

STORY_TOP = 5
STORY_MAX_GAP_DAYS = 45
"""A developing story: consecutive links at most this far apart (a 2-month silence ends it)."""

STORY_MIN_BRIEFINGS = 3
STORY_NAME_ENTITIES = 3
STORY_KEY_TYPES = ("countries", "places", "people", "organizations")
"""Entities that make a story (topics are too broad to name or join a thread)."""


CountryOf = Callable[[str, str], str | None]
"""``country_of(tag_type, name)``: the country of a place or person, when known."""


def known_country_of() -> CountryOf | None:
    """``entities.country_of`` when the tagging stage provides it, else the gazetteer's
    ``place_country`` for places; None when neither exists."""
    entities = importlib.import_module(f"{__package__}.entities")
    lookup = getattr(entities, "country_of", None)
    if callable(lookup):
        return lookup
    try:
        place_country = importlib.import_module(f"{__package__}.gazetteer").place_country
    except (ImportError, AttributeError):
        return None
    return lambda tag_type, name: place_country(name) if tag_type == "places" else None


class EntityKey(NamedTuple):
    type: str
    slug: str


@dataclass
class Entity:
    type: str
    name: str
    """The spelling shown on the site (the most used one when spellings clash)."""
    slug: str
    briefings: list[Briefing] = field(default_factory=list)
    """Newest first."""

    @property
    def page(self) -> str:
        return slugs.entity_page(self.type, self.name)


class Related(NamedTuple):
    id: str
    score: float
    shared: tuple[str, ...]
    """Shared entities that counted, rarest first."""
    pinned: bool = False

    def reason(self) -> str:
        if self.pinned:
            return "chosen by the editors"
        if self.shared:
            return "shares: " + ", ".join(self.shared[:REASON_ENTITIES])
        return "similar wording"


@dataclass
class Story:
    slug: str
    name: str
    members: list[Briefing]
    """Oldest first."""

    @property
    def page(self) -> str:
        return slugs.story_page(self.slug)


@dataclass
class Links:
    entities: dict[str, dict[str, Entity]]
    """tag type -> entity slug -> entity."""
    related: dict[str, list[Related]]
    """briefing id -> related briefings, best first (at most RELATED_SHOWN)."""
    backlinks: dict[str, list[Briefing]]
    """briefing id -> briefings whose body links to it, oldest first."""
    stories: list[Story]
    story_of: dict[str, Story]
    previous: dict[str, Briefing]
    following: dict[str, Briefing]
    """Date order neighbours (dated briefings only)."""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def entity(self, tag_type: str, name: str) -> Entity:
        return self.entities[tag_type][slugs.entity_slug(name)]


def link_archive(archive: Archive, country_of: CountryOf | None = None) -> Links:
    ordered = archive.oldest_first()
    errors: list[str] = []
    warnings: list[str] = []
    entities = entity_index(archive, warnings)  # merged under one spelling; fatal under --strict
    candidates = related_candidates(ordered, country_of)
    related = pick_related(ordered, candidates, archive, warnings)
    stories = find_stories(ordered, candidates)
    dated = [b for b in ordered if b.date is not None]
    return Links(
        entities=entities, related=related, backlinks=backlinks(archive, warnings), stories=stories,
        story_of={b.id: s for s in stories for b in s.members},
        previous={b.id: a for a, b in zip(dated, dated[1:], strict=False)},
        following={a.id: b for a, b in zip(dated, dated[1:], strict=False)},
        errors=errors, warnings=warnings)


# --- entities ----------------------------------------------------------------------------------

def entity_index(archive: Archive, problems: list[str]) -> dict[str, dict[str, Entity]]:
    """Every tagged entity by type and slug; spellings that clash are reported and merged."""
    spellings: dict[EntityKey, Counter[str]] = defaultdict(Counter)
    first_seen: dict[tuple[EntityKey, str], Briefing] = {}
    members: dict[EntityKey, list[Briefing]] = defaultdict(list)
    for b in archive.newest_first():
        for t in TAG_TYPES:
            for name in dict.fromkeys(getattr(b.tags, t)):
                key = EntityKey(t, slugs.entity_slug(name))
                spellings[key][name] += 1
                first_seen.setdefault((key, name), b)
                if not members[key] or members[key][-1] is not b:
                    members[key].append(b)
    index: dict[str, dict[str, Entity]] = {t: {} for t in TAG_TYPES}
    for key in sorted(spellings):
        names = sorted(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))
        chosen = names[0][0]
        for other, _count in names[1:]:
            problems.append(f"briefings/{first_seen[(key, chosen)].path}: {key.type} tag '{chosen}' and "
                          f"'{other}' (in briefings/{first_seen[(key, other)].path}) are different spellings "
                          f"that share one page ({slugs.entity_page(key.type, chosen)}); "
                          f"use one spelling in both briefings")
        index[key.type][key.slug] = Entity(key.type, chosen, key.slug, members[key])
    return index


def entity_keys(b: Briefing) -> list[str]:
    """Feature names of a briefing's tags: 'type:slug'."""
    return sorted({f"{t}:{slugs.entity_slug(n)}" for t in TAG_TYPES for n in getattr(b.tags, t)})


# --- related briefings --------------------------------------------------------------------------

class Candidate(NamedTuple):
    pos: int
    score: float


@dataclass
class Candidates:
    """Each briefing's best candidates (indices into the oldest-first list) and what they share."""

    best: list[list[Candidate]]
    keys: list[list[str]]
    idf: dict[str, float]
    """Weight of each entity feature that counts (over-common ones are absent)."""
    names: dict[str, str]


def implied_countries(b: Briefing, country_of: CountryOf | None) -> dict[str, str]:
    """'countries:slug' -> country name, for countries of its places and people it does not tag."""
    if country_of is None:
        return {}
    tagged = {slugs.entity_slug(n) for n in b.tags.countries}
    out: dict[str, str] = {}
    for t in ("places", "people"):
        for name in getattr(b.tags, t):
            country = country_of(t, name)
            if country and slugs.entity_slug(country) not in tagged:
                out.setdefault(f"countries:{slugs.entity_slug(country)}", country)
    return out


def _entity_matrix(ordered: list[Briefing], country_of: CountryOf | None = None
                   ) -> tuple[sp.csr_matrix, list[list[str]], dict[str, float], dict[str, str]]:
    n = len(ordered)
    explicit = [entity_keys(b) for b in ordered]
    implied = [implied_countries(b, country_of) for b in ordered]
    keys = [sorted({*ks, *imp}) for ks, imp in zip(explicit, implied, strict=True)]
    names: dict[str, str] = {k: v for imp in implied for k, v in imp.items()}
    for b in ordered:
        for t in TAG_TYPES:
            for name in getattr(b.tags, t):
                names.setdefault(f"{t}:{slugs.entity_slug(name)}", name)
    df: Counter[str] = Counter(k for ks in keys for k in ks)
    limit = COMMON_ENTITY_SHARE * n if n >= COMMON_ENTITY_MIN_ARCHIVE else math.inf
    idf = {k: math.log((1 + n) / (1 + c)) + 1.0 for k, c in sorted(df.items()) if c > 1 and c <= limit}
    column = {k: i for i, k in enumerate(sorted(idf))}
    rows, cols, vals = [], [], []
    for r, ks in enumerate(keys):
        for k in ks:
            if k in column:
                rows.append(r)
                cols.append(column[k])
                vals.append(idf[k] * TYPE_WEIGHTS[k.split(":", 1)[0]] * (IMPLIED_COUNTRY_WEIGHT if k in implied[r] else 1.0))
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, max(len(column), 1)), dtype=np.float64)
    return _l2_rows(matrix, ENTITY_NORM_SMOOTHING), keys, idf, names


def _anchor_matrix(keys: list[list[str]]) -> sp.csr_matrix:
    """Briefings x countries and people (0/1), every one counted, even over-common ones."""
    column: dict[str, int] = {}
    rows, cols = [], []
    for r, ks in enumerate(keys):
        for k in ks:
            if k.split(":", 1)[0] in ANCHOR_TYPES:
                rows.append(r)
                cols.append(column.setdefault(k, len(column)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), max(len(column), 1)))


def _l2_rows(matrix: sp.csr_matrix, smoothing: float = 0.0) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel() + smoothing**2)
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def briefing_text(b: Briefing) -> str:
    """Words the text similarity compares: the title (twice: it names the story) and the body."""
    body = re.sub(r"\\(.)", r"\1", b.body)
    return f"{b.title}\n{b.title}\n{b.summary or ''}\n{body}"


def _text_matrix(ordered: list[Briefing]) -> sp.csr_matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(ordered)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float64,
                                 max_df=TEXT_MAX_DF if n >= COMMON_ENTITY_MIN_ARCHIVE else 1.0,
                                 token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
    try:
        return sp.csr_matrix(vectorizer.fit_transform([briefing_text(b) for b in ordered]))
    except ValueError:  # no usable words at all (empty archive or bodies without words)
        return sp.csr_matrix((n, 1), dtype=np.float64)


def _days(ordered: list[Briefing]) -> np.ndarray:
    return np.array([b.date.timestamp() / 86400.0 if b.date else np.nan for b in ordered], dtype=np.float64)


def time_factor(days_apart: np.ndarray) -> np.ndarray:
    closeness = np.where(np.isnan(days_apart), UNDATED_CLOSENESS, np.exp(-np.abs(days_apart) / TIME_SCALE_DAYS))
    return TIME_FLOOR + (1.0 - TIME_FLOOR) * closeness


def related_candidates(ordered: list[Briefing], country_of: CountryOf | None = None) -> Candidates:
    """Best CANDIDATES per briefing by the documented score, a block of rows at a time."""
    n = len(ordered)
    entities, keys, idf, names = _entity_matrix(ordered, country_of)
    text = _text_matrix(ordered)
    anchors = _anchor_matrix(keys)
    days = _days(ordered)
    best: list[list[Candidate]] = []
    keep = min(CANDIDATES, max(n - 1, 0))
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        similarity = (ENTITY_WEIGHT * (entities[start:stop] @ entities.T).toarray()
                      + TEXT_WEIGHT * (text[start:stop] @ text.T).toarray())
        shares_anchor = (anchors[start:stop] @ anchors.T).toarray() > 0
        score = similarity * time_factor(days[start:stop, None] - days[None, :])
        score *= np.where(shares_anchor, 1.0, NO_SHARED_ANCHOR)
        score[np.arange(stop - start), np.arange(start, stop)] = -1.0
        score = np.round(score, 9)  # equal scores tie-break on id, whatever the float noise
        if keep == 0:
            best += [[] for _ in range(stop - start)]
            continue
        top = np.argpartition(-score, keep - 1, axis=1)[:, :keep] if keep < n else np.tile(np.arange(n), (stop - start, 1))
        for r, row in enumerate(top):
            found = [Candidate(int(j), float(score[r, j])) for j in row if score[r, j] > 0]
            found.sort(key=lambda c: (-c.score, ordered[c.pos].id))
            best.append(found[:CANDIDATES])
    return Candidates(best, keys, idf, names)


def shared_entities(a: int, b: int, cands: Candidates) -> tuple[str, ...]:
    both = set(cands.keys[a]) & set(cands.keys[b])
    counted = sorted((k for k in both if k in cands.idf), key=lambda k: (-cands.idf[k], cands.names[k]))
    return tuple(cands.names[k] for k in counted)


def pick_related(ordered: list[Briefing], cands: Candidates, archive: Archive,
                 warnings: list[str]) -> dict[str, list[Related]]:
    """Top RELATED_SHOWN per briefing: editors' pins first, exclusions removed."""
    position = {b.id: i for i, b in enumerate(ordered)}
    out: dict[str, list[Related]] = {}
    for i, b in enumerate(ordered):
        chosen: list[Related] = []
        for key, ids in (("related_pin", b.related_pin), ("related_exclude", b.related_exclude)):
            for rid in ids:
                if rid not in archive.by_id or rid == b.id:
                    what = "is this briefing's own id" if rid == b.id else "is not the id of any briefing"
                    warnings.append(f"briefings/{b.path}: {key} '{rid}' {what}; fix or remove it")
        for rid in dict.fromkeys(b.related_pin):
            if rid in archive.by_id and rid != b.id and rid not in b.related_exclude:
                chosen.append(Related(rid, 1.0, shared_entities(i, position[rid], cands), pinned=True))
        taken = {r.id for r in chosen} | set(b.related_exclude)
        allowed = [c for c in cands.best[i] if ordered[c.pos].id not in taken]
        strong = [c for c in allowed if c.score >= MIN_RELATED_SCORE]
        for c in strong or allowed[:RELATED_FALLBACK]:
            other = ordered[c.pos]
            if len(chosen) >= RELATED_SHOWN:
                break
            if other.id not in taken:
                chosen.append(Related(other.id, c.score, shared_entities(i, c.pos, cands)))
                taken.add(other.id)
        out[b.id] = chosen[:RELATED_SHOWN]
    return out


# --- backlinks ----------------------------------------------------------------------------------

_MD_LINK_RE = re.compile(r"\]\(\s*<?([^()<>\s#?:]+\.md)(?:#[^()\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")


def backlinks(archive: Archive, warnings: list[str]) -> dict[str, list[Briefing]]:
    """Target id -> briefings whose body links to it with a relative .md link, oldest first."""
    by_page = {slugs.briefing_page(b.path): b for b in archive.briefings}  # type: ignore[arg-type]
    found: dict[str, dict[str, Briefing]] = defaultdict(dict)
    for b in archive.oldest_first():
        page = slugs.briefing_page(b.path)  # type: ignore[arg-type]
        for m in _MD_LINK_RE.finditer(b.body):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), m.group(1)))
            if not target.startswith("briefings/"):
                continue
            hit = by_page.get(target)
            if hit is None:
                warnings.append(f"briefings/{b.path}: links to '{m.group(1)}', which is not a briefing "
                                f"(no file {target.removeprefix('docs/')}); fix the link")
            elif hit is not b:
                found[hit.id].setdefault(b.id, b)
    return {k: list(v.values()) for k, v in found.items()}


# --- stories ------------------------------------------------------------------------------------

def _key_entities(keys: list[str]) -> set[str]:
    return {k for k in keys if k.split(":", 1)[0] in STORY_KEY_TYPES}


def find_stories(ordered: list[Briefing], cands: Candidates) -> list[Story]:
    """Threads: components of mutual strong links, close in time, sharing a key entity."""
    n = len(ordered)
    top = [{c.pos: c.score for c in cands.best[i][:STORY_TOP]} for i in range(n)]
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(n):
        for j, score in top[i].items():
            if j <= i or i not in top[j] or min(score, top[j][i]) < STORY_MIN_SCORE:
                continue
            a, b = ordered[i], ordered[j]
            if a.date is None or b.date is None or abs((b.date - a.date).days) > STORY_MAX_GAP_DAYS:
                continue
            if not (_key_entities(cands.keys[i]) & _key_entities(cands.keys[j]) & set(cands.idf)):
                continue
            parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    stories: list[Story] = []
    used: set[str] = set()
    for members in sorted(groups.values(), key=lambda m: (sort_key(ordered[m[0]]))):
        members = trim_to_core(sorted(members), cands)
        if len(members) < STORY_MIN_BRIEFINGS:
            continue
        briefings = [ordered[i] for i in members]
        name, slug = story_name(briefings, [cands.keys[i] for i in members], cands)
        unique, k = slug, 2
        while unique in used:
            unique, k = f"{slug}-{k}", k + 1
        used.add(unique)
        stories.append(Story(unique, name, briefings))
    return stories


def trim_to_core(members: list[int], cands: Candidates) -> list[int]:
    """Keep the members carrying the thread's most common key entity (chains of pairwise links
    can otherwise drift from one subject to another)."""
    counts: Counter[str] = Counter(k for i in members for k in _key_entities(cands.keys[i]) if k in cands.idf)
    if not counts:
        return []
    core = min(counts, key=lambda k: (-counts[k], -cands.idf[k], k))
    return [i for i in members if core in cands.keys[i]]


def story_name(members: list[Briefing], keys: list[list[str]], cands: Candidates) -> tuple[str, str]:
    """('Afghanistan, Tajikistan, Taliban — Jul–Sep 2021', 'afghanistan-tajikistan-taliban-2021-07')."""
    counts: Counter[str] = Counter(k for ks in keys for k in _key_entities(ks))
    ranked = sorted(counts, key=lambda k: (-counts[k], -cands.idf.get(k, 0.0), cands.names[k]))
    dominant = [k for k in ranked if counts[k] >= 2][:STORY_NAME_ENTITIES]
    labels = sorted((cands.names[k] for k in dominant), key=str.casefold)
    dates = [b.date for b in members if b.date]
    span = month_span(min(dates), max(dates)) if dates else ""
    subject = ", ".join(labels) if labels else members[0].title
    name = f"{subject} — {span}" if span else subject
    first = min(dates) if dates else None
    slug = slugs.slugify(" ".join(labels) if labels else members[0].title, 60) or "story"
    return name, f"{slug}-{first:%Y-%m}" if first else slug


def month_span(first: dt.datetime, last: dt.datetime) -> str:
    """'Jul 2021', 'Jul–Sep 2021' or 'Dec 2020–Jan 2021'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"
