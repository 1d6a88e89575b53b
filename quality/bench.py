"""The scale benchmark (issue 14): ``make bench`` (``python -m quality.bench [--sizes 1000]``).

Builds archives of 1,000, 10,000 and 50,000 briefings from the Reuters-21578 stories in
``../shared/corpus/reuters21578/raw`` (3,000 real stories; larger sizes are extended
deterministically: date-shifted copies whose bodies mix paragraphs of two stories, chosen by a
seeded RNG, so every derived input has new content and a new id).

Every step runs as the command an editor types (``.venv/bin/briefings ...``), in a work folder
per size that holds copies of the repository's ``mkdocs.yml``, hand-written ``docs/`` and
``vocabulary/``, with the package's default pages and theme overrides copied in, so MkDocs' own
build sees the same pages and templates (nothing writes into the repository): full build from a
clean state, no-op rebuild, one-briefing edit (a title changed; a briefing deleted), 100 new
articles (ingest + build), ``briefings serve`` start and edit-to-visible, and MkDocs' own
single-core ``mkdocs build`` of the same docs as the ratio baseline. Each step is timed by the
wall clock and the peak memory of its whole process tree is sampled from /proc. A step that
fails or passes the per-step time limit is reported with what broke (out of memory, Pagefind,
too many files) and the run goes on.

Results go to ``benchmarks/RESULTS.md``. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from build_tools.site import defaults

REPO = Path(__file__).resolve().parent.parent
REUTERS_RAW = REPO.parent / "shared" / "corpus" / "reuters21578" / "raw"
DEFAULT_SIZES = (1000, 10000, 50000)
SEED = 1987
SEARCH_QUERIES = ("oil", "bank interest rates", "japan trade")
"""A frequent word, a phrase and a two-word query: the first query a reader would type."""

SITE_FILES = ("mkdocs.yml", "vocabulary")
"""What each work folder copies from the repository, besides the hand-written docs."""
GENERATED_DOCS = ("index.md", "tags.md", "briefings", "timeline", "countries", "places", "people",
                  "organizations", "topics", "stories", "feeds")
"""Top-level entries of docs/ that ``briefings build`` generates (the repository's .gitignore
lists them): never copied, so each size starts from the hand-written pages alone."""
BUILD_CACHE = PurePosixPath(".briefings-cache/build")
"""Where the build's caches live inside the briefings folder; deleted before the full build."""
ADDED_ARTICLES = 100
"""New inputs of the add-articles step (issue 14)."""

# The targets of issue 14 ("Done when"), judged at TARGET_SIZE briefings.
TARGET_SIZE = 10_000
TARGET_EDIT_SECONDS = 3.0
"""One-briefing-edit rebuild (title changed, and a briefing deleted)."""
TARGET_SERVE_VISIBLE_SECONDS = 2.0
"""``briefings serve``: from the file's change to the page showing it."""
TARGET_ADD_SECONDS = 20.0
"""100 new articles: ingest + build."""
TARGET_NOOP_SECONDS = 2.0
TARGET_BUILD_RATIO = 1.0
"""Full build / MkDocs' own single-core build of the same docs, in the same run."""
TARGET_PEAK_BYTES = 2 * 2**30
"""Peak memory of the full build's process tree: "2 GB", read as 2 GiB (the table prints MiB)."""
TARGET_INGEST_RATE = 250.0
"""Articles per second ingesting the 3,000 Reuters stories, on this machine's cores."""

STEP_TIMEOUT_SECONDS = 1800.0
"""Per-step time limit (--step-timeout): past it the step is stopped and reported as broken."""
SAMPLE_SECONDS = 0.1
"""How often the process tree's memory is sampled."""
POLL_SECONDS = 0.1
"""How often serve is asked for a page."""
HTTP_TIMEOUT_SECONDS = 10.0
SERVE_SETTLE_SECONDS = 2.0
"""After serve's first answer, before the edit: its file watcher takes its first look at the
briefings on a timer (1 s today); an edit made before that look would go unseen."""
SERVE_STOP_SECONDS = 30.0
"""How long serve gets to exit after SIGINT before it is killed."""
TAIL_LINES = 8
"""Last lines of a failed step's stderr quoted in the report."""


class BenchError(Exception):
    """A problem with the benchmark's own inputs (not a step that broke)."""


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


def input_texts(stories: list[Story], count: int, seed: int = SEED) -> Iterator[tuple[str, str]]:
    """``count`` (file name, text) inputs: the real stories first, then derived ones. The first
    ``n`` of any run are the same for every ``count >= n``, so inputs ``n..n+99`` are new to an
    archive ingested from the first ``n``."""
    rng = random.Random(seed)
    for i in range(count):
        generation, base = divmod(i, len(stories))
        story = stories[base]
        if generation == 0:
            yield f"{story.name}.txt", story_text(story.title, story.stamp, story.paragraphs)
        else:
            yield f"{story.name}-g{generation}.txt", derived_story(story, rng.sample(stories, 2), generation, rng)


