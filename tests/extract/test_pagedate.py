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
