"""The scale benchmark: ``make bench`` (``python -m quality.bench [--sizes 1000]``).

Builds archives of 1,000, 5,000 and 10,000 briefings from the Reuters-21578 stories in
``../shared/corpus/reuters21578/raw`` (3,000 real stories; larger sizes are extended
deterministically: date-shifted copies whose bodies mix paragraphs of two stories, chosen by a
seeded RNG, so every derived input has new content and a new id). For each size it prints
ingest throughput, build time by phase, peak memory, site size, page sizes, the bytes a first
search query downloads, and the rebuild counts, next to a bare ``mkdocs build`` of the same
Markdown timed in the same run (timings on a shared machine are noisy: compare ratios).

Every phase runs in its own process (``--phase``), so its memory is measured alone: the peak
of the whole process tree (sampled from /proc) and the largest single process (getrusage).
Results go to ``benchmarks/RESULTS.md``. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REUTERS_RAW = REPO.parent / "shared" / "corpus" / "reuters21578" / "raw"
DEFAULT_SIZES = (1000, 5000, 10000)
SEED = 1987
SEARCH_QUERIES = ("oil", "bank interest rates", "japan trade")
"""A frequent word, a phrase and a two-word query: the first query a reader would type."""

# The targets of issue 7 ("DONE WHEN"), checked against the largest size of the run.
TARGET_BUILD_RATIO = 2.0
"""Full build (generate + MkDocs + search index) / bare ``mkdocs build`` of the same Markdown."""
TARGET_BUILD_SECONDS = 120.0
TARGET_PEAK_BYTES = 2.5 * 2**30
TARGET_EDIT_REWRITES = 50
TARGET_SEARCH_BYTES = 300 * 1024
TARGET_INGEST_RATE = 100.0
TARGET_BRIEFING_PAGE_BYTES = 60 * 1024

SAMPLE_SECONDS = 0.1
"""How often the process tree's memory is sampled."""


# ---------------------------------------------------------------------------------------------
# Inputs: real stories, extended deterministically


@dataclass(frozen=True)
class Story:
    name: str
    title: str
    stamp: dt.datetime
    paragraphs: list[str]


WIRE_STAMP = "%d-%b-%Y %H:%M:%S"
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Za-z .,'/-]*), (?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) - ")


def read_story(path: Path) -> Story | None:
    """A Reuters dump: headline, wire timestamp, blank line, body paragraphs (4-space indent)."""
    lines = path.read_text("utf-8").split("\n")
    if len(lines) < 4:
        return None
    try:
        stamp = dt.datetime.strptime(lines[1].strip().split(".")[0], WIRE_STAMP)
    except ValueError:
        return None
    paragraphs: list[str] = []
    for line in lines[3:]:
        if line.strip() == "Reuter":
            break
        if line.startswith("    ") or not paragraphs:
            paragraphs.append(line.strip())
        elif line.strip():
            paragraphs[-1] += "\n" + line
    paragraphs = [p for p in paragraphs if p]
    return Story(path.stem, lines[0].strip(), stamp, paragraphs) if paragraphs else None


def story_text(title: str, stamp: dt.datetime, paragraphs: list[str]) -> str:
    body = "\n    ".join(paragraphs)
    return f"{title}\n{stamp.strftime(WIRE_STAMP).upper()}.00\n\n{body}\n Reuter\n"


def derived_story(base: Story, others: list[Story], generation: int, rng: random.Random) -> str:
    """A new story from ``base``: moved ``generation`` years (plus some days) later, keeping its
    headline and lead, with the body paragraphs of ``others`` shuffled after it. New text (a new
    input hash and id) that near-duplicate detection does not fold into ``base`` (a first version
    kept half of the base body and lost a third of the 10,000 inputs to dedupe)."""
    stamp = base.stamp + dt.timedelta(days=365 * generation + rng.randint(0, 20), minutes=rng.randint(0, 600))
    borrowed = [p for other in others for p in other.paragraphs[1:]]
    rng.shuffle(borrowed)
    paragraphs = base.paragraphs[:1] + borrowed[:max(2, len(base.paragraphs) - 1)]
    first = _DATELINE.sub(lambda m: f"{m['place']}, {stamp:%b} {stamp.day} - ", paragraphs[0], count=1)
    return story_text(base.title, stamp, [first, *paragraphs[1:]])


