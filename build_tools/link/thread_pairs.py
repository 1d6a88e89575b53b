"""Link: what two briefings share, as the features a story thread's merge decision reads.

A story thread is one event or one specific ongoing affair, not a topic (``stories``). Whether two
briefings belong to one is decided from *pair features* (Miranda et al., EMNLP 2018: TF-IDF
sub-vectors of title, body and entities, and time), each a number in a small range:

* ``title``, ``lead``, ``body``: TF-IDF cosine of the headlines, of the leads (the opening of the
  body, a wire story's dateline cut off) and of the whole bodies;
* ``names``: cosine of the capitalised names in the bodies (proper nouns, whatever the tagger
  knows), weighted by rarity in the archive;
* ``actors``: cosine of the people and organisation tags, weighted by rarity; ``geo``: the same for
  countries and places (every story shares a few, so they weigh apart and little);
* ``rare``: the summed rarity of the people and organisations both tag, 0 when none (one actor
  shared by two briefings only is 1, capped at 2);
* ``gap``: log(1 + days apart) / log(1 + GAP_SCALE_DAYS);
* ``subject``, ``subject_both``: the headline's *subjects* (its words the body writes as a name,
  'BRAZIL'S FUNARO WINS...' -> brazil, funaro; a wire ticker '<TWA>') found anywhere in the other
  briefing's names: the larger and the smaller share of the two directions. Two formulaic stories
  ('GE sells notes', 'Pitney Bowes sells notes') share wording, not subjects;
* ``keywords``: the summed rarity of the KEYWORDS best TF-IDF words of each briefing (headline,
  lead and body) that both share, scaled like ``rare`` ('moratorium', 'quota', 'earthquake').

Vectorised a block of rows at a time, like the related score: only pairs at most
THREAD_MAX_GAP_DAYS apart (or undated) and sharing some word of the headline or lead, a name or an
actor are candidates. Pure: briefings in, arrays out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from build_tools import slugs
from build_tools.link import tfidf
from build_tools.link.memo import Analyzer, TokenMemo, plain
from build_tools.model import Briefing

FEATURES = ("title", "lead", "body", "names", "actors", "geo", "rare", "gap", "subject", "subject_both", "keywords")
"""The pair features, in the order of a model's coefficients."""

THREAD_MAX_GAP_DAYS = 75
"""Two briefings further apart than this are never candidates for one thread (a developing story
that falls silent for two and a half months has ended). Not a learned figure: Reuters-21578
threads span at most 9 days; in the sample, the Afghanistan thread goes 63 days without a briefing
before its last (the aid hub at Termez, November), while distinct affairs sharing their actors
come back 90 to 120 days apart (Merkel and Macron in March and June; OPEC+ in April, July and
November), looking as alike as the thread's own briefings. 45 days (the bound before) cut the
Termez briefing off; 90 or more joined those affairs. Within the bound, the learned decision weighs
the ``gap`` feature. (The thread's first briefing, the April withdrawal deadline, is 100 days
before its next one and stays out.)"""

GAP_SCALE_DAYS = 45
"""The ``gap`` feature is 1 at this many days apart (it keeps growing, slowly, beyond)."""

UNDATED_GAP_DAYS = 7.0
"""Gap used when either briefing has no date (nothing says they are far apart)."""

LEAD_CHARS = 300
"""The lead: the first LEAD_CHARS characters of the body after the dateline (about two wire
sentences, the who-what-where)."""

KEYWORDS = 12
"""A briefing's keywords: its best words by TF-IDF (headline counted twice, then lead and body)."""

BLOCK_ROWS = 512
"""Rows scored per matrix product: bounds memory to a few BLOCK_ROWS x n arrays."""

_DATELINE = re.compile(r"^[^\n]{0,80}?\b(?:\d{1,2}|[A-Z][a-z]{2,8} \d{1,2})(?: \([^)]{1,30}\))?\s+[-–—]\s+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][a-z]+)*")
_STOP_NAMES = frozenset("""The A An In On At For But And Or If It Its This That These Those He She They We I You
Mr Mrs Ms Dr Sir Inc Corp Co Ltd Plc Group Reuter Reuters Monday Tuesday Wednesday Thursday Friday Saturday
Sunday January February March April May June July August September October November December""".split())
ACTOR_TYPES = ("people", "organizations")
GEO_TYPES = ("countries", "places")


