"""Link: story threads. One thread is one developing story (one event, or one specific ongoing
affair: the same takeover bid, strike, dispute, meeting and its reactions), never a topic.

Event clustering, apart from the related links (Miranda et al., EMNLP 2018):

1. every candidate pair of briefings gets pair features (``thread_pairs``: headline, lead, body,
   names and actors similarity, shared rare actors, days apart);
2. a learned model (the mean of a logistic regression and small boosted trees) turns them into the
   probability that both belong to one story. Its weights, trees and threshold
   (``data/thread_model.json``) are learned from hand-labelled threads by
   ``quality/train_threads.py`` and scored out of fold by ``quality/eval_threads.py``;
3. briefings are taken in date order (then id), each joining the existing thread it matches best
   (the noisy-or of its pair probabilities with the thread's members, ``thread_assign``) if that
   reaches the threshold, else starting one. Greedy and streaming: a new briefing never moves an
   older one, and the result is deterministic;
4. incremental: ``thread_stories`` returns a ``ThreadState`` for the build cache; given the last
   one, it decides only new and edited briefings (and the other members of threads they left).

A thread of one briefing is not shown. Its name is the headline of its most central briefing
(``story_name``), never a list of tags; its slug comes from its earliest briefing, so the URL stays
when later briefings join.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from build_tools import slugs
from build_tools.components import connected
from build_tools.link import thread_pairs
from build_tools.link.memo import TokenMemo
from build_tools.link.thread_assign import ThreadModel, assign, shipped_model
from build_tools.model import Briefing

__all__ = ["KEEP_OUT", "Story", "ThreadModel", "ThreadState", "Threads", "find_stories", "shipped_model",
           "story_name", "story_slug", "thread_stories"]

STORY_MIN_BRIEFINGS = 2
"""A thread is shown once two briefings share it."""

NAME_MAX_CHARS = 80
"""A thread's name is its central headline cut at a word to at most this many characters."""


@dataclass
class Story:
    slug: str
    name: str
    members: list[Briefing]
    """Oldest first."""
    central: Briefing | None = None
    """The member most like the others: its headline names the thread."""
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    """Named by at least two members (or by the only one that names any), most named first."""
    outlets: list[str] = field(default_factory=list)
    summary: str = ""
    """Two sentences: what the central briefing says first, and how long the thread runs."""

    @property
    def page(self) -> str:
        return slugs.story_page(self.slug)


KEEP_OUT = "none"
"""``thread: none``: the briefing is in no thread."""


def editor_threads(ordered: Sequence[Briefing], thread: list[int], warnings: list[str]) -> list[int]:
    """Editors' choices on top of the model's threads: ``thread: <id>`` puts a briefing in the
    thread of another (merging the two threads), ``thread: none`` keeps it alone. Bad ids are
    warnings naming the file and line."""
    position = {b.id: i for i, b in enumerate(ordered)}
    edges = [(i, t) for i, t in enumerate(thread) if i != t]
    for i, b in enumerate(ordered):
        if b.thread is None or b.thread.casefold() == KEEP_OUT:
            continue
        where = f"briefings/{b.path}:{b.key_lines.get('thread', 1)}"
        if b.thread == b.id:
            warnings.append(f"{where}: thread '{b.thread}' is this briefing's own id; write the id of a briefing "
                            f"in the story to join, or '{KEEP_OUT}' to keep it out of every story")
        elif b.thread not in position:
            warnings.append(f"{where}: thread '{b.thread}' is not the id of any briefing; write the id of a "
                            f"briefing in the story to join, or '{KEEP_OUT}'")
        elif (ordered[position[b.thread]].thread or "").casefold() == KEEP_OUT:
            warnings.append(f"{where}: thread '{b.thread}' names a briefing kept out of every story "
                            f"(thread: {KEEP_OUT}); pin to a briefing of the story instead")
        else:
            edges.append((i, position[b.thread]))
    out = []
    for members in connected(len(ordered), edges):
        first = min(members)
        out += [(i, first) for i in members]
    return [t for _, t in sorted(out)]


