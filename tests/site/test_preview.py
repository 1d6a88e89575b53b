"""The live preview (build_tools/site/preview.py): banner, watch filter, build loop, and in Chromium:
edit -> reload, broken YAML -> banner, fix -> banner gone, search answers."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchdog.events as ev

from build_tools.site import preview
from build_tools.site.preview import PreviewServer, Watched
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO

# --- the banner ----------------------------------------------------------------------------------


def test_no_errors_no_banner() -> None:
    assert preview.banner_html([]) == ""
    assert preview.inject_banner(b"<body><p>x</p></body>", "") == b"<body><p>x</p></body>"


def test_the_banner_lists_every_problem_escaped() -> None:
    errors = ['briefings/2021/03/<b>x</b>.md:3: the quote (") opened here is never closed; close it',
              "briefings/a.md:1: title <script>alert(1)</script> & more; fix it"]
    banner = preview.banner_html(errors)
    assert banner.startswith(f'<div id="{preview.BANNER_ID}" role="alert" ')
    assert "position:fixed;top:0" in banner
    assert "2 problems in the last build" in banner
    assert "<script" not in banner and "<b>" not in banner and banner.count("<button") == 1
    assert "briefings/2021/03/&lt;b&gt;x&lt;/b&gt;.md:3: the quote (&quot;) opened here" in banner
    assert "title &lt;script&gt;alert(1)&lt;/script&gt; &amp; more; fix it" in banner
    assert banner.count("<li>") == 2


@pytest.mark.parametrize(("page", "expected"), [
    (b'<html><body class="md">x</body></html>', b'<html><body class="md">BANNERx</body></html>'),
    (b"<HTML><BODY>x</BODY></HTML>", b"<HTML><BODY>BANNERx</BODY></HTML>"),
    (b"no body tag", b"BANNERno body tag"),
], ids=["body-with-attributes", "upper-case", "no-body"])
def test_the_banner_goes_first_in_the_body(page: bytes, expected: bytes) -> None:
    assert preview.inject_banner(page, "BANNER") == expected


def test_summary_line() -> None:
    line = preview.summary_line(preview.BuildOutcome(0.84, errors=["a"], pages_changed=3), first=False)
    assert line == "serve: rebuilt in 0.8s: 3 pages changed; 1 error"
    line = preview.summary_line(preview.BuildOutcome(12.0, errors=["a", "b"], stopped=True), first=True)
    assert line == "serve: built in 12.0s: stopped before the end; 2 errors"


@pytest.mark.parametrize(("address", "expected"), [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)), ("localhost:0", ("localhost", 0)), ("[::1]:8001", ("::1", 8001)),
], ids=["ipv4", "any-port", "ipv6"])
def test_dev_addr(address: str, expected: tuple[str, int]) -> None:
    assert preview.parse_address(address) == expected


@pytest.mark.parametrize("address", ["8000", "localhost", "host:port", "h:70000"])
def test_a_bad_dev_addr_says_how_to_write_it(address: str) -> None:
    with pytest.raises(preview.BriefingsError, match="not HOST:PORT; give it as 127.0.0.1:8000"):
        preview.parse_address(address)


# --- what is watched -----------------------------------------------------------------------------

ROOT = Path("/archive")
WATCHED = Watched(briefings=ROOT / "briefings", docs_dir=ROOT / "docs", config_file=ROOT / "mkdocs.yml",
                  overrides=ROOT / "overrides", vocabulary=ROOT / "vocabulary",
                  ignored=(ROOT / ".briefings-cache" / "preview-site",))


@pytest.mark.parametrize(("rel", "rebuild"), [
    ("briefings/2021/03/a.md", True),
    ("briefings/2021/03", True),  # a folder created, moved or deleted
    ("briefings/2021/03/.a.md.1a2b3c4d.tmp", False),  # our writer's temporary file, before its rename
    ("briefings/.briefings-cache/ingest.json", False),
    ("briefings/.briefings.lock", False),
    ("briefings/2021/03/a.md~", False),
    ("briefings/2021/03/.a.md.swp", False),
    ("briefings/2021/03/4913", False),
    ("docs/about.md", True),
    ("docs/editors/index.md", True),
    ("docs/assets/briefings.css", True),
    ("docs/index.md", False),
    ("docs/tags.md", False),
    ("docs/briefings/2021/03/a.md", False),
    ("docs/people/index.md", False),
    ("docs/feeds/latest.xml", False),
    ("docs/timeline", False),
    ("mkdocs.yml", True),
    ("README.md", False),
    ("overrides/main.html", True),
    ("vocabulary/people.yaml", True),
    (".briefings-cache/preview-site/index.html", False),
    ("site/index.html", False),
])
def test_what_triggers_a_rebuild(rel: str, rebuild: bool) -> None:
    assert preview.triggers_rebuild(ROOT / rel, WATCHED) is rebuild


def test_a_docs_folder_given_elsewhere_is_never_watched_even_inside_a_watched_one() -> None:
    watched = Watched(briefings=ROOT / "briefings", docs_dir=ROOT / "docs", config_file=ROOT / "mkdocs.yml",
                      ignored=(ROOT / "docs" / "out",))
    assert not preview.triggers_rebuild(ROOT / "docs" / "out" / "about.md", watched)


def archive_layout(root: Path) -> Watched:
    for rel in ("briefings/2021/03/a.md", "docs/about.md", "docs/editors/index.md", "docs/index.md",
                "docs/briefings/2021/03/a.md", "docs/people/x/index.md", "overrides/main.html",
                "vocabulary/people.yaml", "mkdocs.yml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", "utf-8")
    return Watched(briefings=root / "briefings", docs_dir=root / "docs", config_file=root / "mkdocs.yml",
                   overrides=root / "overrides", vocabulary=root / "vocabulary",
                   ignored=(root / ".briefings-cache" / "preview-site",))


def test_the_generated_docs_folders_get_no_watch(tmp_path: Path) -> None:
    roots = preview.watch_roots(archive_layout(tmp_path))
    assert [(p.relative_to(tmp_path).as_posix(), r) for p, r in roots] == [
        ("briefings", True), (".", False), ("docs", False), ("docs/editors", True), ("overrides", True),
        ("vocabulary", True)]


def test_watched_for_reads_docs_dir_and_custom_dir(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\ntheme:\n  name: material\n"
                                         "  custom_dir: theme\n", "utf-8")
    p = preview.Preview(tmp_path / "b", tmp_path / "mkdocs.yml", preview.preview_site(tmp_path / "mkdocs.yml"),
                        vocabulary_dir=tmp_path / "v")
    w = preview.watched_for(p)
    assert (w.docs_dir, w.overrides, w.vocabulary) == (tmp_path / "pages", tmp_path / "theme", tmp_path / "v")
    assert w.ignored == (tmp_path / ".briefings-cache" / "preview-site",)
    same = preview.watched_for(preview.Preview(tmp_path / "b", tmp_path / "mkdocs.yml", tmp_path / "s",
                                               docs=tmp_path / "pages"))
    assert same.ignored == (tmp_path / "s",)  # --docs is docs_dir: its hand-written pages are watched
    other = preview.watched_for(preview.Preview(tmp_path / "b", tmp_path / "mkdocs.yml", tmp_path / "s",
                                                docs=tmp_path / "out"))
    assert other.ignored == (tmp_path / "s", tmp_path / "out")


A_MD = [Path("/archive/briefings/a.md")]


@pytest.mark.parametrize(("event", "paths"), [
    (ev.FileModifiedEvent("/archive/briefings/a.md"), A_MD),
    (ev.FileCreatedEvent("/archive/briefings/a.md"), A_MD),
    (ev.FileDeletedEvent("/archive/briefings/a.md"), A_MD),
    (ev.FileMovedEvent("/archive/briefings/.a.md.1a2b.tmp", "/archive/briefings/a.md"), A_MD),
    (ev.FileMovedEvent("/archive/briefings/a.md", "/tmp/a.md"), A_MD),
    (ev.DirDeletedEvent("/archive/briefings/2021"), [Path("/archive/briefings/2021")]),
    (ev.FileOpenedEvent("/archive/briefings/a.md"), []),  # the build reading a briefing
    (ev.FileClosedNoWriteEvent("/archive/briefings/a.md"), []),
    (ev.FileAttribEvent("/archive/briefings/a.md"), []),
    (ev.DirModifiedEvent("/archive/briefings/2021"), []),
    (ev.FileModifiedEvent("/archive/docs/briefings/a.md"), []),
], ids=lambda e: str(len(e)) if isinstance(e, list) else f"{e.event_type}-{Path(e.src_path).name}")
def test_events_that_count(event: ev.FileSystemEvent, paths: list[Path]) -> None:
    """Each counted change requests a build with the paths that count (what the first look reads)."""
    calls: list[list[Path]] = []
    preview._Changes(WATCHED, lambda changed: calls.append(list(changed))).on_any_event(event)
    assert calls == ([paths] if paths else [])


# --- the server: build loop, 404 page ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


class SlowBuild:
    """A build that takes ``seconds`` and records how many ran at once."""

    def __init__(self, seconds: float, errors: list[str] | None = None) -> None:
        self.seconds, self.errors = seconds, errors or []
        self.running = self.most = self.done = 0
        self.lock = threading.Lock()

    def __call__(self) -> list[str]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
            self.done += 1
        return self.errors


@contextlib.contextmanager
def running(server: PreviewServer) -> Iterator[PreviewServer]:
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_changes_during_a_build_make_one_more_build_never_a_concurrent_one(tmp_path: Path) -> None:
    watched = archive_layout(tmp_path)
    build = SlowBuild(1.0)
    briefing = tmp_path / "briefings" / "2021" / "03" / "a.md"
    with running(PreviewServer(build, watched, "127.0.0.1", free_port(), tmp_path / "site")):
        wait_until(lambda: build.running == 1)  # the first build starts by itself
        for i in range(5):  # saved five times while it runs
            briefing.write_text(f"edit {i}", "utf-8")
            time.sleep(0.05)
        wait_until(lambda: build.done == 2)
        time.sleep(1.5)
        assert build.done == 2  # the five saves: one more build
        for i in range(5):  # a burst of saves while idle: one build after the debounce
            (tmp_path / "docs" / "about.md").write_text(f"about {i}", "utf-8")
        wait_until(lambda: build.done == 3)
        time.sleep(1.5)
        assert build.done == 3
        (tmp_path / "docs" / "briefings" / "2021" / "03" / "a.md").write_text("generated", "utf-8")
        (tmp_path / "docs" / "index.md").write_text("generated", "utf-8")
        time.sleep(1.5)
        assert build.done == 3  # what the build writes never triggers it
    assert build.most == 1


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode("utf-8")


def test_every_page_and_the_404_page_get_the_reload_script_and_the_banner(tmp_path: Path) -> None:
    watched = archive_layout(tmp_path)
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html><body><h1>A</h1></body></html>", "utf-8")
    (site / "404.html").write_text("<html><body><h1>Not here</h1></body></html>", "utf-8")
    build = SlowBuild(0.0, errors=["briefings/<i>a</i>.md:3: broken; fix"])
    port = free_port()
    with running(PreviewServer(build, watched, "127.0.0.1", port, site)):
        wait_until(lambda: build.done == 1)
        for path, status, heading in (("a/", 200, "<h1>A</h1>"), ("missing/", 404, "<h1>Not here</h1>")):
            code, page = get(f"http://127.0.0.1:{port}/{path}")
            assert code == status
            assert heading in page and "livereload(" in page
            assert '<div id="briefings-preview-errors" role="alert"' in page
            assert "briefings/&lt;i&gt;a&lt;/i&gt;.md:3: broken; fix" in page
        build.errors = []
        (tmp_path / "mkdocs.yml").write_text("y", "utf-8")
        wait_until(lambda: build.done == 2)
        assert "briefings-preview-errors" not in get(f"http://127.0.0.1:{port}/a/")[1]


def test_pages_are_served_before_the_search_index_follows_and_its_problems_reach_the_banner(
        tmp_path: Path) -> None:
    """The edited page is served (and the browsers told to reload) while ``then`` (the search
    index) still runs: without that, a request waits for the whole build loop step."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html><body><h1>old</h1></body></html>", "utf-8")
    indexing, release = threading.Event(), threading.Event()

    def build() -> list[str]:
        (site / "a" / "index.html").write_text("<html><body><h1>new</h1></body></html>", "utf-8")
        return []

    def then() -> list[str]:
        indexing.set()
        release.wait(60)
        return ["search index: Pagefind failed; run briefings build -v"]

    port = free_port()
    with running(PreviewServer(build, archive_layout(tmp_path), "127.0.0.1", port, site, then=then)) as server:
        wait_until(indexing.is_set)
        shown = server._visible_epoch  # published before ``then`` started
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/a/", timeout=5) as response:  # noqa: S310
                page = response.read().decode("utf-8")
        finally:
            release.set()  # a failed request must not leave the build loop waiting
        assert "<h1>new</h1>" in page and "briefings-preview-errors" not in page
        wait_until(lambda: "Pagefind failed" in get(f"http://127.0.0.1:{port}/a/")[1])
        assert server._visible_epoch > shown  # a second reload brings the late problem to open pages


