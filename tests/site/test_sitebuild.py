"""The MkDocs stage on every core writes what MkDocs' own build writes, and reports what it reports."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from build_tools.site import sitebuild

PAGES = 60
"""More than ``parallel.MIN_PARALLEL_ITEMS``, so the pages really go to worker processes."""


def make_docs(root: Path, extra: str = "") -> Path:
    docs = root / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nSee [the first note](notes/n00.md#details).\n", "utf-8")
    (docs / "about.md").write_text("# About this site\n\n## Details\n\nText.\n", "utf-8")
    for i in range(PAGES):
        (docs / "notes" / f"n{i:02d}.md").write_text(
            f"---\ntitle: Note {i}\n---\n\n# Note {i}\n\n## Details\n\n[Back home](../index.md), "
            f"[about](../about.md#details).{extra if i == 7 else ''}\n", "utf-8")
    config = root / "mkdocs.yml"
    config.write_text("site_name: Test\nsite_url: https://example.org/\ntheme:\n  name: material\nplugins: []\n"
                      "nav:\n  - Home: index.md\n  - About: about.md\nnot_in_nav: |\n  /notes/\n", "utf-8")
    return config


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def every_size_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitebuild, "MIN_PARALLEL_PAGES", 1)


def test_same_files_as_mkdocs_build(tmp_path: Path) -> None:
    config_file = make_docs(tmp_path)
    ours = load_config(str(config_file), site_dir=str(tmp_path / "ours"))
    assert sitebuild.can_parallelise(ours)
    sitebuild.build_site(ours)
    mkdocs_build(load_config(str(config_file), site_dir=str(tmp_path / "theirs")))
    assert site_files(tmp_path / "ours") == site_files(tmp_path / "theirs")
    assert "Note 12" in (tmp_path / "ours" / "notes" / "n12" / "index.html").read_text("utf-8")


def test_warnings_of_workers_are_reported_and_strict_aborts(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config_file = make_docs(tmp_path, extra=" A [dead link](missing.md).")
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(Abort, match="1 warnings in strict mode"):
        sitebuild.build_site(load_config(str(config_file), site_dir=str(tmp_path / "site"), strict=True))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["Doc file 'notes/n07.md' contains a link 'missing.md', but the target 'notes/missing.md' "
                        "is not found among documentation files."]


def test_anchor_links_into_pages_of_other_workers_are_checked(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    config_file = make_docs(tmp_path, extra=" [Gone](n50.md#nowhere).")
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        sitebuild.build_site(load_config(str(config_file), site_dir=str(tmp_path / "site")))
    messages = [r.getMessage() for r in caplog.records]
    assert ("Doc file 'notes/n07.md' contains a link 'n50.md#nowhere', but the doc 'notes/n50.md' does not "
            "contain an anchor '#nowhere'.") in messages
    assert not any("#details" in m for m in messages)  # anchors that exist, on pages another worker rendered
