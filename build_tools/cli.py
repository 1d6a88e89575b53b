"""The ``briefings`` command. Turns expected failures into one clean line and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import __version__
from build_tools.errors import BriefingsError, ClusterError

if TYPE_CHECKING:
    from build_tools.distributed import Cluster

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Turn scraped news articles into Markdown briefings, and briefings into a cross-linked,
searchable website (MkDocs + Material).

Typical workflow:
  briefings new my-archive && cd my-archive   # start an archive (or work in this repository)
  briefings ingest inbox/                 # raw articles in, briefings/YYYY/MM/<slug>.md out
  briefings check                         # validate every briefing's front matter
  briefings build                         # generate pages into docs/ and build site/
  briefings serve                         # live preview at http://127.0.0.1:8000/
Inputs: page text dumps (.txt), HTML pages (.html/.htm), JSON records (.json/.jsonl).
Hand-edited briefings are never overwritten by ingest (unless --force).
"""


SERVE_DESCRIPTION = """\
Build the site, as 'briefings build' does (pages, MkDocs, the Pagefind search index), into a
preview site of its own, .briefings-cache/preview-site/ beside mkdocs.yml (git-ignored, kept
between sessions), and serve it at --dev-addr. Search works as on the published site.

Watched: the briefings folder, the hand-written pages of docs_dir (never the pages the build
generates there), mkdocs.yml, the theme's custom_dir (overrides/) and the vocabulary folder. A
save starts one rebuild (changes saved during a rebuild start one more); then every open page
reloads by itself.

A problem in the last build (a briefing's YAML, a broken mkdocs.yml) is shown in a banner at the
top of every page, as file:line: problem; fix, and printed here; a briefing that fails to load
keeps its last good version on the preview, and the banner goes once a build has none. Ctrl-C
stops.
"""


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _say(line: str) -> None:
    """One line to stderr, with markup characters in file names shown as they are."""
    from rich.markup import escape

    _console().print(escape(line), soft_wrap=True)


def _config(args: argparse.Namespace) -> Path:
    """The site configuration: ``--config``, else ./mkdocs.yml."""
    from build_tools.paths import CONFIG_FILE

    return Path(args.config or CONFIG_FILE)


def _vocabulary(args: argparse.Namespace) -> Path | None:
    """The vocabulary folder (``paths.find_vocabulary``); says so when there is none."""
    from build_tools.paths import find_vocabulary

    found = find_vocabulary(args.vocabulary, _config(args))
    if found.warning:
        _say(f"warning: {found.warning}")
    return found.folder


SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
"""Names the Dask scheduler ingest runs its map on when --scheduler is not given (Dask's own variable)."""


def _cluster(address: str) -> Cluster:
    """A connection to the Dask scheduler at ``address``; a ClusterError saying what to install
    when Dask is not (it is an optional extra)."""
    try:
        from build_tools.distributed import Cluster
    except ImportError as exc:
        raise ClusterError(f"--scheduler {address} needs Dask distributed, which is not installed ({exc}): "
                           "pip install 'briefing-archive[dask]' (on every worker too)") from exc
    return Cluster.connect(address)


