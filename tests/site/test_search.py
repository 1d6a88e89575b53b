"""Search: Pagefind indexes briefing pages only, with date, filters and sort key, in shards that a
build indexes again only when their pages change; a filtered query in Chromium, over every shard
merged, returns exactly the briefings tagged with the filter value, and sorts by date across shards."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.site import search
from tests.conftest import CHROMIUM, served


@pytest.fixture(scope="module")
def built(sample_build: Path) -> Path:
    """The sample inbox ingested and built (conftest.sample_build): briefings/, docs/, site/."""
    return sample_build


def test_the_command_indexes_briefing_pages_into_the_bundle_folder(tmp_path: Path) -> None:
    cmd = search.pagefind_command(tmp_path)
    assert cmd[1:] == ["--site", str(tmp_path), "--glob", "briefings/**/*.html", "--force-language", "en",
                       "--output-subdir", "assets/pagefind", "--quiet"]


def test_a_missing_site_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(search.BriefingsError, match="no built site to index"):
        search.index_site(tmp_path / "nothing")


@pytest.mark.slow
def test_every_briefing_is_indexed_and_nothing_else(built: Path) -> None:
    pages = sorted((built / "site" / "briefings").rglob("index.html"))
    bundle = built / "site" / "assets" / "pagefind"
    shards = json.loads((bundle / "shards.json").read_text("utf-8"))["shards"]
    assert shards == ["all"]  # one index unless mkdocs.yml asks for shards (extra.briefings.search_shard_pages)
    entry = json.loads((bundle / "all" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(pages) > 0
    assert (bundle / "all" / "pagefind.js").is_file() and (bundle / "all" / "dates.json").is_file()
    assert not (bundle / "all" / "pagefind-ui.js").exists()  # Pagefind's own interfaces are not used
    assert search.bundle_report(bundle).pages == len(pages)


@pytest.mark.slow
def test_briefing_pages_carry_body_date_and_filters_listings_do_not(built: Path) -> None:
    page = next((built / "site" / "briefings" / "2021").rglob("index.html")).read_text("utf-8")
    assert page.count("data-pagefind-body") == 1
    assert re.search(r'data-pagefind-sort="date">\d{4}-\d{2}-\d{2}<', page)
    assert 'data-pagefind-meta="title"' in page
    assert 'data-pagefind-filter="country">' in page
    for listing in ("index.html", "timeline/index.html", "countries/index.html"):
        assert "data-pagefind" not in (built / "site" / listing).read_text("utf-8"), listing


@pytest.mark.slow
def test_every_page_has_the_header_search_box(built: Path) -> None:
    for name in ("index.html", "timeline/index.html", "search/index.html"):
        html = (built / "site" / name).read_text("utf-8")
        assert 'id="bp-search-input"' in html and 'name="q"' in html, name


SMALL_SHARDS = 4
"""Shards this small cut the sample (18 briefings in 2021) into months and hash buckets."""


@pytest.fixture(scope="module")
def sharded(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample's site with its index cut into many shards."""
    site = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(built / "site", site)
    shutil.rmtree(site / search.BUNDLE_DIR)
    report = search.index_site(site, limit=SMALL_SHARDS)
    assert report.shards == report.shards_indexed > 3
    assert any("of" in name for name in json.loads((site / search.BUNDLE_DIR / "shards.json").read_bytes())["shards"])
    return site


@pytest.fixture(scope="module")
def base_url(sharded: Path) -> Iterator[str]:
    with served(sharded) as url:
        yield url


def tagged(built: Path, country: str) -> set[str]:
    """Site URLs (``/briefings/.../``) of the briefing pages tagged with ``country``."""
    urls = set()
    for page in (built / "site" / "briefings").rglob("index.html"):
        if f'data-pagefind-filter="country">{country}<' in page.read_text("utf-8"):
            urls.add("/" + page.parent.relative_to(built / "site").as_posix() + "/")
    return urls


