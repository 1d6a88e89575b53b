"""``briefings new PATH``: a complete, working archive in a new folder.

What it writes comes from the package (``build_tools/data/site/archive/``): ``mkdocs.yml`` (the
site name, description and URL filled in), ``docs/about.md``, ``vocabulary/`` (empty lists, the
outlets file and a README), ``briefings/``, ``inbox/`` with a README, ``.gitignore``,
``requirements.txt`` (this version of the tool) and, with ``--with-ci``, the CI workflow that
checks, builds and publishes the site. The theme overrides and the editors' pages are not copied:
the build takes them from the installed package (``site/defaults``), so upgrading the tool
upgrades them, and an archive that adds its own file of the same name overrides them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from string import Template
from typing import Literal

from build_tools import __version__
from build_tools.errors import BriefingsError
from build_tools.site.defaults import ARCHIVE
from build_tools.store.writer import Writer

CI = {"github": PurePosixPath(".github/workflows/briefings.yml"), "gitlab": PurePosixPath(".gitlab-ci.yml")}
"""Where each CI service reads its workflow, in the archive."""
Ci = Literal["github", "gitlab"]

DEFAULT_NAME = "Briefing Archive"
DEFAULT_DESCRIPTION = "A searchable, cross-linked archive of news briefings"
NO_SITE_URL = ("# site_url: https://example.org/archive/   # set it to where the site is published: "
               "feeds and the sitemap need it")


@dataclass(frozen=True)
class Options:
    site_name: str = DEFAULT_NAME
    site_description: str = DEFAULT_DESCRIPTION
    site_url: str = ""
    ci: Ci | None = None


def yaml_scalar(value: str) -> str:
    """A one-line YAML string that reads back as ``value`` (JSON's quoting is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def config_text(options: Options) -> str:
    """The archive's mkdocs.yml."""
    template = Template((ARCHIVE / "mkdocs.yml").read_text("utf-8"))
    url_line = f"site_url: {yaml_scalar(options.site_url)}" if options.site_url else NO_SITE_URL
    name = options.site_name if options.site_name == DEFAULT_NAME else yaml_scalar(options.site_name)
    description = (options.site_description if options.site_description == DEFAULT_DESCRIPTION
                   else yaml_scalar(options.site_description))
    return template.substitute(site_name=name, site_description=description, site_url_line=url_line)


def files(options: Options) -> dict[PurePosixPath, str]:
    """Archive-relative path -> text of every file ``new`` writes."""
    out = {PurePosixPath("mkdocs.yml"): config_text(options),
           PurePosixPath(".gitignore"): (ARCHIVE / "gitignore").read_text("utf-8"),
           PurePosixPath("requirements.txt"): f"# The tool that builds this archive (briefings).\n"
                                              f"briefing-archive=={__version__}\n",
           PurePosixPath("briefings/.gitkeep"): ""}
    for folder in ("docs", "vocabulary", "inbox"):
        for path in sorted((ARCHIVE / folder).rglob("*")):
            if path.is_file():
                out[PurePosixPath(path.relative_to(ARCHIVE).as_posix())] = path.read_text("utf-8")
    if options.ci is not None:
        out[CI[options.ci]] = (ARCHIVE / "ci" / f"{options.ci}.yml").read_text("utf-8")
    return out


def scaffold(root: Path, options: Options, force: bool = False) -> list[PurePosixPath]:
    """Write a new archive into ``root``; returns the paths written. Refuses a folder that holds
    anything (``force``: write anyway, replacing only the files ``new`` writes)."""
    if root.exists() and not root.is_dir():
        raise BriefingsError(f"{root}: is a file; give a new folder's path")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise BriefingsError(f"{root}: the folder is not empty; give a new folder, or pass --force to write the "
                             "archive's files into it (files of the same name are replaced, others kept)")
    writer = Writer(root)
    written = []
    for rel, text in files(options).items():
        writer.write(rel, text)
        written.append(rel)
    return written


__all__ = ["CI", "Options", "config_text", "files", "scaffold"]
