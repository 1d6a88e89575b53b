"""The MkDocs stage on every core: ``mkdocs build``, with the pages rendered in worker processes.

MkDocs renders one page after another on one core; at 10,000 briefings that is three quarters
of the build. :func:`build_site` runs the steps of ``mkdocs.commands.build.build`` (MkDocs
1.6) in the same order, with the same functions, except that the two per-page loops (read and
render the Markdown, then fill the theme template and write the HTML) run in forked workers
(``parallel.map_ordered``), each page start to finish in one worker. The pages in the
navigation are read first, here, so every worker renders the same navigation (its titles come
from those pages). What MkDocs checks across pages (anchors of links into other pages) is sent
back and checked here, and every log line of a worker is replayed here in page order: the same
warnings, in the same order, counted by ``--strict`` as MkDocs counts them.

Incremental (``site/render_cache``): a page is rendered again only when what its HTML is made of
changed: its Markdown, the existence of the files it links to, the navigation (titles and URLs
of the pages in it, which every page shows), mkdocs.yml, the theme's own files (``custom_dir``)
and the versions of MkDocs, Material, Markdown and Jinja. Every other page keeps its HTML, its
log lines are replayed and its anchors are checked as if it had been rendered; a page in the
navigation whose Markdown is unchanged is not even read for its title (the manifest keeps it);
404.html and the sitemap are rendered on every build; files a page or asset no longer produces
are deleted. The result is the same bytes as a clean build
(``tests/site/test_incremental.py``).

Only for a configuration without plugins (ours: ``plugins: []``): a plugin's events could rely on
seeing every page in one process. With any plugin it is MkDocs' own build, in full.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.parallel import available_cores, map_ordered
from build_tools.site import defaults, render_cache
from build_tools.site.render_cache import Manifest

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

log = logging.getLogger(__name__)

MIN_PARALLEL_PAGES = 200
"""Below this many pages to render, they are rendered here, one after another: forking costs more
than it saves (the sample site of 40 briefings renders in about 2 s)."""


@dataclass
class SiteRenderer:
    """What every worker needs, built once in this process and inherited by the forked workers."""

    config: MkDocsConfig
    files: Files
    doc_files: Sequence[File]
    nav: Navigation
    env: jinja2.Environment
    in_nav: set[str]
    """src_uri of the pages in the navigation: read before the fork, kept whole in every worker
    (every page shows their titles)."""
    reads: dict[str, render_cache.Read] = field(default_factory=dict)
    """What reading each page in the navigation gave (``prepare``), for the manifest."""


@dataclass
class PageResult:
    """What a worker sends back for one page."""

    src_uri: str
    records: list[logging.LogRecord] = field(default_factory=list)
    """Log records of MkDocs while reading, rendering and writing the page (replayed here)."""
    anchors: set[str] | None = None
    """Anchor ids present on the page (``Page.present_anchor_ids``)."""
    links_to_anchors: dict[str, dict[str, str]] | None = None
    """Links with an anchor: target src_uri -> {anchor: link as written}."""
    error: str | None = None


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # picklable whatever the arguments were
        record.exc_info = record.exc_text = None
        self.records.append(record)


def _render_page(src_uri: str, site: SiteRenderer) -> PageResult:
    """Read, render and write one page (in a worker). MkDocs' own functions, as its build calls them."""
    from mkdocs.commands.build import _build_page, _populate_page

    result = PageResult(src_uri)
    logger = logging.getLogger("mkdocs")
    capture = _Capture()
    saved = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [capture], False
    try:
        file = site.files.get_file_from_path(src_uri)
        assert file is not None and file.page is not None
        page = file.page
        if page.content is None:  # nav pages were read before the fork, or their reading was known
            _populate_page(page, site.config, site.files)
            if src_uri in site.in_nav:
                capture.records.clear()  # said in prepare, with the reading it reused (render_cache.Read)
        _build_page(page, site.config, site.doc_files, site.nav, site.env, excluded=file.inclusion.is_excluded())
        result.anchors = page.present_anchor_ids
        result.links_to_anchors = ({to.src_uri: dict(links) for to, links in page.links_to_anchors.items()}
                                   if page.links_to_anchors else None)
    except Exception as exc:  # reported here, in page order, after the records that explain it
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        logger.handlers, logger.propagate = saved
        result.records = capture.records
        page_obj = getattr(site.files.get_file_from_path(src_uri), "page", None)
        if page_obj is not None and src_uri not in site.in_nav:
            page_obj.content = None  # free the rendered HTML: a worker renders thousands of pages
    return result


