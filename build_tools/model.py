"""The typed objects that carry an article through the pipeline, and the one table of its metadata.

An :class:`Article` is created by a reader (``sources``) and filled in, stage by stage, by
``clean``, ``metadata``, ``language`` and ``entities``.  ``briefing.front_matter`` turns a
finished article into the front matter of a :class:`Briefing`, the thing written to
``briefings/`` and read back by ``archive``. Every field is declared here, with the stage that
fills it.

:class:`Metadata` is the single declaration of the metadata fields (title, dates, byline...):
each carries a :class:`FieldSpec` (kind, length limit, stage, editor-facing description).
``Given``, ``Article`` and ``Briefing`` inherit them; the JSON reader, ``ingest.sanitise``, the
front matter (writing and validation), the ``briefings extract`` record and the front-matter page
for editors all iterate over :data:`FIELDS`. A new field is one more line in :class:`Metadata`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

TAG_TYPES: tuple[str, ...] = ("countries", "places", "people", "organizations", "topics")


class InputKind(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSON = "json"


# --- the metadata table -------------------------------------------------------------------------

class Kind(StrEnum):
    """What a metadata value is: decides how it is read, sanitised, written and validated."""

    TEXT = "text"
    DATE = "date"
    TEXT_LIST = "list of text"
    URL = "url"
    LANGUAGE = "language code"


@dataclass(frozen=True)
class FieldSpec:
    """How one metadata field behaves in every stage (declared with :func:`meta`)."""

    kind: Kind
    filled_by: str
    """The stage that fills it (inputs that state a value override it, see ``process``)."""
    doc: str
    """What it holds, for editors: the front-matter page shows it."""
    limit: int = 0
    """Most characters kept (for a list: per item); ``ingest.sanitise`` cuts a longer value at a
    word, with a warning (drops an over-long URL). 0: no limit."""
    required: bool = False
    """A briefing without it is refused by ``briefings check``."""
    front_matter: bool = True
    """Written to the briefing's front matter (else only in the ``briefings extract`` record)."""
    stated_as: tuple[str, ...] = ()
    """Keys a JSON record may state it under, the first present winning."""
    joins_lists: bool = False
    """A JSON list of names (or of ``{name: ...}`` objects) is accepted, joined with ', '."""
    name: str = ""
    """The field's name (set when :data:`FIELDS` is built)."""


SPEC = "briefings"
"""The key of a metadata field's :class:`FieldSpec` in its ``dataclasses.field`` metadata."""


def meta(kind: Kind, filled_by: str, doc: str, **options: Any) -> Any:
    """A field of :class:`Metadata` carrying its spec; a list defaults to [], any other value to None."""
    spec = FieldSpec(kind, filled_by, doc, **options)
    if kind is Kind.TEXT_LIST:
        return field(default_factory=list, metadata={SPEC: spec})
    return field(default=None, metadata={SPEC: spec})


@dataclass(kw_only=True)
class Metadata:
    """What an article says about itself: THE declaration of the metadata fields, in front-matter
    order. Stages: ``metadata`` is extract/metadata.py (from the page's lines), ``language`` is
    extract/language.py, ``reader`` is what the input states (JSON fields, HTML meta)."""

    title: str | None = meta(
        Kind.TEXT, "metadata", "The headline. Quote it if it contains `: `, `#` or starts with a special character.",
        # The longest real headline in ../shared/corpus is under 200 characters; hostile c011 has 2,100.
        limit=300, required=True, stated_as=("title", "headline", "name"))
    date: dt.datetime | None = meta(
        Kind.DATE, "metadata", "When the article was published. Quote the value.",
        stated_as=("date", "published", "date_publish", "datePublished", "published_at", "pubdate",
                   "publish_date", "timestamp"))
    updated: dt.datetime | None = meta(
        Kind.DATE, "metadata", "When the article was last updated, if the page says so. Quote the value.",
        stated_as=("updated", "date_modify", "dateModified", "modified", "updated_at", "date_modified"))
    author: str | None = meta(
        Kind.TEXT, "metadata", "The byline: who wrote it (one name or several).",
        limit=200, stated_as=("author", "authors", "byline", "creator"), joins_lists=True)
    outlet: str | None = meta(
        Kind.TEXT, "metadata", "The publication it appeared in.",
        limit=120, stated_as=("source", "sitename", "site_name", "outlet", "publisher", "source_domain"),
        joins_lists=True)
    section: str | None = meta(
        Kind.TEXT, "metadata", "The outlet's section or category.",
        limit=120, stated_as=("section", "category", "categories"), joins_lists=True)
    summary: str | None = meta(
        Kind.TEXT, "metadata", "One or two sentences shown under the title and in listings.",
        limit=500, stated_as=("description", "summary", "standfirst", "lead", "excerpt"))  # two or three sentences
    image_credit: str | None = meta(
        Kind.TEXT, "metadata", "Who took or supplied the article's picture.",
        limit=200, stated_as=("image_credit",))
    sources: list[str] = meta(
        Kind.TEXT_LIST, "metadata", "Agencies the article credits ('With inputs from Reuters').", limit=200)
    credits: list[str] = meta(
        Kind.TEXT_LIST, "metadata", "Who reported, wrote and edited the story, as a wire story credits them "
        "('Reporting by Clara Hoffmann in Geneva', 'Editing by Mark Ellison'). Shown under the text.", limit=300)
    language: str | None = meta(
        Kind.LANGUAGE, "language", "The article's language, like `en` or `de`.",
        limit=35, stated_as=("language", "lang"))
    url: str | None = meta(
        Kind.URL, "reader", "Where the article was published, if the input says; never fetched.",
        limit=2000, stated_as=("url", "link", "canonical_url"))


