"""Which search shard a briefing page belongs to: the archive's Pagefind index is cut into shards
that rarely change, so an edit re-indexes one shard, not the archive.

Pagefind has no incremental mode (its command and its Python API both build a whole index from the
pages they are given), but its search script merges indexes in the browser (``mergeIndex``). So
each shard is a Pagefind bundle of its own, indexed from the pages of one folder of the site:

- a year (``briefings/1987/``) while it holds at most ``limit`` pages;
- else each of its months (``briefings/1987/03/``) while that holds at most ``limit`` pages;
- else the month's pages spread over a power of two of buckets by a stable hash of their slug
  (``1987-03-5of8``): enough buckets for ``limit`` pages each on average.

A shard's pages depend only on its folder, so adding a briefing to March 1987 changes no other
shard. The plan changes shape (a year splits into months, a month into twice the buckets) only
when a folder grows past a bound, and then only that folder is indexed again. Bounding the size
keeps an edit's re-index short even when the whole archive is one month (the Reuters test data is
March and April 1987); not making shards smaller than needed keeps the first query small, since a
query fetches Pagefind's metadata and an index chunk from every shard.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

SHARD_PAGES = 500
"""Most pages a shard of a year or a month holds before it is split (hash buckets hold this many on
average, at most about one and a half times as many). Calibrated with ``python -m quality.bench``
at 1,000 briefings of Reuters 1987: an edit re-indexes about 500 pages, a 20th of 10,000, and a first
query fetches from 32 shards at 10,000 briefings (see benchmarks/RESULTS.md)."""

PAGE_NAME = "index.html"


@dataclass(frozen=True)
class Shard:
    name: str
    """Its folder inside the bundle folder, and its name in ``shards.json``: ``1987``,
    ``1987-03``, ``1987-03-5of8`` or ``undated``."""
    glob: str
    """The Pagefind ``--glob`` (relative to the site) that selects exactly its pages."""
    pages: tuple[str, ...]
    """Site-relative paths of its pages (``briefings/1987/03/<slug>/index.html``), sorted."""


def folder_of(page: str) -> tuple[str, ...]:
    """``briefings/1987/03/<slug>/index.html`` -> ("1987", "03")."""
    return tuple(PurePosixPath(page).parts[1:-2])


def slug_of(page: str) -> str:
    return PurePosixPath(page).parts[-2]


def bucket_of(page: str, buckets: int) -> int:
    """A stable bucket of the page's slug: the same in every process and on every machine."""
    return int.from_bytes(hashlib.sha256(slug_of(page).encode("utf-8")).digest()[:8], "big") % buckets


def bucket_count(pages: int, limit: int) -> int:
    """The power of two of buckets that gives at most ``limit`` pages a bucket on average."""
    count = 1
    while pages > count * limit:
        count *= 2
    return count


def plan(pages: Iterable[str], prefix: str, limit: int | None = SHARD_PAGES) -> dict[str, Shard]:
    """The shards of ``pages`` (site-relative, under ``prefix``, each ``.../<slug>/index.html``), by
    name. ``limit`` None: one shard of every page (``all``), as an unsharded index."""
    pages = sorted(pages)
    if limit is None:
        return {"all": Shard("all", f"{prefix}**/*.html", tuple(pages))} if pages else {}
    years: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for page in pages:
        years[folder_of(page)[:1]].append(page)
    shards: dict[str, Shard] = {}
    for year, in_year in years.items():
        if len(in_year) <= limit or len(year) == 0:
            _add(shards, year, in_year, prefix)
            continue
        months: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for page in in_year:
            months[folder_of(page)[:2]].append(page)
        for month, in_month in months.items():
            if len(in_month) <= limit:
                _add(shards, month, in_month, prefix)
                continue
            buckets = bucket_count(len(in_month), limit)
            split: dict[int, list[str]] = defaultdict(list)
            for page in in_month:
                split[bucket_of(page, buckets)].append(page)
            for bucket, in_bucket in split.items():
                name = "-".join((*month, f"{bucket}of{buckets}"))
                slugs = [slug_of(p) for p in in_bucket]
                alternatives = slugs[0] if len(slugs) == 1 else "{" + ",".join(slugs) + "}"
                glob = f"{prefix}{'/'.join(month)}/{alternatives}/{PAGE_NAME}"
                shards[name] = Shard(name, glob, tuple(in_bucket))
    return dict(sorted(shards.items()))


def _add(shards: dict[str, Shard], folder: tuple[str, ...], pages: list[str], prefix: str) -> None:
    name = "-".join(folder) or "other"
    glob = f"{prefix}{'/'.join(folder)}/**/*.html" if folder else f"{prefix}*/{PAGE_NAME}"
    shards[name] = Shard(name, glob, tuple(pages))


def page_of_source(src_uri: str) -> str:
    """The site page MkDocs writes for ``src_uri`` (directory URLs): ``a/b.md`` -> ``a/b/index.html``."""
    path = PurePosixPath(src_uri)
    folder = path.parent if path.stem in ("index", "README") else path.parent / path.stem
    return (folder / PAGE_NAME).as_posix()


def touched(shards: dict[str, Shard], before: dict[str, tuple[str, ...]], changed: set[str]) -> list[str]:
    """Names of the shards to index again: new ones, those whose pages differ from ``before``
    (name -> pages of the last index), and those holding a page in ``changed``."""
    return [name for name, shard in shards.items()
            if before.get(name) != shard.pages or any(page in changed for page in shard.pages)]
