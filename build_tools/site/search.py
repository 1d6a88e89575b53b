"""Search stage: index the built site with Pagefind, after MkDocs, one shard at a time.

Only briefing pages are indexed: the theme (``overrides/main.html``) wraps a briefing's
content in ``data-pagefind-body`` and adds its date (meta + sort key) and its country, person,
organisation and topic filters.

The index is cut into shards (``search_shards``): each is a Pagefind bundle of its own in
``site/assets/pagefind/<shard>/``, and ``site/assets/pagefind/shards.json`` lists them. The search
page (``assets/javascripts/search-index.js``) loads the first with Pagefind's script and merges the
others into it (``mergeIndex``). A build indexes again only the shards whose pages were rendered,
added or removed and whose indexed part changed (``indexed_part``: a page rendered again only
because a neighbour's title in its "Related" list changed gives Pagefind the same input); the others
are left as they are, byte for byte what a clean build writes. A shard indexed again is written
over its last bundle, and only the files the new bundle does not use are deleted afterwards
(``sweep``): Pagefind's fragments are named by their content, so most are the same files.

Pagefind orders results from merged indexes by score, and a date sort's score is a page's position
in its own shard: so each shard also gets ``dates.json`` (Pagefind's page id -> sort date), and the
search page orders merged results by date itself.

Pagefind runs as its own process (the binary shipped in the ``pagefind_bin`` wheel), so its
memory is the child's, not the build's.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from build_tools.errors import BriefingsError
from build_tools.paths import absolute
from build_tools.site import search_shards
from build_tools.site.search_canon import META_FILTERS, META_SORTS, Cbor, canonicalise, read
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
"""Earlier versions renamed a shard's last bundle to ``.<shard>`` while Pagefind made the new one;
a build stopped then left it behind, and any folder that is no shard is deleted."""

ENTRY = "pagefind-entry.json"

SORT_DATE = re.compile(r'data-pagefind-sort="date">([^<]*)<')

PAGEFIND_BODY = "data-pagefind-body"
DIV_TAG = re.compile(r"<(/?)div\b")
PAGEFIND_ATTRIBUTE = "data-pagefind-"
"""Marks an element Pagefind reads (meta, filter, sort: outside the body on briefing pages)."""
HEAD_PARTS = re.compile(r"<html\b[^>]*>|<title>[^<]*</title>")
"""The page's language and title: Pagefind's fallbacks when the page sets none of its own."""


class Indexed(NamedTuple):
    """What one briefing page gives Pagefind, remembered for the next build."""

    digest: str
    """sha256 of ``indexed_part`` of its HTML."""
    date: str | None
    """Its sort date (``data-pagefind-sort="date"``), for ``dates.json``."""


@dataclass
class SearchState:
    """What the last index was made of, in the search state file."""

    shards: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each shard's pages (``Shard.pages``)."""
    pages: dict[str, Indexed] = field(default_factory=dict)
    """Each indexed page's digest and date."""


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

    ``state_file``: what the last index was made of (``SearchState``); with it, only the shards
    that are new, whose pages changed, or that hold a page in ``changed`` (site-relative paths
    rendered or removed since) whose indexed part differs from the last index's are indexed
    again. Without it, every shard is. ``limit``: see ``search_shards.plan`` (None: one unsharded
    index). A site without briefing pages gets no index (Pagefind refuses to index nothing): the
    report counts 0 pages, and the build's warning about the empty archive says why."""
    if not site.is_dir():
        raise BriefingsError(f"{site}: no built site to index; the MkDocs build did not run")
    bundle = site / BUNDLE_DIR
    pages = indexed_pages(site)
    shards = search_shards.plan(pages, INDEXED_PREFIX, limit)
    before = build_cache.load(state_file) if state_file is not None else None
    if not isinstance(before, SearchState) or _manifest(bundle) is None:
        before = SearchState()
    changed = set(changed or ())
    now = {page: (found if (found := before.pages.get(page)) is not None and page not in changed
                  else indexed_of(site / page)) for page in pages}
    differ = {page for page in changed if before.pages.get(page) != now.get(page)}
    kept = {name: shard_pages for name, shard_pages in before.shards.items()
            if name in shards and (bundle / name / ENTRY).is_file()}
    todo = search_shards.touched(shards, kept, differ)
    for stale in sorted(set(_shard_dirs(bundle)) - set(shards)):
        shutil.rmtree(bundle / stale)
    if state_file is not None and todo:  # a build stopped while a shard is indexed leaves it to be indexed again
        build_cache.save(state_file, SearchState({name: p for name, p in kept.items() if name not in todo},
                                                 before.pages))
    for name in todo:
        index_shard(site, shards[name], {page: now[page].date for page in shards[name].pages})
    if shards:
        bundle.mkdir(parents=True, exist_ok=True)
        manifest = json.dumps({"shards": list(shards)}, separators=(",", ":")).encode("utf-8")
        if _manifest(bundle) != manifest:
            atomic_write(bundle / MANIFEST, manifest, durable=False)
    elif (bundle / MANIFEST).is_file():
        (bundle / MANIFEST).unlink()
    if state_file is not None and (todo or before.shards != {n: sh.pages for n, sh in shards.items()}):
        build_cache.save(state_file, SearchState({name: shard.pages for name, shard in shards.items()}, now))
    report = bundle_report(bundle)
    return SearchIndexReport(report.pages, report.bundle_bytes, report.bundle_files, len(shards), len(todo))


