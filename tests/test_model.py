"""The metadata table drives everything: reading, sanitising, front matter, validation, record, docs.

A field added to ``model.Metadata`` is in every one of these without another edit; the
front-matter page's key table is regenerated with
``BRIEFINGS_UPDATE_DOCS=1 .venv/bin/pytest tests/test_model.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.ingest import sanitise
from build_tools.model import FIELDS, Article, Briefing, FieldSpec, Given, InputKind, Kind, Metadata, Origin
from build_tools.read.records import record_to_article
from build_tools.site import defaults
from build_tools.store import briefing
from build_tools.store.record import article_record

DOC = defaults.DOCS / "editors" / "front-matter.md"
SPECS = list(FIELDS.values())
IDS = list(FIELDS)

SAMPLES: dict[Kind, Any] = {
    Kind.TEXT: "Oil: \"buy the dip\" #1, yes",
    Kind.DATE: dt.datetime(2021, 7, 28, 16, 31, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    Kind.TEXT_LIST: ["Reuters", "yes", "AFP: Paris"],
    Kind.URL: "https://example.com/2021/07/a-story?id=1",
    Kind.LANGUAGE: "en",
}
"""A value of each kind that YAML could misread if it were written by hand."""


def article(**values: Any) -> Article:
    return Article(source="x.txt", kind=InputKind.TEXT, text="", input_hash="ab" * 32, body=["Text."],
                   **{"title": "Title", **values})


def test_given_article_and_briefing_carry_every_field() -> None:
    names = [f.name for f in dataclasses.fields(Metadata)]
    assert names == IDS
    for cls in (Given, Article, Briefing):
        assert set(names) <= {f.name for f in dataclasses.fields(cls)}, cls


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_field_is_written_known_and_in_the_record(spec: FieldSpec) -> None:
    assert spec.name in briefing.front_matter(article(), [])
    assert spec.name in briefing.KNOWN_KEYS
    assert spec.name in article_record(article())


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_field_round_trips_through_a_briefing_file(spec: FieldSpec) -> None:
    value = SAMPLES[spec.kind]
    a = article(**{spec.name: value})
    text = briefing.render(briefing.front_matter(a, []), briefing.article_body(a))
    parsed, errors, warnings = briefing.parse(text, Path("x.md"))
    assert errors == [] and warnings == []
    assert parsed is not None and getattr(parsed, spec.name) == value


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_field_is_validated_with_its_line(spec: FieldSpec) -> None:
    text = f"---\nid: abc\ntitle: T\n{spec.name}: {{a: 1}}\n---\nBody.\n"
    _b, errors, _w = briefing.parse(text, Path("x.md"))
    assert [e.line for e in errors] == [4] and f"'{spec.name}'" in errors[0].message


@pytest.mark.parametrize("spec", [s for s in SPECS if s.limit and s.kind in (Kind.TEXT, Kind.LANGUAGE)],
                         ids=[s.name for s in SPECS if s.limit and s.kind in (Kind.TEXT, Kind.LANGUAGE)])
def test_every_limit_is_enforced_with_a_warning(spec: FieldSpec) -> None:
    done = sanitise(article(**{spec.name: "ab " * spec.limit}))
    value = getattr(done, spec.name)
    assert value is None or len(value) <= spec.limit  # an over-long language code is dropped
    assert any(w.startswith(f"{spec.name} is ") for w in done.warnings)


def test_sanitise_returns_a_new_article() -> None:
    a = article(author="  Jane\u202e  Doe ", sources=["Reuters\u200b"])
    done = sanitise(a)
    assert (done.author, done.sources) == ("Jane Doe", ["Reuters"])
    assert (a.author, a.sources) == ("  Jane\u202e  Doe ", ["Reuters\u200b"])


@pytest.mark.parametrize("spec", [s for s in SPECS if s.stated_as], ids=[s.name for s in SPECS if s.stated_as])
def test_every_stated_field_is_read_from_json_under_each_of_its_keys(spec: FieldSpec) -> None:
    value = SAMPLES[spec.kind]
    for key in spec.stated_as:
        stated = value.isoformat() if isinstance(value, dt.datetime) else value
        found = record_to_article("x.json", {"text": "Body.", key: stated}, [])
        assert isinstance(found, Article) and getattr(found.given, spec.name) == value, key


def test_list_fields_are_not_stated_by_inputs() -> None:
    """The JSON reader reads text and dates; reading a list field would need its own rule."""
    assert not [s.name for s in SPECS if s.kind is Kind.TEXT_LIST and s.stated_as]


# --- the front-matter page for editors ---------------------------------------------------------

KEYS_BLOCK = re.compile(r"(<!-- keys:.*?-->\n)(.*?)(<!-- end keys -->)", re.DOTALL)


def test_front_matter_page_lists_exactly_the_schema() -> None:
    text = DOC.read_text("utf-8")
    block = KEYS_BLOCK.search(text)
    assert block is not None, f"{DOC}: the '<!-- keys: ... -->' ... '<!-- end keys -->' block is missing"
    if os.environ.get("BRIEFINGS_UPDATE_DOCS") == "1":
        text = text[:block.start(2)] + briefing.schema_table() + text[block.end(2):]
        DOC.write_text(text, "utf-8")
        block = KEYS_BLOCK.search(text)
        assert block is not None
    assert block.group(2) == briefing.schema_table(), \
        "the key table is out of date: BRIEFINGS_UPDATE_DOCS=1 .venv/bin/pytest tests/test_model.py"
    listed = re.findall(r"^\| ((?:`\w+`(?:, )?)+) \|", block.group(2), re.MULTILINE)
    assert [k.strip("`") for row in listed for k in row.split(", ")] == list(briefing.KNOWN_KEYS)


def test_front_matter_page_example_has_every_key() -> None:
    example = re.search(r"```yaml\n---\n(.*?)---\n```", DOC.read_text("utf-8"), re.DOTALL)
    assert example is not None
    assert set(yaml.safe_load(example.group(1))) == set(briefing.KNOWN_KEYS)


def test_origins_are_written_as_mappings_and_read_back_as_origins() -> None:
    origins = [Origin("wire.txt", "Wire", "https://example.com/a", "ab" * 32, "2021-07-05T10:00:00+00:00"),
               Origin("feed.json#2", input_hash="cd" * 32)]
    text = briefing.render(briefing.front_matter(article(), origins), "Text.")
    meta, _ = briefing.split(text)
    assert yaml.safe_load(meta or "")["origins"][0] == {"source": "wire.txt", "outlet": "Wire",
                                                        "url": "https://example.com/a", "input_hash": "ab" * 32,
                                                        "published": "2021-07-05T10:00:00+00:00"}
    parsed, errors, _ = briefing.parse(text, Path("x.md"))
    assert errors == [] and parsed is not None and parsed.origins == origins


def test_a_field_no_stage_finds_is_as_the_input_states_it() -> None:
    from build_tools.process import process

    found = record_to_article("x.json", {"title": "T", "text": "Body of the story.", "url": "https://example.com/a"}, [])
    assert isinstance(found, Article)
    assert process(found, None).url == "https://example.com/a"
