"""The archive index: ingest with it writes and reports exactly what ingest without it does, run
after run, with hand edits, deletions and additions in between; a damaged index is never trusted."""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from build_tools.ingest import IngestReport, ingest
from build_tools.store.ingest_cache import CACHE_DIR, pipeline_version
from build_tools.store.on_disk import ARCHIVE_INDEX, load_index, read_briefing, scan_existing
from build_tools.store.stamps import stamp
from build_tools.tag.entities import load_vocabulary
from tests.conftest import INBOX

TRIO = sorted(INBOX.glob("republished-*.txt"))
FIRST = sorted(p for p in INBOX.iterdir() if p.suffix in (".txt", ".json", ".jsonl") and p not in TRIO)


def files(root: Path) -> dict[str, bytes]:
    """Every file of a briefings folder but the cache, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and CACHE_DIR not in p.parts}


def shown(report: IngestReport, root: Path) -> dict[str, object]:
    """The report with the folder's own name taken out (the two runs write to two folders)."""
    return {k: sorted(str(x).replace(str(root), "ROOT") for x in v) for k, v in asdict(report).items()}


def both(inputs: list[Path], a: Path, b: Path, force: bool = False) -> None:
    """Ingest into ``a`` with the index and into ``b`` without; same files and same report."""
    vocab = load_vocabulary(None)
    with_index = ingest(inputs, a, vocab, force=force)
    without = ingest(inputs, b, vocab, force=force, use_index=False)
    assert files(a) == files(b)
    assert shown(with_index, a) == shown(without, b)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def same_in_both(a: Path, b: Path, pick: int) -> tuple[Path, Path]:
    names = sorted(files(a))
    md = [n for n in names if n.endswith(".md")]
    return a / md[pick], b / md[pick]


def test_index_and_full_scan_agree_over_runs_with_edits_deletions_and_additions(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    both(FIRST, a, b)
    assert (a / CACHE_DIR / ARCHIVE_INDEX).is_file() and not (b / CACHE_DIR / ARCHIVE_INDEX).exists()
    # A hand edit (same size would be caught by mtime; here the size changes too), a deletion.
    for path in same_in_both(a, b, 0):
        edit(path, "\n\n", "\n\nAn editor's note.\n\n")
    for path in same_in_both(a, b, 1):
        path.unlink()
    # Additions: the trio (near-duplicates of each other), and the whole inbox again: the deleted
    # briefing comes back, the edited one is left alone.
    both([TRIO[0]], a, b)
    both([*FIRST, *TRIO[1:]], a, b)
    # A near-duplicate source for a briefing on disk that an editor then broke the front matter of.
    for path in same_in_both(a, b, 2):
        edit(path, "---\n", "---\nbroken: [\n")
    both(TRIO, a, b)
    both([*FIRST, *TRIO], a, b, force=True)


def test_the_index_matches_a_fresh_read_of_every_briefing(tmp_path: Path) -> None:
    root = tmp_path / "b"
    ingest([*FIRST, *TRIO], root, load_vocabulary(None))
    index = load_index(root, pipeline_version())
    md = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    assert sorted(index) == md
    for rel, entry in index.items():
        path = root / rel
        fresh = read_briefing(path.read_bytes(), stamp(path))
        assert fresh.as_json()[1:] == entry.as_json()[1:], rel  # all but the stamp, taken at another moment
    assert scan_existing(root, dict(index)) == scan_existing(root)


def test_only_new_and_changed_briefings_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "b"
    ingest(FIRST, root, load_vocabulary(None))
    index = load_index(root, pipeline_version())
    changed, touched = sorted(root.rglob("*.md"))[:2]
    data = changed.read_bytes()
    at = data.index(b"\ntitle: ") + len(b"\ntitle: ")
    changed.write_bytes(data[:at] + (b"X" if data[at:at + 1] != b"X" else b"Y") + data[at + 1:])  # same size
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1000))  # same bytes
    read: list[int] = []
    import build_tools.store.on_disk as module

    real = module.read_briefing
    monkeypatch.setattr(module, "read_briefing", lambda data, st: read.append(1) or real(data, st))
    scan_existing(root, index)
    assert len(read) == 1


@pytest.mark.parametrize("damage", [
    pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
    pytest.param(lambda raw: raw.replace(b'"edited', b'"edit3d', 1) if b'"edited' in raw else raw[:-3] + b"]]]",
                 id="payload-changed"),
    pytest.param(lambda raw: b"not json\n" + raw, id="no-header"),
    pytest.param(lambda raw: raw.split(b"\n", 1)[0].replace(b'"format": 1', b'"format": 99') + b"\n"
                 + raw.split(b"\n", 1)[1], id="other-format"),
])
def test_a_damaged_index_is_ignored_and_rebuilt(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "a", tmp_path / "b"
    both(FIRST, a, b)
    cache = a / CACHE_DIR / ARCHIVE_INDEX
    cache.write_bytes(damage(cache.read_bytes()))
    assert load_index(a, pipeline_version()) == {}
    both([*FIRST, *TRIO], a, b)
    assert load_index(a, pipeline_version()) != {}


def test_an_index_of_another_pipeline_version_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "b"
    ingest(FIRST, root, load_vocabulary(None))
    assert load_index(root, pipeline_version()) != {}
    assert load_index(root, "another-version") == {}


def test_a_symlinked_cache_folder_is_neither_read_nor_written(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "b", tmp_path / "elsewhere"
    ingest(FIRST, root, load_vocabulary(None))
    shutil.move(root / CACHE_DIR, elsewhere)
    (root / CACHE_DIR).symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    (elsewhere / ARCHIVE_INDEX).write_bytes(b"{}")  # would be trusted if read: it must not be
    before[ARCHIVE_INDEX] = b"{}"
    vocab = load_vocabulary(None)
    ingest(TRIO, root, vocab)
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before
