"""Clean stage: split a page's visible text into lines and keep the article paragraphs.

Pure functions, text in, lists out. Every line of a text dump is described by shallow features
(length, stop-word density, sentence punctuation, capitals, blank lines around it, position,
repetition, known furniture from ``data/boilerplate.json``) and scored by a small gradient-boosted
tree model in two stages: stage 1 looks at the line and its neighbours, stage 2 adds the stage-1
scores of the lines around it, so a short subheading or quote between body paragraphs is kept
and a long sentence in a comment list is not. The trees live in ``data/cleaner_model.json``,
trained by ``python -m quality.train_cleaner ../shared/corpus`` (cross-validated figures in
its docstring); ``python -m quality.eval`` scores every change on real pages.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

BODY_THRESHOLD = 0.5
"""Stage-2 probability above which a line is article text. 0.5 is the model's own decision
boundary; 0.4-0.6 change held-out F1 by under 0.005 (train_cleaner cross-validation)."""
SUBHEADING_THRESHOLD = 0.2
"""Lower bar for a subheading: a short block on its own (blank lines around it) with body text
right above and right below. On trafilatura-eval it costs 0.014 of must-not-contain for 0.001 of
must-contain (0.05 costs 0.018); lowering the bar for every line between the first and last body
line instead cost 0.07 of must-not-contain and 0.005 aeb F1."""
SURE_BODY = 0.9
SURE_SUBHEADING_THRESHOLD = 0.05
"""Between two lines the model is sure of (above ``SURE_BODY``), a short unpunctuated block needs
only this much: a subheading ('What happens next'). Moves trafilatura-eval snippets by < 0.002."""
MAX_SUBHEADING_WORDS = 15
WRAPPED_SHARE = 0.6
"""A text whose long lines are this share or more 40-80 characters wide is hard-wrapped (wire
copy such as Reuters-21578 at ~65 columns); browser text dumps have far fewer (aeb: under 0.2)."""
WRAP_MIN, WRAP_MAX = 40, 80
MAX_WRAPPED_LINE = 100
STAMP_MAX_WORDS = 4
"""A wrapped-text line this short holding a year is a time stamp ('26-FEB-1987 15:07:13.72'):
its own paragraph, never joined to the headline above it."""
PARAGRAPH_END_SHARE = 0.75
"""A wrapped line shorter than this share of the widest line ends its paragraph (word wrap leaves
at most one word's width free: Reuters-21578 lines run 55-69 of 69 columns; its headlines,
timestamps and last lines are shorter)."""
"""No line of a hard-wrapped text is longer than this (wire copy wraps at 65-72 columns)."""

SENTENCE_END_RE = re.compile(r"[.!?…\"'”’»)\]]$")
WORD_RE = re.compile(r"\w+")
SEPARATOR_RE = re.compile(r"[|•»›·>/]")
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
BYLINE_START_RE = re.compile(r"^(?:by|von|par|por|door|di|przez|text|autor|author)\b[:\s]", re.IGNORECASE)

@dataclass(frozen=True)
class Line:
    """One non-blank block of the page and the layout around it."""

    text: str
    blank_before: bool
    blank_after: bool


@dataclass(frozen=True)
class Furniture:
    """Compiled boilerplate patterns (from data/boilerplate.json)."""

    line: re.Pattern[str]


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    data = json.loads(resources.files("build_tools.data").joinpath("boilerplate.json").read_text("utf-8"))
    joined = "|".join(f"(?:{p})" for p in data["line_patterns"])
    return Furniture(line=re.compile(rf"^\s*(?:{joined})\s*$", re.IGNORECASE))


def split_lines(text: str) -> list[str]:
    """The non-blank lines of a page, whitespace collapsed (hard-wrapped paragraphs joined)."""
    return [line.text for line in page_lines(text)]


def page_lines(text: str) -> list[Line]:
    """The page's blocks with the blank lines around them; hard-wrapped wire copy is unwrapped."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if is_hard_wrapped(raw):
        raw = unwrap(raw)
    out: list[Line] = []
    blank = True
    for i, line in enumerate(raw):
        collapsed = " ".join(line.split())
        if not collapsed:
            blank = True
            continue
        after = i + 1 >= len(raw) or not raw[i + 1].strip()
        out.append(Line(collapsed, blank, after))
        blank = False
    return out


