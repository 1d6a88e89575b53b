"""End to end: ingest the sample inbox into a temporary archive, build the site, read the HTML."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.errors import BriefingsError
from tests.conftest import INBOX, REPO

SEED_STYLE_TITLE = "Tajikistan calls up 20,000 reservists to guard Afghan border as Taliban advance"
MAX_PAGE_BYTES = 100 * 1024


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    ingest = run("ingest", str(INBOX), "--briefings", str(root / "briefings"))
    assert ingest.returncode == 0, ingest.stderr
    build = run("build", "--briefings", str(root / "briefings"), "--docs", str(root / "docs"),
                "--site", str(root / "site"), "--strict")
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr
    return root


def seed_style_page(site: Path) -> Path:
    for page in sorted((site / "briefings").rglob("index.html")):
        if re.search(r"<h1[^>]*>" + re.escape(SEED_STYLE_TITLE), page.read_text("utf-8")):
            return page
    raise AssertionError("the seed-style sample briefing has no page")


def test_briefing_page_shows_title_date_and_tags(built: Path) -> None:
    html = seed_style_page(built / "site").read_text("utf-8")
    assert "<h1" in html and SEED_STYLE_TITLE in html
    assert "23 July 2021, 18:12" in html
    assert re.search(r'<a href="[^"]*countries/tajikistan/"[^>]*>Tajikistan</a>', html)


def test_home_page_links_the_briefing(built: Path) -> None:
    page = seed_style_page(built / "site")
    url = page.parent.relative_to(built / "site").as_posix() + "/"
    home = (built / "site" / "index.html").read_text("utf-8")
    assert f'href="{url}"' in home


def test_search_index_contains_the_briefing(built: Path) -> None:
    site = built / "site"
    pagefind = site / "assets" / "pagefind"
    if pagefind.is_dir():
        assert any(pagefind.glob("*/pagefind-entry.json")) and (pagefind / "shards.json").is_file()
        return
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert any(SEED_STYLE_TITLE in doc["title"] for doc in index["docs"])


def test_no_page_is_over_100_kb(built: Path) -> None:
    sizes = {p: p.stat().st_size for p in (built / "site").rglob("*.html")}
    assert sizes
    biggest = max(sizes, key=sizes.__getitem__)
    assert sizes[biggest] <= MAX_PAGE_BYTES, biggest


def test_reingest_changes_nothing(built: Path) -> None:
    before = {p: p.read_bytes() for p in (built / "briefings").rglob("*.md")}
    again = run("ingest", str(INBOX), "--briefings", str(built / "briefings"))
    assert again.returncode == 0, again.stderr
    assert " 0 written" in again.stderr
    assert {p: p.read_bytes() for p in (built / "briefings").rglob("*.md")} == before


def test_committed_briefings_are_what_ingest_writes(tmp_path: Path) -> None:
    """`make site` must leave `git status` clean: the committed archive is the inbox's ingest."""
    copy = tmp_path / "briefings"
    shutil.copytree(REPO / "briefings", copy, ignore=shutil.ignore_patterns(".*"))
    before = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*.md")}
    result = run("ingest", str(INBOX), "--briefings", str(copy))
    assert result.returncode == 0, result.stderr
    after = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*.md")}
    assert after == before, "regenerate with: rm -rf briefings && make site"


def test_trusted_html_is_off_by_default_and_only_for_editors_briefings(tmp_path: Path) -> None:
    from build_tools.model import Briefing, Origin
    from build_tools.site.config import SiteOptions, read_options
    from build_tools.site.pages import body_block

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    assert read_options(config) == SiteOptions(trusted_html=False)
    config.write_text("site_name: x\nextra:\n  briefings:\n    trusted_html: true\n", encoding="utf-8")
    assert read_options(config).trusted_html is True
    raw = '<span class="chart" onclick="x()">data</span>'
    editors = Briefing(path=Path("2021/07/a.md"), id="a", title="A", date=None, body=raw)
    ingested = Briefing(path=Path("2021/07/b.md"), id="b", title="B", date=None, body=raw,
                        origins=[Origin("b.txt", input_hash="ab")])
    assert "onclick" in body_block(editors, "briefings/2021/07/a.md", trusted_html=True)
    assert "onclick" not in body_block(editors, "briefings/2021/07/a.md", trusted_html=False)
    assert "onclick" not in body_block(ingested, "briefings/2021/07/b.md", trusted_html=True)