def cmd_ingest(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from build_tools.ingest import ingest
    from build_tools.tag.entities import load_vocabulary

    start = time.perf_counter()
    vocab = load_vocabulary(_vocabulary(args), cache=Path(args.briefings))
    scheduler = args.scheduler or os.environ.get(SCHEDULER_ENV) or None
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(_cluster(scheduler)) if scheduler else None
        bar = stack.enter_context(Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                                           TimeElapsedColumn(), console=_console(), transient=True,
                                           disable=args.quiet))
        task = bar.add_task("ingest", total=None)
        report = ingest([Path(p) for p in args.paths], Path(args.briefings), vocab, force=args.force,
                        progress=lambda n, total: bar.update(task, completed=n, total=total), executor=cluster)
    for r in report.rejected:
        _say(f"rejected: {r.message()}")
    for w in report.warnings:
        _say(f"warning: {w}")
    for m in report.duplicates:
        _say(f"duplicate: {m}")
    for m in report.kept_edits:
        _say(f"kept: {m}")
    for m in report.replaced:
        _say(f"replaced: {m}")
    if args.verbose:
        for s in report.skipped:
            _say(f"skipped: {s.source}: {s.reason}")
        for line in report.library_log:
            _say(f"debug: {line}")
    _say(f"ingest: {len(report.written):,} written, {len(report.unchanged):,} unchanged, "
         f"{len(report.already):,} already in the archive, {len(report.kept_edits)} hand-edited kept, "
         f"{len(report.rejected)} rejected, {len(report.warnings)} warnings "
         f"in {time.perf_counter() - start:.1f}s")
    return EXIT_PROBLEMS if report.rejected else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from build_tools.ingest import refuse_reason
    from build_tools.liblog import library_log
    from build_tools.model import Article
    from build_tools.process import process
    from build_tools.read.files import Rejected, Skipped, discover
    from build_tools.read.sources import read
    from build_tools.store.record import article_record
    from build_tools.tag.entities import load_vocabulary
    from build_tools.text import escape_line

    vocab = load_vocabulary(_vocabulary(args))
    records: list[dict[str, object]] = []
    failed = False
    for item in discover([Path(p) for p in args.paths]):
        if isinstance(item, Skipped):
            continue
        results = [item] if isinstance(item, Rejected) else read(item)
        for r in results:
            if isinstance(r, Rejected):
                records.append({"source": r.source, "error": r.reason + (f" Fix: {r.fix}" if r.fix else "")})
                failed = True
                continue
            with library_log() as lines:
                try:
                    article: Article | None = process(r, vocab)
                except Exception as exc:  # report, never stop the other inputs
                    records.append({"source": r.source, "error": f"could not be processed ({type(exc).__name__})"})
                    article = None
            if args.verbose:
                for line in lines:
                    _say(f"debug: {escape_line(f'{r.source}: {line}')}")
            if article is None:
                failed = True
                continue
            refused = refuse_reason(article)
            if refused:
                records.append({"source": r.source, "error": refused.reason})
                failed = True
            else:
                records.append(article_record(article))
    out = sys.stdout
    if args.format == "jsonl":
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        out.write(json.dumps(records[0] if len(records) == 1 else records, ensure_ascii=False, indent=1) + "\n")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _problems(errors: list[str], warnings: list[str], notes: list[str], verbose: bool, suffix: str = "") -> None:
    """Every problem, as check, build and serve all say them: errors, warnings, then the notes
    (one line each with -v, else their count)."""
    for e in errors:
        _say(f"error: {e}{suffix}")
    for w in warnings:
        _say(f"warning: {w}")
    if verbose:
        for n in notes:
            _say(f"note: {n}")
    elif notes:
        _say(f"note: {len(notes)} briefings have tags the vocabulary does not know (briefings -v COMMAND lists them; "
             "briefings vocab suggest ranks them)")


def cmd_check(args: argparse.Namespace) -> int:
    from build_tools.build import gather
    from build_tools.paths import find_vocabulary
    from build_tools.site.config import check_config

    errors: list[str] = []
    config = _config(args)
    no_config = args.config is None and not config.exists()
    warnings: list[str] = []
    try:
        if not no_config:  # no site here: the briefings alone are checked (warned below)
            warnings += check_config(config)  # the site's settings too: build and serve stop on them
    except BriefingsError as exc:
        errors += str(exc).splitlines()
    if no_config:
        warnings.append(f"{config}: no site configuration here, so only the briefings are checked; "
                        "run from the archive's folder or pass --config FILE to check the site's too")
    found = find_vocabulary(args.vocabulary, config)
    if found.warning:
        warnings.append(found.warning)
    gathered = gather(Path(args.briefings), found.folder)
    found_errors, found_warnings = gathered.errors, gathered.warnings
    if args.files:  # only what concerns these files (a pre-commit hook passes the staged briefings)
        wanted = {Path(f).resolve() for f in args.files}
        found_errors = [e for e in found_errors if in_files(e, Path(args.briefings), wanted)]
        found_warnings = [w for w in found_warnings if in_files(w, Path(args.briefings), wanted)]
    errors += found_errors
    warnings += found_warnings
    _problems(errors, warnings, gathered.notes if not args.files else [], args.verbose)
    _say(f"check: {len(gathered.archive.briefings)} briefings valid, {len(errors)} errors, "
         f"{len(warnings)} warnings")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from build_tools.scaffold import Options, scaffold

    root = Path(args.path)
    options = Options(site_name=args.name, site_description=args.description, site_url=args.url, ci=args.with_ci)
    written = scaffold(root, options, force=args.force)
    if args.verbose:
        for rel in written:
            _say(f"new: wrote {root / rel}")
    ci = f", CI workflow for {args.with_ci}" if args.with_ci else ""
    _say(f"new: archive '{args.name}' in {root} ({len(written)} files{ci}). Next:\n"
         f"  cd {root}\n"
         f"  git init && git add -A && git commit -m 'A new archive'   # editors own their briefings in git\n"
         f"  # put articles (.txt, .html, .json) into inbox/, then:\n"
         f"  briefings ingest inbox/\n"
         f"  briefings serve        # preview at http://127.0.0.1:8000/ while you edit\n"
         f"  briefings build        # the site, into site/")
    return EXIT_OK