def indexed_part(html: str) -> str:
    """What Pagefind reads of a briefing page: the element marked ``data-pagefind-body``, every
    element with a Pagefind attribute and the text after its tag, the ``<html>`` tag and the
    title. Two pages with the same part give Pagefind the same input; the rest of a page (the
    navigation, the sections after the briefing's text) it never reads. A page without a body
    element is taken whole."""
    at = html.find(PAGEFIND_BODY)
    start = html.rfind("<", 0, at)
    if at < 0 or start < 0:
        return html
    depth, end = 0, len(html)
    for m in DIV_TAG.finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = m.end()
            break
    return "\0".join([*(m.group(0) for m in HEAD_PARTS.finditer(html)), html[start:end], *_marked(html)])


def _marked(html: str) -> list[str]:
    """Each tag holding ``PAGEFIND_ATTRIBUTE`` with the text after it, up to the next tag (found
    with ``str.find``: a regular expression for it backtracks over every tag of the page)."""
    out = []
    at = html.find(PAGEFIND_ATTRIBUTE)
    while at >= 0:
        end = html.find("<", at)
        end = len(html) if end < 0 else end
        out.append(html[html.rfind("<", 0, at) + 1:end])
        at = html.find(PAGEFIND_ATTRIBUTE, end)
    return out


def indexed_of(page: Path) -> Indexed:
    html = page.read_text("utf-8")
    date = SORT_DATE.search(html)
    return Indexed(hashlib.sha256(indexed_part(html).encode("utf-8")).hexdigest(), date.group(1) if date else None)


def _manifest(bundle: Path) -> bytes | None:
    try:
        return (bundle / MANIFEST).read_bytes()
    except OSError:
        return None


def _shard_dirs(bundle: Path) -> list[str]:
    return [p.name for p in bundle.iterdir() if p.is_dir()] if bundle.is_dir() else []


