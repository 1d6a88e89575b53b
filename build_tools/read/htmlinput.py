"""HTML input: trafilatura extracts the article and its metadata. Pure: HTML text in, Given out."""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from build_tools.extract.dates import parse_date
from build_tools.model import Given

log = logging.getLogger(__name__)


class HtmlPage(NamedTuple):
    given: Given
    """The metadata and body trafilatura found."""
    visible: str
    """The page's visible text laid out like the corpus text dumps (``page_text``): the text
    rules read the headline, byline and date from it, and the cleaner the body when trafilatura
    finds none."""


def extract_html(html: str) -> HtmlPage:
    """What an HTML page states about itself, and its visible text as a fallback."""
    import trafilatura

    given = Given()
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=False)
    except Exception as exc:  # trafilatura raises many types on broken markup
        log.debug("trafilatura failed: %s", exc)
        doc = None
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        cats = data.get("categories")
        given = Given(title=strip_site_name(data.get("title") or "", data.get("sitename") or "") or None,
                      body=data.get("text") or None,
                      date=parse_date(data["date"]) if data.get("date") else None,
                      author=data.get("author") or None,
                      outlet=data.get("sitename") or None,
                      summary=data.get("description") or None,
                      url=data.get("url") or None,
                      language=data.get("language") or None,
                      section=str(cats[0]) if isinstance(cats, list) and cats else None)
    return HtmlPage(given, page_text(html))


TITLE_SEPARATOR_RE = re.compile(r"\s+(?:[|»·•]|::|[-–—])\s+")


def strip_site_name(title: str, sitename: str) -> str:
    """'Headline | Site' or 'Site - Section - Headline' -> 'Headline': the longest part of a
    <title> split at its separators (the site name and section labels are short)."""
    parts = [p.strip() for p in TITLE_SEPARATOR_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    if sitename:
        parts = [p for p in parts if p.casefold() != sitename.strip().casefold()] or parts
    return max(parts, key=lambda p: len(p.split()))


NOT_SHOWN = ("title", "template", "textarea")
"""Elements a browser does not show in the page (the <title> is in the tab, not the page)."""


def page_text(html: str) -> str:
    """The page's visible text as a browser's select-all gives it, one block per line with blank
    lines around paragraphs and headings: html-text's layout, the one the text dumps the rules
    were calibrated on were made with. ``visible_text`` when html-text cannot read the page."""
    try:
        import html_text

        tree = html_text.parse_html(html)
        for el in list(tree.iter(*NOT_SHOWN)):
            el.drop_tree()
        for el in tree.xpath("//*[@hidden]"):
            el.drop_tree()
        text = html_text.etree_to_text(html_text.cleaner.clean_html(tree), guess_layout=True)
    except Exception:  # markup lxml cannot repair: the simpler reading below
        return visible_text(html)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def visible_text(html: str) -> str:
    """The page's visible text, one block per line (like a browser's select-all)."""
    try:
        import lxml.html
        from lxml_html_clean import Cleaner

        tree = lxml.html.document_fromstring(html)
        tree = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=False,
                       page_structure=False).clean_html(tree)
        blocks = []
        for el in tree.iter("p", "h1", "h2", "h3", "h4", "li", "div", "td", "blockquote", "span", "a"):
            if el.tag in ("span", "a", "div", "td") and any(True for _ in el.iterchildren("p", "div")):
                continue
            text = " ".join(el.text_content().split())
            if text:
                blocks.append(text)
        seen: set[str] = set()
        out = []
        for b in blocks:
            if b not in seen:
                seen.add(b)
                out.append(b)
        return "\n".join(out)
    except Exception:  # malformed markup: fall back to tag stripping
        return re.sub(r"<[^>]+>", "\n", html)
