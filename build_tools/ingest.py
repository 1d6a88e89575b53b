"""The ingest run: inputs -> articles -> briefings on disk.

Read every input, extract and tag each article, group exact duplicates, then write new or
changed briefings. A briefing an editor has changed is never rewritten (unless ``force``);
new information about it (a duplicate source, say) is reported instead.

Safety rules, in the order the run applies them:

* every input is read through ``sources`` (size limit, encodings, controls removed) and one
  bad input only ever becomes a :class:`Rejected` line in the report;
* every metadata value is re-checked here (:func:`sanitise`) whatever the extraction returned;
* file names come from ``slugs`` only; a name already used on disk (compared case-insensitively,
  as macOS and Windows do) gets a deterministic suffix, so a new briefing never lands on a
  hand-edited file;
* the :class:`Writer` writes atomically inside the briefings folder only, under a folder lock.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from build_tools.errors import WriteRefused
from build_tools.liblog import library_log
from build_tools.model import FIELDS, TAG_TYPES, Article, FieldSpec, Kind, Origin, Tags
from build_tools.parallel import MIN_PARALLEL_ITEMS, Executor, map_ordered
from build_tools.process import load_models, process
from build_tools.read.files import JSON_SUFFIXES, Rejected, Skipped, discover
from build_tools.read.sources import read
from build_tools.slugs import briefing_id, briefing_path
from build_tools.store import briefing as bfile
from build_tools.store import dedupe, stamps
from build_tools.store.ingest_cache import (
    CACHE_DIR,
    IngestCache,
    pipeline_version,
    read_compiled,
    write_compiled,
)
from build_tools.store.stamps import Stamp, stamp
from build_tools.store.writer import FolderLock, Writer, clear_stale_temp_files, stage
from build_tools.tag.entities import Vocabulary
from build_tools.text import clean_value, cut, display_path, escape_line, strip_controls

LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
URL_RE = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)

log = logging.getLogger(__name__)


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


@dataclass
class IngestReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Inputs already in the archive (same content), nothing to do."""
    duplicates: list[str] = field(default_factory=list)
    """Inputs of this run with the same text as another one: 'X: duplicate of Y'."""
    kept_edits: list[str] = field(default_factory=list)
    """Messages about hand-edited briefings ingest left alone."""
    replaced: list[str] = field(default_factory=list)
    """Hand-edited briefings overwritten because of --force."""
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    library_log: list[str] = field(default_factory=list)
    """Lines the libraries (trafilatura, htmldate...) logged, each naming its input: debug detail."""


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


def sanitise(article: Article) -> Article:
    """``article`` with the briefing invariants enforced on every value, whatever the extraction
    returned: one line each, no control/bidi/zero-width characters, the length limits of the field
    table, http(s) URLs and language codes only. A new Article; what was cut or dropped is added to
    its warnings."""
    warnings: list[str] = []
    values = {spec.name: sanitised(spec, getattr(article, spec.name), warnings) for spec in FIELDS.values()}
    tags = Tags(**{t: list(dict.fromkeys(n for n in (clean_value(x) for x in getattr(article.tags, t)) if n))
                   for t in TAG_TYPES})
    body = [p for p in (strip_controls(p).strip() for p in article.body) if p]
    return replace(article, **values, tags=tags, body=body, warnings=[*article.warnings, *warnings])


def sanitised(spec: FieldSpec, value: Any, warnings: list[str]) -> Any:
    """One metadata value made safe for its kind (see :func:`sanitise`); problems go to ``warnings``."""
    if spec.kind is Kind.DATE:
        return value
    if spec.kind is Kind.TEXT_LIST:
        return [v for v in (cut(clean_value(s), spec.limit) for s in value) if v]
    if spec.kind is Kind.URL:
        if not value:
            return value
        url = clean_value(value)
        if not URL_RE.match(url) or len(url) > spec.limit:
            warnings.append(f"url {escape_line(url[:80])!r} is not an http(s) URL; dropped (never fetched)")
            return None
        return url or None
    if value is None:
        return None
    text = clean_value(str(value))
    if len(text) > spec.limit:
        warnings.append(f"{spec.name} is {len(text)} characters; cut to {spec.limit}")
        text = cut(text, spec.limit)
    if spec.kind is Kind.LANGUAGE and text and not LANGUAGE_RE.match(text):
        warnings.append(f"language {escape_line(text[:40])!r} is not a language code; dropped")
        return None
    return text or None


