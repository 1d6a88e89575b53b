"""Incremental builds: after any sequence of edits, additions and deletions, a rebuild that reuses
the build cache writes the same bytes, file for file, as a clean build of the same briefings, the
search index's shards included (a rebuild indexes only the shards its changes touch)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools import build as buildmod
from build_tools.errors import BriefingsError
from build_tools.link import links
from build_tools.link.links import link_archive
from build_tools.site import defaults, sitebuild
from build_tools.site.search import BUNDLE_DIR, MANIFEST
from build_tools.store import build_cache, stamps
from build_tools.store.archive import load_archive
from tests.conftest import REPO
from tests.site.test_preview import generated_pages


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's site (mkdocs.yml, hand-written docs, vocabulary) and its sample
    briefings, with a theme override and a stylesheet of its own (they replace the package's)."""
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=generated_pages(REPO / "docs"))  # as in git
    for name in ("vocabulary", "briefings"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns(".briefings-cache"))
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                                         "utf-8")
    (tmp_path / "overrides").mkdir()
    shutil.copy(defaults.OVERRIDES / "main.html", tmp_path / "overrides" / "main.html")
    (tmp_path / "docs" / "assets").mkdir(exist_ok=True)
    shutil.copy(defaults.DOCS / "assets" / "briefings.css", tmp_path / "docs" / "assets" / "briefings.css")
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


def retag(project: Path) -> None:
    """A person tagged who is tagged elsewhere too: entity pages, related links and threads change."""
    path = next(p for p in sorted((project / "briefings").rglob("*.md"))[2:]
                if "\n- Angela Merkel\n" not in p.read_text("utf-8"))
    text = path.read_text("utf-8").replace("\npeople: []\n", "\npeople:\n", 1)
    path.write_text(text.replace("\npeople:\n", "\npeople:\n- Angela Merkel\n", 1), "utf-8")


def split_thread(project: Path) -> None:
    """The middle briefing of the longest story kept out of every story (``thread: none``)."""
    stories = link_archive(load_archive(project / "briefings")).stories
    story = max(stories, key=lambda s: (len(s.members), s.slug))
    assert len(story.members) >= 3
    path = project / "briefings" / str(story.members[len(story.members) // 2].path)
    path.write_text(path.read_text("utf-8").replace("\nid: ", "\nthread: none\nid: ", 1), "utf-8")


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
    ("retitle", retitle), ("add", add), ("delete", delete), ("retag", retag), ("thread split", split_thread),
    ("body", edit_body),
    ("hand-written page", edit_hand_written_page), ("theme", edit_theme), ("nothing", lambda p: None)]


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "workers"])
def test_incremental_builds_equal_clean_builds(project: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real RACY_SECONDS: each step comes right after the build before it, so the stamps of
    # what that build wrote are too recent to trust, and pages are kept by the digest of their bytes.
    assert stamps.RACY_SECONDS == 2.0
    if parallel:
        monkeypatch.setattr(sitebuild, "MIN_PARALLEL_PAGES", 1)
        monkeypatch.setattr(links, "PARALLEL_MIN_BRIEFINGS", 1)  # related links scored in a forked process,
        monkeypatch.setattr(links, "can_fork", lambda: True)  # however busy the machine is
    config = project / "mkdocs.yml"  # the sample's 2021 in months and hash buckets
    config.write_text(config.read_text("utf-8") + "\nextra:\n  briefings:\n    search_shard_pages: 4\n", "utf-8")
    first = incremental(project)
    assert first.pages_reused == 0
    total = first.pages_rendered
    shards = json.loads((project / "site" / BUNDLE_DIR / MANIFEST).read_bytes())["shards"]
    assert first.shards_indexed == len(shards) > 3
    for name, step in STEPS:
        step(project)
        report = incremental(project)
        assert site_files(project / "site") == site_files(clean(project, name)), f"after '{name}'"
        if name in ("nothing", "hand-written page"):  # no briefing page changed: no shard is indexed
            assert report.shards_indexed == 0, f"after '{name}'"
        if name == "nothing":  # nothing to render, not even the pages in the navigation
            assert report.pages_rendered == 0 and report.pages_reused > 0
        if name == "hand-written page":  # about.md alone: the other pages in the navigation are kept
            assert report.pages_rendered == 1, f"after '{name}'"
        elif name != "theme":
            assert report.pages_reused > total // 2, f"after '{name}': {report.pages_rendered} rendered"


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) and give the file back its modification time: what a
    second save within the same tick of a coarse file system clock looks like."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


COARSE_TICK_SECONDS = 600.0
"""The clock tick of the simulated coarse file system, and so its trust window (``RACY_SECONDS``).
A save "in the same tick" as the one before it is only possible while the build that stamped the
file runs within one tick of that save: with the real 2 s, a build slowed by a loaded machine
stamped the file later than that, trusted the stamp, and the simulated save (which no real clock
allows that late) went unseen. Ten minutes covers any build of the small project."""


