"""Where the publication date is looked for on a page."""

from __future__ import annotations

import datetime as dt

from build_tools.extract import header, metadata, pagedate


def test_date_is_the_nearest_date_line_to_the_headline() -> None:
    """A subheading picked as the headline must not move the date to an embed further down."""
    lines = ["Real headline of the story", "von Autor Veröffentlicht am 11. Juni 2019", "Share 0 Tweet 0",
             "A subheading of the story", "Body text of the story goes on here.", "More body text.",
             "Even more body text of the story.", "ZDF heute (@ZDFheute) 26. Mai 2019"]
    order = pagedate.date_search_order(lines, 3)
    assert order.index(1) < order.index(7)
    assert header._date_line_above(lines, 3, 4)


def test_date_search_falls_back_to_the_start_of_the_text_before_the_page() -> None:
    lines = ["Menu"] * 30 + ["Headline of it", "Body 29.11.2022 – text starts."] + ["x"] * 30 + ["Comment 02.12.2022"]
    order = pagedate.date_search_order(lines, 0, body_start=31)
    assert order.index(31) < order.index(len(lines) - 1)


def test_a_date_in_words_of_another_language_is_read_with_dateparser() -> None:
    found = metadata.extract_metadata(["Заголовок статьи о событиях дня", "3 марта 2022", "Текст статьи."], language="ru")
    assert found.date is not None and found.date.date() == dt.date(2022, 3, 3)


def test_a_foreign_date_is_not_guessed_without_the_page_language() -> None:
    assert metadata.extract_metadata(["Заголовок статьи о событиях дня", "3 марта 2022", "Текст."]).date is None


COMMENTS = ["Leserkommentare"] + [line for n in range(4) for line in (f"Leser{n}", f"14. 01. 2020, 1{n}:47",
                                                                     "Ein Kommentar zum Artikel.")]


def test_a_comment_stamp_gives_way_to_the_earlier_date_of_the_article() -> None:
    """Stamps repeated in one shape down the page are comments: the page's own date comes first."""
    lines = ["13. 1. 2020"] + ["Menü"] * 12 + ["Schlagzeile des Artikels über die Kohlemine"] + \
        ["Text des Artikels, Satz für Satz."] * 9 + COMMENTS
    found = metadata.extract_metadata(lines)
    assert found.date is not None and found.date.date() == dt.date(2020, 1, 13)


def test_a_comment_stamp_under_the_headline_gives_way_too() -> None:
    lines = ["am 10.01.2020"] + ["Menü"] * 8 + ["Schlagzeile des Rezepts für den Geburtstag"] + COMMENTS[1:] + ["Text."]
    found = metadata.extract_metadata(lines, language="de")
    assert found.date is not None and found.date.date() == dt.date(2020, 1, 10)


def test_a_single_stamp_with_a_time_is_kept() -> None:
    lines = ["Schlagzeile des Artikels über die Kohlemine", "14. 01. 2020, 13:47", "Text.", "am 20.09.2019"]
    found = metadata.extract_metadata(lines)
    assert found.date == dt.datetime(2020, 1, 14, 13, 47, tzinfo=found.date.tzinfo)


def test_a_later_date_never_replaces_a_comment_stamp() -> None:
    """Teasers further down are no earlier publication date: the stamp stays."""
    lines = ["Schlagzeile des Artikels über die Kohlemine"] + COMMENTS + ["Mehr: 3. Februar 2020"]
    found = metadata.extract_metadata(lines)
    assert found.date is not None and found.date.date() == dt.date(2020, 1, 14)


def test_the_date_of_an_embedded_post_is_not_the_page_date() -> None:
    lines = ["Diese Stars starben: Rest in Peace", "Ein Beitrag geteilt von Name (@name_x) am Apr 21, 2019 um 4:47 PDT",
             "Text des Artikels.", "18.10.2019 16:06 Uhr"]
    found = metadata.extract_metadata(lines, language="de")
    assert found.date is not None and found.date.date() == dt.date(2019, 10, 18)


def test_a_tweet_attribution_gives_no_date() -> None:
    assert metadata.extract_metadata(["Schlagzeile über den Verein", "— Verein (@verein) 14. Juni 2018"]).date is None


def test_a_change_date_gives_way_to_the_publication_date_beside_it() -> None:
    lines = ["Schlagzeile der Rezension des Romans"] + ["Text der Rezension, Satz für Satz."] * 20 + \
        ["Letzte Änderung: 31.10.2023 - 14:49:39", "Erschienen am: 01.11.2023"]
    found = metadata.extract_metadata(lines, language="de")
    assert found.date is not None and found.date.date() == dt.date(2023, 11, 1)
    assert found.updated is None or found.updated.date() == dt.date(2023, 10, 31)


def test_a_change_date_alone_stays_the_date() -> None:
    lines = ["Schlagzeile der Rezension des Romans", "Letzte Änderung: 31.10.2023", "Text.", "Text.",
             "Text.", "Erschienen am: 01.11.2023"]
    found = metadata.extract_metadata(lines, language="de")
    assert found.date is not None and found.date.date() == dt.date(2023, 10, 31)


def test_a_date_in_brackets_inside_a_line_is_an_aside() -> None:
    lines = ["Das Magazin des Verbands"] + ["Text."] * 9 + ["Gemeinsame Vergütungsregelungen (zum 28.02.2017 gekündigt)"] + \
        ["Menü"] * 30 + ["24. April 2020 | Pressemitteilungen"]
    found = metadata.extract_metadata(lines, language="de")
    assert found.date is not None and found.date.date() == dt.date(2020, 4, 24)


def test_a_labelled_date_in_brackets_is_a_stamp() -> None:
    lines = ["Beginners guide to the download", "Text of the page.", "Guide (last edited 2019-11-10 13:28:18 by Editor)"]
    found = metadata.extract_metadata(lines)
    assert found.date is not None and found.date.date() == dt.date(2019, 11, 10)
