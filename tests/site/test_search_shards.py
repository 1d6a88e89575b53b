"""Search shards: years, then months, then hash buckets of a large month; a briefing added to one
folder changes no other shard; an edit touches the one shard holding its page."""

from __future__ import annotations

import pytest

from build_tools.site.search_shards import bucket_count, page_of_source, plan, touched


def pages(folder: str, count: int, start: int = 0) -> list[str]:
    return [f"briefings/{folder}/story-{i}/index.html" for i in range(start, start + count)]


def test_a_small_archive_is_one_shard_a_year() -> None:
    shards = plan(pages("1987/03", 3) + pages("1988/01", 2) + pages("undated", 1), "briefings/", limit=10)
    assert list(shards) == ["1987", "1988", "undated"]
    assert shards["1987"].glob == "briefings/1987/**/*.html"
    assert len(shards["1987"].pages) == 3


def test_a_large_year_splits_into_months_and_a_large_month_into_hash_buckets() -> None:
    shards = plan(pages("1987/03", 25) + pages("1987/04", 4), "briefings/", limit=10)
    assert "1987-04" in shards and shards["1987-04"].glob == "briefings/1987/04/**/*.html"
    buckets = [name for name in shards if name.startswith("1987-03-")]
    assert buckets and all(name.endswith("of4") for name in buckets)  # 25 pages, 10 a shard: 4 buckets
    assert sorted(p for name in buckets for p in shards[name].pages) == sorted(pages("1987/03", 25))
    one = shards[buckets[0]]
    assert one.glob.startswith("briefings/1987/03/{story-") and one.glob.endswith("}/index.html")


@pytest.mark.parametrize(("count", "limit", "buckets"), [(10, 10, 1), (11, 10, 2), (40, 10, 4), (41, 10, 8)])
def test_buckets_are_a_power_of_two(count: int, limit: int, buckets: int) -> None:
    assert bucket_count(count, limit) == buckets


def test_adding_a_briefing_changes_only_its_own_shard() -> None:
    archive = pages("1987/03", 25) + pages("1987/04", 4) + pages("1986/12", 30)
    before = plan(archive, "briefings/", limit=10)
    after = plan([*archive, "briefings/1987/03/a-new-story/index.html"], "briefings/", limit=10)
    assert list(after) == list(before)
    changed = [name for name in after if after[name].pages != before[name].pages]
    assert len(changed) == 1 and changed[0].startswith("1987-03-")


def test_the_plan_does_not_depend_on_the_order_pages_are_found() -> None:
    archive = pages("1987/03", 25)
    assert plan(archive, "briefings/", limit=10) == plan(list(reversed(archive)), "briefings/", limit=10)


def test_no_limit_is_one_unsharded_index() -> None:
    shards = plan(pages("1987/03", 25), "briefings/", limit=None)
    assert list(shards) == ["all"] and shards["all"].glob == "briefings/**/*.html"


def test_an_edit_touches_the_shard_of_its_page_and_no_other() -> None:
    shards = plan(pages("1987/03", 25) + pages("1987/04", 4), "briefings/", limit=10)
    before = {name: shard.pages for name, shard in shards.items()}
    assert touched(shards, before, set()) == []
    edited = page_of_source("briefings/1987/04/story-2.md")
    assert edited == "briefings/1987/04/story-2/index.html"
    assert touched(shards, before, {edited}) == ["1987-04"]
    del before["1987-04"]
    assert touched(shards, before, set()) == ["1987-04"]  # new, or not indexed last time
