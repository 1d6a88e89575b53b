"""Briefing files: Article -> front matter + Markdown, and back, validated against the schema.

The schema (:data:`KNOWN_KEYS`: the metadata fields of ``model.Metadata`` plus the keys of ids,
tags, links and origins) is listed for editors in ``docs/editors/front-matter.md``, whose key
table is :func:`schema_table` (a test keeps the two in step).
YAML is written by a real emitter (``python-frontmatter`` over PyYAML's SafeDumper) and read by
the safe loader with aliases refused, so nothing in a briefing can run code or blow up memory.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, NamedTuple

import frontmatter
import yaml

from build_tools.extract.dates import LOCAL, is_local
from build_tools.model import FIELDS, TAG_TYPES, Article, Briefing, FieldSpec, Kind, Origin, Tags
from build_tools.slugs import briefing_id, content_hash
from build_tools.text import strip_controls
from build_tools.yaml_problems import explain

CHECKSUM_KEY = "checksum"
"""Front-matter key holding the sha256 of what ingest wrote. A file whose content no longer
matches it has been edited by hand, and ingest never rewrites it (unless --force)."""

MAX_FRONT_MATTER_BYTES = 64 * 1024
"""Front matter larger than this is refused before YAML parsing (bounded work per file)."""

MAX_YAML_DEPTH = 8
"""Deepest nesting of lists/mappings accepted in front matter. The schema needs 3 (origins: a
list of mappings); this bounds the parser's recursion (a 5,000-deep '[[[[' would overflow it)."""

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

class Key(NamedTuple):
    """One front-matter key as ``briefings check`` states it and the front-matter page explains it."""

    type: str
    notes: str


KIND_TYPES = {Kind.TEXT: "text or null", Kind.DATE: "ISO 8601 date-time with offset, or null",
              Kind.TEXT_LIST: "list of text", Kind.URL: "http(s) URL or null", Kind.LANGUAGE: "ISO 639-1 code or null"}
"""How each kind of metadata value is written in front matter (in messages and on the front-matter page)."""


def metadata_key(spec: FieldSpec) -> Key:
    return Key("text (required)" if spec.required else KIND_TYPES[spec.kind], spec.doc)


KNOWN_KEYS: dict[str, Key] = {
    "id": Key("text (required)", "Stable identifier, made from the input: do not change it. Links "
                                 "(`related_pin`) use it; 1-64 letters, digits, `-` or `_`, unique across the archive."),
    **{spec.name: metadata_key(spec) for spec in FIELDS.values() if spec.front_matter},
    "origins": Key("list of {source, outlet, url, input_hash}", "Every input merged into this briefing."),
    **{t: Key("list of text", "Tags by type; each links to an entity page.") for t in TAG_TYPES},
    "tags": Key("not written any more; delete it", "Older briefings have a flat list of every tag. It repeated "
                                                   "the typed lists above and was never read: the site's tags are "
                                                   "the typed lists. `check` reports where it disagrees with them."),
    "related_pin": Key("list of briefing ids", "Steer the \"Related briefings\" section: ids always shown "
                                               "(`related_pin`) or never shown (`related_exclude`)."),
    "related_exclude": Key("list of briefing ids", "Steer the \"Related briefings\" section: ids always shown "
                                                   "(`related_pin`) or never shown (`related_exclude`)."),
    "thread": Key("briefing id, `none` or null", "Steer story threads: the id of another briefing puts this one in "
                                                 "that briefing's story (two stories merge); `none` keeps it out of "
                                                 "every story."),
    "thread_name": Key("text or null", "A name for the story this briefing is in, replacing the one made from its "
                                       "headlines (set it on one briefing of the story)."),
    CHECKSUM_KEY: Key("written by ingest; leave it alone",
                      "If the file no longer matches it, ingest treats the briefing as hand-edited and never "
                      "overwrites it."),
}
"""Every key the schema knows, in the order ``briefings check`` and the front-matter page list them."""


def schema_table() -> str:
    """The Markdown table of :data:`KNOWN_KEYS` on the front-matter page (keys with the same type
    and notes share a row)."""
    rows: list[tuple[list[str], Key]] = []
    for name, key in KNOWN_KEYS.items():
        if rows and rows[-1][1] == key:
            rows[-1][0].append(name)
        else:
            rows.append(([name], key))
    lines = ["| Key | Type | Notes |", "| --- | --- | --- |"]
    lines += [f"| {', '.join(f'`{n}`' for n in names)} | {key.type} | {key.notes} |" for names, key in rows]
    return "\n".join(lines) + "\n"


class Problem(NamedTuple):
    line: int | None
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


# --- writing --------------------------------------------------------------------------------

_MD_INLINE_RE = re.compile(r"([\\`*_\[\]{}|])")
"""Characters escaped everywhere: emphasis, code, links/images/footnotes, attribute lists
(``{: onclick=...}``), table cells. Each has a backslash escape in Python-Markdown (``|`` via
the tables extension that renders bodies)."""
_MD_LINE_START = {"#": "\\#", ">": "\\>", "-": "\\-", "+": "\\+", "!": "\\!", "=": "&#61;", "~": "&#126;",
                  ":": "&#58;"}
"""What a line may not start with (headings, blockquotes, lists, rules, setext underlines,
admonitions, fences, definition lists), as an escape or, where Markdown has none, an entity."""
_ORDERED_RE = re.compile(r"^(\d+)([.)])")


def escape_markdown(paragraph: str) -> str:
    """Article text as Markdown that renders as exactly the same text: no structure, no markup,
    no raw HTML (``&`` and ``<`` become entities, so ``&lt;b&gt;`` in a source shows as written)."""
    lines = []
    for line in paragraph.split("\n"):
        text = line.strip()  # leading spaces would make a code block
        text = text.replace("&", "&amp;").replace("<", "&lt;")
        text = _MD_INLINE_RE.sub(r"\\\1", text)
        if text[:1] in _MD_LINE_START:
            text = _MD_LINE_START[text[0]] + text[1:]
        text = _ORDERED_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        lines.append(text)
    return "\n".join(lines)


def iso(when: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset the page printed; without one for a local time (``dates.LOCAL``)."""
    if when is None:
        return None
    return when.replace(tzinfo=None).isoformat() if is_local(when) else when.isoformat()


def plain(spec: FieldSpec, value: Any) -> Any:
    """A metadata value as front matter and the ``briefings extract`` record hold it."""
    if spec.kind is Kind.DATE:
        return iso(value)
    if spec.kind is Kind.TEXT_LIST:
        return list(value)
    return value


def front_matter(article: Article, origins: list[Origin]) -> dict[str, Any]:
    """The front matter ingest writes for an article, in the documented key order."""
    tags = article.tags
    return {
        "id": briefing_id(article.input_hash),
        **{spec.name: plain(spec, getattr(article, spec.name)) for spec in FIELDS.values() if spec.front_matter},
        **tags.as_dict(),
        "origins": [o.as_yaml() for o in origins],
    }


def origin(article: Article) -> Origin:
    """The ``origins`` entry of one input: its file name (and record), outlet, URL, input hash and
    publication time."""
    name = Path(article.source.split("#")[0]).name + ("#" + article.source.split("#", 1)[1] if "#" in article.source else "")
    return Origin(name, article.outlet or "", article.url or "", article.input_hash, iso(article.date) or "")


def render(meta: dict[str, Any], body: str) -> str:
    """The briefing file's text, with a checksum of everything else in it.

    The signed text is the unsigned one with the checksum's line added at the end of the front
    matter: what dumping the front matter again with the checksum as its last key writes (a
    top-level key's line does not depend on the others; tests/store/test_briefing.py checks it),
    for half the YAML work."""
    meta = {k: v for k, v in meta.items() if k != CHECKSUM_KEY}
    unsigned = _dump(meta, body)
    checksum = content_hash(unsigned)[:16]
    end = unsigned.find("\n---\n", 3) if meta and unsigned.startswith("---\n") else -1
    if end < 0:
        return _dump({**meta, CHECKSUM_KEY: checksum}, body)
    return unsigned[:end] + "\n" + checksum_line(checksum) + unsigned[end:]


_PLAIN_HEX = re.compile(r"(?!0b)[0-9a-f]*[a-f][0-9a-f]*")
"""Hex digits with a letter, not YAML 1.1's binary "0b...": a string to YAML, written unquoted."""


def checksum_line(checksum: str) -> str:
    """The checksum's front-matter line, as the YAML emitter writes it (quoted only when the
    digits alone read as a number: tests/store/test_briefing.py compares both)."""
    if _PLAIN_HEX.fullmatch(checksum):
        return f"{CHECKSUM_KEY}: {checksum}"
    return _yaml({CHECKSUM_KEY: checksum})


def _dump(meta: dict[str, Any], body: str) -> str:
    post = frontmatter.Post(body, **meta)
    dumper = FAST_DUMPER if FAST_DUMPER is not None and _emits_alike(meta) else yaml.SafeDumper
    return frontmatter.dumps(post, sort_keys=False, width=YAML_WIDTH, Dumper=dumper) + "\n"


FAST_DUMPER: Any = getattr(yaml, "CSafeDumper", None)
"""libyaml's emitter (PyYAML's own representer): a quarter of the front matter's cost. It writes
what PyYAML's Python emitter writes except for a few characters (``_emits_alike``), so it is only
used when every text in the front matter avoids them."""
_ALIKE_TEXT = re.compile(r"[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd]*")
"""Texts both emitters write byte for byte alike. Outside it the two differ: libyaml escapes
characters past U+FFFF (emoji) and NEL/U+2028/U+2029 in double quotes where PyYAML writes them in
single quotes with line breaks. Found by comparing both on 600,000 random texts (YAML indicators,
quotes, spaces and tabs, BOM, characters from every range here; lengths 0-1,500): no difference
inside it; tests/store/test_briefing.py compares both on such texts."""


def _emits_alike(value: object) -> bool:
    """Whether every text in ``value`` (front matter: texts, lists, mappings, dates) is in ``_ALIKE_TEXT``."""
    if isinstance(value, str):
        return _ALIKE_TEXT.fullmatch(value) is not None
    if isinstance(value, dict):
        return all(_emits_alike(k) and _emits_alike(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_emits_alike(v) for v in value)
    return True


YAML_WIDTH = 10**9
"""Never fold a long value over lines."""


def _yaml(meta: dict[str, Any]) -> str:
    """``meta`` as ``_dump`` writes it between the fences."""
    text: str = yaml.dump(meta, Dumper=yaml.SafeDumper, default_flow_style=False, allow_unicode=True,
                          sort_keys=False, width=YAML_WIDTH)
    return text.strip()


def article_body(article: Article) -> str:
    return "\n\n".join(escape_markdown(p) for p in article.body)


def is_hand_edited(text: str) -> bool:
    """True when a briefing's text is not exactly what ingest wrote (or carries no checksum)."""
    try:
        loaded, body = load_front_matter(text)
    except (ValueError, yaml.YAMLError):
        return True
    if not isinstance(loaded, dict) or not isinstance(loaded.get(CHECKSUM_KEY), str):
        return True
    return render(loaded, body).rstrip("\n") != text.rstrip("\n")


# --- reading --------------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^-{3}\s*$", re.MULTILINE)


class Split(NamedTuple):
    meta: str | None
    """The front matter's YAML text, or None for a file without a '---' block."""
    body: str


def split(text: str) -> Split:
    """A briefing file's text as front matter and body: the one place that finds the '---'
    fences. Raises ValueError for an unclosed block."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    if not re.match(r"-{3}\s*\n", text):
        return Split(None, text)
    closing = _FENCE_RE.search(text, text.index("\n") + 1)
    if closing is None:
        raise ValueError("front matter starts with '---' but is never closed; add a line '---' after it")
    return Split(text[text.index("\n") + 1: closing.start()], text[closing.end():].lstrip("\n"))


class BriefingLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no Python tags), with timestamps left as text and duplicate keys
    refused. Dates are then checked by the schema, which reports the line and the fix (the safe
    loader would raise on 2021-02-30 with no useful line, and hand back naive datetimes)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"key '{key}' appears twice (first on line {seen[key] + 2}); keep only one",
                    problem_mark=key_node.start_mark)
            if key is not None:
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: BriefingLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


BriefingLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


if yaml.__with_libyaml__:
    _CParser: Any = vars(yaml.cyaml)["CParser"]  # the stubs do not declare the C classes

    class FastBriefingLoader(_CParser, BriefingLoader):
        """``BriefingLoader`` on libyaml's C parser: the same data, ten times faster
        (checked equal on 1,000 Reuters-derived briefings; matters at 10,000 briefings)."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    LOADER: type[BriefingLoader] = FastBriefingLoader
    EVENT_LOADER: Any = yaml.CSafeLoader
else:  # pragma: no cover - PyYAML built without libyaml
    LOADER, EVENT_LOADER = BriefingLoader, yaml.SafeLoader


class Refused(yaml.MarkedYAMLError):
    """Valid YAML a briefing may not hold (an alias, deep nesting, a Python tag): ``problem`` says
    what and what to do, ``problem_mark`` where."""


def _check_events(meta: str) -> None:
    """Refuse anchors/aliases (alias bombs) and deep nesting before anything is constructed."""
    depth = 0
    for event in yaml.parse(meta, Loader=EVENT_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(problem="anchors and aliases (&name, *name) are not allowed in briefings; "
                                               "write the value out",
                                       problem_mark=event.start_mark)  # type: ignore[arg-type]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise Refused(problem=f"nested more than {MAX_YAML_DEPTH} levels deep; flatten it",
                                           problem_mark=event.start_mark)  # type: ignore[arg-type]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def safe_load(meta: str) -> Any:
    """YAML with the safe loader, refusing anchors/aliases (alias bombs), deep nesting and
    oversize blocks before anything is constructed."""
    if len(meta.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ValueError(f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    _check_events(meta)
    return yaml.load(meta, Loader=LOADER)  # noqa: S506 - a SafeLoader subclass


class FrontMatter(NamedTuple):
    meta: Any
    """The loaded YAML (a dict for a well-formed briefing), or None without a front-matter block."""
    body: str


def load_front_matter(text: str) -> FrontMatter:
    """A briefing file's front matter, loaded safely, and its body, for code that only needs the
    data (``parse`` validates it). Raises ValueError or ``yaml.YAMLError`` for a broken block."""
    meta, body = split(text)
    return FrontMatter(safe_load(meta) if meta is not None else None, body)


# --- validation: the front matter's YAML nodes against the schema, every problem with its line ----

YAML = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT, TIMESTAMP, SEQ, MAP = (YAML + t for t in
                                                    ("str", "null", "bool", "int", "float", "timestamp", "seq", "map"))
PLAIN_TAGS = {STR, NULL, BOOL, INT, FLOAT, TIMESTAMP, SEQ, MAP}
"""The YAML types a briefing may hold; any other tag (``!!python/...``, ``!!binary``, ``!custom``) is refused."""

TYPO_SIMILARITY = 0.75
"""An unknown key at least this similar (difflib ratio) to a known key is reported as a likely typo
of it. Set by hand: one-letter typos of the known keys score 0.78 ('related' / 'related_pin') to
0.94 ('contries'); the most alike pair of real keys ('date' / 'updated') scores 0.73, below it."""

_WHAT = {NULL: "empty (null)", BOOL: "read as true/false", INT: "read as a number", FLOAT: "read as a number",
         TIMESTAMP: "read as a date", SEQ: "a list", MAP: "a mapping (key: value pairs)"}
"""What YAML made of a value that is not text, in the words of the messages."""

LIST_EXAMPLE = "[Tajikistan, Russia]"


def _line(node: yaml.Node) -> int:
    """The briefing file's line of a node: front matter starts on line 2, after the opening '---'."""
    return node.start_mark.line + 2


def _is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == STR


def _quote_fix(key: str | None, node: yaml.Node) -> str:
    """'put it in quotes: title: '12345'' for a scalar YAML read as something other than text."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
        return ""
    quoted = yaml.safe_dump(node.value, allow_unicode=True, default_style="'", width=10**9).strip()
    quoted = quoted.removesuffix("\n...").strip()
    return f"; if it is meant as text, put it in quotes: {key + ': ' if key else '- '}{quoted}"


def _shown(node: yaml.Node) -> str:
    return f" ({node.value[:40]})" if isinstance(node, yaml.ScalarNode) and node.value else ""


def _plain(node: yaml.Node) -> Any:
    """A node as plain data (an unknown key's value, kept in ``Briefing.extra``): scalars as written."""
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    return None if node.tag == NULL else str(node.value)


def _text(key: str, node: yaml.Node | None, problems: list[Problem], key_line: int,
          required: bool = False) -> str | None:
    if node is None or node.tag == NULL or (_is_text(node) and not str(node.value).strip()):
        if required:
            problems.append(Problem(key_line, f"'{key}' is missing or empty; it is required: write {key}: and the text"))
        return None
    if not _is_text(node):
        fix = _quote_fix(key, node) or f"; write it on one line as {key}: your text"
        problems.append(Problem(_line(node), f"'{key}' is {_WHAT.get(node.tag, node.tag)}{_shown(node)}, "
                                             f"but it must be {KNOWN_KEYS[key].type}{fix}"))
        return None
    return strip_controls(str(node.value))  # YAML escapes ("\u202e") can carry bidi/control characters


def _date(key: str, node: yaml.Node | None, problems: list[Problem]) -> dt.datetime | None:
    if node is None or node.tag == NULL:
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag in (STR, TIMESTAMP):
        value = str(node.value).strip()
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL)
        except ValueError:
            pass
    problems.append(Problem(_line(node), f"'{key}' is not a valid date{_shown(node) or ' (' + _WHAT[node.tag] + ')'}"
                                         f"; write it as '2021-07-28T16:31:00+05:30' (or null)"))
    return None


def _str_list(key: str, node: yaml.Node | None, problems: list[Problem]) -> list[str]:
    """A list of text, each item checked: a number, true/false, empty item, nested list or mapping
    is an error on its own line, and so is a list item YAML joined onto the one above it."""
    if node is None or node.tag == NULL:
        return []
    if not isinstance(node, yaml.SequenceNode):
        fix = f"write it as {key}: [{node.value}]" if isinstance(node, yaml.ScalarNode) \
            else f"write it as a list, like {key}: {LIST_EXAMPLE}"
        problems.append(Problem(_line(node), f"'{key}' must be a flat list of text, like {LIST_EXAMPLE}, "
                                             f"not {_WHAT.get(node.tag, 'text')}; {fix}"))
        return []
    out: list[str] = []
    for item in node.value:
        if not _is_text(item) or not str(item.value).strip():
            what = "an empty item" if item.tag == NULL or _is_text(item) else _WHAT.get(item.tag, item.tag)
            fix = _quote_fix(None, item) if item.tag not in (NULL, STR) else ""
            problems.append(Problem(_line(item), f"an item of '{key}' is {what}{_shown(item)}, but every item must be "
                                                 f"text{fix or '; write a name there or delete the line'}"))
            continue
        if not item.style and item.end_mark.line > item.start_mark.line:  # plain: libyaml says '', PyYAML None
            problems.append(Problem(_line(item), f"this item of '{key}' runs on to the next line, so YAML joins them "
                                                 f"into one ({item.value[:60]!r}); start every item on its own line "
                                                 "with '- ', lined up with the others"))
            continue
        out.append(strip_controls(str(item.value)))
    return out


def _origins(node: yaml.Node | None, problems: list[Problem]) -> list[Origin]:
    if node is None or node.tag == NULL:
        return []
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(o, yaml.MappingNode) for o in node.value):
        problems.append(Problem(_line(node), "'origins' must be a list of mappings, like "
                                             "- {source: a.txt, outlet: X, url: '', input_hash: ...}; it is written "
                                             "by ingest: restore it from git"))
        return []
    out = []
    for entry in node.value:
        values = {}
        for k, v in entry.value:
            if not isinstance(v, yaml.ScalarNode):
                problems.append(Problem(_line(v), f"'origins' entry '{k.value}' must be text, not {_WHAT.get(v.tag)}"))
                continue
            values[str(k.value)] = "" if v.tag == NULL else str(v.value)
        out.append(Origin.from_yaml(values))
    return out


def _typed_tag_lines(entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, tuple[str, int]]:
    """Each tag of the typed lists: (its list, its line), the first if it is in several."""
    found: dict[str, tuple[str, int]] = {}
    for t in TAG_TYPES:
        value = entries.get(t, (None, None))[1]
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if _is_text(item):
                    found.setdefault(strip_controls(str(item.value)), (t, _line(item)))
    return found


def _flat_tags_warnings(entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> list[Problem]:
    """The flat ``tags:`` list of briefings written before it was dropped: it is made from the
    typed lists and never read, so an edit to it that disagrees with them is reported."""
    key, node = entries["tags"]
    typed = _typed_tag_lines(entries)
    lists = ", ".join(f"{t}:" for t in TAG_TYPES)
    if not isinstance(node, yaml.SequenceNode):
        return [Problem(_line(key), "'tags:' is not read (the site's tags are the typed lists); delete it and edit "
                                    f"the typed lists ({lists}) instead")]
    out, flat = [], set()
    for item in node.value:
        name = strip_controls(str(item.value)) if isinstance(item, yaml.ScalarNode) else None
        flat.add(name)
        if name not in typed:
            out.append(Problem(_line(item), f"'{_plain(item)}' is only in 'tags:', which is not read (the site's tags "
                                            f"are the typed lists); add it to the typed list it belongs in ({lists}) "
                                            "instead, and delete 'tags:'"))
    for name, (t, line) in typed.items():
        if name not in flat:
            out.append(Problem(_line(key), f"'tags:' lacks {name!r}, but 'tags:' is not read: to remove the tag, edit "
                                           f"the typed list `{t}:` instead (line {line}), and delete 'tags:'"))
    return out


def _unknown_key(key: str, line: int) -> Problem:
    close = difflib.get_close_matches(key, list(KNOWN_KEYS), n=1, cutoff=TYPO_SIMILARITY)
    if close:
        return Problem(line, f"unknown key '{key}': did you mean '{close[0]}'? It is ignored until you rename it")
    return Problem(line, f"unknown key '{key}' is kept but not used on the site (known keys: see the front-matter page)")


class Parsed(NamedTuple):
    briefing: Briefing | None
    """None when there are errors."""
    errors: list[Problem]
    warnings: list[Problem]


def _refused(line: int, message: str) -> Parsed:
    return Parsed(None, [Problem(line, message)], [])


_YAML_LINE_RE = re.compile(r"^(?:[A-Za-z_][\w-]*\s*:|\s+\S|-\s|#)")
"""A line that can belong to front matter (a key, an indented or list line, a comment)."""


def _unclosed(text: str) -> Problem:
    """Where the closing '---' of an unclosed front matter should go: after its last YAML-looking line."""
    lines = text.replace("\r\n", "\n").split("\n")
    last = 1
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() and not _YAML_LINE_RE.match(line):
            break
        if line.strip():
            last = number
    return Problem(1, f"the front matter opened here with '---' is never closed; add a line '---' after line {last}, "
                      "where the front matter ends")


def compose(meta: str) -> yaml.Node | None:
    """The front matter's YAML as nodes (each with its line), refusing what :func:`safe_load` refuses
    and any tag beyond plain text, numbers, dates, lists and mappings."""
    if len(meta.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ValueError(f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB; shorten it")
    _check_events(meta)
    node = yaml.compose(meta, Loader=EVENT_LOADER)
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if n.tag not in PLAIN_TAGS:
            shown = "!!" + n.tag.removeprefix(YAML) if n.tag.startswith(YAML) else n.tag
            raise Refused(problem=f"the YAML tag {shown} is not allowed in a briefing; remove it",
                          problem_mark=n.start_mark)
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for pair in n.value for x in pair)
    return node


def parse(text: str, path: Path) -> Parsed:
    """One briefing file's text, validated: every problem found, with its line."""
    try:
        raw, body = split(text)
    except ValueError:
        return Parsed(None, [_unclosed(text)], [])
    if raw is None:
        return _refused(1, "has no front matter; start the file with a '---' block holding at least id and title")
    try:
        root = compose(raw)
    except RecursionError:
        return _refused(1, f"front matter is nested too deeply (more than {MAX_YAML_DEPTH} levels)")
    except ValueError as exc:
        return _refused(1, str(exc))
    except Refused as exc:
        return _refused(exc.problem_mark.line + 2 if exc.problem_mark else 1, str(exc.problem))
    except yaml.YAMLError as exc:
        line, message = explain(raw, exc)
        return _refused(line + 1, message)
    if root is None or (root.tag == NULL):
        root = yaml.MappingNode(MAP, [])
    if not isinstance(root, yaml.MappingNode):
        return _refused(2, "front matter must be 'key: value' lines (a mapping), like title: Your headline")
    errors: list[Problem] = []
    warnings: list[Problem] = []
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(_plain(key_node))
        if key in entries:
            errors.append(Problem(_line(key_node), f"key '{key}' appears twice (first on line "
                                                   f"{_line(entries[key][0])}); keep only one"))
            continue
        entries[key] = (key_node, value_node)
        if key not in KNOWN_KEYS:
            warnings.append(_unknown_key(key, _line(key_node)))

    def node(key: str) -> yaml.Node | None:
        return entries[key][1] if key in entries else None

    def text_of(key: str, required: bool = False) -> str | None:
        return _text(key, node(key), errors, _line(entries[key][0]) if key in entries else 1, required)

    bid = text_of("id") or briefing_id(content_hash(str(path)))
    if not ID_RE.match(bid):
        errors.append(Problem(_line(entries["id"][0]) if "id" in entries else 1,
                              f"'id' must be 1-64 letters, digits, '-' or '_', not {bid[:40]!r}"))
    values: dict[str, Any] = {}
    for spec in FIELDS.values():
        if not spec.front_matter:
            continue
        if spec.kind is Kind.DATE:
            values[spec.name] = _date(spec.name, node(spec.name), errors)
        elif spec.kind is Kind.TEXT_LIST:
            values[spec.name] = _str_list(spec.name, node(spec.name), errors)
        else:
            value = text_of(spec.name, required=spec.required)
            values[spec.name] = (value or "") if spec.required else value
    tags = Tags(**{t: _str_list(t, node(t), errors) for t in TAG_TYPES})
    if "tags" in entries:
        warnings += _flat_tags_warnings(entries)
    briefing = Briefing(
        path=path, id=bid, body=body, **values,
        origins=_origins(node("origins"), errors),
        tags=tags,
        related_pin=_str_list("related_pin", node("related_pin"), errors),
        related_exclude=_str_list("related_exclude", node("related_exclude"), errors),
        thread=text_of("thread"), thread_name=text_of("thread_name"),
        key_lines={k: _line(kn) for k, (kn, _) in entries.items()},
        extra={k: _plain(v) for k, (_, v) in entries.items() if k not in KNOWN_KEYS},
    )
    errors.sort(key=lambda p: p.line or 0)
    warnings.sort(key=lambda p: p.line or 0)
    return Parsed(None if errors else briefing, errors, warnings)
