"""The live preview behind ``briefings serve``: build into a preview site, serve it, rebuild on change.

``briefings serve`` builds the site with :func:`build_tools.build.build` (our pages, MkDocs, the
Pagefind index) into a folder of its own, ``.briefings-cache/preview-site/`` beside mkdocs.yml,
kept between sessions, and serves that folder (from the start when a last session left a finished
build there: the first build then brings it up to date and reloads the pages). It watches what the site is made from (the
briefings, the hand-written pages of ``docs_dir``, mkdocs.yml, the theme's ``custom_dir`` and the
vocabulary); a burst of changes becomes one rebuild, and then every open page reloads itself.
It builds with ``keep_last_good``: a briefing that stops loading (an unclosed quote) keeps its
last good version on the preview, while its error is shown in every page.

The server is MkDocs' :class:`~mkdocs.livereload.LiveReloadServer`, subclassed. Compared with a
server of our own it already has what a preview needs and is easy to get subtly wrong: the long
poll that reloads pages, a build loop that never runs two builds at once and coalesces the changes
made during a build into one more build, the debounce, and not serving a half-built site (a
request waits for the running build). What the subclass changes, in a few small overrides:

* what is watched, through :func:`triggers_rebuild` (the generated pages that the build itself
  writes into ``docs_dir`` must never trigger a build, or it would loop forever), and with the
  native observer (inotify) instead of MkDocs' polling, which would stat every file of a
  16,000-page docs folder twice a second;
* what is injected into every HTML page: the reload script as MkDocs injects it, and an error
  banner when the last build had problems (:func:`banner_html`);
* the 404 page: MkDocs serves it bare, so a browser on a page that a broken briefing removed
  would never learn that it came back; here it gets the reload script and the banner too;
* a failed build still counts as a build: the pages reload and the banner says why, where MkDocs
  would leave the browser stuck on the old page;
* the browser reloads as soon as the pages are written, before the search index follows them
  (``then``): Pagefind indexes again every page of a shard an edit touches, seconds at thousands
  of briefings, and the editor waits for the page, not for search.

It relies on these parts of MkDocs 1.6 (pinned below 2 in pyproject.toml): ``_rebuild_cond``,
``_want_rebuild``, ``_watched_paths``, ``_watch_refs``, ``_visible_epoch``, ``_inject_js_into_html``, ``observer``,
``build_delay``, ``error_handler``, ``_epoch_cond`` and ``_wanted_epoch``; tests/site/test_preview.py fails if one goes.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from build_tools.errors import BriefingsError
from build_tools.paths import absolute
from build_tools.site.pages import GENERATED_FILES, GENERATED_FOLDERS

if TYPE_CHECKING:
    from build_tools.build import Held

log = logging.getLogger(__name__)

PREVIEW_SITE = Path(".briefings-cache") / "preview-site"
"""Where the preview site is built, relative to mkdocs.yml's folder (git-ignored: .briefings-cache/).
Kept between sessions: an incremental build starts from it."""

DEBOUNCE_SECONDS = 0.2
"""A build starts once no change has come for this long. An editor's save is a burst of events
(write a temporary file, rename it over the briefing, touch the folder) within a few milliseconds;
``git checkout`` of a branch writes hundreds of files within about 0.1 s on this machine. 0.2 s
batches both and is below what an editor notices after pressing save."""

REBUILD_EVENTS = frozenset({"created", "modified", "deleted", "moved"})
"""Watchdog event types that change a file. The others (``opened``, ``closed``,
``closed_no_write``) come from reading: the build reads every briefing, so counting them would
rebuild forever."""

EDITOR_SCRATCH = re.compile(r"(~|\.sw[a-p]|\.tmp|\.bak|^4913)$")
"""Names of editors' scratch files: backups (``name~``), vim's swap files and its ``4913`` write
test, temporary and backup copies. Hidden files (``.name``, our writer's ``.name.1a2b.tmp``, the
ingest lock and cache) are ignored too (:func:`triggers_rebuild`)."""

NOT_FOUND_PAGE = "404.html"
"""The theme's page for a missing URL, at the site's root (MkDocs writes it)."""

FALLBACK_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                 "<body><h1>{title}</h1><p>This page will reload when the preview is rebuilt.</p></body></html>")
"""Served for an error when the site has no 404 page (its first build failed)."""

BANNER_ID = "briefings-preview-errors"

BANNER_STYLE = ("position:fixed;top:0;left:0;right:0;z-index:100000;max-height:45vh;overflow:auto;"
                "margin:0;padding:.75rem 1rem;background:#7f1d1d;color:#fff;border-bottom:3px solid #fecaca;"
                "font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.45)")
"""White on dark red: a contrast ratio of 10.4:1 (WCAG AAA asks for 7:1). Fixed at the top, above
Material's header; its own scroll bar when many problems would cover the page."""

