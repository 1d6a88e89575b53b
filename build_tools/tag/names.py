"""The name finder: a CRF trained on CoNLL-2003 that marks people, organisations, locations (and
CoNLL's MISC: nationalities, events) in tokenised text.

The model (``data/names_crf.bin``, python-crfsuite) is rebuilt by ``python -m quality.train_names``;
this module holds what the training and the tagging share: the features of a token. They are

* the word itself (lower case), its shape (``Xxxx``, ``X.X.``, ``d-d``), prefixes and suffixes;
* the same for two words either side, and the word pairs around it;
* the gazetteers' and the vocabulary's names covering it (``g:B-places``, ``g:I-people``,
  ``g:adj`` for a country adjective), matched over the sentence's tokens;
* the document: how the same word is written elsewhere in it (``dcase=lt``: seen in lower case and
  capitalised), which tells "Such" the cricketer from "such" and reads an ALL CAPS or Title Case
  headline through the body's spelling: on such a line the word's own case says nothing and is
  replaced by ``sh=CAPS``.

``find_names`` tokenises a text as CoNLL does (``tokens``), tags each sentence and returns each
name with its character span. The model is loaded once per process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from build_tools.tag.tokens import Token, sentences, tokenize

if TYPE_CHECKING:
    import ahocorasick

MODEL_FILE = "names_crf.bin"
"""In ``build_tools/data/``; written by ``quality.train_names``."""
FEATURES_VERSION = "1"
"""Stored beside the model: a model trained on other features is refused (retrain)."""
LABELS = ("PER", "ORG", "LOC", "MISC")

CAPS_LINE_SHARE = 0.8
"""A sentence whose words (two letters or more) are this share or more capitalised (Title Case) or
ALL CAPS is a headline-style line: the case of its words says nothing about names. 0.8 lets a
Title Case headline keep its short lower-case words ("of", "in") and still count."""
CAPS_LINE_MIN_WORDS = 3
"""Fewer words than this are never a headline-style line for Title Case (a name alone is capitalised)."""


class Mention(NamedTuple):
    """A name the model found: its type, the characters it covers and their text."""

    label: str
    """PER | ORG | LOC | MISC"""
    start: int
    end: int
    text: str
    headline: bool = False
    """Found on a headline-style line (ALL CAPS or Title Case), where case tells little."""
    confidence: float = 1.0
    """The model's marginal probability of the name's labels, its least sure token's."""
    cued: bool = False
    """Made an organisation by the words around it, whatever the model read (``mentions.cue_organisations``)."""


