"""HTML input: trafilatura extracts the article and its metadata. Pure: HTML text in, Given out."""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from build_tools.extract.dates import parse_date
from build_tools.model import Given
from build_tools.text import clean_value

log = logging.getLogger(__name__)


class HtmlPage(NamedTuple):
    given: Given
    """The metadata and body trafilatura found (its title as it found it, site name and all)."""
    visible: str
    """The page's visible text laid out like the corpus text dumps (``page_text``): the text
    rules read the headline, byline and date from it, and the cleaner the body when trafilatura
    finds none."""
    titles: tuple[str, ...] = ()
    """The titles the page declares in its head (<title>, og:title, twitter:title): where the
    headline and the site's name are read apart."""


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
        given = Given(title=clean_value(data.get("title") or "") or None,
                      body=data.get("text") or None,
                      date=parse_date(data["date"]) if data.get("date") else None,
                      author=data.get("author") or None,
                      outlet=data.get("sitename") or None,
                      summary=data.get("description") or None,
                      url=data.get("url") or None,
                      language=data.get("language") or None,
                      section=str(cats[0]) if isinstance(cats, list) and cats else None)
    return HtmlPage(given, page_text(html), head_titles(html))


HEAD_TITLE_XPATH = ("//head//title", "//meta[@property='og:title']/@content", "//meta[@name='twitter:title']/@content")


def head_titles(html: str) -> tuple[str, ...]:
    """The page's <title>, og:title and twitter:title, each once, in that order."""
    try:
        import lxml.html

        tree = lxml.html.document_fromstring(html)
    except Exception:  # markup lxml cannot read: no head titles
        return ()
    out: list[str] = []
    for xpath in HEAD_TITLE_XPATH:
        for hit in tree.xpath(xpath)[:1]:
            text = clean_value(hit if isinstance(hit, str) else hit.text_content())
            if text and text not in out:
                out.append(text)
    return tuple(out)


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
