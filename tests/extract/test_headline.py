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


@pytest.mark.parametrize(("title", "keys", "expected"), [
    ("Lighthouse keepers return to remote island | The Coastal Gazette", ["coastalgazette"],
     "Lighthouse keepers return to remote island"),
    ("Gazette - Keepers return to the island after forty years", ["gazette"], "Keepers return to the island after forty years"),
    ("Keepers return - News - Section", ["gazette"], "Keepers return - News - Section"),
    ("Coastal Gazette", ["coastalgazette"], "Coastal Gazette"),
], ids=["pipe-suffix", "site-prefix", "section-not-the-site-kept", "only-the-site"])
def test_strip_site_drops_only_parts_naming_the_site(title: str, keys: list[str], expected: str) -> None:
    assert headline.strip_site(title, keys) == expected


@pytest.mark.parametrize(("stated", "found", "head", "expected"), [
    ("Keepers return to the island", "Keepers return to the island", (), "Keepers return to the island"),
    ("Keepers return to the island | Gazette", "Keepers return", (), "Keepers return to the island"),
    ("Berkshire Eagle Online", "Kerry endorses Obama", ("Berkshire Eagle Online - Kerry endorses Obama",),
     "Kerry endorses Obama"),
    ("Keepers return to the island - National - Sport", "Keepers return to the island", (),
     "Keepers return to the island"),
    ("News", "Keepers return to the island", (), "Keepers return to the island"),
    ("Cole: Winning the Cup would give Chelsea momentum", "Tottenham pair to stay until the end", (),
     "Cole: Winning the Cup would give Chelsea momentum"),
    (None, "Keepers return to the island", (), "Keepers return to the island"),
], ids=["agree", "site-suffix-stripped", "stated-is-the-site", "found-is-a-run-of-the-title", "stated-too-short",
        "stated-wins-when-not-provably-wrong", "nothing-stated"])
def test_html_title_prefers_the_stated_title(stated: str | None, found: str, head: tuple[str, ...], expected: str) -> None:
    keys = ["berkshireeagle", "gazette"]
    assert headline.html_title(stated, found, head, keys) == expected