def refuse_reason(article: Article) -> Rejected | None:
    if not article.title:
        return Rejected(article.source, "no headline found.", "make sure the page text includes the article's headline")
    if not article.body:
        return Rejected(article.source, "no article text found (only page furniture).",
                        "check that the file holds the article, not just the site's menus")
    return None


def gather(paths: list[Path], vocabulary: Vocabulary | None, report: IngestReport,
           progress: Callable[[int, int], None] | None = None, cache: IngestCache | None = None,
           drafts: dict[str, Draft] | None = None, executor: Executor | None = None,
           staging: Path | None = None) -> list[Article]:
    """Read and process every input; rejected ones go to the report. ``drafts`` receives, by input
    hash, what the workers prepared for the write (:class:`Draft`). ``executor``: where the map runs
    (a Dask cluster, ``build_tools.distributed``) instead of this machine's process pool.
    ``staging``: a folder of the briefings folder's file system where this machine's workers
    write each draft's bytes (``Draft.staged``), for the writer to rename into place."""
    files: list[Path] = []
    for found in discover(paths):
        if isinstance(found, Rejected):
            report.rejected.append(found)
        elif isinstance(found, Skipped):
            report.skipped.append(found)
        else:
            files.append(found)
    if cache is not None:
        files, done = cache.split(files)
        report.already += [escape_line(f"{display_path(p)}: unchanged since it was ingested") for p in done]
    # A file of one article is read in the pool worker that processes it; a JSON file (maybe many
    # records) is read here, so its records spread over every core. With an executor every input
    # is read here: its workers (other machines) need not see this machine's files, only records.
    # Results keep input order.
    slots: list[tuple[Path, Article | Rejected | None]] = []
    """(input, what was read here; None: read in the worker)."""
    for path in files:
        if executor is None and path.suffix.lower() not in JSON_SUFFIXES:
            slots.append((path, None))
            continue
        slots.extend((path, item) for item in read_safely(path))
    work = [path if item is None else item for path, item in slots if not isinstance(item, Rejected)]
    if executor is not None:
        processed = iter(executor.map_ordered(prepare_item, work, vocabulary, progress=progress))
    else:
        if len(work) >= MIN_PARALLEL_ITEMS:
            load_models()  # once here, inherited by every forked worker
            gc.freeze()  # the vocabulary's and models' objects: the workers' collections skip them (no copy-on-write)
        try:
            processed = iter(map_ordered(prepare_staged, work, Work(vocabulary, staging), progress=progress))
        finally:
            gc.unfreeze()
    articles: list[Article] = []
    for path, slot in slots:
        outcomes = [Prepared(slot, [], None)] if isinstance(slot, Rejected) else next(processed)
        for result, lines, draft in outcomes:
            report.library_log.extend(lines)
            if drafts is not None and draft is not None and isinstance(result, Article):
                drafts[result.input_hash] = draft
            if cache is not None:
                cache.note(path, result)
            if isinstance(result, Rejected):
                report.rejected.append(result)
                continue
            report.warnings.extend(escape_line(f"{result.source}: {w}") for w in result.warnings)
            articles.append(result)
    return articles


class Processed(NamedTuple):
    """What ``process_one`` sends back from a worker process."""

    result: Article | Rejected
    library_log: list[str]
    """What the libraries logged while processing it (``liblog``), each line prefixed with the input."""


def process_one(item: Article, vocabulary: Vocabulary | None) -> Processed:
    """One input through extraction and tagging (runs in a worker process), the libraries' log
    lines caught and labelled with the input instead of reaching the terminal."""
    with library_log() as lines:
        try:
            article = sanitise(process(item, vocabulary))
            result: Article | Rejected = refuse_reason(article) or article
        except Exception as exc:  # a bug must not lose the other inputs
            log.debug("processing %s failed", item.source, exc_info=True)
            result = Rejected(item.source, f"could not be processed ({type(exc).__name__}: "
                              f"{str(exc)[:200]}).", "please report this input as a bug")
    return Processed(result, [escape_line(f"{item.source}: {line}") for line in lines])


