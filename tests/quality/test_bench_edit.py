"""quality/bench_edit: the edits it times are the ones it says (the timing itself asserts nothing)."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from build_tools.store.briefing import parse
from quality.bench_edit import page_of, retitled
from tests.conftest import REPO


def test_retitled_changes_the_front_matter_title_only() -> None:
    path = sorted((REPO / "briefings").rglob("*.md"))[0]
    text = path.read_text("utf-8")
    out = retitled(text, "Edited 3")
    parsed = parse(out, path.relative_to(REPO / "briefings"))
    assert parsed.briefing is not None and not parsed.errors
    assert parsed.briefing.title == "Edited 3"
    assert out.replace("title: Edited 3", "") == text.replace(next(
        line for line in text.splitlines() if line.startswith("title: ")), "")


def test_retitled_refuses_a_briefing_without_a_title_line() -> None:
    with pytest.raises(ValueError, match="no 'title:' line"):
        retitled("---\nid: x\n---\nbody\n", "T")


def test_page_of() -> None:
    assert page_of(PurePosixPath("1987/03/a-story.md")) == "briefings/1987/03/a-story/"
