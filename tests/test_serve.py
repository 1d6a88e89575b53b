"""`briefings serve` really reloads: editing a briefing changes the served page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import INBOX, REPO

SAMPLE = "meridian-tajikistan-border-troops.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, needle: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} never appeared at {url}")


@pytest.mark.slow
def test_serve_reloads_after_a_briefing_is_edited(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / SAMPLE).write_bytes((INBOX / SAMPLE).read_bytes())
    briefings = tmp_path / "briefings"
    subprocess.run([sys.executable, "-m", "build_tools", "ingest", str(inbox), "--briefings", str(briefings)],
                   cwd=REPO, check=True, capture_output=True, timeout=120)
    [path] = list(briefings.rglob("*.md"))
    rel = path.relative_to(briefings).with_suffix("").as_posix()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "build_tools", "serve", "--briefings", str(briefings),
                             "--docs", str(tmp_path / "docs"), "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/briefings/{rel}/"
        page = wait_for(url, "Tajikistan calls up")
        assert "livereload" in page  # MkDocs injects its reload script only when live reload is on
        text = path.read_text("utf-8")
        path.write_text(text.replace("title: Tajikistan calls up", "title: EDITED Tajikistan calls up", 1),
                        encoding="utf-8")
        wait_for(url, "EDITED Tajikistan calls up")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
