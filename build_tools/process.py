"""One article through the stages: clean -> metadata -> entities. Pure: Article in, Article out."""

from __future__ import annotations

from build_tools.extract import clean, metadata
from build_tools.extract.language import Language, detect_language
from build_tools.model import Article, InputKind
from build_tools.tag.entities import Vocabulary, tag
from build_tools.text import clean_value

SUMMARY_MAX_CHARS = 500


def process(article: Article, vocabulary: Vocabulary | None, models: clean.Models | None = None) -> Article:
    """Fill every metadata and tag field of ``article`` from its text and what it states about itself.
    ``models``: the trained extraction models (default: the shipped ones)."""
    models = models or clean.shipped_models()
    given = article.given
    if article.kind is InputKind.HTML:
        from build_tools.read.htmlinput import extract_html

        found_given, visible = extract_html(article.text)
        article.given = given = found_given
        if not given.body:
            article.text = visible
    language: Language | None = None  # the page's, when the cleaner read it
    if given.body:
        # Structured input: body paragraphs are given; the page text rules fill the gaps.
        article.lines = clean.split_lines(given.body)
        article.body = [p.strip() for p in given.body.replace("\r", "").split("\n") if p.strip()]
        if article.body and given.title and article.body[0].casefold() == given.title.strip().casefold():
            article.body = article.body[1:]  # trafilatura keeps the <h1> as the first paragraph
        found = metadata.extract_metadata(article.lines, None, given.date)
        # A JSON body has no headline line: the metadata rules must not take a paragraph as title.
        found.title = metadata.cut_title(given.title) if given.title else None
    else:
        page = clean.page_lines(article.text)
        article.lines = [line.text for line in page]
        language = detect_language(article.text)
        scores = clean.body_scores(page, language.stop, models.cleaner)
        found = metadata.extract_metadata(article.lines, None, given.date, scores, page, language.stop,
                                          language.code, models.title)
        if given.title:  # an HTML page trafilatura could not extract still states its headline
            found.title = metadata.cut_title(given.title)
        article.body = [article.lines[i] for i in clean.select_body(page, scores, found.used)]
    article.title = found.title
    article.date = found.date
    article.updated = found.updated
    article.author = clean_value(given.author) if given.author else found.author
    article.outlet = clean_value(given.outlet) if given.outlet else (found.outlet or metadata.outlet_from_author(article.author))
    article.section = clean_value(given.section) if given.section else found.section
    summary = given.summary or found.summary
    article.summary = clean_value(summary)[:SUMMARY_MAX_CHARS] if summary else None
    article.image_credit = given.image_credit or found.image_credit
    article.sources = found.sources
    article.url = given.url
    if given.updated and article.updated is None:
        from build_tools.extract.dates import parse_date

        article.updated = parse_date(given.updated)
    article.language = given.language or (language or detect_language("\n".join(article.body))).code
    if vocabulary is not None:
        article.tags = tag(article.title or "", "\n\n".join(article.body), vocabulary)
    return article
