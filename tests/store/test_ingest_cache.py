"""The ingest cache: unchanged inputs are skipped, changed ones are processed, nothing written outside."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from build_tools.ingest import ingest
from build_tools.store.ingest_cache import CACHE_DIR, CACHE_FILE
from build_tools.tag.entities import load_vocabulary
from tests.conftest import INBOX

SAMPLES = ["meridian-tajikistan-border-troops.txt", "wire-style-russia-tajikistan-uzbekistan-drills.txt"]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(INBOX / name, folder / name)
    return folder


def test_second_run_skips_unchanged_inputs(inbox: Path, tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    first = ingest([inbox], root, None)
    assert len(first.written) == 2
    assert (root / CACHE_DIR / CACHE_FILE).is_file()
    second = ingest([inbox], root, None)
    assert second.written == [] and len(second.already) == 2


def test_a_changed_input_is_processed_again(inbox: Path, tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    ingest([inbox], root, None)
    target = inbox / SAMPLES[1]
    target.write_text(target.read_text("utf-8") + "\nA new closing paragraph was added to the article here today.\n",
                      encoding="utf-8")
    again = ingest([inbox], root, None)
    assert len(again.already) == 1
    assert len(again.written) + len(again.unchanged) >= 1


def test_a_deleted_briefing_comes_back(inbox: Path, tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    first = ingest([inbox], root, None)
    Path(first.written[0]).unlink()
    again = ingest([inbox], root, None)
    assert len(again.written) == 1


def test_cache_is_never_written_through_a_symlink(inbox: Path, tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    report = ingest([inbox], root, None)
    assert len(report.written) == 2
    assert list(outside.iterdir()) == []


def test_briefings_and_cache_get_the_mode_the_umask_gives(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    saved = os.umask(0o022)
    try:
        ingest([inbox], out, load_vocabulary(None))
    finally:
        os.umask(saved)
    written = [p for p in out.rglob("*") if p.is_file() and p.name != ".briefings.lock"]
    assert out / CACHE_DIR / CACHE_FILE in written and any(p.suffix == ".md" for p in written)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: 0o644 for p in written}


def test_save_takes_what_this_run_wrote_from_the_writer(inbox: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A briefing this run wrote is recorded from the writer's stamp and digest, not read back."""
    from build_tools.store import ingest_cache

    def never(*_args: object) -> None:
        raise AssertionError("a briefing this run wrote was read back")

    monkeypatch.setattr(ingest_cache, "read_known", never)
    monkeypatch.setattr(ingest_cache.stamps, "unchanged", never)
    root = tmp_path / "briefings"
    report = ingest([inbox], root, None)
    monkeypatch.undo()
    assert len(report.written) == 2
    assert ingest([inbox], root, None).already == [f"{inbox / name}: unchanged since it was ingested" for name in SAMPLES]


def test_a_briefing_changed_after_its_write_is_read_again(tmp_path: Path) -> None:
    from pathlib import PurePosixPath

    from build_tools.model import Origin
    from build_tools.store.ingest_cache import IngestCache
    from build_tools.store.writer import Writer

    root = tmp_path / "briefings"
    writer = Writer(root, durable=False)
    rel = PurePosixPath("2024/a.md")
    writer.write(rel, "---\norigins:\n- input_hash: aaa\n---\nbody\n")
    cache = IngestCache(root, "v1")
    cache.wrote(rel, [Origin(input_hash="aaa")], writer.outputs[rel.as_posix()])
    (root / rel).write_text("---\norigins:\n- input_hash: bbb\n- input_hash: ccc\n---\nan editor's body\n", "utf-8")
    cache.save()
    assert IngestCache.load(root, "v1").briefings[rel.as_posix()].hashes == ["bbb", "ccc"]