@pytest.mark.parametrize("show_last", [True, False], ids=["last-site-shown", "no-last-site"])
def test_the_last_sessions_site_is_served_while_the_first_build_runs(tmp_path: Path, show_last: bool) -> None:
    """``show_last``: a request during the first build gets the site as the last session left it,
    and the build's pages come with a reload; without it, the request waits for that build."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = site / "a" / "index.html"
    page.write_text("<html><body><h1>last session</h1></body></html>", "utf-8")
    building, release = threading.Event(), threading.Event()

    def build() -> list[str]:
        building.set()
        release.wait(60)
        page.write_text("<html><body><h1>built</h1></body></html>", "utf-8")
        return []

    port = free_port()
    with running(PreviewServer(build, archive_layout(tmp_path), "127.0.0.1", port, site,
                               show_last=show_last)) as server:
        wait_until(building.is_set)
        shown = server._visible_epoch
        answer: list[str] = []
        request = threading.Thread(target=lambda: answer.append(get(f"http://127.0.0.1:{port}/a/")[1]), daemon=True)
        request.start()
        request.join(timeout=30 if show_last else 2)  # answered during the build, or still waiting for it
        assert request.is_alive() is not show_last
        release.set()
        request.join(timeout=30)
        assert ("<h1>last session</h1>" if show_last else "<h1>built</h1>") in answer[0]
        wait_until(lambda: "<h1>built</h1>" in get(f"http://127.0.0.1:{port}/a/")[1])
        wait_until(lambda: server._visible_epoch > shown)


def test_last_site_complete_wants_the_render_manifest_of_that_site(tmp_path: Path) -> None:
    from build_tools.build import render_cache_file

    briefings, site = tmp_path / "briefings", tmp_path / "site"
    briefings.mkdir()
    site.mkdir()
    given = preview.Preview(briefings, tmp_path / "mkdocs.yml", site)
    (site / "index.html").write_text("<html></html>", "utf-8")
    assert not preview.last_site_complete(given)  # pages but no finished build: wait for the build
    manifest = render_cache_file(briefings, site)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_bytes(b"")
    assert preview.last_site_complete(given)
    (site / "index.html").unlink()
    assert not preview.last_site_complete(given)


def test_a_first_look_is_served_during_the_build_and_the_build_reloads_again(tmp_path: Path) -> None:
    """``first`` gets the changed paths and its page is served (the browsers told to reload) while
    the build still runs; the build's pages come with one more reload. No change, no first look."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = site / "a" / "index.html"
    page.write_text("<html><body><h1>old</h1></body></html>", "utf-8")
    building, release = threading.Event(), threading.Event()
    looked: list[set[Path]] = []
    builds: list[int] = []

    def first(changed: set[Path]) -> bool:
        looked.append(changed)
        page.write_text("<html><body><h1>first look</h1></body></html>", "utf-8")
        return True

    def build() -> list[str]:
        builds.append(1)
        if len(builds) > 1:
            building.set()
            release.wait(60)
            page.write_text("<html><body><h1>built</h1></body></html>", "utf-8")
        return []

    port = free_port()
    briefing = tmp_path / "briefings" / "2021" / "03" / "a.md"
    with running(PreviewServer(build, archive_layout(tmp_path), "127.0.0.1", port, site, first=first)) as server:
        wait_until(lambda: len(builds) == 1)
        assert looked == []  # the first build: nothing changed, nothing to look at first
        briefing.write_text("edited", "utf-8")
        wait_until(building.is_set)
        shown = server._visible_epoch
        try:
            status, text = get(f"http://127.0.0.1:{port}/a/")
        finally:
            release.set()
        assert status == 200 and "<h1>first look</h1>" in text
        assert looked == [{briefing}]
        wait_until(lambda: "<h1>built</h1>" in get(f"http://127.0.0.1:{port}/a/")[1])
        wait_until(lambda: server._visible_epoch > shown)


