"""The record ``briefings extract`` prints for an article (the CLI contract)."""

from __future__ import annotations

from build_tools.model import FIELDS, Article
from build_tools.slugs import briefing_id
from build_tools.store.briefing import article_body, plain

RECORD_ORDER = ("title", "date", "updated", "author", "outlet", "section", "summary", "body", "language",
                "image_credit", "sources", "url")
"""The key order of the record's metadata and body, fixed since the first release (a script may
rely on it). Fields added to ``model.Metadata`` later follow, in table order: no edit here."""


def article_record(article: Article) -> dict[str, object]:
    values = {spec.name: plain(spec, getattr(article, spec.name)) for spec in FIELDS.values()}
    values["body"] = article_body(article)
    ordered = {name: values.pop(name) for name in RECORD_ORDER} | values
    return {
        "source": article.source,
        "id": briefing_id(article.input_hash),
        **ordered,
        "tags": article.tags.as_dict(),
        "warnings": list(article.warnings),
    }