HIDE_BUTTON_STYLE = ("float:right;margin:0 0 .25rem 1rem;padding:.15rem .6rem;background:transparent;color:#fff;"
                     "border:1px solid #fff;border-radius:3px;font:inherit;cursor:pointer")
"""The banner covers Material's header (its search box, its tabs): Hide takes it away until the
next reload, which brings it back while the problems remain."""


@dataclass(frozen=True)
class Watched:
    """What the preview is built from. Paths are absolute, as the observer reports them."""

    briefings: Path
    docs_dir: Path
    """The hand-written pages; the build's own pages under it (GENERATED_FOLDERS/FILES) are ignored."""
    config_file: Path
    overrides: Path | None = None
    """The theme's ``custom_dir``, if any."""
    vocabulary: Path | None = None
    ignored: tuple[Path, ...] = ()
    """Folders whose changes never count: the preview site, the generated docs folder."""


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _hidden_or_scratch(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts) or bool(EDITOR_SCRATCH.search(rel.name))


def is_generated(rel: Path) -> bool:
    """``rel`` (relative to a docs folder) is a page the build writes, not a hand-written one."""
    return bool(rel.parts) and (rel.parts[0] in GENERATED_FOLDERS or rel.as_posix() in GENERATED_FILES)


def triggers_rebuild(path: Path, watched: Watched) -> bool:
    """A change of ``path`` (absolute) means the preview must be rebuilt."""
    if path == watched.config_file:
        return True
    if any(_under(path, folder) for folder in watched.ignored):
        return False
    for root in (watched.briefings, watched.overrides, watched.vocabulary):
        if root is not None and _under(path, root):
            return not _hidden_or_scratch(path.relative_to(root))
    if _under(path, watched.docs_dir):
        rel = path.relative_to(watched.docs_dir)
        return not is_generated(rel) and not _hidden_or_scratch(rel)
    return False


def watch_roots(watched: Watched) -> list[tuple[Path, bool]]:
    """(folder, recursive) to hand to the observer. ``docs_dir`` is watched at its top level and in
    its hand-written subfolders only: watching the generated folders would cost one inotify watch
    per folder of thousands and an event per page the build writes."""
    roots: list[tuple[Path, bool]] = [(watched.briefings, True), (watched.config_file.parent, False)]
    if watched.docs_dir.is_dir():
        roots.append((watched.docs_dir, False))
        roots += [(sub, True) for sub in sorted(watched.docs_dir.iterdir())
                  if sub.is_dir() and not sub.is_symlink() and not is_generated(Path(sub.name))
                  and not sub.name.startswith(".")]
    roots += [(folder, True) for folder in (watched.overrides, watched.vocabulary) if folder is not None]
    seen: set[Path] = set()
    out = []
    for folder, recursive in roots:
        if folder.is_dir() and folder not in seen:
            seen.add(folder)
            out.append((folder, recursive))
    return out


def banner_html(errors: Sequence[str]) -> str:
    """The error banner for ``errors`` (one ``file:line: problem; fix`` each), or "" when none.
    Every problem is HTML-escaped: a title or a file name is text, never markup."""
    if not errors:
        return ""
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    items = "".join(f'<li><code style="color:inherit;background:none;font-size:inherit;white-space:pre-wrap">'
                    f"{html.escape(e)}</code></li>" for e in errors)
    return (f'<div id="{BANNER_ID}" role="alert" style="{BANNER_STYLE}">'
            f'<button type="button" onclick="this.parentNode.remove()" style="{HIDE_BUTTON_STYLE}">Hide</button>'
            f"<strong>Preview: {count} in the last build.</strong> "
            "Fix and save: this page reloads by itself."
            f'<ul style="margin:.35rem 0 0 1.25rem;padding:0">{items}</ul></div>')


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject_banner(page: bytes, banner: str) -> bytes:
    """``page`` with ``banner`` first inside ``<body>`` (first in reading order for screen readers)."""
    if not banner:
        return page
    m = _BODY_OPEN.search(page)
    at = m.end() if m else 0
    return page[:at] + banner.encode("utf-8") + page[at:]