# --- paths: relative to the current folder; a config elsewhere finds its docs, site and vocabulary ---

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the site (mkdocs.yml, hand-written docs, a vocabulary; the theme is the package's) in
    ``tmp_path/project``, the golden briefings in ``tmp_path/briefings``, and an empty
    ``tmp_path/elsewhere`` to run from."""
    from build_tools.build import stage_docs

    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(GOLDEN / "vocabulary", root / "vocabulary")
    stage_docs(REPO / "docs", root / "docs")
    shutil.copytree(GOLDEN / "briefings", tmp_path / "briefings")
    (tmp_path / "elsewhere").mkdir()
    return root


def test_relative_paths_are_relative_to_the_current_folder(project: Path) -> None:
    elsewhere = project.parent / "elsewhere"
    result = run("build", "--config", str(project / "mkdocs.yml"), "--briefings", "../briefings",
                 "--docs", "docs", "--site", "site", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr and " 0 warnings" in result.stderr  # vocabulary beside the config
    assert (elsewhere / "docs" / "index.md").is_file()
    assert (elsewhere / "site" / "index.html").is_file()
    assert (elsewhere / "site" / "assets" / "pagefind" / "shards.json").is_file()
    assert not (project / "site").exists()
    assert not (project / "docs" / "index.md").exists()


def test_a_config_elsewhere_keeps_its_docs_and_site_beside_it(project: Path) -> None:
    elsewhere = project.parent / "elsewhere"
    result = run("build", "--config", "../project/mkdocs.yml", "--briefings", "../briefings", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (project / "docs" / "index.md").is_file()
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "assets" / "pagefind" / "shards.json").is_file()
    assert list(elsewhere.iterdir()) == []



def file_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_content_are_byte_identical(project: Path) -> None:
    elsewhere = project.parent / "elsewhere"
    for n in ("1", "2"):
        result = run("build", "--config", str(project / "mkdocs.yml"), "--briefings", "../briefings",
                     "--docs", f"docs{n}", "--site", f"site{n}", "--strict", cwd=elsewhere)
        assert result.returncode == 0, result.stderr
    first, second = file_hashes(elsewhere / "site1"), file_hashes(elsewhere / "site2")
    assert any(name.startswith("assets/pagefind/") and "/filter/" in name for name in first)
    assert {k for k in first if first[k] != second.get(k)} | (set(second) - set(first)) == set()
    assert file_hashes(elsewhere / "docs1") == file_hashes(elsewhere / "docs2")


def test_the_sitemap_is_dated_by_the_newest_briefing_not_the_build_day(project: Path) -> None:
    """MkDocs dates every sitemap entry with the build day: a rebuild tomorrow would change the site."""
    import datetime as dt

    from build_tools.store.archive import load_archive

    elsewhere = project.parent / "elsewhere"
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://archive.example/\n" + config.read_text("utf-8"), "utf-8")  # URLs, dates
    result = run("build", "--config", str(config), "--briefings", "../briefings",
                 "--docs", "docs", "--site", "site", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    stamps = [d for b in load_archive(project.parent / "briefings").briefings for d in (b.date, b.updated) if d]
    newest = dt.datetime.fromtimestamp(int(max(d.timestamp() for d in stamps)), dt.UTC).date()
    assert newest != dt.date.today()
    sitemap = (elsewhere / "site" / "sitemap.xml").read_text("utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {newest.isoformat()}


def test_a_briefing_dated_at_the_end_of_time_still_dates_the_site(tmp_path: Path) -> None:
    from build_tools.build import LATEST_BUILD_TIME, BuildReport, generate

    briefings = tmp_path / "briefings"
    briefings.mkdir()
    (briefings / "a.md").write_text("---\nid: a1\ntitle: Late\ndate: 9999-12-31T23:00:00-05:00\n---\nBody.\n",
                                    encoding="utf-8")
    report = BuildReport()
    generate(briefings, tmp_path / "docs", report)
    assert report.briefings == 1
    assert report.content_time == LATEST_BUILD_TIME


@pytest.mark.parametrize(("extra", "expected"), [
    ("", None),
    ("extra:\n  briefings:\n    search_shard_pages: 500\n", 500),
])
def test_search_shards_are_an_option_off_by_default(tmp_path: Path, extra: str, expected: int | None) -> None:
    from build_tools.site.config import read_options

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n" + extra, "utf-8")
    assert read_options(config).search_shard_pages == expected


@pytest.mark.parametrize("value", ["many", "0", "true", "-5"])
def test_a_bad_shard_size_is_one_line_naming_the_key(tmp_path: Path, value: str) -> None:
    from build_tools.site.config import read_options

    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nextra:\n  briefings:\n    search_shard_pages: {value}\n", "utf-8")
    with pytest.raises(BriefingsError, match="extra.briefings.search_shard_pages must be a number of pages"):
        read_options(config)


def test_the_parse_cache_is_written_only_when_a_parse_or_a_stamp_changed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A no-op build leaves ``parsed.pickle`` as it is (it holds every briefing: rewriting it is most
    of what a no-op would write); an edited briefing is parsed again and the file follows."""
    from build_tools import build as buildmod
    from build_tools.store import build_cache, stamps

    monkeypatch.setattr(stamps, "RACY_SECONDS", 0.0)  # every stamp trusted at once: no re-read
    briefings = tmp_path / "briefings"
    shutil.copytree(REPO / "briefings", briefings, ignore=shutil.ignore_patterns(".briefings-cache"))
    parsed = build_cache.build_cache_dir(briefings) / buildmod.PARSED_FILE

    def generate() -> int:
        buildmod.generate(briefings, tmp_path / "docs", buildmod.BuildReport(), vocabulary_dir=REPO / "vocabulary")
        return parsed.stat().st_mtime_ns

    first = generate()
    assert generate() == first
    target = sorted(briefings.rglob("*.md"))[0]
    target.write_text(target.read_text("utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")
    assert generate() != first
    assert any(p.briefing is not None and p.briefing.title.startswith("Edited ")
               for p in build_cache.load(parsed).values())
