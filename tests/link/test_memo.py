"""link/memo: links computed with the tokens an earlier build remembered are the links of a
build from scratch, after every kind of edit; and a remembered text is not tokenised again."""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from build_tools.link import thread_pairs
from build_tools.link.links import Links, link_archive
from build_tools.link.memo import TokenMemo
from build_tools.link.stories import member_weights
from build_tools.store.archive import Archive, load_archive
from build_tools.tag.geography import load_geography
from tests.link.random_pairs import random_pairs

REPO = Path(__file__).resolve().parents[2]


def summary(links: Links) -> object:
    """Everything a page reads from the links, by id (Briefing objects compare by value anyway)."""
    return (links.related, {k: [b.id for b in v] for k, v in links.backlinks.items()},
            [(s.slug, s.name, s.summary, [b.id for b in s.members], s.central and s.central.id, s.people,
              s.organizations, s.outlets) for s in links.stories],
            {t: {k: (e.name, [b.id for b in e.briefings]) for k, e in d.items()} for t, d in links.entities.items()},
            {k: v.id for k, v in links.previous.items()}, links.warnings)


def edited(archive: Archive, step: str) -> Archive:
    ordered = archive.oldest_first()
    out = list(ordered)
    b = ordered[len(ordered) // 2]
    if step == "title":
        out[len(out) // 2] = dataclasses.replace(b, title="Taliban advance on the Tajik border, reservists called up")
    elif step == "body":
        out[len(out) // 2] = dataclasses.replace(b, body=b.body + "\n\n" + ordered[0].body)
    elif step == "tags":
        tags = dataclasses.replace(b.tags, countries=[*b.tags.countries, "Tajikistan"], people=["Angela Merkel"])
        out[len(out) // 2] = dataclasses.replace(b, tags=tags)
    elif step == "add":
        out.append(dataclasses.replace(ordered[1], id="0123456789ab", title="Leaders meet again"))
    elif step == "delete":
        del out[len(out) // 2]
    return Archive(briefings=out, by_id={x.id: x for x in out})


@pytest.mark.parametrize("step", ["title", "body", "tags", "add", "delete"])
def test_links_with_remembered_tokens_equal_links_from_scratch(step: str) -> None:
    geo = load_geography(REPO / "vocabulary")
    before = load_archive(REPO / "briefings")
    memo = TokenMemo()
    link_archive(before, geo, memo)
    after = edited(before, step)
    warm = TokenMemo(pickle.loads(pickle.dumps(memo.used)))  # as the build cache keeps it
    assert summary(link_archive(after, geo, warm)) == summary(link_archive(after, geo))
    if step in ("tags", "delete"):
        assert warm.misses == 0  # no text changed: nothing is tokenised
    else:
        assert 0 < warm.misses < memo.misses / 4  # only the edited texts are


def test_a_remembered_text_is_not_analysed_again() -> None:
    seen: list[str] = []
    memo = TokenMemo()
    words = memo.analyzer("words", lambda text: seen.append(text) or text.split())
    assert words("a b") == ("a", "b") and words("a b") == ("a", "b")
    again = TokenMemo(memo.used).analyzer("words", lambda text: seen.append(text) or text.split())
    assert again("a b") == ("a", "b") and seen == ["a b"]
    other = TokenMemo(memo.used).analyzer("other", lambda text: seen.append(text) or [text])
    assert other("a b") == ("a b",)  # another analyzer's tokens are its own


def loop_weights(n: int, pairs: thread_pairs.Pairs, probability: np.ndarray, thread: list[int]) -> list[float]:
    weight = [0.0] * n
    for i, j, p in zip(pairs.later, pairs.earlier, probability, strict=True):
        if thread[i] == thread[j]:
            weight[i] += float(p)
            weight[j] += float(p)
    return weight


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_member_weights_equal_the_loop(seed: int) -> None:
    """The same floats as the loop, pair by pair in the pairs' order, whatever the threads."""
    rng = np.random.default_rng(seed)
    n = 60
    pairs = random_pairs(rng, n, 0.3)
    later, earlier = pairs.later, pairs.earlier
    probability = rng.choice([0.2, 0.5, 0.7, 0.7, 0.9], size=len(later)) + rng.random(len(later)) * 1e-3
    thread = [int(t) for t in rng.integers(0, 8, size=n)]
    weights = member_weights(thread, pairs, probability)
    assert [weights.get(i, 0.0) for i in range(n)] == loop_weights(n, pairs, probability, thread)
    assert set(weights) == {i for i in range(n) if any(thread[i] == thread[j] for j in
                                                        [*later[earlier == i].tolist(), *earlier[later == i].tolist()])}


def test_vocabulary_notes_from_the_remembered_known_names_equal_a_compile(tmp_path: Path) -> None:
    """A briefing whose note is not remembered (new, retagged, or back after a deletion) is noted
    from the build cache's known names, as from the compiled vocabulary; a vocabulary edit makes
    the remembered names stale (another digest), so they are compiled again."""
    from build_tools.build import vocabulary_notes

    vocabulary = tmp_path / "vocabulary"
    vocabulary.mkdir()
    for path in (REPO / "vocabulary").glob("*.yaml"):
        (vocabulary / path.name).write_bytes(path.read_bytes())
    archive = load_archive(REPO / "briefings")
    known_file = tmp_path / "known.pickle"
    fresh = vocabulary_notes(archive, vocabulary)
    assert fresh  # the sample archive has tags the vocabulary lacks
    assert vocabulary_notes(archive, vocabulary, TokenMemo(), known_file) == fresh
    assert known_file.is_file()
    assert vocabulary_notes(archive, vocabulary, TokenMemo(), known_file) == fresh  # from the file
    name = next(m.group(1) for note in fresh if (m := re.search(r"'([^']+)' \(people\)", note)))
    (vocabulary / "people.yaml").write_text((vocabulary / "people.yaml").read_text("utf-8")
                                            + f"- name: {name}\n  type: person\n", "utf-8")
    after = vocabulary_notes(archive, vocabulary, TokenMemo(), known_file)
    assert after == vocabulary_notes(archive, vocabulary) != fresh


@pytest.mark.parametrize("step", ["title", "tags", "delete"])
def test_related_scored_in_a_forked_process_are_the_links_of_one_process(step: str) -> None:
    geo = load_geography(REPO / "vocabulary")
    before = load_archive(REPO / "briefings")
    memo = TokenMemo()
    link_archive(before, geo, memo, parallel=False)
    after = edited(before, step)
    forked, alone = (TokenMemo(pickle.loads(pickle.dumps(memo.used))) for _ in range(2))
    assert summary(link_archive(after, geo, forked, parallel=True)) == summary(link_archive(after, geo, alone,
                                                                                           parallel=False))
    assert forked.used == alone.used  # the next build remembers the same tokens
    assert forked.misses == alone.misses