def plain_body(b: Briefing) -> str:
    """The body without Markdown escapes."""
    return re.sub(r"\\(.)", r"\1", b.body).strip()


def thread_lead(b: Briefing) -> str:
    """The opening of the body without a wire dateline ('LONDON, March 5 - ')."""
    body = plain_body(b)
    return _DATELINE.sub("", body, count=1)[:LEAD_CHARS]


def body_names(b: Briefing) -> list[str]:
    """Capitalised names of the body ('Dilson Funaro', 'Brazil'), casefolded, not at a sentence start."""
    found = []
    for m in _NAME.finditer(plain_body(b)):
        words = [w for w in m.group(0).split() if w not in _STOP_NAMES]
        if words:
            found.append(" ".join(words).casefold())
    return found


_CAPITAL_WORD = re.compile(r"(?<![.!?]\s)(?<!^)(?<![.!?]\n)\b[A-Z][A-Za-z'-]*[A-Za-z]")
_HEAD_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
_TICKER = re.compile(r"[<(]([A-Z][A-Z0-9.\-]{0,7})[>)]")


def name_words(b: Briefing) -> set[str]:
    """Stemmed words the body writes capitalised (not at a sentence start), and wire tickers."""
    body = plain_body(b)
    found = {stem(w) for w in _CAPITAL_WORD.findall(body) if w not in _STOP_NAMES}
    return found | {t.casefold() for t in _TICKER.findall(b.title + " " + body)}


def subjects(b: Briefing, names: set[str]) -> set[str]:
    """The headline's words that the body writes as names (any case in the headline), and its tickers."""
    words = {stem(w) for w in _HEAD_WORD.findall(_TICKER.sub(" ", b.title))}
    return (words & names) | {t.casefold() for t in _TICKER.findall(b.title)}


@dataclass
class ThreadVectors:
    """Every briefing of an archive (oldest first) as the sub-vectors pair features compare."""

    title: sp.csr_matrix
    lead: sp.csr_matrix
    body: sp.csr_matrix
    names: sp.csr_matrix
    actors: sp.csr_matrix
    geo: sp.csr_matrix
    actor_idf: sp.csr_matrix
    """Briefings x actors, each cell the actor's rarity (for the ``rare`` feature)."""
    subjects: sp.csr_matrix
    """Briefings x name words: the headline's subjects, each row summing to 1."""
    name_words: sp.csr_matrix
    """Briefings x name words, 0/1."""
    keywords: sp.csr_matrix
    """Briefings x words: each briefing's KEYWORDS best words, valued by their rarity."""
    days: np.ndarray
    """Days since the epoch (NaN: undated)."""
    log_n: float


@dataclass
class Pairs:
    """Candidate pairs (``later`` > ``earlier`` in oldest-first order) and their features."""

    later: np.ndarray
    earlier: np.ndarray
    x: np.ndarray
    """len(pairs) x len(FEATURES)."""


_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W\d_]")
_SUFFIXES = ("ians", "ian", "ese", "ings", "ing", "ies", "ied", "ed", "es", "s")
"""Stripped from a word's end ('Brazilian' / 'Brazil', 'talks' / 'talk', 'Japanese' / 'Japan'):
a crude stemmer, enough to let headlines and leads that name one thing two ways meet."""


def stem(word: str) -> str:
    word = word.casefold().removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def words(text: str) -> list[str]:
    """Stemmed words of a text, without English stop words."""
    return [stem(w) for w in _WORD.findall(text) if w.casefold() not in tfidf.ENGLISH_STOP_WORDS and w.casefold() != "reuter"]


def _tfidf(texts: Sequence[str], max_df: float = 1.0, analyzer: Analyzer = words) -> sp.csr_matrix:
    return tfidf.fit_or_empty(texts, analyzer, max_df)


