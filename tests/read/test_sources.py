"""Readers: every input decodes or is refused with a message naming it; nothing raises."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from build_tools.model import Article
from build_tools.read.sources import Rejected, decode, discover, looks_binary, read

ARTICLE = "ugc_banner\n\nCafé owners protest card fees\n\nWION Web Team\n\nThe owners said fees had risen again this year.\n"


@pytest.mark.parametrize(("data", "expected"), [
    (codecs.BOM_UTF8 + ARTICLE.encode(), ARTICLE),
    (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), ARTICLE),
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), ARTICLE),
    (ARTICLE.encode("utf-16-le"), ARTICLE),  # no BOM: sniffed from the NUL pattern
    (ARTICLE.encode("latin-1"), ARTICLE),
    (b"caf\xe9 \x81\x8d", "café \x81\x8d"),  # bytes cp1252 leaves undefined read as Latin-1, never U+FFFD
], ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-sniffed", "latin1", "cp1252-gaps"])
def test_decode(data: bytes, expected: str) -> None:
    text, _warnings = decode(data)
    assert text == expected


def test_latin1_fallback_warns() -> None:
    _, warnings = decode("Málaga".encode("latin-1"))
    assert warnings and "Latin-1" in warnings[0]


def test_utf16_is_not_binary_but_png_is() -> None:
    assert not looks_binary(ARTICLE.encode("utf-16-le"))
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)


def test_reader_refuses_fifo_folder_and_huge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "folder.txt").mkdir()
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr("build_tools.read.sources.MAX_INPUT_BYTES", 1024)
    for name, reason in (("pipe.txt", "not a regular file"), ("folder.txt", "folder"), ("big.txt", "limit")):
        (result,) = read(tmp_path / name)
        assert isinstance(result, Rejected) and name in result.message() and reason in result.reason


def test_symlink_out_of_the_input_tree_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(ARTICLE)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.txt").symlink_to(outside)
    found = list(discover([inbox]))
    assert len(found) == 1 and isinstance(found[0], Rejected) and "outside" in found[0].reason


def test_jsonl_bad_lines_are_reported_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"title": "A good record", "body": "Some text of the record."})
    path.write_text("\n".join([good, "{broken", "[" * 100_000, '{"title": "x", "body": "\\ud800 lone"}', good]))
    results = read(path)
    assert [type(r).__name__ for r in results] == ["Article", "Rejected", "Rejected", "Article", "Article"]
    assert results[1].source.endswith("feed.jsonl:2") and results[2].source.endswith("feed.jsonl:3")
    lone = results[3]
    assert isinstance(lone, Article) and "\ud800" not in lone.text


GOOD_RECORD = json.dumps({"title": "Port strike enters third day", "text": "Dock workers stayed out again."})


@pytest.mark.parametrize(("line", "reason"), [
    ('{"title": "T", "text": "x", "id": ' + "9" * 5000 + "}", "number of 5,000 digits"),
    ('{"title": "T", "text": "x", "score": 1e400}', "too large for a float"),
    ('{"title": "T", "text": "x", "score": NaN}', "NaN, which is not valid JSON"),
    ('{"title": "T", "text": "x", "score": -Infinity}', "-Infinity, which is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('["a list", "not an object"]', "record is list, expected an object"),
    ("42", "record is int, expected an object"),
], ids=["int-over-the-digit-limit", "float-overflow", "nan", "infinity", "deep-nesting", "list", "number"])
def test_bad_jsonl_record_is_one_line_naming_its_line(line: str, reason: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([GOOD_RECORD, line, GOOD_RECORD.replace("third", "fourth")]) + "\n")
    first, bad, last = read(feed)
    assert isinstance(first, Article) and isinstance(last, Article)
    assert isinstance(bad, Rejected), bad
    assert bad.source.endswith("feed.jsonl:2") and reason in bad.reason and bad.fix
    assert "report this input as a bug" not in bad.message()


@pytest.mark.parametrize("data", [
    b'{"title": "T", "text": "x", "n": ' + b"1" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
], ids=["int-over-the-digit-limit", "deep-nesting"])
def test_bad_json_file_is_one_line(data: bytes, tmp_path: Path) -> None:
    (result,) = read(tmp_path / "x.json") if (tmp_path / "x.json").write_bytes(data) else []
    assert isinstance(result, Rejected) and result.source.endswith("x.json") and result.fix
    assert "report this input as a bug" not in result.message()


def test_jsonl_with_a_bom_on_every_line_and_mixed_encodings(tmp_path: Path) -> None:
    """Files concatenated from several exports: each may start with a BOM, some are Latin-1."""
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(codecs.BOM_UTF8 + GOOD_RECORD.encode() + b"\n" + codecs.BOM_UTF8
                     + '{"title": "Café owners protest", "text": "Fees rose."}'.encode() + b"\n"
                     + '{"title": "Málaga port reopens", "text": "Ships docked."}'.encode("latin-1") + b"\n")
    results = read(feed)
    assert [type(r) for r in results] == [Article, Article, Article]
    assert results[2].given.title == "Málaga port reopens"  # type: ignore[union-attr]