@dataclass(frozen=True)
class Preview:
    """What to build, and where (the arguments of :func:`build_tools.build.build`)."""

    briefings: Path
    config_file: Path
    site: Path
    docs: Path | None = None
    vocabulary_dir: Path | None = None
    warnings: tuple[str, ...] = ()
    """Problems found before the build (no vocabulary), reported with its own."""


@dataclass(frozen=True)
class BuildOutcome:
    """What one build said, for the console and the banner."""

    seconds: float
    errors: list[str] = field(default_factory=list)
    """``file:line: problem; fix`` each: the briefing's error, or the one that stopped the build."""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages_changed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds by stage (``BuildReport.timings``)."""
    stopped: bool = False
    """The build raised (mkdocs.yml broken, Pagefind failed) and did not finish: the pages served
    are what the last builds left."""
    search_pending: set[str] | None = None
    """Site pages the search index has yet to follow (:func:`run_search`), None: nothing to do."""


def preview_site(config_file: Path) -> Path:
    return absolute(config_file).parent / PREVIEW_SITE


def watched_for(preview: Preview) -> Watched:
    """What to watch for ``preview``: its briefings, the hand-written pages of mkdocs.yml's
    ``docs_dir``, mkdocs.yml, the theme's ``custom_dir`` and the vocabulary."""
    from build_tools.site.config import read_config, read_docs_dir

    config_file = absolute(preview.config_file)
    theme = read_config(config_file).get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    docs_dir = read_docs_dir(config_file)
    ignored = [absolute(preview.site)]
    if preview.docs is not None and absolute(preview.docs).resolve() != docs_dir:
        ignored.append(absolute(preview.docs))  # --docs elsewhere: copies and generated pages only
    return Watched(briefings=absolute(preview.briefings), docs_dir=docs_dir, config_file=config_file,
                   overrides=config_file.parent / custom_dir if isinstance(custom_dir, str) else None,
                   vocabulary=absolute(preview.vocabulary_dir) if preview.vocabulary_dir else None,
                   ignored=tuple(ignored))


def last_site_complete(preview: Preview) -> bool:
    """The preview site holds a build that finished (its render manifest, written last, is there):
    ``serve`` shows it at once while its first build brings it up to date, instead of making the
    editor wait for that build (a minute at thousands of briefings, most of it finding what changed
    while serve was off). A build stopped half-way leaves the manifest of the last one that finished."""
    from build_tools.build import render_cache_file

    site = absolute(preview.site)
    briefings = absolute(preview.briefings)
    return (site / "index.html").is_file() and briefings.is_dir() and render_cache_file(briefings, site).is_file()


def run_build(preview: Preview, held: Held | None = None) -> BuildOutcome:
    """One build of the preview site, all but its search index (:func:`run_search` follows once the
    browser has the pages). Expected failures come back as errors, never raised. ``held``: what
    the next first look needs (``site/first_look``) is kept there."""
    from build_tools.build import build

    start = time.perf_counter()
    try:
        report = build(preview.briefings, preview.site, preview.config_file, docs=preview.docs, strict=False,
                       vocabulary_dir=preview.vocabulary_dir, warnings=preview.warnings, keep_last_good=True,
                       index_search=False, held=held)
    except BriefingsError as exc:
        return BuildOutcome(time.perf_counter() - start, errors=str(exc).splitlines(), stopped=True)
    return BuildOutcome(time.perf_counter() - start, errors=report.errors, warnings=report.warnings,
                        notes=report.notes, pages_changed=report.pages_changed, timings=report.timings,
                        search_pending=report.search_pending)


