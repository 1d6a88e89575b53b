"""Input files on disk: find them (:func:`discover`) and read their bytes (:func:`read_bytes`).

With the writer, the only code that touches disk. Nothing here raises for a bad input: a path that
cannot be an input becomes a :class:`Rejected` naming the file and why, a file that is not one (a
README, a hidden file) a :class:`Skipped`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from build_tools.text import display_path, escape_line

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""Largest input read. The biggest real page in ../shared/corpus is under 2 MB of HTML; a 16 MiB
text file is not an article, and reading it would cost memory for nothing."""

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES


@dataclass(frozen=True)
class Rejected:
    """An input (or one record of it) that cannot become a briefing."""

    source: str
    reason: str
    fix: str = ""

    def message(self) -> str:
        return escape_line(f"{self.source}: {self.reason}" + (f" Fix: {self.fix}" if self.fix else ""))


@dataclass(frozen=True)
class Skipped:
    """A file found while walking a folder that is not an input (README, hidden file...)."""

    source: str
    reason: str


def discover(paths: list[Path]) -> Iterator[Path | Rejected | Skipped]:
    """Every input file under ``paths``, sorted, never following a symlink out of its tree.

    Never raises: a path that cannot be examined (a link loop, a dangling link, a pipe or device,
    a folder that vanished or cannot be listed mid-walk) becomes a :class:`Rejected` naming it."""
    for root in paths:
        shown = display_path(root)
        try:
            info = os.lstat(root)
        except FileNotFoundError:
            yield Rejected(shown, "no such file or folder.", "check the path")
            continue
        except OSError as exc:
            yield Rejected(shown, f"cannot be examined ({_why(exc)}).", "check the path and its permissions")
            continue
        if stat.S_ISLNK(info.st_mode):
            yield Rejected(shown, "is a symbolic link; inputs are never read through links.",
                           "pass the real file instead")
        elif stat.S_ISDIR(info.st_mode):
            yield from _walk(root, os.path.realpath(root))
        elif stat.S_ISREG(info.st_mode):
            yield root
        else:
            yield _special(shown)


def _why(exc: OSError) -> str:
    """An OSError as a short reason: 'Permission denied', not '[Errno 13] ...: path'."""
    return exc.strerror or type(exc).__name__


def _special(shown: str) -> Rejected:
    # A FIFO or device would block or never end: never open one.
    return Rejected(shown, "is not a regular file (pipe, socket or device).", "pass a plain file")


def _walk(folder: Path, base: str) -> Iterator[Path | Rejected | Skipped]:
    """The entries of ``folder`` (recursively, sorted by name); ``base`` is the real path of the
    input folder, which links must stay inside."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:  # removed or made unreadable since it was found
        yield Rejected(display_path(folder), f"folder cannot be listed ({_why(exc)}); its files were not read.",
                       "check that it exists and is readable, then run again")
        return
    for entry in entries:
        path = Path(entry.path)
        shown = display_path(path)
        try:
            if entry.name.startswith("."):
                if not entry.is_dir(follow_symlinks=False):
                    yield Skipped(shown, "hidden file")
            elif entry.is_symlink():
                yield _link(path, base)
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(path, base)
            elif path.suffix.lower() not in SUPPORTED:
                yield Skipped(shown, f"not an input type ({', '.join(sorted(SUPPORTED))})")
            elif entry.is_file(follow_symlinks=False):
                yield path
            else:
                yield _special(shown)
        except OSError as exc:  # vanished between the listing and this look at it
            yield Rejected(shown, f"cannot be examined ({_why(exc)}).", "check that it exists, then run again")


def _link(path: Path, base: str) -> Path | Rejected | Skipped:
    """A symbolic link found in an input folder: its path when it leads to an input file inside
    the folder, else why it is not read. Loops and dangling links are reported, never followed."""
    shown = display_path(path)
    try:
        target = os.stat(path)  # follows the link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejected(shown, "is a symbolic link loop (it leads back to itself).", "remove the link")
        if exc.errno == errno.ENOENT:
            return Rejected(shown, "is a dangling symbolic link (its target does not exist).",
                            "remove the link or restore its target")
        return Rejected(shown, f"is a symbolic link that cannot be followed ({_why(exc)}).", "remove the link")
    real = os.path.realpath(path)
    if os.path.commonpath([real, base]) != base:
        return Rejected(shown, "is a symbolic link pointing outside the input folder.",
                        "copy the file into the folder instead of linking it")
    if stat.S_ISDIR(target.st_mode):
        return Skipped(shown, "link to a folder inside the input folder (its files are read there)")
    if path.suffix.lower() not in SUPPORTED:
        return Skipped(shown, f"not an input type ({', '.join(sorted(SUPPORTED))})")
    if not stat.S_ISREG(target.st_mode):
        return _special(shown)
    return path


def read_bytes(path: Path) -> bytes | Rejected:
    """The bytes of a regular file of at most MAX_INPUT_BYTES; anything else is a Rejected.

    What is checked is the file actually opened (``fstat`` of the open descriptor), so a file
    swapped for a pipe, a folder or a bigger file since it was listed is refused, not read."""
    shown = display_path(path)
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since it was listed, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return Rejected(shown, "disappeared before it could be read (moved or deleted during the run).",
                        "run again once the inbox has settled")
    except IsADirectoryError:
        return Rejected(shown, "is a folder named like an input file.", "rename it or pass the files inside")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejected(shown, "is a symbolic link loop (it leads back to itself).", "remove the link")
        return Rejected(shown, f"cannot be read ({_why(exc)}).", "check its permissions")
    try:
        info = os.fstat(fd)
        refused = _not_readable(shown, info)
        if refused is not None:
            os.close(fd)
            return refused
        with os.fdopen(fd, "rb") as fh:
            # The size fstat gave and one byte more (to see growth), not a buffer of the limit:
            # read(MAX_INPUT_BYTES + 1) allocates 16 MiB for every file (0.37 ms a Reuters story
            # instead of 0.09 ms). A file that grew is read on, up to the limit, as before.
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += fh.read(MAX_INPUT_BYTES + 1 - len(data))
    except OSError as exc:
        return Rejected(shown, f"cannot be read ({_why(exc)}).", "check its permissions")
    if len(data) > MAX_INPUT_BYTES:  # grew while being read
        return _too_big(shown, "is over")
    return data


def _not_readable(shown: str, info: os.stat_result) -> Rejected | None:
    """Why the open file described by ``info`` is not read, or None."""
    if stat.S_ISDIR(info.st_mode):
        return Rejected(shown, "is a folder named like an input file.", "rename it or pass the files inside")
    if not stat.S_ISREG(info.st_mode):
        return _special(shown)
    if info.st_size > MAX_INPUT_BYTES:
        return _too_big(shown, f"is {info.st_size / 2**20:.1f} MiB, over")
    return None


def _too_big(shown: str, what: str) -> Rejected:
    return Rejected(shown, f"{what} the {MAX_INPUT_BYTES // 2**20} MiB limit for one input (not read).",
                    "split it or extract the article text first")
