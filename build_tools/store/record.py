"""The record ``briefings extract`` prints for an article (the CLI contract)."""

from __future__ import annotations

from build_tools.model import Article
from build_tools.slugs import briefing_id
from build_tools.store.briefing import article_body, iso


def article_record(article: Article) -> dict[str, object]:
    return {
        "source": article.source,
        "id": briefing_id(article.input_hash),
        "title": article.title,
        "date": iso(article.date),
        "updated": iso(article.updated),
        "author": article.author,
        "outlet": article.outlet,
        "section": article.section,
        "summary": article.summary,
        "body": article_body(article),
        "language": article.language,
        "image_credit": article.image_credit,
        "sources": list(article.sources),
        "url": article.url,
        "tags": article.tags.as_dict(),
        "warnings": list(article.warnings),
    }
