"""Golden files: every generated page of a small fixed archive, compared file by file with the
committed copy in tests/golden/docs/. After an intended change: review the diff, then run
``make golden`` (or ``.venv/bin/python -m tests.golden --update``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import golden
from tests.conftest import REPO


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    pages, report = golden.fresh()
    assert (report.errors, report.warnings) == ([], []), "the golden archive must build without a problem"
    return pages


def test_generated_pages_match_the_golden_files(generated: dict[str, str]) -> None:
    differences = golden.compare(golden.read_tree(golden.DOCS), generated)
    if differences:
        pytest.fail(differences.report(), pytrace=False)


def test_generation_elsewhere_is_the_same_and_names_no_local_path(tmp_path: Path, generated: dict[str, str]) -> None:
    golden.generate_pages(tmp_path / "elsewhere" / "docs")
    again = golden.read_tree(tmp_path / "elsewhere" / "docs")
    assert again == generated
    for path, text in again.items():
        for local in (str(tmp_path), str(REPO), str(Path.home())):
            assert local not in text, f"{path} names the local path {local}"


def test_golden_check_passes_under_another_hash_seed() -> None:
    """Set and dict order must not leak into pages: the command-line check, with a fixed seed."""
    done = subprocess.run([sys.executable, "-m", "tests.golden"], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"golden: {len(golden.read_tree(golden.DOCS))} generated pages match ")


# --- the fixture archive covers what it is meant to ---------------------------------------------

@pytest.mark.parametrize(("page", "expected"), [
    ("stories/index.md", "(4 briefings)"),
    ("timeline/undated.md", "[The Tajik-Afghan border, explained]"),
    ("briefings/2021/10/gas-prices-europes-number-one-headache.md",
     "# Gas prices: Europe's \\#1 political headache as EU leaders meet in Brussels\n"),
    ("briefings/2021/10/gas-prices-europes-number-one-headache.md", "*chosen by the editors*"),
    ("briefings/2021/08/refugee-agency-warns-of-afghan-exodus-into-tajikistan.md",
     "- Wire, 17 August 2021, 09:00 (UTC+00:00) (first published)\n"
     "- [The Continental Post](<https://continental.example/world/afghan-exodus>), 17 August 2021, 13:30 (UTC+00:00)\n"
     "- Asia Desk Today, 18 August 2021, 07:00 (UTC+00:00)\n"),
    ("briefings/2021/07/tajikistan-calls-up-reservists-to-guard-afghan-border.md", "## Mentioned in"),
    ("people/joe-biden.md", "Person · [United States](../countries/united-states.md) · 2 briefings"),
], ids=["story-of-four", "undated", "title-with-colon-and-hash", "related-pin", "near-duplicate-origins",
        "backlink", "person-implies-country"])
def test_golden_archive_covers(page: str, expected: str) -> None:
    assert expected in (golden.DOCS / page).read_text("utf-8")


def test_related_exclude_is_honoured() -> None:
    opec = (golden.DOCS / "briefings/2021/11/opec-rebuffs-call-for-more-oil.md").read_text("utf-8")
    reserve = (golden.DOCS / "briefings/2021/11/biden-weighs-oil-reserve-release.md").read_text("utf-8")
    assert "biden-weighs-oil-reserve-release.md" not in opec.split("## Related briefings")[1].split("---")[0]
    assert "opec-rebuffs-call-for-more-oil.md) · 04 Nov 2021 · *shares:" in reserve


# --- the comparison and the update command --------------------------------------------------------

def test_comparison_reports_missing_extra_and_differing_files_with_diffs() -> None:
    committed = {"a.md": "one\ntwo\n", "gone.md": "old\n", "same.md": "x\n"}
    generated = {"a.md": "one\nTWO\n", "new.md": "fresh\n", "same.md": "x\n"}
    differences = golden.compare(committed, generated)
    assert (differences.missing, differences.extra, differences.differing) == (["gone.md"], ["new.md"], ["a.md"])
    assert differences.report().splitlines() == [
        "generated pages vs tests/golden/docs/: 1 missing, 1 extra, 1 differing",
        "missing: gone.md is committed but no longer generated",
        "--- a/gone.md", "+++ /dev/null", "@@ -1 +0,0 @@", "-old",
        "extra: new.md is generated but not committed",
        "--- /dev/null", "+++ b/new.md", "@@ -0,0 +1 @@", "+fresh",
        "differing: a.md differs from the committed page",
        "--- a/a.md", "+++ b/a.md", "@@ -1,2 +1,2 @@", " one", "-two", "+TWO",
        f"Review the diff, then run: {golden.UPDATE_COMMAND}",
    ]
    assert not golden.compare(generated, generated)


def test_report_cuts_long_diffs_and_many_files() -> None:
    committed = {f"p{n}.md": "a\n" * 100 for n in range(golden.FILES_DIFFED + 2)}
    generated = {p: "b\n" * 100 for p in committed}
    report = golden.compare(committed, generated).report().splitlines()
    assert report.count(f"... ({200 + 3 - golden.DIFF_LINES} more diff lines)") == golden.FILES_DIFFED
    assert sum(line.startswith("differing: ") for line in report) == golden.FILES_DIFFED + 2
    assert report[-2] == (f"(diffs of the first {golden.FILES_DIFFED} files only; "
                          "python -m tests.golden shows them all)")


def test_update_makes_the_folder_hold_exactly_the_generated_pages(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "stale" / "deep").mkdir(parents=True)
    (docs / "stale" / "deep" / "old.md").write_text("old\n")
    (docs / "a.md").write_text("before\n")
    generated = {"a.md": "after\n", "b/c.md": "new\n"}
    changes = golden.update(generated, docs)
    assert (changes.missing, changes.extra, changes.differing) == (["stale/deep/old.md"], ["b/c.md"], ["a.md"])
    assert golden.read_tree(docs) == generated
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["a.md", "b", "b/c.md"]
