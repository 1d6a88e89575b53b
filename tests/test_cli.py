"""The CLI contract other work relies on: commands, output records, exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools import cli
from tests.conftest import INBOX, REPO, require_shared

RECORD_KEYS = {"source", "id", "title", "date", "updated", "author", "outlet", "section", "summary", "body",
               "language", "image_credit", "sources", "tags"}
TAG_KEYS = {"countries", "places", "people", "organizations", "topics"}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("ingest", "extract", "build", "serve", "check"):
        assert command in result.stdout


def test_no_command_is_a_usage_error() -> None:
    assert run().returncode == 2


def test_unknown_option_is_a_usage_error() -> None:
    result = run("ingest", "--no-such-option", "x")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_extract_prints_the_documented_record(tmp_path: Path) -> None:
    sample = INBOX / "meridian-tajikistan-border-troops.txt"
    result = run("extract", str(sample), "--format", "json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert RECORD_KEYS <= set(record)
    assert set(record["tags"]) == TAG_KEYS
    assert record["title"].startswith("Tajikistan calls up")
    assert record["date"].startswith("2021-07-23T18:12:00+05:30")
    assert "\n\n" in record["body"]
    assert list(tmp_path.iterdir()) == []  # extract writes nothing


def test_extract_jsonl_reports_rejected_inputs_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    good = INBOX / "meridian-tajikistan-border-troops.txt"
    (tmp_path / "b_good.txt").write_bytes(good.read_bytes())
    result = run("extract", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(str(rec["source"])).name for rec in lines] == ["a_empty.txt", "b_good.txt"]
    assert "error" in lines[0] and "empty" in str(lines[0]["error"])
    assert lines[1]["title"]


def test_ingest_exit_codes_and_messages(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_bytes((INBOX / "meridian-tajikistan-border-troops.txt").read_bytes())
    out = tmp_path / "briefings"
    first = run("ingest", str(inbox), "--briefings", str(out))
    assert first.returncode == 0, first.stderr
    assert "1 written" in first.stderr
    (inbox / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    second = run("ingest", str(inbox), "--briefings", str(out))
    assert second.returncode == 1
    assert "broken.txt" in second.stderr and "not text" in second.stderr
    assert "0 written, 0 unchanged, 1 already in the archive" in second.stderr
    assert "Traceback" not in second.stderr


def test_check_reports_file_and_line(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    out.mkdir()
    (out / "bad.md").write_text("---\nid: x1\ntitle: Fine\ncountries: Russia\n---\nBody.\n", encoding="utf-8")
    result = run("check", "--briefings", str(out))
    assert result.returncode == 1
    assert "bad.md:4:" in result.stderr
    assert "flat list" in result.stderr


def test_check_reports_a_bad_thread_choice_with_file_and_line(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    out.mkdir()
    (out / "a.md").write_text("---\nid: a1\ntitle: Talks resume\ndate: '2021-07-01T10:00:00+00:00'\n"
                              "thread: nosuchid\n---\nBody.\n", encoding="utf-8")
    (out / "b.md").write_text("---\nid: b1\ntitle: Talks end\nthread: no\n---\nBody.\n", encoding="utf-8")
    result = run("check", "--briefings", str(out))
    assert result.returncode == 1
    assert "a.md:5: thread 'nosuchid' is not the id of any briefing" in result.stderr
    assert "b.md:4: 'thread' is" in result.stderr and "briefing id, `none` or null" in result.stderr


@pytest.mark.corpus
def test_seed_extract_matches_truth() -> None:
    seed = require_shared("corpus", "seed")
    truth = json.loads((seed / "truth" / "000_f6c71d6e3319c2d1.json").read_text("utf-8"))
    result = run("extract", str(seed / "raw" / "000_f6c71d6e3319c2d1.txt"), "--format", "json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    for field in truth["truth_fields"]:
        assert record[field] == truth[field], field
    for fragment in truth["body_must_not_contain"]:
        assert fragment not in record["body"]


def test_build_strict_stops_on_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    out.mkdir()
    (out / "a.md").write_text("---\nid: a1\ntitle: Fine\nmystery_key: 1\n---\nBody text.\n", encoding="utf-8")
    args = ("build", "--briefings", str(out), "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site"))
    lenient = run(*args)
    assert lenient.returncode == 0, lenient.stderr
    assert "unknown key 'mystery_key'" in lenient.stderr
    strict = run(*args, "--strict")
    assert strict.returncode == 1
    assert "stopped (--strict)" in strict.stderr


# --- mkdocs.yml: a broken or missing configuration is one clear line, never a traceback ------------

BROKEN_CONFIGS = {
    "tab": ("site_name: x\ntheme:\n\tname: material\n", "mkdocs.yml:3: tabs cannot indent YAML; use spaces"),
    "bad-indentation": ("site_name: x\ntheme:\n  name: material\n font: false\n",
                        "mkdocs.yml:4: this line is not lined up with the lines above it; indent it with spaces "
                        "like the key or list item it belongs beside"),
    "indented-too-deep": ("site_name: x\ntheme:\n  name: material\n    font: false\n",
                          "mkdocs.yml:4: this key is indented deeper than the key above it; line it up with the "
                          "keys above it"),
    "unclosed-quote": ("site_name: 'Briefing Archive\ntheme:\n  name: material\n",
                       "mkdocs.yml:1: the quote (') opened here is never closed; close it at the end of the value "
                       "or remove it"),
    "unclosed-list": ("site_name: x\nextra_css: [a.css\ntheme:\n  name: material\n",
                      "mkdocs.yml:2: the [ opened here is never closed (or its items lack commas); close the list "
                      "with ], separate items with ', ', or put the whole value in quotes if the bracket is part "
                      "of the text"),
}
MISSING_CONFIG = "mkdocs.yml: no MkDocs configuration here; run from the archive's folder or pass --config"
EMPTY_CHECK = "check: 0 briefings valid, 1 errors, 0 warnings"
NO_CONFIG_WARNING = ("warning: mkdocs.yml: no site configuration here, so only the briefings are checked; run from "
                     "the archive's folder or pass --config FILE to check the site's too\n")


def run_in(folder: Path, *argv: str) -> tuple[int, str]:
    """``briefings ARGV`` in-process from ``folder`` (which holds an empty briefings/ and vocabulary/):
    exit code, stderr."""
    (folder / "briefings").mkdir(exist_ok=True)
    (folder / "vocabulary").mkdir(exist_ok=True)
    err, cwd = io.StringIO(), os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stderr(err):
            code = cli.main(["-q", *argv])
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


@pytest.mark.parametrize("command", ["build", "serve", "check"])
@pytest.mark.parametrize("case", list(BROKEN_CONFIGS), ids=list(BROKEN_CONFIGS))
def test_broken_mkdocs_yml_is_one_line_with_its_line_and_fix(tmp_path: Path, command: str, case: str) -> None:
    text, message = BROKEN_CONFIGS[case]
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    code, stderr = run_in(tmp_path, command)
    assert code == 1
    assert stderr == f"error: {message}\n" + (f"{EMPTY_CHECK}\n" if command == "check" else "")


@pytest.mark.parametrize("command", ["build", "serve"])
def test_missing_mkdocs_yml_is_one_line(tmp_path: Path, command: str) -> None:
    code, stderr = run_in(tmp_path, command)
    assert code == 1
    assert stderr == f"error: {MISSING_CONFIG}\n"


def test_check_without_mkdocs_yml_checks_the_briefings_alone_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "a.md").write_text("---\nid: a1\ntitle: Fine\n---\nBody.\n", encoding="utf-8")
    assert run_in(tmp_path, "check") == (0, NO_CONFIG_WARNING + "check: 1 briefings valid, 0 errors, 1 warnings\n")
    assert run_in(tmp_path, "check", "--strict")[0] == 1


def test_check_with_a_missing_config_given_is_an_error(tmp_path: Path) -> None:
    code, stderr = run_in(tmp_path, "check", "--config", "site.yml")
    assert code == 1
    assert stderr.startswith("error: site.yml: no MkDocs configuration here")


def test_check_accepts_python_tags_in_mkdocs_yml(tmp_path: Path) -> None:
    """Material's emoji settings name Python objects (``!!python/name:``); MkDocs' loader accepts them."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", encoding="utf-8")
    assert run_in(tmp_path, "check") == (0, "check: 0 briefings valid, 0 errors, 0 warnings\n")


