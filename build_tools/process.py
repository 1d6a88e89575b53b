"""One article through the stages: clean -> metadata -> language -> entities. Pure: Article in, Article out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from build_tools.extract import bylines, clean, headline, metadata, outlet
from build_tools.extract.dates import is_local
from build_tools.extract.found import Found
from build_tools.extract.language import Language, detect_language, stop_languages
from build_tools.model import FIELDS, Article, Given, InputKind
from build_tools.tag import names, topics
from build_tools.tag.entities import Vocabulary, tag
from build_tools.text import clean_value

SUMMARY_MAX_CHARS = FIELDS["summary"].limit


def load_models() -> None:
    """Load now, in this process, what :func:`process` otherwise loads on its first article (the
    shipped models, stop lists, name lists): a pool forked after this inherits them, instead of
    every worker loading its own copy (0.3-0.7 s of CPU a worker)."""
    clean.shipped_models()
    clean.furniture()
    bylines.given_names()
    stop_languages()
    names.load_model()
    topics.topic_model()


def given_body(text: str, *titles: str | None) -> list[str]:
    """The paragraphs of a body an input gives, without a first one that repeats the headline
    (trafilatura keeps the <h1> as the first paragraph)."""
    body = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    heads = {t.strip().casefold() for t in titles if t}
    return body[1:] if body and body[0].casefold() in heads else body


def html_outlet(given: Given, head: tuple[str, ...], found: str | None) -> str | None:
    """An HTML page's outlet: the site name it declares (og:site_name), cleaned, else a part of
    its title naming the site. When the page states its URL, the first of them, or the text
    rules' ``found``, that names its host wins, and the host itself when none does (a publisher's
    or parent company's name is not the site's). Without a URL, ``found`` (a copyright owner)
    only when the page's title agrees with it: l3s-gn1 HTML, folds 1-4, outlets naming the site
    0.708 of 60 % of pages taking ``found`` as it is, 0.782 of 37 % this way (trafilatura's own
    site name: 0.710 of 28 %)."""
    declared = outlet.clean_outlet(given.outlet)
    titles = (*head, given.title or "")
    host = outlet.host_of(given.url)
    host_keys = outlet.site_keys(given.url)
    from_title = outlet.title_outlet(titles, host_keys or outlet.site_keys(None, declared))
    if host and host_keys:
        for name in (declared, from_title, found):
            if outlet.names_site(name, host_keys):
                return name
        return host.removeprefix("www.")
    if declared or from_title or not found:
        return declared or from_title
    return outlet.title_outlet(titles, outlet.site_keys(None, found))


def local_date(when: dt.datetime | None, zone: dt.tzinfo | None) -> dt.datetime | None:
    """A time printed without a zone in the outlet's zone when the editors know it; as printed
    (``dates.LOCAL``) otherwise."""
    if when is None or zone is None or not is_local(when):
        return when
    return when.replace(tzinfo=zone)


class ReadPage(NamedTuple):
    """A page's text read by the cleaner and the metadata stage."""

    page: list[clean.Line]
    lines: list[str]
    language: Language
    scores: np.ndarray
    """Each line's probability of being article text."""
    found: Found


def read_page(text: str, models: clean.Models) -> ReadPage:
    """The lines of a page's text, its language, each line's body score and its metadata."""
    page = clean.page_lines(text)
    lines = [line.text for line in page]
    language = detect_language(text)
    scores = clean.body_scores(page, language.stop, models.cleaner)
    found = metadata.extract_metadata(lines, None, None, scores, page, language.stop, language.code, models.title,
                                      models.outlet)
    return ReadPage(page, lines, language, scores, found)


def process(article: Article, vocabulary: Vocabulary | None, models: clean.Models | None = None) -> Article:
    """``article`` with every metadata and tag field filled from its text and what it states about
    itself (a new Article; ``article`` is left as it was). ``models``: the trained extraction
    models (default: the shipped ones)."""
    models = models or clean.shipped_models()
    outlets = vocabulary.outlets if vocabulary is not None else outlet.OutletNames()
    given, text = article.given, article.text
    head: tuple[str, ...] = ()
    if article.kind is InputKind.HTML:
        from build_tools.read.htmlinput import extract_html

        given, text, head = extract_html(article.text)
    language: Language | None = None  # the page's, when the cleaner read it
    if given.body and article.kind is not InputKind.HTML:
        # Structured input: body paragraphs are given; the page text rules fill the gaps.
        lines = clean.split_lines(given.body)
        body = given_body(given.body, given.title)
        found = metadata.extract_metadata(lines)
        # A JSON body has no headline line: the metadata rules must not take a paragraph as title.
        found.title = metadata.cut_title(given.title) if given.title else None
    else:
        page, lines, language, scores, found = read_page(text, models)
        body = [lines[i] for i in clean.select_body(page, scores, found.used)]
        if article.kind is InputKind.HTML:
            # trafilatura's own fields first (title, body, byline, date, site name), the text
            # rules where it finds nothing or its title is provably not the headline.
            # The page's claimed name: html_outlet checks it against the title and the URL.
            keys = outlet.site_keys(given.url, outlet.clean_outlet(given.outlet), found.claimed_outlet)
            found.title = headline.html_title(given.title, found.title, head, keys)
            given = replace(given, title=None, outlet=html_outlet(given, head, found.claimed_outlet))
            found.outlet = None  # weighed by html_outlet
            if given.body:
                body = given_body(given.body, found.title, *head)
        elif given.title:
            found.title = metadata.cut_title(given.title)
    title = found.title or (metadata.cut_title(given.title) if given.title else None)
    author = clean_value(given.author) if given.author else found.author
    summary = given.summary or found.summary
    name = outlets.name(outlet.clean_outlet(given.outlet) or found.outlet or metadata.outlet_from_author(author), given.url)
    date = local_date(given.date or found.date, outlets.local_zone(name))
    # A field no stage below decides is as the input states it (``url``, or any field added to the
    # table that only readers fill); the stages' values, checked by mypy, come on top.
    done = replace(article, **{name: getattr(given, name) for name in FIELDS})
    done = replace(
        done, given=given, text=text, lines=lines, body=body,
        title=title,
        date=date,
        updated=local_date(found.updated if found.updated is not None else given.updated, outlets.local_zone(name)),
        author=author,
        outlet=name,
        section=clean_value(given.section) if given.section else found.section,
        summary=clean_value(summary)[:SUMMARY_MAX_CHARS] if summary else None,
        image_credit=given.image_credit or found.image_credit,
        sources=found.sources,
        credits=found.credits or given.credits,
        language=given.language or (language or detect_language("\n".join(body))).code,
    )
    if vocabulary is not None:
        done = replace(done, tags=tag(done.title or "", "\n\n".join(body), vocabulary))
    return done
