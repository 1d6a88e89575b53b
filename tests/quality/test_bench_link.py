"""quality/bench_link: each timed process links the archive it is given, the second time with the
tokens the first one kept, and names the links it made (the timing itself asserts nothing)."""

from __future__ import annotations

import re
from pathlib import Path

from quality.bench_link import timed_link
from tests.conftest import REPO


def test_a_timed_link_of_the_sample_archive_names_its_links(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.pickle"
    _, first = timed_link(REPO, None, tokens)
    assert tokens.stat().st_size > 0
    seconds, again = timed_link(REPO, None, tokens)
    assert seconds > 0 and again == first
    assert re.fullmatch(r"[0-9a-f]{64}", first)
