"""The archive: every briefing loaded safely; bad ones reported and left off the site."""

from __future__ import annotations

import os
from pathlib import Path

from build_tools.store.archive import load_archive

GOOD = "---\nid: {id}\ntitle: Title {id}\n---\n\nBody.\n"


def test_bad_briefings_are_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    (root / "2021").mkdir(parents=True)
    (root / "2021" / "good.md").write_text(GOOD.format(id="a1"))
    (root / "2021" / "twin.md").write_text(GOOD.format(id="a1"))
    (root / "broken.md").write_text("---\ntitle: 'x\n---\n")
    (root / "bad name.md").write_text(GOOD.format(id="b2"))
    (root / "latin1.md").write_bytes("---\nid: c3\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    (root / ".hidden.md").write_text(GOOD.format(id="d4"))
    os.mkfifo(root / "fifo.md")
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD.format(id="e5"))
    (root / "link.md").symlink_to(outside)
    archive = load_archive(root)
    assert [b.id for b in archive.briefings] == ["a1"]
    joined = "\n".join(archive.errors)
    for fragment in ("twin.md: id 'a1' is also used", "broken.md:2: the quote (') opened here is never closed",
                     "bad name.md: the file name is not a web-safe slug", "latin1.md:3: byte 0xe9 is not UTF-8",
                     "fifo.md: is not a regular file", "link.md: is a symbolic link pointing outside"):
        assert fragment in joined, joined
    assert ".hidden" not in joined


def test_names_in_messages_are_escaped(tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    root.mkdir()
    (root / "evil\x1b[31m\nname.md").write_text(GOOD.format(id="a1"))
    (error,) = load_archive(root).errors
    assert "\x1b" not in error and "\n" not in error and "\\x1b" in error
