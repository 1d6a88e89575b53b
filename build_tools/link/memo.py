"""Link: what linking remembers between builds, so an edit costs what it touches.

Linking is exact: every build computes the related scores, the story pairs and their weights over
the whole archive, as a build from scratch does (vectorised, a few sparse matrix products). What
costs the time is the Python-level text work on each briefing (tokenising and stemming its
headline, lead and body for four TF-IDF fits), and that is a pure function of the text: the
tokens of each text are kept in the build cache (``build.LINK_MEMO_FILE``) and only new or edited
texts are tokenised again. The fits themselves read the remembered tokens, so their result is the
one of a build from scratch, bit for bit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

Analyzer = Callable[[str], Iterable[str]]


class TokenMemo:
    """Tokens of each text by analyzer: ``known`` from the last build, ``used`` in this one."""

    def __init__(self, known: dict[bytes, tuple[str, ...]] | None = None) -> None:
        self.known = known or {}
        self.used: dict[bytes, tuple[str, ...]] = {}
        """What this build tokenised or reused: the next build's ``known`` (only current texts)."""
        self.misses = 0

    def analyzer(self, name: str, analyze: Analyzer) -> Callable[[str], tuple[str, ...]]:
        """``analyze`` remembered under ``name`` (one name per analyzer: the same text gives other
        tokens to another)."""
        return lambda text: self.value(name, (text,), lambda: tuple(analyze(text)))

    def value(self, name: str, texts: tuple[str, ...], compute: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """``compute()``, a pure function of ``texts`` named ``name``, remembered."""
        digest = hashlib.sha256(name.encode())
        for text in texts:
            data = text.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        key = digest.digest()
        found = self.used.get(key)
        if found is None:
            found = self.known.get(key)
        if found is None:
            found = compute()
            self.misses += 1
        self.used[key] = found
        return found


def plain(name: str, analyze: Analyzer, memo: TokenMemo | None) -> Callable[[str], Iterable[str]]:
    """``analyze`` through ``memo``, or as it is without one."""
    return analyze if memo is None else memo.analyzer(name, analyze)
