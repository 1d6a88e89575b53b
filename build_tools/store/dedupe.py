"""Near-duplicates: the same story arriving twice becomes one briefing listing every source.

Same wire copy from several outlets, or a re-scrape with small changes, is found by MinHash/LSH
over word 5-grams of the article text (``datasketch``), each candidate pair then confirmed by
its exact Jaccard similarity, so the result does not depend on hashing luck. Exact duplicates
(same input hash) are grouped earlier, by ``ingest.group_duplicates``.

Pure, except :func:`load_existing`, the reader of the briefings already on disk. ``ingest``
calls :func:`plan` and then writes what it says.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple, Protocol

from build_tools.components import connected
from build_tools.model import Article, Origin
from build_tools.slugs import briefing_id, fold
from build_tools.store import briefing as bfile

SHINGLE_WORDS = 5
"""Word n-grams compared. Five words: long enough that two different stories on one subject
rarely share many, short enough that an edited sentence only spoils a few."""

NEAR_DUPLICATE_JACCARD = 0.5
"""Two texts whose 5-gram sets overlap at least this much (Jaccard) are one story. Calibrated
with ``python -m quality.calibrate_dedupe DIR`` (prints every pair at 0.3 or more): the republished
trio of the sample inbox pairs at 0.92-0.96 (one copy with a sentence cut, one without its
dateline and with 'U.S.' as 'US'). In Reuters-21578 (3,000 stories) 59 pairs reach 0.3: 50 at
0.55 or more are repeats and corrections of one story; 0.41-0.46 are rewrites that add
paragraphs (kept apart: the later text has news); the highest pair of different stories is
0.31 (two fixed-format 'U.S. M-1 money supply' reports), 0.33-0.38 same-subject follow-ups."""

NUM_PERM = 128
"""MinHash permutations: the LSH finds pairs at the threshold with >95 % probability."""

MINHASH_SEED = 1
"""Fixed seed: same inputs, same candidates, on every run and machine."""

MIN_SHINGLES = 8
"""Texts with fewer 5-grams (a few lines) are never merged: too short to tell copies apart."""


class Existing(Protocol):
    """What dedupe needs of a briefing on disk (``on_disk.Existing`` has these)."""

    path: PurePosixPath
    id: str | None
    input_hashes: set[str]
    edited: bool
    origins: list[Origin]


@dataclass
class OnDiskText:
    entry: Existing
    file_text: str
    text: str
    """The briefing's body (the primary copy's text)."""


class Update(NamedTuple):
    """New sources for a briefing already on disk; ``text`` is None when it must be left alone."""

    path: PurePosixPath
    text: str | None
    sources: list[str]
    note: str


@dataclass
class Plan:
    groups: list[list[Article]] = field(default_factory=list)
    """Groups for ``ingest.place``: the primary copy first, every member is a source."""
    updates: list[Update] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """'X: near-duplicate of Y (Jaccard 0.88); merged' lines for the report."""


_ESCAPE = re.compile(r"\\(.)")
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    text = _ESCAPE.sub(r"\1", text)
    # ASCII text (most wire copy) folds to its lower case: the same words, without NFKD per character.
    return _WORD.findall(text.lower() if text.isascii() else fold(text))


def shingles(text: str) -> set[str]:
    words = tokens(text)
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def article_text(article: Article) -> str:
    return "\n".join(article.body)


def primary_key(article: Article) -> tuple[int, dt.datetime, str]:
    """The primary copy: the most complete text (most words), then the earliest, then by hash."""
    latest = dt.datetime.max.replace(tzinfo=dt.UTC)
    return (-len(tokens(article_text(article))), article.date or latest, article.input_hash)


def _minhashes(sets: list[set[str]]) -> list[Any]:
    """One MinHash per shingle set; the permutations are drawn once, not once per set."""
    from datasketch import MinHash

    return list(MinHash.generator(([s.encode("utf-8") for s in sorted(sh)] for sh in sets),
                                  num_perm=NUM_PERM, seed=MINHASH_SEED))


class Pair(NamedTuple):
    """Two shingle sets (by index, ``i < j``) and their exact Jaccard similarity."""

    i: int
    j: int
    jaccard: float


def near_pairs(texts: list[set[str]], threshold: float = NEAR_DUPLICATE_JACCARD) -> list[Pair]:
    """Every pair of ``texts`` at or above ``threshold`` (Jaccard), sorted: candidates from
    MinHash/LSH, each confirmed by its exact similarity. Sets of fewer than MIN_SHINGLES never pair."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    kept = [i for i, sh in enumerate(texts) if len(sh) >= MIN_SHINGLES]
    hashes = dict(zip(kept, _minhashes([texts[i] for i in kept]), strict=True))
    for i, m in hashes.items():
        lsh.insert(str(i), m)
    pairs = set()
    for i, m in hashes.items():
        for key in lsh.query(m):
            j = int(key)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    out = [Pair(i, j, jaccard(texts[i], texts[j])) for i, j in sorted(pairs)]
    return [p for p in out if p.jaccard >= threshold]


