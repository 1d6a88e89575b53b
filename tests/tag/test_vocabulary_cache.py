"""The compiled vocabulary kept in the briefings folder's cache: used only when it was compiled
from the same vocabulary files and code, and ignored (then rewritten) when damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.store.ingest_cache import CACHE_DIR
from build_tools.tag import compiled as entities
from build_tools.tag.entities import VOCABULARY_CACHE, compile_key, load_vocabulary, tag, vocabulary_record

GOLDEN_VOCABULARY = Path(__file__).resolve().parents[1] / "golden" / "vocabulary"
TEXT = ("Xi Jinping met Wolfgang Peschorn in Kabul. The Sutro Group and the UNHCR said Tajikistan's "
        "border with Afghanistan was calm; President Xi agreed.")


@pytest.fixture
def vocabulary(tmp_path: Path) -> Path:
    folder = tmp_path / "vocabulary"
    shutil.copytree(GOLDEN_VOCABULARY, folder)
    return folder


def fresh(folder: Path, cache: Path | None) -> entities.Vocabulary:
    """As a new process would load it (the in-process caches emptied)."""
    entities._cached.cache_clear()
    entities._cached_on_disk.cache_clear()
    return load_vocabulary(folder, cache=cache)


def test_the_cached_vocabulary_tags_exactly_as_the_compiled_one(vocabulary: Path, tmp_path: Path) -> None:
    compiled = fresh(vocabulary, None)
    fresh(vocabulary, tmp_path / "b")  # compiles and stores
    assert (tmp_path / "b" / CACHE_DIR / VOCABULARY_CACHE).is_file()
    entities._cached.cache_clear()
    entities._cached_on_disk.cache_clear()
    calls: list[int] = []
    real = entities._compile
    entities._compile = lambda *a: calls.append(1) or real(*a)  # type: ignore[assignment]
    try:
        loaded = load_vocabulary(vocabulary, cache=tmp_path / "b")
    finally:
        entities._compile = real  # type: ignore[assignment]
    assert calls == []  # read from the cache, not compiled
    assert vocabulary_record(loaded) == vocabulary_record(compiled) or (
        dict(vocabulary_record(loaded)["names"]) == dict(vocabulary_record(compiled)["names"]))
    assert loaded.known == compiled.known and loaded.cues == compiled.cues and loaded.aliases == compiled.aliases
    assert tag("A headline", TEXT, loaded) == tag("A headline", TEXT, compiled)


def test_a_changed_vocabulary_file_changes_the_key(vocabulary: Path) -> None:
    before = compile_key(vocabulary.resolve())
    first = sorted(vocabulary.glob("*.yaml"))[0]
    first.write_text(first.read_text("utf-8") + "\n# a comment\n", "utf-8")
    assert compile_key(vocabulary.resolve()) != before


def test_a_stale_cache_is_recompiled(vocabulary: Path, tmp_path: Path) -> None:
    fresh(vocabulary, tmp_path / "b")
    people = vocabulary / "people.yaml"
    people.write_text(people.read_text("utf-8") + "- name: Ada Lovelace\n  type: person\n", "utf-8")
    assert "Ada Lovelace" in fresh(vocabulary, tmp_path / "b").known["people"]
    assert "Ada Lovelace" in fresh(vocabulary, tmp_path / "b").known["people"]  # and the new one was stored


@pytest.mark.parametrize("damage", [
    pytest.param(lambda raw: raw[:-100], id="truncated"),
    pytest.param(lambda raw: raw.replace(b"people", b"peopl3", 1), id="payload-changed"),
    pytest.param(lambda raw: b"garbage", id="garbage"),
])
def test_a_damaged_cache_is_ignored_and_rewritten(vocabulary: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    compiled = fresh(vocabulary, tmp_path / "b")
    cache = tmp_path / "b" / CACHE_DIR / VOCABULARY_CACHE
    cache.write_bytes(damage(cache.read_bytes()))
    again = fresh(vocabulary, tmp_path / "b")
    assert again.known == compiled.known
    assert cache.read_bytes().split(b"\n", 1)[0].startswith(b"{")  # rewritten whole


def test_a_well_formed_record_of_the_wrong_shape_is_not_used(vocabulary: Path, tmp_path: Path) -> None:
    from build_tools.store.ingest_cache import write_compiled

    compiled = fresh(vocabulary, tmp_path / "b")
    write_compiled(tmp_path / "b", VOCABULARY_CACHE, compile_key(vocabulary.resolve()), {"names": [[1, 2]]})
    assert fresh(vocabulary, tmp_path / "b").known == compiled.known


@pytest.fixture
def fork_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_parse_elsewhere`` forks for any size of vocabulary, whatever threads the test runner has."""
    import threading

    monkeypatch.setattr(entities, "BACKGROUND_MIN_BYTES", 0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr("build_tools.parallel.available_cores", lambda: 2)


@pytest.mark.usefixtures("fork_always")
def test_files_parsed_in_a_forked_process_compile_to_the_same_names(vocabulary: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = entities.entry_files(vocabulary.resolve())
    parsing = entities._parse_elsewhere(files)
    assert parsing is not None
    parsed = parsing.result()
    assert parsed and parsed == {name: entities.load_yaml(Path(name)) for name in parsed}
    forked = vocabulary_record(entities._compile(vocabulary.resolve(), ()))
    monkeypatch.setattr(entities, "_parse_elsewhere", lambda _files: None)
    assert forked == vocabulary_record(entities._compile(vocabulary.resolve(), ()))


@pytest.mark.usefixtures("fork_always")
def test_a_file_the_forked_process_cannot_parse_is_reported_as_before(vocabulary: Path) -> None:
    from build_tools.tag.vocabulary import VocabularyError

    broken = sorted(vocabulary.glob("*.yaml"))[0]
    broken.write_text(broken.read_text("utf-8") + "\n- [oops\n", "utf-8")
    with pytest.raises(VocabularyError) as err:
        entities._compile(vocabulary.resolve(), ())
    assert f"{broken}: line" in str(err.value) and "is not valid YAML" in str(err.value)
