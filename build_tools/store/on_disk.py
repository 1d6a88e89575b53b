"""What ingest knows of the briefings folder before it writes: every briefing already there, by
id and input hash, and every name taken (``scan_existing``), read from the archive index the last
run left (``.briefings-cache/archive-index.json``) for each file whose stamp is unchanged, so only
new and changed files are read again. A briefing whose front matter an editor broke still tells
which article it holds (``recognise_broken``), so ingest leaves it alone instead of writing a twin."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from build_tools.model import Origin
from build_tools.store import briefing as bfile
from build_tools.store import dedupe, stamps
from build_tools.store.ingest_cache import read_compiled, write_compiled
from build_tools.store.stamps import Stamp, stamp


@dataclass
class Existing:
    """What ingest needs to know about a briefing already on disk."""

    path: PurePosixPath
    id: str | None
    input_hashes: set[str]
    edited: bool
    origins: list[Origin] = field(default_factory=list)
    signature: dedupe.Signature | None = None
    """Of its body, as near-duplicate search reads it (None: not read, or no readable body)."""


@dataclass
class OnDisk:
    """The briefings folder before this run: briefings by id and input hash, and taken names."""

    by_id: dict[str, Existing] = field(default_factory=dict)
    by_hash: dict[str, Existing] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    """Every relative path in the folder (any file type), case-folded."""

    def take(self, rel: PurePosixPath) -> None:
        self.taken.add(rel.as_posix().casefold())

    def is_taken(self, rel: PurePosixPath) -> bool:
        return rel.as_posix().casefold() in self.taken

    def add(self, entry: Existing) -> None:
        """One briefing (in path order: the first of an id or hash wins)."""
        if entry.id is not None:
            self.by_id.setdefault(entry.id, entry)
        for h in entry.input_hashes:
            self.by_hash.setdefault(h, entry)


ARCHIVE_INDEX = "archive-index.json"
"""What every briefing on disk told the last run (``Indexed``), in ``.briefings-cache/``."""


@dataclass(frozen=True)
class Indexed:
    """What one file of the briefings folder tells ingest: the archive index's entry for it, valid
    while the file keeps its stamp (``store/stamps``: an untrusted one never matches)."""

    stamp: Stamp | None
    id: str | None
    origins: list[Origin]
    edited: bool
    listed: bool
    """False for a file ingest ignores (not a briefing, no id and no input hash)."""
    signature: dedupe.Signature | None
    """Of the body ``dedupe.load_existing`` reads; None when it cannot read one (or the file is not listed)."""
    digest: bytes | None = None
    """sha256 of the file's bytes: tells an unchanged file when its stamp is too recent to trust."""

    def existing(self, rel: PurePosixPath) -> Existing:
        hashes = {o.input_hash for o in self.origins if o.input_hash}
        return Existing(rel, self.id, hashes, self.edited, list(self.origins), self.signature)

    def as_json(self) -> list[Any]:
        sig = self.signature
        return [None if self.stamp is None else self.stamp.as_json(), self.id, [o.as_yaml() for o in self.origins],
                self.edited, self.listed, None if sig is None else [sig.shingles, list(sig.bands)],
                None if self.digest is None else self.digest.hex()]

    @classmethod
    def from_json(cls, raw: Any) -> Indexed:
        """Raises TypeError/ValueError/KeyError for anything but what :meth:`as_json` wrote."""
        stamp, bid, origins, edited, listed, sig, digest = raw
        if not (isinstance(bid, str | None) and isinstance(edited, bool) and isinstance(listed, bool)
                and isinstance(origins, list) and all(isinstance(o, dict) for o in origins)):
            raise TypeError("not an archive index entry")
        signature = None if sig is None else dedupe.Signature(int(sig[0]), tuple(str(b) for b in sig[1]))
        return cls(None if stamp is None else Stamp.from_json(stamp), bid, [Origin.from_yaml(o) for o in origins],
                   edited, listed, signature, None if digest is None else bytes.fromhex(digest))


