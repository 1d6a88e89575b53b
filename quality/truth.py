"""What the shared corpora's truth files say, normalised for scoring: the helpers the extraction
gate (``quality.eval``) and the trainers that learn from the same truth (``quality.train_cleaner``,
``quality.train_outlet``) share, so the tools import them without importing each other."""

from __future__ import annotations

import re
from typing import Any

from build_tools.extract import outlet


def norm_words(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    words = re.findall(r"\w+", str(value).casefold().replace("_", " "))
    return " ".join(words) or None


def squash(text: str) -> str:
    return " ".join(text.split())


def reference_url(truth: dict[str, Any]) -> str | None:
    """The page's URL; for trafilatura-eval, whose URLs are ids, the host its file is named after
    ('tests/eval/elnuevoherald.com-miami.html' -> 'elnuevoherald.com')."""
    url = truth.get("url") or ""
    if url.startswith(("http://", "https://")):
        return str(url)
    name = str(truth.get("source_file") or "").rsplit("/", 1)[-1].removesuffix(".html")
    labels: list[str] = []
    for label in name.split("."):
        head = re.split(r"[-_ ]", label)[0]
        labels.append(head)
        if head.casefold() in outlet.TLDS and len(labels) > 1:
            return ".".join(labels)
    return None


def outlet_keys(truth: dict[str, Any]) -> list[str]:
    """What names the page's site: its host's name, the og:site_name it declares, the annotated
    site name. An outlet 'names the site' when it matches one (``outlet.names_site``)."""
    meta = truth.get("html_meta") or {}
    return outlet.site_keys(reference_url(truth), meta.get("site_name"), truth.get("sitename"))
