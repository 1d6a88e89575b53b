"""The cleaner: line splitting, unwrapping wire copy, furniture, and the body it keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from build_tools.extract import clean
from build_tools.extract.language import detect_language


def body_of(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    page = clean.page_lines(text)
    stop = detect_language(text).stop
    scores = clean.body_scores(page, stop, clean.shipped_models().cleaner)
    return [page[i].text for i in clean.select_body(page, scores, set())]


def test_split_lines_collapses_whitespace_and_drops_blanks() -> None:
    assert clean.split_lines("  a   b \n\n\tc\n") == ["a b", "c"]


def test_page_lines_record_blank_lines_around_blocks() -> None:
    lines = clean.page_lines("Menu\nHome\n\nA paragraph.\n")
    assert [(x.text, x.blank_before, x.blank_after) for x in lines] == [
        ("Menu", True, False), ("Home", False, True), ("A paragraph.", True, True)]


def test_hard_wrapped_wire_copy_is_unwrapped_into_paragraphs(fixtures: Path) -> None:
    lines = clean.split_lines((fixtures / "raw_wire_hard_wrapped.txt").read_text("utf-8"))
    assert lines[0] == "COPPER PRICES FIRM ON SUPPLY WORRIES"
    assert lines[2].startswith("LONDON, March 14 - Copper prices firmed")
    assert lines[2].endswith("dealers said.")
    assert lines[-1] == "Reuter"
    assert len(lines) == 6


@pytest.mark.parametrize("line", ["Advertisement", "Share", "Read more: Energy bills to rise", "Related",
                                  "© 2022 The Morning Courier Ltd. All rights reserved.", "Subscribe",
                                  "We use cookies to improve your experience."],
                         ids=["ad", "share", "read-more", "related", "copyright", "subscribe", "cookies"])
def test_furniture_patterns(line: str) -> None:
    assert clean.is_furniture(line)


@pytest.mark.parametrize("line", ["What happens next", "The minister said the talks would resume on Monday."],
                         ids=["subheading", "sentence"])
def test_article_lines_are_not_furniture(line: str) -> None:
    assert not clean.is_furniture(line)


def test_full_page_keeps_article_subheading_and_drops_furniture(fixtures: Path) -> None:
    # Known gap since the cleaner was retrained from the current code (issue 10): the last
    # paragraph, above a 'Topics' tag list, scores 0.35 and is lost; the stale model it replaced
    # scored it 0.54. A hysteresis rule for it was neutral out of fold, so it did not earn a place.
    body = body_of(fixtures / "raw_fullpage_with_menus.txt")
    assert body[0].startswith("Train services across the country")
    assert "What happens next" in body
    assert body[-1].startswith("The transport minister said")
    joined = "\n".join(body)
    for furniture in ("Advertisement", "Read more:", "Subscribe", "cookies", "©", "Topics"):
        assert furniture not in joined


def test_quote_paragraph_is_kept(fixtures: Path) -> None:
    body = body_of(fixtures / "raw_with_photo_credit_line.txt")
    assert any(line.startswith('"This terminal is the biggest investment') for line in body)
    assert "Watch:" not in body


def test_closing_sentence_after_the_text_is_kept_when_only_furniture_follows() -> None:
    text = ("Headline\n\nOfficials from both countries met on Wednesday to review the agreement, according to a "
            "statement released after the talks.\n\nThe ministry said the measures would be reviewed again next "
            "month, adding that further details would be shared with parliament.\n\nCorpus marker XSS-CASE-014A.\n\n"
            "(With inputs from Agencies)\n")
    page = clean.page_lines(text)
    keep = [page[i].text for i in clean.select_body(page, clean.np.array([0.0, 0.99, 0.99, 0.1, 0.0]), set())]
    assert keep[-1] == "Corpus marker XSS-CASE-014A."


def test_closing_line_is_dropped_when_a_footer_follows() -> None:
    text = "Text one is long enough.\n\nCorpus marker here.\n\nAbout us\n\nContact the newsroom team\n"
    page = clean.page_lines(text)
    assert clean.select_body(page, clean.np.array([0.99, 0.1, 0.0, 0.0]), set()) == [0]


def walk_each_tree(trees: clean.Trees, x: np.ndarray) -> np.ndarray:
    """The tree walk on each tree's own arrays (how ``Trees.predict`` walked before it used flat
    node numbers): the reference its result must equal bit for bit."""
    rows = np.arange(x.shape[0])[:, None]
    tree_ids = np.arange(trees.feature.shape[0])[None, :]
    node = np.zeros((x.shape[0], trees.feature.shape[0]), dtype=np.int64)
    for _ in range(trees.depth):
        go_left = x[rows, trees.feature[tree_ids, node]] <= trees.threshold[tree_ids, node]
        nxt = np.where(go_left, trees.left[tree_ids, node], trees.right[tree_ids, node])
        node = np.where(trees.leaf[tree_ids, node], node, nxt)
    raw = trees.baseline + trees.value[tree_ids, node].sum(axis=1)
    return 1.0 / (1.0 + np.exp(-raw))


def random_tree(rng: np.random.Generator, depth: int, features: int) -> dict[str, list]:
    """A complete binary tree of ``depth`` levels in the JSON form; leaves have feature -2."""
    size = 2 ** (depth + 1) - 1
    leaf = [k >= 2 ** depth - 1 for k in range(size)]
    return {"feature": [-2 if leaf[k] else int(rng.integers(features)) for k in range(size)],
            "threshold": [float(rng.normal()) for _ in range(size)],
            "left": [0 if leaf[k] else 2 * k + 1 for k in range(size)],
            "right": [0 if leaf[k] else 2 * k + 2 for k in range(size)],
            "value": [float(rng.normal()) for _ in range(size)], "leaf": leaf}


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_tree_predictions_equal_the_walk_of_each_tree(depth: int) -> None:
    rng = np.random.default_rng(depth)
    trees = clean.Trees.from_json({"baseline": 0.25, "depth": depth,
                                   "trees": [random_tree(rng, int(rng.integers(1, depth + 1)), 6) for _ in range(40)]})
    x = rng.normal(size=(30, 6))
    x[::3, 2] = trees.threshold[0, 0]  # on a threshold: goes left
    assert np.array_equal(trees.predict(x), walk_each_tree(trees, x))


def test_shipped_models_predict_as_the_walk_of_each_tree() -> None:
    models = clean.shipped_models()
    rng = np.random.default_rng(7)
    for trees in (models.cleaner.stage1, models.cleaner.stage2, models.title):
        x = rng.normal(size=(25, int(trees.feature.max()) + 1))
        assert np.array_equal(trees.predict(x), walk_each_tree(trees, x))
