"""Gather: read every briefing into one registry before anything is linked or written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from build_tools.model import Briefing
from build_tools.store import briefing as bfile
from build_tools.store import stamps
from build_tools.store.stamps import Stamp
from build_tools.text import display_path

MAX_BRIEFING_BYTES = 2 * 1024 * 1024
"""A briefing file larger than this is refused (an article is a few KB; hostile files are not)."""

SAFE_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(?:\.md)?$")
"""A briefing's path becomes its URL: every folder and file name must be a plain web-safe slug
(no spaces, quotes, '#', '?', '<', control characters or leading dot), at most 100 characters."""


@dataclass
class Archive:
    """Every valid briefing, plus the problems found in the others."""

    briefings: list[Briefing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per problem that keeps a briefing off the site: 'path:line: message'."""
    warnings: list[str] = field(default_factory=list)
    by_id: dict[str, Briefing] = field(default_factory=dict)

    def newest_first(self) -> list[Briefing]:
        return sorted(self.briefings, key=sort_key, reverse=True)

    def oldest_first(self) -> list[Briefing]:
        return sorted(self.briefings, key=sort_key)


EPOCH = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


def sort_key(b: Briefing) -> tuple[dt.datetime, str]:
    return (b.date or EPOCH, b.id)


class Parsed(NamedTuple):
    """What parsing one briefing file gave, remembered by the build cache (``store/build_cache``)."""

    digest: str
    """sha256 of the file's bytes: the file is parsed again only when they change."""
    briefing: Briefing | None
    errors: list[bfile.Problem]
    warnings: list[bfile.Problem]
    last_good: Briefing | None
    """The newest version of this file that parsed without errors (``keep_last_good``)."""
    stamp: Stamp | None = None
    """The file's stamp when read (``store/stamps``: an untrusted one never matches)."""


ParseCache = dict[str, Parsed]
"""Docs-relative briefing path -> its last parse."""


def parse_file(data: bytes, rel: PurePosixPath, cache: ParseCache | None, stamp: Stamp | None = None) -> Parsed:
    """Parse a briefing's bytes (already known to be UTF-8), reusing ``cache`` when they are unchanged."""
    digest = hashlib.sha256(data).hexdigest()
    key = rel.as_posix()
    old = cache.get(key) if cache is not None else None
    if old is not None and old.digest == digest:
        if cache is not None:
            cache[key] = old._replace(stamp=stamp)  # the newer stamp (perhaps trusted by now) is remembered
        return old
    b, errors, warnings = bfile.parse(data.decode("utf-8"), Path(rel))
    last_good = b if b is not None and not errors else (old.last_good if old is not None else None)
    parsed = Parsed(digest, b, errors, warnings, last_good, stamp)
    if cache is not None:
        cache[key] = parsed
    return parsed


def load_archive(root: Path, cache: ParseCache | None = None, keep_last_good: bool = False) -> Archive:
    """Every briefing under ``root``. ``cache`` (read and updated): files whose bytes are unchanged
    are not parsed again. ``keep_last_good`` (the live preview): a briefing that no longer parses
    keeps the last version that did, so its page stays while the error is reported."""
    archive = Archive()
    if not root.is_dir():
        archive.errors.append(f"{root}: the briefings folder does not exist; run 'briefings ingest' first")
        return archive
    base = root.resolve()
    seen: set[str] = set()
    for path in sorted(root.rglob("*.md")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        seen.add(rel.as_posix())
        shown = display_path(f"{root.name}/{rel}")
        if any(part.startswith(".") for part in rel.parts):
            continue
        if not all(SAFE_PART_RE.match(part) for part in rel.parts):
            archive.errors.append(f"{shown}: the file name is not a web-safe slug (use letters, digits, '-' and "
                                  "'_' only, at most 100 characters); rename it, it is not published")
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(base):
            archive.errors.append(f"{shown}: is a symbolic link pointing outside the briefings folder; "
                                  "it is not published (replace it with a real file)")
            continue
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                archive.errors.append(f"{shown}: is not a regular file; not published")
                continue
            if info.st_size > MAX_BRIEFING_BYTES:
                archive.errors.append(f"{shown}: is larger than {MAX_BRIEFING_BYTES // 2**20} MiB; not published")
                continue
            stamp = stamps.of(info)
            known = cache.get(rel.as_posix()) if cache is not None else None
            if known is not None and known.stamp == stamp:
                data = b""  # unchanged since it was read: its parse is reused, the file is not read again
            else:
                data = path.read_bytes()
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            archive.errors.append(f"{shown}:{line}: byte 0x{data[exc.start]:02x} is not UTF-8 (the file was saved in "
                                  "another encoding, such as Latin-1 or Windows-1252); save it as UTF-8")
            continue
        except OSError as exc:
            archive.errors.append(f"{shown}: cannot be read ({exc.strerror})")
            continue
        del text
        parsed = known if known is not None and known.stamp == stamp else (
            parse_file(data, rel, cache, stamp))
        b = parsed.briefing
        archive.errors.extend(p.format(shown) for p in parsed.errors)
        archive.warnings.extend(p.format(shown) for p in parsed.warnings)
        if b is None and keep_last_good and parsed.last_good is not None:
            b = parsed.last_good
            archive.warnings.append(f"{shown}: the preview shows its last version without errors until they are fixed")
        if b is None:
            continue
        if b.id in archive.by_id:
            other = archive.by_id[b.id]
            archive.errors.append(f"{shown}: id '{b.id}' is also used by {display_path(f'{root.name}/{other.path}')}; "
                                  "give one of them a new id")
            continue
        archive.by_id[b.id] = b
        archive.briefings.append(b)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return archive
