"""Shared fixtures. Tests that need ../shared skip with a clear reason when it is absent."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRIEFINGS_SHARED", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INBOX = REPO / "examples" / "inbox"


def require_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus lives beside the repository in ../shared")
    return path


@pytest.fixture
def shared() -> Path:
    return require_shared()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def briefings_cli(*args: str) -> None:
    """Run the CLI with the interpreter running the tests; fail the test on a non-zero exit."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "build_tools", "-q", *args], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample inbox ingested and built (strict) into a temporary folder: briefings/, docs/, site/."""
    root = tmp_path_factory.mktemp("sample")
    briefings_cli("ingest", str(INBOX), "--briefings", str(root / "briefings"))
    briefings_cli("build", "--briefings", str(root / "briefings"), "--docs", str(root / "docs"),
                  "--site", str(root / "site"), "--strict")
    return root


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` over http on 127.0.0.1 (a free port), from a thread; yields the base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
