"""The build run: gather the archive, link it, write the generated pages, run MkDocs."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.errors import BriefingsError
from build_tools.link.memo import TokenMemo
from build_tools.model import Briefing
from build_tools.paths import absolute, check_briefings_folder
from build_tools.site import defaults, render, search_shards
from build_tools.site.config import SiteOptions, check_config, read_docs_dir, read_options, site_advice
from build_tools.site.pages import GENERATED_FILES, GENERATED_FOLDERS
from build_tools.site.pageset import PageRecords, update_pages
from build_tools.site.search import BUNDLE_DIR, INDEXED_PREFIX, MANIFEST, index_site
from build_tools.site.sitebuild import SiteRenderer, SiteReport
from build_tools.store import build_cache, stamps
from build_tools.store.archive import Archive, ParseCache, load_archive
from build_tools.store.stamps import Stamp
from build_tools.store.writer import Writer, Written
from build_tools.tag.entities import load_vocabulary, unknown_names
from build_tools.tag.geography import Geography, load_geography

if TYPE_CHECKING:  # numpy and scipy: imported by the link stage only, which a no-op build skips
    from build_tools.link.links import Links

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    briefings: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    pages_rendered: int = 0
    """Site pages MkDocs rendered this time."""
    pages_reused: int = 0
    """Site pages whose HTML was kept from the previous build (nothing they are made of changed)."""
    shards_indexed: int = 0
    """Search index shards Pagefind indexed again (the others were kept)."""
    search_pending: set[str] | None = None
    """Pages the search index has yet to follow (``build(index_search=False)``), None: nothing to do."""
    notes: list[str] = field(default_factory=list)
    """What is worth knowing but is no problem (tags the vocabulary lacks): never fatal."""
    advice: list[str] = field(default_factory=list)
    """Settings worth changing (no ``site_url``): said once after the build, never a problem."""
    timings: dict[str, float] = field(default_factory=dict)
    content_time: int | None = None
    """Seconds since the epoch of the newest briefing date or update (None: no dated briefing): the
    site's build date (``SOURCE_DATE_EPOCH``, sitemap ``lastmod``), so a rebuild on another day of
    the same content writes the same bytes."""


LATEST_BUILD_TIME = 2**32 - 1
"""2106-02-07 06:28:15 UTC, the latest time the gzip header of MkDocs' ``sitemap.xml.gz`` can hold:
a briefing dated later (tests/test_hostile.py has one in year 9999) dates the site at this time."""


def stage_docs(source_docs: Path, docs: Path) -> None:
    """Copy the hand-written pages into another docs folder (builds of a temporary archive)."""
    if source_docs.resolve() == docs.resolve():
        return
    for path in source_docs.rglob("*"):
        rel = path.relative_to(source_docs)
        if rel.parts[0] in GENERATED_FOLDERS or rel.as_posix() in GENERATED_FILES or path.is_symlink():
            continue
        target = docs / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


@dataclass
class Gathered:
    """The archive, linked, with every problem found on the way: what ``check`` reports and what
    ``build`` and ``serve`` publish from (one function computes both, so they always agree)."""

    archive: Archive
    links: Links
    country_of: Geography
    errors: list[str]
    warnings: list[str]
    notes: list[str]


@dataclass
class Held:
    """What ``serve`` keeps in memory from one build to the next, so that it can show an edited
    briefing's page before the build that follows (``site/first_look``). ``build`` fills it."""

    gathered: Gathered | None = None
    """The archive and its links as the last build linked them (None while a build runs: only
    one copy lives at a time)."""
    site: SiteRenderer | None = None
    """What MkDocs rendered the pages with (``sitebuild.prepare``): files, theme, navigation."""
    docs: Path | None = None
    """The docs folder the generated pages went to."""
    trusted_html: bool = False
    looked: ParseCache = field(default_factory=dict)
    """The parses a first look made since the last build (docs-relative path -> parse): the
    build that follows takes them into its parse cache, so that a briefing saved again with an
    error before that build read it keeps the version the first look showed as its last good
    one, not the version before the edit."""


