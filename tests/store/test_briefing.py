"""Briefing files: escaping article text, safe loading, schema problems with file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from build_tools.site.render import body_html
from build_tools.store.briefing import checksum_line, escape_markdown, is_hand_edited, parse, render

GOOD = "---\nid: abc123\ntitle: A title\ndate: '2021-07-28T16:31:00+05:30'\ncountries: [Russia]\n---\n\nBody.\n"


def problems(text: str) -> list[str]:
    _b, errors, _w = parse(text, Path("x.md"))
    return [e.format("x.md") for e in errors]


def test_valid_briefing_has_no_problems() -> None:
    briefing, errors, warnings = parse(GOOD, Path("x.md"))
    assert briefing is not None and errors == [] and warnings == []
    assert briefing.date is not None and briefing.date.utcoffset() is not None


def warnings_of(text: str) -> list[str]:
    _b, _e, warnings = parse(text, Path("x.md"))
    return [w.format("x.md") for w in warnings]


def test_every_problem_is_reported_with_its_line_in_one_run() -> None:
    text = "---\nid: [1, 2]\ntitle: {a: 1}\ndate: 2021-02-30\ncountries: Russia\npeople: [[a]]\n---\n"
    assert problems(text) == [
        "x.md:2: 'id' is a list, but it must be text (required); write it on one line as id: your text",
        "x.md:3: 'title' is a mapping (key: value pairs), but it must be text (required); write it on one line as "
        "title: your text",
        "x.md:4: 'date' is not a valid date (2021-02-30); write it as '2021-07-28T16:31:00+05:30' (or null)",
        "x.md:5: 'countries' must be a flat list of text, like [Tajikistan, Russia], not text; write it as "
        "countries: [Russia]",
        "x.md:6: an item of 'people' is a list, but every item must be text; write a name there or delete the line",
    ]


# --- type errors: numbers, true/false, null, lists and mappings where they do not belong ----------

TYPE_ERRORS = {
    "number-title": ("title: 12345", "x.md:3: 'title' is read as a number (12345), but it must be text (required); "
                                     "if it is meant as text, put it in quotes: title: '12345'"),
    "bool-title": ("title: yes", "x.md:3: 'title' is read as true/false (yes), but it must be text (required); "
                                 "if it is meant as text, put it in quotes: title: 'yes'"),
    "null-title": ("title: null", "x.md:3: 'title' is missing or empty; it is required: write title: and the text"),
    "list-author": ("title: T\nauthor: [A, B]", "x.md:4: 'author' is a list, but it must be text or null; write it "
                                                 "on one line as author: your text"),
    "number-tag": ("title: T\ncountries:\n- Russia\n- 2021", "x.md:6: an item of 'countries' is read as a number "
                                                            "(2021), but every item must be text; if it is meant as "
                                                            "text, put it in quotes: - '2021'"),
    "bool-tag": ("title: T\ntopics: [health, no]", "x.md:4: an item of 'topics' is read as true/false (no), but "
                                                    "every item must be text; if it is meant as text, put it in "
                                                    "quotes: - 'no'"),
    "null-tag": ("title: T\npeople:\n- A B\n-\n", "x.md:6: an item of 'people' is an empty item, but every item "
                                                  "must be text; write a name there or delete the line"),
    "mapping-for-list": ("title: T\nplaces: {Kabul: 1}", "x.md:4: 'places' must be a flat list of text, like "
                                                         "[Tajikistan, Russia], not a mapping (key: value pairs); "
                                                         "write it as a list, like places: [Tajikistan, Russia]"),
    "number-id": ("id: 2021\ntitle: T", "x.md:2: 'id' is read as a number (2021), but it must be text (required); "
                                        "if it is meant as text, put it in quotes: id: '2021'"),
    "item-joined": ("title: T\npeople:\n- Angela Merkel\n  - Emmanuel Macron",
                    "x.md:5: this item of 'people' runs on to the next line, so YAML joins them into one "
                    "('Angela Merkel - Emmanuel Macron'); start every item on its own line with '- ', lined up "
                    "with the others"),
}


@pytest.mark.parametrize("case", list(TYPE_ERRORS), ids=list(TYPE_ERRORS))
def test_type_errors_are_errors_with_their_line(case: str) -> None:
    meta, message = TYPE_ERRORS[case]
    text = f"---\n{meta}\n---\nBody.\n" if meta.startswith("id:") else f"---\nid: a1\n{meta}\n---\nBody.\n"
    assert problems(text) == [message]


def test_unknown_keys_are_warnings_and_typos_name_the_known_key() -> None:
    text = "---\nid: a1\ntitle: T\nautor: A. Writer\nmystery_key: 1\n---\n"
    assert problems(text) == []
    assert warnings_of(text) == [
        "x.md:4: unknown key 'autor': did you mean 'author'? It is ignored until you rename it",
        "x.md:5: unknown key 'mystery_key' is kept but not used on the site (known keys: see the front-matter page)",
    ]


# --- the flat tags: list: made from the typed lists, never read; an edit to it is reported --------

def test_flat_tags_that_agree_with_the_typed_lists_are_accepted() -> None:
    text = "---\nid: a1\ntitle: T\ncountries: [Russia]\npeople: [Angela Merkel]\ntags: [Russia, Angela Merkel]\n---\n"
    assert problems(text) == [] and warnings_of(text) == []


def test_an_edit_of_flat_tags_is_reported_with_the_typed_list_to_edit() -> None:
    text = ("---\nid: a1\ntitle: T\ncountries: [Russia]\npeople:\n- Angela Merkel\ntags:\n- Russia\n- Putin\n"
            "---\n")
    assert warnings_of(text) == [
        "x.md:7: 'tags:' lacks 'Angela Merkel', but 'tags:' is not read: to remove the tag, edit the typed list "
        "`people:` instead (line 6), and delete 'tags:'",
        "x.md:9: 'Putin' is only in 'tags:', which is not read (the site's tags are the typed lists); add it to the "
        "typed list it belongs in (countries:, places:, people:, organizations:, topics:) instead, and delete 'tags:'",
    ]


def test_the_writer_no_longer_writes_flat_tags() -> None:
    from build_tools.model import Article, InputKind, Tags
    from build_tools.store.briefing import front_matter

    article = Article(source="x.txt", kind=InputKind.TEXT, text="", input_hash="ab" * 32, title="T",
                      tags=Tags(countries=["Russia"], people=["Angela Merkel"]))
    meta = front_matter(article, [])
    assert "tags" not in meta and meta["countries"] == ["Russia"]
    parsed, errors, _ = parse(render(meta, "Body."), Path("x.md"))
    assert errors == [] and parsed is not None and parsed.flat_tags == ["Russia", "Angela Merkel"]


# --- YAML syntax errors: the line where the mistake starts, and what to do ------------------------

SYNTAX_ERRORS = {
    "single-quote": ("---\nid: a1\ntitle: T\nauthor: 'unclosed\nsummary: x\nsection: y\n---\nbody\n",
                     "x.md:4: the quote (') opened here is never closed; close it at the end of the value or remove it"),
    "quote-closed-by-the-next-value": ("---\nid: 'a1\ntitle: T\ndate: '2021-07-28T16:31:00+05:30'\n---\n",
                                       "x.md:2: the quote (') opened here is never closed; close it at the end of "
                                       "the value or remove it"),
    "double-quote": ('---\nid: a1\ntitle: "T\nauthor: x\n---\n',
                     'x.md:3: the quote (") opened here is never closed; close it at the end of the value or remove it'),
    "bracket": ("---\nid: a1\ntitle: T\ncountries: [Russia, France\nauthor: x\n---\n",
                "x.md:4: the [ opened here is never closed (or its items lack commas); close the list with ], "
                "separate items with ', ', or put the whole value in quotes if the bracket is part of the text"),
    "brace": ("---\nid: a1\ntitle: T\norigins:\n  - {source: a, url: b\nauthor: x\n---\n",
              "x.md:5: the { opened here is never closed (or its items lack commas); close the mapping with }, "
              "separate items with ', ', or put the whole value in quotes if the bracket is part of the text"),
    "tab": ("---\nid: a1\ntitle: T\ncountries:\n\t- Russia\n---\n", "x.md:5: tabs cannot indent YAML; use spaces"),
    "colon-in-value": ("---\nid: a1\ntitle: Breaking: news\n---\n",
                       "x.md:3: the value contains ': ', which YAML reads as the start of another key; put the "
                       'value in quotes: title: "Breaking: news"'),
    "duplicate-key": ("---\nid: a1\ntitle: T\nauthor: x\ntitle: U\n---\n",
                      "x.md:5: key 'title' appears twice (first on line 3); keep only one"),
    "missing-closing-fence": ("---\nid: a1\ntitle: T\ncountries: [Russia]\n\nBody text.\n\nMore.\n",
                              "x.md:1: the front matter opened here with '---' is never closed; add a line '---' "
                              "after line 4, where the front matter ends"),
    "closing-fence-in-body": ("---\nid: a1\ntitle: T\n\nBody text here.\n\n---\n\nMore.\n",
                              "x.md:5: 'Body text here.' is not a 'key: value' line; write it as key: value, or, if "
                              "the front matter ends above it, add a line '---' before it"),
    "list-item-indent": ("---\nid: a1\ntitle: T\ncountries:\n  - Russia\n - France\n---\n",
                         "x.md:6: this list item is not lined up with the items above it; indent its '-' like theirs"),
    "quote-inside-quotes": ("---\nid: a1\ntitle: 'It's here'\n---\n",
                            "x.md:3: text follows the closing ' of a quoted value; write a ' inside the value twice "
                            "('')"),
    "control-character": ("---\nid: a1\ntitle: a\x07b\n---\n",
                          "x.md:3: a control character (#x07) YAML does not allow; delete it"),
    "crlf-and-bom": ("\ufeff---\r\nid: a1\r\ntitle: T\r\nauthor: 'x\r\n---\r\n",
                     "x.md:4: the quote (') opened here is never closed; close it at the end of the value or remove it"),
}


@pytest.mark.parametrize("case", list(SYNTAX_ERRORS), ids=list(SYNTAX_ERRORS))
def test_syntax_errors_name_the_line_where_they_start_and_the_fix(case: str) -> None:
    text, message = SYNTAX_ERRORS[case]
    assert problems(text) == [message]


@pytest.mark.parametrize(("meta", "message"), [
    ("title: !!python/object/apply:os.system ['touch PWNED']",
     "x.md:2: the YAML tag !!python/object/apply:os.system is not allowed in a briefing; remove it"),
    ("a: &x [1]\nb: *x", "x.md:2: anchors and aliases (&name, *name) are not allowed in briefings; write the value out"),
    ("tags: " + "[" * 5000 + "]" * 5000, "nested"),
    ("id: '../../etc'\ntitle: T", "x.md:2: 'id' must be 1-64 letters, digits, '-' or '_', not '../../etc'"),
], ids=["python-tag", "alias", "deep", "id-path"])
def test_hostile_front_matter_is_refused(meta: str, message: str) -> None:
    found = problems(f"---\n{meta}\n---\nbody\n")
    assert len(found) == 1 and (found[0] == message or message == "nested" and "nested" in found[0]), found


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


def test_a_local_time_round_trips_without_a_made_up_offset() -> None:
    from build_tools.extract.dates import is_local
    from build_tools.store.briefing import iso

    briefing, errors, _w = parse(GOOD.replace("+05:30", ""), Path("x.md"))
    assert briefing is not None and errors == []
    assert is_local(briefing.date)
    assert iso(briefing.date) == "2021-07-28T16:31:00"


@pytest.mark.parametrize("checksum", ["0123456789abcdef", "1234567890123456", "0b01101001011010", "0b0110100101101a",
                                      "1e10000000000000", "0000000000000000", "ffffffffffffffff", "0x12345678901234",
                                      "00000000000000e0", "b000000000000000"])
def test_checksum_line_is_what_the_yaml_emitter_writes(checksum: str) -> None:
    assert checksum_line(checksum) == yaml.safe_dump({"checksum": checksum}, width=10**9).strip()


def test_checksum_line_of_many_digests_is_what_the_yaml_emitter_writes() -> None:
    for n in range(2000):
        checksum = hashlib.sha256(str(n).encode()).hexdigest()[:16]
        assert checksum_line(checksum) == yaml.safe_dump({"checksum": checksum}, width=10**9).strip()


ALIKE_RANGES = ((0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF), (0xE000, 0xFFFD))
YAML_PIECES = (": ", " #", "- ", "---", "yes", "No", "null", "~", "0x1f", "1e3", ".inf", "@", "`", '"', "'", "|", ">",
               "%", "!", "&", "*", "?", "{", "}", "[", "]", ",", " ", "  ", "\t", "\ufeff", "...", "<<", "2020-01-01")


def random_texts(seed: int, count: int) -> list[str]:
    import random

    rng = random.Random(seed)

    def piece() -> str:
        if rng.random() < 0.4:
            return rng.choice(YAML_PIECES)
        lo, hi = rng.choice(ALIKE_RANGES)
        return chr(rng.randint(lo, hi))

    return ["".join(piece() for _ in range(rng.randint(0, 14))) for _ in range(count)]


def python_emitter_render(meta: dict[str, object], body: str) -> str:
    from unittest import mock

    from build_tools.store import briefing

    with mock.patch.object(briefing, "FAST_DUMPER", None):
        return render(meta, body)


def test_libyaml_writes_the_front_matter_pyyaml_writes_for_texts_it_is_used_on() -> None:
    import datetime as dt

    from build_tools.store.briefing import FAST_DUMPER, YAML_WIDTH, _emits_alike

    assert FAST_DUMPER is not None, "PyYAML without libyaml: nothing to compare"
    when = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    for text in random_texts(3, 20000):
        meta = {"id": "abc", "title": text, "date": when, "people": [text, "x"], "origins": [{"source": text, "url": ""}]}
        assert _emits_alike(meta), repr(text)
        options = {"default_flow_style": False, "allow_unicode": True, "sort_keys": False, "width": YAML_WIDTH}
        assert yaml.dump(meta, Dumper=FAST_DUMPER, **options) == yaml.dump(meta, Dumper=yaml.SafeDumper, **options)


@pytest.mark.parametrize("title", ["Smile \U0001F600: yes", "Line\u2028separator", "NEL\x85here", "Para\u2029"],
                         ids=["emoji", "line-separator", "nel", "paragraph-separator"])
def test_front_matter_libyaml_would_write_otherwise_is_written_by_pyyaml(title: str) -> None:
    from build_tools.store.briefing import _emits_alike

    meta = {"id": "abc", "title": title, "people": ["A"]}
    assert not _emits_alike(meta)
    assert render(meta, "Body.") == python_emitter_render(meta, "Body.")
