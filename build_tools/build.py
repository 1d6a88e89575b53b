"""The build run: gather the archive, link it, write the generated pages, run MkDocs."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.errors import BriefingsError
from build_tools.link.links import link_archive
from build_tools.site.pages import GENERATED_FILES, GENERATED_FOLDERS, all_pages
from build_tools.site.search import index_site
from build_tools.store.archive import load_archive
from build_tools.store.writer import Writer
from build_tools.tag.geography import load_geography
from build_tools.yaml_problems import explain

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    briefings: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteOptions:
    """Our settings, under ``extra: briefings:`` in mkdocs.yml."""

    trusted_html: bool = False
    """True: raw HTML in editors' own briefings (those with no ``origins``, i.e. not made by ingest)
    is published as written. Ingested article text is always sanitised."""


def yaml_problem(config_file: Path, text: str, exc: yaml.YAMLError) -> str:
    """'mkdocs.yml:LINE: <problem>; <how to fix>' for a YAML syntax error."""
    line, message = explain(text, exc)
    return f"{config_file}:{line}: {message}"


def read_config(config_file: Path) -> dict[str, object]:
    """mkdocs.yml as data. Raises BriefingsError naming file and line when it is missing or not valid YAML."""

    # mkdocs.yml may hold Python tags (Material's emoji settings, !!python/name:...), which MkDocs'
    # own loader resolves: accept every tag, as MkDocs does, without importing anything (value None).
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
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
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise BriefingsError(yaml_problem(config_file, text, exc)) from None
    return data if isinstance(data, dict) else {}


def read_docs_dir(config_file: Path) -> Path:
    return (config_file.parent / str(read_config(config_file).get("docs_dir", "docs"))).resolve()


def read_options(config_file: Path) -> SiteOptions:
    extra = read_config(config_file).get("extra")
    ours = extra.get("briefings") if isinstance(extra, dict) else None
    if not isinstance(ours, dict):
        return SiteOptions()
    trusted = ours.get("trusted_html", False)
    if not isinstance(trusted, bool):
        raise BriefingsError(f"{config_file}: extra.briefings.trusted_html must be true or false, not {trusted!r}")
    return SiteOptions(trusted_html=trusted)


def stage_docs(source_docs: Path, docs: Path) -> None:
    """Copy the hand-written pages into another docs folder (builds of a temporary archive)."""
    if source_docs.resolve() == docs.resolve():
        return
    for path in source_docs.rglob("*"):
        rel = path.relative_to(source_docs)
        if rel.parts[0] in GENERATED_FOLDERS or rel.as_posix() in GENERATED_FILES or path.is_symlink():
            continue
        target = docs / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def generate(briefings_dir: Path, docs: Path, report: BuildReport, options: SiteOptions = SiteOptions(),
             vocabulary_dir: Path | None = None) -> None:
    """Every generated page under ``docs``; ``vocabulary_dir`` tells which country a person or
    organisation belongs to (places need only the gazetteer)."""
    t0 = time.perf_counter()
    archive = load_archive(briefings_dir)
    report.timings["load"] = time.perf_counter() - t0
    report.briefings = len(archive.briefings)
    report.errors += archive.errors
    report.warnings += archive.warnings
    t1 = time.perf_counter()
    country_of = load_geography(vocabulary_dir)
    links = link_archive(archive, country_of)
    report.errors += links.errors
    report.warnings += links.warnings
    pages = all_pages(archive, links, country_of, trusted_html=options.trusted_html)
    report.timings["link+generate"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    writer = Writer(docs, durable=False)  # generated pages: rebuilt from briefings, no fsync
    for page in pages:
        writer.write(page.path, page.text)
    for name in GENERATED_FILES:
        if not any(p.path == name for p in pages) and (docs / name).is_file():
            (docs / name).unlink()
    report.pages_removed = writer.prune(GENERATED_FOLDERS)
    report.pages_changed, report.pages_unchanged = writer.changed, writer.unchanged
    report.timings["write"] = time.perf_counter() - t2


def timed(stage: Callable[..., object], *args: object) -> float:
    t = time.perf_counter()
    stage(*args)
    return time.perf_counter() - t


def run_mkdocs(config_file: Path, docs: Path, site: Path, strict: bool, every_core: bool = True) -> None:
    """``mkdocs build``; with ``every_core``, pages rendered on every core (``sitebuild``)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from build_tools.site.sitebuild import build_site

    try:
        cfg = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site), strict=strict)
        (build_site if every_core else mkdocs_build)(cfg)
    except (Abort, ConfigurationError) as exc:
        raise BriefingsError(f"MkDocs build failed: {exc}") from None


def build(briefings_dir: Path, site: Path, config_file: Path, docs: Path | None = None,
          strict: bool = False, run_site: bool = True, vocabulary_dir: Path | None = None) -> BuildReport:
    report = BuildReport()
    source_docs = read_docs_dir(config_file)
    docs = docs or source_docs
    stage_docs(source_docs, docs)
    generate(briefings_dir, docs, report, read_options(config_file), vocabulary_dir)
    if strict and (report.errors or report.warnings):
        return report  # --strict: any problem stops the build before MkDocs
    if run_site:
        t = time.perf_counter()
        run_mkdocs(config_file, docs, site, strict)
        report.timings["mkdocs"] = time.perf_counter() - t
        report.timings["search index"] = timed(index_site, site)
    return report