def read_stories(raw: Path) -> list[Story]:
    stories = [s for s in (read_story(p) for p in sorted(raw.glob("*.txt"))) if s is not None]
    if not stories:
        raise BenchError(f"{raw}: no Reuters stories found; the benchmark reads ../shared/corpus "
                         "(see ../shared/corpus/README.md)")
    return stories


def make_inputs(raw: Path, count: int, out: Path, seed: int = SEED, skip: int = 0) -> int:
    """Write inputs ``skip..count-1`` of :func:`input_texts` into ``out`` (emptied first)."""
    stories = read_stories(raw)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    written = 0
    for i, (name, text) in enumerate(input_texts(stories, count, seed)):
        if i >= skip:
            (out / name).write_text(text, "utf-8")
            written += 1
    return written


# ---------------------------------------------------------------------------------------------
# What an editor does to a briefing


def retitle(text: str, title: str, source: str = "briefing") -> str:
    """``text`` (a briefing: YAML front matter, then Markdown) with its ``title`` replaced, every
    other line kept byte for byte. The new line is written by the YAML emitter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BenchError(f"{source}:1: no front matter ('---' on the first line); the bench edits "
                         "briefings written by 'briefings ingest'")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise BenchError(f"{source}:1: front matter never closes (no second '---' line)")
    start = next((i for i in range(1, end) if lines[i].startswith("title:")), None)
    if start is None:
        raise BenchError(f"{source}: front matter has no 'title:' key at the top level")
    stop = start + 1
    while stop < end and lines[stop][:1] in (" ", "\t"):  # a long title folded over several lines
        stop += 1
    new = yaml.safe_dump({"title": title}, allow_unicode=True, width=2**31 - 1, sort_keys=False)
    return "\n".join([*lines[:start], *new.rstrip("\n").split("\n"), *lines[stop:]])


def page_url(briefing: PurePosixPath) -> str:
    """Site-relative URL of a briefing's page, from its path inside the briefings folder
    (``2021/03/slug.md`` -> ``briefings/2021/03/slug/``, MkDocs' directory URLs)."""
    return f"briefings/{briefing.with_suffix('').as_posix()}/"


def pick(paths: Sequence[PurePosixPath], count: int) -> list[PurePosixPath]:
    """``count`` distinct paths spread evenly over ``paths`` (sorted): the briefings edited."""
    ordered = sorted(paths)
    if len(ordered) < count:
        raise BenchError(f"the archive holds {len(ordered)} briefings; the bench edits {count}")
    return [ordered[len(ordered) * (k + 1) // (count + 1)] for k in range(count)]


def briefing_files(briefings: Path) -> list[PurePosixPath]:
    return [PurePosixPath(p.relative_to(briefings).as_posix()) for p in briefings.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(briefings).parts)]


# ---------------------------------------------------------------------------------------------
# Steps: one command each, timed, with the process tree's memory sampled


@dataclass
class StepRun:
    name: str
    status: str = "ok"
    """ok, failed (what broke is in ``problem``), wrong (it ran, the result is wrong), skipped."""
    seconds: float = 0.0
    peak_bytes: int = 0
    """Largest sum of resident memory over the step's process tree (sampled)."""
    problem: str = ""
    tail: list[str] = field(default_factory=list)
    """Last lines of stderr of a step that broke."""
    summary: str = ""
    """The command's own closing line (``build: 1,000 briefings, ...``), or what was checked."""
    load: float = 0.0
    """1-minute load average of the machine as the step started."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def skipped(name: str, why: str) -> StepRun:
    return StepRun(name, status="skipped", problem=why)


def combined(name: str, parts: Sequence[StepRun]) -> StepRun:
    """One step made of ``parts`` run in a row: times add up, the peak is the largest."""
    broken = next((p for p in parts if not p.ok), None)
    return StepRun(name, status=broken.status if broken else "ok", seconds=sum(p.seconds for p in parts),
                   peak_bytes=max((p.peak_bytes for p in parts), default=0),
                   problem=f"{broken.name}: {broken.problem}" if broken else "", tail=broken.tail if broken else [],
                   load=parts[0].load if parts else 0.0)


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


class TreeSampler:
    """Samples the memory of a process tree on a thread; :meth:`take` gives the peak since the
    last take, so one long-running process (serve) can report a peak per phase."""

    def __init__(self, pid: int) -> None:
        self._pid, self._peak = pid, 0
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = tree_rss(self._pid)
            with self._lock:
                self._peak = max(self._peak, rss)
            self._stop.wait(SAMPLE_SECONDS)

    def take(self) -> int:
        with self._lock:
            peak, self._peak = self._peak, 0
        return peak

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.take()


def tail(text: str, lines: int = TAIL_LINES) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()[-lines:]]


def classify_failure(returncode: int | None, timed_out: bool, stderr: str, limit_seconds: float,
                     open_files_limit: int | None = None) -> str:
    """What broke, in the words of issue 14: out of memory, Pagefind, too many files, time."""
    text = stderr.lower()
    if timed_out:
        return f"exceeded the step time limit ({limit_seconds:.0f} s) and was stopped"
    if returncode in (-signal.SIGKILL, 128 + signal.SIGKILL) or "memoryerror" in text \
            or "cannot allocate memory" in text or "out of memory" in text:
        return "out of memory (killed, or an allocation failed)"
    if "too many open files" in text or "errno 24" in text:
        limit = f" (ulimit -n {open_files_limit})" if open_files_limit else ""
        return f"too many open files{limit}"
    if "no space left on device" in text or "errno 28" in text:
        return "disk full or out of inodes (no space left on device)"
    if "pagefind" in text:
        return f"Pagefind error (exit {returncode})"
    if returncode is not None and returncode < 0:
        return f"killed by signal {signal.Signals(-returncode).name}"
    return f"exit {returncode}"


def summary_line(stderr: str, prefix: str) -> str:
    """The last line of ``stderr`` that starts with ``prefix`` (the command's closing summary)."""
    return next((line.strip() for line in reversed(stderr.splitlines()) if line.startswith(prefix)), "")


def open_files_limit() -> int:
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def kill_group(pgid: int) -> None:
    """SIGKILL what is left of a process group the bench started (its own session)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_step(name: str, cmd: list[str], cwd: Path, logs: Path, timeout: float, summary_prefix: str = "",
             completed_codes: tuple[int, ...] = (0,)) -> StepRun:
    """Run ``cmd`` in ``cwd``; stdout and stderr go to ``logs/<name>.*``. Exit codes in
    ``completed_codes`` count as done when the command printed its summary (``briefings ingest``
    exits 1 when some input was rejected, having written all the others)."""
    logs.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    out_path, err_path = logs / f"{stem}.out", logs / f"{stem}.err"
    load = os.getloadavg()[0]
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc.pid)
            proc.wait()
        seconds = time.perf_counter() - start
        peak = sampler.stop()
    stderr = err_path.read_text("utf-8", errors="replace")
    summary = summary_line(stderr, summary_prefix) if summary_prefix else ""
    done = not timed_out and (proc.returncode == 0 or (proc.returncode in completed_codes and bool(summary)))
    if done:
        return StepRun(name, seconds=seconds, peak_bytes=peak, summary=summary, load=load)
    return StepRun(name, status="failed", seconds=seconds, peak_bytes=peak, load=load, summary=summary,
                   problem=classify_failure(proc.returncode, timed_out, stderr, timeout, open_files_limit()),
                   tail=tail(stderr))


# ---------------------------------------------------------------------------------------------
# briefings serve: start, then an edit until it is visible


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page's HTML when it answers 200, else None (not up yet, 404 while building...)."""
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as response:
            if response.status == 200:
                return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError, ValueError):
        pass
    return None


def poll(until: Callable[[], bool], proc: subprocess.Popen[bytes], deadline: float) -> str:
    """'' when ``until()`` came true; else why not ('exited' or 'timeout')."""
    while time.perf_counter() < deadline:
        if until():
            return ""
        if proc.poll() is not None:
            return "exited"
        time.sleep(POLL_SECONDS)
    return "timeout"


def stop_serve(proc: subprocess.Popen[bytes]) -> str:
    """SIGINT (as Ctrl+C), then SIGKILL to its process group if it has not exited in time."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=SERVE_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            proc.wait()
            return f"serve did not exit {SERVE_STOP_SECONDS:.0f} s after SIGINT and was killed"
    kill_group(proc.pid)  # anything it left behind in its group
    return ""


def run_serve(briefings_bin: Path, base: Path, edit: PurePosixPath, title: str, logs: Path,
              timeout: float) -> tuple[StepRun, StepRun]:
    """``briefings serve``: time to the first page answering 200, then from changing ``edit``'s
    title to its page showing it. Two steps, each with the tree's peak memory of its phase."""
    port = free_port()
    root = f"http://127.0.0.1:{port}/"
    logs.mkdir(parents=True, exist_ok=True)
    err_path = logs / "serve.err"
    start_step, edit_step = StepRun("serve start", load=os.getloadavg()[0]), StepRun("serve edit-to-visible")

    def broke(step: StepRun, why: str, seconds: float) -> None:
        stderr = err_path.read_text("utf-8", errors="replace")
        step.status, step.seconds, step.tail = "failed", seconds, tail(stderr)
        step.problem = (classify_failure(proc.returncode, why == "timeout", stderr, timeout, open_files_limit())
                        if why != "wrong" else "")

    with (logs / "serve.out").open("w") as out, err_path.open("w") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(briefings_bin), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=base,
                                stdout=out, stderr=err, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        try:
            why = poll(lambda: fetch(root) is not None, proc, t0 + timeout)
            start_step.seconds, start_step.peak_bytes = time.perf_counter() - t0, sampler.take()
            if why:
                broke(start_step, why, start_step.seconds)
                edit_step.status, edit_step.problem = "skipped", "serve did not start"
                return start_step, edit_step
            start_step.summary = f"{root} answered 200"
            page = root + page_url(edit)
            time.sleep(SERVE_SETTLE_SECONDS)
            sampler.take()
            path = base / "briefings" / edit
            edit_step.load = os.getloadavg()[0]
            t1 = time.perf_counter()
            path.write_text(retitle(path.read_text("utf-8"), title, str(path)), "utf-8")
            why = poll(lambda: title in (fetch(page) or ""), proc, t1 + timeout)
            edit_step.seconds, edit_step.peak_bytes = time.perf_counter() - t1, sampler.take()
            if why:
                broke(edit_step, why, edit_step.seconds)
            else:
                edit_step.summary = f"{page} shows the new title"
        finally:
            stopped = stop_serve(proc)
            sampler.stop()
        if stopped:
            edit_step.summary = "; ".join(s for s in (edit_step.summary, stopped) if s)
    return start_step, edit_step


# ---------------------------------------------------------------------------------------------
# Files: the site's, and the file system's inodes


@dataclass
class FileCounts:
    site_files: int
    site_bytes: int
    html_pages: int
    median_page: int
    largest_page: tuple[int, str]
    docs_files: int
    inodes_used: int
    inodes_total: int
    """0 when the file system does not count inodes."""
    disk_free: int


def count_files(folder: Path) -> tuple[int, int]:
    files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                size += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
            files += 1
    return files, size


def file_counts(base: Path) -> FileCounts:
    site, sizes = base / "site", []
    for path in site.rglob("*.html"):
        sizes.append((path.stat().st_size, path.relative_to(site).as_posix()))
    files, size = count_files(site)
    fs = os.statvfs(base)
    return FileCounts(files, size, len(sizes), int(statistics.median(s for s, _ in sizes)) if sizes else 0,
                      max(sizes, default=(0, "")), count_files(base / "docs")[0], fs.f_files - fs.f_ffree,
                      fs.f_files, fs.f_bavail * fs.f_frsize)


# ---------------------------------------------------------------------------------------------
# First search query: what a reader's browser downloads (needs Playwright and Chromium)


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
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query.replace(' ', '+')}")
                # The status first says "Searching…"; the count comes with the results.
                page.wait_for_function("(document.getElementById('bp-status') || {}).innerText"
                                       " && !document.getElementById('bp-status').innerText.startsWith('Searching')",
                                       timeout=60_000)
                page.wait_for_load_state("networkidle")
                costs.append(SearchCost(query, page.inner_text("#bp-status"), sum(len(b) for _, b in seen),
                                        sum(transfer_size(u, b) for u, b in seen), len(seen)))
                page.context.close()
            browser.close()
    except Exception as exc:  # a browser that cannot start is a missing measurement, not a broken run
        return f"the browser failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
    finally:
        server.shutdown()
    return costs


# ---------------------------------------------------------------------------------------------
# One size, end to end

INGEST, FULL, BARE, NOOP = "ingest", "full build", "bare mkdocs build", "no-op rebuild"
EDIT, DELETE = "one-briefing edit rebuild (title changed)", "one-briefing edit rebuild (briefing deleted)"
ADD_INGEST, ADD_BUILD, ADD = "add 100: ingest", "add 100: build", "add 100 articles (ingest + build)"
SERVE_START, SERVE_EDIT = "serve start", "serve edit-to-visible"
STEP_ORDER = (INGEST, FULL, BARE, NOOP, EDIT, DELETE, ADD_INGEST, ADD_BUILD, ADD, SERVE_START, SERVE_EDIT)


@dataclass
class SizeResult:
    size: int
    steps: dict[str, StepRun]
    files: FileCounts | None = None
    search: list[SearchCost] | str = "--no-search"
    notes: list[str] = field(default_factory=list)

    def step(self, name: str) -> StepRun:
        return self.steps.get(name) or skipped(name, "not run")


@dataclass(frozen=True)
class Tools:
    briefings: Path
    mkdocs: Path
    build_clean: bool
    """``briefings build --clean`` exists (rebuilds its caches from nothing)."""


def find_tools() -> Tools:
    bin_dir = Path(sys.executable).parent
    briefings, mkdocs = bin_dir / "briefings", bin_dir / "mkdocs"
    for tool in (briefings, mkdocs):
        if not tool.exists():
            raise BenchError(f"{tool}: not found; run 'make install', then the bench with .venv/bin/python")
    help_text = subprocess.run([str(briefings), "build", "--help"], capture_output=True, text=True,
                               check=False).stdout
    return Tools(briefings, mkdocs, has_option(help_text, "--clean"))


def has_option(help_text: str, option: str) -> bool:
    return re.search(rf"(^|[\s,\[]){re.escape(option)}\b", help_text) is not None


def prepare_site_folder(base: Path, repo: Path = REPO) -> None:
    """``base`` holding the repository's site configuration, vocabulary and hand-written docs (never
    the generated ones), and the package's theme overrides as the site's own ``custom_dir``."""
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    for name in SITE_FILES:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, base / name, symlinks=True)
        else:
            shutil.copy2(source, base / name)
    shutil.copytree(defaults.OVERRIDES, base / "overrides")
    config = base / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1),
                      "utf-8")
    reset_docs(base / "docs", repo / "docs")


