"""Gather: read every briefing into one registry before anything is linked or written."""

from __future__ import annotations

import datetime as dt
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from build_tools.model import Briefing
from build_tools.store import briefing as bfile
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


def load_archive(root: Path) -> Archive:
    archive = Archive()
    if not root.is_dir():
        archive.errors.append(f"{root}: the briefings folder does not exist; run 'briefings ingest' first")
        return archive
    base = root.resolve()
    for path in sorted(root.rglob("*.md")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
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
        b, errors, warnings = bfile.parse(text, Path(rel))
        archive.errors.extend(p.format(shown) for p in errors)
        archive.warnings.extend(p.format(shown) for p in warnings)
        if b is None:
            continue
        if b.id in archive.by_id:
            other = archive.by_id[b.id]
            archive.errors.append(f"{shown}: id '{b.id}' is also used by {display_path(f'{root.name}/{other.path}')}; "
                                  "give one of them a new id")
            continue
        archive.by_id[b.id] = b
        archive.briefings.append(b)
    return archive