def in_files(line: str, briefings: Path, wanted: set[Path]) -> bool:
    """Whether a problem line ('briefings/2021/07/x.md:3: ...') is about one of the ``wanted`` files."""
    shown = line.split(":", 1)[0]
    return (briefings.parent / shown).resolve() in wanted


def cmd_vocab_suggest(args: argparse.Namespace) -> int:
    from build_tools.store.archive import load_archive
    from build_tools.tag.entities import load_vocabulary, suggest, suggestion_yaml

    archive = load_archive(Path(args.briefings))
    vocab = load_vocabulary(_vocabulary(args))
    found = suggest([b.tags for b in archive.briefings], vocab, limit=args.limit, min_count=args.min_count)
    if args.yaml:
        sys.stdout.write(suggestion_yaml(found))
    else:
        for s in found:
            kind = "organization" if s.kind == "organizations" else "person"
            sys.stdout.write(f"{s.briefings:5d}  {kind:12}  {s.name}\n")
    _say(f"vocab suggest: {len(found)} names not in the vocabulary ({vocab}), "
         f"from {len(archive.briefings)} briefings")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from build_tools.build import build
    from build_tools.paths import find_vocabulary
    from build_tools.site.config import read_site_dir

    start = time.perf_counter()
    config = _config(args)
    site = Path(args.site) if args.site else read_site_dir(config)  # MkDocs' default: beside the config
    vocabulary = find_vocabulary(args.vocabulary, config)
    report = build(Path(args.briefings), site, config, docs=Path(args.docs) if args.docs else None,
                   strict=args.strict, vocabulary_dir=vocabulary.folder,
                   warnings=[vocabulary.warning] if vocabulary.warning else [], use_cache=not args.clean)
    _problems(report.errors, report.warnings, report.notes, args.verbose, " (not published)")
    if args.strict and (report.errors or report.warnings):
        _say(f"build: stopped (--strict): {len(report.errors)} errors, {len(report.warnings)} warnings")
        return EXIT_PROBLEMS
    _say(f"build: {report.briefings:,} briefings, {report.pages_changed:,} pages changed, "
         f"{report.pages_unchanged:,} unchanged, {report.pages_removed:,} removed, "
         f"{len(report.errors)} errors, {len(report.warnings)} warnings; site in {site}: "
         f"{report.pages_rendered:,} pages rendered, {report.pages_reused:,} kept "
         f"({time.perf_counter() - start:.1f}s)")
    if args.verbose:
        _say("build: time by stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items()))
    for a in report.advice:  # after the summary: advice, not a problem (check and serve stay quiet)
        _say(f"advice: {a}")
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from build_tools.build import Held
    from build_tools.paths import check_briefings_folder, find_vocabulary
    from build_tools.site import preview as p
    from build_tools.site.config import check_config
    from build_tools.site.first_look import first_look

    config = _config(args)
    host, port = p.parse_address(args.dev_addr)
    check_config(config)  # a site MkDocs refuses stops here, as check and build stop; later, the banner says it
    briefings = Path(args.briefings)
    check_briefings_folder(briefings)  # a missing folder stops here; an empty one is the build's warning
    vocabulary = find_vocabulary(args.vocabulary, config)
    preview = p.Preview(briefings, config, p.preview_site(config), docs=Path(args.docs) if args.docs else None,
                        vocabulary_dir=vocabulary.folder,
                        warnings=(vocabulary.warning,) if vocabulary.warning else ())
    builds = 0
    said: tuple[list[str], list[str]] = ([], [])  # the last build's warnings and notes
    last = [p.BuildOutcome(0.0)]  # the last build, whose pages the search index follows
    held = Held()  # the archive, links and MkDocs state between builds: the first look's

    def first_look_and_say(changed: set[Path]) -> bool:  # the edited page, before the build
        start = time.perf_counter()
        shown = first_look(held, briefings, changed)
        if shown and args.verbose:
            _say(f"serve: first look at {', '.join(shown)} in {time.perf_counter() - start:.1f}s")
        return bool(shown)

    def build_and_say() -> list[str]:
        nonlocal builds, said
        outcome = p.run_build(preview, held)
        # Errors after every build, as build says them; warnings and notes when they change (the
        # summary line counts them), or 23 unchanged warnings would bury each rebuild's line.
        _problems(outcome.errors, outcome.warnings if outcome.warnings != said[0] else [],
                  outcome.notes if outcome.notes != said[1] else [], args.verbose)
        _say(p.summary_line(outcome, first=builds == 0))
        if args.verbose and outcome.timings:
            _say("serve: time by stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in outcome.timings.items()))
        builds, said = builds + 1, (outcome.warnings, outcome.notes)
        last[0] = outcome
        return outcome.errors

    def index_and_say() -> list[str]:  # after the browsers have reloaded: search follows the pages
        seconds, errors = p.run_search(preview, last[0])
        for e in errors:
            _say(f"error: {e}")
        if args.verbose and (seconds or errors):
            _say(f"serve: search index followed in {seconds:.1f}s")
        return errors

    if not args.verbose:  # MkDocs' server logs every 404 (a favicon) as a warning
        logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)
    show_last = p.last_site_complete(preview)
    server = p.PreviewServer(build_and_say, p.watched_for(preview), host, port, preview.site,
                             then=index_and_say, first=first_look_and_say, show_last=show_last)
    if show_last:
        _say("serve: showing the site the last session built while the first build brings it up to date")
    _say(f"serve: previewing at http://{args.dev_addr}/ (site in {preview.site}); "
         "it rebuilds when a briefing, a hand-written page, mkdocs.yml, the theme or the vocabulary changes. "
         "Ctrl-C stops")
    try:
        server.run()
    except KeyboardInterrupt:  # during the first build
        pass
    _say("serve: stopped")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefings", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"briefings {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="per-file detail")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--briefings", default="briefings", metavar="DIR",
                        help="the briefings folder (default: ./briefings)")

    def located(sp: argparse.ArgumentParser) -> None:
        """--config and --vocabulary: the site, and the vocabulary beside it (paths.find_vocabulary)."""
        sp.add_argument("--config", default=None, metavar="FILE",
                        help="the site's MkDocs configuration (default: ./mkdocs.yml)")
        sp.add_argument("--vocabulary", default=None, metavar="DIR",
                        help="the vocabulary folder: people, organisations and their countries "
                             "(default: vocabulary/ beside the configuration; a warning when there is none)")

    sp = sub.add_parser("ingest", help="raw articles in, briefings out",
                        description="Read articles (files or folders) and write one briefing per new story. "
                                    "Exit 0 when every input became a briefing or was already there, "
                                    "1 when any input was rejected (the others are still written).")
    sp.add_argument("paths", nargs="+", metavar="PATH",
                    help="input files or folders (.txt, .html, .json, .jsonl); a name starting with '-' "
                         "is given as ./-name.txt or after --")
    common(sp)
    located(sp)
    sp.add_argument("--force", action="store_true", help="overwrite hand-edited briefings (says which)")
    sp.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="run extraction and tagging on the Dask cluster of this scheduler (tcp://HOST:8786; "
                         f"default: ${SCHEDULER_ENV}, else this machine's cores); inputs are read and briefings "
                         "written here; needs pip install 'briefing-archive[dask]'")
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("extract", help="print what ingest would write, write nothing",
                        description="Print, for each input, the record that would become a briefing "
                                    "(or its error). Writes nothing.")
    sp.add_argument("paths", nargs="+", metavar="PATH")
    sp.add_argument("--format", choices=["json", "jsonl"], default="json")
    located(sp)
    sp.set_defaults(func=cmd_extract)

    sp = sub.add_parser("check", help="validate every briefing's front matter and mkdocs.yml",
                        description="Load every briefing safely and check it against the schema, and read "
                                    "the site's mkdocs.yml. Prints file:line for each problem; exit 1 on any error. "
                                    "Given FILEs (a pre-commit hook passes the staged briefings), every briefing "
                                    "is still loaded (ids must be unique) but only those files' problems count.")
    sp.add_argument("files", nargs="*", metavar="FILE", help="report only these briefings' problems")
    common(sp)
    sp.add_argument("--strict", action="store_true", help="warnings count as errors")
    located(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("new", help="start a new archive in a new folder",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description="Write a complete archive into PATH: mkdocs.yml, docs/about.md, vocabulary/, "
                                    "briefings/, inbox/, .gitignore and requirements.txt (and a CI workflow with "
                                    "--with-ci). The theme and the editors' pages come from the installed tool; "
                                    "add a file of the same name under docs/ (or an overrides/ folder set as the "
                                    "theme's custom_dir) to replace one.",
                        epilog="example:\n  briefings new my-archive --name 'Energy Desk' "
                               "--url https://example.org/energy/ --with-ci github")
    sp.add_argument("path", metavar="PATH", help="the new archive's folder (created; must be empty)")
    sp.add_argument("--name", default="Briefing Archive", help="the site's name (default: %(default)s)")
    sp.add_argument("--description", default="A searchable, cross-linked archive of news briefings",
                    help="one line about the site (default: %(default)s)")
    sp.add_argument("--url", default="", metavar="URL",
                    help="where the site will be published (feeds and the sitemap need it; can be set later "
                         "as site_url in mkdocs.yml)")
    sp.add_argument("--with-ci", choices=["github", "gitlab"], default=None,
                    help="also write a CI workflow that checks, builds with --strict and publishes site/ "
                         "(GitHub Pages or GitLab Pages)")
    sp.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    sp.set_defaults(func=cmd_new)

    sp = sub.add_parser("vocab", help="vocabulary upkeep (see: briefings vocab suggest)",
                        description="Help editors keep vocabulary/*.yaml complete.")
    vsub = sp.add_subparsers(dest="vocab_command", metavar="ACTION", required=True)
    vp = vsub.add_parser("suggest", help="most frequent people and organisations not in the vocabulary",
                         description="List the people and organisations tagged most often in the archive's "
                                     "briefings that the vocabulary lacks (names the name finder found): count, "
                                     "type, name, most frequent first. --yaml prints them as vocabulary entries.")
    common(vp)
    located(vp)
    vp.add_argument("--limit", type=int, default=50, metavar="N", help="how many names (default: 50)")
    vp.add_argument("--min-count", type=int, default=1, metavar="N",
                    help="only names tagged in at least N briefings (default: 1)")
    vp.add_argument("--yaml", action="store_true",
                    help="print vocabulary entries to paste into vocabulary/people.yaml or organizations.yaml")
    vp.set_defaults(func=cmd_vocab_suggest)

    sp = sub.add_parser("build", help="generate pages and build the site",
                        description="Regenerate the generated pages under docs/ from all briefings and run "
                                    "the MkDocs build. Briefings that fail validation are not published.")
    common(sp)
    sp.add_argument("--site", default=None, metavar="DIR",
                    help="output folder (default: site_dir of the configuration, beside it: ./site)")
    sp.add_argument("--docs", default=None, metavar="DIR",
                    help="docs folder to generate into (default: docs_dir of mkdocs.yml; hand-written pages are copied)")
    sp.add_argument("--strict", action="store_true", help="any problem stops the build (CI)")
    sp.add_argument("--clean", action="store_true",
                    help="ignore the build cache (<briefings>/.briefings-cache/build/) and build every page "
                         "from a clean site folder; the result is the same bytes, only slower (the cache is "
                         "written anew, so the next build is incremental again)")
    located(sp)
    sp.set_defaults(func=cmd_build)

    sp = sub.add_parser("serve", help="live preview that rebuilds and reloads when you save",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=SERVE_DESCRIPTION)
    common(sp)
    sp.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                    help="where to serve the preview (default: 127.0.0.1:8000)")
    sp.add_argument("--docs", default=None, metavar="DIR",
                    help="docs folder to generate into (default: docs_dir of the configuration)")
    located(sp)
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    if not args.command:
        parser().print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except BriefingsError as exc:
        for line in str(exc).splitlines():  # one problem a line (check_config may find several)
            _say(f"error: {line}")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        _say("interrupted; finished briefings are kept, run the same command again to complete")
        return 130