def reset_docs(docs: Path, source: Path) -> None:
    """``docs`` holding the hand-written pages of ``source`` and the package's default pages it lacks."""
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(source, docs, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in GENERATED_DOCS])
    shutil.copytree(defaults.DOCS, docs, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if (docs / Path(folder).relative_to(defaults.DOCS) / n).is_file()])


def clean_state(base: Path) -> None:
    """No site, no generated docs, no build caches (the ingest cache stays)."""
    for folder in (base / "site", base / "briefings" / BUILD_CACHE):
        shutil.rmtree(folder, ignore_errors=True)
    reset_docs(base / "docs", REPO / "docs")


def has_generated_docs(docs: Path) -> bool:
    return next((docs / "briefings").rglob("*.md"), None) is not None if (docs / "briefings").is_dir() else False


def run_size(size: int, work: Path, tools: Tools, timeout: float, search: bool, say: Callable[[str], None]) -> SizeResult:
    base, logs = work / str(size), work / str(size) / "logs"
    prepare_site_folder(base)
    make_inputs(REUTERS_RAW, size, base / "inputs")
    make_inputs(REUTERS_RAW, size + ADDED_ARTICLES, base / "inputs-added", skip=size)
    result = SizeResult(size, {})
    steps = result.steps
    began = time.perf_counter()
    bf = str(tools.briefings)

    def step(name: str, cmd: list[str], prefix: str = "", codes: tuple[int, ...] = (0,)) -> StepRun:
        say(f"[{size}] {name}")
        steps[name] = run_step(name, cmd, base, logs, timeout, prefix, codes)
        return steps[name]

    build_cmd = [bf, "build"]
    step(INGEST, [bf, "ingest", "inputs"], "ingest:", (0, 1))
    clean_state(base)
    step(FULL, [*build_cmd, *(["--clean"] if tools.build_clean else [])], "build:", (0, 1))
    if has_generated_docs(base / "docs"):
        bare = step(BARE, [str(tools.mkdocs), "build", "--quiet", "--site-dir", "site-bare"])
        if bare.ok:
            bare.summary = f"MkDocs' own build of the same {count_files(base / 'docs')[0]:,} docs files, one core"
        shutil.rmtree(base / "site-bare", ignore_errors=True)  # its files are the site's again: disk
    else:
        steps[BARE] = skipped(BARE, "docs/ holds no generated pages after the full build: nothing to compare with")
    try:
        edited, deleted, served = pick(briefing_files(base / "briefings"), 3)
    except BenchError as exc:  # ingest wrote (almost) nothing: nothing to edit, said in the report
        for name in (NOOP, EDIT, DELETE, ADD_INGEST, ADD_BUILD, ADD, SERVE_START, SERVE_EDIT):
            steps[name] = skipped(name, str(exc))
        result.files = file_counts(base)
        return result
    if steps[FULL].ok:
        step(NOOP, build_cmd, "build:", (0, 1))
        edit_title = f"Benchmark retitled briefing {size} one"
        path = base / "briefings" / edited
        path.write_text(retitle(path.read_text("utf-8"), edit_title, str(path)), "utf-8")
        check_site(step(EDIT, build_cmd, "build:", (0, 1)), base / "site" / page_url(edited), edit_title)
        (base / "briefings" / deleted).unlink()
        check_site(step(DELETE, build_cmd, "build:", (0, 1)), base / "site" / page_url(deleted), None)
        step(ADD_INGEST, [bf, "ingest", "inputs-added"], "ingest:", (0, 1))
        step(ADD_BUILD, build_cmd, "build:", (0, 1))
        steps[ADD] = combined(ADD, [steps[ADD_INGEST], steps[ADD_BUILD]])
    else:
        for name in (NOOP, EDIT, DELETE, ADD_INGEST, ADD_BUILD, ADD):
            steps[name] = skipped(name, "the full build broke")
    say(f"[{size}] serve")
    steps[SERVE_START], steps[SERVE_EDIT] = run_serve(tools.briefings, base, served,
                                                      f"Benchmark retitled briefing {size} two", logs, timeout)
    result.notes.append(f"Edited: `{edited}` (title), deleted: `{deleted}`, edited under serve: `{served}`; "
                        f"every command's output in `{shown(logs)}/`")
    result.files = file_counts(base)
    if search and (base / "site").is_dir():
        say(f"[{size}] first search query sizes")
        result.search = measure_search(base / "site")
    result.notes.append(f"This size took {(time.perf_counter() - began) / 60:.1f} min in all, input generation included")
    return result


def shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (the report names no home folders)."""
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def check_site(step: StepRun, page_dir: Path, title: str | None) -> None:
    """After an edit's rebuild: the page shows the new ``title``; after a deletion (None), it is gone."""
    if not step.ok:
        return
    page = page_dir / "index.html"
    if title is None:
        if page.exists():
            step.status, step.problem = "wrong", f"the deleted briefing's page is still in the site ({page.name})"
    elif not page.is_file() or title not in page.read_text("utf-8", errors="replace"):
        step.status, step.problem = "wrong", "the rebuilt page does not show the new title"


# ---------------------------------------------------------------------------------------------
# Report


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def ratio(step: StepRun, bare: StepRun) -> str:
    if not step.ok or not bare.ok or bare.seconds <= 0:
        return ""
    return f"{step.seconds / bare.seconds:.2f}x"


def outcome(step: StepRun) -> str:
    if step.ok:
        return step.summary.replace("|", "\\|")
    text = {"failed": "BROKE", "wrong": "WRONG", "skipped": "skipped"}.get(step.status, step.status)
    return f"{text}: {step.problem}".replace("|", "\\|")


def seconds(step: StepRun) -> str:
    if step.status == "skipped":
        return "-"
    return f"{step.seconds:.1f} s" if step.ok or step.status == "wrong" else f"({step.seconds:.1f} s)"


