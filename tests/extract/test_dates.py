"""Dates as news pages print them, in several languages and layouts."""

from __future__ import annotations

import datetime as dt

import pytest

from build_tools.extract.dates import day_first, find_date, parse_date

CASES = [
    ("Nov. 20, 2019, 9:28 AM UTC", "2019-11-20T09:28:00+00:00"),
    ("19/01/2008 4:52:15 PM", "2008-01-19T16:52:15+00:00"),
    ("21. April 2020", "2020-04-21T00:00:00+00:00"),
    ("26-FEB-1987 15:07:13.72", "1987-02-26T15:07:13+00:00"),
    ("Afghanistan Updated: Jul 28, 2021, 04:31 PM IST", "2021-07-28T16:31:00+05:30"),
    ("Aug 19, 2021 / 3:42 PM GMT", "2021-08-19T15:42:00+00:00"),
    ("Published 27 September 2021, 05:45 GMT", "2021-09-27T05:45:00+00:00"),
    ("Dienstag, 1. Februar 2022", "2022-02-01T00:00:00+00:00"),
    ("01. Dez. 2022 | 14:08 Uhr", "2022-12-01T14:08:00+00:00"),
    ("20. November 2022 um 10:36 Uhr", "2022-11-20T10:36:00+00:00"),
    ("Okt 13, 2022 | Umwelt & Klima", "2022-10-13T00:00:00+00:00"),
    ("29 / Dezember / 2022", "2022-12-29T00:00:00+00:00"),
    ("5 de marzo de 2020", "2020-03-05T00:00:00+00:00"),
    ("14 listopada 2021", "2021-11-14T00:00:00+00:00"),
    ("13. 1. 2020", "2020-01-13T00:00:00+00:00"),
    ("2021-12-14T12:38:19+01:00", "2021-12-14T12:38:19+01:00"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_find_date(text: str, expected: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found.when.isoformat() == expected


@pytest.mark.parametrize("text", ["3 hours ago", "yesterday", "vor 2 Stunden", "Page 12 of 2000", "0001-01-01"],
                         ids=["relative-en", "yesterday", "relative-de", "numbers", "year-one"])
def test_no_date_without_a_reference(text: str) -> None:
    assert find_date(text) is None


def test_future_dates_are_refused() -> None:
    reference = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert find_date("March 3, 2021", reference) is None


def test_parse_date_field_values() -> None:
    assert parse_date("2021-09-08T21:15:00+08:00") == dt.datetime(2021, 9, 8, 13, 15, tzinfo=dt.UTC)
    assert parse_date("") is None


@pytest.mark.parametrize(("text", "expected"), [("28.09.19 12:44", "2019-09-28"), ("Von: A B | 31.10.23", "2023-10-31"),
                                                ("mardi 10.12.19", "2019-12-10")], ids=["time", "after-byline", "weekday"])
def test_short_german_year(text: str, expected: str) -> None:
    found = find_date(text)
    assert found is not None and found.when.date().isoformat() == expected


@pytest.mark.parametrize("text", ["version 1.12.22.4", "v2.10.19", "Page 1.2.3"], ids=["dotted-version", "v-version", "section"])
def test_short_year_is_not_a_version_number(text: str) -> None:
    assert find_date(text) is None


def test_ambiguous_slash_date_can_be_read_day_first() -> None:
    found = find_date("3/5/2022 22:41")
    assert found is not None and found.ambiguous and found.when.month == 3
    assert day_first(found).date() == dt.date(2022, 5, 3)
    unambiguous = find_date("25/5/2022")
    assert unambiguous is not None and not unambiguous.ambiguous and day_first(unambiguous).date() == dt.date(2022, 5, 25)


def test_time_zone_is_a_whole_word() -> None:
    found = find_date("04.02.2022 | 13:10 Uhr | Uta Helkenberg")
    assert found is not None and found.text == "04.02.2022 | 13:10"
