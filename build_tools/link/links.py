"""Link: cross-links computed from the complete archive. Pure: an Archive in, a Links out.

* **Entities**: every tag, by type and slug (``slugs.entity_slug``). Two spellings that slugify
  alike ("ACME Corp." / "Acme Corp") are one page; the clash is reported as an error naming both.
* **Related briefings**: the score is documented for editors in ``docs/editors/related.md``;
  keep the two in step. Vectorised with scipy sparse matrices, a block of rows at a time, so the
  work is a few matrix products, never a Python loop over pairs.
* **Backlinks**: a briefing whose body links another by hand is listed under the target's
  "Mentioned in".
* **Stories**: story threads (``build_tools.link.stories``).
"""

from __future__ import annotations

import math
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from build_tools import slugs
from build_tools.link import tfidf
from build_tools.link.memo import TokenMemo, plain
from build_tools.link.stories import Story, find_stories
from build_tools.model import TAG_TYPES, Briefing
from build_tools.parallel import beside, can_fork
from build_tools.store.archive import Archive
from build_tools.tag.geography import CountryOf, Geography

# --- related-briefing score: documented in docs/editors/related.md --------------------------

RELATED_SHOWN = 5
"""Related briefings listed on a briefing page (pins included)."""

ENTITY_WEIGHT = 0.6
TEXT_WEIGHT = 0.4
"""similarity = ENTITY_WEIGHT * entity cosine + TEXT_WEIGHT * text cosine. Entities weigh more:
editors' tags say what a story is about, shared wording is a noisier signal (sample inbox and
Reuters-21578: text alone links many market reports that only share 'pct', 'mln', 'dlrs').
The text cosine mostly breaks ties between briefings sharing the same tags."""

TIME_SCALE_DAYS = 30.0
"""closeness = exp(-days apart / TIME_SCALE_DAYS): 1 on the same day, 0.37 a month apart."""

TIME_FLOOR = 0.5
"""score = similarity * (TIME_FLOOR + (1 - TIME_FLOOR) * closeness) within RELATED_MAX_DAYS: time
can halve a score there, never zero it."""

RELATED_MAX_DAYS = 60
"""Briefings further apart than this are never *anchored* (see ANCHOR_TYPES) and their score is
cut by LATE_PENALTY: readers expect a related briefing from the same two months (the issue's
acceptance criterion)."""

LATE_PENALTY = 0.2
"""Score factor for a pair more than RELATED_MAX_DAYS apart."""

UNDATED_CLOSENESS = 0.5
"""Closeness used when either briefing has no date (an undated pair counts as within
RELATED_MAX_DAYS: nothing says it is not)."""

MIN_RELATED_SCORE = 0.03
"""Below this a candidate is not shown (except as the fallback): on the sample inbox and
Reuters-21578, pairs under it share no entity and only stop-word-like terms."""

TYPE_WEIGHTS = {"countries": 1.0, "people": 1.0, "places": 0.7, "organizations": 0.7, "topics": 0.3}
"""Weight of a shared tag by type, on top of its rarity. Countries and people weigh most: they are
what readers expect a related briefing to share. Topics ('economy', 'diplomacy') are broad
categories: two briefings sharing only a topic are seldom about one thing (Reuters-21578: most
bad links shared a topic and nothing else)."""

IMPLIED_COUNTRY_WEIGHT = 0.5
"""A place or person counts as half a mention of its country ('Khatlon' -> Tajikistan), so two
briefings about Dushanbe and Khatlon share Tajikistan even when neither names the country. This
includes a wire story's dateline place ('LOS ANGELES, Feb 26 -' -> United States)."""

ENTITY_NORM_SMOOTHING = 3.0
"""Added (squared) to each briefing's tag-vector length before the cosine: a briefing with one
tag would otherwise score 1.0 with every briefing carrying that tag. About the weight of one
mid-frequency tag."""

