"""Briefing files: escaping article text, safe loading, schema problems with file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from build_tools.site.render import body_html
from build_tools.store.briefing import escape_markdown, is_hand_edited, parse, render

GOOD = "---\nid: abc123\ntitle: A title\ndate: '2021-07-28T16:31:00+05:30'\ntags: [Russia]\n---\n\nBody.\n"


def problems(text: str) -> list[str]:
    _b, errors, _w = parse(text, Path("x.md"))
    return [e.format("x.md") for e in errors]


def test_valid_briefing_has_no_problems() -> None:
    briefing, errors, warnings = parse(GOOD, Path("x.md"))
    assert briefing is not None and errors == [] and warnings == []
    assert briefing.date is not None and briefing.date.utcoffset() is not None


def test_every_problem_is_reported_with_its_line_in_one_run() -> None:
    text = "---\nid: [1, 2]\ntitle: {a: 1}\ndate: 2021-02-30\ntags: Russia\ncountries: [[a]]\n---\n"
    assert problems(text) == [
        "x.md:2: 'id' must be text (required), not list",
        "x.md:3: 'title' must be text (required), not dict",
        "x.md:4: 'date' is not a valid date ('2021-02-30'); write it as 2021-07-28T16:31:00+05:30",
        "x.md:5: 'tags' must be a flat list of text, like [Tajikistan, Russia]",
        "x.md:6: 'countries' must be a flat list of text, like [Tajikistan, Russia]",
    ]


@pytest.mark.parametrize(("meta", "message"), [
    ("title: !!python/object/apply:os.system ['touch PWNED']", "could not determine a constructor"),
    ("a: &x [1]\nb: *x", "anchors and aliases"),
    ("tags: " + "[" * 5000 + "]" * 5000, "nest"),
    ("title: a\ntitle: b", "appears twice"),
    ("title: 'unclosed", "not valid YAML"),
    ("id: '../../etc'\ntitle: T", "'id' must be"),
], ids=["python-tag", "alias", "deep", "duplicate-key", "syntax", "id-path"])
def test_hostile_front_matter_is_refused(meta: str, message: str) -> None:
    start = time.perf_counter()
    found = problems(f"---\n{meta}\n---\nbody\n")
    assert any(message in p for p in found), found
    assert time.perf_counter() - start < 2


def test_unclosed_front_matter() -> None:
    assert "never closed" in problems("---\ntitle: x\nbody without end\n")[0]


def test_checksum_detects_any_edit() -> None:
    text = render({"id": "abc", "title": "T"}, "Body.")
    assert not is_hand_edited(text)
    assert is_hand_edited(text.replace("Body.", "Body!"))
    assert is_hand_edited(text.replace("title: T", "title: U"))


@pytest.mark.parametrize("line", [
    "# heading", "#1 not a heading", "## two", "> quote", "- item", "+ item", "* * *", "---", "===", "1986. year",
    "3) item", "    indented code", "| a | b |", "a | b", "!!! danger \"x\"", "{: onclick=alert(1) }",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](x \"t\")", "<http://x>", "```", "~~~",
    "&lt;script&gt;", "AT&T 5 < 6 && 7 > 3", "trailing backslash\\", "term\n: definition", "<!-- unclosed",
    "snake_case *em* `code`", "[^1]: footnote", "*[HTML]: abbr",
])
def test_article_text_renders_as_the_same_text(line: str) -> None:
    import html
    import re

    rendered = body_html(escape_markdown(line), "briefings/x.md")
    assert re.fullmatch(r"<p>.*</p>", rendered, re.DOTALL), rendered
    visible = html.unescape(rendered[3:-4])
    assert " ".join(visible.split()) == " ".join(" ".join(s.strip() for s in line.split("\n")).split())
