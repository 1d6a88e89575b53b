"""Safe rendering: every value from a briefing reaches the site as text, never as markup.

Front-matter values are HTML-escaped for the theme (MkDocs templates do not autoescape);
inline values in generated Markdown are Markdown-escaped; briefing bodies are rendered to
HTML here and passed through an allow-list sanitiser (nh3, the Ammonia sanitiser) so raw HTML,
``javascript:`` URLs and attribute-list syntax from article text can never become script.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from collections.abc import Iterable
from typing import Any

import markdown
import nh3
import yaml

ALLOWED_TAGS = {"p", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5", "h6",
                "code", "pre", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "img", "sup", "sub", "del"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
BODY_EXTENSIONS = ["tables", "sane_lists"]
"""Markdown extensions for briefing bodies. Never attr_list or md_in_html: they let text set
arbitrary attributes (on* handlers, style)."""


def text(value: object) -> str:
    """A value for an HTML context (front matter that the theme prints raw)."""
    return html.escape(str(value), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>])")


def md_text(value: object) -> str:
    """A value for inline Markdown: escaped for Markdown and for HTML."""
    escaped = html.escape(" ".join(str(value).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def page_front_matter(meta: dict[str, Any]) -> str:
    """Front matter of a generated page, every string HTML-escaped, emitted by a real YAML emitter."""

    def esc(v: Any) -> Any:
        if isinstance(v, str):
            return text(v)
        if isinstance(v, list):
            return [esc(x) for x in v]
        if isinstance(v, dict):
            return {k: esc(x) for k, x in v.items()}
        return v

    # libyaml's emitter when present: same output as the Python one, five times faster.
    dumped = yaml.dump(esc(meta), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                       allow_unicode=True, width=10**9)
    return f"---\n{dumped}---\n"


def body_html(body_markdown: str, page: str, trusted: bool = False) -> str:
    """A briefing body as sanitised HTML, with links to other .md files made into site URLs.

    ``trusted`` (only for editors' own briefings, when the site configuration says so) skips the
    sanitiser and publishes raw HTML as written."""
    clean = _sanitised_html(body_markdown, trusted)
    return re.sub(r'href="([^"#:?]+\.md)(#[^"]*)?"', lambda m: f'href="{md_url(m.group(1), page)}{m.group(2) or ""}"',
                  clean)


_BODIES: dict[bytes, str] = {}
"""sha256 of (trusted, body) -> its sanitised HTML: a memo of the pure function below. A body is
rendered for its page and again for every feed it is in (up to a dozen), and the build keeps the
memo between runs (``remember_bodies``), so an edit renders only the bodies that changed."""
_USED: set[bytes] = set()


def remember_bodies(known: dict[bytes, str]) -> None:
    """Start a run with the bodies an earlier run rendered."""
    _BODIES.clear()
    _BODIES.update(known)
    _USED.clear()


def bodies_used() -> dict[bytes, str]:
    """The bodies this run rendered or reused (what the next run is given)."""
    return {k: _BODIES[k] for k in _USED if k in _BODIES}


def bodies_of(keys: Iterable[bytes]) -> dict[bytes, str]:
    """The memo's entries for ``keys`` (those it holds): what pages kept from an earlier run used."""
    return {k: _BODIES[k] for k in keys if k in _BODIES}


def take_used() -> dict[bytes, str]:
    """The bodies used since the last call, and forget that they were (a worker's share of the run,
    handed to the parent's ``adopt``)."""
    used = {k: _BODIES[k] for k in _USED if k in _BODIES}
    _USED.clear()
    return used


def adopt(used: dict[bytes, str]) -> None:
    """Take bodies another process rendered or reused into this run's memo."""
    _BODIES.update(used)
    _USED.update(used)


def _sanitised_html(body_markdown: str, trusted: bool) -> str:
    """The body rendered and sanitised, blank lines dropped (before any per-page link rewriting)."""
    key = hashlib.sha256((b"1" if trusted else b"0") + body_markdown.encode("utf-8", "surrogatepass")).digest()
    _USED.add(key)
    found = _BODIES.get(key)
    if found is not None:
        return found
    converter = _converter()
    rendered = converter.reset().convert(body_markdown)
    clean = rendered if trusted else nh3.clean(
        rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True)
    # Keep the block free of blank lines so Python-Markdown passes it through as one raw block.
    found = _BODIES[key] = "\n".join(line for line in clean.splitlines() if line.strip())
    return found


@functools.cache
def _converter() -> markdown.Markdown:
    """One Markdown converter per process, reset before each body: building one (its parsers and
    extensions) took two thirds of the time of ``markdown.markdown`` on a briefing body."""
    return markdown.Markdown(extensions=BODY_EXTENSIONS, output_format="html")


def page_url(page: str) -> str:
    """Site URL path (directory URLs) of a docs-relative .md page."""
    if page == "index.md":
        return ""
    if page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[:-3] + "/"


def md_url(target: str, page: str) -> str:
    """Relative URL from ``page`` to the .md ``target`` (a path relative to ``page``'s folder)."""
    target_page = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    to = page_url(target_page).rstrip("/") or "."
    here = page_url(page).rstrip("/") or "."
    rel = posixpath.relpath(to, here)
    return "./" if rel == "." else rel + "/"
