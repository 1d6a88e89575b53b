"""Properties of the front matter, on generated values and generated edits (Hypothesis).

(a) Whatever text the pipeline can hold (quotes, ': ', '#', a leading '-', '---', YAML's own
    words like yes/null/2021, emoji, right-to-left scripts), the writer's YAML reads back as the
    same values, and the written file counts as not hand-edited.
(b) Whatever an editor does to a real briefing (lines deleted or doubled, tabs, quotes and colons
    typed in, values swapped for numbers, lists or mappings), ``parse`` raises nothing and every
    problem names a line of the file.

Derandomized with a fixed number of examples, so a CI run is repeatable and takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.model import TAG_TYPES, Article, InputKind, Tags
from build_tools.store import briefing
from build_tools.text import clean_value
from tests.conftest import REPO

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow])
"""The profile of these suites: repeatable (derandomized, no example database), no per-example
deadline (the machine is shared), enough examples to cover every strategy's corners."""

AWKWARD = ["2021", "yes", "No", "null", "~", "true", "1e3", "0x1F", ".inf", "- leading dash", "---", "--- a",
           "# hash", "a # comment", "Breaking: news", "key:value", "'single'", '"double"', "it's", "@at", "&anchor",
           "*alias", "!tag", "!!python/name:os.system", "%YAML", "{a: 1}", "[a, b]", "2021-07-28",
           "2021-07-28T16:31:00+05:30", "مرحبا بالعالم", "שלום עולם", "emoji 👩‍👩‍👧 and 🇺🇦", "tab\tinside", "|", ">",
           "?", "a  b", "Ⅻ", "\u00a0nbsp"]

text_value = st.one_of(st.sampled_from(AWKWARD), st.text(min_size=1, max_size=40)).map(clean_value).filter(bool)
"""One-line metadata text as the pipeline writes it (``clean_value``: NFC, controls removed, spaces collapsed)."""

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
dates = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=offsets)
paragraph = st.one_of(st.sampled_from(AWKWARD), st.text(min_size=1, max_size=80)).map(
    lambda p: "\n".join(clean_value(line) for line in p.split("\n"))).filter(lambda p: p.strip() != "")


@st.composite
def articles(draw: st.DrawFn) -> Article:
    optional = st.none() | text_value
    return Article(
        source="x.txt", kind=InputKind.TEXT, text="", input_hash="ab" * 32,
        title=draw(text_value), date=draw(st.none() | dates), updated=draw(st.none() | dates),
        author=draw(optional), outlet=draw(optional), section=draw(optional), summary=draw(optional),
        image_credit=draw(optional), sources=draw(st.lists(text_value, max_size=3)), language=draw(optional),
        url=draw(optional), body=draw(st.lists(paragraph, min_size=1, max_size=4)),
        tags=Tags(**{t: draw(st.lists(text_value, max_size=4, unique=True)) for t in TAG_TYPES}),
    )


@PROPERTIES
@given(articles())
def test_written_front_matter_reads_back_as_the_same_values(article: Article) -> None:
    body = briefing.article_body(article)
    text = briefing.render(briefing.front_matter(article, [briefing.origin(article)]), body)
    parsed, errors, warnings = briefing.parse(text, Path("x.md"))
    assert errors == [] and warnings == []
    assert parsed is not None
    for name in ("title", "date", "updated", "author", "outlet", "section", "summary", "image_credit", "sources",
                 "language", "url"):
        assert getattr(parsed, name) == getattr(article, name), name
    assert parsed.tags == article.tags
    assert parsed.body.rstrip("\n") == body.rstrip("\n")
    assert parsed.origins == [briefing.origin(article)]
    assert not briefing.is_hand_edited(text)


def signed_by_dumping_twice(meta: dict, body: str) -> str:
    """How ``render`` signed a briefing before it added the checksum's line itself: the front
    matter dumped again with the checksum as its last key."""
    meta = {k: v for k, v in meta.items() if k != briefing.CHECKSUM_KEY}
    meta[briefing.CHECKSUM_KEY] = briefing.content_hash(briefing._dump(meta, body))[:16]
    return briefing._dump(meta, body)


@PROPERTIES
@given(articles(), st.sampled_from(["", "---", "\n---\n", "Body.\n\n---\n\nmore"]))
def test_render_writes_what_dumping_twice_wrote(article: Article, extra: str) -> None:
    body = briefing.article_body(article) + extra
    meta = briefing.front_matter(article, [briefing.origin(article)])
    assert briefing.render(meta, body) == signed_by_dumping_twice(meta, body)
    assert briefing.render(meta, "") == signed_by_dumping_twice(meta, "")


def test_render_of_empty_or_odd_front_matter_writes_what_dumping_twice_wrote() -> None:
    for meta in ({}, {"checksum": "x"}, {"---": "---"}, {"a": "x\n---\ny", "b": ["\n---\n"]}, {"a": None}):
        for body in ("", "Body.", "---\n"):
            assert briefing.render(meta, body) == signed_by_dumping_twice(meta, body), (meta, body)


# --- (b) generated edits of a real briefing ---------------------------------------------------------

SAMPLE = next(iter(sorted((REPO / "briefings").rglob("*.md"))))
REAL = SAMPLE.read_text("utf-8")
INSERTS = ["\t", "'", '"', ": ", "[", "{", "- ", "#", "---", "&x ", "*x", "!!python/name:os.system ", "\x07", "\ufeff"]
VALUES = ["12345", "2021", "yes", "null", "", "[a, b]", "{a: 1}", "[[a]]", "- x", "'unclosed", '"unclosed',
          "2021-02-30", "Breaking: news", "-", "~"]


@st.composite
def edited(draw: st.DrawFn) -> str:
    lines = REAL.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "value", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            at = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(INSERTS)) + lines[i][at:]
        elif action == "value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}"
        elif action == "indent":
            lines[i] = " " * draw(st.integers(min_value=1, max_value=3)) + lines[i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@PROPERTIES
@given(edited())
def test_check_of_any_edit_raises_nothing_and_names_a_line_of_the_file(text: str) -> None:
    parsed, errors, warnings = briefing.parse(text, Path("x.md"))
    last = len(text.lstrip("\ufeff").replace("\r\n", "\n").split("\n"))
    for problem in [*errors, *warnings]:
        assert problem.line is not None and 1 <= problem.line <= last, (problem, text)
    assert (parsed is None) == bool(errors)


FRONT_MATTER_END = REAL.split("\n").index("---", 1)
SCALAR_LINES = [i for i, line in enumerate(REAL.split("\n")[1:FRONT_MATTER_END], start=1)
                if ": " in line and not line.startswith((" ", "-"))]
"""0-based lines of the sample's one-line 'key: value' entries."""
UNCLOSED = ["'unclosed value", '"unclosed value', "[a, b", "{a: 1", "Breaking: news", "x\ty: z"]


@PROPERTIES
@given(st.sampled_from(SCALAR_LINES), st.sampled_from(UNCLOSED))
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(index: int, value: str) -> None:
    lines = REAL.split("\n")
    key = lines[index].split(": ", 1)[0]
    lines[index] = f"{key}: {value}"
    _b, errors, _w = briefing.parse("\n".join(lines), Path("x.md"))
    assert [e.line for e in errors] == [index + 1], errors
