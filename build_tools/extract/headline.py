"""Headline stage of the metadata: where a page's headline is, and the header patterns around it.

Candidates near the start of the article text (whole lines, or a line with its kicker or site name
cut off) are scored by a trained ranker (``data/title_model.json``, trained by
``python -m quality.train_cleaner``); a recognisable header block (byline slot, then a
'<Section> Updated: <date>' line) names its headline outright. Pure functions over the page's lines.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from build_tools.extract import clean
from build_tools.extract.dates import find_date
from build_tools.extract.outlet import names_site
from build_tools.text import clean_value

MAX_TITLE_WORDS = 40
MIN_TITLE_WORDS = 3
BYLINE_RE = re.compile(r"^(?:by|von|par|por|door|di|przez)\s+(?P<name>.{2,120})$", re.IGNORECASE)
TEAM_RE = re.compile(r"^(?P<outlet>.+?)\s+(?:web team|web desk|news desk|desk|staff|bureau|newsroom|online desk)$",
                     re.IGNORECASE)
DATE_LABEL_RE = re.compile(r"\b(?P<label>updated|published|posted|last updated|modified|first published)\b\s*(?:on|at)?:?\s*",
                           re.IGNORECASE)
HIGHLIGHTS_RE = re.compile(r"^(story highlights|highlights|key points|in brief|summary)\s*:?$", re.IGNORECASE)
COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<owner>.{2,60}?)"
                          r"(?:\s*(?:ltd|limited|inc|llc|plc|gmbh|s\.a\.|co)\.?)?[.,]?\s*(?:all rights reserved\.?)?$",
                          re.IGNORECASE)
MAX_DATE_LINE_WORDS = 25
"""A longer line is a sentence: a date inside it is an event, not the publication date."""


TITLE_FEATURES = ("log_words", "log_chars", "lines_to_body", "blank_before", "blank_after", "duplicates",
                  "inside_other", "sentence_end", "ends_colon", "capital_ratio", "stop_ratio", "furniture",
                  "year", "byline", "score", "rank_blank", "body_overlap", "position", "digit_ratio",
                  "upper_ratio", "separator", "prev_score", "next_score", "before_body", "lines_to_main",
                  "before_main", "rel_words", "contained_in", "blank_word_rank", "prev_blank_words",
                  "date_follows", "byline_follows", "after_label", "is_head", "is_tail", "part_share",
                  "cut_recurs", "cut_is_outlet")
TITLE_LOOKBACK = 60
"""Candidate headlines: up to this many lines before the first body line (aeb/l3s/trafilatura
pages put the headline at most ~40 lines above the text, after breadcrumbs and share bars)."""
TITLE_LOOKAHEAD = 3
"""...and this many after it (a headline the cleaner took for text)."""
MAX_CANDIDATE_WORDS = 40
HEADER_FOLLOW = 3
"""A headline is followed within this many lines by its byline or date line (seed, wire and
full-page styles all put them 1-3 lines under it)."""


BODY_RUN_GAP = 5
"""Body lines at most this many lines apart form one run; the run with the most words is the
article (a teaser or a caption above it is a run of its own)."""


def main_body_start(lines: list[str], scores: np.ndarray) -> int | None:
    strong = [int(i) for i in np.flatnonzero(scores > clean.BODY_THRESHOLD)]
    if not strong:
        return None
    best_start, best_words = strong[0], -1
    run_start, run_words, prev = strong[0], 0, strong[0]
    for i in strong + [len(lines) + BODY_RUN_GAP + 1]:
        if i - prev > BODY_RUN_GAP:
            if run_words > best_words:
                best_start, best_words = run_start, run_words
            run_start, run_words = i, 0
        if i < len(lines):
            run_words += clean.words(lines[i])
        prev = i
    return best_start


class TitleCandidate(NamedTuple):
    """A headline candidate: a whole line or a part of one. (Joining two lines into one candidate,
    as L3S-GN1 labels headline + deck, reached 37 more truth titles but cost held-out accuracy:
    0.754-0.756 against 0.757 without, so no join is offered.)"""

    start: int
    """The (first) line it comes from."""
    text: str
    kind: int
    """One of the ``KIND_*`` constants."""
    end: int
    """The last line it covers; the header (byline, date) is read below it."""


KIND_LINE, KIND_HEAD, KIND_TAIL = 0, 1, 2
PART_SEPARATOR_RE = re.compile(r"\s+[|–—-]\s+|\s*[|»›]\s*|(?<=\w):\s+")
"""Where a line splits into kicker and headline ('Klimaschutz: Bohren, bis es heiß wird') or
headline and site name ('Daten gehackt - Site', 'Headline | Site')."""
MAX_KICKER_WORDS = 6
"""The part cut off a line (kicker in front, site name behind) is at most this long."""


def title_candidates(lines: list[str], scores: np.ndarray) -> list[TitleCandidate]:
    strong = np.flatnonzero(scores > clean.BODY_THRESHOLD)
    first = int(strong[0]) if len(strong) else min(len(lines), TITLE_LOOKBACK)
    main = main_body_start(lines, scores)
    last = max(first, main if main is not None else first)
    lo, hi = max(0, first - TITLE_LOOKBACK), min(len(lines), last + TITLE_LOOKAHEAD + 1)
    out = []
    for i in range(lo, hi):
        text = lines[i]
        n = clean.words(text)
        if not 1 <= n <= MAX_CANDIDATE_WORDS:
            continue
        out.append(TitleCandidate(i, text, KIND_LINE, i))
        parts = PART_SEPARATOR_RE.split(text, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            head, tail = parts[0].strip(), parts[1].strip()
            if clean.words(tail) <= MAX_KICKER_WORDS:
                out.append(TitleCandidate(i, head, KIND_HEAD, i))
            if clean.words(head) <= MAX_KICKER_WORDS:
                out.append(TitleCandidate(i, tail, KIND_TAIL, i))
    return out


def title_features(lines: list[str], page: list[clean.Line], scores: np.ndarray, stop: frozenset[str],
                   candidates: list[TitleCandidate]) -> np.ndarray:
    """One row of features per candidate headline line."""
    strong = np.flatnonzero(scores > clean.BODY_THRESHOLD)
    first = int(strong[0]) if len(strong) else len(lines)
    start = main_body_start(lines, scores)
    main = start if start is not None else len(lines)
    body_words = set(clean.WORD_RE.findall(" ".join(lines[i] for i in strong[:3]).lower()))
    counts: dict[str, int] = {}
    for line in lines:
        key = line.casefold()
        counts[key] = counts.get(key, 0) + 1
    window = " \n ".join(lines[max(0, first - TITLE_LOOKBACK): first + 20]).casefold()
    blank_ranks: dict[int, int] = {}
    rank = 0
    for i in range(first - 1, -1, -1):
        if page[i].blank_before and page[i].blank_after:
            rank += 1
            blank_ranks[i] = rank
    out = []
    max_words = max((clean.words(c.text) for c in candidates), default=1) or 1
    blank_by_words = sorted({c.start for c in candidates if page[c.start].blank_before and page[c.start].blank_after},
                            key=lambda i: (-clean.words(lines[i]), i))
    word_rank = {i: r + 1 for r, i in enumerate(blank_by_words)}
    folded = [line.casefold() for line in lines]
    outlet_key = page_outlet(lines)
    dated: dict[int, bool] = {}

    def has_date(j: int) -> bool:
        if j not in dated:
            dated[j] = j < len(lines) and clean.words(lines[j]) <= MAX_DATE_LINE_WORDS and \
                bool(clean.YEAR_RE.search(lines[j])) and find_date(lines[j]) is not None
        return dated[j]

    for cand in candidates:
        i, text, end = cand.start, cand.text, cand.end
        toks = clean.WORD_RE.findall(text.lower())
        nw = clean.words(text)
        nt = len(toks) or 1
        key = text.casefold()
        letters = sum(map(str.isalpha, text)) or 1
        line = lines[i]
        cut_off = line[len(text):] if cand.kind == KIND_HEAD else line[: len(line) - len(text)] \
            if cand.kind == KIND_TAIL else ""
        cut_key = cut_off.strip(" |-–—:»›").casefold()
        out.append([
            np.log1p(nw), np.log1p(len(text)), np.log1p(abs(first - i)) * (1 if i < first else -1),
            float(page[i].blank_before), float(page[end].blank_after), float(counts.get(key, 1)),
            float(window.count(key) - counts.get(key, 1) > 0),
            float(bool(clean.SENTENCE_END_RE.search(text))), float(text.endswith(":")),
            sum(1 for w in text.split() if w[:1].isupper()) / (nw or 1),
            sum(1 for t in toks if t in stop) / nt, float(clean.is_furniture(text)),
            float(bool(clean.YEAR_RE.search(text))), float(bool(clean.BYLINE_START_RE.match(text))),
            float(scores[i]), float(blank_ranks.get(i, 0)),
            sum(1 for t in toks if t in body_words) / nt, i / max(len(lines), 1),
            sum(map(str.isdigit, text)) / max(len(text), 1), sum(map(str.isupper, text)) / letters,
            float(bool(clean.SEPARATOR_RE.search(text))),
            float(scores[i - 1]) if i > 0 else 0.0, float(scores[end + 1]) if end + 1 < len(lines) else 0.0,
            float(i < first), np.log1p(abs(main - i)) * (1 if i < main else -1), float(i < main),
            nw / max_words,
            float(sum(1 for j, other in enumerate(folded) if j != i and key in other) if len(key) > 10 else 0),
            float(word_rank.get(i, 0)), float(clean.words(lines[i - 1])) if i > 0 else 0.0,
            float(any(has_date(j) for j in range(end + 1, end + 1 + HEADER_FOLLOW))),
            float(any(clean.BYLINE_START_RE.match(lines[j]) or TEAM_RE.match(lines[j])
                      for j in range(end + 1, min(len(lines), end + 1 + HEADER_FOLLOW)))),
            float(i > 0 and bool(HIGHLIGHTS_RE.match(lines[i - 1]) or clean.is_furniture(lines[i - 1]))),
            float(cand.kind == KIND_HEAD), float(cand.kind == KIND_TAIL), len(text) / max(len(line), 1),
            float(sum(1 for other in folded if cut_key in other) if len(cut_key) > 2 else 0),
            float(outlet_key is not None and len(cut_key) > 2 and (cut_key in outlet_key or outlet_key in cut_key)),
        ])
    return np.asarray(out, dtype=np.float64).reshape(len(candidates), len(TITLE_FEATURES))


def page_outlet(lines: list[str]) -> str | None:
    """The copyright owner printed on the page, case-folded (a site name cut off a headline)."""
    for line in lines:
        if len(line) < COPYRIGHT_MAX_CHARS and (m := COPYRIGHT_RE.match(line)):
            return m.group("owner").casefold()
    return None


COPYRIGHT_MAX_CHARS = 120
"""A copyright line is short; longer lines are not tried (keeps the scan linear and cheap)."""


def rank_title(lines: list[str], page: list[clean.Line], scores: np.ndarray,
               stop: frozenset[str], model: clean.Trees | None) -> TitleCandidate | None:
    """The most headline-like candidate near the start of the article text (``model``: the trained ranker)."""
    candidates = title_candidates(lines, scores)
    if model is None or not candidates:
        return None
    x = title_features(lines, page, scores, stop, candidates)
    probs = model.predict(x)
    # The sentence under a 'Story highlights' / 'Key points' label is the summary, never the headline.
    probs = np.where([c.start > 0 and bool(HIGHLIGHTS_RE.match(lines[c.start - 1])) for c in candidates], 0.0, probs)
    best = int(np.argmax(probs))
    return candidates[best] if probs[best] > MIN_TITLE_SCORE else None


MIN_TITLE_SCORE = 0.05
"""A best candidate scoring below this is no headline (page without one): null beats a menu item.
Calibrated on l3s-gn1/trafilatura-eval: true headlines score above 0.3 on nearly every page."""


HEADER_BLOCK_SCAN = 30
"""Lines from the top of the page searched for a labelled date line ('World Updated: <date>')
opening the article header (the seed layout puts it on line 5)."""
MAX_SECTION_WORDS = 3
"""Words before the label of a header date line: a section name ('World', 'Asia Pacific')."""


def header_block_title(lines: list[str], page: list[clean.Line]) -> int | None:
    """The headline of a page with a recognisable header block: a block of its own (blank lines
    around it) right above a two-line block, a byline slot then a '<Section> Updated: <date>' line.
    That line is the headline whatever its characters: a tag string, symbols, one word (hostile
    c019); the block's shape, not the text, says what it is."""
    for d in range(min(len(lines), HEADER_BLOCK_SCAN)):
        line = lines[d]
        label = DATE_LABEL_RE.search(line)
        if label is None or clean.words(line) > MAX_DATE_LINE_WORDS or find_date(line) is None:
            continue
        section = line[: label.start()].split()
        if not (1 <= len(section) <= MAX_SECTION_WORDS and section[0][:1].isupper()):
            continue
        # The byline slot opens the block and the date line closes it; the headline stands alone above.
        if d < 2 or page[d].blank_before or not page[d - 1].blank_before or find_date(lines[d - 1]) is not None:
            return None
        h = d - 2
        if not (page[h].blank_before and page[h].blank_after) or clean.is_furniture(lines[h]) or \
                HIGHLIGHTS_RE.match(lines[h]) or find_date(lines[h]) is not None:
            return None
        return h
    return None


