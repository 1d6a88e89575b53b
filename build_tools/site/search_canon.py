"""Pagefind's bundle in one order: two builds of the same site give the same bytes and file names.

Pagefind (1.5) writes its filter indexes and its metadata file in the iteration order of Rust hash
maps, which is seeded at random in every process: the same filters and values come out in another
order on each run, so the filter files and the metadata file change bytes, and so names (their
names carry a hash of their content), and ``pagefind-entry.json`` with them. Fragments and word
index chunks are stable (Pagefind 1.3 fixed those; the maintainer says the filter and metadata
indexes still vary: Pagefind issue #638). Evidence: two builds of the sample archive, decoded,
hold the same filters with the same pages, listed in different orders.

:func:`canonicalise` rewrites those files with the filters sorted by name and each filter's values
sorted, then renames them by a hash of the new content and points the metadata and the entry file
at the new names. The order carries no meaning for Pagefind's search script, which reads filters
into maps. Nothing else in the bundle is touched.

The files are gzip-compressed CBOR after a ``pagefind_dcd`` signature. Only the CBOR Pagefind uses
there is read (unsigned and negative integers, text, arrays); a bundle in any other form (another
Pagefind version) is left as Pagefind wrote it, and :func:`canonicalise` returns False.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

from build_tools.store.writer import atomic_write

SIGNATURE = b"pagefind_dcd"
"""What Pagefind puts before the CBOR of every compressed file."""

FILTER_HASH_CHARS = 7
META_HASH_CHARS = 10
"""Lengths of the content hash in Pagefind's own names (``en_1a2b3c4.pf_filter``,
``pagefind.en_1a2b3c4d5e.pf_meta``); kept, so the names look like Pagefind's."""

META_FILTERS = 3
META_SORTS = 4
"""Positions in the metadata array: [version, pages, index chunks, filters [[name, file]],
sorts [[name, page order]], ...]."""

Cbor = int | str | list["Cbor"]


class UnknownFormat(ValueError):
    """A file that is not the CBOR this module knows (a newer Pagefind)."""


def decode(data: bytes) -> Cbor:
    if not data.startswith(SIGNATURE):
        raise UnknownFormat("no pagefind_dcd signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise UnknownFormat("bytes after the CBOR value")
    return value


def _decode(data: bytes, i: int) -> tuple[Cbor, int]:
    if i >= len(data):
        raise UnknownFormat("truncated")
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise UnknownFormat(f"CBOR length form {info}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items: list[Cbor] = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise UnknownFormat(f"CBOR major type {major}")


def encode(value: Cbor) -> bytes:
    return SIGNATURE + _encode(value)


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise UnknownFormat("integer too large")


def _encode(value: Cbor) -> bytes:
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)


def read(path: Path) -> Cbor:
    """The value of one of Pagefind's compressed files (metadata, filter)."""
    try:
        return decode(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise UnknownFormat(f"{path.name}: {exc}") from None


def _write(folder: Path, prefix: str, stem: str, chars: int, suffix: str, value: Cbor) -> str:
    """Write ``value`` as ``folder/<prefix><stem>_<hash><suffix>``; returns ``<stem>_<hash>``."""
    data = encode(value)
    name = f"{stem}_{hashlib.sha256(data).hexdigest()[:chars]}"
    atomic_write(folder / f"{prefix}{name}{suffix}", gzip.compress(data, compresslevel=9, mtime=0), durable=False)
    return name


def _by_name(items: Cbor) -> list[Cbor]:
    """``items`` ([[name, ...], ...]) sorted by name."""
    if not isinstance(items, list):
        raise UnknownFormat("expected a list")
    return sorted(items, key=_name)


def _name(item: Cbor) -> str:
    if not isinstance(item, list) or not item or not isinstance(item[0], str):
        raise UnknownFormat("expected [name, ...]")
    return item[0]


def _pairs(items: Cbor) -> list[tuple[str, str]]:
    """[[name, file], ...] sorted by name, as (name, file)."""
    out = []
    for item in _by_name(items):
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], str):
            raise UnknownFormat("expected [name, file]")
        out.append((_name(item), item[1]))
    return out


def canonicalise(bundle: Path) -> bool:
    """Rewrite the filter and metadata files of ``bundle`` (``site/assets/pagefind``) in sorted order.
    False, and the bundle untouched, when its files are not in the form this module knows."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text("utf-8"))
        plan = [_plan(bundle, str(lang["hash"])) for lang in entry["languages"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # UnknownFormat is a ValueError
        return False
    stale: set[Path] = set()
    written: set[Path] = set()
    for lang, (old_meta, meta, filters) in zip(entry["languages"].values(), plan, strict=True):
        stem = str(lang["hash"]).rsplit("_", 1)[0]
        renamed = {}
        for old_name, value in filters.items():
            renamed[old_name] = _write(bundle / "filter", "", stem, FILTER_HASH_CHARS, ".pf_filter", value)
            stale.add(bundle / "filter" / f"{old_name}.pf_filter")
            written.add(bundle / "filter" / f"{renamed[old_name]}.pf_filter")
        meta[META_FILTERS] = [[name, renamed[file]] for name, file in _pairs(meta[META_FILTERS])]
        meta[META_SORTS] = _by_name(meta[META_SORTS])
        lang["hash"] = _write(bundle, "pagefind.", stem, META_HASH_CHARS, ".pf_meta", meta)
        stale.add(old_meta)
        written.add(bundle / f"pagefind.{lang['hash']}.pf_meta")
    atomic_write(entry_file, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                 durable=False)
    for path in stale - written:
        os.unlink(path)
    return True


def _plan(bundle: Path, meta_hash: str) -> tuple[Path, list[Cbor], dict[str, list[Cbor]]]:
    """(metadata file, its content, {filter file name: its content with the values sorted})."""
    meta_file = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read(meta_file)
    if not isinstance(meta, list) or len(meta) <= META_SORTS:
        raise UnknownFormat("metadata is not [version, pages, chunks, filters, sorts, ...]")
    filters: dict[str, list[Cbor]] = {}
    for _filter, file in _pairs(meta[META_FILTERS]):
        value = read(bundle / "filter" / f"{file}.pf_filter")
        if not isinstance(value, list) or len(value) != 2:
            raise UnknownFormat("a filter is not [name, values]")
        filters[file] = [value[0], _by_name(value[1])]
    _by_name(meta[META_SORTS])
    return meta_file, meta, filters
