"""Inline entity links: at publish time, the first mention of each tagged entity in a briefing's
body links to its entity page. Pure; works on the sanitised HTML from ``render.body_html``.

The HTML is nh3's output, so tags are well formed and text is already escaped. Only text
between tags is searched (never attributes), never inside an existing link, code, or heading,
and the inserted ``href`` is built from an entity slug (ASCII letters, digits and '-'), so no
value from the briefing can reach an attribute. The editor's file is never changed.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
SKIP_INSIDE = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
"""Elements whose text is never linked (a link inside a link is invalid; headings stay plain)."""
_SAFE_HREF_RE = re.compile(r"^[A-Za-z0-9._/#-]+$")


class Mention(NamedTuple):
    name: str
    """The entity's name as tagged (plain text)."""
    href: str
    """Site URL of its entity page, relative to the briefing page."""


def _boundary(ch: str) -> bool:
    """Whether ``ch`` may stand beside a name: not a word character (``\\w``), nor the '&' of an
    HTML entity before it."""
    return not (ch.isalnum() or ch == "_")


def _find(text: str, name: str, start: int) -> int:
    """Index of the first whole-word occurrence of ``name`` in ``text`` at or after ``start``, or -1."""
    i = text.find(name, start)
    while i != -1:
        before_ok = i == 0 or (_boundary(text[i - 1]) and text[i - 1] != "&")
        end = i + len(name)
        if before_ok and (end == len(text) or _boundary(text[end])):
            return i
        i = text.find(name, i + 1)
    return -1


def matches(text: str, names: list[str]) -> list[tuple[int, str]]:
    """Where the names occur in ``text``, left to right without overlap, the longest name first
    where two start at one place (``names`` sorted longest first): what the regular expression
    ``(?<![\\w&])(?:name1|name2|...)(?!\\w)`` finds, without compiling one per briefing."""
    found: list[tuple[int, str]] = []
    nxt = {n: _find(text, n, 0) for n in names}
    pos = 0
    while True:
        best = -1
        best_name = ""
        for n in names:
            i = nxt[n]
            if 0 <= i < pos:
                i = nxt[n] = _find(text, n, pos)
            if i != -1 and (best == -1 or i < best):
                best, best_name = i, n
        if best == -1:
            return found
        found.append((best, best_name))
        pos = best + len(best_name)


def link_first_mentions(body_html: str, mentions: list[Mention]) -> str:
    """``body_html`` with the first whole-word mention of each name wrapped in a link."""
    wanted = {html.escape(m.name, quote=False): m.href for m in mentions
              if m.name.strip() and _SAFE_HREF_RE.match(m.href)}
    if not wanted:
        return body_html
    names = sorted(wanted, key=lambda n: (-len(n), n))
    done: set[str] = set()
    out: list[str] = []
    skip_depth = 0
    pos = 0

    def link_text(text: str) -> str:
        parts: list[str] = []
        at = 0
        for i, name in matches(text, names):
            if name in done:
                continue
            done.add(name)
            parts += [text[at:i], f'<a class="entity-link" href="{wanted[name]}">{name}</a>']
            at = i + len(name)
        parts.append(text[at:])
        return "".join(parts)

    for m in _TAG_RE.finditer(body_html):
        text = body_html[pos:m.start()]
        out.append(text if skip_depth or len(done) == len(wanted) else link_text(text))
        tag = m.group(2).lower()
        if tag in SKIP_INSIDE:
            skip_depth = max(0, skip_depth + (-1 if m.group(1) else 1))
        out.append(m.group(0))
        pos = m.end()
    tail = body_html[pos:]
    out.append(tail if skip_depth or len(done) == len(wanted) else link_text(tail))
    return "".join(out)