def find_title(lines: list[str], given: str | None = None) -> int | None:
    """Index of the headline line: the given title's line, else the first headline-like line."""
    if given:
        key = clean_value(given).casefold()
        for i, line in enumerate(lines):
            if line.casefold() == key:
                return i
        return None
    for i, line in enumerate(lines):
        n = clean.words(line)
        if clean.is_furniture(line) or not (MIN_TITLE_WORDS <= n <= MAX_TITLE_WORDS):
            continue
        if line.endswith(":") or BYLINE_RE.match(line) or find_date(line):
            continue
        return i
    return None


# --- an HTML page's title: what it states first, the text rules where that is provably wrong -------

TITLE_PART_SPLIT_RE = re.compile(r"(\s+(?:[|»·•/@]|::|--|[-–—])\s+|\s*[|»]\s*|:\s+|_)")
"""Separators inside a page title ('Headline | Site', 'Site - Section - Headline', 'Site: Headline',
'Headline_English_Site'), kept by the split so the parts can be joined back."""
MAX_SITE_RUN_WORDS = 4
"""A site's name at either end of a title is at most this many words ('The Sports Network')."""
SHORT_TITLE_WORDS = 6
"""A title this short may be the site's name with a tagline anywhere in it ('Charleston Daily Mail')."""


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def strip_site(title: str, keys: list[str]) -> str:
    """``title`` without the parts that name the site ('Headline | The Site' -> 'Headline');
    unchanged when no part does, or when every part does."""
    pieces = TITLE_PART_SPLIT_RE.split(title)
    texts = [pieces[i] for i in range(0, len(pieces), 2)]
    keep = [i for i, t in enumerate(texts) if t.strip() and not names_site(t.strip(), keys)]
    if not keep or len(keep) == len([t for t in texts if t.strip()]):
        return clean_value(title)
    lo, hi = keep[0], keep[-1]
    return clean_value("".join(pieces[2 * lo: 2 * hi + 1]))