PAGEFIND_QUERY = """async ([query, filters, sort]) => {
  const index = await import("/assets/javascripts/search-index.js");
  const pagefind = await index.open(new URL("/", location.href), {baseUrl: "/"});
  const found = await pagefind.search(query, {filters: filters, sort: sort});
  const data = await Promise.all(found.results.map(r => r.data()));
  return data.map(d => [d.url, d.meta.date || ""]);
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_a_filtered_query_returns_the_briefings_with_that_tag(built: Path, base_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base_url + "search/?q=Afghanistan")
        sync_api.expect(page.locator("#bp-results li").first).to_be_visible(timeout=20_000)
        first = page.locator("#bp-results li").first
        sync_api.expect(first.locator("a.bp-result-link")).to_have_attribute("href", re.compile(r"/briefings/"))
        sync_api.expect(first.locator("mark").first).to_be_visible()  # the excerpt marks the hit
        # The first query downloaded no filter data; opening the panel loads it and offers the facets.
        assert not any("/filter/" in url for url in requested)
        page.click("#bp-filters summary")
        country = page.locator("#bp-filter-panel select[data-filter=country]")
        sync_api.expect(country).to_be_visible(timeout=20_000)
        country.select_option("Uzbekistan")
        # Choosing a value empties the list at once; the filtered results then arrive.
        sync_api.expect(page.locator("#bp-results li").first).to_be_visible(timeout=20_000)
        shown = {page.evaluate("(a) => new URL(a.href).pathname", a) for a in
                 page.locator("#bp-results a.bp-result-link").element_handles()}
        everything = page.evaluate(PAGEFIND_QUERY, ["Afghanistan", {}, {}])
        filtered = page.evaluate(PAGEFIND_QUERY, ["Afghanistan", {"country": "Uzbekistan"}, {}])
        newest = page.evaluate(PAGEFIND_QUERY, ["Afghanistan", {}, {"date": "desc"}])
        oldest = page.evaluate(PAGEFIND_QUERY, ["Afghanistan", {}, {"date": "asc"}])
        browser.close()
    with_tag = tagged(built, "Uzbekistan")
    assert shown and shown <= with_tag  # the page's own filter narrows the list to tagged briefings
    assert filtered, "the filtered query found nothing"
    assert {url for url, _ in filtered} <= with_tag
    assert len(filtered) < len(everything)
    # Ordered by date, newest first; undated briefings have no sort key, so Pagefind leaves them out.
    assert {url for url, _ in newest} == {url for url, date in everything if date}
    dates = [dt.datetime.strptime(date, "%d %b %Y") for _, date in newest]
    assert dates == sorted(dates, reverse=True) and dates[0] > dates[-1]  # across shards (months)
    assert [dt.datetime.strptime(date, "%d %b %Y") for _, date in oldest] == sorted(dates)


def facet_of(page_html: str, kind: str) -> set[str]:
    return set(re.findall(rf'data-pagefind-filter="{kind}">([^<]*)<', page_html))


@pytest.mark.browser
@pytest.mark.slow
def test_outlet_and_date_range_filters_live_in_the_url_and_survive_a_reload(built: Path, base_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = {"/" + p.parent.relative_to(built / "site").as_posix() + "/": p.read_text("utf-8")
             for p in (built / "site" / "briefings").rglob("index.html")}
    outlets = Counter(o for html in pages.values() for o in facet_of(html, "outlet"))
    outlet = outlets.most_common(1)[0][0]
    months = sorted({m for html in pages.values() for m in facet_of(html, "month")})
    start, end = months[1], months[-2]
    expected = {url for url, html in pages.items()
                if outlet in facet_of(html, "outlet") and any(start <= m <= end for m in facet_of(html, "month"))}
    assert expected, "the sample has no briefing for this outlet and range: pick other values"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(base_url + "search/")
        page.click("#bp-filters summary")
        page.locator("select[data-filter=outlet]").select_option(outlet)
        page.locator("select[data-filter=from]").select_option(start)
        page.locator("select[data-filter=to]").select_option(end)
        sync_api.expect(page.locator("#bp-status")).to_contain_text(f"outlet {outlet}")
        sync_api.expect(page.locator("#bp-results li")).to_have_count(min(len(expected), 10))

        def shown() -> set[str]:
            return {page.evaluate("(a) => new URL(a.href).pathname", a)
                    for a in page.locator("#bp-results a.bp-result-link").element_handles()}

        first = shown()
        address = page.url
        # The option shows how many current results carry the value.
        sync_api.expect(page.locator(f"select[data-filter=outlet] option[value='{outlet}']")).to_have_text(
            f"{outlet} ({len(expected)})")
        page.goto("about:blank")
        page.goto(address)
        sync_api.expect(page.locator("#bp-results li")).to_have_count(min(len(expected), 10))
        again = shown()
        sync_api.expect(page.locator("select[data-filter=outlet]")).to_have_value(outlet)
        # A query nothing matches says so and how to widen it.
        page.goto(base_url + "search/?q=qqqzzzxxyy")
        sync_api.expect(page.locator("#bp-status")).to_contain_text("No briefing matches")
        browser.close()
    assert "outlet=" in address and f"from={start}" in address and f"to={end}" in address
    assert first == again
    assert first <= expected and len(first) == min(len(expected), 10)


@pytest.mark.slow
def test_a_shard_indexed_again_leaves_no_old_bundle_and_the_same_bytes(built: Path, tmp_path: Path) -> None:
    """The last bundle of a shard is moved aside and deleted while Pagefind runs: the new one is
    what a first index writes, and neither it nor one a stopped build left behind remains."""
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    bundle = site / search.BUNDLE_DIR
    first = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    (bundle / f"{search.OLD_PREFIX}gone").mkdir()  # left by a build stopped while its shard was indexed
    (bundle / f"{search.OLD_PREFIX}gone" / "x.pf_fragment").write_bytes(b"stale")
    page = search.indexed_pages(site)[0]
    report = search.index_site(site, tmp_path / "state.pickle", {page}, limit=None)
    assert report.shards_indexed == 1
    again = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    assert again == first
    assert sorted(p.name for p in bundle.iterdir()) == ["all", search.MANIFEST]


BRIEFING_HTML = """<html lang="en"><head><title>A - Briefing Archive</title></head><body><nav>{nav}</nav>
<article><div class="briefing-body" data-pagefind-body>
<div><p>{body}</p></div></div><h2>Related</h2><ul><li>{related}</li></ul></article>
<div hidden><span data-pagefind-meta="title">A</span><span data-pagefind-filter="country">{country}</span></div>
</body></html>"""


def briefing_html(nav: str = "Home", body: str = "Oil prices rose.", related: str = "B", country: str = "Japan") -> str:
    return BRIEFING_HTML.format(nav=nav, body=body, related=related, country=country)


@pytest.mark.parametrize(("changed", "same"), [
    ({"nav": "Home, About"}, True),
    ({"related": "C, a retitled neighbour"}, True),
    ({"body": "Oil prices fell."}, False),
    ({"country": "Kenya"}, False),
], ids=["navigation", "related-list", "body", "filter"])
def test_the_indexed_part_is_what_pagefind_reads(changed: dict[str, str], same: bool) -> None:
    assert (search.indexed_part(briefing_html(**changed)) == search.indexed_part(briefing_html())) is same


def test_the_indexed_part_ends_with_the_body_element() -> None:
    part = search.indexed_part(briefing_html())
    assert "<p>Oil prices rose.</p></div></div" in part and "Related" not in part


def test_a_page_without_a_body_element_is_taken_whole() -> None:
    assert search.indexed_part("<p>no body</p>") == "<p>no body</p>"


@pytest.mark.slow
def test_a_page_rendered_again_with_the_same_search_input_keeps_its_shard(built: Path, tmp_path: Path) -> None:
    """Rendered again because a neighbour's title changed in its Related list: Pagefind would read
    the same, so no shard is indexed; its body edited: its shard is, to what a first index writes,
    with no file of the last bundle left over."""
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    state = tmp_path / "state.pickle"
    assert search.index_site(site, state, limit=SMALL_SHARDS).shards_indexed > 3
    page = search.indexed_pages(site)[0]
    html = (site / page).read_text("utf-8")
    assert "</article>" in html
    (site / page).write_text(html.replace("</article>", "<p>A retitled neighbour</p></article>", 1), "utf-8")
    assert search.index_site(site, state, {page}, limit=SMALL_SHARDS).shards_indexed == 0
    body = html.index("data-pagefind-body>") + len("data-pagefind-body>")
    (site / page).write_text(html[:body] + "<p>An editor's new paragraph, with kangaroo.</p>" + html[body:], "utf-8")
    assert search.index_site(site, state, {page}, limit=SMALL_SHARDS).shards_indexed == 1
    bundle = site / search.BUNDLE_DIR
    again = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    shutil.rmtree(bundle)
    search.index_site(site, limit=SMALL_SHARDS)
    first = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    assert again == first