ArchiveIndex = dict[str, Indexed]
"""Briefing path (relative to the briefings folder) -> what it told the last run."""


def load_index(root: Path, version: str) -> ArchiveIndex:
    """The archive index the last run of this pipeline ``version`` left; {} when there is none, or
    it is stale or damaged."""
    raw = read_compiled(root, ARCHIVE_INDEX, version)
    try:
        return {str(k): Indexed.from_json(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    except (TypeError, ValueError, KeyError):
        return {}


def save_index(root: Path, version: str, index: ArchiveIndex) -> None:
    write_compiled(root, ARCHIVE_INDEX, version, {k: v.as_json() for k, v in sorted(index.items())})


def read_briefing(data: bytes, stamp: Stamp | None) -> Indexed:
    """What a briefing file's bytes tell ingest (the slow part of a scan: YAML, checksum, MinHash)."""
    text = data.decode("utf-8", "replace")
    digest = hashlib.sha256(data).digest()
    try:
        meta = bfile.load_front_matter(text).meta
    except Exception:  # broken front matter (any error at all): an editor's file we must not touch
        meta = recognise_broken(text)
        edited = True
    else:
        edited = bfile.is_hand_edited(text)
    if not isinstance(meta, dict):
        return Indexed(stamp, None, [], edited, False, None, digest)
    origins = [Origin.from_yaml(o) for o in meta.get("origins") or []
               if isinstance(o, dict)] if isinstance(meta.get("origins"), list) else []
    bid = meta.get("id") if isinstance(meta.get("id"), str) else None
    listed = bid is not None or any(o.input_hash for o in origins)
    signature = None
    if listed and bid is not None:  # dedupe reads the bodies of briefings with an id (load_existing)
        try:
            signature = dedupe.signature(bfile.split(data.decode("utf-8")).body)
        except (UnicodeDecodeError, ValueError):
            signature = None
    return Indexed(stamp, bid, origins, edited, listed, signature, digest)


def scan_existing(root: Path, index: ArchiveIndex | None = None) -> OnDisk:
    """What is in ``root`` already. Every path counts as taken, even files ingest cannot parse:
    those are an editor's, and ingest never writes over them.

    With ``index`` (the archive index, updated in place), a briefing whose size and modification
    time are the ones recorded is not read again: only new and changed files are, and entries of
    deleted files are dropped. Without it, every briefing is read (the reference behaviour)."""
    disk = OnDisk()
    if not root.is_dir():
        if index is not None:
            index.clear()
        return disk
    seen: set[str] = set()
    for path in sorted(root.rglob("*")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        disk.take(rel)
        if path.suffix != ".md" or path.is_symlink() or not path.is_file():
            continue
        key = rel.as_posix()
        st = stamp(path)
        known = index.get(key) if index is not None else None
        verified = stamps.unchanged(path, known.stamp, known.digest) if known is not None else None
        if known is not None and verified is not None:
            entry, st = replace(known, stamp=verified), verified
        else:
            try:
                entry = read_briefing(path.read_bytes(), st)
            except OSError:
                continue
        if index is not None and st is not None:
            index[key] = entry
            seen.add(key)
        if entry.listed:
            disk.add(entry.existing(rel))
    if index is not None:
        for gone in set(index) - seen:
            del index[gone]
    return disk


_ID_LINE_RE = re.compile(r"""^id:[ \t]*['"]?([A-Za-z0-9_-]{1,64})['"]?[ \t]*$""", re.MULTILINE)
_HASH_LINE_RE = re.compile(r"""input_hash:[ \t]*['"]?([0-9a-f]{64})\b""")


def recognise_broken(text: str) -> dict[str, object] | None:
    """id and origins of a briefing whose front matter an editor broke, read from its lines, so
    ingest still knows which article it holds (and leaves it alone instead of writing a twin)."""
    if not text.startswith("---"):
        return None
    found = _ID_LINE_RE.search(text)
    hashes = _HASH_LINE_RE.findall(text)
    if not found and not hashes:
        return None
    return {"id": found.group(1) if found else None, "origins": [{"input_hash": h} for h in hashes]}
