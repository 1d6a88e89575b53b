"""Input files on disk: links, pipes, folders and oversize files are refused with a message naming them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools.read import files
from build_tools.read.files import Rejected, discover
from build_tools.read.sources import read


def test_reader_refuses_fifo_folder_and_huge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "folder.txt").mkdir()
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr("build_tools.read.files.MAX_INPUT_BYTES", 1024)
    for name, reason in (("pipe.txt", "not a regular file"), ("folder.txt", "folder"), ("big.txt", "limit")):
        (result,) = read(tmp_path / name)
        assert isinstance(result, Rejected) and name in result.message() and reason in result.reason


def test_symlink_out_of_the_input_tree_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Headline\n\nThe article text.\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.txt").symlink_to(outside)
    found = list(discover([inbox]))
    assert len(found) == 1 and isinstance(found[0], Rejected) and "outside" in found[0].reason


def test_a_device_given_on_the_command_line_is_refused_without_opening_it() -> None:
    (found,) = discover([Path("/dev/zero")])  # reading it would never end
    assert isinstance(found, Rejected) and "not a regular file" in found.reason


def test_a_file_bigger_than_fstat_said_is_read_whole_up_to_the_limit(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    grew = tmp_path / "grew.txt"
    grew.write_bytes(b"x" * 3000)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # the size before the file grew
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 100, *info[7:10]))

    monkeypatch.setattr(files.os, "fstat", stale_fstat)
    assert files.read_bytes(grew) == b"x" * 3000
    monkeypatch.setattr("build_tools.read.files.MAX_INPUT_BYTES", 2048)
    result = files.read_bytes(grew)
    assert isinstance(result, Rejected) and "over" in result.reason