def shape(word: str) -> str:
    """Character classes with runs collapsed: "McDonald" -> "XxXx", "U.S." -> "X.X.", "1996-08-30" -> "d-d-d"."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


@functools.lru_cache(maxsize=1 << 17)
def word_features(word: str, caps_line: bool) -> tuple[str, ...]:
    """The features a word has wherever it stands (cached per word: they are most of the cost)."""
    low = word.lower()
    feats = [f"w={low}", f"p2={low[:2]}", f"p3={low[:3]}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"s4={low[-4:]}"]
    if caps_line:
        feats.append("sh=CAPS")
    else:
        feats.append(f"sh={shape(word)}")
        if word[:1].isupper():
            feats.append("title")
        if word.isupper() and len(word) > 1:
            feats.append("upper")
    if any(c.isdigit() for c in word):
        feats.append("digit")
    if "-" in word:
        feats.append("hyphen")
    if len(word) == 1:
        feats.append("len1")
    return tuple(feats)


def is_caps_line(words: Sequence[str], first: bool) -> bool:
    """ALL CAPS ("CRICKET - LEICESTERSHIRE TAKE OVER"), or, for a document's first line (its
    headline), Title Case ("Biden Meets Putin in Geneva"): a body line of names is not a headline."""
    long = [w for w in words if len(w) > 1 and w.isalpha()]
    if not long:
        return False
    upper = sum(1 for w in long if w.isupper())
    if upper == len(long) and (len(long) >= 2 or len(long[0]) > 3):
        return True
    if not first:
        return False
    titled = sum(1 for w in long if w[0].isupper())
    return len(long) >= CAPS_LINE_MIN_WORDS and titled / len(long) >= CAPS_LINE_SHARE and \
        sum(1 for w in long if len(w) > 3 and w[0].isupper()) >= CAPS_LINE_MIN_WORDS


def document_case(sents: Sequence[Sequence[str]], caps: Sequence[bool]) -> dict[str, str]:
    """Lower-cased word -> how it is written where case tells (not a headline-style line, not a
    sentence's first word): any of ``l`` (lower case), ``t`` (capitalised), ``u`` (all caps)."""
    seen: dict[str, int] = {}  # a bit per mark: l 1, t 2, u 4 (``CASE_MARKS``)
    get = seen.get
    for words, is_caps in zip(sents, caps, strict=True):
        if is_caps:
            continue
        for w in words[1:]:
            if not w[:1].isalpha():
                continue
            bit = 4 if w.isupper() and len(w) > 1 else 2 if w[0].isupper() else 1
            low = w.lower()
            seen[low] = get(low, 0) | bit
    return {k: CASE_MARKS[v] for k, v in seen.items()}


CASE_MARKS = ("", "l", "t", "lt", "u", "lu", "tu", "ltu")
"""``document_case``'s marks by bits (l 1, t 2, u 4): the marks sorted and joined."""


def gazetteer_marks(words: Sequence[str], names: dict[str, list], automaton: ahocorasick.Automaton,
                    caps_line: bool) -> list[list[str]]:
    """``g:B-<kind>`` / ``g:I-<kind>`` for every known name over whole tokens (``g:adj`` for a country
    adjective); on a headline-style line the words are matched title-cased."""
    marks: list[list[str]] = [[] for _ in words]
    view = [w.title() if w.isupper() and len(w) > 1 else w for w in words] if caps_line else words
    found = list(automaton.iter(" ".join(view)))
    if not found:  # most sentences: no need for the token offsets
        return marks
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, w in enumerate(view):
        starts[pos] = i
        ends[pos + len(w)] = i
        pos += len(w) + 1
    for last, surface in found:
        s, e = last - len(surface) + 1, last + 1
        if s not in starts or e not in ends:
            continue
        kinds = {"adj" if n.source == "adjective" else n.kind for n in names[surface]} - {"none"}
        first, end = starts[s], ends[e]
        for kind in sorted(kinds):  # sorted: the training features, so the model bytes, must not follow the hash seed
            marks[first].append(f"g:B-{kind}")
            for k in range(first + 1, end + 1):
                marks[k].append(f"g:I-{kind}")
    return marks


@functools.lru_cache(maxsize=1 << 17)
def token_features(word: str, caps_line: bool) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A word's own features (``word_features`` with ``bias``, ``capsline`` and its lower-cased
    form) and, for each neighbour offset -2, -1, 1, 2, what it gives a token that far away: one cached
    look-up per token instead of one per feature (they are most of the tagging cost)."""
    own = ("bias", *word_features(word, caps_line), *(("capsline",) if caps_line else ()))
    low, sh = word.lower(), "CAPS" if caps_line else shape(word)
    return own, tuple((f"{k}w={low}", f"{k}sh={sh}") for k in NEIGHBOURS)


@functools.lru_cache(maxsize=1 << 17)
def known_token_features(word: str, caps_line: bool, keep: frozenset[str]
                         ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """``token_features`` without the features the model does not know (``keep``: those it does)."""
    own, context = token_features(word, caps_line)
    known = keep.__contains__  # filter() with a bound method: the same features in the same order, faster
    return tuple(filter(known, own)), tuple(tuple(filter(known, c)) for c in context)



@functools.lru_cache(maxsize=1 << 17)
def encoded_token_features(word: str, caps_line: bool, keep: frozenset[str]
                           ) -> tuple[tuple[bytes, ...], tuple[tuple[bytes, ...], ...]]:
    """``known_token_features`` as UTF-8 bytes: what pycrfsuite reads without converting each
    string (a third of ``Tagger.set``'s cost; bounded like the caches above)."""
    own, context = token_features(word, caps_line)
    return (tuple([f.encode() for f in own if f in keep]),
            tuple(tuple([f.encode() for f in c if f in keep]) for c in context))

NEIGHBOURS = (-2, -1, 1, 2)
PAD = tuple((f"{k}w=<edge>",) for k in NEIGHBOURS)
"""What a position before or after the sentence gives each neighbour offset."""
DCASE = {v: f"dcase={v}" for v in ("-", "l", "t", "u", "lt", "lu", "tu", "ltu")}
ENCODED_PAD = tuple((f.encode(),) for (f,) in PAD)
ENCODED_DCASE = {v: f.encode() for v, f in DCASE.items()}


def document_features(sents: Sequence[Sequence[str]], names: dict[str, list],
                      automaton: ahocorasick.Automaton, titled: int = 1,
                      wanted: Sequence[bool] | None = None, keep: frozenset[str] | None = None,
                      caps: Sequence[bool] | None = None) -> list[list[list[str]]]:
    """Every token's features, sentence by sentence, for one document's sentences of words; the
    first ``titled`` sentences are its headline (read as Title Case when most words are capitalised).
    ``wanted``: which sentences to compute (the others get none; all read for ``document_case``).
    ``keep``: only these features (the model's ``attributes``; training passes none: every feature).
    ``caps``: each sentence's ``is_caps_line``, when the caller has them already."""
    if caps is None:
        caps = [is_caps_line(s, i < titled) for i, s in enumerate(sents)]
    case = document_case(sents, caps)
    out: list[list[list[str]]] = []
    for k, (words, is_caps) in enumerate(zip(sents, caps, strict=True)):
        if wanted is not None and not wanted[k]:
            out.append([])
            continue
        gaz = gazetteer_marks(words, names, automaton, is_caps)
        static = [token_features(w, is_caps) for w in words] if keep is None else \
            [known_token_features(w, is_caps, keep) for w in words]
        low = ["<s>", *(w.lower() for w in words), "</s>"]
        ctx = [PAD, PAD, *(t[1] for t in static), PAD, PAD]  # token i's neighbour k is ctx[i + 2 + k]
        seq: list[list[str]] = []
        for i, w in enumerate(words):
            # the order of an item's features does not matter
            feats = [*static[i][0], *gaz[i], *ctx[i][0], *ctx[i + 1][1], *ctx[i + 3][2], *ctx[i + 4][3]]
            if i == 0:
                feats.append("first")
            if w[:1].isalpha():
                feats.append(DCASE.get(case.get(low[i + 1], "-")) or f"dcase={case.get(low[i + 1], '-')}")
            before = f"-1|0={low[i]}|{low[i + 1]}"
            after = f"0|1={low[i + 1]}|{low[i + 2]}"
            if keep is None or before in keep:
                feats.append(before)
            if keep is None or after in keep:
                feats.append(after)
            seq.append(feats)
        out.append(seq)
    return out


BigramIndex = dict[str, dict[str, bytes]]
"""First word -> second word -> the pair's feature (UTF-8), for the pairs the model knows."""


@functools.lru_cache(maxsize=4)
def bigram_index(keep: frozenset[str]) -> tuple[BigramIndex, BigramIndex]:
    """The model's ``-1|0=a|b`` and ``0|1=a|b`` features by word pair: two look-ups of words
    already in hand instead of building each pair's string. A feature whose words hold ``|`` is
    filed under every way of cutting it, so a pair finds it exactly when its string is in ``keep``."""
    out: tuple[BigramIndex, BigramIndex] = ({}, {})
    for feature in keep:
        for index, prefix in zip(out, ("-1|0=", "0|1="), strict=True):
            if feature.startswith(prefix):
                pair = feature[len(prefix):]
                cut = pair.find("|")
                while cut >= 0:
                    index.setdefault(pair[:cut], {})[pair[cut + 1:]] = feature.encode()
                    cut = pair.find("|", cut + 1)
    return out


def encoded_features(sents: Sequence[Sequence[str]], names: dict[str, list], automaton: ahocorasick.Automaton,
                     titled: int, wanted: Sequence[bool], keep: frozenset[str], caps: Sequence[bool]
                     ) -> list[list[list[bytes]]]:
    """``document_features(..., wanted, keep, caps)`` as UTF-8 bytes, the features in the same
    order (``tests/tag/test_names.py`` compares them): what the tagger reads, built from per-word
    caches of bytes instead of strings encoded one by one by pycrfsuite."""
    case = document_case(sents, caps)
    before_index, after_index = bigram_index(keep)
    nothing: dict[str, bytes] = {}
    out: list[list[list[bytes]]] = []
    for words, is_caps, want in zip(sents, caps, wanted, strict=True):
        if not want:
            out.append([])
            continue
        gaz = gazetteer_marks(words, names, automaton, is_caps)
        static = [encoded_token_features(w, is_caps, keep) for w in words]
        low = ["<s>", *(w.lower() for w in words), "</s>"]
        ctx = [ENCODED_PAD, ENCODED_PAD, *(t[1] for t in static), ENCODED_PAD, ENCODED_PAD]
        seq: list[list[bytes]] = []
        for i, w in enumerate(words):
            marks = gaz[i]
            if marks:
                feats = [*static[i][0], *(g.encode() for g in marks), *ctx[i][0], *ctx[i + 1][1], *ctx[i + 3][2],
                         *ctx[i + 4][3]]
            else:
                feats = [*static[i][0], *ctx[i][0], *ctx[i + 1][1], *ctx[i + 3][2], *ctx[i + 4][3]]
            if i == 0:
                feats.append(b"first")
            this = low[i + 1]
            if w[:1].isalpha():
                mark = case.get(this, "-")
                feats.append(ENCODED_DCASE.get(mark) or f"dcase={mark}".encode())
            before = before_index.get(low[i], nothing).get(this)
            if before is not None:
                feats.append(before)
            after = after_index.get(this, nothing).get(low[i + 2])
            if after is not None:
                feats.append(after)
            seq.append(feats)
        out.append(seq)
    return out


class NameModel(NamedTuple):
    tagger: object
    """A ``pycrfsuite.Tagger`` opened on the shipped model."""
    attributes: frozenset[str]
    """Every feature the model has a weight for: the others are not passed to it (a quarter of a
    news story's features; passing them costs time and changes nothing)."""


@functools.cache
def load_model(path: str | None = None) -> NameModel:
    """The shipped model (or the one at ``path``), opened once per process."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    if path is None:
        with resources.as_file(resources.files("build_tools").joinpath("data", MODEL_FILE)) as p:
            tagger.open(str(p))
    else:
        tagger.open(path)
    return NameModel(tagger, model_attributes(tagger))


STATE_FEATURE_LINE = re.compile(r"^[ \t]*\(\d+\) (.+) --> (.+): [+-]?\d+\.\d+$", re.MULTILINE)
"""A line of the STATE_FEATURES section of a CRFsuite model dump, as ``pycrfsuite``'s dump parser reads it."""


def model_attributes(tagger: object) -> frozenset[str]:
    """The attributes of the model's state features: ``tagger.info().state_features``' (tested
    equal), read with one regular expression over the dump instead of pycrfsuite's parser, which
    matches every line of it in Python (0.12 s of a process's start instead of 0.025 s)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        tagger.dump(name)  # type: ignore[attr-defined]
        with open(name, "rb") as fh:
            text = fh.read().decode("utf-8")
    finally:
        os.unlink(name)
    section = text.find("STATE_FEATURES = {")
    if section < 0:
        return frozenset()
    return frozenset(m.group(1) for m in STATE_FEATURE_LINE.finditer(text, section))


def spans_of(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first token, last token + 1) of each name in BIO labels (an I- after O opens a name)."""
    out: list[tuple[str, int, int]] = []
    start, kind = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        tag, _, typ = lab.partition("-")
        if start >= 0 and (tag != "I" or typ != kind):
            out.append((kind, start, i))
            start = -1
        if tag == "B" or (tag == "I" and start < 0):
            start, kind = i, typ
    return out


WORD_CHAR = re.compile(r"\w")


LOWER_WORD = re.compile(r"\b[a-z][a-z'\-]+\b")


def may_name(words: Sequence[str], lower: set[str]) -> bool:
    """Whether a sentence can hold a name: a word with a capital past its first, or a first word the
    text never writes in lower case ("Clinton said", not "The shares rose" nor "he said"). About 40% of
    a Reuters story's tokens are in sentences that cannot; the model is not run on them."""
    rest = " ".join(words[1:])
    if rest != rest.lower():
        return True
    first = words[0]
    return first != first.lower() and first.lower() not in lower


def find_names(text: str, names: dict[str, list], automaton: ahocorasick.Automaton, title_end: int = 0,
               model: NameModel | None = None) -> list[Mention]:
    """Every name the model finds in ``text``, with its span there; ``text[:title_end]`` is the headline."""
    model = model or load_model()
    tagger = model.tagger
    # A sentence with a word character in its span has one in a token (only spaces lie between
    # tokens, and a token's text differs from its span only in quotes): one search a sentence.
    sents: list[list[Token]] = [s for s in sentences(tokenize(text), text)
                                if WORD_CHAR.search(text, s[0].start, s[-1].end)]
    words = [[t.text for t in s] for s in sents]
    titled = sum(1 for s in sents if s[-1].end <= title_end)
    lower = set(LOWER_WORD.findall(text))
    caps = [is_caps_line(w, i < titled) for i, w in enumerate(words)]
    feats = encoded_features(words, names, automaton, titled, [may_name(w, lower) for w in words],
                             model.attributes, caps)
    found: list[Mention] = []
    marginal = tagger.marginal  # type: ignore[attr-defined]
    for toks, xseq, is_caps in zip(sents, feats, caps, strict=True):
        if not xseq:
            continue
        tagger.set(xseq)  # type: ignore[attr-defined]
        labels = tagger.tag()  # type: ignore[attr-defined]
        for kind, a, b in spans_of(labels):
            s, e = toks[a].start, toks[b - 1].end
            sure = min(marginal(labels[k], k) for k in range(a, b))
            found.append(Mention(kind, s, e, text[s:e], is_caps, sure))
    return found