def make_inputs(raw: Path, count: int, out: Path, seed: int = SEED) -> int:
    """Write ``count`` input dumps into ``out``: the real stories first, then derived ones."""
    stories = [s for s in (read_story(p) for p in sorted(raw.glob("*.txt"))) if s is not None]
    if not stories:
        raise SystemExit(f"{raw}: no Reuters stories found (see ../shared/corpus/README.md)")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    for i in range(count):
        generation, base = divmod(i, len(stories))
        story = stories[base]
        if generation == 0:
            text = story_text(story.title, story.stamp, story.paragraphs)
            name = f"{story.name}.txt"
        else:
            text = derived_story(story, rng.sample(stories, 2), generation, rng)
            name = f"{story.name}-g{generation}.txt"
        (out / name).write_text(text, "utf-8")
    return count


# ---------------------------------------------------------------------------------------------
# Phases: each one a child process (python -m quality.bench --phase ...)


@dataclass
class PhaseRun:
    seconds: float
    peak_tree_bytes: int
    """Largest sum of RSS over the phase's process tree (sampled)."""
    max_process_bytes: int
    """Largest RSS of any one process of the tree (getrusage, exact)."""
    result: dict[str, Any] = field(default_factory=dict)


def tree_rss(root_pid: int) -> int:
    """Sum of resident memory of ``root_pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo, page = 0, [root_pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except OSError:
            pass
        todo.extend(children.get(pid, []))
    return total


def run_phase(*args: str) -> PhaseRun:
    cmd = [sys.executable, "-m", "quality.bench", "--phase", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"bench phase {' '.join(args)} failed (exit {proc.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return PhaseRun(seconds, peak, int(result.pop("max_rss_kb", 0)) * 1024, result)


def child_max_rss_kb() -> int:
    import resource

    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def phase_ingest(inputs: Path, briefings: Path) -> dict[str, Any]:
    from build_tools.ingest import ingest
    from build_tools.tag.entities import load_vocabulary

    report = ingest([inputs], briefings, load_vocabulary(REPO / "vocabulary"))
    return {"written": len(report.written), "unchanged": len(report.unchanged), "already": len(report.already),
            "rejected": len(report.rejected), "warnings": len(report.warnings)}


def phase_build(briefings: Path, docs: Path, site: Path, run_site: bool) -> dict[str, Any]:
    from build_tools.build import build

    report = build(briefings, site, REPO / "mkdocs.yml", docs=docs, run_site=run_site)
    return {"briefings": report.briefings, "changed": report.pages_changed, "unchanged": report.pages_unchanged,
            "removed": report.pages_removed, "errors": len(report.errors), "timings": report.timings}


def phase_mkdocs(docs: Path, site: Path) -> dict[str, Any]:
    from build_tools.build import run_mkdocs

    run_mkdocs(REPO / "mkdocs.yml", docs, site, strict=False, every_core=False)  # MkDocs' own build, one core
    return {}


def run_child_phase(args: list[str]) -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    name, paths = args[0], [Path(a) for a in args[1:]]
    if name == "ingest":
        result = phase_ingest(paths[0], paths[1])
    elif name in ("build", "generate"):
        result = phase_build(paths[0], paths[1], paths[2], run_site=name == "build")
    elif name == "mkdocs":
        result = phase_mkdocs(paths[0], paths[1])
    else:
        raise SystemExit(f"unknown bench phase {name!r}")
    result["max_rss_kb"] = child_max_rss_kb()
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# Measurements of the built site


@dataclass
class SiteStats:
    bytes: int
    files: int
    html_pages: int
    largest_page: tuple[int, str]
    median_page: int
    largest_briefing: tuple[int, str]


def site_stats(site: Path) -> SiteStats:
    sizes: list[tuple[int, str]] = []
    total = files = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        files += 1
        if path.suffix == ".html":
            sizes.append((size, path.relative_to(site).as_posix()))
    briefing_pages = [s for s in sizes if s[1].startswith("briefings/")]
    return SiteStats(total, files, len(sizes), max(sizes, default=(0, "")),
                     int(statistics.median(s for s, _ in sizes)) if sizes else 0,
                     max(briefing_pages, default=(0, "")))


@dataclass
class SearchCost:
    query: str
    results: str
    raw_bytes: int
    """Bytes of every /pagefind/ response, as stored."""
    transfer_bytes: int
    """The same with gzip on the text files (JS, CSS, JSON), as any CDN serves them;
    Pagefind's index, fragment and wasm files are already compressed."""
    requests: int
    parts: dict[str, int] = field(default_factory=dict)
    """Transferred bytes by kind of file (script, wasm, meta, index, filter, fragment)."""