def vocabulary_notes(archive: Archive, vocabulary_dir: Path, memo: TokenMemo | None = None,
                     known_file: Path | None = None) -> list[str]:
    """One note per briefing whose tags the gazetteers and vocabulary do not know. Notes, not
    warnings: the tagger finds names the vocabulary lacks all the time, and a routine ingest must
    not fail a strict build; ``briefings vocab suggest`` ranks them for the vocabulary. ``memo``:
    each briefing's note as an earlier build wrote it for the same tags and vocabulary (the
    vocabulary is then not even loaded). ``known_file``: where the build cache keeps the names the
    vocabulary knows (``KNOWN_NAMES_FILE``), so a briefing whose note is not in ``memo`` (a new or
    retagged one) costs a set lookup, not a compile of the whole vocabulary."""
    loaded: list[Mapping[str, AbstractSet[str]]] = []
    version = vocabulary_digest(vocabulary_dir) if memo is not None or known_file is not None else ""

    def known() -> Mapping[str, AbstractSet[str]]:
        if not loaded:
            found = build_cache.load(known_file) if known_file is not None else None
            if isinstance(found, tuple) and len(found) == 2 and found[0] == version:
                loaded.append(found[1])
            else:
                loaded.append(load_vocabulary(vocabulary_dir).known)
                if known_file is not None:
                    build_cache.save(known_file, (version, loaded[0]))
        return loaded[0]

    def note(b: Briefing) -> tuple[str, ...]:
        unknown = unknown_names(b.tags, known())
        if not unknown:
            return ()
        names = ", ".join(f"{name!r} ({kind})" for kind, name in unknown)
        return (f"{b}: {len(unknown)} tag(s) not in the vocabulary: {names}; add them to "
                "vocabulary/*.yaml or fix the tag (briefings vocab suggest lists the most frequent)",)

    out: list[str] = []
    for b in archive.briefings:
        if memo is None:
            out += note(b)
        else:
            out += memo.value("vocabulary note", (version, str(b), repr(b.tags)), partial(note, b))
    return out


