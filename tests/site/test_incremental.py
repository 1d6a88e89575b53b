"""Incremental builds: after any sequence of edits, additions and deletions, a rebuild that reuses
the build cache writes the same bytes, file for file, as a clean build of the same briefings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools import build as buildmod
from build_tools.errors import BriefingsError
from build_tools.site import sitebuild
from build_tools.store import archive
from tests.conftest import REPO


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's site (mkdocs.yml, hand-written docs, overrides, vocabulary) and
    its sample briefings."""
    for name in ("docs", "overrides", "vocabulary", "briefings"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns(".briefings-cache"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def incremental(project: Path) -> buildmod.BuildReport:
    return buildmod.build(project / "briefings", project / "site", project / "mkdocs.yml",
                          docs=project / "docs", vocabulary_dir=project / "vocabulary")


def clean(project: Path, name: str) -> Path:
    site = project / f"clean-{name}"
    shutil.rmtree(site, ignore_errors=True)
    buildmod.build(project / "briefings", site, project / "mkdocs.yml", docs=project / f"clean-docs-{name}",
                   vocabulary_dir=project / "vocabulary", use_cache=False)
    return site


def briefing(project: Path, n: int) -> Path:
    return sorted((project / "briefings").rglob("*.md"))[n]


def retitle(project: Path) -> None:
    path = briefing(project, 3)
    text = path.read_text("utf-8")
    start = text.index("\ntitle: ") + len("\ntitle: ")
    path.write_text(text[:start] + "Edited: " + text[start:], "utf-8")


def add(project: Path) -> None:
    source = briefing(project, 5)
    text = source.read_text("utf-8").replace("\nid: ", "\nid: added", 1)
    (source.parent / "an-added-briefing.md").write_text(text.replace("\ntitle: ", "\ntitle: Added: ", 1), "utf-8")


def delete(project: Path) -> None:
    briefing(project, 8).unlink()


def edit_body(project: Path) -> None:
    path = briefing(project, 0)
    path.write_text(path.read_text("utf-8") + "\nA paragraph an editor added.\n", "utf-8")


def edit_hand_written_page(project: Path) -> None:
    page = project / "docs" / "about.md"
    page.write_text(page.read_text("utf-8") + "\nOne more line about the archive.\n", "utf-8")


def edit_theme(project: Path) -> None:
    css = project / "docs" / "assets" / "briefings.css"
    css.write_text(css.read_text("utf-8") + "\n/* an edit */\n", "utf-8")
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text("utf-8") + "\n{# an edit #}\n", "utf-8")


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("retitle", retitle), ("add", add), ("delete", delete), ("body", edit_body),
    ("hand-written page", edit_hand_written_page), ("theme", edit_theme), ("nothing", lambda p: None)]


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "workers"])
def test_incremental_builds_equal_clean_builds(project: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every step changes a file's size, so stamps can be trusted at once (no "racy" wait).
    monkeypatch.setattr(archive, "RACY_SECONDS", 0.0)
    if parallel:
        monkeypatch.setattr(sitebuild, "MIN_PARALLEL_PAGES", 1)
    first = incremental(project)
    assert first.pages_reused == 0
    total = first.pages_rendered
    for name, step in STEPS:
        step(project)
        report = incremental(project)
        assert site_files(project / "site") == site_files(clean(project, name)), f"after '{name}'"
        if name == "nothing":  # nothing to render, not even the pages in the navigation
            assert report.pages_rendered == 0 and report.pages_reused > 0
        elif name != "theme":
            assert report.pages_reused > total // 2, f"after '{name}': {report.pages_rendered} rendered"


def test_a_rebuild_that_changes_nothing_says_the_same_warnings(project: Path) -> None:
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nSee [a page that is not there](missing.md).\n", "utf-8")
    incremental(project)
    with pytest.raises(BriefingsError, match="1 warnings in strict mode"):
        buildmod.build(project / "briefings", project / "site", project / "mkdocs.yml", docs=project / "docs",
                       vocabulary_dir=project / "vocabulary", strict=True)


def test_a_damaged_cache_is_ignored(project: Path) -> None:
    incremental(project)
    for cache in (project / "briefings" / ".briefings-cache" / "build").glob("*.pickle"):
        cache.write_bytes(b"not a pickle")
    retitle(project)
    report = incremental(project)
    assert report.pages_reused == 0
    assert site_files(project / "site") == site_files(clean(project, "damaged"))


def test_a_hand_changed_output_page_is_rendered_again(project: Path) -> None:
    incremental(project)
    page = next((project / "site" / "briefings").rglob("index.html"))
    page.write_text("tampered", "utf-8")
    incremental(project)
    assert page.read_text("utf-8") != "tampered"


def test_keep_last_good_keeps_the_page_of_a_broken_briefing(project: Path) -> None:
    path = briefing(project, 2)
    incremental(project)
    pages = sorted((project / "site" / "briefings").rglob("index.html"))
    path.write_text(path.read_text("utf-8").replace("\ntitle: ", "\ntitle: 'unclosed ", 1), "utf-8")
    report = buildmod.build(project / "briefings", project / "site", project / "mkdocs.yml", docs=project / "docs",
                            vocabulary_dir=project / "vocabulary", keep_last_good=True)
    assert any(path.name in e and ":3:" in e for e in report.errors), report.errors
    assert sorted((project / "site" / "briefings").rglob("index.html")) == pages
    plain = incremental(project)
    assert any(path.name in e for e in plain.errors)
    assert len(sorted((project / "site" / "briefings").rglob("index.html"))) == len(pages) - 1
