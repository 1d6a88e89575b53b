"""Search stage: index the built site with Pagefind, after MkDocs.

Only briefing pages are indexed: the theme (``overrides/main.html``) wraps a briefing's
content in ``data-pagefind-body`` and adds its date (meta + sort key) and its country, person,
organisation and topic filters. Pagefind writes its bundle (index chunks, fragments, the UI's
JS/CSS) into ``site/assets/pagefind/``; the search page (``docs/search.md``) loads it.

Pagefind runs as its own process (the binary shipped in the ``pagefind_bin`` wheel), so its
memory is the child's, not the build's.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import BriefingsError
from build_tools.paths import absolute
from build_tools.site.search_canon import canonicalise

BUNDLE_DIR = "assets/pagefind"
"""Where the bundle goes, inside the site folder (the search page's template expects it). Under
``assets/`` with the theme's own scripts: a script loaded from anywhere else counts as foreign
(``../shared/tools/xss_probe.py``)."""

INDEXED_PREFIX = "briefings/"
INDEXED_GLOB = f"{INDEXED_PREFIX}**/*.html"
"""Pages Pagefind reads. Everything else (listings, entity pages) would only repeat briefing text."""

LANGUAGE = "en"
"""One index for the whole archive: per-language indexes would split a mixed-language query."""


@dataclass(frozen=True)
class SearchIndexReport:
    pages: int
    """Pages in the index (briefings)."""
    bundle_bytes: int
    """Size of everything in ``site/pagefind/``."""
    bundle_files: int


def pagefind_command(site: Path) -> list[str]:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise BriefingsError("Pagefind is not installed: run 'make install' (it installs pagefind[bin] into .venv)")
    return [str(binary), "--site", str(site), "--glob", INDEXED_GLOB, "--force-language", LANGUAGE,
            "--output-subdir", BUNDLE_DIR, "--quiet"]


def index_site(site: Path) -> SearchIndexReport:
    """Build the Pagefind index of ``site`` (already built by MkDocs) into ``site/assets/pagefind/``.

    A site without briefing pages gets no index (Pagefind refuses to index nothing): the report
    counts 0 pages, and the build's warning about the empty archive says why."""
    if not site.is_dir():
        raise BriefingsError(f"{site}: no built site to index; the MkDocs build did not run")
    if next(site.glob(INDEXED_GLOB), None) is None:
        return bundle_report(site / BUNDLE_DIR)
    done = subprocess.run(pagefind_command(absolute(site)), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BriefingsError(f"search index: Pagefind failed on {site} (exit {done.returncode}): "
                             + (detail[-1] if detail else "no output"))
    canonicalise(site / BUNDLE_DIR)  # the same site, the same bundle (Pagefind's own order varies by run)
    return bundle_report(site / BUNDLE_DIR)


def bundle_report(bundle: Path) -> SearchIndexReport:
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []
    pages = 0
    entry = bundle / "pagefind-entry.json"
    if entry.is_file():
        data = json.loads(entry.read_text("utf-8"))
        pages = sum(int(lang.get("page_count", 0)) for lang in data.get("languages", {}).values())
    return SearchIndexReport(pages=pages, bundle_bytes=sum(p.stat().st_size for p in files),
                             bundle_files=len(files))