# --- signatures: the LSH bands of one text, kept between runs -------------------------------------


class Signature(NamedTuple):
    """What the near-duplicate search needs of one text without its shingles: how many it has,
    and a digest of each LSH band of its MinHash. Two texts are candidates exactly when
    ``MinHashLSH`` (threshold NEAR_DUPLICATE_JACCARD, NUM_PERM permutations) would pair them:
    one equal band. Computed once per text (in the worker for a new article, once per file for a
    briefing on disk) and stored in the archive index, so a run never re-hashes the archive."""

    shingles: int
    bands: tuple[str, ...]
    """One digest per band (empty below MIN_SHINGLES: such texts never pair)."""


BAND_DIGEST_BYTES = 16
"""Bytes of BLAKE2b kept per band: a false match needs a 2**-128 collision, and a false candidate
would still have to pass the exact Jaccard check."""


LSH_BANDS = 25
LSH_ROWS = 5
"""The bands and rows per band ``MinHashLSH`` picks for NEAR_DUPLICATE_JACCARD and NUM_PERM
(its ``_optimal_param``; tests/store/test_dedupe.py checks they still agree). Written here so a
run needs neither datasketch's LSH nor the SciPy it imports (about 1 s per run)."""

_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
"""MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's default ("affine32") scheme."""


