"""The render cache of the MkDocs stage: which page HTML can be kept from the previous build.

A page's HTML is a function of: its own Markdown; whether each file it links to exists (MkDocs
rewrites a link to an existing page into its URL and leaves, and warns about, one to a missing
file); the navigation every page shows (titles, URLs and meta of the pages in it); mkdocs.yml;
the theme's files (``custom_dir``: ``overrides/``; the installed theme by its version); and the
versions of MkDocs, Material, Python-Markdown and Jinja. :func:`page_key` hashes exactly those.
A page whose key and output file (size, mtime, inode) are what the manifest recorded keeps its
HTML; its log lines and anchors come from the manifest, so warnings, ``--strict`` and the
anchor checks see what a full build would.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools.store import build_cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

    from build_tools.site.sitebuild import PageResult

VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions")
"""Packages whose version is part of every page's key (their code writes the HTML)."""

Stamp = tuple[int, int, int]
"""(size, mtime_ns, inode) of a written page."""


@dataclass(frozen=True)
class Rendered:
    """What the manifest remembers of one rendered page."""

    key: str
    anchors: tuple[str, ...] | None
    """Anchor ids on the page (``Page.present_anchor_ids``)."""
    links_to_anchors: dict[str, dict[str, str]] | None
    """Links with an anchor: target src_uri -> {anchor: link as written}."""
    records: tuple[tuple[str, int, str], ...]
    """MkDocs' log lines for the page: (logger, level, message)."""
    stamp: Stamp | None


Manifest = dict[str, Rendered]
"""src_uri -> what rendering it gave."""


def load(path: Path) -> Manifest:
    found = build_cache.load(path)
    return found if isinstance(found, dict) else {}


def save(path: Path, manifest: Manifest) -> None:
    build_cache.save(path, manifest)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _nav_signature(items: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        children = getattr(item, "children", None)
        out.append([type(item).__name__, item.title, getattr(item, "url", None),
                    json.dumps(getattr(item, "meta", None), sort_keys=True, default=str),
                    _nav_signature(children) if children else None])
    return out


def site_key(config: MkDocsConfig, nav: Navigation) -> str:
    """What every page's HTML depends on: versions, mkdocs.yml, the theme's own files, the nav."""
    digest = hashlib.sha256()
    for name in VERSIONED:
        digest.update(f"{name}={_version(name)}\0".encode())
    config_file = config.config_file_path
    if config_file and os.path.isfile(config_file):
        digest.update(Path(config_file).read_bytes())
    digest.update(json.dumps([config.site_url, config.use_directory_urls, config.extra_css,
                              [str(s) for s in config.extra_javascript]], default=str).encode())
    custom_dir = config.theme.custom_dir
    if custom_dir:
        for path in sorted(Path(custom_dir).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(custom_dir).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(_nav_signature(nav.items), default=str).encode())
    return digest.hexdigest()


_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)|(?:href|src)=[\"']([^\"']+)",
                      re.MULTILINE)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def link_targets(markdown: str, src_uri: str) -> list[str]:
    """Docs-relative paths of every relative link in ``markdown`` (Markdown links, references,
    raw href/src), resolved against the page's folder; external and in-page links left out."""
    out = set()
    base = posixpath.dirname(src_uri)
    for m in _LINK_RE.finditer(markdown):
        target = m.group(1) or m.group(2) or m.group(3) or ""
        target = target.split("#", 1)[0].split("?", 1)[0]
        if not target or target.startswith("/") or _SCHEME_RE.match(target):
            continue
        out.add(posixpath.normpath(posixpath.join(base, target)))
    return sorted(out)


def page_key(site: str, file: File, known: set[str]) -> str:
    """A page's key: the site's, its path, its Markdown, and which of its link targets exist."""
    assert file.abs_src_path is not None
    data = Path(file.abs_src_path).read_bytes()
    digest = hashlib.sha256(site.encode() + b"\0" + file.src_uri.encode() + b"\0" + data)
    for target in link_targets(data.decode("utf-8", errors="replace"), file.src_uri):
        digest.update(f"\0{target}={target in known}".encode())
    return digest.hexdigest()


def stamp_of(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def still_valid(entry: Rendered | None, key: str, file: File | None) -> bool:
    """The recorded HTML is what rendering would write now, and it is still on disk untouched."""
    return (entry is not None and file is not None and entry.key == key and entry.stamp is not None
            and stamp_of(file.abs_dest_path) == entry.stamp)


def entry_of(result: PageResult, key: str, file: File) -> Rendered:
    return Rendered(key=key if result.error is None else "",
                    anchors=tuple(sorted(result.anchors)) if result.anchors is not None else None,
                    links_to_anchors=result.links_to_anchors,
                    records=tuple((r.name, r.levelno, r.getMessage()) for r in result.records),
                    stamp=stamp_of(file.abs_dest_path))


def replay(entry: Rendered) -> None:
    """Log a page's lines again, in page order, as rendering it did."""
    import logging

    for name, level, message in entry.records:
        logging.getLogger(name).log(level, "%s", message)


def expected_outputs(files: Files, config: MkDocsConfig) -> set[str]:
    """Site-relative paths a build of ``files`` writes."""
    from mkdocs.structure.files import InclusionLevel

    out = {f.dest_uri for f in files if InclusionLevel.is_included(f.inclusion)}
    for template in config.theme.static_templates:
        out.add(template)
        if template == "sitemap.xml":
            out.add("sitemap.xml.gz")
    out.update(str(t) for t in config.extra_templates)
    return out


def remove_stale(site_dir: Path, files: Files, config: MkDocsConfig, keep: Sequence[str]) -> list[str]:
    """Delete what a clean build would not have written (pages of removed briefings, old assets),
    and the folders left empty; the folders in ``keep`` are left as they are."""
    expected = expected_outputs(files, config)
    kept = tuple(k.rstrip("/") + "/" for k in keep)
    removed = []
    for dirpath, _dirs, names in os.walk(site_dir, topdown=False):
        rel_dir = os.path.relpath(dirpath, site_dir)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        if rel_dir.startswith(kept):
            continue
        for name in names:
            rel = rel_dir + name
            if rel not in expected:
                os.unlink(os.path.join(dirpath, name))
                removed.append(rel)
        if rel_dir and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return sorted(removed)
