"""One language decision: the stop list the cleaner scores lines with, and the front matter's code."""

from __future__ import annotations

from collections import Counter

import pytest

from build_tools.extract.language import (
    LANGUAGE_SAMPLE_TOKENS,
    MIN_LANGUAGE_HITS,
    WORD_RE,
    detect_language,
    script_language,
    stoplists,
)

ENGLISH = "The government said on Monday that the talks were over and it would not return to them before the end of the year."
GERMAN = ("Die Regierung hat in der Nacht mit den Ländern über die neuen Regeln und die Kosten für das Jahr "
          "gesprochen, aber es gab noch keine Einigung.")
DANISH = ("Regeringen har i nat talt med kommunerne om de nye regler, og der er endnu ikke en aftale, men "
          "ministeren siger, at de vil mødes igen i næste uge for at finde en løsning på det.")
FINNISH = "Hallitus kertoi maanantaina, että neuvottelut ovat ohi ja se ei palaa niihin ennen vuoden loppua, koska"
ARABIC = "قالت الحكومة يوم الاثنين إن المحادثات انتهت ولن تعود إليها قبل نهاية العام " * 3
CHINESE = "政府星期一表示，谈判已经结束，在年底之前不会恢复谈判。" * 3


@pytest.mark.parametrize(("text", "code"), [
    (ENGLISH, "en"), (GERMAN, "de"), (DANISH, "da"), (FINNISH, "fi"), (ARABIC, "ar"), (CHINESE, "zh"),
    ("rail strike", None), ("short", None),
], ids=["english", "german", "danish", "finnish", "arabic", "chinese", "headline-only", "too-short"])
def test_detect_language(text: str, code: str | None) -> None:
    assert detect_language(text).code == code


def test_the_stop_list_is_the_languages_own() -> None:
    assert detect_language(GERMAN).stop == stoplists()["de"]
    assert detect_language("rail strike").stop == frozenset()


def test_a_script_language_keeps_the_stop_list_its_latin_words_hit() -> None:
    """The script decides the code; the cleaner's features stay those it was trained with."""
    page = ARABIC + "\n" + ENGLISH
    assert detect_language(page) == (("ar", stoplists()["en"]))


def counted_list_by_list(text: str) -> str | None:
    """The stop list with most hits, counted list by list (first in order on a tie), as
    ``detect_language`` counted before it looked each word up once."""
    counts = Counter(WORD_RE.findall(text.lower())[:LANGUAGE_SAMPLE_TOKENS])
    best, hits = None, 0
    for code, stop in stoplists().items():
        n = sum(c for t, c in counts.items() if t in stop)
        if n > hits:
            best, hits = code, n
    return best if hits >= MIN_LANGUAGE_HITS else None


@pytest.mark.parametrize("text", [
    "The minister said on Monday that the talks with the unions would go on for a week.",
    "Der Minister sagte am Montag, dass die Gespräche mit den Gewerkschaften weitergehen.",
    "Le ministre a dit lundi que les discussions avec les syndicats allaient continuer.",
    "de la en el que y a los del se las por un para con no una su al lo como",  # shared words: ties
    "i a o e u de da do em no na para com por que",
    "", "the the", "Москва заявила, что переговоры будут продолжены на следующей неделе и в среду.",
], ids=lambda t: t[:16] or "empty")
def test_stop_list_is_the_one_counted_list_by_list(text: str) -> None:
    assert detect_language(text).code == (script_language(text) or counted_list_by_list(text))
    assert detect_language(text).stop == (stoplists()[counted_list_by_list(text)] if counted_list_by_list(text)
                                          else frozenset())
