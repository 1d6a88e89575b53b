"""The headline stage: a recognisable header block names its headline whatever its characters."""

from __future__ import annotations

import pytest

from build_tools.extract import clean, headline

SEED_HEADER = ["ugc_banner", "", "{title}", "", "Staff Writer", "World Updated: Jul 28, 2021, 04:31 PM IST",
               "main img", "", "Story highlights", "", "Ministers agreed to continue talks next week after a long session.", ""]


@pytest.mark.parametrize("title", ['!!python/object/apply:builtins.open ["x.txt", "w"]', "###", "Talks"],
                         ids=["yaml-tag", "punctuation", "one-word"])
def test_line_above_a_byline_and_date_block_is_the_headline(title: str) -> None:
    page = clean.page_lines("\n".join(SEED_HEADER).format(title=title))
    assert headline.header_block_title([x.text for x in page], page) == 1


def test_no_header_block_without_a_section_before_the_date_label() -> None:
    page = clean.page_lines("Menu\n\nHeadline here\n\nBy Staff Writer\nPosted January 1, 2008 16:10:00\n\nText.\n")
    assert headline.header_block_title([x.text for x in page], page) is None