def gather(briefings_dir: Path, vocabulary_dir: Path | None = None,
           timings: dict[str, float] | None = None, cache: ParseCache | None = None,
           keep_last_good: bool = False) -> Gathered:
    """Every briefing read and linked, and every problem: schema, ids, links, vocabulary.
    ``cache``: parses of unchanged files are reused (and the cache updated); ``keep_last_good``:
    see ``load_archive``."""
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    archive = load_archive(briefings_dir, cache, keep_last_good)
    timings["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    gathered = link(archive, vocabulary_dir)
    timings["link"] = time.perf_counter() - t1
    return gathered


def link(archive: Archive, vocabulary_dir: Path | None, memo: TokenMemo | None = None,
         country_of: Geography | None = None, known_file: Path | None = None) -> Gathered:
    """The archive linked, with the problems of loading and linking it. ``memo``: tokens of the
    texts an earlier build linked (``link.memo``: the links are the same without, only slower);
    ``country_of``: the geography of ``vocabulary_dir``, when already loaded; ``known_file``: see
    ``vocabulary_notes``."""
    from build_tools.link.links import link_archive

    country_of = country_of or load_geography(vocabulary_dir)
    links = link_archive(archive, country_of, memo)
    notes = vocabulary_notes(archive, vocabulary_dir, memo, known_file) if vocabulary_dir is not None else []
    return Gathered(archive, links, country_of, archive.errors + links.errors, archive.warnings + links.warnings,
                    notes)


PARSED_FILE = "parsed.pickle"
BODIES_FILE = "bodies.pickle"
LINK_MEMO_FILE = "link-tokens.pickle"
GEOGRAPHY_FILE = "geography.pickle"
"""(vocabulary digest, its ``Geography``): read again only when a vocabulary file changes."""
KNOWN_NAMES_FILE = "vocabulary-known.pickle"
"""(vocabulary digest, the names it knows by tag type): the vocabulary notes of new or retagged
briefings without compiling the vocabulary (seconds: its YAML, the gazetteers, the automaton)."""


@dataclass
class Generated:
    """What a run of ``generate`` remembers: when nothing it is made of changed, the next run
    publishes the same pages, so it only checks they are still there and repeats its problems."""

    fingerprint: str
    briefings: int
    content_time: int | None
    errors: list[str]
    warnings: list[str]
    notes: list[str]
    outputs: dict[str, Written]
    """Docs-relative path -> stamp and digest of every generated page."""
    sources: dict[str, Stamp] = field(default_factory=dict)
    """Briefings-relative path -> the stamp of every briefing file the fingerprint was made of
    (the parse cache's): while each is the same and trusted and no file came or went, the
    fingerprint is the same without loading the parse cache (``sources_unchanged``)."""
    settings: str = ""
    """``settings_key`` of the run: the rest of what the fingerprint is made of."""


PAGES_FILE_PREFIX = "pages-"
"""What each page job read and wrote (``pageset.update_pages``), beside the ``Generated`` it goes
with: the next build makes only the jobs whose inputs changed. A file of its own (held with its
``Generated``'s fingerprint), so that a build which generates nothing does not load it."""


def settings_key(options: SiteOptions, vocabulary_dir: Path | None, keep_last_good: bool) -> str:
    """What the generated pages are made of besides the briefings: the site options, the
    vocabulary's files, whether a broken briefing keeps its last good version."""
    return repr((options, keep_last_good, vocabulary_digest(vocabulary_dir)))


def sources_unchanged(briefings_dir: Path, sources: Mapping[str, Stamp]) -> bool:
    """Every briefing file ``load_archive`` would read is one of ``sources`` with the same
    (trusted) stamp, and none is missing: the archive, its problems and the parse cache's digests
    are then the ones the stamps were taken with."""
    if not sources:
        return False
    seen = 0
    for path in briefings_dir.rglob("*.md"):
        rel = path.relative_to(briefings_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # never read (load_archive skips hidden files and folders)
        recorded = sources.get(rel)
        if recorded is None or stamps.stamp(path) != recorded:
            return False
        seen += 1
    return seen == len(sources)


def generated_file(briefings_dir: Path, docs: Path) -> Path:
    name = hashlib.sha256(str(absolute(docs)).encode()).hexdigest()[:16]
    return build_cache.build_cache_dir(briefings_dir) / f"generated-{name}.pickle"


def pages_file(state_file: Path) -> Path:
    """Where the page records of ``state_file``'s build are (``PAGES_FILE_PREFIX``)."""
    return state_file.with_name(PAGES_FILE_PREFIX + state_file.name.removeprefix("generated-"))


def load_page_records(state_file: Path, before: Generated | None) -> PageRecords:
    """The page records saved with ``before`` (empty when there is none or they are another build's)."""
    if before is None:
        return {}
    found = build_cache.load(pages_file(state_file))
    if isinstance(found, tuple) and len(found) == 2 and found[0] == before.fingerprint:
        return found[1]
    return {}


def fingerprint(archive: Archive, cache: ParseCache, options: SiteOptions, vocabulary_dir: Path | None,
                keep_last_good: bool) -> str:
    """Everything the generated pages are made of: every briefing's bytes (their digests, from the
    parse cache), the files that could not be read (their problems), the vocabulary's files, the
    site options, the code (the cache's version)."""
    digest = hashlib.sha256(repr((options, keep_last_good, archive.errors, archive.warnings)).encode())
    for rel in sorted(cache):
        digest.update(f"{rel}\0{cache[rel].digest}\0".encode())
    digest.update(vocabulary_digest(vocabulary_dir).encode())
    return digest.hexdigest()


def vocabulary_digest(vocabulary_dir: Path | None) -> str:
    """Digest of the vocabulary's files (names and bytes): what a country of a tag can depend on."""
    digest = hashlib.sha256()
    if vocabulary_dir is not None and vocabulary_dir.is_dir():
        for path in sorted(vocabulary_dir.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(vocabulary_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def unchanged_outputs(docs: Path, outputs: dict[str, Written]) -> dict[str, Written] | None:
    """Every generated page is still the file the last run wrote, and there is no other: then
    the outputs with their stamps of now (``stamps.unchanged``: a page written too recently for
    its stamp to be trusted is checked by its bytes), else None."""
    current: dict[str, Written] = {}
    top = str(docs)
    for rel, written in outputs.items():
        now = stamps.unchanged(os.path.join(top, rel), written.stamp, written.digest)
        if now is None:
            return None
        current[rel] = written if now == written.stamp else Written(now, written.digest)
    count = sum(1 for folder in GENERATED_FOLDERS if (docs / folder).is_dir()
                for _dir, _sub, names in os.walk(docs / folder) for _name in names)
    count += sum(1 for name in GENERATED_FILES if (docs / name).is_file())
    return current if count == len(outputs) else None


def link_remembered(archive: Archive, briefings_dir: Path, vocabulary_dir: Path | None, use_cache: bool) -> Gathered:
    """``link``, with what the last build remembered (``use_cache``) and remembering it for the
    next: the tokens of every text (``link.memo``), the vocabulary notes, and the geography of the
    vocabulary (read again only when a vocabulary file changes)."""
    memo_file = build_cache.build_cache_dir(briefings_dir) / LINK_MEMO_FILE
    memo = TokenMemo((build_cache.load(memo_file) if use_cache else None) or {})
    geography_file = build_cache.build_cache_dir(briefings_dir) / GEOGRAPHY_FILE
    vocabulary = vocabulary_digest(vocabulary_dir)
    known = build_cache.load(geography_file) if use_cache else None
    if not (isinstance(known, tuple) and known[0] == vocabulary):
        known = None
    country_of = known[1] if known is not None else load_geography(vocabulary_dir)
    places = len(country_of.places)
    known_file = build_cache.build_cache_dir(briefings_dir) / KNOWN_NAMES_FILE if briefings_dir.is_dir() else None
    if known_file is not None and not use_cache:
        known_file.unlink(missing_ok=True)  # --clean: compiled anew, remembered for the next build
    gathered = link(archive, vocabulary_dir, memo, country_of, known_file)
    if briefings_dir.is_dir():
        if memo.misses or len(memo.used) != len(memo.known):  # else it holds what the file holds
            build_cache.save(memo_file, memo.used)
        if known is None or len(country_of.places) != places:  # the gazetteer answered new places
            build_cache.save(geography_file, (vocabulary, country_of))
    return gathered


def generate(briefings_dir: Path, docs: Path, report: BuildReport, options: SiteOptions = SiteOptions(),
             vocabulary_dir: Path | None = None, use_cache: bool = True, keep_last_good: bool = False,
             held: Held | None = None) -> None:
    """Every generated page under ``docs``; ``vocabulary_dir`` tells which country a person or
    organisation belongs to (places need only the gazetteer). ``use_cache``: reuse the build
    cache (``store/build_cache``; it is written either way, for the next build); ``keep_last_good``: see ``load_archive``.
    ``held``: the linked archive is kept there (linked even when no page needs making)."""
    if held is not None:
        held.gathered = None  # the last build's: dropped before this one links its own
    state_file = generated_file(briefings_dir, docs)
    before = build_cache.load(state_file) if use_cache else None
    before = before if isinstance(before, Generated) else None
    settings = settings_key(options, vocabulary_dir, keep_last_good)
    report.advice += site_advice(options)
    if (held is None and before is not None and before.settings == settings
            and sources_unchanged(briefings_dir, before.sources)):
        t0 = time.perf_counter()
        kept = unchanged_outputs(docs, before.outputs)
        report.timings["load"] = time.perf_counter() - t0
        if kept is not None:  # no briefing changed since the last build: neither parsed nor linked
            repeat(before, kept, state_file, report)
            return
    parsed_file = build_cache.build_cache_dir(briefings_dir) / PARSED_FILE
    cache: ParseCache = (build_cache.load(parsed_file) if use_cache else None) or {}
    t0 = time.perf_counter()
    read = dict(cache)
    if held is not None:
        cache.update(held.looked)  # newer than any parse on disk: made after the last build
        held.looked = {}
    archive = load_archive(briefings_dir, cache, keep_last_good)
    report.timings["load"] = time.perf_counter() - t0
    if briefings_dir.is_dir() and (cache.keys() != read.keys() or any(cache[k] is not v for k, v in read.items())):
        build_cache.save(parsed_file, cache)  # a parse or a stamp changed (else the file holds this cache)
    now = fingerprint(archive, cache, options, vocabulary_dir, keep_last_good)
    sources = {rel: p.stamp for rel, p in cache.items() if p.stamp is not None}
    kept = unchanged_outputs(docs, before.outputs) if before is not None and before.fingerprint == now else None
    if before is not None and kept is not None:
        repeat(replace(before, sources=sources, settings=settings), kept, state_file, report,
               sources != before.sources or settings != before.settings)
        if held is not None:
            held.gathered = link_remembered(archive, briefings_dir, vocabulary_dir, use_cache)
        return
    t1 = time.perf_counter()
    gathered = link_remembered(archive, briefings_dir, vocabulary_dir, use_cache)
    report.timings["link"] = time.perf_counter() - t1
    if held is not None:
        held.gathered = gathered
    report.briefings = len(archive.briefings)
    dates = [d for b in archive.briefings for d in (b.date, b.updated) if d is not None]
    report.content_time = min(int(max(d.timestamp() for d in dates)), LATEST_BUILD_TIME) if dates else None
    report.errors += gathered.errors
    report.warnings += gathered.warnings
    report.notes += gathered.notes
    bodies_file = build_cache.build_cache_dir(briefings_dir) / BODIES_FILE
    known_bodies = (build_cache.load(bodies_file) if use_cache else None) or {}
    render.remember_bodies(known_bodies)
    t2 = time.perf_counter()
    # Generated pages: rebuilt from briefings, no fsync; unchanged ones are recognised by stamp,
    # and the pages of jobs whose inputs are unchanged are not even made again.
    writer = Writer(docs, durable=False, known=before.outputs if before is not None else None)
    salt = repr((options.trusted_html, options.site_url, vocabulary_digest(vocabulary_dir)))  # country_of's
    run = update_pages(archive, gathered.links, load_page_records(state_file, before), writer.keep,
                       gathered.country_of, trusted_html=options.trusted_html, site_url=options.site_url, salt=salt)
    bodies = render.bodies_of(k for r in run.records.values() for k in r.bodies)
    if briefings_dir.is_dir() and bodies.keys() != known_bodies.keys():
        build_cache.save(bodies_file, bodies)
    report.timings["generate"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    for page in run.made:
        writer.write(page.path, page.text)
    paths = {p.path for p in run.made} | set(run.kept)
    for name in GENERATED_FILES:
        if name not in paths and (docs / name).is_file():
            (docs / name).unlink()
    report.pages_removed = writer.prune(GENERATED_FOLDERS)
    report.pages_changed, report.pages_unchanged = writer.changed, writer.unchanged
    report.timings["write"] = time.perf_counter() - t3
    if briefings_dir.is_dir():  # kept after a --clean build too: the next build starts from it
        build_cache.save(pages_file(state_file), (now, run.records))
        build_cache.save(state_file, Generated(now, report.briefings, report.content_time, gathered.errors,
                                               gathered.warnings, gathered.notes, writer.outputs, sources, settings))


def repeat(before: Generated, kept: dict[str, Written], state_file: Path, report: BuildReport,
           changed: bool = False) -> None:
    """The report of a ``generate`` that publishes what the last one did (``before``); its
    record saved again when it ``changed`` or a page's stamp became trusted."""
    if changed or any(not w.stamp.trusted for w in before.outputs.values()):
        build_cache.save(state_file, replace(before, outputs=kept))  # stamps trusted from now on
    report.briefings, report.content_time = before.briefings, before.content_time
    report.errors += before.errors
    report.warnings += before.warnings
    report.notes += before.notes
    report.pages_unchanged = len(before.outputs)


def run_mkdocs(config_file: Path, docs: Path, site: Path, strict: bool, every_core: bool = True,
               build_time: int | None = None, cache_file: Path | None = None, clean: bool = False) -> SiteReport:
    """``mkdocs build``; with ``every_core``, our build of the same pages (``sitebuild``): on
    every core, and, given ``cache_file``, rendering only the pages whose HTML can have changed.
    ``build_time``: the date MkDocs stamps on the site (``SOURCE_DATE_EPOCH``, unless already set)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from build_tools.site.sitebuild import build_site

    try:  # absolute paths: MkDocs would resolve relative ones against the config file's folder
        cfg = load_config(str(absolute(config_file)), docs_dir=str(absolute(docs)), site_dir=str(absolute(site)),
                          strict=strict)
        defaults.apply_theme(cfg)  # the package's theme overrides, after the archive's own
        with source_date_epoch(build_time):
            if every_core:
                return build_site(cfg, cache_file, default_pages=True, clean=clean)
            mkdocs_build(cfg)
            return SiteReport()
    except (Abort, ConfigurationError) as exc:
        raise BriefingsError(f"MkDocs build failed: {exc}") from None


def render_cache_file(briefings_dir: Path, site: Path) -> Path:
    """The render manifest of ``site`` (one per site folder built from these briefings)."""
    name = hashlib.sha256(str(absolute(site)).encode()).hexdigest()[:16]
    return build_cache.build_cache_dir(briefings_dir) / f"site-{name}.pickle"


def search_state_file(briefings_dir: Path, site: Path) -> Path:
    """What the search index of ``site`` was made of (its shards' pages), for the next build."""
    name = hashlib.sha256(str(absolute(site)).encode()).hexdigest()[:16]
    return build_cache.build_cache_dir(briefings_dir) / f"search-{name}.pickle"


def index_changes(done: SiteReport, site: Path) -> set[str] | None:
    """Site pages the search index must follow (rendered or removed this time), or None when the
    index has nothing to do: no page it indexes is among them and it exists. Pagefind cannot
    update an index in place, so ``index_site`` indexes again each shard holding one of them."""
    changed = {search_shards.page_of_source(uri) for uri in done.rendered} | set(done.removed)
    if any(page.startswith(INDEXED_PREFIX) for page in changed) or not (site / BUNDLE_DIR / MANIFEST).is_file():
        return changed
    return None


@contextlib.contextmanager
def source_date_epoch(seconds: int | None) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``seconds`` for the MkDocs run (MkDocs dates the sitemap with it,
    else with today), unless the caller already set it; restored afterwards."""
    if seconds is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(max(seconds, 0))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build(briefings_dir: Path, site: Path, config_file: Path, docs: Path | None = None,
          strict: bool = False, run_site: bool = True, vocabulary_dir: Path | None = None,
          warnings: Sequence[str] = (), use_cache: bool = True, keep_last_good: bool = False,
          index_search: bool = True, held: Held | None = None) -> BuildReport:
    """Generated pages into ``docs`` (default: ``docs_dir`` of the config), then the site into ``site``.
    Relative paths are relative to the current folder. Raises ``BriefingsError`` for a missing
    briefings folder; an empty one is a warning, and the site is built without a search index.
    ``warnings``: problems the caller found first (no vocabulary), counted (and fatal with ``strict``)
    like the build's own. ``use_cache`` False (``build --clean``): the build cache is not read, the
    site is built from a clean folder, and the cache is written anew for the next build. ``keep_last_good``: see ``load_archive``.
    ``index_search`` False: the search index stage is left to the caller (``search_index``), as ``serve`` does.
    ``held``: what ``serve`` keeps between builds (``Held``), filled here."""
    report = BuildReport(warnings=[*warnings, *check_config(config_file)])
    empty = check_briefings_folder(briefings_dir)
    if empty:
        report.warnings.append(empty)
    source_docs = read_docs_dir(config_file)
    docs = absolute(docs) if docs else source_docs
    stage_docs(source_docs, docs)
    options = read_options(config_file)
    generate(briefings_dir, docs, report, options, vocabulary_dir, use_cache, keep_last_good, held)
    if held is not None:
        held.docs, held.trusted_html = docs, options.trusted_html
    if strict and (report.errors or report.warnings):
        return report  # --strict: any problem stops the build before MkDocs
    if run_site:
        t = time.perf_counter()
        cache_file = render_cache_file(briefings_dir, site) if briefings_dir.is_dir() else None
        done = run_mkdocs(config_file, docs, site, strict, build_time=report.content_time, cache_file=cache_file,
                          clean=not use_cache)
        report.pages_rendered, report.pages_reused = len(done.rendered), done.reused
        if held is not None and done.site is not None:
            held.site = done.site
        report.timings["mkdocs"] = time.perf_counter() - t
        report.search_pending = index_changes(done, absolute(site))
        if index_search:
            search_index(briefings_dir, site, report, use_cache, options.search_shard_pages)
    return report


def search_index(briefings_dir: Path, site: Path, report: BuildReport, use_cache: bool = True,
                 shard_pages: int | None = None) -> None:
    """The search index stage of ``build`` (``report.search_pending``), when it did not run there
    (``serve`` runs it after the browser has reloaded the edited page)."""
    changed = report.search_pending
    if changed is None:
        return
    state = search_state_file(briefings_dir, site) if briefings_dir.is_dir() else None
    if state is not None and not use_cache:
        state.unlink(missing_ok=True)  # --clean: every shard indexed anew, remembered for the next build
    t = time.perf_counter()
    indexed = index_site(absolute(site), state, changed, shard_pages)
    report.timings["search index"] = time.perf_counter() - t
    report.shards_indexed = indexed.shards_indexed
    report.search_pending = None