@functools.cache
def _permutations() -> tuple[Any, Any]:
    """datasketch's affine32 permutations for NUM_PERM and MINHASH_SEED: odd ``a``, any ``b``."""
    import numpy as np

    gen = np.random.RandomState(MINHASH_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash_values(shingle_set: set[str]) -> Any:
    """The NUM_PERM hash values ``datasketch.MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)`` gives
    this set (its default scheme: SHA-1 32-bit input hash, fmix32, ``a * h + b`` mod 2**32), as a
    uint32 array; the same numbers without importing datasketch (tests compare both)."""
    import numpy as np

    a, b = _permutations()
    # The first 4 bytes of each SHA-1, read as little-endian uint32 (in any order: only minima are kept).
    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(s.encode("utf-8")).digest()[:4] for s in shingle_set]),
                       dtype="<u4").astype(np.uint32).reshape(-1, 1)
    s1, m1, s2, m2, s3 = (np.uint32(x) for x in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    full = np.full(NUM_PERM, (1 << 32) - 1, dtype=np.uint32)
    return np.minimum(full, (hv * a + b).min(axis=0)) if len(shingle_set) else full


def signatures(sets: list[set[str]]) -> list[Signature]:
    """The Signature of each shingle set, bands cut as ``MinHashLSH`` cuts them (``_byteswap``)."""
    out = []
    for sh in sets:
        if len(sh) < MIN_SHINGLES:
            out.append(Signature(len(sh), ()))
            continue
        hv = minhash_values(sh)
        out.append(Signature(len(sh), tuple(
            hashlib.blake2b(bytes(hv[b * LSH_ROWS:(b + 1) * LSH_ROWS].byteswap().data),
                            digest_size=BAND_DIGEST_BYTES).hexdigest() for b in range(LSH_BANDS))))
    return out


def signature(text: str) -> Signature:
    return signatures([shingles(text)])[0]


def candidates(sigs: Sequence[Signature], only: Callable[[int, int], bool] = lambda i, j: True) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, whose signatures share a band (the LSH candidates), among those
    ``only`` accepts."""
    tables: list[dict[str, list[int]]] = []  # one per band: its digest -> the texts having it
    for i, sig in enumerate(sigs):
        if sig.shingles >= MIN_SHINGLES:
            for b, key in enumerate(sig.bands):
                if b == len(tables):
                    tables.append({})
                tables[b].setdefault(key, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for table in tables:
        for members in table.values():
            if len(members) > 1:  # most digests belong to one text
                for x, i in enumerate(members):
                    pairs.update((i, j) for j in members[x + 1:] if only(i, j))
    return pairs


def confirmed(pairs: Iterable[tuple[int, int]], shingle_set: Callable[[int], set[str]],
              threshold: float = NEAR_DUPLICATE_JACCARD) -> list[Pair]:
    """The candidate pairs whose exact Jaccard reaches ``threshold``, sorted (as :func:`near_pairs`)."""
    out = [Pair(i, j, jaccard(shingle_set(i), shingle_set(j))) for i, j in sorted(pairs)]
    return [p for p in out if p.jaccard >= threshold]


def plan(groups: list[list[Article]], on_disk: list[OnDiskText], by_id: Mapping[str, Existing],
         by_hash: Mapping[str, Existing], force: bool = False,
         known: Mapping[str, Signature] | None = None) -> Plan:
    """Merge near-duplicate groups of this run, and route groups that near-duplicate (or are
    secondary sources of) a briefing on disk to that briefing.

    ``on_disk`` may be every briefing or only those that can join a group (:func:`relevant`): two
    briefings on disk never pair with each other, so the result is the same. ``known``: signatures
    already computed, by input hash, for the groups' first articles (the workers compute them)."""
    n = len(groups)
    bodies = [article_text(g[0]) for g in groups] + [d.text for d in on_disk]
    shingled: dict[int, set[str]] = {}

    def texts(i: int) -> set[str]:
        if i not in shingled:
            shingled[i] = shingles(bodies[i])
        return shingled[i]

    known = known or {}
    missing = [i for i in range(len(bodies)) if i >= n or groups[i][0].input_hash not in known]
    computed = dict(zip(missing, signatures([texts(i) for i in missing]), strict=True))
    sigs = [computed[i] if i in computed else known[groups[i][0].input_hash] for i in range(len(bodies))]
    # Two briefings already on disk are not this run's business.
    joined = [(p.i, p.j) for p in confirmed(candidates(sigs, lambda i, j: i < n or j < n), texts)]
    # Exact knowledge too: a group whose input is already a source of a briefing joins it.
    disk_index = {id(d.entry): n + k for k, d in enumerate(on_disk)}
    for g, group in enumerate(groups):
        for a in group:
            entry = by_id.get(briefing_id(a.input_hash)) or by_hash.get(a.input_hash)
            if entry is not None and id(entry) in disk_index:
                joined.append((g, disk_index[id(entry)]))
    result = Plan()
    for members in connected(len(bodies), joined):
        new = [i for i in members if i < n]
        if not new:
            continue
        articles = [a for i in new for a in groups[i]]
        disk = [on_disk[i - n] for i in members if i >= n]
        owner = _owner(articles, disk)
        if owner is None:
            if len(articles) > 1:  # (a group of one needs no primary_key: its tokens cost time)
                articles.sort(key=primary_key)
            result.groups.append(articles)
            lead, where = articles[0], articles[0].source
            lead_body = article_text(lead)
        elif owner.entry.id is not None and any(briefing_id(a.input_hash) == owner.entry.id for a in articles):
            articles.sort(key=lambda a: (briefing_id(a.input_hash) != owner.entry.id, primary_key(a)))
            result.groups.append(articles)  # ingest.place rewrites its own briefing, merging origins
            lead, lead_body, where = articles[0], owner.text, f"briefings/{owner.entry.path}"
        else:
            result.updates.append(add_sources(owner, articles, force))
            lead, lead_body, where = None, owner.text, f"briefings/{owner.entry.path}"
        lead_text: set[str] | None = None
        for g in new:
            if groups[g][0] is lead or (owner is not None and _known(groups[g][0], owner)):
                continue
            lead_text = shingles(lead_body) if lead_text is None else lead_text
            score = jaccard(texts(g), lead_text)
            result.merged.append(f"{groups[g][0].source}: near-duplicate of {where} (Jaccard {score:.2f}); "
                                 "recorded as another source of the same briefing")
    result.groups.sort(key=lambda g: (g[0].source, g[0].input_hash))
    return result


def _known(article: Article, d: OnDiskText) -> bool:
    return article.input_hash in d.entry.input_hashes or briefing_id(article.input_hash) == d.entry.id


def _owner(articles: list[Article], disk: list[OnDiskText]) -> OnDiskText | None:
    """The briefing on disk a cluster belongs to: one that already lists a member, else the oldest path."""
    for d in sorted(disk, key=lambda d: d.entry.path.as_posix()):
        if any(_known(a, d) for a in articles):
            return d
    return min(disk, key=lambda d: d.entry.path.as_posix()) if disk else None


def add_sources(d: OnDiskText, articles: list[Article], force: bool) -> Update:
    known = {o.input_hash for o in d.entry.origins} | d.entry.input_hashes
    new = [bfile.origin(a) for a in articles if a.input_hash not in known]
    names = [o.source for o in new]
    where = f"briefings/{d.entry.path}"
    if not new:
        return Update(d.entry.path, None, [], f"{', '.join(a.source for a in articles)}: already in {where}")
    if d.entry.edited and not force:
        return Update(d.entry.path, None, names,
                      f"{where}: edited by hand, left as it is; near-duplicate source(s) {', '.join(names)} "
                      "not added (add them to 'origins' by hand)")
    return Update(d.entry.path, with_origins(d.file_text, new), names, where)


def with_origins(text: str, origins: list[Origin]) -> str:
    """A briefing file's text with ``origins`` appended to its list (re-signed by ``briefing.render``)."""
    meta, body = bfile.load_front_matter(text)
    meta = meta or {}
    old = [o for o in meta.get("origins") or [] if isinstance(o, dict)]
    seen = {str(o.get("input_hash")) for o in old}
    meta["origins"] = old + [o.as_yaml() for o in origins if o.input_hash not in seen]
    return bfile.render(meta, body)


def load_existing(root: Path, entries: Iterable[Existing]) -> list[OnDiskText]:
    """Read the bodies of briefings on disk (the one place dedupe touches the disk)."""
    out = []
    for entry in sorted({id(e): e for e in entries}.values(), key=lambda e: e.path.as_posix()):
        try:
            text = (root / entry.path).read_bytes().decode("utf-8")
            _, body = bfile.split(text)
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        out.append(OnDiskText(entry, text, body))
    return out