def part_of(url: str) -> str:
    """The kind of a /pagefind/ file, for the breakdown of a query's bytes."""
    path = url.split("?")[0].rsplit("/pagefind/", 1)[-1]
    for kind in ("index", "filter", "fragment"):
        if path.startswith(kind + "/"):
            return kind
    if path.endswith(".pf_meta"):
        return "meta"
    return "wasm" if ".pagefind" in path else "script"


TEXT_SUFFIXES = (".js", ".css", ".json")


def transfer_size(url: str, body: bytes) -> int:
    path = url.split("?")[0]
    return len(gzip.compress(body, 6)) if path.endswith(TEXT_SUFFIXES) else len(body)


def measure_search(site: Path, queries: tuple[str, ...] = SEARCH_QUERIES) -> list[SearchCost] | str:
    """Open the search page with each query in a fresh browser (empty cache) and count what
    /pagefind/ sends. Returns a reason string when no browser is available."""
    import functools
    import http.server

    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import Response, sync_playwright
    except ImportError:
        return "playwright is not installed"
    if not chromium.exists():
        return f"{chromium} is absent (make browser)"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    costs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
            for query in queries:
                page = browser.new_context().new_page()
                seen: list[tuple[str, bytes]] = []

                def count(response: Response, seen: list[tuple[str, bytes]] = seen) -> None:
                    if "/pagefind/" in response.url and response.ok:
                        seen.append((response.url, response.body()))

                page.on("response", count)
                url = f"http://127.0.0.1:{server.server_address[1]}/search/?q={query.replace(' ', '+')}"
                page.goto(url)
                # The status first says "Searching…"; the count comes with the results.
                page.wait_for_function("(document.getElementById('bp-status') || {}).innerText"
                                       " && !document.getElementById('bp-status').innerText.startsWith('Searching')",
                                       timeout=60_000)
                page.wait_for_load_state("networkidle")
                message = page.inner_text("#bp-status")
                parts: dict[str, int] = {}
                for u, b in seen:
                    parts[part_of(u)] = parts.get(part_of(u), 0) + transfer_size(u, b)
                costs.append(SearchCost(query, message, sum(len(b) for _, b in seen),
                                        sum(transfer_size(u, b) for u, b in seen), len(seen), parts))
                page.context.close()
            browser.close()
    finally:
        server.shutdown()
    return costs


# ---------------------------------------------------------------------------------------------
# One size, end to end


@dataclass
class SizeResult:
    size: int
    ingest: PhaseRun
    build: PhaseRun
    bare: PhaseRun
    noop_ingest: PhaseRun
    noop: PhaseRun
    edit: PhaseRun
    site: SiteStats
    search: list[SearchCost] | str

    @property
    def ratio(self) -> float:
        return self.build.seconds / self.bare.seconds

    @property
    def peak(self) -> int:
        return max(r.peak_tree_bytes for r in (self.ingest, self.build, self.bare, self.noop, self.edit))


def edit_one_briefing(briefings: Path) -> Path:
    """Change the body of one briefing (the first by path), as an editor would."""
    path = sorted(briefings.rglob("*.md"))[0]
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n\nAn editor's note added for the benchmark.\n", "utf-8")
    return path


