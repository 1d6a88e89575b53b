"""JSON inputs: every bad record or line is one message naming it; the good ones are read."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from build_tools.model import Article
from build_tools.read.bounds import MAX_TEXT_CHARS
from build_tools.read.files import Rejected
from build_tools.read.sources import read


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


# --- size limits: cut with a warning naming the file and where ---------------------------------


def test_long_json_body_is_cut_with_a_warning(tmp_path: Path) -> None:
    record = {"title": "A long record", "text": "Same words again and again.\n" * 20_000}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
    (article,) = read(tmp_path / "feed.jsonl")
    assert isinstance(article, Article) and len(article.text) <= MAX_TEXT_CHARS
    assert any(re.match(r"the record holds 559,999 characters of text, over the 300,000 .* cut at line", w)
               for w in article.warnings)
