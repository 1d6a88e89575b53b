"""The render cache of the MkDocs stage: which page HTML can be kept from the previous build.

A page's HTML is a function of: its own Markdown; whether each file it links to exists (MkDocs
rewrites a link to an existing page into its URL and leaves, and warns about, one to a missing
file); the navigation every page shows (titles, URLs and meta of the pages in it); mkdocs.yml;
the theme's files (the archive's ``custom_dir`` and the package's overrides, ``site/defaults``; the
installed theme by its version); and the
versions of MkDocs, Material, Python-Markdown and Jinja. :func:`page_key` hashes exactly those.
A page whose key and output file (size, mtime, inode) are what the manifest recorded keeps its
HTML; its log lines and anchors come from the manifest, so warnings, ``--strict`` and the
anchor checks see what a full build would. Stamps follow ``store/stamps``: one taken too soon
after its file changed never matches, so a page is then checked by the digest of its bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from build_tools.site import defaults
from build_tools.store import build_cache, stamps
from build_tools.store.stamps import Digested, Stamp

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions")
"""Packages whose version is part of every page's key (their code writes the HTML)."""


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
    """Of its HTML file when written."""
    source: Source
    """The Markdown it was rendered from."""
    dest: str = ""
    """Site-relative path of its HTML."""
    digest: bytes | None = None
    """sha256 of its HTML: decides whether the file is untouched when its stamp cannot be trusted."""
    read: Read | None = None
    """A page in the navigation: what reading its Markdown gave (``sitebuild.prepare``)."""


class Read(NamedTuple):
    """What reading and rendering the Markdown of a page in the navigation gave, before its HTML:
    its title, which every page shows. The next build reuses it while ``key`` holds, instead of
    rendering the page again to learn its title (a listing page of thousands of links costs up to
    a second)."""

    key: str
    """``read_key``: its Markdown, which of its link targets exist, mkdocs.yml and the versions."""
    title: str | None
    """The first heading rendering found (MkDocs' ``Page._title_from_render``)."""
    records: tuple[tuple[str, int, str], ...]
    """MkDocs' log lines while reading and rendering the Markdown: (logger, level, message)."""


class Source(NamedTuple):
    """A page's Markdown as the key needs it."""

    stamp: Stamp | None
    """Its file's stamp when read (``store/stamps``: an untrusted one never matches)."""
    digest: str
    targets: tuple[str, ...]
    """Its relative link targets (``link_targets``)."""


Manifest = dict[str, Rendered]
"""src_uri -> what rendering it gave."""


@dataclass
class SiteState:
    """What the render cache keeps of a site build."""

    pages: Manifest = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)
    """Every site-relative file the build wrote (``expected_outputs``): the next build deletes
    those it no longer writes."""
    inputs: str = ""
    """``inputs_fingerprint`` of the build: when it is the same, nothing can have changed."""
    log: list[tuple[str, int, str]] = field(default_factory=list)
    """Everything MkDocs logged (INFO and up), replayed by a build that changes nothing."""
    digests: dict[str, Digested] = field(default_factory=dict)
    """Each input file's digest (``inputs_fingerprint``), reused while its stamp is unchanged."""


class Inputs(NamedTuple):
    fingerprint: str
    digests: dict[str, Digested]


def inputs_fingerprint(config: MkDocsConfig, known: dict[str, Digested]) -> Inputs:
    """Every file and setting the site is built from: each file of docs_dir, of the package's default
    pages and of the theme's folders that are ours (``defaults.theme_dirs``) by the digest of its bytes, mkdocs.yml, the versions, and the build date. A
    digest in ``known`` (the last build's) is reused while its file keeps a trusted stamp
    (``stamps.digested``); any other file is read, so an edit made however soon after the last
    build changes the fingerprint."""
    digests: dict[str, Digested] = {}
    digest = _settings_digest(config)
    digest.update(repr((config.docs_dir, config.site_dir, config.strict, os.environ.get("SOURCE_DATE_EPOCH"))).encode())
    tops: list[str] = [config.docs_dir, str(defaults.DOCS), *(str(d) for d in defaults.theme_dirs(config))]
    for n, top in enumerate(tops):
        for dirpath, dirs, names in os.walk(top):
            dirs.sort()
            folder = os.path.relpath(dirpath, top)  # once a folder, not once a file
            prefix = f"{n}/" if folder == "." else f"{n}/{folder}/"
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                found = stamps.digested(path, known.get(path))
                if found is not None:
                    digests[path] = found
                token = found.digest.hex() if found is not None else "absent"
                digest.update(f"{prefix}{name}={token}\0".encode())
    return Inputs(digest.hexdigest(), digests)


def outputs_intact(site_dir: Path, state: SiteState) -> Manifest | None:
    """Every page the last build wrote is the file it wrote, and every other output is there:
    then the manifest with the pages' stamps of now, else None."""
    pages: Manifest = {}
    top = str(site_dir)
    for uri, entry in state.pages.items():
        now = stamps.unchanged(os.path.join(top, entry.dest), entry.stamp, entry.digest)
        if now is None:
            return None
        pages[uri] = entry if now == entry.stamp else replace(entry, stamp=now)
    return pages if all(os.path.exists(os.path.join(top, rel)) for rel in state.outputs) else None