def _weighted(rows: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """L2-normalised rarity-weighted bag of keys, and the raw rarity of each key (keys of one row
    only are dropped: they cannot be shared)."""
    n = len(rows)
    df: Counter[str] = Counter(k for ks in rows for k in set(ks))
    column = {k: i for i, k in enumerate(sorted(k for k, c in df.items() if c > 1))}
    r, c, v = [], [], []
    for i, ks in enumerate(rows):
        for k in sorted(set(ks)):
            if k in column:
                r.append(i)
                c.append(column[k])
                v.append(math.log((1 + n) / (1 + df[k])) + 1.0)
    raw = sp.csr_matrix((v, (r, c)), shape=(n, max(len(column), 1)), dtype=np.float64)
    norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ raw), raw


def _keywords(ordered: Sequence[Briefing], analyzer: Analyzer = words) -> sp.csr_matrix:
    texts = [f"{b.title}\n{b.title}\n{thread_lead(b)}\n{plain_body(b)}" for b in ordered]
    fitted = tfidf.fit(texts, analyzer)
    if fitted is None:
        return sp.csr_matrix((len(ordered), 1), dtype=np.float64)
    matrix, idf = fitted
    rows: list[dict[int, float]] = []
    for r in range(matrix.shape[0]):
        start, stop = matrix.indptr[r], matrix.indptr[r + 1]
        cols, vals = matrix.indices[start:stop], matrix.data[start:stop]
        best = cols[np.lexsort((cols, -vals))[:KEYWORDS]]
        rows.append({int(c): float(idf[c]) for c in best})
    return _rows(rows, matrix.shape[1])


def _rows(rows: Sequence[dict[int, float]], width: int) -> sp.csr_matrix:
    r = [i for i, row in enumerate(rows) for _ in row]
    c = [k for row in rows for k in row]
    v = [x for row in rows for x in row.values()]
    return sp.csr_matrix((v, (r, c)), shape=(len(rows), max(width, 1)), dtype=np.float64)


def tag_keys(b: Briefing, types: Sequence[str]) -> list[str]:
    return [f"{t}:{slugs.entity_slug(n)}" for t in types for n in getattr(b.tags, t)]


def _names(b: Briefing, memo: TokenMemo | None) -> Sequence[str]:
    if memo is None:
        return body_names(b)
    return memo.value("body names", (b.body,), lambda: tuple(body_names(b)))


def _name_words(b: Briefing, memo: TokenMemo | None) -> set[str]:
    if memo is None:
        return name_words(b)
    return set(memo.value("name words", (b.title, b.body), lambda: tuple(sorted(name_words(b)))))


def thread_vectors(ordered: Sequence[Briefing], memo: TokenMemo | None = None) -> ThreadVectors:
    """``memo``: tokens of texts seen before (``link.memo``; the vectors are the same without)."""
    n = len(ordered)
    stemmed = plain("thread words", words, memo)
    actors, actor_raw = _weighted([tag_keys(b, ACTOR_TYPES) for b in ordered])
    geo, _ = _weighted([tag_keys(b, GEO_TYPES) for b in ordered])
    names, _ = _weighted([_names(b, memo) for b in ordered])
    named = [_name_words(b, memo) for b in ordered]
    heads = [subjects(b, w) for b, w in zip(ordered, named, strict=True)]
    column = {k: i for i, k in enumerate(sorted(set().union(*named, *heads)))}
    return ThreadVectors(
        keywords=_keywords(ordered, stemmed),
        subjects=_rows([{column[k]: 1.0 / len(h) for k in h} for h in heads], len(column)),
        name_words=_rows([{column[k]: 1.0 for k in w} for w in named], len(column)),
        title=_tfidf([b.title for b in ordered], analyzer=stemmed),
        lead=_tfidf([thread_lead(b) for b in ordered], analyzer=stemmed),
        body=_tfidf([plain_body(b) for b in ordered], max_df=0.5 if n >= 50 else 1.0, analyzer=stemmed),
        names=names, actors=actors, geo=geo, actor_idf=actor_raw,
        days=np.array([b.date.timestamp() / 86400.0 if b.date else np.nan for b in ordered]),
        log_n=math.log(n + 1.0) + 1.0)


