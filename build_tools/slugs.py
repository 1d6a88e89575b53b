"""The one place that decides ids, slugs, file paths and site URLs.

Everything that names a briefing or an entity on disk or on the site goes through here, so
two modules can never disagree about where a page lives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath

from anyascii import anyascii

MAX_SLUG_CHARS = 80
"""Long enough for a headline's meaning, short enough for every filesystem (255-byte names)."""

ID_HEX_CHARS = 12
"""48 bits of the input hash: collisions stay improbable far past a million briefings."""

# Names Windows refuses whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def fold(text: str) -> str:
    """Accent-folded, lower-cased text: 'Badakhshān' -> 'badakhshan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=2**16)  # pure; entity names recur tens of thousands of times in a 10,000-briefing build
def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """ASCII slug safe on every filesystem and in URLs; '' when nothing usable remains."""
    ascii_text = fold(text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_chars:
        slug = slug[:max_chars].rsplit("-", 1)[0] or slug[:max_chars]
    if slug in _RESERVED:
        slug = f"{slug}-page"
    return slug


def briefing_id(input_hash: str) -> str:
    """Stable id of a briefing: same input, same id, on every run and machine."""
    return input_hash[:ID_HEX_CHARS]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def briefing_slug(title: str | None, bid: str) -> str:
    """From the headline (``briefing-<id>`` when it leaves nothing); never ``index``, which would
    make the briefing its month folder's own page (``off_folder_page``)."""
    return off_folder_page(slugify(title or "") or f"briefing-{bid[:8]}", "briefing")


def briefing_dir(date: dt.datetime | None) -> PurePosixPath:
    """Folder of a briefing inside ``briefings/``: ``YYYY/MM``, or ``undated``."""
    if date is None:
        return PurePosixPath("undated")
    return PurePosixPath(f"{date.year:04d}/{date.month:02d}")


def briefing_path(title: str | None, date: dt.datetime | None, bid: str, suffix: bool = False) -> PurePosixPath:
    """Relative path of a briefing file. ``suffix`` adds the id, used when the plain slug is taken."""
    slug = briefing_slug(title, bid)
    if suffix:
        slug = f"{slug}-{bid[:6]}"
    return briefing_dir(date) / f"{slug}.md"


def briefing_page(rel: PurePosixPath) -> str:
    """Docs-relative Markdown path of a briefing's published page."""
    return f"briefings/{rel.as_posix()}"


ENTITY_SECTIONS: dict[str, str] = {
    "countries": "countries",
    "places": "places",
    "people": "people",
    "organizations": "organizations",
    "topics": "topics",
}


@lru_cache(maxsize=2**16)
def entity_slug(name: str) -> str:
    """An entity's slug, readable in any script: the name transliterated ("Владимир Путин" ->
    ``vladimir-putin``, "Łódź" -> ``lodz``); a hash only when nothing letter-like remains."""
    slug = slugify(anyascii(SYLLABIC.sub(r" \g<0> ", fold_marks(name)))) or "entity-" + content_hash(name)[:8]
    return off_folder_page(slug, "entity")


FOLDER_PAGE_SLUGS = frozenset({"index"})
"""Slugs of a folder's own page: ``organizations/index.md`` lists the organisations,
``stories/index.md`` the stories. A page generated into such a folder whose name or headline
slugifies to one (an organisation named 'Index', tagged on a Reuters price-index story; a story
begun by an undated briefing headed 'Index') gets its kind added instead: ``index-entity``,
``index-story``. A briefing headed 'Index' gets ``index-briefing``: as ``index.md`` it would become
its month folder's own page (``briefings/2021/07/``, not ``briefings/2021/07/index/``)."""


def off_folder_page(slug: str, kind: str) -> str:
    """``slug``, or ``<slug>-<kind>`` when it is the slug of a folder's own page (``index``)."""
    return f"{slug}-{kind}" if slug in FOLDER_PAGE_SLUGS else slug


SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
"""Chinese, Japanese kana and Korean Hangul: one syllable a character, a word of its own in the
slug ("习近平" -> ``xi-jin-ping``, not ``xijinping``)."""


def fold_marks(text: str) -> str:
    """Combining marks dropped before transliterating ("Badakhshān" -> "Badakhshan")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def entity_page(tag_type: str, name: str) -> str:
    """Docs-relative Markdown path of an entity page."""
    return f"{ENTITY_SECTIONS[tag_type]}/{entity_slug(name)}.md"


def month_page(year: int, month: int) -> str:
    return f"timeline/{year:04d}/{month:02d}.md"


def month_page_n(year: int, month: int, n: int) -> str:
    """Page ``n`` (2, 3, ...) of a month's briefings; page 1 is ``month_page``."""
    return month_page(year, month) if n == 1 else f"timeline/{year:04d}/{month:02d}/{n}.md"


def letter_of(name: str) -> str:
    """The bucket an entity is listed under on its type's A-Z pages: the first letter of its
    slug, ``0-9`` for digits, ``other`` for names whose slug starts otherwise."""
    first = entity_slug(name)[:1]
    if "a" <= first <= "z":
        return first
    return "0-9" if first.isdigit() else "other"


def letter_page(tag_type: str, letter: str, n: int = 1) -> str:
    """An A-Z page of a type's entities (``people/letters/a.md``; page ``n`` of a long letter)."""
    base = f"{ENTITY_SECTIONS[tag_type]}/letters/{letter}"
    return f"{base}.md" if n == 1 else f"{base}/{n}.md"


def year_page(year: int) -> str:
    return f"timeline/{year:04d}/index.md"


STORY_SLUG_MAX_CHARS = 50
"""A story's slug is its first headline cut at a word to at most this many characters, then its
month: short enough to read in a URL, long enough to tell two stories of one month apart."""


def story_slug(headline: str, date: dt.datetime | None) -> str:
    """A story's slug from its earliest briefing's headline and date (``talks-resume-2021-07``;
    ``story`` when the headline leaves nothing), never the slug of ``stories/index.md``."""
    base = slugify(headline, STORY_SLUG_MAX_CHARS) or "story"
    return off_folder_page(f"{base}-{date:%Y-%m}" if date else base, "story")


def story_page(slug: str) -> str:
    return f"stories/{slug}.md"


FEEDS_FOLDER = "feeds"
LATEST_FEED = f"{FEEDS_FOLDER}/latest.xml"


def entity_page_n(tag_type: str, name: str, n: int) -> str:
    """Page ``n`` (2, 3, ...) of an entity's briefing list; page 1 is ``entity_page``."""
    return f"{ENTITY_SECTIONS[tag_type]}/{entity_slug(name)}/{n}.md"


def entity_feed(tag_type: str, name: str) -> str:
    """Docs-relative path of an entity's Atom feed (a static file MkDocs copies)."""
    return f"{FEEDS_FOLDER}/{ENTITY_SECTIONS[tag_type]}/{entity_slug(name)}.xml"


@lru_cache(maxsize=1 << 16)
def relative_link(from_page: str, to_page: str) -> str:
    """Markdown link from one docs page to another (both docs-relative .md paths)."""
    src_parts = [p for p in from_page.split("/")[:-1] if p and p != "."]
    dst_parts = [p for p in to_page.split("/") if p and p != "."]
    common = 0
    while common < len(src_parts) and common < len(dst_parts) - 1 and src_parts[common] == dst_parts[common]:
        common += 1
    ups = [".."] * (len(src_parts) - common)
    return "/".join([*ups, *dst_parts[common:]])