def run_size(size: int, work: Path, say: Any) -> SizeResult:
    base = work / str(size)
    shutil.rmtree(base, ignore_errors=True)
    inputs, briefings, docs = base / "inputs", base / "briefings", base / "docs"
    make_inputs(REUTERS_RAW, size, inputs)
    say(f"[{size}] ingest")
    ingest = run_phase("ingest", str(inputs), str(briefings))
    noop_ingest = run_phase("ingest", str(inputs), str(briefings))
    say(f"[{size}] build (generate + MkDocs + search index)")
    build = run_phase("build", str(briefings), str(docs), str(base / "site"))
    say(f"[{size}] bare mkdocs build of the same docs")
    bare = run_phase("mkdocs", str(docs), str(base / "site-bare"))
    noop = run_phase("generate", str(briefings), str(docs), str(base / "site"))
    edit_one_briefing(briefings)
    edit = run_phase("generate", str(briefings), str(docs), str(base / "site"))
    say(f"[{size}] search query sizes")
    return SizeResult(size, ingest, build, bare, noop_ingest, noop, edit, site_stats(base / "site"),
                      measure_search(base / "site"))


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    return (f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {int(mem) / 2**20:.1f} GiB RAM, "
            f"{cpu}; Python {platform.python_version()} on {platform.system()} {platform.release()}")


def mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def size_table(r: SizeResult) -> list[str]:
    t = r.build.result.get("timings", {})
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in t.items())
    overhead = r.build.seconds - sum(t.values())
    rows = [
        ("ingest", f"{r.size / r.ingest.seconds:.0f} articles/s ({r.ingest.seconds:.1f}s, "
                   f"{r.ingest.result['written']} written, {r.ingest.result['rejected']} rejected)"),
        ("ingest again, nothing new", f"{r.noop_ingest.seconds:.1f}s ({r.noop_ingest.result['written']} written, "
                                      f"{r.noop_ingest.result['unchanged'] + r.noop_ingest.result['already']} skipped)"),
        ("full build", f"{r.build.seconds:.1f}s = {phases}, process start + imports {overhead:.1f}s"),
        ("bare `mkdocs build` of the same Markdown", f"{r.bare.seconds:.1f}s"),
        ("full build / bare MkDocs", f"{r.ratio:.2f}x"),
        ("peak memory (process tree)", f"{mb(r.peak)} (largest single process {mb(max(r.build.max_process_bytes, r.ingest.max_process_bytes))})"),
        ("site", f"{mb(r.site.bytes)} in {r.site.files} files ({r.site.html_pages} HTML pages)"),
        ("HTML page size", f"median {kb(r.site.median_page)}, largest {kb(r.site.largest_page[0])} "
                           f"(`{r.site.largest_page[1]}`), largest briefing {kb(r.site.largest_briefing[0])}"),
        ("no-op rebuild", f"{r.noop.result['changed']} generated pages rewritten, {r.noop.result['unchanged']} unchanged "
                          f"({r.noop.seconds:.1f}s, generate only)"),
        ("one briefing edited", f"{r.edit.result['changed']} generated pages rewritten, {r.edit.result['unchanged']} unchanged"),
    ]
    if isinstance(r.search, str):
        rows.append(("first search query", f"not measured: {r.search}"))
    else:
        for c in r.search:
            rows.append((f"first search query '{c.query}'", f"{kb(c.transfer_bytes)} transferred (gzip), "
                                                             f"{kb(c.raw_bytes)} raw, {c.requests} requests "
                                                             f"({', '.join(f'{k} {kb(v)}' for k, v in c.parts.items())}); "
                                                             f"{c.results}"))
    return ["| measure | value |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]


def verdicts(r: SizeResult, reuters: PhaseRun | None) -> list[str]:
    def line(ok: bool, text: str) -> str:
        return f"- {'PASS' if ok else 'FAIL'}: {text}"

    out = [line(r.ratio <= TARGET_BUILD_RATIO and r.build.seconds < TARGET_BUILD_SECONDS,
                f"{r.size} briefings: full build {r.build.seconds:.1f}s, {r.ratio:.2f}x the bare MkDocs build "
                f"(target <= {TARGET_BUILD_RATIO}x and < {TARGET_BUILD_SECONDS:.0f}s)"),
           line(r.peak < TARGET_PEAK_BYTES, f"peak memory {mb(r.peak)} (target < {mb(TARGET_PEAK_BYTES)})"),
           line(r.noop.result["changed"] == 0, f"no-op rebuild rewrote {r.noop.result['changed']} generated files (target 0)"),
           line(r.edit.result["changed"] < TARGET_EDIT_REWRITES,
                f"one-briefing edit rewrote {r.edit.result['changed']} generated files (target < {TARGET_EDIT_REWRITES})"),
           line(r.site.largest_briefing[0] < TARGET_BRIEFING_PAGE_BYTES,
                f"largest briefing page {kb(r.site.largest_briefing[0])} (target < {kb(TARGET_BRIEFING_PAGE_BYTES)})")]
    if isinstance(r.search, list) and r.search:
        worst = max(c.transfer_bytes for c in r.search)
        out.append(line(worst <= TARGET_SEARCH_BYTES,
                        f"first search query downloads at most {kb(worst)} (gzip transfer; target <= {kb(TARGET_SEARCH_BYTES)})"))
    if reuters is not None:
        rate = reuters.result["inputs"] / reuters.seconds
        out.append(line(rate >= TARGET_INGEST_RATE, f"ingest of the {reuters.result['inputs']} Reuters stories: "
                                                    f"{rate:.0f} articles/s (target >= {TARGET_INGEST_RATE:.0f})"))
    return out


def report(results: list[SizeResult], reuters: PhaseRun | None, command: str, loads: list[str] | None = None) -> str:
    lines = ["# Benchmark results", "", f"Command: `{command}`  ", f"Run: {dt.datetime.now():%Y-%m-%d %H:%M}  ",
             f"Machine: {machine()}", "",
             "Inputs: Reuters-21578, Distribution 1.0 (3,000 stories from ../shared/corpus); sizes above 3,000 add "
             "date-shifted stories mixing paragraphs of two originals (seeded RNG). Timings are wall-clock on a "
             "machine other jobs share: compare the ratio to the bare MkDocs build of the same run, not seconds "
             "across runs.", ""]
    if reuters is not None:
        rate = reuters.result["inputs"] / reuters.seconds
        lines += [f"Ingest of the 3,000 Reuters stories (extract + tag + write, one process with its pool): "
                  f"{rate:.0f} articles/s ({reuters.seconds:.1f}s, peak {mb(reuters.peak_tree_bytes)})", ""]
    if loads:
        lines += ["Load average (1 minute) of the machine as each step started, other jobs included: "
                  + "; ".join(loads) + ".", ""]
    for r in results:
        lines += [f"## {r.size:,} briefings", "", *size_table(r), ""]
    if results:
        lines += ["## Targets (issue 7), at the largest size", "", *verdicts(results[-1], reuters), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated archive sizes")
    p.add_argument("--work", default=str(REPO / "benchmarks" / "work"), help="scratch folder (git-ignored)")
    p.add_argument("--out", default=str(REPO / "benchmarks" / "RESULTS.md"), help="report file ('-' for none)")
    p.add_argument("--no-reuters-ingest", action="store_true", help="skip the 3,000-story ingest measurement")
    p.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.phase:
        run_child_phase(args.phase)
        return 0
    if not REUTERS_RAW.is_dir():
        print(f"{REUTERS_RAW} is absent: the benchmark reads the shared corpus beside the repository", file=sys.stderr)
        return 2
    work = Path(args.work)

    loads: list[str] = []

    def say(msg: str) -> None:
        load = os.getloadavg()[0]
        loads.append(f"{msg} {load:.1f}")
        print(f"{msg} (load {load:.1f})", file=sys.stderr, flush=True)

    reuters = None
    if not args.no_reuters_ingest:
        say("ingest of the 3,000 Reuters stories")
        shutil.rmtree(work / "reuters", ignore_errors=True)
        reuters = run_phase("ingest", str(REUTERS_RAW), str(work / "reuters" / "briefings"))
        reuters.result["inputs"] = len(list(REUTERS_RAW.glob("*.txt")))
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.append(run_size(size, work, say))
        text = report(results, reuters, "python -m quality.bench " + " ".join(argv or sys.argv[1:]), loads)
        if args.out != "-":
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
