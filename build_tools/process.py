"""One article through the stages: clean -> metadata -> language -> entities. Pure: Article in, Article out."""

from __future__ import annotations

from dataclasses import replace

from build_tools.extract import clean, metadata
from build_tools.extract.language import Language, detect_language
from build_tools.model import FIELDS, Article, InputKind
from build_tools.tag.entities import Vocabulary, tag
from build_tools.text import clean_value

SUMMARY_MAX_CHARS = FIELDS["summary"].limit


def given_body(text: str, *titles: str | None) -> list[str]:
    """The paragraphs of a body an input gives, without a first one that repeats the headline
    (trafilatura keeps the <h1> as the first paragraph)."""
    body = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    heads = {t.strip().casefold() for t in titles if t}
    return body[1:] if body and body[0].casefold() in heads else body


def process(article: Article, vocabulary: Vocabulary | None, models: clean.Models | None = None) -> Article:
    """``article`` with every metadata and tag field filled from its text and what it states about
    itself (a new Article; ``article`` is left as it was). ``models``: the trained extraction
    models (default: the shipped ones)."""
    models = models or clean.shipped_models()
    given, text = article.given, article.text
    page_title: str | None = None
    # the headline the text rules found on an HTML page's text (preferred to trafilatura's)
    if article.kind is InputKind.HTML:
        from build_tools.read.htmlinput import extract_html

        given, text = extract_html(article.text)
    language: Language | None = None  # the page's, when the cleaner read it
    if given.body and article.kind is not InputKind.HTML:
        # Structured input: body paragraphs are given; the page text rules fill the gaps.
        lines = clean.split_lines(given.body)
        body = given_body(given.body, given.title)
        found = metadata.extract_metadata(lines)
        # A JSON body has no headline line: the metadata rules must not take a paragraph as title.
        found.title = metadata.cut_title(given.title) if given.title else None
    else:
        page = clean.page_lines(text)
        lines = [line.text for line in page]
        language = detect_language(text)
        scores = clean.body_scores(page, language.stop, models.cleaner)
        found = metadata.extract_metadata(lines, None, None, scores, page, language.stop, language.code, models.title)
        body = [lines[i] for i in clean.select_body(page, scores, found.used)]
        if article.kind is InputKind.HTML:
            # trafilatura's own fields first (body, byline, date, outlet), the text rules where it
            # finds nothing; the headline the other way round: on l3s-gn1 HTML trafilatura's title
            # matched 0.48 of the headlines (often the site's name), the text rules on the page's
            # text 0.73 out of fold (quality.eval, 'trafilatura-alone' rows).
            page_title, found.title = found.title, None
            if given.body:
                body = given_body(given.body, given.title, page_title)
        elif given.title:
            found.title = metadata.cut_title(given.title)
    title = page_title or found.title or (metadata.cut_title(given.title) if given.title else None)
    author = clean_value(given.author) if given.author else found.author
    summary = given.summary or found.summary
    # A field no stage below decides is as the input states it (``url``, or any field added to the
    # table that only readers fill); the stages' values, checked by mypy, come on top.
    done = replace(article, **{name: getattr(given, name) for name in FIELDS})
    done = replace(
        done, given=given, text=text, lines=lines, body=body,
        title=title,
        date=given.date or found.date,
        updated=found.updated if found.updated is not None else given.updated,
        author=author,
        outlet=clean_value(given.outlet) if given.outlet else (found.outlet or metadata.outlet_from_author(author)),
        section=clean_value(given.section) if given.section else found.section,
        summary=clean_value(summary)[:SUMMARY_MAX_CHARS] if summary else None,
        image_credit=given.image_credit or found.image_credit,
        sources=found.sources,
        language=given.language or (language or detect_language("\n".join(body))).code,
    )
    if vocabulary is not None:
        done = replace(done, tags=tag(done.title or "", "\n\n".join(body), vocabulary))
    return done
