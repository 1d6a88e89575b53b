"""The name finder: token features and the shipped CRF model's names with their spans."""

from __future__ import annotations

import pytest

from build_tools.tag.compiled import load_vocabulary
from build_tools.tag.names import document_features, find_names, is_caps_line, shape, spans_of


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(None)


@pytest.mark.parametrize(("word", "expected"), [
    ("McDonald", "XxXx"), ("U.S.", "X.X."), ("1996-08-30", "d-d-d"), ("said", "x")])
def test_shape(word: str, expected: str) -> None:
    assert shape(word) == expected


def test_spans_of_bio_labels() -> None:
    assert spans_of(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG"]) == [
        ("PER", 0, 2), ("LOC", 3, 4), ("ORG", 4, 5), ("ORG", 5, 6)]


@pytest.mark.parametrize(("words", "first", "caps"), [
    (["CRICKET", "-", "LEICESTERSHIRE", "TAKE", "OVER"], False, True),
    (["Biden", "Meets", "Putin", "in", "Geneva"], True, True),
    (["Biden", "Meets", "Putin", "in", "Geneva"], False, False),
    (["John", "Smith"], True, False),
], ids=["all-caps", "title-case-headline", "title-case-body-line", "short-name"])
def test_headline_style_lines(words: list[str], first: bool, caps: bool) -> None:
    assert is_caps_line(words, first) is caps


def test_features_read_case_from_the_document_and_the_gazetteer(vocab) -> None:
    sents = [["BOLTON", "WINS", "IN", "PARIS"], ["John", "Bolton", "went", "to", "Paris", "."]]
    feats = document_features(sents, vocab.names, vocab.automaton, titled=1)
    assert "sh=CAPS" in feats[0][0] and "capsline" in feats[0][0]
    assert "dcase=t" in feats[0][0]  # the body writes "Bolton" capitalised
    assert "g:B-places" in feats[1][4]
    assert "first" in feats[1][0] and "-1w=john" in feats[1][1] and "1w=<edge>" in feats[1][5]


def test_find_names_gives_types_spans_and_confidence(vocab) -> None:
    text = "German Chancellor Angela Merkel met Microsoft executives in Berlin on Monday."
    found = {(m.label, m.text) for m in find_names(text, vocab.names, vocab.automaton)}
    assert {("PER", "Angela Merkel"), ("ORG", "Microsoft"), ("LOC", "Berlin")} <= found
    for m in find_names(text, vocab.names, vocab.automaton):
        assert text[m.start:m.end] == m.text
        assert 0.0 < m.confidence <= 1.0


def test_features_do_not_follow_the_hash_seed() -> None:
    """The model's bytes follow the order of the training features: the same under any hash seed."""
    import subprocess
    import sys

    code = ("from build_tools.tag.compiled import load_vocabulary\n"
            "from build_tools.tag.names import document_features\n"
            "v = load_vocabulary(None)\n"
            "s = [['Georgia', 'and', 'Washington', 'met', 'in', 'Paris', 'with', 'the', 'European', 'Union', '.']]\n"
            "print(document_features(s, v.names, v.automaton, titled=0))\n")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1


def test_model_attributes_are_those_of_pycrfsuites_dump_parser() -> None:
    from build_tools.tag.names import load_model, model_attributes

    tagger = load_model().tagger
    expected = frozenset(attribute for attribute, _ in tagger.info().state_features)  # type: ignore[attr-defined]
    assert expected and model_attributes(tagger) == expected


def test_the_taggers_bytes_are_the_features_of_document_features(vocab) -> None:
    """``encoded_features`` (what ``find_names`` passes the model) is ``document_features`` with the
    model's ``keep``, as UTF-8 bytes in the same order, headline and unwanted sentences included."""
    from build_tools.tag.names import encoded_features, load_model

    keep = load_model().attributes
    sents = [["BOLTON", "WINS", "IN", "PARIS"], ["John", "Bolton", "went", "to", "Paris", "."],
             ["the", "shares", "rose", "."], ["He", "said", "Bank", "of", "England", "'s", "chief", "."]]
    wanted = [True, True, False, True]
    caps = [is_caps_line(s, i < 1) for i, s in enumerate(sents)]
    expected = document_features(sents, vocab.names, vocab.automaton, 1, wanted, keep)
    got = encoded_features(sents, vocab.names, vocab.automaton, 1, wanted, keep, caps)
    assert got == [[[f.encode() for f in item] for item in seq] for seq in expected]
    assert any(f.startswith(b"-1|0=") or f.startswith(b"0|1=") for seq in got for item in seq for f in item)


def test_a_word_pair_finds_its_feature_however_the_bar_cuts_it() -> None:
    from build_tools.tag.names import bigram_index

    before, after = bigram_index(frozenset({"-1|0=a|b|c", "0|1=x|y", "w=a"}))
    assert before["a"]["b|c"] == before["a|b"]["c"] == b"-1|0=a|b|c"
    assert after == {"x": {"y": b"0|1=x|y"}}


def test_document_case_lists_every_way_a_word_is_written() -> None:
    from build_tools.tag.names import document_case

    sents = [["NATO", "SAYS", "SUCH"], ["Such", "such", "Such", "NATO", "Nato", "nato", "."], ["A", "Bolton", "B"]]
    assert document_case(sents, [True, False, False]) == {
        "such": "lt", "nato": "ltu", "bolton": "t", "b": "t"}