def fingerprint(b: Briefing) -> str:
    """What the thread decision reads of a briefing: a changed one is decided again."""
    kept_out = b.thread is not None and b.thread.casefold() == KEEP_OUT
    data = [b.title, b.body, b.date.isoformat() if b.date else None, kept_out,
            [thread_pairs.tag_keys(b, (*thread_pairs.ACTOR_TYPES, *thread_pairs.GEO_TYPES))]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def model_digest(model: ThreadModel) -> str:
    return hashlib.sha256(model.as_json().encode("utf-8")).hexdigest()[:20]


@dataclass
class ThreadState:
    """The model's threads of the last build (before the editors' choices), for the build cache:
    the next build decides only new and edited briefings (``thread_stories``)."""

    model: str
    """Digest of the model that made them: another model decides every briefing again."""
    fingerprint: dict[str, str]
    """Briefing id -> ``fingerprint``."""
    thread_of: dict[str, str]
    """Briefing id -> the id of its thread's first briefing (itself when alone)."""

    def as_json(self) -> str:
        return json.dumps({"model": self.model, "fingerprint": self.fingerprint, "thread_of": self.thread_of},
                          sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ThreadState:
        data = json.loads(text)
        return cls(str(data["model"]), dict(data["fingerprint"]), dict(data["thread_of"]))


class Threads(NamedTuple):
    stories: list[Story]
    state: ThreadState


def kept_threads(ordered: Sequence[Briefing], prints: list[str], previous: ThreadState) -> dict[int, str]:
    """Briefing -> its thread (its first briefing's id), for the briefings that may keep the thread
    of the previous build: unchanged, in a thread none of whose members was edited or removed
    (such a thread is dissolved and its members decided again, in date order)."""
    now = {b.id: p for b, p in zip(ordered, prints, strict=True)}
    dissolved = {key for i, key in previous.thread_of.items() if now.get(i) != previous.fingerprint.get(i)}
    return {i: key for i, b in enumerate(ordered)
            if (key := previous.thread_of.get(b.id)) is not None and key not in dissolved}


def fixed_threads(kept: dict[int, str]) -> dict[int, int]:
    """Briefing -> the first briefing of its kept thread, for ``thread_assign.assign``."""
    first: dict[str, int] = {}
    return {i: first.setdefault(key, i) for i, key in sorted(kept.items())}


def find_stories(ordered: Sequence[Briefing], model: ThreadModel | None = None,
                 warnings: list[str] | None = None, memo: TokenMemo | None = None) -> list[Story]:
    """Threads of two or more briefings, oldest first, with the editors' choices applied.
    ``memo``: tokens of texts seen before (``link.memo``; the threads are the same without)."""
    return thread_stories(ordered, model, warnings, memo=memo).stories


def thread_stories(ordered: Sequence[Briefing], model: ThreadModel | None = None, warnings: list[str] | None = None,
                   previous: ThreadState | None = None, memo: TokenMemo | None = None) -> Threads:
    """``find_stories``, and the state to pass as ``previous`` to the next build's call. With it,
    only these are decided again: new and edited briefings, the later briefings that are their
    candidate partners, and the other members of every thread one of those was in; every other
    briefing keeps its thread. When briefings are only added later than the rest, that is what a
    full run decides (a briefing never moves an older one), but for one thing: every briefing
    shifts the archive's word rarities a little, so a full run can move an older briefing whose
    pair sat at the threshold (1 of 881 Reuters wires when one is appended, ``quality.bench_threads``),
    where the incremental run keeps it. After an edit deep in the archive, a change can also
    reach further than one step. A full run (no state, another model, a cleared cache) decides
    everything again."""
    model = model or shipped_model()
    warnings = [] if warnings is None else warnings
    n = len(ordered)
    prints = [fingerprint(b) for b in ordered]
    digest = model_digest(model)
    if n == 0:
        return Threads([], ThreadState(digest, {}, {}))
    vectors = thread_pairs.thread_vectors(ordered, memo)
    kept = kept_threads(ordered, prints, previous) if previous is not None and previous.model == digest else {}
    if kept:  # a later briefing that a new or edited one could draw away is decided again, with its thread
        touched = thread_pairs.later_partners(vectors, np.array([i for i in range(n) if i not in kept], dtype=int))
        drop = {kept[i] for i in touched.tolist() if i in kept}
        kept = {i: key for i, key in kept.items() if key not in drop}
    fixed = fixed_threads(kept)
    rows = np.array([i for i in range(n) if i not in fixed], dtype=int) if fixed else None
    out = kept_out(ordered)
    pairs, probability = _scored(vectors, rows, model, out)
    model_thread = assign(n, pairs, probability, model.threshold, fixed)
    thread = editor_threads(ordered, model_thread, warnings)
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(thread):
        groups.setdefault(t, []).append(i)
    if rows is not None:  # the pairs within threads that the decision did not need, for centrality
        members = np.array(sorted(set().union(*(g for g in groups.values() if len(g) >= STORY_MIN_BRIEFINGS))
                                  - set(rows.tolist())), dtype=int)
        if len(members):
            more, more_probability = _scored(vectors, members, model, out)
            pairs = thread_pairs.Pairs(np.concatenate([pairs.later, more.later]),
                                       np.concatenate([pairs.earlier, more.earlier]), np.zeros((0, 0)))
            probability = np.concatenate([probability, more_probability])
    stories = make_stories(ordered, groups, member_weights(thread, pairs, probability), warnings, memo)
    state = ThreadState(digest, {b.id: p for b, p in zip(ordered, prints, strict=True)},
                        {b.id: ordered[model_thread[i]].id for i, b in enumerate(ordered)})
    return Threads(stories, state)


def kept_out(ordered: Sequence[Briefing]) -> np.ndarray:
    """Briefing -> whether its editor kept it out of every story (``thread: none``), computed once
    a run and applied to every block of candidate pairs (``_kept_in``)."""
    return np.array([b.thread is not None and b.thread.casefold() == KEEP_OUT for b in ordered], dtype=bool)


def _kept_in(out: np.ndarray, pairs: thread_pairs.Pairs) -> thread_pairs.Pairs:
    """Without the pairs of briefings kept out (``out``, from ``kept_out``): they join no thread
    and no briefing joins theirs."""
    if not len(pairs.later):
        return pairs
    keep = ~(out[pairs.later] | out[pairs.earlier])
    return thread_pairs.Pairs(pairs.later[keep], pairs.earlier[keep], pairs.x[keep])


def _scored(vectors: thread_pairs.ThreadVectors, rows: np.ndarray | None, model: ThreadModel,
            out: np.ndarray) -> tuple[thread_pairs.Pairs, np.ndarray]:
    """The candidate pairs of ``rows`` (all when None) and their probabilities, scored a block at
    a time and their features dropped once scored, so the millions of pairs of a large archive
    never stand as one feature matrix; pairs with a briefing kept out (``out``) left out."""
    later, earlier, probability = [], [], []
    any_out = bool(out.any())
    for block in thread_pairs.candidate_pairs(vectors, rows):
        if any_out:
            block = _kept_in(out, block)
        later.append(block.later)
        earlier.append(block.earlier)
        probability.append(model.probability(block.x))
    if not later:
        return thread_pairs.Pairs(np.zeros(0, int), np.zeros(0, int), np.zeros((0, 0))), np.zeros(0)
    return (thread_pairs.Pairs(np.concatenate(later), np.concatenate(earlier), np.zeros((0, 0))),
            np.concatenate(probability))


def member_weights(thread: list[int], pairs: thread_pairs.Pairs, probability: np.ndarray) -> dict[int, float]:
    """Briefing -> the summed probability of its pairs within its thread, added pair by pair in
    the pairs' order (``np.add.at`` is unbuffered), so the sums are the floats of a plain loop."""
    of = np.asarray(thread, dtype=np.int64)
    same = of[pairs.later] == of[pairs.earlier] if len(pairs.later) else np.zeros(0, dtype=bool)
    both = np.empty(2 * int(same.sum()), dtype=np.int64)
    both[0::2], both[1::2] = pairs.later[same], pairs.earlier[same]
    weight = np.zeros(len(thread))
    np.add.at(weight, both, np.repeat(probability[same], 2))
    return {int(i): float(weight[i]) for i in np.unique(both)}


def make_stories(ordered: Sequence[Briefing], groups: dict[int, list[int]], weight: dict[int, float],
                 warnings: list[str], memo: TokenMemo | None = None) -> list[Story]:
    """``memo``: story names of texts seen before (the names are the same without)."""

    def name_of(headline: str, body: str) -> str:
        if memo is None:
            return story_name(headline, body)
        return memo.value("story name", (headline, body), lambda: (story_name(headline, body),))[0]

    stories: list[Story] = []
    used: set[str] = set()
    for first in sorted(groups):
        members = groups[first]
        if len(members) < STORY_MIN_BRIEFINGS:
            continue
        briefings = [ordered[i] for i in members]
        central = ordered[max(members, key=lambda i: (weight.get(i, 0.0), -i))]
        slug = unique_slug(story_slug(briefings[0]), used)
        story = make_story(slug, briefings, central, name_of)
        story.name = editor_name(briefings, warnings) or story.name
        stories.append(story)
    for b in ordered:
        if b.thread_name and not any(b in s.members for s in stories):
            warnings.append(f"briefings/{b.path}:{b.key_lines.get('thread_name', 1)}: thread_name '{b.thread_name}' "
                            "has no effect: this briefing is in no story (join one with thread: <id>)")
    return stories


def editor_name(members: list[Briefing], warnings: list[str]) -> str | None:
    """The thread_name an editor gave one of the members (the earliest when several disagree, with
    a warning naming both files)."""
    named = [b for b in members if b.thread_name]
    for other in named[1:]:
        if other.thread_name != named[0].thread_name:
            warnings.append(f"briefings/{other.path}:{other.key_lines.get('thread_name', 1)}: thread_name "
                            f"'{other.thread_name}' differs from '{named[0].thread_name}' (briefings/{named[0].path}) "
                            "in the same story; the earlier one is used: keep one")
    return named[0].thread_name if named else None


def make_story(slug: str, briefings: list[Briefing], central: Briefing,
               name_of: Callable[[str, str], str] | None = None) -> Story:
    name_of = name_of or story_name
    return Story(slug, name_of(central.title, central.body), briefings, central,
                 people=shared_names(briefings, "people"), organizations=shared_names(briefings, "organizations"),
                 outlets=list(dict.fromkeys(b.outlet for b in briefings if b.outlet)),
                 summary=story_summary(briefings, central, name_of))


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s+(?=[A-Z\"'“‘(])|\s*$)", re.S)
SUMMARY_MAX_CHARS = 300


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = _SENTENCE.match(text)
    sentence = m.group(1) if m else text
    if len(sentence) > SUMMARY_MAX_CHARS:
        sentence = sentence[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def story_summary(briefings: list[Briefing], central: Briefing,
                  name_of: Callable[[str, str], str] | None = None) -> str:
    """Two sentences: the central briefing's summary or lead, then the thread's span and latest headline."""
    what = first_sentence(central.summary or thread_pairs.thread_lead(central) or central.title)
    if what and what[-1] not in ".!?…":
        what += "."
    dates = [b.date for b in briefings if b.date]
    latest = briefings[-1]
    when = ""
    if dates:
        first, last = min(dates), max(dates)
        when = f" on {first:%-d %B %Y}" if first.date() == last.date() else f" from {first:%-d %B %Y} to {last:%-d %B %Y}"
    return (f"{what} The story runs in {len(briefings)} briefings{when}; the latest: "
            f"“{(name_of or story_name)(latest.title, latest.body)}”.")


def unique_slug(slug: str, used: set[str]) -> str:
    unique, k = slug, 2
    while unique in used:
        unique, k = f"{slug}-{k}", k + 1
    used.add(unique)
    return unique


def story_slug(first: Briefing) -> str:
    """From the earliest briefing (its headline and date): later briefings never change it."""
    return slugs.story_slug(_TICKER.sub("", first.title), first.date)


_TICKER = re.compile(r"\s*[<(][A-Z0-9.\-]{1,8}[>)]")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'.\-]*[A-Za-z.]|[A-Za-z]")


def story_name(headline: str, body: str = "") -> str:
    """A headline as a thread's name: tickers ('<TWA>') dropped, an all-capitals wire headline
    written in sentence case with each word cased as the body writes it ('BRAZIL'S FUNARO WINS' ->
    "Brazil's Funaro wins"), cut at a word to NAME_MAX_CHARS."""
    text = _TICKER.sub("", headline).strip()
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        forms: dict[str, Counter[str]] = {}
        for m in _TOKEN.finditer(body):
            before = body[max(0, m.start() - 2):m.start()]
            if not re.search(r"[.!?\n]\s?$|^$", before):  # not a sentence start
                token = m.group(0) if "." in m.group(0).rstrip(".") else m.group(0).rstrip(".")
                forms.setdefault(token.casefold(), Counter())[token] += 1

        def cased(m: re.Match[str]) -> str:
            word = m.group(0) if "." in m.group(0).rstrip(".") else m.group(0).rstrip(".")
            stem, possessive = (word[:-2], word[-2:].lower()) if word.upper().endswith("'S") else (word, "")
            seen = forms.get(stem.casefold())
            if seen:
                return seen.most_common(1)[0][0] + possessive
            if "." in stem.strip(".") or (len(stem) <= 3 and stem.casefold() not in _COMMON):
                return word  # U.S., EC, IMF: kept as written
            return word.lower()

        text = _TOKEN.sub(cased, text)
        text = text[:1].upper() + text[1:]
    if len(text) > NAME_MAX_CHARS:
        text = text[:NAME_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–—") + "…"
    return text


_COMMON = frozenset("""a an and as at but by for from in into of on or over the to up with vs via is are be
buy sell sets says said sees see may will new cut cuts year net qtr loss rise rises fall falls pct mln dlr dlrs
deal bid talk talks plan plans fed bank bond rate rates tax aid oil few big low two six ten end set top key
hit due ask age air arm art bad ban car day far fee gas get has her his job law lay let man men not now off
old one our out own pay per put ran red run sea she sky son too try use war was way who why win won yen yet
you""".split())


def shared_names(briefings: list[Briefing], tag_type: str) -> list[str]:
    """Tags of one type named by two or more members, most named first (all of them if none is shared)."""
    counts: Counter[str] = Counter(n for b in briefings for n in dict.fromkeys(getattr(b.tags, tag_type)))
    shared = [n for n, c in counts.items() if c >= 2] or list(counts)
    return sorted(shared, key=lambda n: (-counts[n], n.casefold()))


def month_span(first: dt.datetime, last: dt.datetime) -> str:
    """'Jul 2021', 'Jul–Sep 2021' or 'Dec 2020–Jan 2021'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"