def test_a_save_while_the_search_index_runs_gets_its_first_look_at_once(tmp_path: Path) -> None:
    """The build loop is busy with ``then``: the first look of a save made meanwhile is shown (a new
    epoch) before ``then`` ends, and the build follows it after."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html><body><h1>old</h1></body></html>", "utf-8")
    indexing, release = threading.Event(), threading.Event()
    looked: list[set[Path]] = []
    builds: list[int] = []

    def first(changed: set[Path]) -> bool:
        looked.append(changed)
        return True

    def build() -> list[str]:
        builds.append(1)
        return []

    def then() -> list[str]:
        if len(builds) == 1:
            indexing.set()
            release.wait(60)
        return []

    briefing = tmp_path / "briefings" / "2021" / "03" / "a.md"
    with running(PreviewServer(build, archive_layout(tmp_path), "127.0.0.1", free_port(), site, then=then,
                               first=first)) as server:
        try:
            wait_until(indexing.is_set)
            shown = server._visible_epoch
            briefing.write_text("edited", "utf-8")
            wait_until(lambda: looked == [{briefing}] and server._visible_epoch > shown)
            assert builds == [1]  # the build waits for the search index
        finally:
            release.set()
        wait_until(lambda: len(builds) == 2)
        assert looked == [{briefing}, {briefing}]  # the build looks again first (the save may be newer)


def test_a_404_before_any_site_exists_still_reloads(tmp_path: Path) -> None:
    build = SlowBuild(0.0, errors=["mkdocs.yml:1: bad; fix"])
    port = free_port()
    with running(PreviewServer(build, archive_layout(tmp_path), "127.0.0.1", port, tmp_path / "no-site")):
        wait_until(lambda: build.done == 1)
        code, page = get(f"http://127.0.0.1:{port}/")
    assert code == 404 and "livereload(" in page and "mkdocs.yml:1: bad; fix" in page


def test_the_parts_of_mkdocs_server_we_rely_on_are_there(tmp_path: Path) -> None:
    """preview.py's module doc lists them: a MkDocs release that renames one fails here, not silently."""
    from mkdocs.livereload import LiveReloadServer

    plain = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    for name in ("_rebuild_cond", "_want_rebuild", "_watched_paths", "_watch_refs", "_visible_epoch", "observer",
                 "build_delay", "error_handler", "_epoch_cond", "_wanted_epoch"):
        assert name in vars(plain), name
    assert callable(LiveReloadServer._inject_js_into_html)
    server = PreviewServer(SlowBuild(0), archive_layout(tmp_path), "127.0.0.1", 0, tmp_path / "site")
    assert server.build_delay == preview.DEBOUNCE_SECONDS
    assert server._want_rebuild  # the first build is asked for before serving starts