def size_table(r: SizeResult) -> list[str]:
    """The size's steps: time, ratio to the bare MkDocs build, peak memory, outcome."""
    bare = r.step(BARE)
    rows = ["| step | wall time | / bare mkdocs | peak memory | load | outcome |",
            "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name in STEP_ORDER:
        if name not in r.steps:
            continue
        s = r.steps[name]
        label = f"{name} ({r.size:,} inputs)" if name == INGEST else name
        if name == INGEST and s.ok and s.seconds > 0:
            label += f", {r.size / s.seconds:.0f} articles/s"
        rows.append(f"| {label} | {seconds(s)} | {ratio(s, bare)} | {mib(s.peak_bytes) if s.peak_bytes else '-'} | "
                    f"{s.load:.1f} | {outcome(s)} |")
    return rows


def files_lines(f: FileCounts) -> list[str]:
    inodes = (f"{f.inodes_used:,} of {f.inodes_total:,} inodes used on the work folder's file system "
              f"({100 * f.inodes_used / f.inodes_total:.0f} %)" if f.inodes_total else
              "the work folder's file system does not count inodes")
    return [f"- Site: {f.site_files:,} files, {mib(f.site_bytes)}, {f.html_pages:,} HTML pages (median "
            f"{kib(f.median_page)}, largest {kib(f.largest_page[0])} `{f.largest_page[1]}`); docs/: "
            f"{f.docs_files:,} files",
            f"- File system: {inodes}; {f.disk_free / 2**30:.1f} GiB free"]


def search_lines(search: list[SearchCost] | str) -> list[str]:
    if isinstance(search, str):
        return [f"- First search query: not measured: {search}"]
    return [f"- First search query '{c.query}': {kib(c.transfer_bytes)} transferred (gzip), {kib(c.raw_bytes)} "
            f"raw, {c.requests} requests; {c.results}" for c in search]


def broken_steps(r: SizeResult) -> list[StepRun]:
    return [r.steps[n] for n in STEP_ORDER if n in r.steps and r.steps[n].status in ("failed", "wrong")]


def first_break(r: SizeResult, memory_total: int) -> str:
    """What breaks first at this size (issue 14: memory, Pagefind, file counts), else how close
    the limits are."""
    broken = broken_steps(r)
    if broken:
        b = broken[0]
        return f"First to break at {r.size:,}: {b.name}: {b.problem}."
    peak = max((s.peak_bytes for s in r.steps.values()), default=0)
    parts = [f"peak memory {mib(peak)}" + (f" ({100 * peak / memory_total:.0f} % of RAM)" if memory_total else "")]
    if r.files and r.files.inodes_total:
        parts.append(f"inodes {100 * r.files.inodes_used / r.files.inodes_total:.0f} % used")
    if r.files:
        parts.append(f"{r.files.site_files:,} site files")
    return f"Nothing broke at {r.size:,}; closest limits: {', '.join(parts)}."


def tails(r: SizeResult) -> list[str]:
    out: list[str] = []
    for s in broken_steps(r):
        if s.tail:
            out += [f"Last lines of `{s.name}`:", "", "```", *s.tail, "```", ""]
    return out


@dataclass(frozen=True)
class Verdict:
    passed: bool
    text: str

    def line(self) -> str:
        return f"- {'PASS' if self.passed else 'FAIL'}: {self.text}"


def time_verdict(step: StepRun, limit: float, what: str) -> Verdict:
    if not step.ok:
        return Verdict(False, f"{what}: {outcome(step)} (target <= {limit:g} s)")
    return Verdict(step.seconds <= limit, f"{what} {step.seconds:.1f} s (target <= {limit:g} s)")


def verdicts(r: SizeResult, reuters: StepRun | None, reuters_count: int, cores: int) -> list[Verdict]:
    """Issue 14's targets, judged on ``r`` (they are set for TARGET_SIZE briefings)."""
    full, bare = r.step(FULL), r.step(BARE)
    out = [time_verdict(r.step(EDIT), TARGET_EDIT_SECONDS, "one-briefing edit rebuild (title changed)"),
           time_verdict(r.step(DELETE), TARGET_EDIT_SECONDS, "one-briefing edit rebuild (briefing deleted)"),
           time_verdict(r.step(SERVE_EDIT), TARGET_SERVE_VISIBLE_SECONDS, "serve edit-to-visible"),
           time_verdict(r.step(ADD), TARGET_ADD_SECONDS, "add 100 articles (ingest + build)"),
           time_verdict(r.step(NOOP), TARGET_NOOP_SECONDS, "no-op rebuild")]
    if full.ok and bare.ok:
        out.append(Verdict(full.seconds <= TARGET_BUILD_RATIO * bare.seconds,
                           f"full build {full.seconds:.1f} s = {full.seconds / bare.seconds:.2f}x the bare single-core "
                           f"`mkdocs build` ({bare.seconds:.1f} s) (target <= {TARGET_BUILD_RATIO:g}x)"))
    else:
        out.append(Verdict(False, f"full build vs bare mkdocs build: {outcome(full if not full.ok else bare)}"))
    out.append(Verdict(full.ok and full.peak_bytes <= TARGET_PEAK_BYTES,
                       f"full build peak memory {mib(full.peak_bytes)} (target <= {mib(TARGET_PEAK_BYTES)})"
                       + ("" if full.ok else f"; {outcome(full)}")))
    if reuters is not None:
        if reuters.ok and reuters.seconds > 0:
            rate = reuters_count / reuters.seconds
            out.append(Verdict(rate >= TARGET_INGEST_RATE, f"ingest of the {reuters_count:,} Reuters stories: "
                                                          f"{rate:.0f} articles/s on {cores} cores "
                                                          f"(target >= {TARGET_INGEST_RATE:g})"))
        else:
            out.append(Verdict(False, f"ingest of the Reuters stories: {outcome(reuters)}"))
    return out


@dataclass(frozen=True)
class Machine:
    description: str
    cores: int
    memory_total: int


def machine() -> Machine:
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    usable = len(os.sched_getaffinity(0))
    return Machine(f"{os.cpu_count()} cores ({usable} usable), {int(mem) / 2**20:.1f} GiB RAM, {cpu}; "
                   f"Python {platform.python_version()} on {platform.system()} {platform.release()}; "
                   f"open files limit (ulimit -n) {open_files_limit()}", usable, int(mem) * 1024)


def commit() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() or "unknown"


PAST_ONE_MACHINE = ("The plan past one machine (partitioned builds by year or section, or sharded rendering; one "
                    "search over merged Pagefind indexes with `mergeIndex`; the ingest's extract-and-tag map run "
                    "across machines with Dask distributed) is on the site's Deploying page, "
                    "`docs/editors/deploy.md`, section \"Past one machine\". What broke first at each size is above.")
"""The closing section of every report (issue 14 asks for the plan beside the figures)."""


@dataclass
class Run:
    command: str
    started: dt.datetime
    machine: Machine
    code: str
    tools: Tools
    reuters: StepRun | None = None
    reuters_count: int = 0
    sizes: list[SizeResult] = field(default_factory=list)


def report(run: Run) -> str:
    lines = ["# Benchmark results (issue 14)", "", f"Command: `{run.command}`  ",
             f"Run: {run.started:%Y-%m-%d %H:%M}, code {run.code}  ", f"Machine: {run.machine.description}", "",
             "Every step is the command an editor runs (`briefings build`, `briefings ingest`, `briefings serve`, "
             "`mkdocs build`) in a work folder per size holding copies of the site's configuration, "
             "hand-written docs, the package's default pages and theme overrides, and vocabulary. Wall-clock times on a machine other jobs share (the "
             "load column is the 1-minute load average as the step started): compare the ratio to the bare "
             "single-core `mkdocs build` of the same docs in the same run, not seconds across runs. Peak memory "
             "is the largest sum of resident memory over the step's process tree, sampled every "
             f"{SAMPLE_SECONDS:g} s. The full build starts with no site, no generated docs and no build caches"
             + (" (`briefings build --clean`)." if run.tools.build_clean else
                f" (`{BUILD_CACHE}` deleted; this code has no `briefings build --clean`)."),
             "",
             "Inputs: Reuters-21578, Distribution 1.0 (3,000 stories from ../shared/corpus); sizes above 3,000 add "
             "date-shifted stories mixing paragraphs of two originals (seeded RNG). The 100 added articles are "
             "the next 100 inputs of the same sequence.", ""]
    if run.reuters is not None:
        r = run.reuters
        rate = f"{run.reuters_count / r.seconds:.0f} articles/s" if r.ok and r.seconds else outcome(r)
        lines += [f"Ingest of the {run.reuters_count:,} Reuters stories (`briefings ingest`, {run.machine.cores} "
                  f"cores): {rate} ({r.seconds:.1f} s, peak {mib(r.peak_bytes)}, load {r.load:.1f}); {r.summary}", ""]
    for s in run.sizes:
        lines += [f"## {s.size:,} briefings", "", *size_table(s), ""]
        if s.files:
            lines += files_lines(s.files)
        lines += [*search_lines(s.search), *(f"- {n}" for n in s.notes), "",
                  first_break(s, run.machine.memory_total), "", *tails(s)]
    judged = next((s for s in run.sizes if s.size == TARGET_SIZE), None)
    if judged is not None:
        lines += [f"## Targets (issue 14), at {TARGET_SIZE:,} briefings", ""]
    elif run.sizes:
        judged = run.sizes[-1]
        lines += [f"## Targets (issue 14), at {judged.size:,} briefings", "",
                  f"The targets are set for {TARGET_SIZE:,} briefings; this run did not build that size, so these "
                  f"verdicts at {judged.size:,} are indicative only.", ""]
    if judged is not None:
        lines += [v.line() for v in verdicts(judged, run.reuters, run.reuters_count, run.machine.cores)]
        lines.append("")
    if run.sizes:
        lines += ["## What breaks first, by size", "", *(f"- {first_break(s, run.machine.memory_total)}"
                                                       for s in run.sizes), ""]
    lines += ["## Past one machine", "", PAST_ONE_MACHINE, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated archive sizes")
    p.add_argument("--work", default=str(REPO / "benchmarks" / "work"), help="scratch folder (git-ignored)")
    p.add_argument("--out", default=str(REPO / "benchmarks" / "RESULTS.md"), help="report file ('-' for none)")
    p.add_argument("--step-timeout", type=float, default=STEP_TIMEOUT_SECONDS, metavar="SECONDS",
                   help=f"time limit of each step (default {STEP_TIMEOUT_SECONDS:.0f})")
    p.add_argument("--no-reuters-ingest", action="store_true", help="skip the 3,000-story ingest measurement")
    p.add_argument("--no-search", action="store_true", help="skip the first-search-query sizes (needs Chromium)")
    args = p.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error(f"--sizes {args.sizes!r}: give whole numbers separated by commas, e.g. --sizes 1000,10000")
    if not REUTERS_RAW.is_dir():
        print(f"{REUTERS_RAW} is absent: the benchmark reads the shared corpus beside the repository", file=sys.stderr)
        return 2
    try:
        tools = find_tools()
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    work = Path(args.work).resolve()
    run = Run("python -m quality.bench " + " ".join(sys.argv[1:] if argv is None else argv), dt.datetime.now(),
              machine(), commit(), tools)

    def say(msg: str) -> None:
        print(f"{msg} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)

    def write() -> str:
        text = report(run)
        if args.out != "-":
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(text + "\n", "utf-8")
        return text

    try:
        if not args.no_reuters_ingest:
            say("ingest of the 3,000 Reuters stories")
            base = work / "reuters"
            prepare_site_folder(base)
            run.reuters = run_step("reuters ingest", [str(tools.briefings), "ingest", str(REUTERS_RAW)], base,
                                   base / "logs", args.step_timeout, "ingest:", (0, 1))
            run.reuters_count = len(list(REUTERS_RAW.glob("*.txt")))
            write()
        for size in sizes:
            run.sizes.append(run_size(size, work, tools, args.step_timeout, not args.no_search, say))
            write()
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(write())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
