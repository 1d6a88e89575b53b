"""Size limits: long text and huge HTML are cut with a warning saying where; real pages are not cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.model import Article
from build_tools.read.bounds import MAX_HTML_CHARS, MAX_TEXT_CHARS
from build_tools.read.sources import read


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