class Draft(NamedTuple):
    """Work done in the worker for the serial end of the run: the text of an article's briefing
    when it has only its own origin (most do), and the signatures near-duplicate search needs."""

    text: str
    """``render`` of the article with ``[origin(article)]``: what ``place`` writes for a group of one."""
    body: str
    """The body of ``text`` as ``dedupe.load_existing`` reads it back."""
    signature: dedupe.Signature
    """Of the article's text (what ``dedupe.plan`` compares for a new article)."""
    body_signature: dedupe.Signature
    """Of ``body`` (what the archive index records once the briefing is on disk)."""
    staged: str | None = None
    """A temporary file holding ``text``'s bytes (``writer.stage``), written by the worker: the
    writer renames it into place instead of writing the bytes in the serial end of the run."""


class Prepared(NamedTuple):
    result: Article | Rejected
    library_log: list[str]
    draft: Draft | None


def read_safely(path: Path) -> list[Article | Rejected]:
    """``read(path)``; a reader bug becomes a Rejected line, never a lost run."""
    try:
        return read(path)
    except Exception as exc:  # a reader bug must not lose the other inputs
        log.debug("reading %s failed", path, exc_info=True)
        return [Rejected(display_path(path), f"could not be read ({type(exc).__name__}).",
                         "please report this input as a bug")]


def prepare_item(item: Article | Path, vocabulary: Vocabulary | None) -> list[Prepared]:
    """One input (read here when it is a path) through :func:`prepare_one` (runs in a worker)."""
    if isinstance(item, Article):
        return [prepare_one(item, vocabulary)]
    return [Prepared(r, [], None) if isinstance(r, Rejected) else prepare_one(r, vocabulary)
            for r in read_safely(item)]


class Work(NamedTuple):
    """What every worker of the local pool shares (``parallel.map_ordered``'s context)."""

    vocabulary: Vocabulary | None
    staging: Path | None
    """Where the workers stage the drafts' bytes (None: they do not)."""


def prepare_staged(item: Article | Path, work: Work) -> list[Prepared]:
    """:func:`prepare_item`, each draft's text also written to a file in ``work.staging`` (runs in
    a worker of the local pool: the writes of a run's briefings spread over every core)."""
    prepared = prepare_item(item, work.vocabulary)
    if work.staging is None:
        return prepared
    out = []
    for p in prepared:
        if p.draft is not None and isinstance(p.result, Article):
            name = f"{briefing_id(p.result.input_hash)}.md"
            p = p._replace(draft=p.draft._replace(staged=stage(work.staging, name, p.draft.text)))
        out.append(p)
    return out


def prepare_one(item: Article, vocabulary: Vocabulary | None) -> Prepared:
    """:func:`process_one`, then the :class:`Draft` of its briefing (runs in a worker process)."""
    result, lines = process_one(item, vocabulary)
    if isinstance(result, Rejected):
        return Prepared(result, lines, None)
    try:
        text = bfile.render(bfile.front_matter(result, [bfile.origin(result)]), bfile.article_body(result))
        body = bfile.split(text).body
        text_shingles, body_shingles = dedupe.shingles(dedupe.article_text(result)), dedupe.shingles(body)
        if text_shingles == body_shingles:  # most bodies: Markdown escapes do not change the words
            sig = body_sig = dedupe.signatures([text_shingles])[0]
        else:
            sig, body_sig = dedupe.signatures([text_shingles, body_shingles])
    except Exception:  # the serial end of the run does it again, and reports what fails there
        log.debug("preparing %s failed", item.source, exc_info=True)
        return Prepared(result, lines, None)
    return Prepared(result, lines, Draft(text, body, sig, body_sig))


def group_duplicates(articles: list[Article], report: IngestReport) -> list[list[Article]]:
    """Articles with the same content (same id) as one group, first by source path first.
    Groups come in source order, so which one gets a contested name is deterministic."""
    groups: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (a.source, a.input_hash)):
        groups.setdefault(briefing_id(article.input_hash), []).append(article)
    for group in groups.values():
        for dup in group[1:]:
            report.duplicates.append(escape_line(f"{dup.source}: duplicate of {group[0].source} (same text); "
                                                 "recorded as another source of the same briefing"))
    return list(groups.values())


def free_path(article: Article, bid: str, disk: OnDisk) -> PurePosixPath:
    """The briefing's file name: its slug, or slug + id when taken, never a name already on disk."""
    rel = briefing_path(article.title, article.date, bid)
    if disk.is_taken(rel):
        rel = briefing_path(article.title, article.date, bid, suffix=True)
    n = 2
    while disk.is_taken(rel):  # someone (an editor) already used the suffixed name too
        rel = rel.with_name(f"{rel.stem.rsplit('-', 1)[0]}-{bid}-{n}.md")
        n += 1
    return rel


