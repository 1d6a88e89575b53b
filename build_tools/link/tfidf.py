"""Link: TF-IDF weights of a set of texts, bit for bit the matrix scikit-learn's ``TfidfVectorizer``
(``sublinear_tf=True``, ``max_df``, smooth idf, l2 rows) gives for the same tokens.

Why not scikit-learn itself: importing it costs about a second (it imports most of scipy), and
the link stage of a one-edit rebuild must cost much less than that. The link decisions (related
scores, story pairs) read these matrices, so they must be the very floats a fit by scikit-learn
gives, not nearly: every step below is the one ``text.py`` of scikit-learn 1.9 takes, in its
order (vocabulary in first-seen order, pruned by ``max_df``, then sorted; the entries of a row in
the order that leaves; row norms summed left to right, as its Cython loop does).
``tests/link/test_tfidf.py`` compares the arrays with scikit-learn's on real briefings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from itertools import chain
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

Analyzer = Callable[[str], Iterable[str]]


def _stop_words() -> frozenset[str]:
    text = resources.files("build_tools").joinpath("data/stop_words_english.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


ENGLISH_STOP_WORDS = _stop_words()
"""scikit-learn's English stop word list (``data/stop_words_english.txt``)."""


def english_words(token_pattern: str) -> Analyzer:
    """The analyzer of ``TfidfVectorizer(stop_words="english", token_pattern=token_pattern)``:
    the text lowercased, its tokens, without stop words."""
    find = re.compile(token_pattern).findall

    def analyze(text: str) -> list[str]:
        return [w for w in find(text.lower()) if w not in ENGLISH_STOP_WORDS]

    return analyze


class Fitted(NamedTuple):
    matrix: sp.csr_matrix
    """Texts x terms (terms sorted), each row of length 1 (or empty)."""
    idf: np.ndarray
    """The weight of each term: ln((1 + texts) / (1 + texts with it)) + 1."""


def fit(texts: Iterable[str], analyze: Analyzer, max_df: float = 1.0) -> Fitted | None:
    """The TF-IDF matrix of ``texts`` (1 + ln count, times idf, rows of length 1); terms in more
    than ``max_df`` of the texts left out. None when no term is left (scikit-learn raises)."""
    rows = [r if isinstance(r, list | tuple) else list(r) for r in map(analyze, texts)]
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)) if rows else np.zeros(0, np.int64)
    tokens = list(chain.from_iterable(rows))
    vocabulary = {token: at for at, token in enumerate(dict.fromkeys(tokens))}  # first seen, first numbered
    if not vocabulary:
        return None
    n, width = len(rows), len(vocabulary)
    # each row's terms and counts, ascending by column: the rows of scikit-learn's count matrix
    # once ``sort_indices`` has run (the order they had before it is lost there)
    cells = np.repeat(np.arange(n, dtype=np.int64) * width, lengths)
    cells += np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    cells, counts = np.unique(cells, return_counts=True)
    x = sp.csr_array((counts.astype(np.intc), (cells % width).astype(np.int32),
                      np.searchsorted(cells, np.arange(n + 1, dtype=np.int64) * width).astype(np.int32)),
                     shape=(n, width), dtype=np.float64)
    # max_df (scikit-learn's _limit_features, on the first-seen columns), then the columns sorted
    df = np.bincount(x.indices, minlength=x.shape[1])
    mask = (df <= max_df * n) & (df >= 1)
    if not mask.any():
        return None
    renumbered = np.cumsum(mask) - 1
    kept = {term: int(renumbered[at]) for term, at in vocabulary.items() if mask[at]}
    x = x[:, np.where(mask)[0]]
    order = np.empty(len(kept), dtype=x.indices.dtype)
    order[[kept[term] for term in sorted(kept)]] = np.arange(len(kept), dtype=order.dtype)
    x.indices = order.take(x.indices, mode="clip")
    # idf (TfidfTransformer.fit), then sublinear tf, idf and l2 rows (transform)
    df_sorted = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64, copy=False)
    df_sorted += 1.0
    idf = np.full_like(df_sorted, fill_value=n + 1, dtype=np.float64)
    idf /= df_sorted
    np.log(idf, out=idf)
    idf += 1.0
    np.log(x.data, x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    _l2_rows_in_order(x)
    return Fitted(sp.csr_matrix(x), idf)


def _l2_rows_in_order(x: sp.csr_array) -> None:
    """Each row divided by its length, the squares summed left to right in stored order (as
    scikit-learn's ``inplace_csr_row_normalize_l2``: a pairwise sum would differ in the last bit)."""
    lengths = np.diff(x.indptr)
    squares = x.data * x.data
    order = np.argsort(-lengths, kind="stable")  # longest rows first: the rows still summing are a prefix
    starts = x.indptr[:-1][order].astype(np.int64)
    longer = np.sort(lengths)[::-1]
    sums = np.zeros(len(order))
    for k in range(int(longer[0]) if len(longer) else 0):
        active = int(np.searchsorted(-longer, -k, side="left"))  # rows with more than k entries
        sums[:active] += squares[starts[:active] + k]
    norms = np.ones(len(order))
    norms[order] = np.where(sums == 0.0, 1.0, np.sqrt(sums))
    x.data /= np.repeat(norms, lengths)


def fit_or_empty(texts: Sequence[str], analyze: Analyzer, max_df: float = 1.0) -> sp.csr_matrix:
    """``fit``'s matrix, or an all-zero column when no term is left."""
    fitted = fit(texts, analyze, max_df)
    return fitted.matrix if fitted is not None else sp.csr_matrix((len(texts), 1), dtype=np.float64)
