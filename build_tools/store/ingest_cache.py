"""Remember which inputs an ingest already turned into briefings, so the next run skips them.

The cache lives in ``<briefings>/.briefings-cache/ingest.json`` (git-ignored; the archive loader
skips dot-folders). It records, for each input file, its size and mtime and the input hashes it
produced, and for each briefing file its size, mtime and the input hashes in its origins.

An input is skipped, without being read, when all of these hold:

* its path, size and mtime are the ones recorded;
* the code, data and vocabulary of the pipeline are the ones that processed it (``pipeline_version``:
  after a change to extraction, tagging or the vocabulary, every input is processed again);
* every input hash it produced is still in a briefing on disk (a deleted briefing comes back).

Briefings whose size and mtime are unchanged are not re-read: only new or edited files are.
Inputs that were rejected, or whose content did not reach a briefing (kept hand edits), are
never recorded, so their messages repeat on every run.

The same folder keeps what ingest would otherwise recompute from unchanged files on every run
(:func:`read_compiled` / :func:`write_compiled`): the compiled vocabulary (``tag.entities``) and
the archive index (``store.dedupe``). Each is one JSON file whose first line names its format, the
key of the inputs it was computed from and the SHA-256 of the rest; a file with another key, a
wrong digest or a shape its reader rejects is ignored and recomputed, never trusted. JSON, not
pickle: a cache file that came in with a clone must not be able to run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from build_tools.errors import WriteRefused
from build_tools.model import Origin
from build_tools.store import briefing as bfile
from build_tools.store import stamps
from build_tools.store.stamps import Stamp, stamp
from build_tools.store.writer import Writer, Written, atomic_write

CACHE_DIR = ".briefings-cache"
CACHE_FILE = "ingest.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
"""The pipeline package (``build_tools/``): its code and data decide what ingest writes."""


def pipeline_version(vocabulary_files: tuple[Path, ...] = ()) -> str:
    """Hash of everything that changes ingest's output: every module of the pipeline package
    (recursively), its data files, and the vocabulary files in use. The measuring tools
    (``quality/``) live outside the package, so editing a gate or retraining on a fold never
    invalidates anyone's cache; retraining the shipped model (written to ``build_tools/data``) does."""
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in {".pyc", ".pyo"}
                   and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(vocabulary_files):
        digest.update(b"vocabulary/" + path.name.encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


COMPILED_FORMAT = 1
"""Format of the files :func:`write_compiled` writes; part of every key, so a new layout is a miss."""


def read_compiled(root: Path, name: str, key: str) -> Any | None:
    """The data :func:`write_compiled` stored under ``root/.briefings-cache/name`` for ``key``, or
    None when there is none, it was made from other inputs (another key), or it is damaged."""
    path = root / CACHE_DIR / name
    try:
        if path.is_symlink() or path.parent.is_symlink():  # as the writer refuses to write through one
            return None
        raw = path.read_bytes()
        head, _, payload = raw.partition(b"\n")
        header = json.loads(head)
        if (not isinstance(header, dict) or header.get("format") != COMPILED_FORMAT or header.get("key") != key
                or header.get("sha256") != hashlib.sha256(payload).hexdigest()):
            return None
        return json.loads(payload)
    except (OSError, ValueError):
        return None


def write_compiled(root: Path, name: str, key: str, data: Any) -> None:
    """Store ``data`` (plain JSON values) for :func:`read_compiled`, atomically (a temporary file
    renamed over the old one), through the writer's checks (no symlinked folder, never outside
    ``root``). A cache that cannot be written only costs time: errors are swallowed."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header = json.dumps({"format": COMPILED_FORMAT, "key": key, "sha256": hashlib.sha256(payload).hexdigest()})
    with contextlib.suppress(OSError, WriteRefused):
        target = Writer(root, durable=False).target(PurePosixPath(CACHE_DIR) / name)
        atomic_write(target, header.encode("ascii") + b"\n" + payload, durable=False)


def input_key(path: Path) -> str:
    """An input's absolute real path, the cache's key for it. ``os.path.realpath`` rather than
    ``Path.resolve``: a symbolic link loop (an input swapped for one mid-run) must not raise."""
    return os.path.realpath(path)


class Pending(NamedTuple):
    todo: list[Path]
    """Inputs to process."""
    done: list[Path]
    """Inputs already in the archive, unchanged since they were ingested."""


class Known(NamedTuple):
    """What the ingest cache knows of one file (an input, or a briefing it wrote)."""

    stamp: Stamp
    hashes: list[str]
    """The input hashes it produced (an input) or in its origins (a briefing)."""
    digest: bytes | None
    """sha256 of its bytes (``stamps.unchanged``)."""


@dataclass
class IngestCache:
    root: Path
    version: str
    inputs: dict[str, Known] = field(default_factory=dict)
    """Resolved input path -> (stamp, input hashes it produced)."""
    briefings: dict[str, Known] = field(default_factory=dict)
    """Briefing path relative to ``root`` -> its stamp, input hashes in its origins and digest."""
    produced: dict[str, list[str]] = field(default_factory=dict)
    """This run: input path -> input hashes of its articles (filled by ``ingest.gather``)."""
    rejected: set[str] = field(default_factory=set)
    """This run: inputs with a rejected item (never cached, so their errors repeat every run)."""
    written: set[str] = field(default_factory=set)
    """This run: briefings whose entry in ``briefings`` is the writer's record of what it wrote
    (``wrote``), so :meth:`save` need not read them back."""

    @property
    def path(self) -> Path:
        return self.root / CACHE_DIR / CACHE_FILE

    @classmethod
    def load(cls, root: Path, version: str) -> IngestCache:
        cache = cls(root, version)
        try:
            data = json.loads(cache.path.read_text("utf-8"))
        except (OSError, ValueError):
            return cache
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != cache.version:
            return cache
        with contextlib.suppress(TypeError, ValueError):
            cache.inputs = {k: Known(Stamp.from_json(s), list(h), bytes.fromhex(d) if d else None)
                            for k, (s, h, d) in data["inputs"].items()}
            cache.briefings = {k: Known(Stamp.from_json(s), list(h), bytes.fromhex(d) if d else None)
                               for k, (s, h, d) in data["briefings"].items()}
        return cache

    def hashes_on_disk(self) -> set[str]:
        """Input hashes in the briefings now on disk (re-reading only new or changed files)."""
        current: dict[str, Known] = {}
        if self.root.is_dir():
            for dirpath, dirnames, filenames in os.walk(self.root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if not name.endswith(".md"):
                        continue
                    path = Path(dirpath) / name
                    rel = path.relative_to(self.root).as_posix()
                    st = stamp(path)
                    if st is None or path.is_symlink():
                        continue
                    known = self.briefings.get(rel)
                    if known is not None and rel in self.written and st.fields() == known.stamp.fields():
                        # Written by this run and not touched since: the writer's record stands. Its
                        # stamp, taken right after the write, is untrusted (too recent), so the next
                        # run still checks the file's bytes against the digest before believing it.
                        current[rel] = known
                        continue
                    now = stamps.unchanged(path, known.stamp, known.digest) if known is not None else None
                    if known is not None and now is not None:
                        current[rel] = known._replace(stamp=now)
                    else:
                        current[rel] = read_known(path, st)
        self.briefings = current
        return {h for known in current.values() for h in known.hashes}

    def split(self, files: list[Path]) -> Pending:
        """Which of ``files`` to process, and which are in the archive already, unchanged."""
        if not self.inputs:
            return Pending(files, [])
        on_disk = self.hashes_on_disk()
        todo: list[Path] = []
        done: list[Path] = []
        for path in files:
            known = self.inputs.get(input_key(path))
            fresh = (known is not None and stamps.unchanged(path, known.stamp, known.digest) is not None
                     and all(h in on_disk for h in known.hashes))
            (done if fresh else todo).append(path)
        return Pending(todo, done)

    def note(self, path: Path, result: object) -> None:
        """Record what one input produced: an article's input hash, or a rejection (never cached)."""
        name = input_key(path)
        input_hash = getattr(result, "input_hash", None)
        if isinstance(input_hash, str):
            self.produced.setdefault(name, []).append(input_hash)
        else:
            self.rejected.add(name)

    def wrote(self, rel: PurePosixPath, origins: list[Origin], written: Written | None = None) -> None:
        """Ingest just wrote (or left unchanged) the briefing ``rel`` with these origins: record its
        hashes now, so :meth:`save` need not read it back. ``written``: the stamp and digest the
        writer recorded for it (else the file is read)."""
        hashes = sorted({o.input_hash for o in origins if o.input_hash})
        if written is not None:
            self.briefings[rel.as_posix()] = Known(written.stamp, hashes, written.digest)
            self.written.add(rel.as_posix())
            return
        path = self.root / rel
        st = stamp(path)
        if st is not None:
            with contextlib.suppress(OSError):
                digest = hashlib.sha256(path.read_bytes()).digest()
                self.briefings[rel.as_posix()] = Known(st, hashes, digest)

    def save(self) -> None:
        """Record this run's inputs whose every hash reached a briefing (call after writing)."""
        on_disk = self.hashes_on_disk()
        for name, hashes in self.produced.items():
            st = stamp(Path(name))
            if st is not None and name not in self.rejected and all(h in on_disk for h in hashes):
                self.inputs[name] = Known(st, hashes, file_digest(Path(name)))
            else:
                self.inputs.pop(name, None)
        data = {"format": FORMAT, "version": self.version,
                "inputs": {k: [i.stamp.as_json(), i.hashes, i.digest.hex() if i.digest else None]
                           for k, i in sorted(self.inputs.items())},
                "briefings": {k: [b.stamp.as_json(), b.hashes, b.digest.hex() if b.digest else None]
                              for k, b in sorted(self.briefings.items())}}
        with contextlib.suppress(OSError, WriteRefused):  # a cache that cannot be written only costs time
            # Through the writer's checks: never through a symlinked cache folder or file, never outside.
            Writer(self.root, durable=False).write(PurePosixPath(CACHE_DIR) / CACHE_FILE,
                                                   json.dumps(data, separators=(",", ":")))


def file_digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


def read_known(path: Path, st: Stamp) -> Known:
    """What the cache keeps of a briefing file: its stamp, the input hashes in its origins ([] for a
    file that is not a readable briefing) and its digest."""
    try:
        data = path.read_bytes()
    except OSError:
        return Known(st, [], None)
    digest = hashlib.sha256(data).digest()
    try:
        meta = bfile.load_front_matter(data.decode("utf-8")).meta
    except Exception:  # any unreadable file simply has no known inputs
        return Known(st, [], digest)
    if not isinstance(meta, dict) or not isinstance(meta.get("origins"), list):
        return Known(st, [], digest)
    return Known(st, hashes_of(meta["origins"]), digest)


def hashes_of(origins: list[Any]) -> list[str]:
    """The input hashes of a briefing's ``origins`` list, sorted, each once."""
    return sorted({str(o["input_hash"]) for o in origins if isinstance(o, dict) and o.get("input_hash")})