def merge_origins(new: list[Origin], old: list[Origin]) -> list[Origin]:
    """This run's origins, then the ones an earlier run recorded (inputs since removed)."""
    seen = {(o.source, o.input_hash) for o in new}
    return new + [o for o in old if (o.source, o.input_hash) not in seen]


def ingest(paths: list[Path], root: Path, vocabulary: Vocabulary | None, force: bool = False,
           progress: Callable[[int, int], None] | None = None, *, use_index: bool = True,
           executor: Executor | None = None) -> IngestReport:
    """Ingest ``paths`` into the briefings folder ``root``. ``use_index=False`` reads every briefing
    on disk instead of the archive index (the reference behaviour the index must reproduce).
    ``executor`` runs the per-article map (read here, extract, tag, fingerprints) elsewhere, a Dask
    cluster (``build_tools.distributed.Cluster``); the rest of the run (near-duplicates, ids, writing,
    the caches) stays in this process, so what is written does not depend on what ran the map."""
    report = IngestReport()
    with FolderLock(root), staging_folder(root, executor is None) as staging:
        clear_stale_temp_files(root)
        version = pipeline_version(vocabulary.files if vocabulary is not None else ())
        cache = IngestCache(root, version) if force else IngestCache.load(root, version)
        drafts: dict[str, Draft] = {}
        articles = gather(paths, vocabulary, report, progress, cache, drafts, executor, staging)
        if not articles:  # nothing new: leave the briefings folder unread
            cache.save()
            return report
        index_version = pipeline_version()
        index = load_index(root, index_version) if use_index else None
        disk = scan_existing(root, index)
        # Each write is atomic (a kill leaves the old file or the new one); one sync at the end
        # makes the whole run durable, instead of two fsyncs per briefing (~7 ms each here).
        writer = Writer(root, durable=False)
        # Near-duplicates (dedupe.py): one briefing per story, every copy listed in its origins.
        groups = group_duplicates(articles, report)
        known = {h: d.signature for h, d in drafts.items()}
        if index is None:
            on_disk = dedupe.load_existing(root, disk.by_id.values())
        else:  # only the briefings a group can join are read (a scan of the index, not of the files)
            on_disk = dedupe.load_existing(root, relevant(groups, disk, known))
        near = dedupe.plan(groups, on_disk, disk.by_id, disk.by_hash, force, known)
        report.duplicates += [escape_line(m) for m in near.merged]
        for update in near.updates:
            if update.text is None:
                (report.kept_edits if update.sources else report.already).append(escape_line(update.note))
            elif writer.write(update.path, update.text):
                report.written.append(display_path(f"{root}/{update.path}"))
        try:
            for group in near.groups:
                place(group, root, disk, writer, force, report, cache, drafts, index)
        finally:
            writer.sync()
        cache.save()
        if index is not None:
            save_index(root, index_version, index)
    return report


STAGING = "staging"
"""Folder of ``.briefings-cache/`` where the workers write the drafts' bytes (``Draft.staged``)."""


@contextlib.contextmanager
def staging_folder(root: Path, wanted: bool) -> Iterator[Path | None]:
    """A new, empty ``.briefings-cache/staging/`` in ``root`` (checked as the writer checks a folder:
    no symbolic link on the way), removed with what is left in it (drafts not moved into place:
    duplicates, kept edits) when the run ends. None when not ``wanted`` (the map runs on other
    machines) or it cannot be made: the writer then writes every briefing itself."""
    folder: Path | None = None
    if wanted:
        try:
            folder = Writer(root, durable=False).target(PurePosixPath(CACHE_DIR) / STAGING / "probe").parent
            shutil.rmtree(folder, ignore_errors=True)  # a killed run's
            folder.mkdir(parents=True)
        except (OSError, WriteRefused):
            folder = None
    try:
        yield folder
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def relevant(groups: list[list[Article]], disk: OnDisk, known: dict[str, dedupe.Signature]) -> list[Existing]:
    """The briefings on disk a group of this run may join: those sharing an LSH band with a group's
    text (from the signatures in the archive index), and those that already list one of its inputs.
    ``dedupe.plan`` on these alone gives what it gives on the whole archive: it never pairs two
    briefings on disk with each other."""
    entries = list({id(e): e for e in disk.by_id.values()}.values())
    position = {id(e): k for k, e in enumerate(entries)}
    bands: set[tuple[int, str]] = set()
    for g in groups:
        lead = known.get(g[0].input_hash) or dedupe.signature(dedupe.article_text(g[0]))
        if lead.shingles >= dedupe.MIN_SHINGLES:
            bands.update(enumerate(lead.bands))
    chosen = {k for k, e in enumerate(entries) if e.signature is not None
              and e.signature.shingles >= dedupe.MIN_SHINGLES and any(b in bands for b in enumerate(e.signature.bands))}
    for group in groups:
        for a in group:
            entry = disk.by_id.get(briefing_id(a.input_hash)) or disk.by_hash.get(a.input_hash)
            if entry is not None and id(entry) in position:
                chosen.add(position[id(entry)])
    return [entries[k] for k in sorted(chosen)]


