"""The site's configuration as the build reads it: ``mkdocs.yml`` as data (tolerating the Python
tags MkDocs resolves), checked the way check, build and serve all check it (our YAML reading, our
settings under ``extra: briefings:``, then MkDocs' own validation), and the folders it names. Every
problem names the file and line and says how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.errors import BriefingsError
from build_tools.paths import absolute
from build_tools.site import search_shards
from build_tools.yaml_problems import explain


@dataclass(frozen=True)
class SiteOptions:
    """Our settings, under ``extra: briefings:`` in mkdocs.yml."""

    trusted_html: bool = False
    """True: raw HTML in editors' own briefings (those with no ``origins``, i.e. not made by ingest)
    is published as written. Ingested article text is always sanitised."""

    site_url: str = ""
    """mkdocs.yml's ``site_url``: feeds and feed discovery links use absolute URLs under it. Empty:
    links stay relative, and the build notes that feed readers and the sitemap need it."""

    search_shard_pages: int | None = None
    """Split the search index into shards of about this many pages (``site/search_shards``), so an
    edit re-indexes one shard, not the archive; None (the default): one index. Shards make a
    reader's first query download more (2,938 briefings, 500 pages a shard: 370-810 KiB instead of
    150-210 KiB), so they are for archives where re-indexing is what an editor waits for."""


NO_SITE_URL = ("mkdocs.yml has no site_url: feed links stay relative (some feed readers cannot follow them) "
               "and sitemap.xml lists no pages. Fix: set site_url to the address the site is published at")


def site_advice(options: SiteOptions) -> list[str]:
    """Settings worth changing, said by check, build and serve alike (never a problem)."""
    return [] if options.site_url else [NO_SITE_URL]


def yaml_problem(config_file: Path, text: str, exc: yaml.YAMLError) -> str:
    """'mkdocs.yml:LINE: <problem>; <how to fix>' for a YAML syntax error."""
    line, message = explain(text, exc)
    return f"{config_file}:{line}: {message}"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold Python tags (Material's emoji settings, !!python/name:...), which MkDocs'
    own loader resolves: accept every tag, as MkDocs does, without importing anything (value None)."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict[str, object]:
    """mkdocs.yml as data. Raises BriefingsError naming file and line when it is missing or not valid YAML."""

    if not config_file.is_file():
        raise BriefingsError(f"{config_file}: no MkDocs configuration here; run from the archive's folder "
                             "or pass --config")
    try:
        text = config_file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefingsError(f"{config_file}: is not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise BriefingsError(f"{config_file}: cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except yaml.YAMLError as exc:
        raise BriefingsError(yaml_problem(config_file, text, exc)) from None
    return data if isinstance(data, dict) else {}


def _key_line(text: str, key: str) -> int | None:
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


def check_config(config_file: Path) -> list[str]:
    """mkdocs.yml checked as build and serve will use it: our YAML reading and settings, then MkDocs'
    own validation (required keys, theme, plugins, Python names), each problem as 'FILE:LINE: what;
    fix'. Returns the warnings; raises BriefingsError with one line per error. Check, build and
    serve all call it, so they stop on, and say, the same things."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    read_options(config_file)  # raises for unreadable or invalid YAML, and for our settings
    text = config_file.read_text("utf-8")
    if not isinstance(yaml.load(text, Loader=_TolerantLoader), dict):
        raise BriefingsError(f"{config_file}:1: the file must hold 'key: value' settings, like site_name: My archive; "
                             "write it as MkDocs' configuration reference shows")
    config = MkDocsConfig(config_file_path=str(config_file))
    try:
        with config_file.open("rb") as fd:
            config.load_file(fd)
    except ConfigurationError as exc:
        cause = exc.__context__
        if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
            raise BriefingsError(f"{config_file}:{cause.problem_mark.line + 1}: {cause.problem} "
                                 f"({' '.join(str(cause.context or '').split())}); install the package that "
                                 "provides it or correct the name") from None
        raise BriefingsError(f"{config_file}: {exc}") from None
    failed, warned = config.validate()

    def where(key: str) -> str:
        line = _key_line(text, key.split(".")[0])
        return f"{config_file}:{line}" if line else f"{config_file}"

    # A missing docs_dir is no problem: build and serve create it when they write the generated pages.
    failed = [(key, exc) for key, exc in failed if not (key == "docs_dir" and "isn't an existing" in str(exc))]
    errors = [f"{where(key)}: '{key}': {str(exc).rstrip('.')}; fix it (see MkDocs' configuration reference)"
              for key, exc in failed]
    if errors:
        raise BriefingsError("\n".join(errors))
    return [f"{where(key)}: '{key}': {message.rstrip('.')}" for key, message in warned]


def read_docs_dir(config_file: Path) -> Path:
    """``docs_dir`` of ``config_file``, relative to that file's folder (as MkDocs reads it)."""
    return (config_file.parent / str(read_config(config_file).get("docs_dir", "docs"))).resolve()


def read_site_dir(config_file: Path) -> Path:
    """``site_dir`` of ``config_file``, relative to that file's folder (as MkDocs reads it)."""
    return absolute(config_file.parent / str(read_config(config_file).get("site_dir", "site")))


def read_options(config_file: Path) -> SiteOptions:
    config = read_config(config_file)
    site_url = config.get("site_url") or ""
    if not isinstance(site_url, str):
        raise BriefingsError(f"{config_file}: site_url must be an address such as https://example.org/archive/, "
                             f"not {site_url!r}")
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    extra = config.get("extra")
    ours = extra.get("briefings") if isinstance(extra, dict) else None
    if not isinstance(ours, dict):
        return SiteOptions(site_url=site_url)
    trusted = ours.get("trusted_html", False)
    if not isinstance(trusted, bool):
        raise BriefingsError(f"{config_file}: extra.briefings.trusted_html must be true or false, not {trusted!r}")
    shard = ours.get("search_shard_pages")
    if shard is not None and (isinstance(shard, bool) or not isinstance(shard, int) or shard < 1):
        raise BriefingsError(f"{config_file}: extra.briefings.search_shard_pages must be a number of pages such as "
                             f"{search_shards.SHARD_PAGES}, not {shard!r}; leave it out for one search index")
    return SiteOptions(trusted_html=trusted, site_url=site_url, search_shard_pages=shard)