@pytest.fixture
def coarse_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps as a file system whose change time also stays the same within a tick, a tick of
    ``COARSE_TICK_SECONDS`` (the stamp's trust rule is the real one, at that tick: ctime is taken out)."""
    monkeypatch.setattr(stamps, "RACY_SECONDS", COARSE_TICK_SECONDS)
    real = stamps.of

    def of(info: os.stat_result, now: float | None = None) -> stamps.Stamp:
        s = real(info, now)
        return stamps.Stamp(s.size, s.mtime_ns, 0, s.inode, s.trusted)

    monkeypatch.setattr(stamps, "of", of)


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.5, 1.0], ids=lambda d: f"{d}s")
def test_an_edit_right_after_a_build_is_built(project: Path, delay: float) -> None:
    incremental(project)
    time.sleep(delay)
    retitle(project)
    incremental(project)
    assert site_files(project / "site") == site_files(clean(project, "after"))


@pytest.mark.parametrize("where", ["briefing", "hand-written page", "generated page"])
def test_an_edit_in_the_same_clock_tick_is_built(project: Path, where: str, coarse_clock: None) -> None:
    """A same-size save whose stamp equals the one recorded: only the trust rule can tell it changed
    (this test fails when an untrusted stamp is allowed to match)."""
    if where == "briefing":
        path = briefing(project, 3)
        path.write_text(path.read_text("utf-8").replace("\ntitle: ", "\ntitle: A", 1), "utf-8")
        old, new = "\ntitle: A", "\ntitle: B"
    elif where == "hand-written page":
        path = project / "docs" / "about.md"
        path.write_text(path.read_text("utf-8") + "\nVersion A.\n", "utf-8")
        old, new = "Version A.", "Version B."
    incremental(project)
    if where == "generated page":  # written by the build a moment ago; a hand change to it must not stick
        path = next((project / "docs" / "briefings").rglob("*.md"))
        text = path.read_text("utf-8")
        at = text.index("\n# ") + 3
        old, new = text[at - 3:at + 1], text[at - 3:at] + ("Z" if text[at] != "Z" else "Y")
    before = stamps.of(path.stat())
    same_size_edit(path, old, new)
    assert stamps.of(path.stat()).fields() == before.fields()  # the edit left the stamp as it was
    incremental(project)
    assert site_files(project / "site") == site_files(clean(project, where))
    generated = project / "docs" / "briefings"
    assert site_files(generated) == site_files(project / f"clean-docs-{where}" / "briefings")


def test_a_rebuild_that_changes_nothing_says_the_same_warnings(project: Path) -> None:
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nSee [a page that is not there](missing.md).\n", "utf-8")
    incremental(project)
    with pytest.raises(BriefingsError, match="1 warnings in strict mode"):
        buildmod.build(project / "briefings", project / "site", project / "mkdocs.yml", docs=project / "docs",
                       vocabulary_dir=project / "vocabulary", strict=True)


def test_a_rebuild_right_after_a_clean_build_renders_nothing(project: Path) -> None:
    """``build --clean`` leaves its cache behind: the next build keeps every page."""
    first = buildmod.build(project / "briefings", project / "site", project / "mkdocs.yml", docs=project / "docs",
                           vocabulary_dir=project / "vocabulary", use_cache=False)
    assert first.pages_reused == 0 and first.pages_rendered > 0
    again = incremental(project)
    assert again.pages_rendered == 0 and again.pages_reused == first.pages_rendered
    assert again.pages_changed == 0


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


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the build cache files each build loads (appended as they are loaded)."""
    names: list[str] = []
    real = build_cache.load

    def load(path: Path) -> object:
        names.append(path.name)
        return real(path)

    monkeypatch.setattr(build_cache, "load", load)
    return names


@pytest.mark.parametrize("step", ["retitle", "add", "delete", "hidden file", "broken briefing"])
def test_a_rebuild_of_unchanged_briefings_reads_no_parse_and_links_nothing(
        project: Path, step: str, loads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Trusted stamps of every briefing as the last build read them: the build neither loads the
    parse cache nor the page records, nor links, and says what the last one said; once a briefing
    changes (or one comes, goes, or breaks), it is built as a clean build builds it."""
    monkeypatch.setattr(stamps, "RACY_SECONDS", 0.0)  # every stamp trusted at once
    if step == "broken briefing":
        path = briefing(project, 2)
        path.write_text(path.read_text("utf-8").replace("\ntitle: ", "\ntitle: 'unclosed ", 1), "utf-8")
    first = incremental(project)
    loads.clear()
    again = incremental(project)
    assert buildmod.PARSED_FILE not in loads and not any(n.startswith(buildmod.PAGES_FILE_PREFIX) for n in loads)
    assert "link" not in again.timings and again.pages_rendered == 0
    assert (again.errors, again.warnings, again.notes, again.briefings) == (
        first.errors, first.warnings, first.notes, first.briefings)
    if step == "hidden file":  # never read: still nothing to do
        (project / "briefings" / ".drafts").mkdir()
        shutil.copy(briefing(project, 1), project / "briefings" / ".drafts" / "draft.md")
        loads.clear()
        incremental(project)
        assert buildmod.PARSED_FILE not in loads
        return
    {"retitle": retitle, "add": add, "delete": delete, "broken briefing": edit_body}[step](project)
    loads.clear()
    report = incremental(project)
    assert buildmod.PARSED_FILE in loads and "link" in report.timings
    assert site_files(project / "site") == site_files(clean(project, step))
    assert site_files(project / "docs") == site_files(project / f"clean-docs-{step}")
