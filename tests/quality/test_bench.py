"""The benchmark: its inputs are deterministic, and a tiny run completes (no timing assertions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from quality import bench
from tests.conftest import require_shared


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


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


@pytest.mark.corpus
@pytest.mark.slow
def test_a_tiny_benchmark_run_writes_its_report(tmp_path: Path) -> None:
    require_shared("corpus", "reuters21578", "raw")
    out = tmp_path / "RESULTS.md"
    assert bench.main(["--sizes", "50", "--no-reuters-ingest", "--work", str(tmp_path / "work"), "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "## 50 briefings" in text
    assert "| no-op rebuild | 0 generated pages rewritten" in text
    assert "full build / bare MkDocs" in text
    assert "Machine: " in text
