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
from build_tools.store import dedupe
from build_tools.store.ingest_cache import CACHE_DIR, IngestCache, pipeline_version
from build_tools.store.on_disk import (
    ArchiveIndex,
    Existing,
    Indexed,
    OnDisk,
    load_index,
    save_index,
    scan_existing,
)
from build_tools.store.stamps import stamp
from build_tools.store.writer import FolderLock, Writer, clear_stale_temp_files, stage
from build_tools.tag.entities import Vocabulary
from build_tools.text import clean_value, cut, display_path, escape_line, strip_controls

LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
URL_RE = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)

log = logging.getLogger(__name__)


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
