"""The build cache: what one build saves, the next reads back; anything else is ignored, never trusted."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from build_tools.store import build_cache
from build_tools.store.ingest_cache import CACHE_DIR


def test_saved_objects_come_back(tmp_path: Path) -> None:
    path = tmp_path / "x.pickle"
    build_cache.save(path, {"a": [1, 2]})
    assert build_cache.load(path) == {"a": [1, 2]}


@pytest.mark.parametrize("content", [
    pytest.param(b"", id="empty"),
    pytest.param(b"not a pickle", id="garbage"),
    pytest.param(pickle.dumps(("another-version", {"a": 1})), id="other-version"),
    pytest.param(pickle.dumps({"a": 1}), id="no-version"),
])
def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.pickle"
    path.write_bytes(content)
    assert build_cache.load(path) is None


def test_a_missing_cache_is_none_and_an_unwritable_one_costs_nothing(tmp_path: Path) -> None:
    assert build_cache.load(tmp_path / "missing.pickle") is None
    blocker = tmp_path / "file"
    blocker.write_text("x")
    build_cache.save(blocker / "under-a-file.pickle", {"a": 1})  # cannot be written: no error
    assert build_cache.load(blocker / "under-a-file.pickle") is None


def test_the_cache_lives_in_the_briefings_folder(tmp_path: Path) -> None:
    assert build_cache.build_cache_dir(tmp_path) == tmp_path.resolve() / CACHE_DIR / build_cache.BUILD_FOLDER


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    build_cache.save(tmp_path / "x.pickle", list(range(1000)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pickle"]
