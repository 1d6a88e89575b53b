"""Search stage: index the built site with Pagefind, after MkDocs, one shard at a time.

Only briefing pages are indexed: the theme (``overrides/main.html``) wraps a briefing's
content in ``data-pagefind-body`` and adds its date (meta + sort key) and its country, person,
organisation and topic filters.

The index is cut into shards (``search_shards``): each is a Pagefind bundle of its own in
``site/assets/pagefind/<shard>/``, and ``site/assets/pagefind/shards.json`` lists them. The search
page (``assets/javascripts/search-index.js``) loads the first with Pagefind's script and merges the
others into it (``mergeIndex``). A build indexes again only the shards whose pages were rendered,
added or removed; the others are left as they are, byte for byte what a clean build writes.

Pagefind orders results from merged indexes by score, and a date sort's score is a page's position
in its own shard: so each shard also gets ``dates.json`` (Pagefind's page id -> sort date), and the
search page orders merged results by date itself.

Pagefind runs as its own process (the binary shipped in the ``pagefind_bin`` wheel), so its
memory is the child's, not the build's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import BriefingsError
from build_tools.paths import absolute
from build_tools.site import search_shards
from build_tools.site.search_canon import META_SORTS, canonicalise, read
from build_tools.store import build_cache
from build_tools.store.writer import atomic_write

BUNDLE_DIR = "assets/pagefind"
"""Where the shards go, inside the site folder (the search page's script expects them). Under
``assets/`` with the theme's own scripts: a script loaded from anywhere else counts as foreign
(``../shared/tools/xss_probe.py``)."""

MANIFEST = "shards.json"
"""``{"shards": [name, ...]}``, in the bundle folder: what the search page merges."""

DATES = "dates.json"
"""In each shard: ``{page id: sort date}``, for ordering results merged from several shards."""

INDEXED_PREFIX = "briefings/"
INDEXED_GLOB = f"{INDEXED_PREFIX}**/*.html"
"""Pages Pagefind reads. Everything else (listings, entity pages) would only repeat briefing text."""

LANGUAGE = "en"
"""One language for the whole archive: per-language indexes would split a mixed-language query."""

UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's ready-made interfaces, which the site does not use (its search page is its own):
removed from every shard (about 400 KB each)."""

OLD_PREFIX = "."
"""A shard's last bundle is renamed to ``.<shard>`` and deleted while Pagefind makes the new one
(a hidden folder: a build that stopped half-way leaves it to the next, which deletes it as a
folder that is no shard)."""

SORT_DATE = re.compile(r'data-pagefind-sort="date">([^<]*)<')


@dataclass(frozen=True)
class SearchIndexReport:
    pages: int
    """Pages in the index (briefings), every shard."""
    bundle_bytes: int
    """Size of everything in ``site/assets/pagefind/``."""
    bundle_files: int
    shards: int = 0
    shards_indexed: int = 0
    """Shards Pagefind indexed this time (the others were kept)."""


def pagefind_command(site: Path, glob: str = INDEXED_GLOB, output: str = BUNDLE_DIR) -> list[str]:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise BriefingsError("Pagefind is not installed: run 'make install' (it installs pagefind[bin] into .venv)")
    return [str(binary), "--site", str(site), "--glob", glob, "--force-language", LANGUAGE,
            "--output-subdir", output, "--quiet"]


def indexed_pages(site: Path) -> list[str]:
    """Site-relative paths of the pages the index is made of."""
    folder = site / INDEXED_PREFIX
    return sorted(p.relative_to(site).as_posix() for p in folder.rglob(search_shards.PAGE_NAME)) \
        if folder.is_dir() else []


def index_site(site: Path, state_file: Path | None = None, changed: Collection[str] | None = None,
               limit: int | None = search_shards.SHARD_PAGES) -> SearchIndexReport:
    """Index ``site`` (already built by MkDocs) into ``site/assets/pagefind/``, shard by shard.

    ``state_file``: what the last index was made of (the pages of each shard); with it, only the
    shards that are new, whose pages changed, or that hold a page in ``changed`` (site-relative
    paths rendered or removed since) are indexed again. Without it, every shard is. ``limit``: see
    ``search_shards.plan`` (None: one unsharded index). A site without briefing pages gets no index
    (Pagefind refuses to index nothing): the report counts 0 pages, and the build's warning about
    the empty archive says why."""
    if not site.is_dir():
        raise BriefingsError(f"{site}: no built site to index; the MkDocs build did not run")
    bundle = site / BUNDLE_DIR
    shards = search_shards.plan(indexed_pages(site), INDEXED_PREFIX, limit)
    before = build_cache.load(state_file) if state_file is not None else None
    if not isinstance(before, dict) or _manifest(bundle) is None:
        before = {}
    kept = {name: pages for name, pages in before.items()
            if name in shards and (bundle / name / "pagefind-entry.json").is_file()}
    todo = search_shards.touched(shards, kept, set(changed or ()))
    for stale in sorted(set(_shard_dirs(bundle)) - set(shards)):
        shutil.rmtree(bundle / stale)
    for name in todo:
        index_shard(site, shards[name])
    if shards:
        bundle.mkdir(parents=True, exist_ok=True)
        manifest = json.dumps({"shards": list(shards)}, separators=(",", ":")).encode("utf-8")
        if _manifest(bundle) != manifest:
            atomic_write(bundle / MANIFEST, manifest, durable=False)
    elif (bundle / MANIFEST).is_file():
        (bundle / MANIFEST).unlink()
    if state_file is not None:
        build_cache.save(state_file, {name: shard.pages for name, shard in shards.items()})
    report = bundle_report(bundle)
    return SearchIndexReport(report.pages, report.bundle_bytes, report.bundle_files, len(shards), len(todo))


def _manifest(bundle: Path) -> bytes | None:
    try:
        return (bundle / MANIFEST).read_bytes()
    except OSError:
        return None


def _shard_dirs(bundle: Path) -> list[str]:
    return [p.name for p in bundle.iterdir() if p.is_dir()] if bundle.is_dir() else []


def index_shard(site: Path, shard: search_shards.Shard) -> None:
    """One shard's bundle, from nothing: Pagefind, then its files in one order (``search_canon``),
    then its sort dates."""
    output = site / BUNDLE_DIR / shard.name
    old = output.with_name(f"{OLD_PREFIX}{shard.name}")
    shutil.rmtree(old, ignore_errors=True)
    if output.is_dir():
        os.replace(output, old)  # no stale chunk of the last index in the new one
    with subprocess.Popen(pagefind_command(absolute(site), shard.glob, f"{BUNDLE_DIR}/{shard.name}"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as running:
        shutil.rmtree(old, ignore_errors=True)  # while Pagefind runs: thousands of files, seconds on a busy disk
        stdout, stderr = running.communicate()
    if running.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        raise BriefingsError(f"search index: Pagefind failed on {site} (shard {shard.name}, exit {running.returncode}): "
                             + (detail[-1] if detail else "no output"))
    canonicalise(output)  # the same pages, the same bundle (Pagefind's own order varies by run)
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    write_dates(site, shard, output)


def write_dates(site: Path, shard: search_shards.Shard, output: Path) -> None:
    """``dates.json``: each page id of the shard's date sort with its date. Pagefind's metadata lists
    the pages in date order without the dates; the shard's pages carry them, and the n-th smallest
    date is the n-th page's (ties give equal dates, whichever page comes first)."""
    dates = sorted(m.group(1) for page in shard.pages
                   if (m := SORT_DATE.search((site / page).read_text("utf-8"))))
    try:
        entry = json.loads((output / "pagefind-entry.json").read_text("utf-8"))
        meta = read(output / f"pagefind.{entry['languages'][LANGUAGE]['hash']}.pf_meta")
        assert isinstance(meta, list)
        pages, sorts = meta[1], meta[META_SORTS]
        assert isinstance(pages, list) and isinstance(sorts, list)
        order = next((s[1] for s in sorts if isinstance(s, list) and s[0] == "date"), [])
        assert isinstance(order, list)
        ids = [page[0] for i in order if isinstance(i, int) and isinstance(page := pages[i], list)]
    except (OSError, ValueError, KeyError, IndexError, AssertionError) as exc:  # UnknownFormat is a ValueError
        raise BriefingsError(f"search index: cannot read the sort order of shard {shard.name} in {output} "
                             f"({exc}); is Pagefind the version 'make install' installs?") from None
    if len(ids) != len(dates):
        raise BriefingsError(f"search index: shard {shard.name} in {output} has {len(ids)} pages in Pagefind's "
                             f"date order but {len(dates)} dated pages; is Pagefind the version 'make install' installs?")
    data = json.dumps(dict(zip(ids, dates, strict=True)), ensure_ascii=False, separators=(",", ":"))
    atomic_write(output / DATES, data.encode("utf-8"), durable=False)


def bundle_report(bundle: Path) -> SearchIndexReport:
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []
    pages = 0
    for entry in bundle.glob("*/pagefind-entry.json"):
        data = json.loads(entry.read_text("utf-8"))
        pages += sum(int(lang.get("page_count", 0)) for lang in data.get("languages", {}).values())
    return SearchIndexReport(pages=pages, bundle_bytes=sum(p.stat().st_size for p in files),
                             bundle_files=len(files), shards=len(list(bundle.glob("*/pagefind-entry.json"))))