def test_a_build_that_crashes_is_shown_and_the_server_goes_on(tmp_path: Path) -> None:
    def crash() -> list[str]:
        raise RuntimeError("boom")

    server = PreviewServer(crash, archive_layout(tmp_path), "127.0.0.1", free_port(), tmp_path / "site")
    server._rebuild()
    assert server.errors == ("the build failed unexpectedly (RuntimeError: boom); the console shows where; "
                             "save again to retry",)


def test_a_port_in_use_is_a_clean_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = PreviewServer(SlowBuild(0), archive_layout(tmp_path), "127.0.0.1", port, tmp_path / "site")
        with pytest.raises(preview.BriefingsError, match=rf"--dev-addr 127.0.0.1:{port}: cannot serve there"):
            server.run()


# --- briefings serve in Chromium -------------------------------------------------------------------

SERVE_TIMEOUT_S = 300
"""The first build of the small archive takes 5-15 s here; the machine is shared with other builds."""
RELOAD_TIMEOUT_MS = 120_000


def generated_pages(top: Path) -> Callable[[str, list[str]], set[str]]:
    """A ``copytree`` ignore that leaves out the pages a build generates in the docs folder ``top``
    (its top-level generated folders and files), and nothing else (``editors/index.md`` stays)."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) != top:
            return set()
        return {n for n in names if n in preview.GENERATED_FOLDERS or n in preview.GENERATED_FILES}
    return ignore


def small_archive(root: Path, briefings: int = 4) -> Path:
    """A few of the repository's briefings with its mkdocs.yml, docs/ (its hand-written pages, all
    of them) and vocabulary/; the theme and the editors' pages are the package's."""
    for name in ("docs", "vocabulary"):
        shutil.copytree(REPO / name, root / name, ignore=generated_pages(REPO / name))
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for path in sorted((REPO / "briefings").rglob("*.md"))[:briefings]:
        target = root / "briefings" / path.relative_to(REPO / "briefings")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return root


@contextlib.contextmanager
def serving(root: Path, log: list[str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``briefings serve`` in ``root`` on a free port; yields its URL once the first build is served.
    With ``log``, what serve prints on stderr is appended to it line by line as it comes."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "build_tools", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, stdout=subprocess.DEVNULL if log is not None else subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if log is not None:
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=lambda: log.extend(iter(stream.readline, "")), daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(OSError):
                if get(url)[0] == 200:
                    break
            time.sleep(0.5)
        else:
            raise AssertionError(f"briefings serve never answered: {proc.communicate(timeout=10)}")
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def edit(path: Path, old: str, new: str) -> float:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return time.monotonic()


@pytest.mark.browser
@pytest.mark.slow
def test_edit_break_fix_and_search_in_the_browser(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    root = small_archive(tmp_path)
    briefing = sorted((root / "briefings").rglob("*.md"))[0]
    rel = briefing.relative_to(root / "briefings").with_suffix("").as_posix()
    lines = briefing.read_text("utf-8").splitlines()
    title_line = next(line for line in lines if line.startswith("title: "))
    title_no = lines.index(title_line) + 1
    title = title_line.removeprefix("title: ")
    with serving(root) as (url, proc), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.set_default_timeout(RELOAD_TIMEOUT_MS)
        expect.set_options(timeout=RELOAD_TIMEOUT_MS)
        page.goto(f"{url}briefings/{rel}/")
        expect(page.locator("h1")).to_have_text(title)
        banner = page.locator(f"#{preview.BANNER_ID}")
        expect(banner).to_have_count(0)

        # An edited title: the page reloads by itself.
        saved = edit(briefing, title_line, f"title: Edited {title}")
        expect(page.locator("h1")).to_have_text(f"Edited {title}")
        print(f"\nserve: edit to visible {time.monotonic() - saved:.1f}s (title edited)")

        # Broken YAML: a banner names the file and the line; the page keeps its last good content.
        saved = edit(briefing, f"title: Edited {title}", f'title: "Edited {title}')
        expect(banner).to_be_visible()
        print(f"serve: edit to visible {time.monotonic() - saved:.1f}s (banner)")
        expect(banner).to_have_attribute("role", "alert")
        (REPO / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "test-artifacts" / "preview-banner.png"))
        expect(banner).to_contain_text(f"{rel}.md:{title_no}: the quote")
        expect(page.locator("h1")).to_have_text(f"Edited {title}")
        banner.get_by_role("button", name="Hide").click()
        expect(banner).to_have_count(0)
        page.reload()  # still broken: the banner comes back
        expect(banner).to_be_visible()

        # Fixed: the banner goes and the page shows the fix.
        saved = edit(briefing, f'title: "Edited {title}', f'title: "Fixed {title}"')
        expect(banner).to_have_count(0)
        expect(page.locator("h1")).to_have_text(f"Fixed {title}")
        print(f"serve: edit to visible {time.monotonic() - saved:.1f}s (fixed)")

        # A browser on a page that does not exist yet (its 404 page) shows it once it is saved.
        page.goto(f"{url}briefings/2021/03/a-new-briefing/")
        expect(page.locator("h1")).to_contain_text("404")
        new = root / "briefings" / "2021" / "03" / "a-new-briefing.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        saved = time.monotonic()
        new.write_text("---\nid: preview-new-1\ntitle: A new briefing for the preview\n"
                       "date: '2021-03-26T10:00:00+00:00'\n---\nIt appears by itself.\n", "utf-8")
        expect(page.locator("h1")).to_have_text("A new briefing for the preview")
        print(f"serve: edit to visible {time.monotonic() - saved:.1f}s (new briefing, from its 404 page)")

        # Search answers under serve (the Pagefind bundle is served).
        word = title.split()[0]
        page.goto(f"{url}search/?q={word}")
        expect(page.locator("#bp-results a.bp-result-link").first).to_be_visible()
        expect(page.locator("#bp-results")).to_contain_text(f"Fixed {title}")
        browser.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "serve: rebuilt in " in err and "; 1 error" in err and err.rstrip().endswith("serve: stopped")
