"""The writer: atomic, inside its root only, each path once; the folder lock."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from build_tools.errors import LockHeld, WriteRefused
from build_tools.store.writer import FolderLock, Writer, atomic_write, clear_stale_temp_files


@pytest.mark.parametrize("rel", ["../x.md", "/etc/x.md", "a/../../x.md", "", ".", "a//b/../../../x"])
def test_refuses_paths_outside_the_root(tmp_path: Path, rel: str) -> None:
    with pytest.raises(WriteRefused):
        Writer(tmp_path / "root").write(rel, "x")


def test_refuses_to_write_through_a_symlink(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "sub").symlink_to(outside, target_is_directory=True)
    (root / "file.md").symlink_to(outside / "file.md")
    for rel in ("sub/x.md", "file.md"):
        with pytest.raises(WriteRefused):
            Writer(root).write(rel, "x")
    assert list(outside.iterdir()) == []


def test_refuses_the_same_path_twice(tmp_path: Path) -> None:
    writer = Writer(tmp_path)
    writer.write("a.md", "one")
    with pytest.raises(WriteRefused, match="twice"):
        writer.write("a.md", "two")


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    Writer(tmp_path).write("a.md", "same")
    before = (tmp_path / "a.md").stat().st_mtime_ns
    assert Writer(tmp_path).write("a.md", "same") is False
    assert (tmp_path / "a.md").stat().st_mtime_ns == before


def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_stale_temp_files_are_cleared(tmp_path: Path) -> None:
    (tmp_path / ".a.md.x1y2.tmp").write_text("half")
    (tmp_path / "keep.md").write_text("x")
    assert clear_stale_temp_files(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]


def test_lock_is_exclusive_with_a_clear_message(tmp_path: Path) -> None:
    with FolderLock(tmp_path):
        with pytest.raises(LockHeld, match="another ingest is running"):
            with FolderLock(tmp_path):
                pass
    with FolderLock(tmp_path):  # released
        pass


def test_lock_file_symlink_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.lock"
    root = tmp_path / "root"
    root.mkdir()
    (root / ".briefings.lock").symlink_to(outside)
    with pytest.raises(LockHeld, match="lock file"):
        with FolderLock(root):
            pass
    assert not outside.exists()


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test, restored afterwards."""
    saved = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
                         ids=["022", "077", "002"])
def test_written_files_get_the_mode_the_umask_gives(tmp_path: Path, umask: Callable[[int], None], mask: int,
                                                    mode: int) -> None:
    umask(mask)
    writer = Writer(tmp_path)
    writer.write("new.md", "x")
    (tmp_path / "old.md").write_text("old")
    os.chmod(tmp_path / "old.md", 0o600)
    writer.write("old.md", "replaced")
    atomic_write(tmp_path / "plain.md", b"x", durable=False)
    for name in ("new.md", "old.md", "plain.md"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "old.md", "plain.md"]  # no temp file left


def test_a_staged_copy_is_renamed_into_place(tmp_path: Path) -> None:
    from build_tools.store.writer import stage

    staging = tmp_path / "root" / ".staging"
    staging.mkdir(parents=True)
    staged = stage(staging, "a.md", "héllo\n")
    assert staged is not None and Path(staged).name.startswith(".a.md.") and staged.endswith(".tmp")
    writer = Writer(tmp_path / "root", durable=False)
    assert writer.write("2024/a.md", "héllo\n", staged) is True
    assert (tmp_path / "root" / "2024" / "a.md").read_bytes() == "héllo\n".encode()
    assert list(staging.iterdir()) == []  # moved, not copied


@pytest.mark.parametrize("durable", [True, False], ids=["durable", "not-durable"])
def test_a_staged_copy_that_does_not_fit_is_not_used(tmp_path: Path, durable: bool) -> None:
    from build_tools.store.writer import stage

    staging = tmp_path / "root" / ".staging"
    staging.mkdir(parents=True)
    staged = stage(staging, "a.md", "other text\n" if not durable else "text\n")
    writer = Writer(tmp_path / "root", durable=durable)
    assert writer.write("a.md", "text\n", staged) is True
    assert (tmp_path / "root" / "a.md").read_text("utf-8") == "text\n"
    assert staged is not None and Path(staged).exists()  # left for the run to remove
