"""Readers: every input decodes or is refused with a message naming it; nothing raises."""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import pytest

from build_tools.model import Article
from build_tools.read.sources import (
    MAX_HTML_CHARS,
    MAX_TEXT_CHARS,
    Rejected,
    decode,
    discover,
    looks_binary,
    read,
)

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


# --- size limits: cut with a warning naming the file and where ---------------------------------


def test_long_text_dump_is_cut_at_a_line_break_with_a_warning(tmp_path: Path) -> None:
    lines = [f"Paragraph {n} of a very long page with the same words over and over again." for n in range(70_000)]
    (tmp_path / "long.txt").write_text("Headline of a long page\n\n" + "\n".join(lines))
    (article,) = read(tmp_path / "long.txt")
    assert isinstance(article, Article)
    assert MAX_TEXT_CHARS // 2 < len(article.text) <= MAX_TEXT_CHARS
    assert article.text.endswith("over and over again.")  # a whole line, never half of one
    (warning,) = [w for w in article.warnings if "cut at line" in w]
    cut_line = len(article.text.split("\n"))
    assert f"cut at line {cut_line} " in warning and "the rest is not in the briefing" in warning


def test_one_huge_line_is_cut_at_a_space(tmp_path: Path) -> None:
    (tmp_path / "line.txt").write_bytes(b"Headline\n\n" + b"word " * 1_000_000)
    (article,) = read(tmp_path / "line.txt")
    assert isinstance(article, Article) and len(article.text) <= MAX_TEXT_CHARS
    assert article.text.endswith("word") and any("cut at line 3 " in w for w in article.warnings)


def test_input_hash_is_of_the_whole_input(tmp_path: Path) -> None:
    """Two long inputs that only differ after the cut are two inputs, not one."""
    base = "Headline\n\n" + "Same words again and again.\n" * (MAX_TEXT_CHARS // 28 + 10)
    (tmp_path / "a.txt").write_text(base + "Ending A.")
    (tmp_path / "b.txt").write_text(base + "Ending B.")
    (a,) = read(tmp_path / "a.txt")
    (b,) = read(tmp_path / "b.txt")
    assert isinstance(a, Article) and isinstance(b, Article) and a.text == b.text and a.input_hash != b.input_hash


@pytest.mark.parametrize(("html", "reason"), [
    ("<html><body>" + "<div>" * 50_000 + "deep" + "</div>" * 50_000 + "</body></html>", "more than 10,000 elements"),
    ("<html><body>" + "<p>Many words in many paragraphs here.</p>" * 30_000 + "</body></html>",
     "more than 300,000 characters of text"),
    ("<html><body><p>" + "word " * 150_000 + "</p></body></html>", "more than 300,000 characters of text"),
    ("<html><head><script>" + "var a = 1;" * 300_000 + "</head><body><p>Text</p></body></html>",
     "characters of HTML, over 2,000,000"),
], ids=["deep-nesting", "many-paragraphs", "one-huge-paragraph", "unclosed-script"])
def test_huge_html_is_cut_with_a_warning(html: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(html)
    (article,) = read(tmp_path / "page.html")
    assert isinstance(article, Article)
    (warning,) = [w for w in article.warnings if "cut at line" in w]
    assert reason in warning and "the rest is not in the briefing" in warning
    assert len(article.text) <= MAX_HTML_CHARS
    text = re.sub(r"<script.*?(</script>|$)", "", article.text, flags=re.DOTALL)
    assert sum(len(s.strip()) for s in re.split(r"<[^>]*>", text)) <= MAX_TEXT_CHARS


def test_biggest_real_html_pages_are_not_cut(shared: Path) -> None:
    """The limits are set well above every real page of the corpus (the docstrings say by how much)."""
    pages = sorted((shared / "corpus").rglob("*.html"), key=lambda p: p.stat().st_size)[-20:]
    for page in pages:
        for item in read(page):
            assert isinstance(item, Article) and not any("cut at line" in w for w in item.warnings), page


def test_long_json_body_is_cut_with_a_warning(tmp_path: Path) -> None:
    record = {"title": "A long record", "text": "Same words again and again.\n" * 20_000}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
    (article,) = read(tmp_path / "feed.jsonl")
    assert isinstance(article, Article) and len(article.text) <= MAX_TEXT_CHARS
    assert any(re.match(r"the record holds 559,999 characters of text, over the 300,000 .* cut at line", w)
               for w in article.warnings)


def test_the_editors_page_states_every_limit() -> None:
    from build_tools.read import sources
    from build_tools.site import defaults

    page = (defaults.DOCS / "editors" / "index.md").read_text("utf-8")
    assert f"| {sources.MAX_INPUT_BYTES // 2**20} MiB |" in page
    for value in (sources.MAX_TEXT_CHARS, sources.MAX_HTML_CHARS, sources.MAX_HTML_ELEMENTS, sources.MAX_INT_DIGITS):
        assert f"| {value:,} " in page, f"docs/editors/index.md does not state the limit {value:,}"


def test_a_device_given_on_the_command_line_is_refused_without_opening_it() -> None:
    (found,) = discover([Path("/dev/zero")])  # reading it would never end
    assert isinstance(found, Rejected) and "not a regular file" in found.reason


def test_a_file_bigger_than_fstat_said_is_read_whole_up_to_the_limit(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools.read import sources

    grew = tmp_path / "grew.txt"
    grew.write_bytes(b"x" * 3000)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # the size before the file grew
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 100, *info[7:10]))

    monkeypatch.setattr(sources.os, "fstat", stale_fstat)
    assert sources.read_bytes(grew) == b"x" * 3000
    monkeypatch.setattr("build_tools.read.sources.MAX_INPUT_BYTES", 2048)
    result = sources.read_bytes(grew)
    assert isinstance(result, Rejected) and "over" in result.reason
