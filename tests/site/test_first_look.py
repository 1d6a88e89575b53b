"""site/first_look: serve shows an edited briefing's page from what it holds, before the build;
anything it cannot show as the build would is left to the build; and the build after a first
look writes what a build without one writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools import build as buildmod
from build_tools.site import first_look as fl
from tests.site.test_incremental import clean, site_files
from tests.site.test_preview import small_archive

BRIEFINGS = 6


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, buildmod.Held]:
    """A small archive built as serve builds it (``held`` filled); each test works on a copy."""
    root = small_archive(tmp_path_factory.mktemp("first-look"), BRIEFINGS)
    held = buildmod.Held()
    preview_build(root, held)
    return root, held


def preview_build(root: Path, held: buildmod.Held | None) -> buildmod.BuildReport:
    return buildmod.build(root / "briefings", root / "site", root / "mkdocs.yml", docs=root / "docs",
                          vocabulary_dir=root / "vocabulary", keep_last_good=True, held=held)


def retitle(path: Path, title: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[at] = f"title: {title}\n"
    path.write_text("".join(lines), "utf-8")


def html_of(root: Path, briefing: Path) -> str:
    rel = briefing.relative_to(root / "briefings").with_suffix("")
    return (root / "site" / "briefings" / rel / "index.html").read_text("utf-8")


def briefings_of(root: Path) -> list[Path]:
    return sorted((root / "briefings").rglob("*.md"))


def test_the_edited_page_is_shown_before_the_build(served: tuple[Path, buildmod.Held]) -> None:
    root, held = served
    assert held.gathered is not None and held.site is not None and held.docs == root / "docs"
    target = briefings_of(root)[2]
    before = target.read_bytes()
    try:
        retitle(target, "A title saved a moment ago")
        shown = fl.first_look(held, root / "briefings", {target.resolve()})
        assert len(shown) == 1 and shown[0].startswith("briefings/")
        assert "A title saved a moment ago" in html_of(root, target)
    finally:
        target.write_bytes(before)
        fl.first_look(held, root / "briefings", {target.resolve()})  # the module's fixture as it was


def edit_for(case: str, root: Path) -> set[Path]:
    """The files a save of ``case`` changes, after changing them."""
    paths = briefings_of(root)
    if case == "new briefing":
        new = paths[0].with_name("a-briefing-just-added.md")
        new.write_text(paths[0].read_text("utf-8").replace("id: ", "id: 0new", 1), "utf-8")
        return {new}
    if case == "broken front matter":
        retitle(paths[1], '"an unclosed quote')
        return {paths[1]}
    if case == "a new tag":
        text = paths[1].read_text("utf-8")
        paths[1].write_text(text.replace("people:\n", "people:\n- Someone Never Tagged Before\n", 1), "utf-8")
        assert paths[1].read_text("utf-8") != text
        return {paths[1]}
    if case == "too many files":
        for path in paths[:fl.FIRST_LOOK_MAX_FILES + 1]:
            retitle(path, "Many at once")
        return set(paths[:fl.FIRST_LOOK_MAX_FILES + 1])
    if case == "not a briefing":
        (root / "docs" / "about.md").write_text("# About\n\nEdited.\n", "utf-8")
        return {root / "docs" / "about.md"}
    if case == "deleted":
        paths[1].unlink()
        return {paths[1]}
    raise ValueError(case)


@pytest.mark.parametrize("case", ["new briefing", "broken front matter", "a new tag", "too many files",
                                  "not a briefing", "deleted"])
def test_what_the_first_look_leaves_to_the_build(served: tuple[Path, buildmod.Held], tmp_path: Path,
                                                 case: str) -> None:
    root, held = served
    copy = tmp_path / "copy"
    shutil.copytree(root / "briefings", copy / "briefings")
    shutil.copytree(root / "docs", copy / "docs")
    changed = {p.resolve() for p in edit_for(case, copy)}
    html = {p: p.read_bytes() for p in (root / "site").rglob("*.html")}
    assert fl.first_look(held, copy / "briefings", changed) == []
    assert {p: p.read_bytes() for p in (root / "site").rglob("*.html")} == html  # nothing rendered


def retitled_and_looked(tmp_path: Path, index: int, title: str) -> tuple[Path, buildmod.Held, Path]:
    """A small archive built as serve builds it, briefing ``index`` retitled and shown by a first
    look: (archive, held state, the briefing's file)."""
    root = small_archive(tmp_path / "archive", BRIEFINGS)
    held = buildmod.Held()
    preview_build(root, held)
    target = briefings_of(root)[index]
    retitle(target, title)
    assert fl.first_look(held, root / "briefings", {target.resolve()})
    return root, held, target


def test_the_build_after_a_first_look_writes_what_a_clean_build_writes(tmp_path: Path) -> None:
    root, held, target = retitled_and_looked(tmp_path, 3, "Edited, shown first then built")
    assert held.gathered is not None
    report = preview_build(root, held)
    assert not report.errors and "Edited, shown first then built" in html_of(root, target)
    assert held.gathered is not None and any(b.title.startswith("Edited,") for b in held.gathered.archive.briefings)
    reference = clean(root, "after-first-look")
    built, expected = site_files(root / "site"), site_files(reference)
    assert built.keys() == expected.keys()
    assert [k for k in built if built[k] != expected[k]] == []


def test_a_save_broken_before_the_build_keeps_the_version_the_first_look_showed(tmp_path: Path) -> None:
    """Serve shows a retitled briefing at once; the editor saves it again, broken, before the
    build that follows has read the file: that build keeps the retitled version (the one on
    screen) as the last good one, not the version from before the edit."""
    root, held, target = retitled_and_looked(tmp_path, 4, "Retitled and shown at once")
    retitle(target, '"an unclosed quote')
    report = preview_build(root, held)
    assert report.errors  # the broken save is reported
    assert "Retitled and shown at once" in html_of(root, target)
    assert held.looked == {}  # taken by the build
    retitle(target, "Fixed after all")
    report = preview_build(root, held)
    assert not report.errors and "Fixed after all" in html_of(root, target)
