"""`briefings new`: a complete archive in a new folder, which builds; this repository's own
mkdocs.yml is exactly what `new` writes."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
import yaml
from mkdocs.config import load_config

from build_tools import cli
from build_tools.errors import BriefingsError
from build_tools.scaffold import CI, Options, config_text, files, scaffold
from tests.conftest import REPO


def test_this_repository_is_an_archive_new_would_write() -> None:
    assert (REPO / "mkdocs.yml").read_text("utf-8") == config_text(Options())


def test_new_writes_every_part_of_an_archive(tmp_path: Path) -> None:
    written = scaffold(tmp_path / "a", Options())
    assert set(map(str, written)) >= {"mkdocs.yml", ".gitignore", "requirements.txt", "briefings/.gitkeep",
                                      "docs/about.md", "inbox/README.md", "vocabulary/README.md",
                                      "vocabulary/outlets.yaml", "vocabulary/people.yaml",
                                      "vocabulary/organizations.yaml"}
    assert not any(str(p).startswith((".github", ".gitlab")) for p in written)
    for rel in written:
        assert (tmp_path / "a" / rel).is_file()
    assert "/site/" in (tmp_path / "a" / ".gitignore").read_text("utf-8")


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_with_ci_writes_the_workflow_where_the_service_reads_it(tmp_path: Path, ci: str) -> None:
    written = scaffold(tmp_path / "a", Options(ci=ci))  # type: ignore[arg-type]
    assert CI[ci] in written  # type: ignore[index]
    workflow = yaml.safe_load((tmp_path / "a" / CI[ci]).read_text("utf-8"))  # type: ignore[index]
    assert "briefings build --strict" in str(workflow) and "briefings check" in str(workflow)


@pytest.mark.parametrize("name", ["Energy Desk", "Desk: #1 — 'yes' & \"no\"", "yes", "Новости"])
def test_the_site_name_url_and_description_read_back(tmp_path: Path, name: str) -> None:
    scaffold(tmp_path / "a", Options(site_name=name, site_description="About: things", site_url="https://example.org/x/"))
    config = load_config(str(tmp_path / "a" / "mkdocs.yml"))
    assert config.site_name == name
    assert config.site_description == "About: things"
    assert config.site_url == "https://example.org/x/"


def test_a_folder_that_is_not_empty_is_refused_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BriefingsError, match="not empty.*--force"):
        scaffold(tmp_path, Options())
    scaffold(tmp_path, Options(), force=True)
    assert (tmp_path / "notes.txt").read_text() == "mine" and (tmp_path / "mkdocs.yml").is_file()


def test_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(BriefingsError, match="is a file"):
        scaffold(tmp_path / "f", Options())


def test_the_command_prints_the_next_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", str(tmp_path / "a"), "--name", "Desk", "--with-ci", "gitlab"]) == 0
    err = capsys.readouterr().err
    assert f"new: archive 'Desk' in {tmp_path / 'a'}" in err
    assert "briefings ingest inbox/" in err and "briefings build" in err
    assert cli.main(["new", str(tmp_path / "a")]) == 1
    assert "the folder is not empty" in capsys.readouterr().err


def test_every_file_comes_from_the_package() -> None:
    """What `new` writes is package data (an installed tool has it), never read from this checkout."""
    for rel, text in files(Options(ci="github")).items():
        assert isinstance(rel, PurePosixPath) and not rel.is_absolute() and ".." not in rel.parts
        assert "/work/" not in text and str(REPO) not in text
