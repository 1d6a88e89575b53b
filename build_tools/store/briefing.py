"""Briefing files: Article -> front matter + Markdown, and back, validated against the schema.

The schema (:data:`KNOWN_KEYS`: the metadata fields of ``model.Metadata`` plus the keys of ids,
tags, links and origins) is listed for editors in ``docs/editors/front-matter.md``, whose key
table is :func:`schema_table` (a test keeps the two in step).
YAML is written by a real emitter (``python-frontmatter`` over PyYAML's SafeDumper) and read by
the safe loader with aliases refused, so nothing in a briefing can run code or blow up memory.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

import frontmatter
import yaml

from build_tools.model import FIELDS, TAG_TYPES, Article, Briefing, FieldSpec, Kind, Origin, Tags
from build_tools.slugs import briefing_id, content_hash
from build_tools.text import strip_controls

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
    "tags": Key("list of text", "Every tag once, flat: shown at the top of the page."),
    "related_pin": Key("list of briefing ids", "Steer the \"Related briefings\" section: ids always shown "
                                               "(`related_pin`) or never shown (`related_exclude`)."),
    "related_exclude": Key("list of briefing ids", "Steer the \"Related briefings\" section: ids always shown "
                                                   "(`related_pin`) or never shown (`related_exclude`)."),
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
    return when.isoformat() if when else None


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
        "tags": tags.flat(),
        "origins": [o.as_yaml() for o in origins],
    }


def origin(article: Article) -> Origin:
    """The ``origins`` entry of one input: its file name (and record), outlet, URL, input hash and
    publication time."""
    name = Path(article.source.split("#")[0]).name + ("#" + article.source.split("#", 1)[1] if "#" in article.source else "")
    return Origin(name, article.outlet or "", article.url or "", article.input_hash, iso(article.date) or "")


def render(meta: dict[str, Any], body: str) -> str:
    """The briefing file's text, with a checksum of everything else in it."""
    meta = {k: v for k, v in meta.items() if k != CHECKSUM_KEY}
    unsigned = _dump(meta, body)
    meta[CHECKSUM_KEY] = content_hash(unsigned)[:16]
    return _dump(meta, body)


def _dump(meta: dict[str, Any], body: str) -> str:
    post = frontmatter.Post(body, **meta)
    return frontmatter.dumps(post, sort_keys=False, width=10**9) + "\n"


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


def safe_load(meta: str) -> Any:
    """YAML with the safe loader, refusing anchors/aliases (alias bombs), deep nesting and
    oversize blocks before anything is constructed."""
    if len(meta.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ValueError(f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    depth = 0
    for event in yaml.parse(meta, Loader=EVENT_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem="anchors and aliases (&name, *name) are not allowed in briefings",
                                       problem_mark=event.start_mark)  # type: ignore[arg-type]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"nested more than {MAX_YAML_DEPTH} levels deep",
                                           problem_mark=event.start_mark)  # type: ignore[arg-type]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
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


def _line_of(meta: str, key: str) -> int | None:
    m = re.search(rf"^{re.escape(key)}\s*:", meta, re.MULTILINE)
    return meta.count("\n", 0, m.start()) + 2 if m else None


def _text(meta: dict[str, Any], key: str, problems: list[Problem], raw: str, required: bool = False) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        if required:
            problems.append(Problem(_line_of(raw, key) or 1, f"'{key}' is missing; it is required ({KNOWN_KEYS[key].type})"))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        problems.append(Problem(_line_of(raw, key), f"'{key}' must be {KNOWN_KEYS[key].type}, not {type(value).__name__}"))
        return None
    return strip_controls(value)  # YAML escapes ("\u202e") can carry bidi/control characters


def _date(meta: dict[str, Any], key: str, problems: list[Problem], raw: str) -> dt.datetime | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    problems.append(Problem(_line_of(raw, key), f"'{key}' is not a valid date ({value!r:.60}); "
                                                f"write it as 2021-07-28T16:31:00+05:30"))
    return None


def _str_list(meta: dict[str, Any], key: str, problems: list[Problem], raw: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                              for v in value):
        problems.append(Problem(_line_of(raw, key), f"'{key}' must be a flat list of text, like [Tajikistan, Russia]"))
        return []
    return [strip_controls(str(v)) for v in value if strip_controls(str(v)).strip()]


def _value(spec: FieldSpec, meta: dict[str, Any], problems: list[Problem], raw: str) -> Any:
    """One metadata field of a briefing's front matter, checked against its kind."""
    if spec.kind is Kind.DATE:
        return _date(meta, spec.name, problems, raw)
    if spec.kind is Kind.TEXT_LIST:
        return _str_list(meta, spec.name, problems, raw)
    value = _text(meta, spec.name, problems, raw, required=spec.required)
    return (value or "") if spec.required else value


class Parsed(NamedTuple):
    briefing: Briefing | None
    """None when there are errors."""
    errors: list[Problem]
    warnings: list[Problem]


def _refused(line: int, message: str) -> Parsed:
    return Parsed(None, [Problem(line, message)], [])


def parse(text: str, path: Path) -> Parsed:
    """One briefing file's text, validated: every problem found, with its line."""
    try:
        raw, body = split(text)
    except ValueError as exc:
        return _refused(1, str(exc))
    if raw is None:
        return _refused(1, "has no front matter; start the file with a '---' block holding at least id and title")
    try:
        meta = safe_load(raw)
    except RecursionError:
        return _refused(1, f"front matter is nested too deeply (more than {MAX_YAML_DEPTH} levels)")
    except (ValueError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return _refused(line, f"front matter is not valid YAML: {reason}")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return _refused(2, "front matter must be a mapping of keys to values")
    errors: list[Problem] = []
    warnings = [Problem(_line_of(raw, str(k)), f"unknown key '{k}' (known keys: see the front-matter page)")
                for k in meta if k not in KNOWN_KEYS]
    bid = _text(meta, "id", errors, raw) or briefing_id(content_hash(str(path)))
    if not ID_RE.match(bid):
        errors.append(Problem(_line_of(raw, "id"), f"'id' must be 1-64 letters, digits, '-' or '_', not {bid[:40]!r}"))
    values = {spec.name: _value(spec, meta, errors, raw) for spec in FIELDS.values() if spec.front_matter}
    tags = Tags(**{t: _str_list(meta, t, errors, raw) for t in TAG_TYPES})
    origins = meta.get("origins") or []
    if not isinstance(origins, list) or not all(isinstance(o, dict) for o in origins):
        errors.append(Problem(_line_of(raw, "origins"), "'origins' must be a list of mappings"))
        origins = []
    briefing = Briefing(
        path=path, id=bid, body=body, **values,
        origins=[Origin.from_yaml(o) for o in origins],
        tags=tags, flat_tags=_str_list(meta, "tags", errors, raw),
        related_pin=_str_list(meta, "related_pin", errors, raw),
        related_exclude=_str_list(meta, "related_exclude", errors, raw),
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
    )
    errors.sort(key=lambda p: p.line or 0)
    return Parsed(None if errors else briefing, errors, warnings)