def place(group: list[Article], root: Path, disk: OnDisk, writer: Writer, force: bool,
          report: IngestReport, cache: IngestCache | None = None, drafts: dict[str, Draft] | None = None,
          index: ArchiveIndex | None = None) -> None:
    """Write one briefing (one group of identical inputs), respecting hand edits. ``drafts``: what
    the workers prepared (used when it is exactly what would be written); ``index``: the archive
    index, told what was written."""
    article = group[0]
    bid = briefing_id(article.input_hash)
    origins = [bfile.origin(a) for a in group]
    own = origins[0]  # ``article``'s own: what its draft was rendered with
    existing = disk.by_id.get(bid) or disk.by_hash.get(article.input_hash)

    def shown(rel: PurePosixPath) -> str:
        return display_path(f"{root}/{rel}")

    if existing is not None:
        rel = existing.path
        if rel in writer.written or (existing.id is not None and existing.id != bid and not existing.edited):
            # Another input of this run wrote it, or this input is a secondary source of it.
            report.already.append(escape_line(f"{article.source}: already in {shown(rel)}"))
            return
        origins = merge_origins(origins, existing.origins)
    else:
        rel = free_path(article, bid, disk)
    disk.take(rel)
    if existing is not None and existing.edited:
        known = {(o.source, o.input_hash) for o in existing.origins}
        new = [o for o in origins if (o.source, o.input_hash) not in known]
        if not force:
            if new:
                names = ", ".join(o.source for o in new)
                report.kept_edits.append(escape_line(
                    f"{shown(rel)}: edited by hand, left as it is; new information not added: "
                    f"source(s) {names} (merge it by hand, or use --force to regenerate the file)"))
            else:
                report.unchanged.append(shown(rel))
            return
    draft = (drafts or {}).get(article.input_hash)
    staged = None
    if draft is not None and origins == [own]:
        text, staged = draft.text, draft.staged
    else:
        text = bfile.render(bfile.front_matter(article, origins), bfile.article_body(article))
    try:
        changed = writer.write(rel, text, staged)
    except (WriteRefused, OSError) as exc:
        report.rejected.append(Rejected(article.source, f"briefing not written: {exc}.",
                                        "check the briefings folder (links, permissions, free space)"))
        return
    if cache is not None:
        cache.wrote(rel, origins, writer.outputs.get(rel.as_posix()))
    if index is not None:
        record_written(index, root, rel, bid, origins, text, draft)
    if existing is not None and existing.edited:
        report.replaced.append(escape_line(f"{shown(rel)}: hand edits replaced by ingest of {article.source} (--force)"))
    (report.written if changed else report.unchanged).append(shown(rel))


def record_written(index: ArchiveIndex, root: Path, rel: PurePosixPath, bid: str, origins: list[Origin],
                   text: str, draft: Draft | None) -> None:
    """Tell the archive index what ingest just wrote to ``rel``, so the next run need not read it
    back: ingest's own rendering, so not hand-edited, with these origins (``read_briefing`` of the
    file gives the same entry: tests/test_ingest_index.py checks it)."""
    st = stamp(root / rel)
    if st is None:
        index.pop(rel.as_posix(), None)
        return
    body = bfile.split(text).body
    signature = draft.body_signature if draft is not None and draft.body == body else dedupe.signature(body)
    index[rel.as_posix()] = Indexed(st, bid, list(origins), False, True, signature,
                                    hashlib.sha256(text.encode("utf-8")).digest())


__all__ = ["IngestReport", "ingest"]
