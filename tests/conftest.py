"""Shared fixtures. Tests that need ../shared skip with a clear reason when it is absent."""

from __future__ import annotations

import os
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
