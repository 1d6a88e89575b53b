"""Has a file changed since it was last looked at? One stamp type and one trust rule for every cache.

Every cache of the project (the ingest cache, the archive index, the parse cache, the writer's
record of generated pages, the render cache) decides "unchanged" by comparing a file's stamp
now with the stamp it recorded: size, modification and change times, inode. A stamp can only
be trusted when the file was last changed long enough before the stamp was taken: a second
write within the same tick of the file system's clock, with the same size, leaves every field
as it was (the "racy clean" case git guards against). So a :class:`Stamp` taken too soon after
the file changed is *untrusted*, and an untrusted stamp never equals anything, itself included:
the file counts as changed and is read again, and the digest of its bytes decides
(:func:`unchanged`, :func:`digested`: a fingerprint is made of digests, never of stamps). The rule
lives in ``__eq__``, so no caller can compare stamps without it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

RACY_SECONDS = 2.0
"""A stamp is trusted only if the file was last changed (mtime and ctime) at least this long before
the stamp was taken. File system clocks tick in a few milliseconds (ext4, tmpfs, overlayfs) to two
seconds (FAT, some network shares); two seconds covers them all."""


@dataclass(frozen=True, slots=True, eq=False)
class Stamp:
    """What a file's metadata says of its content, taken at one moment."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    trusted: bool
    """False when the file changed less than ``RACY_SECONDS`` before the stamp was taken."""

    def fields(self) -> tuple[int, int, int, int]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode)

    def __eq__(self, other: object) -> bool:
        """Equal only when both stamps are trusted and every field is the same."""
        if not isinstance(other, Stamp):
            return NotImplemented
        return self.trusted and other.trusted and self.fields() == other.fields()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self.fields())

    def __reduce__(self) -> tuple[type[Stamp], tuple[int, int, int, int, bool]]:
        """Pickled as its constructor's arguments: the caches hold tens of thousands of stamps, and
        the dataclass' own state functions cost about ten times as much to load (``fields()`` per
        stamp)."""
        return (Stamp, (*self.fields(), self.trusted))

    def as_json(self) -> list[Any]:
        return [*self.fields(), self.trusted]

    @classmethod
    def from_json(cls, raw: Any) -> Stamp:
        """Raises TypeError/ValueError for anything but what :meth:`as_json` wrote."""
        if not isinstance(raw, list) or len(raw) != 5 or not isinstance(raw[4], bool):
            raise ValueError(f"not a stamp: {raw!r}")
        return cls(int(raw[0]), int(raw[1]), int(raw[2]), int(raw[3]), raw[4])


def of(info: os.stat_result, now: float | None = None) -> Stamp:
    """The stamp of a file from its ``stat``; ``now`` (default: the clock) is when it is taken."""
    taken = time.time() if now is None else now
    latest = max(info.st_mtime, info.st_ctime)
    trusted = taken - latest >= RACY_SECONDS
    return Stamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, trusted)


def stamp(path: Path | str) -> Stamp | None:
    """The stamp of the regular file at ``path`` (following links), None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return of(info) if stat.S_ISREG(info.st_mode) else None


def unchanged(path: Path | str, recorded: Stamp | None, digest: bytes | None = None) -> Stamp | None:
    """The file's stamp now if it still holds what was recorded, else None.

    Equal trusted stamps prove it at once. When the recorded stamp cannot be trusted, ``digest``
    (sha256 of the bytes recorded) decides, by reading the file; without a digest the file counts
    as changed. The stamp returned can replace the recorded one, so a file verified once by its
    bytes is trusted by its stamp next time."""
    now = stamp(path)
    if now is None or recorded is None:
        return None
    if now == recorded:
        return now
    if digest is None or now.size != recorded.size:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return now if hashlib.sha256(data).digest() == digest else None


class Digested(NamedTuple):
    """A file's content digest and the stamp it had when it was read."""

    stamp: Stamp
    digest: bytes
    """sha256 of its bytes."""


def digested(path: Path | str, prior: Digested | None) -> Digested | None:
    """The sha256 of the file's bytes: ``prior``'s while the file keeps its (trusted) stamp, read
    and hashed otherwise; None when there is no regular file at ``path``. A fingerprint made of
    these is exact, and the same whether the stamps it came from could be trusted or not."""
    now = stamp(path)
    if now is None:
        return None
    if prior is not None and prior.stamp == now:
        return prior
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return Digested(now, hashlib.sha256(data).digest())


__all__ = ["RACY_SECONDS", "Digested", "Stamp", "digested", "of", "stamp", "unchanged"]