ANCHOR_TYPES = ("countries", "people")
"""What a related briefing must share: a country (tagged, or implied by a place or person) or a
person."""

UNANCHORED, ANCHORED, LEAD_ANCHORED = 0, 1, 2
"""Tiers of a candidate pair at most RELATED_MAX_DAYS apart (any pair further apart is
UNANCHORED): LEAD_ANCHORED when both briefings name a shared country or person in their lead,
ANCHORED when they share one but at least one names it only further down, UNANCHORED when they
share none. Candidates rank by tier, then by score; only LEAD_ANCHORED ones are shown, unless
there are fewer than RELATED_FALLBACK. Reuters-21578 stories 1-200, share of the five best
candidates whose stories share a place or person by the corpus' editors (or dateline): 0.95
LEAD_ANCHORED, 0.53 ANCHORED, 0.25 UNANCHORED. Tagging a country mentioned in passing ('Japan' in a U.S. inflation story) is right
for the entity pages but not a reason to relate two briefings."""

LEAD_CHARS = 100
"""The lead is the headline and the first LEAD_CHARS characters of the body (a wire story's
dateline and opening words). Calibrated on Reuters-21578 stories 1-200, checked on 201-600 and
1-1000: 100-150 characters gave 1-3 points more good links than the whole first paragraph, and
100 was best on all three."""

RELATED_FALLBACK = 1
"""When fewer than this many LEAD_ANCHORED candidates exist, the best others (ANCHORED first, then
UNANCHORED) fill the list up to this many, marked "loosely related", so no briefing page is a
dead end (Reuters-21578: company notices naming no country). One, not two: fallbacks are right
about half the time (Reuters-21578 good links, one vs two: 93.3 vs 89.7 % on stories 1-200,
92.5 vs 90.8 % on 201-600, 94.6 vs 93.8 % on 1-1000)."""

TEXT_MAX_DF = 0.5
"""Words in more than half the briefings are ignored by the text similarity (TF-IDF max_df)..."""

TEXT_MAX_DF_MIN_ARCHIVE = 50
"""...but only in archives of at least this many briefings; in a small one every word matters."""

BLOCK_ROWS = 512
"""Rows scored per matrix product: bounds memory to BLOCK_ROWS x n floats per array."""

CANDIDATES = 20
"""Best candidates kept per briefing before pins, exclusions and stories are applied."""

REASON_ENTITIES = 3
"""Shared entities named in a related link's reason ("shares: Tajikistan, Taliban")."""

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
    tier: int = LEAD_ANCHORED
    """LEAD_ANCHORED, or lower for a fallback (see RELATED_FALLBACK)."""

    @property
    def anchored(self) -> bool:
        return self.tier == LEAD_ANCHORED

    def reason(self) -> str:
        if self.pinned:
            return "chosen by the editors"
        shared = "shares: " + ", ".join(self.shared[:REASON_ENTITIES]) if self.shared else "similar wording"
        return shared if self.anchored else f"{shared} (loosely related)"


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


def link_archive(archive: Archive, country_of: CountryOf | None = None, memo: TokenMemo | None = None,
                 parallel: bool | None = None) -> Links:
    """``memo``: tokens of texts seen before (``link.memo``; the links are the same without).
    ``parallel``: score the related briefings in a forked process while this one finds the
    stories (None: when the archive has PARALLEL_MIN_BRIEFINGS and a core is free, ``can_fork``;
    the links are the same either way)."""
    ordered = archive.oldest_first()
    entity_warnings: list[str] = []
    story_warnings: list[str] = []
    backlink_warnings: list[str] = []
    if parallel is None:
        parallel = len(ordered) >= PARALLEL_MIN_BRIEFINGS and can_fork()
    if memo is not None and parallel:
        words = related_words(memo)  # tokens looked up (or made) here: the forked process's memo dies with it
        for b in ordered:
            words(briefing_text(b))

    def others() -> tuple[dict[str, dict[str, Entity]], list[Story], dict[str, list[Briefing]]]:
        return (entity_index(archive, entity_warnings),  # merged under one spelling; fatal under --strict
                find_stories(ordered, warnings=story_warnings, memo=memo),
                backlinks(archive, backlink_warnings))

    job = partial(related_links, ordered, archive, country_of, memo)
    (related, related_warnings), (entities, stories, back) = (
        beside(job, others) if parallel else (job(), others()))
    dated = [b for b in ordered if b.date is not None]
    return Links(
        entities=entities, related=related, backlinks=back, stories=stories,
        story_of={b.id: s for s in stories for b in s.members},
        previous={b.id: a for a, b in zip(dated, dated[1:], strict=False)},
        following={a.id: b for a, b in zip(dated, dated[1:], strict=False)},
        errors=[], warnings=[*entity_warnings, *related_warnings, *story_warnings, *backlink_warnings])


