"""Readers: every input decodes or is refused with a message naming it; nothing raises."""

from __future__ import annotations

from pathlib import Path

from build_tools.model import Article
from build_tools.read.bounds import MAX_TEXT_CHARS
from build_tools.read.sources import read


def test_input_hash_is_of_the_whole_input(tmp_path: Path) -> None:
    """Two long inputs that only differ after the cut are two inputs, not one."""
    base = "Headline\n\n" + "Same words again and again.\n" * (MAX_TEXT_CHARS // 28 + 10)
    (tmp_path / "a.txt").write_text(base + "Ending A.")
    (tmp_path / "b.txt").write_text(base + "Ending B.")
    (a,) = read(tmp_path / "a.txt")
    (b,) = read(tmp_path / "b.txt")
    assert isinstance(a, Article) and isinstance(b, Article) and a.text == b.text and a.input_hash != b.input_hash


def test_the_editors_page_states_every_limit() -> None:
    from build_tools.read import bounds, files, records
    from build_tools.site import defaults

    page = (defaults.DOCS / "editors" / "index.md").read_text("utf-8")
    assert f"| {files.MAX_INPUT_BYTES // 2**20} MiB |" in page
    for value in (bounds.MAX_TEXT_CHARS, bounds.MAX_HTML_CHARS, bounds.MAX_HTML_ELEMENTS, records.MAX_INT_DIGITS):
        assert f"| {value:,} " in page, f"docs/editors/index.md does not state the limit {value:,}"