def index_shard(site: Path, shard: search_shards.Shard, dates: Mapping[str, str | None]) -> None:
    """One shard's bundle: Pagefind, written over the last one, then its files in one order
    (``search_canon``), its sort dates (``dates``: page -> sort date), and the files of the last
    bundle the new one does not use deleted (``sweep``)."""
    output = site / BUNDLE_DIR / shard.name
    (output / ENTRY).unlink(missing_ok=True)  # until the new one is complete, the shard is no index
    done = subprocess.run(pagefind_command(absolute(site), shard.glob, f"{BUNDLE_DIR}/{shard.name}"),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BriefingsError(f"search index: Pagefind failed on {site} (shard {shard.name}, exit {done.returncode}): "
                             + (detail[-1] if detail else "no output"))
    canonicalise(output)  # the same pages, the same bundle (Pagefind's own order varies by run)
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    write_dates(shard, output, dates)
    sweep(output)


def _meta(output: Path) -> tuple[str, list[Cbor]]:
    """(metadata file name, its content) of the bundle in ``output``."""
    entry = json.loads((output / ENTRY).read_text("utf-8"))
    name = f"pagefind.{entry['languages'][LANGUAGE]['hash']}.pf_meta"
    meta = read(output / name)
    if not isinstance(meta, list) or len(meta) <= META_SORTS:
        raise ValueError("metadata is not [version, pages, chunks, filters, sorts, ...]")
    return name, meta


def used_files(output: Path) -> set[str]:
    """Files (``output``-relative) the bundle's metadata names: its page fragments, index chunks,
    filters and itself. ValueError when it is not in the form this module knows."""
    name, meta = _meta(output)
    used = {name}
    for folder, items, at, suffix in (("fragment", meta[1], 0, "pf_fragment"), ("index", meta[2], 2, "pf_index"),
                                      ("filter", meta[META_FILTERS], 1, "pf_filter")):
        if not isinstance(items, list):
            raise ValueError(f"metadata: {folder} is not a list")
        for item in items:
            if not isinstance(item, list) or len(item) <= at or not isinstance(item[at], str):
                raise ValueError(f"metadata: an entry of {folder} has no file name")
            used.add(f"{folder}/{item[at]}.{suffix}")
    return used


def sweep(output: Path) -> None:
    """Delete what an earlier bundle left in ``output`` and this one does not use: fragments,
    index chunks, filters and metadata it does not name (Pagefind's scripts and WebAssembly it
    writes again every time). A bundle in another form is indexed again into an empty folder."""
    try:
        used = used_files(output)
    except (OSError, ValueError, KeyError, TypeError, IndexError):  # UnknownFormat is a ValueError
        raise BriefingsError(f"search index: cannot read the bundle in {output}; "
                             "is Pagefind the version 'make install' installs?") from None
    for path in output.glob("*.pf_meta"):
        if path.name not in used:
            path.unlink()
    for folder in ("fragment", "index", "filter"):
        if (output / folder).is_dir():
            for path in (output / folder).iterdir():
                if f"{folder}/{path.name}" not in used:
                    path.unlink()


def write_dates(shard: search_shards.Shard, output: Path, dates: Mapping[str, str | None]) -> None:
    """``dates.json``: each page id of the shard's date sort with its date. Pagefind's metadata lists
    the pages in date order without the dates; the shard's pages carry them (``dates``), and the
    n-th smallest date is the n-th page's (ties give equal dates, whichever page comes first)."""
    sort_dates = sorted(d for page in shard.pages if (d := dates.get(page)) is not None)
    try:
        _name, meta = _meta(output)
        pages, sorts = meta[1], meta[META_SORTS]
        assert isinstance(pages, list) and isinstance(sorts, list)
        order = next((s[1] for s in sorts if isinstance(s, list) and s[0] == "date"), [])
        assert isinstance(order, list)
        ids = [page[0] for i in order if isinstance(i, int) and isinstance(page := pages[i], list)]
    except (OSError, ValueError, KeyError, IndexError, AssertionError) as exc:  # UnknownFormat is a ValueError
        raise BriefingsError(f"search index: cannot read the sort order of shard {shard.name} in {output} "
                             f"({exc}); is Pagefind the version 'make install' installs?") from None
    if len(ids) != len(sort_dates):
        raise BriefingsError(f"search index: shard {shard.name} in {output} has {len(ids)} pages in Pagefind's "
                             f"date order but {len(sort_dates)} dated pages; is Pagefind the version 'make install' installs?")
    data = json.dumps(dict(zip(ids, sort_dates, strict=True)), ensure_ascii=False, separators=(",", ":"))
    atomic_write(output / DATES, data.encode("utf-8"), durable=False)


def bundle_report(bundle: Path) -> SearchIndexReport:
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []
    pages = 0
    for entry in bundle.glob(f"*/{ENTRY}"):
        data = json.loads(entry.read_text("utf-8"))
        pages += sum(int(lang.get("page_count", 0)) for lang in data.get("languages", {}).values())
    return SearchIndexReport(pages=pages, bundle_bytes=sum(p.stat().st_size for p in files),
                             bundle_files=len(files), shards=len(list(bundle.glob(f"*/{ENTRY}"))))