def related_links(ordered: list[Briefing], archive: Archive, country_of: CountryOf | None,
                  memo: TokenMemo | None) -> tuple[dict[str, list[Related]], list[str]]:
    """The related briefings of each briefing, and the warnings about its pins and exclusions."""
    warnings: list[str] = []
    candidates = related_candidates(ordered, country_of, memo)
    return pick_related(ordered, candidates, archive, warnings), warnings


PARALLEL_MIN_BRIEFINGS = 300
"""From this many briefings the link stage scores the related briefings in a forked process while
this one finds the stories: the two only read the archive. cProfile of the link stage of fed56fa
(2,938 Reuters briefings, tokens remembered): related 3.8 s, stories 6.5 s, of 10.6 s profiled.
The threshold is an estimate, not a measurement: the related scoring grows with the square of the
archive, so at a tenth of those briefings it costs about what the fork adds (0.45 s of CPU at
2,938 briefings, ``parallel.FREE_CORE_LOAD``); below it, one process (``parallel.beside``)."""


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
    tier: int
    """LEAD_ANCHORED, ANCHORED or UNANCHORED: candidates rank by tier, then score."""

    @property
    def anchored(self) -> bool:
        return self.tier >= ANCHORED


@dataclass
class Candidates:
    """Each briefing's best candidates (indices into the oldest-first list) and what they share."""

    best: list[list[Candidate]]
    keys: list[list[str]]
    idf: dict[str, float]
    """Rarity weight of each entity feature that counts (tags of one briefing only are absent)."""
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
    idf = {k: math.log((1 + n) / (1 + c)) + 1.0 for k, c in sorted(df.items()) if c > 1}
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


def lead(b: Briefing) -> str:
    """The headline and the opening of the body (its first paragraph, at most LEAD_CHARS)."""
    body = re.sub(r"\\(.)", r"\1", b.body).strip()
    return f"{b.title}\n{body.split(chr(10) + chr(10), 1)[0][:LEAD_CHARS]}"


def _names_in(text: str, names: set[str]) -> bool:
    """Whether any of the names occurs in text (casefolded) as whole words."""
    for name in names:
        folded = name.casefold()
        at = text.find(folded)
        while at >= 0:
            before, after = text[at - 1:at] if at else "", text[at + len(folded):at + len(folded) + 1]
            if not (before.isalnum() or after.isalnum()):
                return True
            at = text.find(folded, at + 1)
    return False


def lead_anchors(b: Briefing, country_of: CountryOf | None) -> set[str]:
    """Anchor keys ('countries:slug', 'people:slug') the briefing names in its lead: a country by
    any of its names ('U.S.', 'Japanese') or by one of its tagged places or people ('LOS
    ANGELES, Feb 26 -'), a person by full name or surname."""
    text = lead(b).casefold()
    names_of = country_of.names_of if isinstance(country_of, Geography) else None
    found: set[str] = set()
    for person in b.tags.people:
        if _names_in(text, {person, person.split()[-1]}):
            found.add(f"people:{slugs.entity_slug(person)}")
    for country in b.tags.countries:
        if _names_in(text, {country, *(names_of(country) if names_of else ())}):
            found.add(f"countries:{slugs.entity_slug(country)}")
    if country_of is not None:
        for t in ("places", "people"):
            for name in getattr(b.tags, t):
                owner = country_of(t, name)
                if owner and _names_in(text, {name, name.split()[-1]} if t == "people" else {name}):
                    found.add(f"countries:{slugs.entity_slug(owner)}")
    return found


