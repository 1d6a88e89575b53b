"""What a build remembers for the next one: ``<briefings>/.briefings-cache/build/``.

Rebuilds after a small edit reuse it: the parse of every briefing whose bytes are unchanged
(``archive.ParseCache``), and what the site build rendered for each page (``site/render_cache``).
Each file carries the version of the code that wrote it (``ingest_cache.pipeline_version``: every
module and data file of ``build_tools/``); a file of another version, a damaged file or a missing
one is ignored and rebuilt, never trusted. ``briefings build --clean`` ignores it all.

A cache holds only what this program computed from the user's own files; it is local, git-ignored
(``.briefings-cache/``), and never published. Files are written atomically, so a kill mid-write
leaves the previous cache or the new one.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from pathlib import Path
from typing import Any

from build_tools.store.ingest_cache import CACHE_DIR, pipeline_version
from build_tools.store.writer import atomic_write

BUILD_FOLDER = "build"


def build_cache_dir(briefings_dir: Path) -> Path:
    return briefings_dir.resolve() / CACHE_DIR / BUILD_FOLDER


@functools.cache
def code_version() -> str:
    """Version of the code that writes and reads the caches (computed once per process)."""
    return pipeline_version()


def load(path: Path) -> Any | None:
    """The object saved at ``path`` by this version of the code, else None (absent, damaged, older)."""
    try:
        with path.open("rb") as fh:
            version, obj = pickle.load(fh)  # noqa: S301 - our own file, written by save() below
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, KeyError):
        return None
    return obj if version == code_version() else None


def save(path: Path, obj: Any) -> None:
    """Save ``obj`` for the next run (atomically; a failure to write only costs the next run time)."""
    with contextlib.suppress(OSError):
        atomic_write(path, pickle.dumps((code_version(), obj), protocol=pickle.HIGHEST_PROTOCOL), durable=False)
