"""Installed as a user would: a wheel built from this checkout, installed into a fresh venv outside
the repository, starts an archive with `briefings new`, ingests the sample inbox and builds it with
--strict; then the commands of the CI workflow `new --with-ci` writes pass in that archive."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, INBOX, REPO, served

pytestmark = pytest.mark.slow


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=1200, env=env)
    assert done.returncode == 0, f"{' '.join(argv)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel of this checkout and its dependencies."""
    where = tmp_path_factory.mktemp("package")
    source = where / "source"  # a copy: setuptools writes build/ and *.egg-info/ beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "build_tools", source / "build_tools", ignore=shutil.ignore_patterns("__pycache__"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where / "dist"), str(source)], cwd=where)
    (wheel,) = (where / "dist").glob("briefing_archive-*.whl")
    venv.create(where / "venv", with_pip=True)
    bin_dir = where / "venv" / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-c", str(REPO / "constraints.txt"), str(wheel)],
        cwd=where)
    return bin_dir


@pytest.fixture(scope="module")
def archive(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("user") / "my-archive"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    briefings = str(installed / "briefings")
    run([briefings, "new", str(root), "--name", "My Desk", "--with-ci", "github"], cwd=root.parent, env=env)
    run([briefings, "ingest", str(INBOX)], cwd=root, env=env)
    run([briefings, "build", "--strict"], cwd=root, env=env)
    return root


def test_the_installed_tool_is_not_this_checkout(installed: Path) -> None:
    done = run([str(installed / "python"), "-c", "import build_tools; print(build_tools.__file__)"], cwd=installed)
    assert str(REPO) not in done.stdout and "site-packages" in done.stdout


def test_new_ingest_and_build_make_a_whole_site(archive: Path) -> None:
    site = archive / "site"
    assert (site / "assets" / "pagefind" / "shards.json").is_file()  # search (one index unless asked for shards)
    assert (site / "assets" / "pagefind" / "all" / "pagefind.js").is_file()
    pages = list((site / "briefings").rglob("index.html"))
    assert len(pages) >= 10
    assert "<h1" in pages[0].read_text("utf-8")
    people = [p for p in (site / "people").rglob("index.html") if p.parent != site / "people"]
    assert people and "My Desk" in people[0].read_text("utf-8")
    assert (site / "editors" / "index.html").is_file()  # the editors' guide, from the package
    assert "search-page.js" in (site / "search" / "index.html").read_text("utf-8")  # the package's theme


def test_the_generated_ci_workflow_passes_here(archive: Path, installed: Path) -> None:
    workflow = yaml.safe_load((archive / ".github" / "workflows" / "briefings.yml").read_text("utf-8"))
    commands = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert commands[0].startswith("python -m pip install")  # done above, from the wheel
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
           "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    for command in commands[1:]:
        run(["bash", "-c", command], cwd=archive, env=env)
    assert (archive / "site" / "index.html").is_file()


@pytest.mark.browser
def test_search_answers_on_the_new_archive_in_a_browser(archive: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with served(archive / "site") as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(url + "search/?q=Afghanistan")
        first = page.locator("#bp-results a.bp-result-link").first
        sync_api.expect(first).to_be_visible(timeout=30_000)
        sync_api.expect(first).to_have_attribute("href", re.compile(r"/briefings/"))
        browser.close()