def _title_runs(title: str) -> set[str]:
    """Every run of whole parts of a title, as words ('A - B - C': 'a', 'a b', 'b c', ...)."""
    pieces = TITLE_PART_SPLIT_RE.split(title)
    texts = [pieces[i] for i in range(0, len(pieces), 2)]
    return {" ".join(_words("".join(pieces[2 * a: 2 * b - 1])))
            for a in range(len(texts)) for b in range(a + 1, len(texts) + 1)}


def names_the_site(title: str, keys: list[str]) -> bool:
    """A title that is the site's name rather than a headline: it opens with the site's name
    ('Berkshire Eagle Online', 'The Hindu News Update Service'), or, when short, holds it."""
    words = [w for w in title.split() if w.casefold() != "the"]
    spans = [(0, k) for k in range(1, min(MAX_SITE_RUN_WORDS, len(words)) + 1)]
    if len(words) <= SHORT_TITLE_WORDS:
        spans += [(a, b) for a in range(1, len(words)) for b in range(a + 1, min(len(words), a + MAX_SITE_RUN_WORDS) + 1)]
    return any(names_site(" ".join(words[a:b]), keys) and
               (b - a > 1 or len("".join(_words(words[a]))) >= MIN_SITE_WORD_CHARS) for a, b in spans)


MIN_SITE_WORD_CHARS = 6
"""A one-word run names the site only when it is this long ('News' inside 'bbcnews' does not)."""


def html_title(stated: str | None, found: str | None, head: tuple[str, ...], keys: list[str]) -> str | None:
    """An HTML page's headline: the title trafilatura states (og:title, a single <h1>, the
    <title>), its site's name dropped; the text rules' headline ``found`` only where the stated
    one is provably not the headline: when ``found`` is the stated or head title minus some of
    its parts (the rest being site and section names), when the stated title names the site, or
    when it is shorter than a headline. l3s-gn1 HTML titles, folds 1-4 (quality.eval): stated
    title alone 176 of 326, text rules alone 250, this rule 253."""
    title = strip_site(stated, keys) if stated else None
    if found and len(_words(found)) >= MIN_TITLE_WORDS and (title is None or _words(found) != _words(title)):
        want = " ".join(_words(found))
        for whole in (stated or "", *head):
            flat = " ".join(_words(whole))
            if want in _title_runs(whole) or flat.startswith(want + " ") or flat.endswith(" " + want):
                return found
        if title and names_the_site(title, keys):
            return found
    if not title or len(_words(title)) < MIN_TITLE_WORDS:
        return found or title
    return title
