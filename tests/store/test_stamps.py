"""Stamps: one trust rule. A stamp taken too soon after its file changed never matches anything."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from build_tools.store import stamps
from build_tools.store.stamps import Digested, Stamp


def test_trusted_stamps_with_the_same_fields_are_equal() -> None:
    assert Stamp(10, 5, 6, 7, True) == Stamp(10, 5, 6, 7, True)
    assert hash(Stamp(10, 5, 6, 7, True)) == hash(Stamp(10, 5, 6, 7, True))


@pytest.mark.parametrize("a, b", [
    pytest.param(Stamp(10, 5, 6, 7, False), Stamp(10, 5, 6, 7, False), id="both-untrusted"),
    pytest.param(Stamp(10, 5, 6, 7, False), Stamp(10, 5, 6, 7, True), id="recorded-untrusted"),
    pytest.param(Stamp(10, 5, 6, 7, True), Stamp(10, 5, 6, 7, False), id="now-untrusted"),
    pytest.param(Stamp(10, 5, 6, 7, True), Stamp(11, 5, 6, 7, True), id="size"),
    pytest.param(Stamp(10, 5, 6, 7, True), Stamp(10, 9, 6, 7, True), id="mtime"),
    pytest.param(Stamp(10, 5, 6, 7, True), Stamp(10, 5, 9, 7, True), id="ctime"),
    pytest.param(Stamp(10, 5, 6, 7, True), Stamp(10, 5, 6, 9, True), id="inode"),
])
def test_stamps_that_do_not_match(a: Stamp, b: Stamp) -> None:
    assert a != b and not a == b  # noqa: SIM201 - both operators are the rule


def test_an_untrusted_stamp_does_not_even_equal_itself() -> None:
    s = Stamp(10, 5, 6, 7, False)
    assert not s.__eq__(s)
    assert s != Stamp(*s.fields(), False)


def test_trust_is_the_age_of_the_last_change_when_the_stamp_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    info = path.stat()
    changed = max(info.st_mtime, info.st_ctime)
    assert not stamps.of(info, now=changed).trusted
    assert not stamps.of(info, now=changed + stamps.RACY_SECONDS - 0.01).trusted
    assert stamps.of(info, now=changed + stamps.RACY_SECONDS).trusted


def test_a_file_just_written_has_an_untrusted_stamp(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    found = stamps.stamp(path)
    assert found is not None and not found.trusted


def test_an_old_mtime_does_not_make_a_fresh_file_trusted(tmp_path: Path) -> None:
    """Setting the modification time back (a copy that keeps times, a tar extract) changes ctime."""
    path = tmp_path / "f"
    path.write_text("x")
    os.utime(path, (1_000_000, 1_000_000))
    found = stamps.stamp(path)
    assert found is not None and not found.trusted


def test_no_stamp_for_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert stamps.stamp(tmp_path / "missing") is None
    assert stamps.stamp(tmp_path) is None


def test_json_round_trip_keeps_trust() -> None:
    for s in (Stamp(1, 2, 3, 4, True), Stamp(1, 2, 3, 4, False)):
        back = Stamp.from_json(s.as_json())
        assert back.fields() == s.fields() and back.trusted == s.trusted
    with pytest.raises(ValueError):
        Stamp.from_json([1, 2, 3, 4])


def old(path: Path) -> Stamp:
    """The file's stamp as if taken long after its last change."""
    info = path.stat()
    return stamps.of(info, now=max(info.st_mtime, info.st_ctime) + 10 * stamps.RACY_SECONDS)


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
def test_pickle_round_trip_keeps_every_field_and_trust(trusted: bool) -> None:
    """The caches pickle stamps by their constructor's arguments (``Stamp.__reduce__``)."""
    stamp = Stamp(12, 1_700_000_000_123_456_789, 1_700_000_000_987_654_321, 42, trusted)
    back = pickle.loads(pickle.dumps(stamp, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is Stamp and back.fields() == stamp.fields() and back.trusted is trusted
    assert (back == stamp) is trusted  # an untrusted stamp still equals nothing


def test_unchanged_by_a_trusted_stamp_reads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f"
    path.write_text("abc")
    recorded = old(path)
    monkeypatch.setattr(stamps, "stamp", lambda p: old(Path(p)))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    assert stamps.unchanged(path, recorded, None) is not None


def test_unchanged_with_an_untrusted_stamp_is_decided_by_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("abc")
    recorded = stamps.stamp(path)
    assert recorded is not None and not recorded.trusted
    assert stamps.unchanged(path, recorded, None) is None  # no digest: counts as changed
    assert stamps.unchanged(path, recorded, hashlib.sha256(b"abc").digest()) is not None
    path.write_text("abd")  # same size, perhaps the same stamp
    assert stamps.unchanged(path, recorded, hashlib.sha256(b"abc").digest()) is None


def test_unchanged_by_bytes_even_when_the_stamp_moved(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("abc")
    recorded = old(path)
    path.write_text("abc")  # rewritten with the same bytes
    assert stamps.unchanged(path, recorded, hashlib.sha256(b"abc").digest()) is not None
    assert stamps.unchanged(path, recorded, hashlib.sha256(b"xyz").digest()) is None
    assert stamps.unchanged(tmp_path / "gone", recorded, hashlib.sha256(b"abc").digest()) is None


def test_digested_reuses_a_digest_only_under_a_trusted_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f"
    path.write_text("abc")
    wrong = b"\0" * 32
    assert stamps.digested(tmp_path / "missing", None) is None
    fresh = stamps.digested(path, Digested(Stamp(*stamps.stamp(path).fields(), False), wrong))  # type: ignore[union-attr]
    assert fresh is not None and fresh.digest == hashlib.sha256(b"abc").digest()
    monkeypatch.setattr(stamps, "stamp", lambda p: old(Path(p)))
    kept = stamps.digested(path, Digested(old(path), wrong))
    assert kept is not None and kept.digest == wrong  # trusted: the file is not read again
