"""The only code that writes files: atomically, inside one root folder, each path once per run."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from build_tools.errors import LockHeld, WriteRefused
from build_tools.store import stamps
from build_tools.store.stamps import Stamp


class Written(NamedTuple):
    stamp: Stamp
    digest: bytes
    """sha256 of the bytes written."""


class Writer:
    """Writes files under ``root``. Refuses paths outside it, through symlinks, or twice in a run.

    ``write`` leaves a file untouched (bytes and mtime) when its content is already right, and
    reports whether it changed, so rebuilds can count what really changed.
    """

    def __init__(self, root: Path, durable: bool = True, known: dict[str, Written] | None = None) -> None:
        self.root = root
        self.known = known or {}
        """What an earlier run wrote (``outputs``): a file whose stamp is the one recorded there
        holds those bytes, so it is compared by digest without being read."""
        self.outputs: dict[str, Written] = {}
        """Every file this run wrote or found right: path -> stamp and digest (for the next run)."""
        self.durable = durable
        """False for files rebuilt from others on every run (generated docs pages): no fsync,
        still atomic. At 10,000 briefings (~25,000 pages) fsync alone took minutes."""
        self.written: set[PurePosixPath] = set()
        self._claimed: set[str] = set()
        """``written`` as posix strings (``keep`` and ``prune`` test thousands of paths)."""
        self._base: Path | None = None
        """``root`` resolved, once it exists (``target``)."""
        self._safe_folders: set[PurePosixPath] = set()
        self._safe_names: set[str] = set()
        """``_safe_folders`` as posix strings ('.' for ``root`` itself)."""
        """Folders under ``root`` checked in this run: no part a symbolic link, inside ``root``."""
        self.changed = 0
        self.unchanged = 0

    def sync(self) -> None:
        """Flush everything written so far to disk (one call at the end of a non-durable run)."""
        if self.changed:
            os.sync()

    def target(self, rel: PurePosixPath | str) -> Path:
        """``root/rel``, refused when ``rel`` is not a plain relative path or any part of it is a
        symbolic link. A folder found safe is remembered for the rest of the run (one run writes
        thousands of pages into a few hundred folders); the file itself is checked every time."""
        rel = PurePosixPath(rel)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts or any(p in ("", ".") for p in rel.parts):
            raise WriteRefused(f"refusing to write {str(rel)!r}: not a plain path inside {self.root}")
        if self._base is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._base = self.root.resolve()
        base = self._base
        folder = rel.parent
        if folder not in self._safe_folders:
            probe = base
            for part in folder.parts:
                probe = probe / part
                if probe.is_symlink():
                    raise WriteRefused(f"refusing to write {rel}: {probe} is a symbolic link")
            if not (base / folder).resolve().is_relative_to(base):
                raise WriteRefused(f"refusing to write {rel}: it resolves outside {self.root}")
            self._safe_folders.add(folder)
            self._safe_names.add(folder.as_posix())
        path = base.joinpath(*rel.parts)
        if path.is_symlink():
            raise WriteRefused(f"refusing to write {rel}: {path} is a symbolic link")
        return path

    def write(self, rel: PurePosixPath | str, text: str, staged: str | None = None) -> bool:
        """Write ``text`` to ``root/rel`` atomically; False when the file already held it.

        ``staged``: a temporary file (:func:`stage`) already holding ``text``'s bytes, written by
        another process on the same file system: when the file must change, it is renamed into
        place instead of writing the bytes again (same bytes, same atomic rename). A durable writer
        writes the bytes itself (the staged copy was never synced)."""
        rel = PurePosixPath(rel)
        if rel in self.written:
            raise WriteRefused(f"refusing to write {rel} twice in one run (two pages claim the same path)")
        path = self.target(rel)
        self.written.add(rel)
        self._claimed.add(rel.as_posix())
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).digest()
        key = rel.as_posix()
        before = self.known.get(key)
        if before is not None and before.digest == digest:
            verified = stamps.unchanged(path, before.stamp, digest)
            if verified is not None:
                self.outputs[key] = Written(verified, digest)
                self.unchanged += 1
                return False
        now = stamps.stamp(path)
        try:
            if now is not None and now.size == len(data) and path.read_bytes() == data:
                self.outputs[key] = Written(now, digest)
                self.unchanged += 1
                return False
        except OSError:
            pass
        if staged is None or self.durable or not _move_staged(staged, path, len(data)):
            atomic_write(path, data, durable=self.durable)
        after = stamps.stamp(path)
        if after is not None:
            self.outputs[key] = Written(after, digest)
        self.changed += 1
        return True

    def keep(self, rels: Sequence[str]) -> bool:
        """Keep files an earlier run wrote (``known``) as they are, when each still holds what it
        wrote (``stamps.unchanged``): counted as unchanged, as if written again. False, and nothing
        kept, when one is unknown, missing, changed, or already claimed in this run."""
        found = []
        for rel in rels:
            before = self.known.get(rel)
            if before is None or rel in self._claimed:
                return False
            folder = rel.rpartition("/")[0] or "."
            if self._base is None or folder not in self._safe_names:
                path: Path | str = self.target(rel)  # checks the folder once, as ``write`` does
            else:
                path = f"{self._base}/{rel}"
                if os.path.islink(path):
                    return False
            verified = stamps.unchanged(path, before.stamp, before.digest)
            if verified is None:
                return False
            found.append((rel, Written(verified, before.digest)))
        for rel, written in found:
            self.written.add(PurePosixPath(rel))
            self._claimed.add(rel)
            self.outputs[rel] = written
            self.unchanged += 1
        return True

    def prune(self, folders: list[str]) -> int:
        """Delete files under ``root/folder`` that this run did not write (stale generated pages)."""
        removed = 0
        for folder in folders:
            top = self.root / folder
            if not top.is_dir() or top.is_symlink():
                continue
            root = os.path.join(str(self.root), "")
            for dirpath, _dirnames, filenames in os.walk(top, topdown=False):
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    if path.removeprefix(root).replace(os.sep, "/") not in self._claimed:
                        os.unlink(path)
                        removed += 1
                with contextlib.suppress(OSError):
                    Path(dirpath).rmdir()  # only succeeds when empty
        return removed


TEMP_SUFFIX = ".tmp"
"""Temporary files are ``.<name>.<random>.tmp`` beside their target: hidden, so neither the
archive nor MkDocs ever reads one, and removed by the next run if a kill left one behind."""


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write through a temporary file in the same folder, fsync, then rename over the target.

    A kill at any moment leaves either the old file or the new one, never a mix: ``os.replace``
    is atomic on POSIX and Windows. The rename replaces a symlink itself, never its target.
    The file gets the mode the umask gives a new file (``FILE_MODE & ~umask``, 0644 under the usual
    022), as ``open(path, "w")`` would: a web server or a colleague can read what the umask lets them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def stage(folder: Path, name: str, text: str) -> str | None:
    """Write ``text`` to a new hidden temporary file in ``folder`` (a folder the caller checked, in the
    root a :class:`Writer` will move it into: ``Writer.write(..., staged=)``); its path, or None when
    it cannot be written (the writer then writes the text itself). The file gets the mode
    ``atomic_write`` gives, and a kill leaves it to :func:`clear_stale_temp_files`."""
    fd: int | None = None
    tmp = ""
    try:
        fd, tmp = _create_temp(folder / name)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(text.encode("utf-8"))
    except (OSError, UnicodeEncodeError):
        if fd is not None:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return None
    return tmp


def _move_staged(staged: str, path: Path, size: int) -> bool:
    """Rename the staged file over ``path``; False (the staged file left alone) when it is not a
    regular file of ``size`` bytes or cannot be moved there (another file system, say)."""
    try:
        info = os.lstat(staged)
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, path)
    except OSError:
        return False
    return True


FILE_MODE = 0o666
"""Mode asked for when creating a file; the kernel takes the umask off (``tempfile.mkstemp`` asks
for 0600 whatever the umask, so files written through it were readable by their owner only)."""


def _create_temp(path: Path) -> tuple[int, str]:
    """A new, empty, hidden temporary file beside ``path``, opened for writing: (fd, its path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = str(path.parent / f".{path.name[:40]}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, FILE_MODE), tmp
        except FileExistsError:  # a name already taken (one in 4 billion): draw another
            continue


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after must not undo it)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def clear_stale_temp_files(root: Path) -> int:
    """Remove temporary files left by a killed run (they never replaced a real file)."""
    removed = 0
    if root.is_dir():
        for tmp in root.rglob(f".*{TEMP_SUFFIX}"):
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
                removed += 1
    return removed


class FolderLock:
    """An exclusive lock on a folder, so two ingests cannot interleave their writes."""

    def __init__(self, folder: Path, name: str = ".briefings.lock") -> None:
        self.path = folder / name
        self.fh: int | None = None

    def __enter__(self) -> FolderLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_NOFOLLOW: a lock file replaced by a symlink must not make us create a file elsewhere.
            self.fh = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise LockHeld(f"{self.path}: cannot open the lock file ({exc.strerror}); "
                           "remove it if it is a link or a folder, then run again") from None
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fh)
            self.fh = None
            raise LockHeld(f"{self.path.parent}: another ingest is running on this folder (lock {self.path.name}); "
                           "wait for it to finish and run again") from None
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            os.close(self.fh)
            self.fh = None