def has_untrusted(state: SiteState) -> bool:
    """Whether a stamp the state holds was too recent to trust (a no-op build then records new ones)."""
    return (any(e.stamp is None or not e.stamp.trusted for e in state.pages.values())
            or any(not d.stamp.trusted for d in state.digests.values()))


class Recorder(logging.Handler):
    """Keeps what MkDocs logs during a build (``SiteState.log``), or while a page in the
    navigation is read (``sitebuild.prepare``, with ``level`` DEBUG)."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def load(path: Path) -> SiteState | None:
    found = build_cache.load(path)
    return found if isinstance(found, SiteState) else None


def save(path: Path, state: SiteState) -> None:
    build_cache.save(path, state)


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


def _settings_digest(config: MkDocsConfig) -> hashlib._Hash:
    """A digest started with the versions of the packages that write the HTML and mkdocs.yml."""
    digest = hashlib.sha256()
    for name in VERSIONED:
        digest.update(f"{name}={_version(name)}\0".encode())
    config_file = config.config_file_path
    if config_file and os.path.isfile(config_file):
        digest.update(Path(config_file).read_bytes())
    return digest


def site_key(config: MkDocsConfig, nav: Navigation) -> str:
    """What every page's HTML depends on: versions, mkdocs.yml, the theme's own files, the nav."""
    digest = _settings_digest(config)
    digest.update(json.dumps([config.site_url, config.use_directory_urls, config.extra_css,
                              [str(s) for s in config.extra_javascript]], default=str).encode())
    for n, top in enumerate(defaults.theme_dirs(config)):
        for path in sorted(top.rglob("*")):
            if path.is_file():
                digest.update(f"{n}/".encode() + path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes())
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


def page_source(file: File, old: Rendered | None) -> Source:
    """The page's Markdown digest and link targets; from ``old`` when its file is unchanged."""
    assert file.abs_src_path is not None
    stamp = stamps.of(os.stat(file.abs_src_path))
    if old is not None and old.source.stamp == stamp:
        return old.source
    data = Path(file.abs_src_path).read_bytes()
    return Source(stamp, hashlib.sha256(data).hexdigest(),
                  tuple(link_targets(data.decode("utf-8", errors="replace"), file.src_uri)))


def page_key(site: str, file: File, source: Source, known: set[str]) -> str:
    """A page's key: the site's, its path, its Markdown, and which of its link targets exist."""
    digest = hashlib.sha256(f"{site}\0{file.src_uri}\0{source.digest}".encode())
    for target in source.targets:
        digest.update(f"\0{target}={target in known}".encode())
    return digest.hexdigest()


def kept(entry: Rendered | None, key: str, file: File | None) -> Rendered | None:
    """``entry`` with its HTML's stamp of now when the recorded HTML is what rendering would
    write now and it is still on disk untouched; else None (the page is rendered again)."""
    if entry is None or file is None or entry.key != key:
        return None
    now = stamps.unchanged(file.abs_dest_path, entry.stamp, entry.digest)
    return replace(entry, stamp=now) if now is not None else None


def entry_of(key: str, file: File, source: Source, anchors: set[str] | None,
             links_to_anchors: dict[str, dict[str, str]] | None, records: Sequence[logging.LogRecord],
             failed: bool, read: Read | None = None) -> Rendered:
    """The manifest entry of a page just rendered (a failed one gets no key: it renders again)."""
    dest = Path(file.abs_dest_path)
    try:
        digest: bytes | None = hashlib.sha256(dest.read_bytes()).digest()
    except OSError:
        digest = None
    return Rendered(key="" if failed else key, source=source, dest=file.dest_uri,
                    anchors=tuple(sorted(anchors)) if anchors is not None else None,
                    links_to_anchors=links_to_anchors,
                    records=tuple((r.name, r.levelno, r.getMessage()) for r in records),
                    stamp=stamps.stamp(dest), digest=digest, read=read)


def settings_key(config: MkDocsConfig) -> str:
    """The versions and mkdocs.yml (its Markdown extensions): what reading any page depends on."""
    return _settings_digest(config).hexdigest()


def read_key(settings: str, file: File, source: Source, known: set[str]) -> str:
    """What reading a page's Markdown gives depends on: ``settings_key``, its path, its Markdown
    and which of its link targets exist (MkDocs warns about the missing ones while rendering)."""
    return page_key(f"read\0{settings}", file, source, known)


def known_read(entry: Rendered | None, key: str) -> Read | None:
    """What reading the page gave the last time, when ``key`` still holds and it found a title."""
    read = entry.read if entry is not None else None
    return read if read is not None and read.key == key and read.title else None


def replay(entry: Rendered) -> None:
    """Log a page's lines again, in page order, as rendering it did."""
    replay_lines(entry.records)


def replay_lines(records: Sequence[tuple[str, int, str]]) -> None:
    for name, level, message in records:
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


def remove_stale(site_dir: Path, before: set[str], now: set[str]) -> list[str]:
    """Delete what the last build wrote and this one does not (pages of removed briefings, old
    assets), and the folders left empty."""
    removed = sorted(before - now)
    folders: set[str] = set()
    for rel in removed:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(site_dir / rel)
        folders.update(str(parent) for parent in PurePosixPath(rel).parents if str(parent) != ".")
    for folder in sorted(folders, key=len, reverse=True):
        with contextlib.suppress(OSError):
            (site_dir / folder).rmdir()  # only when empty
    return removed
