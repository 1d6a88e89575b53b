"""`briefings serve` from the command line: its help, its errors, a reload over HTTP, Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.site import preview
from tests.conftest import REPO
from tests.site.test_preview import edit, get, serving, small_archive
from tests.test_cli import run_in


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_help_says_what_is_watched_where_the_site_is_and_that_search_works() -> None:
    result = run("serve", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for said in (".briefings-cache/preview-site/ beside mkdocs.yml", "Search works",
                 "Watched: the briefings folder, the hand-written pages of docs_dir (never the pages the build "
                 "generates there), mkdocs.yml, the theme's custom_dir (overrides/) and the vocabulary folder",
                 "banner", "Ctrl-C stops", "--dev-addr HOST:PORT"):
        assert said in text, said


def test_a_bad_dev_addr_is_one_line(tmp_path: Path) -> None:
    result = run("serve", "--dev-addr", "8000", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "error: --dev-addr 8000: not HOST:PORT; give it as "
                                                     "127.0.0.1:8000\n")


def test_a_missing_briefings_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    result = run("serve", "--briefings", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: nowhere: no such briefings folder")


def test_each_build_says_its_errors_and_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors after every build; warnings and notes only when they change; one summary line each."""
    outcomes = iter([
        preview.BuildOutcome(3.0, warnings=["w1"], notes=["n1"], pages_changed=40),
        preview.BuildOutcome(0.84, errors=["b.md:3: broken; fix"], warnings=["w1"], notes=["n1"], pages_changed=3),
        preview.BuildOutcome(0.5, errors=["b.md:3: broken; fix"], warnings=["w1", "w2"], notes=["n1"]),
    ])
    monkeypatch.setattr(preview, "run_build", lambda _preview, _held=None: next(outcomes))
    errors: list[tuple[str, ...]] = []

    def three_builds(server: preview.PreviewServer) -> None:
        for _ in range(3):
            server._rebuild()
            errors.append(server.errors)

    monkeypatch.setattr(preview.PreviewServer, "run", three_builds)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    code, stderr = run_in(tmp_path, "serve", "--dev-addr", "127.0.0.1:8123")
    assert code == 0
    assert stderr.splitlines()[1:] == [
        "warning: w1",
        "note: 1 briefings have tags the vocabulary does not know (briefings -v COMMAND lists them; "
        "briefings vocab suggest ranks them)",
        "serve: built in 3.0s: 40 pages changed; 0 errors, 1 warning",
        "error: b.md:3: broken; fix",
        "serve: rebuilt in 0.8s: 3 pages changed; 1 error, 1 warning",
        "error: b.md:3: broken; fix",
        "warning: w1",
        "warning: w2",
        "serve: rebuilt in 0.5s: 0 pages changed; 1 error, 2 warnings",
        "serve: stopped",
    ]
    assert errors == [(), ("b.md:3: broken; fix",), ("b.md:3: broken; fix",)]


@pytest.mark.slow
def test_serve_rebuilds_reloads_serves_search_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    root = small_archive(tmp_path, briefings=2)
    briefing = sorted((root / "briefings").rglob("*.md"))[0]
    rel = briefing.relative_to(root / "briefings").with_suffix("").as_posix()
    title = next(line for line in briefing.read_text("utf-8").splitlines() if line.startswith("title: "))[7:]
    with serving(root) as (url, proc):
        code, page = get(f"{url}briefings/{rel}/")
        assert code == 200 and title in page and "livereload(" in page
        # search's shards follow the pages (the browser reloads first, then Pagefind runs)
        wait_for(lambda: get(f"{url}assets/pagefind/shards.json")[0] == 200, 120, "search never followed the pages")
        assert (root / ".briefings-cache" / "preview-site" / "assets" / "pagefind").is_dir()
        assert not (root / "site").exists()  # the preview never touches the published site
        saved = edit(briefing, f"title: {title}", f"title: EDITED {title}")
        deadline = time.monotonic() + 180
        while f"EDITED {title}" not in get(f"{url}briefings/{rel}/")[1]:
            assert time.monotonic() < deadline, "the edit never reached the served page"
            time.sleep(0.2)
        print(f"\nserve: edit to served page {time.monotonic() - saved:.1f}s")
        time.sleep(6)  # time for a rebuild that the last one would wrongly start (one takes 2-4 s here)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].startswith(f"serve: previewing at {url} (site in ")
    assert any(line.startswith("serve: built in ") and line.endswith("; 0 errors") for line in lines)
    # One save, one rebuild; what the build writes itself (docs pages, caches) never starts another.
    assert len([line for line in lines if line.startswith("serve: rebuilt in ")]) == 1, err
    assert lines[-1] == "serve: stopped"


SAVE_DELAYS = (0.1, 0.5, 1.0, 3.0)
"""Seconds between a rebuild's end and the next save: inside and outside ``stamps.RACY_SECONDS``."""


def wait_for(what: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


@pytest.mark.slow
def test_every_save_soon_after_a_rebuild_reaches_the_served_page(tmp_path: Path) -> None:
    """Saves 0.1, 0.5, 1 and 3 s after the previous rebuild finished, each the same size as the one
    before: the served page shows every one (once, a save within 2 s of a build was never built)."""
    root = small_archive(tmp_path, briefings=2)
    briefing = sorted((root / "briefings").rglob("*.md"))[0]
    rel = briefing.relative_to(root / "briefings").with_suffix("").as_posix()
    title = next(line for line in briefing.read_text("utf-8").splitlines() if line.startswith("title: "))[7:]
    log: list[str] = []

    def builds() -> int:
        return sum(1 for line in list(log) if line.startswith(("serve: built in ", "serve: rebuilt in ")))

    with serving(root, log) as (url, proc):
        wait_for(lambda: builds() == 1, 120, f"no first build: {log}")
        shown = f"title: {title}"
        for n, delay in enumerate(SAVE_DELAYS):
            done = builds()
            time.sleep(delay)
            now = f"title: Save {n} {title}"
            edit(briefing, shown, now)
            shown = now
            wait_for(lambda n=n: f"Save {n} {title}" in get(f"{url}briefings/{rel}/")[1], 120,  # type: ignore[misc]
                     f"save {n}, {delay}s after a rebuild, never reached the served page: {log}")
            wait_for(lambda done=done: builds() > done, 120, f"no rebuild line after save {n}: {log}")  # type: ignore[misc]
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert proc.returncode == 0, log
    assert not any("Traceback" in line for line in log), log