def test_broken_mkdocs_yml_from_the_command_line_is_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(BROKEN_CONFIGS["tab"][0], encoding="utf-8")
    result = run("build", "--config", "site.yml", "--briefings", str(tmp_path / "briefings"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "error: " + BROKEN_CONFIGS["tab"][1].replace("mkdocs.yml", "site.yml") + "\n"


# --- where things are: paths relative to the current folder, the vocabulary beside mkdocs.yml ------

SAMPLE = INBOX / "meridian-tajikistan-border-troops.txt"
NO_VOCABULARY = ("warning: no vocabulary: no mkdocs.yml here to find it beside, and no vocabulary folder; tags "
                 "and countries come from the gazetteers alone, so people and organisations only the vocabulary "
                 "knows are missed. Run from the archive's folder, or pass --vocabulary DIR or --config FILE")


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_outside_the_archive_no_vocabulary_is_a_warning(tmp_path: Path, command: str) -> None:
    extra = ("--briefings", str(tmp_path / "out")) if command == "ingest" else ()
    result = run(command, str(SAMPLE), *extra, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(NO_VOCABULARY + "\n")


@pytest.mark.parametrize("where", [("--config", str(REPO / "mkdocs.yml")), ("--vocabulary", str(REPO / "vocabulary"))],
                         ids=["beside-config", "given"])
def test_outside_the_archive_the_vocabulary_is_found_beside_the_config_or_given(tmp_path: Path,
                                                                              where: tuple[str, str]) -> None:
    inside = run("extract", str(SAMPLE))
    outside = run("extract", str(SAMPLE), *where, cwd=tmp_path)
    assert outside.returncode == 0, outside.stderr
    assert "warning" not in outside.stderr
    assert json.loads(outside.stdout)["tags"] == json.loads(inside.stdout)["tags"]


def test_a_vocabulary_given_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = run("extract", str(SAMPLE), "--vocabulary", "vocabularly", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: vocabularly: no such vocabulary folder (--vocabulary); pass the folder")
    assert result.stdout == ""


def test_build_of_a_missing_briefings_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", "--briefings", str(tmp_path / "missing"), "--docs", str(tmp_path / "docs"),
                 "--site", str(tmp_path / "site"))
    assert result.returncode == 1
    assert result.stderr == (f"error: {tmp_path / 'missing'}: no such briefings folder; pass --briefings DIR with "
                             "the folder 'briefings ingest' writes to, or run from the archive's folder\n")
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def test_build_of_an_empty_briefings_folder_warns_and_builds_the_site_without_search(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    args = ("build", "--briefings", str(tmp_path / "empty"), "--docs", str(tmp_path / "docs"),
            "--site", str(tmp_path / "site"))
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert f"warning: {tmp_path / 'empty'}: no briefings in this folder; the site is built" in result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "assets" / "pagefind").exists()
    assert run(*args, "--strict").returncode == 1


MORE_BROKEN_CONFIGS = {
    "not-a-mapping": ("- site_name\n- theme\n",
                      "mkdocs.yml:1: the file must hold 'key: value' settings, like site_name: My archive; write it "
                      "as MkDocs' configuration reference shows"),
    "no-site-name": ("theme:\n  name: material\n",
                     "mkdocs.yml: 'site_name': Required configuration not provided; fix it (see MkDocs' "
                     "configuration reference)"),
    "unknown-theme": ("site_name: x\ntheme:\n  name: no-such-theme\n",
                      "mkdocs.yml:2: 'theme': Unrecognised theme name: 'no-such-theme'. The available installed "
                      "themes are: mkdocs, readthedocs, material; fix it (see MkDocs' configuration reference)"),
    "python-name-not-found": ("site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                              "      emoji_index: !!python/name:no_such_module.twemoji\n",
                              "mkdocs.yml:4: cannot find module 'no_such_module' (No module named 'no_such_module') "
                              "(while constructing a Python object); install the package that provides it or "
                              "correct the name"),
}


@pytest.mark.parametrize("command", ["build", "serve", "check"])
@pytest.mark.parametrize("case", list(MORE_BROKEN_CONFIGS), ids=list(MORE_BROKEN_CONFIGS))
def test_mkdocs_yml_mkdocs_refuses_is_one_line_from_every_command(tmp_path: Path, command: str, case: str) -> None:
    """YAML that parses but MkDocs refuses (not a mapping, no site_name, unknown theme, a Python
    name that does not import) is the same one line from check, build and serve: never a traceback."""
    text, message = MORE_BROKEN_CONFIGS[case]
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    code, stderr = run_in(tmp_path, command)
    assert code == 1
    assert stderr == f"error: {message}\n" + (f"{EMPTY_CHECK}\n" if command == "check" else "")


def test_check_build_and_serve_report_the_same_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One function finds the problems (build.gather): the three commands print the same lines."""
    from build_tools.site.preview import PreviewServer

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    briefings = tmp_path / "briefings"
    briefings.mkdir()
    (briefings / "a.md").write_text("---\nid: a1\ntitle: Fine\nautor: X\nrelated_pin: [nope]\n"
                                    "people: [Zebediah Quux]\n---\nBody text.\n", encoding="utf-8")
    (briefings / "b.md").write_text("---\nid: b2\ntitle: 12345\n---\nBody text.\n", encoding="utf-8")
    monkeypatch.setattr(PreviewServer, "run", PreviewServer._rebuild)  # serve's first build, then stop
    said = {}
    for command in ("check", "build", "serve"):
        _code, stderr = run_in(tmp_path, command, "--docs", str(tmp_path / f"docs-{command}")) \
            if command != "check" else run_in(tmp_path, command)
        said[command] = [line.removesuffix(" (not published)") for line in stderr.splitlines()
                         if line.startswith(("error:", "warning:", "note:"))]
    assert said["check"] == said["build"] == said["serve"]
    assert [line.split(":", 1)[0] for line in said["check"]] == ["error", "warning", "warning", "note"]
    assert "b.md:3: 'title' is read as a number" in said["check"][0]
    assert "unknown key 'autor': did you mean 'author'?" in said["check"][1]
    assert "related_pin 'nope'" in said["check"][2]