def is_hard_wrapped(raw: list[str]) -> bool:
    lengths = [len(line.rstrip()) for line in raw if len(line.split()) >= 5]
    if len(lengths) < 4 or max(lengths) > MAX_WRAPPED_LINE:
        return False
    return sum(WRAP_MIN <= n <= WRAP_MAX for n in lengths) / len(lengths) >= WRAPPED_SHARE


def unwrap(raw: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs: a paragraph ends at a blank line, before an indented
    line, or after a line clearly shorter than the wrap width."""
    width = max(len(line.rstrip()) for line in raw)
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(" ".join(part.strip() for part in current))
            current.clear()

    for line in raw:
        if not line.strip():
            flush()
            out.append("")
            continue
        stamp = len(line.split()) <= STAMP_MAX_WORDS and bool(YEAR_RE.search(line))
        if line[:1].isspace() or stamp:
            flush()
        current.append(line)
        if stamp:
            flush()
            continue
        if len(line.rstrip()) < PARAGRAPH_END_SHARE * width:
            flush()
    flush()
    return out


def is_furniture(line: str) -> bool:
    return bool(furniture().line.match(line))


def words(line: str) -> int:
    return len(line.split())


# --- features ------------------------------------------------------------------------------

LINE_FEATURES = ("log_words", "log_chars", "stop_ratio", "sentence_end", "inner_stops", "comma_ratio",
                 "capital_ratio", "digit_ratio", "upper_ratio", "separator", "furniture", "year", "byline",
                 "position", "blank_before", "blank_after", "duplicates", "mean_word_len", "mass_before",
                 "rel_words", "block_len", "ends_colon", "link_like")
WINDOWS = (1, 3, 10)
"""Neighbourhoods (lines each side) averaged for context features: adjacent, paragraph, section."""


def line_features(lines: list[Line], stop: frozenset[str]) -> np.ndarray:
    """One row of stage-1 features per line (its own features, then neighbourhood means)."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(LINE_FEATURES) * (1 + len(WINDOWS) * 2)))
    counts = Counter(line.text for line in lines)
    token_lists = [WORD_RE.findall(line.text.lower()) for line in lines]
    word_counts = [len(line.text.split()) for line in lines]
    total_words = sum(word_counts) or 1
    max_words = max(word_counts) or 1
    rows = []
    mass = 0
    block_start = 0
    block_lens = [0] * n
    for i, line in enumerate(lines):
        if line.blank_before:
            block_start = i
        if line.blank_after or i == n - 1:
            for j in range(block_start, i + 1):
                block_lens[j] = i + 1 - block_start
    for i, line in enumerate(lines):
        text = line.text
        toks = token_lists[i]
        nw = word_counts[i]
        nt = len(toks) or 1
        chars = len(text)
        letters = sum(map(str.isalpha, text)) or 1
        caps = sum(1 for w in text.split() if w[:1].isupper())
        rows.append([
            math.log1p(nw),
            math.log1p(chars),
            sum(1 for t in toks if t in stop) / nt,
            float(bool(SENTENCE_END_RE.search(text))),
            len(re.findall(r"[.!?](?:\s|$)", text)) / (nw or 1),
            text.count(",") / (nw or 1),
            caps / (nw or 1),
            sum(map(str.isdigit, text)) / (chars or 1),
            sum(map(str.isupper, text)) / letters,
            float(bool(SEPARATOR_RE.search(text))),
            float(is_furniture(text)),
            float(bool(YEAR_RE.search(text))),
            float(bool(BYLINE_START_RE.match(text))),
            i / n,
            float(line.blank_before),
            float(line.blank_after),
            math.log(counts[text]),
            sum(len(t) for t in toks) / nt,
            mass / total_words,
            nw / max_words,
            math.log(block_lens[i]),
            float(text.endswith(":")),
            float("http" in text or "www." in text or "@" in text),
        ])
        mass += nw
    own = np.asarray(rows, dtype=np.float64)
    parts = [own]
    for w in WINDOWS:
        parts.append(_window_mean(own, w, before=True))
        parts.append(_window_mean(own, w, before=False))
    return np.hstack(parts)


def _window_mean(values: np.ndarray, width: int, before: bool) -> np.ndarray:
    """Mean of the ``width`` rows before (or after) each row, zeros at the page edge."""
    n = values.shape[0]
    cum = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    idx = np.arange(n)
    if before:
        lo, hi = np.maximum(idx - width, 0), idx
    else:
        lo, hi = np.minimum(idx + 1, n), np.minimum(idx + 1 + width, n)
    sizes = np.maximum(hi - lo, 1)[:, None]
    return (cum[hi] - cum[lo]) / sizes


def stage2_features(first: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Stage-1 features plus what stage 1 thought of the neighbourhood."""
    n = len(p)
    col = p[:, None]
    prev = np.concatenate([[0.0], p[:-1]]) if n else p
    nxt = np.concatenate([p[1:], [0.0]]) if n else p
    win3 = (_window_mean(col, 3, True) + _window_mean(col, 3, False))[:, 0] / 2
    win10 = (_window_mean(col, 10, True) + _window_mean(col, 10, False))[:, 0] / 2
    before_max = np.concatenate([[0.0], np.maximum.accumulate(p)[:-1]]) if n else p
    after_max = np.concatenate([np.maximum.accumulate(p[::-1])[::-1][1:], [0.0]]) if n else p
    strong = np.flatnonzero(p > BODY_THRESHOLD)
    idx = np.arange(n)
    if len(strong):
        lo, hi = strong[0], strong[-1]
        in_span = ((idx >= lo) & (idx <= hi)).astype(np.float64)
        distance = np.where(idx < lo, lo - idx, np.where(idx > hi, idx - hi, 0)).astype(np.float64)
    else:
        in_span = np.zeros(n)
        distance = np.full(n, float(n))
    extra = np.column_stack([p, prev, nxt, win3, win10, before_max, after_max, in_span, np.log1p(distance)])
    return np.hstack([first, extra])


# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trees:
    """A gradient-boosted tree ensemble as flat arrays (all trees padded to the same size)."""

    baseline: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    depth: int

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Trees:
        trees = data["trees"]
        assert isinstance(trees, list)
        size = max(len(t["feature"]) for t in trees)

        def pad(key: str, dtype: type) -> np.ndarray:
            out: np.ndarray = np.zeros((len(trees), size), dtype=dtype)
            for k, t in enumerate(trees):
                out[k, : len(t[key])] = t[key]
            return out

        return cls(float(data["baseline"]), pad("feature", np.int64), pad("threshold", np.float64),  # type: ignore[arg-type]
                   pad("left", np.int64), pad("right", np.int64), pad("value", np.float64), pad("leaf", np.bool_),
                   int(data["depth"]))  # type: ignore[call-overload]

    @cached_property
    def flat(self) -> FlatTrees:
        """The trees as one flat array of nodes (computed once)."""
        n_trees, size = self.feature.shape
        roots = np.arange(n_trees, dtype=np.int64) * size
        own = roots[:, None] + np.arange(size, dtype=np.int64)[None, :]
        # A leaf's feature is never read (it leads to itself either way): 0, a valid column.
        return FlatTrees(np.where(self.leaf, 0, self.feature).ravel(), self.threshold.ravel(),
                         np.where(self.leaf, own, roots[:, None] + self.left).ravel(),
                         np.where(self.leaf, own, roots[:, None] + self.right).ravel(),
                         self.value.ravel(), roots, bool((self.feature[~self.leaf] < 0).any()))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of ``x``.

        Each row walks every tree ``depth`` steps on flat node numbers (a leaf leads to itself):
        the same nodes, comparisons and leaf values, summed in the same order, as walking each
        tree's own arrays, at a third of the cost (``tests/extract/test_clean.py`` compares them)."""
        if x.shape[0] == 0:
            return np.zeros(0)
        flat = self.flat
        x = np.ascontiguousarray(x, dtype=np.float64)
        cells = x.ravel()
        row_start = (np.arange(x.shape[0], dtype=np.int64) * x.shape[1])[:, None]
        node = np.tile(flat.roots, (x.shape[0], 1))
        for _ in range(self.depth):
            feat = flat.feature.take(node)
            if flat.wraps:  # a negative column counts from the end, as x[rows, feat] reads it
                feat = np.where(feat < 0, feat + x.shape[1], feat)
            go_left = cells.take(row_start + feat) <= flat.threshold.take(node)
            node = np.where(go_left, flat.left.take(node), flat.right.take(node))
        raw = self.baseline + flat.value.take(node).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


class FlatTrees(NamedTuple):
    """``Trees`` as flat arrays: node ``k`` of tree ``t`` is number ``t * size + k``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    """Flat number of the left child; a leaf's own number for a leaf."""
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    """Flat number of each tree's root."""
    wraps: bool
    """Some inner node tests a negative column (counted from the end)."""


@dataclass(frozen=True)
class CleanerModel:
    stage1: Trees
    stage2: Trees


@dataclass(frozen=True)
class Models:
    """The trained models extraction runs: the line cleaner and the headline ranker.

    ``shipped_models()`` are the ones in ``build_tools/data`` (trained on every corpus page); the
    quality gate passes models trained without a page's fold, so that each page is scored by a
    model that never saw it. None: that model is absent (an untrained checkout)."""

    cleaner: CleanerModel | None
    title: Trees | None
    outlet: Trees | None = None
    """The outlet ranker (``extract/outlet_rank``; ``quality.train_outlet`` trains it)."""


def models_from_json(cleaner: dict[str, Any] | None, title: dict[str, Any] | None,
                     outlet: dict[str, Any] | None = None) -> Models:
    """Models from their JSON form (what ``quality.train_cleaner`` and ``quality.train_outlet`` write)."""
    return Models(CleanerModel(Trees.from_json(cleaner["stage1"]), Trees.from_json(cleaner["stage2"])) if cleaner else None,
                  Trees.from_json(title) if title else None, Trees.from_json(outlet) if outlet else None)


@lru_cache(maxsize=1)
def shipped_models() -> Models:
    def read(name: str) -> dict[str, Any] | None:
        path = resources.files("build_tools.data").joinpath(name)
        return json.loads(path.read_text("utf-8")) if path.is_file() else None
    return models_from_json(read("cleaner_model.json"), read("title_model.json"), read("outlet_model.json"))


def body_scores(lines: list[Line], stop: frozenset[str], model: CleanerModel | None) -> np.ndarray:
    """Probability that each line is article text."""
    x1 = line_features(lines, stop)
    if model is None:  # untrained checkout: prose-like lines only
        return np.array([float(words(line.text) >= 8 and bool(SENTENCE_END_RE.search(line.text))) for line in lines])
    p1 = model.stage1.predict(x1)
    return model.stage2.predict(stage2_features(x1, p1))


def select_body(lines: list[Line], scores: np.ndarray, skip: set[int]) -> list[int]:
    """Indices of article lines, not used by the metadata stage: scored above the threshold, or
    a subheading between two such lines."""
    keep = scores > BODY_THRESHOLD
    return [i for i in range(len(lines))
            if (keep[i] or _is_subheading(lines, scores, keep, i) or _is_closing_sentence(lines, keep, skip, i))
            and i not in skip and not is_furniture(lines[i].text)]


MIN_SENTENCE_WORDS = 3
"""A closing line needs this many words to read as a sentence ('Corpus marker XSS-CASE-014A.')."""
SENTENCE_LINE_RE = re.compile(r"^[\"'“‘«(]?[A-ZÀ-ÖØ-Þ0-9].*[.!?][\"'”’»)]?$")
"""A sentence: opens with a capital or a digit (maybe after a quote) and ends with . ! or ?."""


def _is_closing_sentence(lines: list[Line], keep: np.ndarray, skip: set[int], i: int) -> bool:
    """The article's last paragraph: a sentence of its own right after article text, with nothing
    after it on the page but furniture and lines the metadata stage took (an agency credit). A
    page that ends with its article has no footer to confuse it with (hostile c014: the model
    scores a short closing sentence low because short lines at the page end are usually chrome)."""
    line = lines[i]
    if keep[i] or not (line.blank_before and line.blank_after) or words(line.text) < MIN_SENTENCE_WORDS \
            or not SENTENCE_LINE_RE.match(line.text) or is_furniture(line.text):
        return False
    prev = next((j for j in range(i - 1, -1, -1) if not is_furniture(lines[j].text) and j not in skip), None)
    if prev is None or not keep[prev]:
        return False
    return all(is_furniture(lines[j].text) or j in skip for j in range(i + 1, len(lines)))


def _is_subheading(lines: list[Line], scores: np.ndarray, keep: np.ndarray, i: int) -> bool:
    line = lines[i]
    prev = next((j for j in range(i - 1, -1, -1) if not is_furniture(lines[j].text)), None)
    nxt = next((j for j in range(i + 1, len(lines)) if not is_furniture(lines[j].text)), None)
    if prev is None or nxt is None or not (keep[prev] and keep[nxt]):
        return False
    sure = min(scores[prev], scores[nxt]) > SURE_BODY and not SENTENCE_END_RE.search(line.text)
    return (scores[i] > (SURE_SUBHEADING_THRESHOLD if sure else SUBHEADING_THRESHOLD) and line.blank_before and line.blank_after
            and words(line.text) <= MAX_SUBHEADING_WORDS and not line.text.endswith(":"))