def run_search(preview: Preview, outcome: BuildOutcome) -> tuple[float, list[str]]:
    """The search index of the preview site brought up to ``outcome``'s build: (seconds, errors).
    Indexes only the shards holding a page that build changed; nothing when it changed none."""
    from build_tools.build import BuildReport, search_index
    from build_tools.site.config import read_options

    if outcome.search_pending is None:
        return 0.0, []
    start = time.perf_counter()
    report = BuildReport(search_pending=set(outcome.search_pending))
    try:
        search_index(preview.briefings, preview.site, report,
                     shard_pages=read_options(preview.config_file).search_shard_pages)
    except BriefingsError as exc:
        return time.perf_counter() - start, str(exc).splitlines()
    return time.perf_counter() - start, []


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(outcome: BuildOutcome, first: bool) -> str:
    """``serve: rebuilt in 0.8s: 3 pages changed; 1 error``."""
    verb = "built" if first else "rebuilt"
    what = "stopped before the end" if outcome.stopped else f"{_plural(outcome.pages_changed, 'page')} changed"
    return (f"serve: {verb} in {outcome.seconds:.1f}s: {what}; {_plural(len(outcome.errors), 'error')}"
            + (f", {_plural(len(outcome.warnings), 'warning')}" if outcome.warnings else ""))


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) of ``--dev-addr``."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise BriefingsError(f"--dev-addr {address}: not HOST:PORT; give it as 127.0.0.1:8000")
    return host, int(port)