FIELDS: dict[str, FieldSpec] = {f.name: replace(f.metadata[SPEC], name=f.name) for f in fields(Metadata)}
"""Every metadata field's spec, by name, in declaration (front-matter) order."""


# --- the objects --------------------------------------------------------------------------------

@dataclass
class Given(Metadata):
    """Metadata an input states about itself (JSON fields, HTML meta/trafilatura), plus its body.

    Filled by the reader (``sources``) for JSON, by ``htmlinput`` for HTML; empty for text dumps.
    Values are as stated (one line each; dates parsed); ``process`` cuts and prefers them.
    """

    body: str | None = None


@dataclass
class Tags:
    """Entity tags by type. Filled by ``entities.tag``."""

    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {t: list(getattr(self, t)) for t in TAG_TYPES}

    def flat(self) -> list[str]:
        """Material's flat ``tags`` list: every tag once, in type order."""
        seen: dict[str, None] = {}
        for t in TAG_TYPES:
            for name in getattr(self, t):
                seen.setdefault(name, None)
        return list(seen)


@dataclass
class Article(Metadata):
    """One input article on its way to becoming a briefing. Its metadata fields (:class:`Metadata`)
    are set by ``process``: found by the stage each names, or as the input states them."""

    # --- set by the reader (sources) ---
    source: str
    """Where it came from: the input path, plus ``:N`` (line or record number) for JSON records."""
    kind: InputKind
    text: str
    """Decoded text: the page's visible text for dumps; the extracted or given body for HTML/JSON."""
    input_hash: str
    """sha256 of the normalised input (line endings, trailing blanks, BOM); decides the id."""
    given: Given = field(default_factory=Given)
    warnings: list[str] = field(default_factory=list)
    """Repairs made on the way (encoding fallback, control characters removed...)."""

    # --- set by clean ---
    lines: list[str] = field(default_factory=list)
    """Non-blank lines of the page, in order (the unit the cleaner classifies)."""
    body: list[str] = field(default_factory=list)
    """Article paragraphs, in order, as plain text."""

    # --- set by entities ---
    tags: Tags = field(default_factory=Tags)

    def __str__(self) -> str:
        return self.source


class Origin(NamedTuple):
    """One input a briefing was made from: an entry of its ``origins`` (written as a YAML mapping)."""

    source: str = ""
    """The input's file name, plus ``#N`` for a record of a JSON array."""
    outlet: str = ""
    url: str = ""
    input_hash: str = ""
    """The input's hash (``Article.input_hash``): how ingest knows the input is in the archive."""
    published: str = ""
    """When this input says it was published (ISO 8601), for the site's list of sources."""

    @classmethod
    def from_yaml(cls, entry: Mapping[Any, Any]) -> Origin:
        """An entry as read from front matter (missing keys empty, values as text)."""
        return cls(**{k: str(entry[k]) for k in cls._fields if k in entry})

    def as_yaml(self) -> dict[str, str]:
        return self._asdict()


@dataclass
class Briefing(Metadata):
    """A briefing: validated front matter plus Markdown body. Read by ``archive``, written by ingest."""

    path: Path
    """Path relative to the briefings folder, e.g. ``2021/07/russia-to-bolster.md``."""
    id: str
    body: str
    title: str = field(default="", kw_only=True)
    """Required in a briefing (``briefing.parse`` refuses one without): never None here."""
    origins: list[Origin] = field(default_factory=list)
    """Every input this briefing was made from (duplicates merged)."""
    tags: Tags = field(default_factory=Tags)
    related_pin: list[str] = field(default_factory=list)
    related_exclude: list[str] = field(default_factory=list)
    thread: str | None = None
    """An editor's choice of story thread: another briefing's id (join its thread; merges two
    threads) or ``none`` (this briefing is in no thread). Applied by ``link/stories.py``."""
    thread_name: str | None = None
    """An editor's name for the thread this briefing is in (replaces the headline-made name)."""
    key_lines: dict[str, int] = field(default_factory=dict)
    """Set by ``briefing.parse``: the file line of each front-matter key, for messages."""
    extra: dict[str, object] = field(default_factory=dict)
    """Keys an editor added that the schema does not know (kept, reported by ``check``)."""

    @property
    def flat_tags(self) -> list[str]:
        """Every tag once, in type order: made from the typed lists, the one place tags are declared."""
        return self.tags.flat()

    def __str__(self) -> str:
        return str(self.path)
