"""The benchmark's pure parts: inputs, edits, failure words, table and verdicts (no timing assertions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path, PurePosixPath

import pytest
import yaml

from build_tools.site import defaults
from quality import bench
from tests.conftest import require_shared


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def stories(n: int) -> list[bench.Story]:
    return [bench.Story(f"reut-{i}", f"STORY {i}", dt.datetime(1987, 3, 1 + i % 28, 10, 0),
                        [f"LONDON, Mar {1 + i % 28} - Lead {i}.", f"Second {i}.", f"Third {i}."]) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Inputs


@pytest.mark.corpus
def test_inputs_are_deterministic_and_derived_stories_are_new(tmp_path: Path) -> None:
    raw = require_shared("corpus", "reuters21578", "raw")
    first, second = tmp_path / "a", tmp_path / "b"
    assert bench.make_inputs(raw, 3010, first) == 3010
    bench.make_inputs(raw, 3010, second)
    assert digest(first) == digest(second)
    derived = sorted(first.glob("*-g1.txt"))
    assert len(derived) == 10
    for path in derived:
        original = first / path.name.replace("-g1", "")
        assert path.read_text("utf-8") != original.read_text("utf-8")
        assert path.read_text("utf-8").split("\n")[1][7:11] == "1988"  # moved one year on


def test_a_longer_run_starts_with_the_shorter_one_so_added_inputs_are_new() -> None:
    few = list(bench.input_texts(stories(5), 12))
    more = list(bench.input_texts(stories(5), 112))
    assert more[:12] == few
    added = more[12:]
    assert len(added) == 100
    assert not {name for name, _ in added} & {name for name, _ in few}
    assert len({name for name, _ in more}) == 112


def test_make_inputs_skip_writes_only_the_next_inputs(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for s in stories(4):
        (raw / f"{s.name}.txt").write_text(bench.story_text(s.title, s.stamp, s.paragraphs), "utf-8")
    assert bench.make_inputs(raw, 10, tmp_path / "all") == 10
    assert bench.make_inputs(raw, 10, tmp_path / "tail", skip=7) == 3
    tail = digest(tmp_path / "tail")
    assert tail == {name: h for name, h in digest(tmp_path / "all").items() if name in tail}


def test_no_stories_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(bench.BenchError, match="no Reuters stories found"):
        bench.make_inputs(tmp_path, 3, tmp_path / "out")


def test_story_round_trips_through_the_wire_format(tmp_path: Path) -> None:
    path = tmp_path / "reut-1.txt"
    path.write_text("OIL PRICES RISE\n26-FEB-1987 15:07:13.72\n\nLONDON, Feb 26 - Oil rose.\n"
                    "    Traders said so\nand more.\n Reuter\n", "utf-8")
    story = bench.read_story(path)
    assert story is not None
    assert story.title == "OIL PRICES RISE"
    assert story.paragraphs == ["LONDON, Feb 26 - Oil rose.", "Traders said so\nand more."]
    again = tmp_path / "reut-2.txt"
    again.write_text(bench.story_text(story.title, story.stamp, story.paragraphs), "utf-8")
    assert bench.read_story(again) == bench.Story("reut-2", story.title, story.stamp, story.paragraphs)


# ---------------------------------------------------------------------------------------------
# Editing a briefing as an editor would

BRIEFING = "---\nid: abc\ntitle: Old title\ndate: '1987-03-01'\ntags:\n- oil\n---\n\nBody: text.\n"


@pytest.mark.parametrize("title", ["Plain new title", "Oil: up # again", "yes", "--- leading dashes"],
                         ids=["plain", "colon-and-hash", "yes", "leading-dashes"])
def test_retitle_changes_only_the_title(title: str) -> None:
    out = bench.retitle(BRIEFING, title)
    front = yaml.safe_load(out.split("---\n")[1])
    assert front == {"id": "abc", "title": title, "date": "1987-03-01", "tags": ["oil"]}
    assert out.replace(out.split("\n")[2], "title: Old title") == BRIEFING


def test_retitle_replaces_a_folded_title() -> None:
    text = "---\nid: abc\ntitle: A very long\n  folded title\ndate: x\n---\nBody\n"
    assert bench.retitle(text, "Short") == "---\nid: abc\ntitle: Short\ndate: x\n---\nBody\n"


@pytest.mark.parametrize(("text", "message"), [
    ("no front matter\n", r"b\.md:1: no front matter"),
    ("---\nid: x\n", r"b\.md:1: front matter never closes"),
    ("---\nid: x\n---\n", r"b\.md: front matter has no 'title:'"),
], ids=["no-front-matter", "unclosed", "no-title"])
def test_retitle_refuses_what_it_cannot_edit(text: str, message: str) -> None:
    with pytest.raises(bench.BenchError, match=message):
        bench.retitle(text, "New", "b.md")


def test_page_url_is_mkdocs_directory_url() -> None:
    assert bench.page_url(PurePosixPath("2021/03/slug.md")) == "briefings/2021/03/slug/"
    assert bench.page_url(PurePosixPath("undated/x.md")) == "briefings/undated/x/"


def test_pick_spreads_distinct_briefings() -> None:
    paths = [PurePosixPath(f"1987/{i:02d}.md") for i in range(12, 0, -1)]
    assert bench.pick(paths, 3) == [PurePosixPath("1987/04.md"), PurePosixPath("1987/07.md"),
                                    PurePosixPath("1987/10.md")]
    assert len(set(bench.pick(paths[:4], 3))) == 3
    with pytest.raises(bench.BenchError, match="holds 2 briefings; the bench edits 3"):
        bench.pick(paths[:2], 3)


def test_briefing_files_skip_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "1987" / "03").mkdir(parents=True)
    (tmp_path / ".briefings-cache").mkdir()
    (tmp_path / "1987" / "03" / "a.md").write_text("x")
    (tmp_path / ".briefings-cache" / "b.md").write_text("x")
    assert bench.briefing_files(tmp_path) == [PurePosixPath("1987/03/a.md")]


def test_reset_docs_copies_only_hand_written_pages(tmp_path: Path) -> None:
    source = tmp_path / "docs"
    for rel in ("about.md", "editors/deploy.md", "index.md", "tags.md", "briefings/1987/a.md", "people/x.md"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text("x")
    bench.reset_docs(tmp_path / "copy", source)
    copied = sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*.md"))
    assert copied == sorted({"about.md", "editors/deploy.md", *(p for p in defaults.default_pages() if p.endswith(".md"))})
    assert (tmp_path / "copy" / "editors" / "deploy.md").read_text() == "x"  # the site's own page wins


# ---------------------------------------------------------------------------------------------
# Steps: what broke


@pytest.mark.parametrize(("returncode", "timed_out", "stderr", "expected"), [
    (None, True, "", "exceeded the step time limit (60 s) and was stopped"),
    (-9, False, "", "out of memory (killed, or an allocation failed)"),
    (1, False, "Traceback...\nMemoryError\n", "out of memory (killed, or an allocation failed)"),
    (1, False, "OSError: [Errno 24] Too many open files: 'x'", "too many open files (ulimit -n 1024)"),
    (1, False, "OSError: [Errno 28] No space left on device", "disk full or out of inodes (no space left on device)"),
    (1, False, "error: search index: Pagefind failed on site (exit 101): boom", "Pagefind error (exit 1)"),
    (-15, False, "", "killed by signal SIGTERM"),
    (2, False, "error: something else", "exit 2"),
], ids=["timeout", "sigkill", "memoryerror", "open-files", "disk", "pagefind", "signal", "other"])
def test_classify_failure(returncode: int | None, timed_out: bool, stderr: str, expected: str) -> None:
    assert bench.classify_failure(returncode, timed_out, stderr, 60, 1024) == expected


def test_a_failing_step_says_what_broke_with_its_last_lines(tmp_path: Path) -> None:
    code = "import sys; print('\\n'.join(f'line {i}' for i in range(20)), file=sys.stderr); raise MemoryError"
    step = bench.run_step("big step", [sys.executable, "-c", code], tmp_path, tmp_path / "logs", 60)
    assert step.status == "failed"
    assert step.problem == "out of memory (killed, or an allocation failed)"
    assert step.tail[-1] == "MemoryError"
    assert len(step.tail) == bench.TAIL_LINES
    assert (tmp_path / "logs" / "big-step.err").is_file()


def test_a_step_past_its_limit_is_stopped(tmp_path: Path) -> None:
    step = bench.run_step("slow", [sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, tmp_path, 0.5)
    assert (step.status, step.problem) == ("failed", "exceeded the step time limit (0 s) and was stopped")


def test_an_ingest_that_rejected_some_inputs_still_completed(tmp_path: Path) -> None:
    code = "import sys; print('ingest: 9 written, 1 rejected', file=sys.stderr); sys.exit(1)"
    step = bench.run_step("ingest", [sys.executable, "-c", code], tmp_path, tmp_path, 60, "ingest:", (0, 1))
    assert (step.status, step.summary) == ("ok", "ingest: 9 written, 1 rejected")
    crashed = bench.run_step("ingest", [sys.executable, "-c", "raise SystemExit(1)"], tmp_path, tmp_path, 60,
                             "ingest:", (0, 1))
    assert crashed.status == "failed"


def test_has_option_reads_argparse_help() -> None:
    text = "usage: briefings build [-h] [--briefings DIR] [--clean]\n  --clean   rebuild caches\n"
    assert bench.has_option(text, "--clean")
    assert not bench.has_option("usage: briefings build [--cleanup]", "--clean")


def test_combined_adds_times_and_keeps_the_first_break() -> None:
    a = bench.StepRun("add 100: ingest", seconds=2.0, peak_bytes=10, load=1.5)
    b = bench.StepRun("add 100: build", status="failed", seconds=3.0, peak_bytes=30, problem="exit 1", tail=["x"])
    both = bench.combined("add", [a, b])
    assert (both.status, both.seconds, both.peak_bytes, both.problem, both.tail, both.load) == \
        ("failed", 5.0, 30, "add 100: build: exit 1", ["x"], 1.5)
    assert bench.combined("add", [a, a]).ok


# ---------------------------------------------------------------------------------------------
# Report

MiB = 2**20


def size_result(**seconds: float) -> bench.SizeResult:
    """A 10,000 result whose named steps took the given seconds (everything else 1 s, 100 MiB)."""
    names = {"edit": bench.EDIT, "delete": bench.DELETE, "serve": bench.SERVE_EDIT, "add": bench.ADD,
             "noop": bench.NOOP, "full": bench.FULL, "bare": bench.BARE}
    steps = {n: bench.StepRun(n, seconds=1.0, peak_bytes=100 * MiB, load=2.0) for n in bench.STEP_ORDER}
    for key, value in seconds.items():
        steps[names[key]].seconds = value
    return bench.SizeResult(10_000, steps)


def test_verdicts_at_the_limits_pass() -> None:
    r = size_result(edit=3.0, delete=3.0, serve=2.0, add=20.0, noop=2.0, full=90.0, bare=90.0)
    r.steps[bench.FULL].peak_bytes = 2 * 2**30
    reuters = bench.StepRun("reuters ingest", seconds=12.0)
    found = bench.verdicts(r, reuters, 3000, 2)
    assert [v.passed for v in found] == [True] * 8
    assert found[5].text == ("full build 90.0 s = 1.00x the bare single-core `mkdocs build` (90.0 s) "
                             "(target <= 1x)")
    assert found[7].line() == "- PASS: ingest of the 3,000 Reuters stories: 250 articles/s on 2 cores (target >= 250)"


def test_verdicts_past_the_limits_fail() -> None:
    r = size_result(edit=3.1, delete=3.1, serve=2.1, add=20.1, noop=2.1, full=91.0, bare=90.0)
    r.steps[bench.FULL].peak_bytes = 2 * 2**30 + 1
    found = bench.verdicts(r, bench.StepRun("reuters ingest", seconds=12.1), 3000, 2)
    assert [v.passed for v in found] == [False] * 8
    assert found[0].line() == "- FAIL: one-briefing edit rebuild (title changed) 3.1 s (target <= 3 s)"


def test_a_broken_step_fails_its_verdict_with_what_broke() -> None:
    r = size_result()
    r.steps[bench.SERVE_EDIT] = bench.StepRun(bench.SERVE_EDIT, status="failed", seconds=1800.0,
                                              problem="exceeded the step time limit (1800 s) and was stopped")
    r.steps[bench.FULL] = bench.StepRun(bench.FULL, status="failed", problem="Pagefind error (exit 1)")
    found = bench.verdicts(r, None, 0, 2)
    assert len(found) == 7  # no Reuters ingest: no verdict for it
    assert found[2].line() == (
        "- FAIL: serve edit-to-visible: BROKE: exceeded the step time limit (1800 s) and was stopped (target <= 2 s)")
    assert found[5].line() == "- FAIL: full build vs bare mkdocs build: BROKE: Pagefind error (exit 1)"
    assert found[6].line() == ("- FAIL: full build peak memory 0 MiB (target <= 2,048 MiB); "
                               "BROKE: Pagefind error (exit 1)")
    assert [v.passed for v in found] == [True, True, False, True, True, False, False]


def test_size_table_rows() -> None:
    r = size_result(full=20.0, bare=10.0)
    r.steps[bench.INGEST].seconds = 4.0
    r.steps[bench.FULL].summary = "build: 10,000 briefings | x"
    r.steps[bench.DELETE] = bench.StepRun(bench.DELETE, status="wrong", seconds=2.5, peak_bytes=MiB, load=1.0,
                                          problem="the deleted briefing's page is still in the site (index.html)")
    r.steps[bench.ADD] = bench.skipped(bench.ADD, "the full build broke")
    rows = bench.size_table(r)
    assert rows[:2] == ["| step | wall time | / bare mkdocs | peak memory | load | outcome |",
                        "| --- | ---: | ---: | ---: | ---: | --- |"]
    assert rows[2] == "| ingest (10,000 inputs), 2500 articles/s | 4.0 s | 0.40x | 100 MiB | 2.0 |  |"
    assert rows[3] == "| full build | 20.0 s | 2.00x | 100 MiB | 2.0 | build: 10,000 briefings \\| x |"
    assert rows[4] == "| bare mkdocs build | 10.0 s | 1.00x | 100 MiB | 2.0 |  |"
    assert rows[7] == ("| one-briefing edit rebuild (briefing deleted) | 2.5 s |  | 1 MiB | 1.0 | WRONG: the deleted "
                       "briefing's page is still in the site (index.html) |")
    assert rows[10] == "| add 100 articles (ingest + build) | - |  | - | 0.0 | skipped: the full build broke |"
    assert len(rows) == 2 + len(bench.STEP_ORDER)


def test_first_break_names_the_first_broken_step_in_run_order() -> None:
    r = size_result()
    r.steps[bench.SERVE_START] = bench.StepRun(bench.SERVE_START, status="failed", problem="exit 1")
    r.steps[bench.FULL] = bench.StepRun(bench.FULL, status="failed", problem="too many open files (ulimit -n 1024)")
    assert bench.first_break(r, 8 * 2**30) == "First to break at 10,000: full build: too many open files (ulimit -n 1024)."
    assert bench.first_break(size_result(), 1000 * MiB) == (
        "Nothing broke at 10,000; closest limits: peak memory 100 MiB (10 % of RAM).")


def test_summary_line_is_the_last_matching_line() -> None:
    err = "build: early\nwarning: x\nbuild: 10 briefings, 0 pages changed\nadvice: y\n"
    assert bench.summary_line(err, "build:") == "build: 10 briefings, 0 pages changed"
    assert bench.summary_line(err, "ingest:") == ""


# ---------------------------------------------------------------------------------------------
# End to end (slow): a tiny archive through every step


@pytest.mark.corpus
@pytest.mark.slow
def test_a_tiny_benchmark_run_writes_its_report(tmp_path: Path) -> None:
    require_shared("corpus", "reuters21578", "raw")
    out = tmp_path / "RESULTS.md"
    assert bench.main(["--sizes", "20", "--no-reuters-ingest", "--no-search", "--work", str(tmp_path / "work"),
                       "--out", str(out), "--step-timeout", "600"]) == 0
    text = out.read_text("utf-8")
    assert "## 20 briefings" in text
    for name in bench.STEP_ORDER:
        assert f"| {name}" in text
    assert "BROKE" not in text and "WRONG" not in text
    assert "Machine: " in text
    assert "## Targets (issue 14), at 20 briefings" in text


def test_report_judges_10000_and_closes_with_the_plan() -> None:
    tools = bench.Tools(Path("briefings"), Path("mkdocs"), build_clean=True)
    run = bench.Run("python -m quality.bench", dt.datetime(2026, 12, 1, 9, 30), bench.Machine("2 cores", 2, 2**34),
                    "abc1234", tools, sizes=[bench.SizeResult(1000, size_result().steps), size_result()])
    text = bench.report(run)
    assert "(`briefings build --clean`)." in text
    assert "## Targets (issue 14), at 10,000 briefings\n\n- PASS: one-briefing edit rebuild" in text
    assert "indicative only" not in text
    assert ("## What breaks first, by size\n\n- Nothing broke at 1,000; closest limits: peak memory 100 MiB (1 % of RAM).\n"
            "- Nothing broke at 10,000;") in text
    assert text.endswith(f"## Past one machine\n\n{bench.PAST_ONE_MACHINE}\n")
    run.sizes = run.sizes[:1]
    assert "this run did not build that size, so these verdicts at 1,000 are indicative only" in bench.report(run)