def _anchor_matrix(keys: Sequence[Collection[str]]) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Briefings x countries and people (0/1), every one counted, even over-common ones."""
    column = {k: i for i, k in enumerate(sorted({k for ks in keys for k in ks if k.split(":", 1)[0] in ANCHOR_TYPES}))}
    rows, cols = [], []
    for r, ks in enumerate(keys):
        for k in ks:
            if k in column:
                rows.append(r)
                cols.append(column[k])
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), max(len(column), 1))), column


def _l2_rows(matrix: sp.csr_matrix, smoothing: float = 0.0) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel() + smoothing**2)
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def briefing_text(b: Briefing) -> str:
    """Words the text similarity compares: the title (twice: it names the story) and the body."""
    body = re.sub(r"\\(.)", r"\1", b.body)
    return f"{b.title}\n{b.title}\n{b.summary or ''}\n{body}"


RELATED_TOKENS = r"(?u)\b[^\W\d_][\w'-]+\b"
"""Words of the text similarity: two or more letters (digits only after the first), no stop words."""


def related_words(memo: TokenMemo | None) -> Callable[[str], Iterable[str]]:
    """The words of a ``briefing_text`` the text similarity compares, through ``memo``."""
    return plain("related text", _RELATED_WORDS, memo)


_RELATED_WORDS = tfidf.english_words(RELATED_TOKENS)


def _text_matrix(ordered: list[Briefing], memo: TokenMemo | None = None) -> sp.csr_matrix:
    n = len(ordered)
    words = related_words(memo)
    return tfidf.fit_or_empty([briefing_text(b) for b in ordered], words,
                              max_df=TEXT_MAX_DF if n >= TEXT_MAX_DF_MIN_ARCHIVE else 1.0)


def _days(ordered: list[Briefing]) -> np.ndarray:
    return np.array([b.date.timestamp() / 86400.0 if b.date else np.nan for b in ordered], dtype=np.float64)


def time_factor(days_apart: np.ndarray) -> np.ndarray:
    """TIME_FLOOR + (1 - TIME_FLOOR) * closeness, times LATE_PENALTY beyond RELATED_MAX_DAYS."""
    apart = np.abs(days_apart)
    factor = np.exp(apart * np.float32(-1.0 / TIME_SCALE_DAYS))
    factor *= np.float32(1.0 - TIME_FLOOR)
    factor += np.float32(TIME_FLOOR)
    np.multiply(factor, np.float32(LATE_PENALTY), out=factor, where=apart > RELATED_MAX_DAYS)
    factor[np.isnan(apart)] = TIME_FLOOR + (1.0 - TIME_FLOOR) * UNDATED_CLOSENESS
    return factor


def related_candidates(ordered: list[Briefing], country_of: CountryOf | None = None,
                       memo: TokenMemo | None = None) -> Candidates:
    """Best CANDIDATES per briefing, by tier then score, a block of rows at a time (float32).
    ``memo``: tokens of texts seen before (``link.memo``)."""
    n = len(ordered)
    entities, keys, idf, names = _entity_matrix(ordered, country_of)
    text = _text_matrix(ordered, memo)
    anchors, column = _anchor_matrix(keys)
    in_lead = [{k for k in lead_anchors(b, country_of) if k in column} for b in ordered]
    leads = _anchor_matrix([*in_lead, list(column)])[0][:n]  # the extra row pins the columns
    entities, text, anchors, leads = (m.astype(np.float32) for m in (entities, text, anchors, leads))
    days = _days(ordered).astype(np.float32)
    best: list[list[Candidate]] = []
    keep = min(CANDIDATES, max(n - 1, 0))
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[sorted(range(n), key=lambda i: ordered[i].id)] = np.arange(n)
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        if keep == 0:
            best += [[] for _ in range(stop - start)]
            continue
        score = (entities[start:stop] @ entities.T).toarray()
        score *= np.float32(ENTITY_WEIGHT)
        score += np.float32(TEXT_WEIGHT) * (text[start:stop] @ text.T).toarray()
        apart = days[start:stop, None] - days[None, :]
        score *= time_factor(apart)
        in_time = ~(np.abs(apart) > RELATED_MAX_DAYS)  # NaN (undated) is in time
        tier = ((anchors[start:stop] @ anchors.T).toarray() > 0) & in_time
        lead_tier = ((leads[start:stop] @ leads.T).toarray() > 0) & in_time
        rank = score + np.float32(2.0) * tier + np.float32(2.0) * lead_tier  # scores are at most 1: tiers never mix
        rank[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        top = np.argpartition(-rank, keep - 1, axis=1)[:, :keep] if keep < n else np.tile(np.arange(n), (stop - start, 1))
        best += _best_of_block(top, score, tier, lead_tier, start, id_rank)
    return Candidates(best, keys, idf, names)


def _best_of_block(top: np.ndarray, score: np.ndarray, tier: np.ndarray, lead_tier: np.ndarray, start: int,
                   id_rank: np.ndarray) -> list[list[Candidate]]:
    """The candidates of the rows ``start``... of a block (``top``: the columns of each row's best),
    best first: by tier, then score rounded to 6 places (equal scores tie-break on id, whatever
    the float noise), then id; the row itself and pairs scoring 0 left out."""
    rows = np.arange(len(top))[:, None]
    picked = score[rows, top]
    valid = (top != rows + start) & (picked > 0)
    row_of = np.broadcast_to(rows, top.shape)[valid]
    pos = top[valid]
    rounded = np.array([round(x, 6) for x in picked[valid].tolist()], dtype=np.float64)  # Python's rounding
    tiers = tier[rows, top][valid].astype(np.int64) + lead_tier[rows, top][valid]
    order = np.lexsort((id_rank[pos], -rounded, -tiers, row_of))
    out: list[list[Candidate]] = [[] for _ in range(len(top))]
    for r, j, value, t in zip(row_of[order].tolist(), pos[order].tolist(), rounded[order].tolist(),
                              tiers[order].tolist(), strict=True):
        out[r].append(Candidate(j, value, t))
    return out


def shared_entities(a: int, b: int, cands: Candidates) -> tuple[str, ...]:
    both = set(cands.keys[a]) & set(cands.keys[b])
    counted = sorted((k for k in both if k in cands.idf), key=lambda k: (-cands.idf[k], cands.names[k]))
    return tuple(cands.names[k] for k in counted)


def pick_related(ordered: list[Briefing], cands: Candidates, archive: Archive,
                 warnings: list[str]) -> dict[str, list[Related]]:
    """Top RELATED_SHOWN per briefing: editors' pins first, then anchored candidates, then (only
    up to RELATED_FALLBACK in all) the best others; exclusions removed."""
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
        strong = [c for c in allowed if c.tier == LEAD_ANCHORED and c.score >= MIN_RELATED_SCORE]
        others = [c for c in allowed if c.tier < LEAD_ANCHORED][:max(RELATED_FALLBACK - len(strong), 0)]
        for c in [*strong, *others][:max(RELATED_SHOWN - len(chosen), 0)]:
            chosen.append(Related(ordered[c.pos].id, c.score, shared_entities(i, c.pos, cands), tier=c.tier))
        out[b.id] = chosen
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
