"""Where things are: the one place that decides the folders a command reads and writes.

Rules (documented for users in ``docs/editors/index.md``, *Paths and files*):

* A path given on our command line is relative to the current folder, always. Every path is made
  absolute (:func:`absolute`) before it reaches MkDocs or Pagefind, which would otherwise resolve a
  relative ``site_dir``/``docs_dir`` against the configuration file's folder.
* Paths *inside* ``mkdocs.yml`` (``docs_dir``, ``site_dir``) are relative to that file's folder, as
  MkDocs reads them.
* The vocabulary is ``--vocabulary DIR`` when given (it must exist), else the ``vocabulary/`` folder
  beside the site configuration; when there is none, a warning says so and tagging uses the
  gazetteers alone (:func:`find_vocabulary`).
* A missing briefings folder is an error; an empty one is a warning, and the site is still built
  (:func:`check_briefings_folder`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from build_tools.errors import BriefingsError

CONFIG_FILE = "mkdocs.yml"
"""The site configuration looked for in the current folder when no ``--config`` is given."""

VOCABULARY_DIR = "vocabulary"
"""The vocabulary's folder name, beside the site configuration."""


def absolute(path: Path) -> Path:
    """``path`` against the current folder (``..`` folded, symlinks kept), as MkDocs folds its own."""
    return Path(os.path.abspath(path))


class Vocabulary(NamedTuple):
    folder: Path | None
    """The vocabulary folder to use; None: none found, the gazetteers alone."""
    warning: str | None
    """Why there is none, and how to give one (None when found)."""


def find_vocabulary(given: str | Path | None, config_file: Path = Path(CONFIG_FILE)) -> Vocabulary:
    """The vocabulary folder: ``given`` (``--vocabulary``), else ``vocabulary/`` beside ``config_file``.

    Raises ``BriefingsError`` when ``given`` is not a folder (a typo must not silently tag worse)."""
    if given is not None:
        folder = Path(given)
        if not folder.is_dir():
            raise BriefingsError(f"{folder}: no such vocabulary folder (--vocabulary); pass the folder that "
                                 "holds the vocabulary's *.yaml files, or leave the option out to use "
                                 f"{VOCABULARY_DIR}/ beside {CONFIG_FILE}")
        return Vocabulary(folder, None)
    folder = config_file.parent / VOCABULARY_DIR
    if folder.is_dir():
        return Vocabulary(folder, None)
    missed = ("tags and countries come from the gazetteers alone, so people and organisations only the "
              "vocabulary knows are missed")
    if config_file.is_file():
        return Vocabulary(None, f"{folder}: no vocabulary folder beside {config_file}; {missed}. "
                                "Create it, or pass --vocabulary DIR")
    return Vocabulary(None, f"no vocabulary: no {config_file} here to find it beside, and no {folder} folder; "
                            f"{missed}. Run from the archive's folder, or pass --vocabulary DIR or --config FILE")


def check_briefings_folder(folder: Path) -> str | None:
    """None when ``folder`` holds briefings; a warning when it holds none. Raises ``BriefingsError``
    when it is missing or not a folder."""
    if not folder.exists():
        raise BriefingsError(f"{folder}: no such briefings folder; pass --briefings DIR with the folder "
                             "'briefings ingest' writes to, or run from the archive's folder")
    if not folder.is_dir():
        raise BriefingsError(f"{folder}: is a file, not a briefings folder; pass --briefings DIR with the "
                             "folder 'briefings ingest' writes to")
    if not any(p for p in folder.rglob("*.md") if not any(part.startswith(".") for part in
                                                          p.relative_to(folder).parts)):
        return (f"{folder}: no briefings in this folder; the site is built with its hand-written pages, "
                "empty listings and no search index (run 'briefings ingest INBOX' to add briefings)")
    return None