def _rare_shared(v: ThreadVectors, rows: np.ndarray, upto: int) -> np.ndarray:
    """Block x upto: the summed rarity of the actors both briefings tag (0 if none), scaled so one
    actor of a single pair of briefings is 1."""
    present = v.actor_idf[:upto].copy()
    present.data[:] = 1.0
    return np.minimum((v.actor_idf[rows] @ present.T).toarray() / v.log_n, 2.0)


def candidate_pairs(v: ThreadVectors, rows: np.ndarray | None = None) -> Iterator[Pairs]:
    """Pairs (i, j), j < i, at most THREAD_MAX_GAP_DAYS apart and sharing a headline or lead word,
    a name or an actor, with their features; a block of later rows at a time. ``rows``: only the
    pairs whose later briefing is one of these (ascending; default every briefing)."""
    rows = np.arange(v.days.shape[0]) if rows is None else np.asarray(rows, dtype=int)
    for start in range(0, len(rows), BLOCK_ROWS):
        block = rows[start:start + BLOCK_ROWS]
        if not len(block):
            continue
        stop = int(block.max()) + 1
        sims = [(m[block] @ m[:stop].T).toarray() for m in (v.title, v.lead, v.body, v.names, v.actors, v.geo)]
        rare = _rare_shared(v, block, stop)
        ahead = (v.subjects[block] @ v.name_words[:stop].T).toarray()  # later's subjects in earlier's names
        behind = (v.name_words[block] @ v.subjects[:stop].T).toarray()  # earlier's subjects in later's names
        apart = np.abs(v.days[block, None] - v.days[None, :stop])
        apart = np.where(np.isnan(apart), UNDATED_GAP_DAYS, apart)
        later, earlier = np.nonzero(
            (np.arange(stop)[None, :] < block[:, None]) & (apart <= THREAD_MAX_GAP_DAYS)
            & ((sims[0] > 0) | (sims[1] > 0) | (sims[3] > 0) | (sims[4] > 0)))
        gap = np.log1p(apart[later, earlier]) / math.log1p(GAP_SCALE_DAYS)
        present = v.keywords[:stop].copy()
        present.data[:] = 1.0
        shared = np.minimum((v.keywords[block] @ present.T).toarray() / v.log_n, 4.0)
        a, b = ahead[later, earlier], behind[later, earlier]
        x = np.column_stack([*(s[later, earlier] for s in sims), rare[later, earlier], gap,
                             np.maximum(a, b), np.minimum(a, b), shared[later, earlier]])
        yield Pairs(block[later], earlier, x)


def all_pairs(v: ThreadVectors, rows: np.ndarray | None = None) -> Pairs:
    """Every candidate pair (of the later ``rows`` only, if given), later briefing ascending."""
    blocks = list(candidate_pairs(v, rows))
    if not blocks:
        return Pairs(np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES))))
    return Pairs(np.concatenate([p.later for p in blocks]), np.concatenate([p.earlier for p in blocks]),
                 np.vstack([p.x for p in blocks]))


def later_partners(v: ThreadVectors, earlier: np.ndarray) -> np.ndarray:
    """The briefings that are a candidate pair's later briefing with one of ``earlier`` (ascending)."""
    earlier = np.asarray(earlier, dtype=int)
    n = v.days.shape[0]
    if not len(earlier):
        return np.zeros(0, dtype=int)
    shares = np.zeros((n, len(earlier)), dtype=bool)
    for m in (v.title, v.lead, v.names, v.actors):
        shares |= (m @ m[earlier].T).toarray() > 0
    apart = np.abs(v.days[:, None] - v.days[None, earlier])
    apart = np.where(np.isnan(apart), UNDATED_GAP_DAYS, apart)
    later = np.arange(n)[:, None] > earlier[None, :]
    return np.flatnonzero((shares & later & (apart <= THREAD_MAX_GAP_DAYS)).any(axis=1))