class _Changes(watchdog.events.FileSystemEventHandler):
    """Observer events -> a rebuild request, for the changes :func:`triggers_rebuild` counts; the
    paths it counts go to ``notify`` (a file an editor saves by renaming a hidden copy over it:
    its own name only)."""

    def __init__(self, watched: Watched, notify: Callable[[Sequence[Path]], None]) -> None:
        self.watched, self.notify = watched, notify

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.event_type not in REBUILD_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        paths = [Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        counted = [p for p in paths if triggers_rebuild(p, self.watched)]
        if counted:
            log.debug("serve: %s %s", event.event_type, os.fsdecode(event.src_path))
            self.notify(counted)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with our watch filter, banner and 404 page (see the module doc).

    ``build`` runs one build and returns its errors (shown in every page until a build has none);
    it runs first when :meth:`serve` starts, then after every batch of changes, never two at once.
    ``then`` (the search index) runs after each build once the browsers have been told to reload,
    still inside the build loop, and returns its own errors, added to the banner. ``first``
    (``site/first_look``) runs before each build with the paths changed since the last one and
    says whether it wrote pages worth showing at once: the browsers then reload before the build,
    and once more after it. Requests are answered during that build (the first look's pages are
    what the editor waits for), so a page the build is writing can be seen half-written until
    the reload after the build. A save while ``then`` runs gets its first look at once (after the
    debounce), not once the search index is done: seconds at thousands of briefings.
    ``show_last``: the site in ``site`` is served as it is while the first build runs (the one a
    last session built, ``last_site_complete``), and the browsers reload when that build is done;
    else a request waits for the first build."""

    def __init__(self, build: Callable[[], Sequence[str]], watched: Watched, host: str, port: int,
                 site: Path, then: Callable[[], Sequence[str]] | None = None,
                 first: Callable[[set[Path]], bool] | None = None, show_last: bool = False) -> None:
        super().__init__(builder=self._rebuild, host=host, port=port, root=str(site))
        self.build = build
        self.then = then
        self.first = first
        self._show_last = show_last
        """The first build serves the site already there (``last_site_complete``) while it runs."""
        self._changed: set[Path] = set()
        """Paths changed since the last build started (under ``_rebuild_cond``)."""
        self._building = threading.Lock()
        """Held while a build (and its first look) runs: a first look never runs beside one."""
        self._searching = False
        """``then`` is running: a save gets its first look at once (``_look_soon``)."""
        self._look_timer: threading.Timer | None = None
        self.address = f"{host}:{port}"
        self.watched = watched
        self.site = site
        self.errors: tuple[str, ...] = ()
        """The last build's problems (replaced whole: request threads read it)."""
        self.build_delay = DEBOUNCE_SECONDS
        # The native observer (inotify), typed by MkDocs as its PollingObserver: same interface.
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]
        self.error_handler = self._error_page
        self.watch_all()
        self.request_rebuild()  # the first build runs in the build loop, with the watches already on

    def request_rebuild(self, paths: Sequence[Path] = ()) -> None:
        with self._rebuild_cond:
            self._changed.update(paths)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()
            if paths and self.first is not None and self._searching and self._look_timer is None:
                self._look_timer = threading.Timer(self.build_delay, self._look_soon)
                self._look_timer.daemon = True
                self._look_timer.start()

    def _look_soon(self) -> None:
        """The first look at what changed while the search index runs (the build loop is busy with
        it; the build itself follows when it is done, and looks again)."""
        with self._rebuild_cond:
            self._look_timer = None
            changed = set(self._changed)
        if not changed or not self._building.acquire(blocking=False):
            return  # a build started meanwhile: it looks first itself
        try:
            if self._guarded_first(changed):
                self.publish(again=True)
        finally:
            self._building.release()

    def take_changes(self) -> set[Path]:
        """The paths changed since the last call (the build loop's, before each build)."""
        with self._rebuild_cond:
            changed, self._changed = self._changed, set()
        return changed

    def watch_all(self) -> None:
        """Watch every root of :func:`watch_roots` not watched yet (a new hand-written docs folder)."""
        handler = _Changes(self.watched, self.request_rebuild)
        for folder, recursive in watch_roots(self.watched):
            if str(folder) not in self._watched_paths:
                self._watched_paths[str(folder)] = 1  # also turns MkDocs' script injection on
                self._watch_refs[str(folder)] = self.observer.schedule(handler, str(folder), recursive=recursive)

    def _rebuild(self) -> None:
        with self._building:
            changed = self.take_changes()
            shown = bool(changed) and self.first is not None and self._guarded_first(changed)
            if self._show_last:  # the first build: the last session's site meanwhile
                self._show_last, shown = False, True
            if shown:
                self.publish()  # the edited pages (or the last site) now; the build below brings the rest
            self.errors = self._guarded(self.build)
            self.watch_all()
        if shown:
            self.publish(again=True)  # the browsers have the first look's epoch: a new one reloads them
        if self.then is not None:
            self.publish()
            with self._rebuild_cond:
                self._searching = True
            try:
                late = self._guarded(self.then)
            finally:
                with self._rebuild_cond:
                    self._searching = False
            if late:
                self.errors = (*self.errors, *late)
                self.publish(again=True)

    def _guarded_first(self, changed: set[Path]) -> bool:
        assert self.first is not None
        try:
            return self.first(changed)
        except Exception:  # a bug: the build that follows still runs and shows the edit
            log.exception("serve: the first look at the edited page failed")
            return False

    def _guarded(self, step: Callable[[], Sequence[str]]) -> tuple[str, ...]:
        try:
            return tuple(step())
        except Exception as exc:  # a bug, not bad input: say it in the page too, never leave it stuck
            log.exception("serve: the build failed")
            return (f"the build failed unexpectedly ({type(exc).__name__}: {exc}); the console shows "
                    "where; save again to retry",)

    def publish(self, again: bool = False) -> None:
        """Serve the pages written so far and reload the browsers, as MkDocs' build loop does after
        the builder returns (it then finds the epoch already shown and reloads nobody twice).
        ``again``: a new epoch, so pages reload once more (to show a problem found after the first)."""
        with self._epoch_cond:
            if again:
                self._wanted_epoch = max(self._wanted_epoch + 1, round(time.monotonic() * 1000))  # MkDocs: ms
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return inject_banner(super()._inject_js_into_html(content, epoch), banner_html(self.errors))

    def _error_page(self, code: int) -> bytes:
        """The theme's 404 page (or a plain one), with the reload script and the banner."""
        title = "404 Not Found" if code == 404 else f"{code} Server Error"
        content = FALLBACK_PAGE.format(title=title).encode("utf-8")
        if code == 404:
            with contextlib.suppress(OSError):
                content = (self.site / NOT_FOUND_PAGE).read_bytes()
        return self._inject_js_into_html(content, self._visible_epoch)

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:
            raise BriefingsError(f"--dev-addr {self.address}: cannot serve there ({exc.strerror}); another "
                                 "server may be using the port: pass --dev-addr 127.0.0.1:PORT with another") from None

    def run(self) -> None:
        """Serve and rebuild until Ctrl-C (which returns, quietly)."""
        try:
            self.serve()
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown()


__all__ = ["BuildOutcome", "Preview", "PreviewServer", "Watched", "banner_html", "inject_banner", "last_site_complete",
           "parse_address", "preview_site", "run_build", "summary_line", "triggers_rebuild", "watch_roots",
           "watched_for"]