def prepare(config: MkDocsConfig, default_pages: bool = False, old: Manifest | None = None) -> SiteRenderer:
    """What rendering any page needs, as MkDocs' build makes it before its page loops: the files,
    the theme's environment, the navigation, and the pages in the navigation read (their titles).
    ``old``: the last build's manifest; a page in the navigation whose Markdown it rendered as it
    is now gets its title from there (``render_cache.known_title``) instead of being rendered here
    (a listing page of thousands of links costs up to a second), and is rendered, if at all, with
    the other pages."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    config = config.plugins.on_config(config)
    files = get_files(config)
    if default_pages:
        defaults.add_default_pages(files, config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    in_nav = {page.file.src_uri for page in nav.pages}
    settings, known = render_cache.settings_key(config), {f.src_uri for f in files}
    reads: dict[str, render_cache.Read] = {}
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        if file.src_uri in in_nav:
            assert file.page is not None
            entry = (old or {}).get(file.src_uri)
            key = render_cache.read_key(settings, file, render_cache.page_source(file, entry), known)
            found = render_cache.known_read(entry, key)
            if found is None:
                said = render_cache.Recorder(logging.DEBUG)
                mkdocs_log = logging.getLogger("mkdocs")
                mkdocs_log.addHandler(said)
                try:
                    _populate_page(file.page, config, files)
                finally:
                    mkdocs_log.removeHandler(said)
                found = render_cache.Read(key, file.page._title_from_render, tuple(said.records))
            else:  # what _populate_page gives the navigation, without rendering (no plugins: no events)
                file.page.read_source(config)
                file.page._title_from_render = found.title
                render_cache.replay_lines(found.records)
            reads[file.src_uri] = found
    return SiteRenderer(config, files, doc_files, nav, env, in_nav, reads)


def render_one(site: SiteRenderer, src_uri: str) -> bool:
    """Render the page ``src_uri`` of ``site`` again from its Markdown, as a build would (``serve``'s
    first look at an edited briefing, before the build that follows): False when ``site`` has no
    such page outside the navigation or MkDocs failed on it (the build then says why)."""
    file = site.files.get_file_from_path(src_uri)
    if file is None or file.page is None or src_uri in site.in_nav:
        return False
    file.page.content = None
    result = _render_page(src_uri, site)
    return result.error is None


def can_parallelise(config: MkDocsConfig) -> bool:
    return len(config.plugins) == 0 and available_cores() > 1


@dataclass
class SiteReport:
    """What the MkDocs stage did."""

    rendered: list[str] = field(default_factory=list)
    """src_uri of the pages rendered this time."""
    reused: int = 0
    """Pages whose HTML was kept from the previous build."""
    removed: list[str] = field(default_factory=list)
    """Site files deleted because nothing produces them any more (site-relative)."""
    site: SiteRenderer | None = None
    """What rendered the pages (``prepare``), kept by ``serve`` to render an edited page at once
    (``render_one``); None when nothing was rendered (nothing changed, or MkDocs' own build)."""


def build_site(config: MkDocsConfig, cache_file: Path | None = None, default_pages: bool = False,
               clean: bool = False) -> SiteReport:
    """``mkdocs build`` of ``config``; raises ``Abort`` as MkDocs does. ``cache_file``: where the
    render manifest of this site lives (None: a clean build, nothing remembered). Files it never
    wrote (the search bundle, written after it) are left alone; ``clean``: the manifest is not
    read (every page rendered into a clean folder) but written for the next build. ``default_pages``: add the
    package's pages the docs_dir lacks (``site/defaults``: the editors' guide, the search page)."""
    from mkdocs import utils
    from mkdocs.commands.build import _build_extra_template, _build_theme_template
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort
    from mkdocs.structure.files import InclusionLevel

    report = SiteReport()
    if len(config.plugins) != 0:  # MkDocs' own build: the package's default pages are not added
        mkdocs_build(config)
        return report
    site_dir = Path(config.site_dir)
    state = render_cache.load(cache_file) if cache_file is not None and not clean else None
    if state is None:  # no cache: every file written anew, into an empty folder
        state = render_cache.SiteState()
        utils.clean_directory(config.site_dir)
    old = state.pages
    mkdocs_log = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        mkdocs_log.addHandler(warning_counter)
    inputs = (render_cache.inputs_fingerprint(config, state.digests) if cache_file is not None
              else render_cache.Inputs("", {}))
    recorder = render_cache.Recorder()
    mkdocs_log.addHandler(recorder)
    try:
        fresh_inputs = inputs.fingerprint and state.inputs == inputs.fingerprint
        intact = render_cache.outputs_intact(site_dir, state) if fresh_inputs else None
        if intact is not None:
            mkdocs_log.removeHandler(recorder)
            if cache_file is not None and render_cache.has_untrusted(state):  # stamps of now, trusted once old
                render_cache.save(cache_file, replace(state, pages=intact, digests=inputs.digests))
            for name, level, message in state.log:  # nothing changed: what the last build said, again
                logging.getLogger(name).log(level, "%s", message)
            report.reused = len(state.pages)
            if counts := warning_counter.get_counts():
                raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
            return report
        site = prepare(config, default_pages, old)
        config, files, doc_files, nav, env = site.config, site.files, site.doc_files, site.nav, site.env
        files.copy_static_files(dirty=bool(old), inclusion=InclusionLevel.is_included)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        site_key = render_cache.site_key(config, nav)
        known = {f.src_uri for f in files}
        sources = {f.src_uri: render_cache.page_source(f, old.get(f.src_uri)) for f in doc_files}
        keys = {f.src_uri: render_cache.page_key(site_key, f, sources[f.src_uri], known) for f in doc_files}
        reuse = {uri: entry for uri, key in keys.items()
                 if (entry := render_cache.kept(old.get(uri), key, files.get_file_from_path(uri))) is not None}
        todo = [f.src_uri for f in doc_files if f.src_uri not in reuse]
        report.rendered, report.reused = todo, len(reuse)

        report.site = site
        if len(todo) >= MIN_PARALLEL_PAGES and can_parallelise(config):
            fresh = {r.src_uri: r for r in map_ordered(_render_page, todo, site)}
        else:
            fresh = {uri: _render_page(uri, site) for uri in todo}
        manifest: Manifest = {}
        for file in doc_files:
            uri = file.src_uri
            done = fresh.get(uri)
            entry = (render_cache.entry_of(keys[uri], file, sources[uri], done.anchors, done.links_to_anchors,
                                           done.records, done.error is not None, site.reads.get(uri))
                     if done is not None else reuse[uri])
            render_cache.replay(entry)
            result = fresh.get(uri)
            if result is not None and result.error is not None:
                mkdocs_log.error(f"Error building page '{uri}': {result.error}")
                raise Abort(f"Aborted with a BuildError! ({uri})")
            page = file.page
            assert page is not None
            page.present_anchor_ids = set(entry.anchors) if entry.anchors is not None else None
            page.links_to_anchors = ({files.get_file_from_path(to): dict(links)  # type: ignore[misc]
                                      for to, links in entry.links_to_anchors.items()}
                                     if entry.links_to_anchors else None)
            manifest[uri] = entry
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        outputs = render_cache.expected_outputs(files, config)
        report.removed = render_cache.remove_stale(site_dir, state.outputs, outputs)
        if cache_file is not None:
            render_cache.save(cache_file, render_cache.SiteState(manifest, outputs, inputs.fingerprint, recorder.records,
                                                                   inputs.digests))
        if counts := warning_counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
    finally:
        mkdocs_log.removeHandler(warning_counter)
        mkdocs_log.removeHandler(recorder)
    return report


__all__ = ["SiteRenderer", "SiteReport", "build_site", "can_parallelise", "prepare", "render_one"]
