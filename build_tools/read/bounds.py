"""Size limits on one article's input: text cut to MAX_TEXT_CHARS, HTML to MAX_HTML_CHARS of markup
or MAX_HTML_ELEMENTS elements, each cut with a warning saying where."""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_TEXT_CHARS = 300_000
"""Longest article text read from one input (a text dump, a JSON record's body, the text of an
HTML page); the rest is cut off, with a warning naming the file and where. Extraction and tagging
grow faster than the text (headline candidates are compared with every line, entity matches with
every candidate): one article repeated to 250,000 characters takes 2.3 s and 150 MB, to 1 MB
11.6 s and 270 MB, to 5 MB 89 s and 950 MB (profiled on this repository's sample inbox); cut to
this limit, it takes 2-5 s and under 200 MB. The longest text dump in ../shared/corpus is 122 KB,
and the hostile case c011 (202,000 characters, one line of 180,000) must be kept whole."""

MAX_HTML_CHARS = 2_000_000
"""Longest HTML page read (the rest cut off, with a warning): the biggest real page in
../shared/corpus is 1.5 MB; markup beyond this is not an article, and parsing it costs time."""

MAX_HTML_ELEMENTS = 10_000
"""Most HTML elements (start tags) read from one page, the rest cut off with a warning. HTML
extraction grows faster than the markup: 5,000 empty elements take trafilatura 2.1 s, 10,000
3.1 s, 20,000 8.9 s, 40,000 13.5 s. The real page with the most elements in ../shared/corpus has
2,229 (the biggest by size, 1.5 MB, far fewer), so no real page is cut."""


class Bounded(NamedTuple):
    text: str
    warning: str | None
    """What was cut, and where; None when nothing was."""


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def bound_text(text: str, what: str) -> Bounded:
    """``text`` cut to MAX_TEXT_CHARS, at the last line break before the limit (else the last
    space, else the limit itself), with a warning saying where."""
    if len(text) <= MAX_TEXT_CHARS:
        return Bounded(text, None)
    end = text.rfind("\n", 0, MAX_TEXT_CHARS + 1)
    if end < MAX_TEXT_CHARS // 2:
        end = text.rfind(" ", 0, MAX_TEXT_CHARS + 1)
    if end < MAX_TEXT_CHARS // 2:
        end = MAX_TEXT_CHARS
    return Bounded(text[:end].rstrip(), f"{what} holds {len(text):,} characters of text, over the {MAX_TEXT_CHARS:,} "
                   f"read for one article: cut at line {_line_of(text, end)} (character {end:,}); the rest is not "
                   "in the briefing. Split the input if it holds several articles")


_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)?[^>]*>|<!--")
_RAW_TEXT_TAGS = ("script", "style", "template", "noscript")


def bound_html(html: str) -> Bounded:
    """``html`` cut after MAX_HTML_CHARS characters of markup or MAX_TEXT_CHARS characters of text
    (outside tags, scripts, styles and comments), with a warning saying where. One pass, linear
    in the page: an unclosed script or comment runs to the end of the page."""
    limit = min(len(html), MAX_HTML_CHARS)
    budget = MAX_TEXT_CHARS
    elements = 0
    pos = 0
    while pos < limit:
        tag = _TAG_RE.search(html, pos, limit)
        text_end = tag.start() if tag else limit
        budget -= len(html[pos:text_end].strip())
        if budget < 0:  # the text ran over inside this stretch: cut it at its last space
            over = text_end + budget
            space = html.rfind(" ", pos, over)
            pos = space if space > pos else over
            break
        if tag is None:
            pos = limit
            break
        name = (tag.group(2) or "").lower()
        if name and not tag.group(1):
            elements += 1
            if elements > MAX_HTML_ELEMENTS:
                pos = tag.start()
                break
        pos = tag.end()
        if tag.group(0) == "<!--":
            close = html.find("-->", pos)
            pos = len(html) if close < 0 else close + 3
        elif name in _RAW_TEXT_TAGS and not tag.group(1):
            close = _find_close(html, name, pos)
            pos = len(html) if close < 0 else close
    pos = min(pos, limit)
    if pos >= len(html):
        return Bounded(html, None)
    why = (f"holds more than {MAX_TEXT_CHARS:,} characters of text" if budget < 0
           else f"has more than {MAX_HTML_ELEMENTS:,} elements" if elements > MAX_HTML_ELEMENTS
           else f"is {len(html):,} characters of HTML, over {MAX_HTML_CHARS:,}")
    return Bounded(html[:pos], f"the page {why}, the most read for one article: cut at line {_line_of(html, pos)} "
                   f"(character {pos:,}); the rest is not in the briefing. Split the page if it holds several articles")


def _find_close(html: str, name: str, start: int) -> int:
    """Where the closing tag of a raw-text element (``</script``...) starts, or -1."""
    found = re.compile(rf"</{name}\b", re.IGNORECASE).search(html, start)
    return found.start() if found else -1
