"""The ingest run: inputs -> articles -> briefings on disk.

Read every input, extract and tag each article, drop exact re-ingests, then write new or
changed briefings. A briefing an editor has changed is never rewritten (unless ``force``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import briefing as bfile
from .entities import Vocabulary
from .extract import process
from .model import Article
from .slugs import briefing_id, briefing_path
from .sources import Rejected, Skipped, discover, display_path, read
from .writer import FolderLock, Writer, clear_stale_temp_files

log = logging.getLogger(__name__)


@dataclass
class Existing:
    """What ingest needs to know about a briefing already on disk."""

    path: PurePosixPath
    id: str
    input_hashes: set[str]
    edited: bool


@dataclass
class IngestReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Inputs already in the archive (same content), nothing to do."""
    kept_edits: list[str] = field(default_factory=list)
    """Messages about hand-edited briefings ingest left alone."""
    replaced: list[str] = field(default_factory=list)
    """Hand-edited briefings overwritten because of --force."""
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def scan_existing(root: Path) -> tuple[dict[str, Existing], dict[str, Existing], set[PurePosixPath]]:
    """Existing briefings by id and by input hash, and every path taken in ``root``."""
    by_id: dict[str, Existing] = {}
    by_hash: dict[str, Existing] = {}
    taken: set[PurePosixPath] = set()
    if not root.is_dir():
        return by_id, by_hash, taken
    for path in sorted(root.rglob("*.md")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        taken.add(rel)
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text("utf-8")
            meta_text, _ = bfile.split(text)
            meta = bfile.safe_load(meta_text) if meta_text is not None else None
        except Exception:  # unreadable or broken: treat as an editor's file we must not touch
            continue
        if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
            continue
        hashes = {str(o.get("input_hash")) for o in meta.get("origins") or [] if isinstance(o, dict)}
        entry = Existing(rel, meta["id"], hashes, bfile.is_hand_edited(text))
        by_id.setdefault(entry.id, entry)
        for h in hashes:
            by_hash.setdefault(h, entry)
    return by_id, by_hash, taken


def origin(article: Article) -> dict[str, str]:
    name = Path(article.source.split("#")[0]).name + ("#" + article.source.split("#", 1)[1] if "#" in article.source else "")
    return {"source": name, "outlet": article.outlet or "", "url": article.url or "", "input_hash": article.input_hash}


def refuse_reason(article: Article) -> Rejected | None:
    if not article.title:
        return Rejected(article.source, "no headline found.", "make sure the page text includes the article's headline")
    if not article.body:
        return Rejected(article.source, "no article text found (only page furniture).",
                        "check that the file holds the article, not just the site's menus")
    return None


def gather(paths: list[Path], vocabulary: Vocabulary | None, report: IngestReport,
           progress: Callable[[int, int], None] | None = None) -> list[Article]:
    """Read and process every input; rejected ones go to the report."""
    files: list[Path] = []
    for found in discover(paths):
        if isinstance(found, Rejected):
            report.rejected.append(found)
        elif isinstance(found, Skipped):
            report.skipped.append(found)
        else:
            files.append(found)
    articles: list[Article] = []
    for n, path in enumerate(files, 1):
        for item in read(path):
            if isinstance(item, Rejected):
                report.rejected.append(item)
                continue
            try:
                article = process(item, vocabulary)
            except Exception as exc:  # a bug must not lose the other inputs
                log.debug("processing %s failed", item.source, exc_info=True)
                report.rejected.append(Rejected(item.source, f"could not be processed ({type(exc).__name__}: {exc}).",
                                                "please report this input as a bug"))
                continue
            refused = refuse_reason(article)
            if refused:
                report.rejected.append(refused)
                continue
            report.warnings.extend(f"{article.source}: {w}" for w in article.warnings)
            articles.append(article)
        if progress:
            progress(n, len(files))
    return articles


def ingest(paths: list[Path], root: Path, vocabulary: Vocabulary | None, force: bool = False,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    report = IngestReport()
    with FolderLock(root):
        clear_stale_temp_files(root)
        articles = gather(paths, vocabulary, report, progress)
        by_id, by_hash, taken = scan_existing(root)
        writer = Writer(root)
        seen_ids: set[str] = set()
        for article in sorted(articles, key=lambda a: (a.input_hash, a.source)):
            bid = briefing_id(article.input_hash)
            if bid in seen_ids:
                report.already.append(f"{article.source}: same content as another input of this run")
                continue
            seen_ids.add(bid)
            existing = by_id.get(bid) or by_hash.get(article.input_hash)
            if existing is not None:
                rel = existing.path
            else:
                rel = briefing_path(article.title, article.date, bid)
                if rel in taken:
                    rel = briefing_path(article.title, article.date, bid, suffix=True)
            taken.add(rel)
            text = bfile.render(bfile.front_matter(article, [origin(article)]), bfile.article_body(article))
            if existing is not None and existing.edited:
                if not force:
                    report.kept_edits.append(f"{root / rel}: edited by hand, left as it is "
                                             f"(input {article.source} has not been applied; use --force to overwrite)")
                    continue
                report.replaced.append(f"{root / rel}: hand edits replaced by ingest of {article.source} (--force)")
            if writer.write(rel, text):
                report.written.append(str(root / rel))
            else:
                report.unchanged.append(str(root / rel))
    return report


__all__ = ["IngestReport", "ingest", "display_path"]
