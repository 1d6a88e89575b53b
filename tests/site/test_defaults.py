"""The package's theme and default pages: used by any archive, overridden file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.build import build
from build_tools.scaffold import Options, scaffold
from build_tools.site import defaults
from tests.conftest import INBOX


def test_every_default_page_ships_in_the_package() -> None:
    pages = list(defaults.default_pages())
    assert {"editors/index.md", "editors/front-matter.md", "search.md", "assets/briefings.css"} <= set(pages)
    assert (defaults.OVERRIDES / "main.html").is_file() and (defaults.OVERRIDES / "pagefind.html").is_file()


@pytest.mark.slow
def test_an_archive_overrides_a_page_and_a_template_and_keeps_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "a"
    scaffold(root, Options())
    (root / "docs" / "editors").mkdir()
    (root / "docs" / "editors" / "index.md").write_text("# Our own guide\n\nHouse rules.\n", "utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: theme\n"),
                      "utf-8")
    (root / "theme").mkdir()
    (root / "theme" / "main.html").write_text('{% extends "base.html" %}\n'
                                              '{% block extrahead %}<meta name="our-own-main">{% endblock %}\n', "utf-8")
    briefing = next(INBOX.glob("meridian-*.txt"))
    from build_tools.ingest import ingest

    ingest([briefing], root / "briefings", None)
    report = build(root / "briefings", root / "site", config, strict=True)
    assert not report.errors and not report.warnings, report.errors + report.warnings
    site = root / "site"
    assert "House rules." in (site / "editors" / "index.html").read_text("utf-8")  # the archive's page
    assert (site / "editors" / "front-matter" / "index.html").is_file()  # the package's pages for the rest
    assert "our-own-main" in (site / "index.html").read_text("utf-8")  # the archive's template
    assert (site / "assets" / "javascripts" / "search-box.js").is_file()  # the package's other theme files
    assert "search-page.js" in (site / "search" / "index.html").read_text("utf-8")  # pagefind.html
