"""Link: story threads. One thread is one developing story (one event, or one specific ongoing
affair: the same takeover bid, strike, dispute, meeting and its reactions), never a topic.

Event clustering, apart from the related links (Miranda et al., EMNLP 2018):

1. every candidate pair of briefings gets pair features (``thread_pairs``: headline, lead, body,
   names and actors similarity, shared rare actors, days apart);
2. a logistic model turns them into the probability that both belong to one story. Its weights and
   threshold (``data/thread_model.json``) are learned from hand-labelled threads by
   ``quality/train_threads.py`` and scored out of fold by ``quality/eval_threads.py``;
3. briefings are taken in date order (then id), each joining the existing thread it matches best
   (its best member's probability) if that reaches the threshold, else starting one. Greedy and
   streaming: a new briefing never moves an older one, and the result is deterministic.

A thread of one briefing is not shown. Its name is the headline of its most central briefing
(``story_name``), never a list of tags; its slug comes from its earliest briefing, so the URL stays
when later briefings join.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from build_tools import slugs
from build_tools.components import connected
from build_tools.link import thread_pairs
from build_tools.link.memo import TokenMemo
from build_tools.model import Briefing

STORY_MIN_BRIEFINGS = 2
"""A thread is shown once two briefings share it."""

NAME_MAX_CHARS = 80
"""A thread's name is its central headline cut at a word to at most this many characters."""

SLUG_MAX_CHARS = 50


@dataclass(frozen=True)
class ThreadModel:
    """The merge decision: P(same story) = sigmoid(intercept + coef . features) >= threshold."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """Chosen out of fold (see quality/train_threads.py and the model file's ``about``)."""

    def probability(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept)))

    def as_json(self, about: str = "") -> str:
        data = {"about": about, "features": list(self.features), "coef": [round(c, 6) for c in self.coef],
                "intercept": round(self.intercept, 6), "threshold": self.threshold}
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ThreadModel:
        data = json.loads(text)
        if tuple(data["features"]) != thread_pairs.FEATURES:
            raise ValueError(f"thread model features {data['features']} are not {list(thread_pairs.FEATURES)}: "
                             f"retrain with python -m quality.train_threads")
        return cls(tuple(data["features"]), tuple(float(c) for c in data["coef"]), float(data["intercept"]),
                   float(data["threshold"]))


def shipped_model() -> ThreadModel:
    return ThreadModel.from_json(resources.files("build_tools.data").joinpath("thread_model.json").read_text("utf-8"))


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


def assign_threads(n: int, pairs: thread_pairs.Pairs, probability: np.ndarray, threshold: float) -> list[int]:
    """Greedy streaming assignment in oldest-first order: thread (index of its first member) of each
    briefing. A briefing joins the thread of its most probable earlier partner at or above threshold
    (ties: the older thread). Vectorised: the pairs at or above threshold sorted by later briefing,
    then probability (highest first), then earlier briefing; the first of each later one is its partner."""
    keep = probability >= threshold
    later, earlier, p = pairs.later[keep], pairs.earlier[keep], probability[keep]
    order = np.lexsort((earlier, -p, later))
    later, earlier = later[order], earlier[order]
    first = np.ones(len(later), dtype=bool)
    first[1:] = later[1:] != later[:-1]
    partner = dict(zip(later[first].tolist(), earlier[first].tolist(), strict=True))
    thread = list(range(n))
    for i in sorted(partner):
        thread[i] = thread[partner[i]]
    return thread


def member_weights(n: int, pairs: thread_pairs.Pairs, probability: np.ndarray, thread: list[int]) -> np.ndarray:
    """Each briefing's summed probability with the members of its own thread (its centrality),
    added pair by pair in the pairs' order (later, then earlier briefing), so the sums are the
    same floats whatever the archive's size."""
    of = np.asarray(thread, dtype=np.int64)
    same = of[pairs.later] == of[pairs.earlier] if len(pairs.later) else np.zeros(0, dtype=bool)
    both = np.empty(2 * int(same.sum()), dtype=np.int64)
    both[0::2], both[1::2] = pairs.later[same], pairs.earlier[same]
    weight = np.zeros(n)
    np.add.at(weight, both, np.repeat(probability[same], 2))
    return weight


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


def find_stories(ordered: Sequence[Briefing], model: ThreadModel | None = None,
                 warnings: list[str] | None = None, memo: TokenMemo | None = None) -> list[Story]:
    """Threads of two or more briefings, oldest first, with the editors' choices applied.
    ``memo``: tokens of texts seen before (``link.memo``; the threads are the same without)."""
    model = model or shipped_model()
    warnings = [] if warnings is None else warnings
    n = len(ordered)
    if n == 0:
        return []
    pairs, probability = scored_pairs(ordered, model, memo)

    def name_of(headline: str, body: str) -> str:
        if memo is None:
            return story_name(headline, body)
        return memo.value("story name", (headline, body), lambda: (story_name(headline, body),))[0]

    thread = editor_threads(ordered, assign_threads(n, pairs, probability, model.threshold), warnings)
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(thread):
        groups.setdefault(t, []).append(i)
    weight = member_weights(n, pairs, probability, thread).tolist()
    stories: list[Story] = []
    used: set[str] = set()
    for first in sorted(groups):
        members = groups[first]
        if len(members) < STORY_MIN_BRIEFINGS:
            continue
        briefings = [ordered[i] for i in members]
        central = ordered[max(members, key=lambda i: (weight[i], -i))]
        slug = unique_slug(story_slug(briefings[0]), used)
        story = make_story(slug, briefings, central, name_of)
        story.name = editor_name(briefings, warnings) or story.name
        stories.append(story)
    for b in ordered:
        if b.thread_name and not any(b in s.members for s in stories):
            warnings.append(f"briefings/{b.path}:{b.key_lines.get('thread_name', 1)}: thread_name '{b.thread_name}' "
                            "has no effect: this briefing is in no story (join one with thread: <id>)")
    return stories


def scored_pairs(ordered: Sequence[Briefing], model: ThreadModel, memo: TokenMemo | None = None
                 ) -> tuple[thread_pairs.Pairs, np.ndarray]:
    """The candidate pairs (their features dropped once scored: a block at a time, so the millions
    of pairs of a large archive never stand as one feature matrix) and their probabilities. Pairs
    with a briefing kept out of every story (``thread: none``) are left out."""
    out = np.array([b.thread is not None and b.thread.casefold() == KEEP_OUT for b in ordered])
    later, earlier, probability = [], [], []
    for block in thread_pairs.candidate_pairs(thread_pairs.thread_vectors(ordered, memo)):
        if out.any():  # kept out: they join no thread and no briefing joins theirs
            keep = ~(out[block.later] | out[block.earlier])
            block = thread_pairs.Pairs(block.later[keep], block.earlier[keep], block.x[keep])
        later.append(block.later)
        earlier.append(block.earlier)
        probability.append(model.probability(block.x))
    if not later:
        return thread_pairs.Pairs(np.zeros(0, int), np.zeros(0, int), np.zeros((0, 0))), np.zeros(0)
    count = sum(len(p) for p in probability)
    return (thread_pairs.Pairs(np.concatenate(later), np.concatenate(earlier), np.zeros((count, 0))),
            np.concatenate(probability))


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
    """``name_of``: ``story_name`` (or a memo of it)."""
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


def story_summary(briefings: list[Briefing], central: Briefing, name_of: Callable[[str, str], str] | None = None) -> str:
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
    base = slugs.slugify(_TICKER.sub("", first.title), SLUG_MAX_CHARS) or "story"
    return f"{base}-{first.date:%Y-%m}" if first.date else base


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
