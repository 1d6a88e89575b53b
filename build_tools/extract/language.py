"""Which language a page is in: one decision, for the cleaner's features and the front matter.

Pure: text in, :class:`Language` out. Stop-word counts over justext's lists decide the page's
stop list (a feature of every line the cleaner scores) and, for Latin and Cyrillic pages, its
language; a page mostly in a script those lists do not cover (Arabic, Chinese, Japanese,
Korean) takes the script's language instead.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

LANGUAGE_STOPLISTS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                      "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
                      "cs": "Czech", "tr": "Turkish", "id": "Indonesian", "da": "Danish", "fi": "Finnish",
                      "hu": "Hungarian", "ro": "Romanian", "no": "Norwegian_Bokmal"}
"""ISO 639-1 code -> justext stop list, for the languages of the shared corpus and its neighbours."""
MIN_LANGUAGE_HITS = 5
"""Fewer stop-word hits than this and the language stays unknown (a headline alone is not enough)."""
LANGUAGE_SAMPLE_TOKENS = 20000
"""Tokens of a page read to guess its language: the whole of any article, bounded for huge pages."""

SCRIPTS = {"ar": re.compile(r"[\u0600-\u06ff]"), "zh": re.compile(r"[\u4e00-\u9fff]"),
           "ja": re.compile(r"[\u3040-\u30ff]"), "ko": re.compile(r"[\uac00-\ud7af]")}
"""Languages told by their script (no stop list), checked in this order."""
SCRIPT_SAMPLE_CHARS = 5000
SCRIPT_SHARE = 0.2
"""A page whose first ``SCRIPT_SAMPLE_CHARS`` characters are at least this share in one of
``SCRIPTS`` is in that language, whatever stop words its Latin menus hit (hostile c031/c032,
the Korean and Japanese pages of aeb)."""

WORD_RE = re.compile(r"\w+")


class Language(NamedTuple):
    """A page's language and the stop list its lines are scored with."""

    code: str | None
    """ISO 639-1 code, or None when the page shows too little of any language."""
    stop: frozenset[str]
    """The stop list the page's words hit most (empty below ``MIN_LANGUAGE_HITS``): the
    cleaner's features count it. On a page whose script decides ``code`` it is still the list
    its Latin words hit, as the cleaner was trained."""


@lru_cache(maxsize=1)
def stoplists() -> dict[str, frozenset[str]]:
    import justext

    return {code: frozenset(justext.get_stoplist(name)) for code, name in LANGUAGE_STOPLISTS.items()}


@lru_cache(maxsize=1)
def stop_languages() -> dict[str, tuple[int, ...]]:
    """Stop word -> the positions in ``stoplists()`` of the lists holding it."""
    out: dict[str, list[int]] = {}
    for k, stop in enumerate(stoplists().values()):
        for word in stop:
            out.setdefault(word, []).append(k)
    return {word: tuple(ks) for word, ks in out.items()}


def detect_language(text: str) -> Language:
    """The language of ``text`` (a whole page, or an article body) and its stop list."""
    counts = Counter(WORD_RE.findall(text.lower())[:LANGUAGE_SAMPLE_TOKENS])
    per_list = [0] * len(stoplists())  # stop-word hits of each list: one look-up per distinct word
    holders = stop_languages()
    for word, c in counts.items():
        for k in holders.get(word, ()):
            per_list[k] += c
    best, hits = None, 0
    for code, n in zip(stoplists(), per_list, strict=True):
        if n > hits:
            best, hits = code, n
    found = Language(best, stoplists()[best]) if best is not None and hits >= MIN_LANGUAGE_HITS \
        else Language(None, frozenset())
    return found._replace(code=script_language(text) or found.code)


def script_language(text: str) -> str | None:
    """The language of ``SCRIPTS`` most of the start of ``text`` is written in, if any."""
    sample = text[:SCRIPT_SAMPLE_CHARS]
    for code, pattern in SCRIPTS.items():
        if len(pattern.findall(sample)) > len(sample) * SCRIPT_SHARE:
            return code
    return None
