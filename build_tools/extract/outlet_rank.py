"""Which of the names a page gives itself is its outlet: a trained ranker over candidate outlets.

``outlet.self_references`` finds every place a text dump names a site: a team byline, a 'Follow X
on' line, an owner sentence, the copyright line, a printed domain, a 'Subscribe to X' line, a
masthead, a short top line. The hand-set agreement rule (``outlet.agreed_outlet``) gives an
outlet on about a quarter of the pages. Here the references that name one site (the same name,
or a name and its domain) become one candidate, described by which cues back it and by how the
page prints its name (how often, near the top, near the bottom, on short furniture lines); a
gradient-boosted model trained by ``python -m quality.train_outlet ../shared/corpus`` scores each
candidate, and the best one is the outlet when its score reaches ``OUTLET_MIN_PROBABILITY``.
Pure functions; no list of sites anywhere.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from build_tools.extract import outlet
from build_tools.extract.outlet import SelfReference

if TYPE_CHECKING:
    from build_tools.extract.clean import Trees

CUE_KINDS = ("team", "follow", "owner", "copyright", "domain", "subscribe", "newsletter", "search", "masthead",
             "first", "top")
"""The kinds of ``outlet.SelfReference``: one yes/no feature each."""
OUTLET_FEATURES = (*(f"cue:{k}" for k in CUE_KINDS), "kinds", "cue lines", "log mentions", "mentioned near top",
                   "mentioned near bottom", "words", "has digit", "has dot", "upper case", "domain only",
                   "log page lines", "first mention share", "log short-line mentions", "mentioned in first lines",
                   "longest cue line", "most mentioned", "candidates mentioned more")
"""The columns of a candidate's features, in order (the trained model reads them by position)."""
MENTIONS = OUTLET_FEATURES.index("log mentions")
SHORT_LINE_CHARS = 60
"""A line this short is the page's furniture (a menu item, a masthead, a footer link)."""
FIRST_LINES = 2
MIN_MENTION_CHARS = 3
"""A shorter name or host label ('dw') matches inside too many words to count its mentions."""

OUTLET_MIN_PROBABILITY = 0.8
"""The best candidate is the outlet when the model scores it at least this. Chosen out of fold on
the ../shared/corpus text dumps (``python -m quality.train_outlet ../shared/corpus`` prints the
table): the lowest threshold at which the outlets given name the site at least 0.92 of the time
over aeb, l3s-gn1 and trafilatura-eval pooled. Out of fold at 0.8, pages given an outlet / share
naming the site: aeb 0.291 / 0.946, l3s-gn1 0.326 / 0.942, trafilatura-eval 0.208 / 0.909,
against the agreement rule's 0.32 / 0.85, 0.27 / 0.91, 0.17 / 0.90 (0.7 gives 0.31 / 0.915
pooled, but 0.896 on trafilatura-eval)."""


class Candidate(NamedTuple):
    """One site the page names, with the evidence for it."""

    name: str
    """As the page prints it (a cue's cleaned name; a domain when only a domain names it)."""
    features: tuple[float, ...]
    """One value per ``OUTLET_FEATURES`` column."""


def _mention_pattern(name: str, domain: bool) -> re.Pattern[str] | None:
    keys = outlet.host_names(name) if domain else [name]
    parts = [re.escape(k) for k in keys if len(k) >= MIN_MENTION_CHARS]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _groups(refs: list[SelfReference]) -> list[list[SelfReference]]:
    """References naming one site together (``outlet.agree``, on one line or two), in page order."""
    groups: list[list[SelfReference]] = []
    for ref in refs:
        for group in groups:
            if any(outlet.agree(ref, other, same_line=True) for other in group):
                group.append(ref)
                break
        else:
            groups.append([ref])
    return groups


def candidates(lines: list[str], refs: list[SelfReference]) -> list[Candidate]:
    """Every site ``refs`` name, as :class:`Candidate` rows for the ranker."""
    n = len(lines)
    rows: list[tuple[str, list[float]]] = []
    for group in _groups(refs):
        named = [r for r in group if r.kind != "domain"]
        best = min(named or group, key=lambda r: outlet.PREFERENCE.index(r.kind))
        domain_only = not named
        pattern = _mention_pattern(best.name, domain_only)
        at = [i for i, line in enumerate(lines) if pattern.search(line)] if pattern else []
        kinds = {r.kind for r in group}
        words = best.name.split()
        cue_lines = [len(lines[r.line]) for r in group if 0 <= r.line < n]
        features = [float(k in kinds) for k in CUE_KINDS]
        features += [float(len(kinds)), float(len({r.line for r in group})), math.log1p(len(at)),
                     float(any(i < outlet.TOP_LINES for i in at)), float(any(i >= n - outlet.BOTTOM_LINES for i in at)),
                     float(len(words)), float(any(c.isdigit() for c in best.name)), float("." in best.name),
                     float(best.name.isupper()), float(domain_only), math.log1p(n), min(at) / n if at else 1.0,
                     math.log1p(sum(1 for i in at if len(lines[i]) <= SHORT_LINE_CHARS)),
                     float(any(i < FIRST_LINES for i in at)), max(cue_lines, default=0) / 100]
        rows.append((best.name, features))
    most = max((f[MENTIONS] for _, f in rows), default=0.0)
    return [Candidate(name, (*f, float(f[MENTIONS] == most), float(sum(1 for _, g in rows if g[MENTIONS] > f[MENTIONS]))))
            for name, f in rows]


def scores(found: list[Candidate], model: Trees) -> np.ndarray:
    """The model's probability that each candidate is the page's own site."""
    if not found:
        return np.zeros(0)
    return model.predict(np.array([c.features for c in found], dtype=np.float64))


def ranked_outlet(found: list[Candidate], model: Trees) -> str | None:
    """The best-scored candidate when it scores at least ``OUTLET_MIN_PROBABILITY``."""
    if not found:
        return None
    p = scores(found, model)
    best = int(np.argmax(p))
    return found[best].name if p[best] >= OUTLET_MIN_PROBABILITY else None


__all__ = ["OUTLET_FEATURES", "OUTLET_MIN_PROBABILITY", "Candidate", "candidates", "ranked_outlet", "scores"]
