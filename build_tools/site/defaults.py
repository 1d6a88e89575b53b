"""What every archive's site is built with unless the archive brings its own: the theme overrides
(Pagefind search box and page, the briefing page template, the preview's banner hooks) and the
default pages (the editors' guide under ``editors/``, the search page, the stylesheet).

They ship inside the package (``build_tools/data/site/``), so an installed ``briefings`` builds
any archive, and upgrading the tool upgrades them. An archive overrides them file by file: its own
``docs/editors/index.md`` replaces the default page, and a ``custom_dir`` set in its mkdocs.yml
(``overrides/``) comes before the package's overrides, template by template, as Material's own
files come after both. ``briefings new`` writes an archive that uses them (``skeleton``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "site"
OVERRIDES = DEFAULTS / "overrides"
"""The package's theme overrides, after the archive's ``custom_dir`` in the theme's search path."""
DOCS = DEFAULTS / "docs"
"""The package's default pages, used where the archive's docs_dir has no file of that name."""
ARCHIVE = DEFAULTS / "archive"
"""What ``briefings new`` writes (``skeleton``)."""


def apply_theme(config: MkDocsConfig) -> None:
    """Put the package's overrides in the theme's search path: after the archive's ``custom_dir``
    (which wins, file by file), before the theme's own files."""
    dirs = config.theme.dirs
    if str(OVERRIDES) in dirs:
        return
    at = 1 if config.theme.custom_dir else 0
    dirs.insert(at, str(OVERRIDES))


def default_pages() -> Iterator[str]:
    """The docs-relative path of every default page and asset, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(DOCS):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath, name).relative_to(DOCS).as_posix()


def add_default_pages(files: Files, config: MkDocsConfig) -> list[str]:
    """Add to ``files`` each default page the archive's docs_dir lacks; returns their paths."""
    from mkdocs.structure.files import File

    added = []
    for rel in default_pages():
        if files.get_file_from_path(rel) is None:
            files.append(File(rel, str(DOCS), config.site_dir, config.use_directory_urls))
            added.append(rel)
    return added


def theme_dirs(config: MkDocsConfig) -> list[Path]:
    """The folders of theme files that are ours to watch and hash: the archive's ``custom_dir`` and
    the package's overrides (Material's own are covered by its version)."""
    out = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    return [*out, OVERRIDES]


__all__ = ["ARCHIVE", "DOCS", "OVERRIDES", "add_default_pages", "apply_theme", "default_pages", "theme_dirs"]
