"""The compiled names: the scan over a text (whole words, ALL CAPS lines read title-cased, the
longest name first), and one spelling per slug."""

from __future__ import annotations

import pytest

from build_tools.tag.compiled import caps_view, dedupe_by_slug, load_vocabulary, scan
from build_tools.tag.gazetteer import COUNTRIES


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(None)


def surfaces(vocab, text: str) -> list[str]:
    return [m.surface for m in scan(vocab, text)]


def test_caps_view_keeps_length_and_title_cases_caps_words() -> None:
    text = "KABUL, Aug 5 - talks in GENEVA"
    view = caps_view(text)
    assert view == "Kabul, Aug 5 - talks in Geneva" and len(view) == len(text)
    assert caps_view("Nothing shouted here") is None


def test_scan_takes_the_longest_name_and_whole_words_only(vocab) -> None:
    found = surfaces(vocab, "From New York to Parisian cafes, Latin American leaders met.")
    assert "New York" in found and "York" not in found
    assert "Paris" not in found  # inside "Parisian"
    assert "Latin American" in found and "American" not in found  # a suppressor blocks the shorter name


def test_scan_reads_an_all_caps_dateline(vocab) -> None:
    assert "Kabul" in surfaces(vocab, "KABUL, Aug 5 - The talks went on.")


def test_scan_gives_every_reading_of_a_name(vocab) -> None:
    (m,) = [m for m in scan(vocab, "Georgia voted.") if m.surface == "Georgia"]
    assert len(m.names) >= 2 and m.names[0].kind == COUNTRIES


def test_dedupe_by_slug_keeps_the_vocabulary_spelling_else_the_longest() -> None:
    assert dedupe_by_slug({"Acme Co Inc.", "Acme Co Inc"}, frozenset()) == {"Acme Co Inc."}
    assert dedupe_by_slug({"ACME", "Acme"}, frozenset({"Acme"})) == {"Acme"}


def test_ascii_text_folds_to_itself_as_the_full_fold_gives() -> None:
    import unicodedata

    from build_tools.tag import gazetteer as g

    texts = ["".join(map(chr, range(128))), "Boumerdes", "O'Neill & Co. (U.S.)", "a\u0301"[:1], ""]
    for text in texts:
        folded = unicodedata.normalize("NFKD", text.translate(g.TRANSLITERATION_LETTERS))
        full_fold = unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))
        stripped = unicodedata.normalize("NFD", text.translate(g.TRANSLITERATION_LETTERS))
        full_strip = unicodedata.normalize("NFC", "".join(c for c in stripped if c not in g.TRANSLITERATION_MARKS))
        assert g.fold(text) == full_fold == text and g.strip_transliteration(text) == full_strip == text
    assert g.fold("Boumerdès") == "Boumerdes" and g.strip_transliteration("Kandahār") == "Kandahar"
