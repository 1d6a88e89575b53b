"""A reader's path through the built sample site, in Debian's Chromium driven by Playwright.

Home page -> search "Tajikistan" -> the seed-style sample briefing -> a related briefing ->
back, an entity page -> back, the month archive. Asserts on what a reader sees. A screenshot
of the briefing page is kept in test-artifacts/ (git-ignored).

Needs /usr/bin/chromium (``make browser`` installs it); skipped with the reason when absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "test-artifacts"
SAMPLE_TITLE = "Tajikistan calls up 20,000 reservists to guard Afghan border as Taliban advance"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def site(sample_build: Path) -> Path:
    """The sample inbox ingested and built, strict (conftest.sample_build)."""
    return sample_build / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_reader_finds_the_sample_and_follows_its_links(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)  # CI machines are shared: assertions wait as long as actions
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(base_url)
    expect(page.locator("h1")).to_have_text("Latest briefings")

    # Search from the header box (Pagefind's UI on the search page shows the results).
    page.fill("#bp-search-input", "Tajikistan")
    page.press("#bp-search-input", "Enter")
    result = page.locator("#bp-results a.bp-result-link", has_text=SAMPLE_TITLE)
    expect(result).to_be_visible()
    result.click()

    expect(page.locator("h1")).to_have_text(SAMPLE_TITLE)
    briefing_url = page.url
    related = page.locator("h2:has-text('Related briefings') + ul > li")
    expect(related.first).to_contain_text("shares:")
    assert 1 <= related.count() <= 5
    expect(page.locator("article")).to_contain_text("More from July 2021")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "briefing-page.png"), full_page=True)

    # A related link opens that briefing.
    first = related.first.locator("a").first
    target_title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(target_title)
    assert page.url != briefing_url

    # An entity link (the country tag) opens the entity page, which lists the sample.
    page.goto(briefing_url)
    page.locator("article p:has(strong:text-is('Countries:')) a", has_text=re.compile(r"^Tajikistan$")).click()
    expect(page.locator("h1")).to_have_text("Tajikistan")
    expect(page.locator("article")).to_contain_text("Country")
    expect(page.locator("article a", has_text=SAMPLE_TITLE)).to_be_visible()

    # The body's first mention of an entity links to its page too (inline entity link).
    page.goto(briefing_url)
    inline = page.locator(".briefing-body a.entity-link").first
    expect(inline).to_be_visible()

    # The month archive lists the sample.
    page.locator("article a", has_text="More from July 2021").first.click()
    expect(page.locator("h1")).to_have_text("July 2021")
    expect(page.locator("article a", has_text=SAMPLE_TITLE)).to_be_visible()
    assert errors == [], errors
    page.close()



A11Y_IMPACTS = {"serious", "critical"}
"""axe-core impacts that fail the test (moderate/minor ones are best practice, not WCAG AA failures)."""


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind a reader meets: home, a briefing, an entity, a story, the timeline, search."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        assert found, f"no built page matches {pattern}"
        return "/" + found[0].parent.relative_to(site).as_posix() + "/"

    return {"home": "/", "briefing": first("briefings/*/*/*/index.html"), "entity": first("people/*/index.html"),
            "story": first("stories/*/index.html"), "timeline": "/timeline/", "search": "/search/?q=oil"}


def test_axe_finds_no_serious_accessibility_violation_on_any_page_kind(browser, site: Path,  # type: ignore[no-untyped-def]
                                                                        base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found: dict[str, list[str]] = {}
    for kind, path in page_kinds(site).items():
        page.goto(base_url.rstrip("/") + path)
        page.wait_for_load_state("networkidle")
        violations = axe.run(page).response["violations"]
        found[kind] = [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['target']}"
                       for v in violations if v["impact"] in A11Y_IMPACTS]
    page.close()
    assert all(not v for v in found.values()), found


def test_every_page_offers_its_feeds_for_discovery(browser, site: Path, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    kinds = page_kinds(site)
    feeds: dict[str, list[str]] = {}
    for kind in ("home", "briefing", "entity"):
        page.goto(base_url.rstrip("/") + kinds[kind])
        hrefs = page.eval_on_selector_all("link[rel=alternate][type='application/atom+xml']",
                                          "(els) => els.map(e => new URL(e.getAttribute('href'), location.href).pathname)")
        feeds[kind] = hrefs
        for href in hrefs:  # each discovered feed exists
            assert (site / href.lstrip("/")).is_file(), href
    page.close()
    assert feeds["home"] == ["/feeds/latest.xml"] and feeds["briefing"] == ["/feeds/latest.xml"]
    assert feeds["entity"][0].startswith("/feeds/people/") and feeds["entity"][1] == "/feeds/latest.xml"
