"""Ingest scaling benchmark: ``python -m quality.bench_ingest [--python PY] [--runs N]``.

Prints, for the 3,000 Reuters-21578 stories in ``../shared/corpus/reuters21578/raw``:

* ingest throughput (articles/s, process start and imports included) into an empty archive,
  cold (no ``.briefings-cache/`` at all) and with a warm vocabulary cache;
* the seconds to add 100 new articles to the resulting archive of ~3,000 briefings;
* the CLI (``briefings ingest``) throughput, cold.

With ``--scheduler local`` it prints instead, for the same stories in the same run, ingest's
throughput with the process pool and with a Dask ``LocalCluster`` of as many one-thread worker
processes as the pool has cores (``build_tools.distributed``), the cluster's overhead per article,
and whether both archives are byte-identical; ``--scheduler tcp://HOST:8786`` measures a running
cluster instead. Both are timed around the ``ingest()`` call alone, in a child process that has
loaded the vocabulary and, for Dask, started (or reached) the cluster first: a deployed cluster is
up before ingest runs. The LocalCluster's start is printed beside it.

With ``--baseline /work/main/.venv/bin/python`` it prints instead the cold ingest of both checkouts,
run one after the other ``--runs`` times: articles/s, CPU seconds per article (every process of
the run, workers included: on a shared machine it moves far less than the wall-clock time), the
ratios, and whether both archives are byte-identical.

With ``--stages N`` it prints instead where a pool worker's CPU goes: ``ingest.prepare_item`` on N
stories run serially in this process (read, extraction and tagging, the name finder inside tagging
and its features and tokenizer, the rest: the draft), CPU milliseconds per article.

Each measurement is one child process, timed from launch to exit. ``--python`` runs the children
with another checkout's interpreter (``/work/main/.venv/bin/python`` gives the figures before a
change; a pipeline without the vocabulary cache just compiles it). Not a test: nothing asserts a
time, and on a shared machine compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from build_tools.parallel import available_cores

REPO = Path(__file__).resolve().parent.parent
REUTERS_RAW = REPO.parent / "shared" / "corpus" / "reuters21578" / "raw"
NEW_ARTICLES = 100

CHILD = """
import sys
from pathlib import Path
from build_tools.ingest import ingest
from build_tools.tag.entities import load_vocabulary
inputs, root, vocabulary, cached = sys.argv[1:5]
try:
    vocab = load_vocabulary(Path(vocabulary), cache=Path(root) if cached == "1" else None)
except TypeError:  # a pipeline without the vocabulary cache
    vocab = load_vocabulary(Path(vocabulary))
report = ingest([Path(inputs)], Path(root), vocab)
print(len(report.written), len(report.rejected), len(report.duplicates))
"""


def timed(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Seconds from launch to exit of ``cmd``, run in the checkout its interpreter belongs to."""
    seconds, _cpu, out = timed_cpu(cmd, ok)
    return seconds, out


def timed_cpu(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """``timed``, and the CPU seconds (user + system) ``cmd`` and the processes it waited for used:
    on a shared machine the CPU an article costs moves far less than the wall-clock time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=checkout(cmd[0]), check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def checkout(program: str) -> Path:
    """The repository a ``.venv/bin/`` program belongs to (its packages are that checkout's)."""
    path = Path(program).absolute()
    return path.parents[2] if path.parent.parent.name == ".venv" else REPO


def ingest_child(python: str, inputs: Path, root: Path, cached: bool) -> float:
    # -P: never import from the working folder, only the interpreter's own (editable) install.
    seconds, _ = timed([python, "-P", "-c", CHILD, str(inputs), str(root), str(REPO / "vocabulary"), "1" if cached else "0"])
    return seconds


def new_articles(raw: Path, out: Path, count: int = NEW_ARTICLES, start: int = 0) -> Path:
    """``count`` new inputs, none in the archive: the headline and wire time of one story and a
    third of the body of each of three others (too little of any one to be its near-duplicate)."""
    files = sorted(raw.glob("*.txt"))
    out.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        head = files[start + k].read_text("utf-8").split("\n")[:3]
        body: list[str] = []
        n = start + k
        for other in (files[(n + 1000) % len(files)], files[(n + 2000) % len(files)], files[(n + 500) % len(files)]):
            lines = [line for line in other.read_text("utf-8").split("\n")[3:] if line.strip()]
            body += lines[: max(1, len(lines) // 3)]
        (out / f"new-{start + k:04d}.txt").write_text("\n".join([*head, *body, " Reuter", ""]), "utf-8")
    return out


CHILD_MAP = """
import json, sys, time
from pathlib import Path
from build_tools.ingest import ingest
from build_tools.tag.entities import load_vocabulary
inputs, root, vocabulary, cache, scheduler, workers = sys.argv[1:7]
vocab = load_vocabulary(Path(vocabulary), cache=Path(cache))
executor, started = None, 0.0
if scheduler:
    from dask.distributed import Client, LocalCluster
    from build_tools.distributed import Cluster
    t = time.perf_counter()
    if scheduler == "local":
        local = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(local, set_as_default=False)
    else:
        client = Client(scheduler, set_as_default=False)
    client.wait_for_workers(1)
    executor, started = Cluster(client), time.perf_counter() - t
t = time.perf_counter()
report = ingest([Path(inputs)], Path(root), vocab, executor=executor)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "started": started, "written": len(report.written)}))
if executor is not None:
    executor.close()
"""


class MapRun(NamedTuple):
    seconds: float
    """Around the ``ingest()`` call."""
    started: float
    """Seconds to start (or reach) the cluster and see a worker, before the timed call."""


def map_child(python: str, inputs: Path, root: Path, cache: Path, scheduler: str, workers: int) -> MapRun:
    _, line = timed([python, "-P", "-c", CHILD_MAP, str(inputs), str(root), str(REPO / "vocabulary"), str(cache),
                     scheduler, str(workers)])
    got = json.loads(line)
    return MapRun(float(got["seconds"]), float(got["started"]))


def briefing_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def compare_scheduler(python: str, raw: Path, scheduler: str, runs: int) -> None:
    """Pool vs Dask cluster, one after the other, ``runs`` times, in one run of this tool."""
    stories = len(list(raw.glob("*.txt")))
    workers = available_cores()
    pool: list[MapRun] = []
    dask: list[MapRun] = []
    identical = True
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-dask-") as tmp:
        work = Path(tmp)
        for k in range(runs):
            for name, done, sched in (("pool", pool, ""), ("dask", dask, scheduler)):
                shutil.rmtree(work / name, ignore_errors=True)
                done.append(map_child(python, raw, work / name, work / "vocabulary-cache", sched, workers))
            identical = identical and briefing_bytes(work / "pool") == briefing_bytes(work / "dask")
            print(f"run {k + 1}: pool {pool[-1].seconds:.1f} s, dask {dask[-1].seconds:.1f} s", file=sys.stderr)
    p = statistics.median(r.seconds for r in pool)
    d = statistics.median(r.seconds for r in dask)
    where = (f"Dask LocalCluster ({workers} workers x 1 thread)" if scheduler == "local"
             else f"Dask cluster at {scheduler}")
    print(f"python: {python}")
    print(f"reuters {stories:,} ingest, process pool ({workers} processes): {stories / p:6.1f} articles/s ({p:.1f} s)")
    print(f"reuters {stories:,} ingest, {where}: {stories / d:6.1f} articles/s ({d:.1f} s; "
          f"cluster up in {statistics.median(r.started for r in dask):.1f} s before, not counted)")
    print(f"cluster overhead over the pool: {100 * (d - p) / p:+.1f} % ({1000 * (d - p) / stories:+.2f} ms per article), "
          f"median of {runs} run(s); archives byte-identical: {'yes' if identical else 'NO'}")
    print(f"load average (1 min) before / after: {load:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(others' work on a shared machine slows both sides alike only on average: compare medians)")


def compare_checkouts(baseline: str, python: str, raw: Path, runs: int) -> None:
    """Cold ingest with ``baseline``'s checkout and ``python``'s, one after the other, ``runs`` times
    (medians), in one run of this tool: throughput, CPU per article, their ratios, and whether both
    wrote byte-identical archives (a speed-up must not change a byte)."""
    stories = len(list(raw.glob("*.txt")))
    figures: dict[str, list[tuple[float, float]]] = {baseline: [], python: []}
    identical = True
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-ab-") as tmp:
        work = Path(tmp)
        for k in range(runs):
            for name, py in (("baseline", baseline), ("measured", python)):
                shutil.rmtree(work / name, ignore_errors=True)
                seconds, cpu, _ = timed_cpu([py, "-P", "-c", CHILD, str(raw), str(work / name),
                                             str(REPO / "vocabulary"), "1"])
                figures[py].append((seconds, cpu))
                print(f"run {k + 1} {name}: {seconds:.1f} s, {1000 * cpu / stories:.2f} ms CPU per article",
                      file=sys.stderr)
            identical = identical and briefing_bytes(work / "baseline") == briefing_bytes(work / "measured")
    wall = {py: statistics.median(s for s, _ in f) for py, f in figures.items()}
    cpu_s = {py: statistics.median(c for _, c in f) for py, f in figures.items()}
    for label, py in (("baseline", baseline), ("measured", python)):
        print(f"{label} {py}: reuters {stories:,} ingest, cold: {stories / wall[py]:6.1f} articles/s ({wall[py]:.1f} s), "
              f"{1000 * cpu_s[py] / stories:.2f} ms CPU per article (all processes)")
    print(f"measured / baseline: throughput x{wall[baseline] / wall[python]:.2f}, CPU per article "
          f"x{cpu_s[python] / cpu_s[baseline]:.2f}, median of {runs} run(s); archives byte-identical: "
          f"{'yes' if identical else 'NO'}")
    print(f"load average (1 min) before / after: {load:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


STAGES = (("read", "build_tools.ingest", "read_safely"), ("extract + tag", "build_tools.ingest", "process"),
          ("tag", "build_tools.process", "tag"), ("name finder", "build_tools.tag.entities", "find_names"),
          ("its features", "build_tools.tag.names", "encoded_features"),
          ("its tokenizer", "build_tools.tag.names", "tokenize"))
"""(label, module, function) of the stages ``--stages`` times: each call is timed where the code
calls it (the module's own name for the function), nested stages inside the ones above them."""


def worker_stages(raw: Path, count: int) -> None:
    """CPU per article of each stage of a pool worker's work (``ingest.prepare_item``: read, extract,
    tag, the draft), run serially here on ``count`` Reuters stories after 30 of warm-up, with the
    models and vocabulary loaded first as the pool's parent does: where a worker's time goes."""
    import importlib

    from build_tools import ingest
    from build_tools.process import load_models
    from build_tools.tag.entities import load_vocabulary

    vocab = load_vocabulary(REPO / "vocabulary")
    load_models()
    spent: dict[str, float] = {}

    def timed_stage(label: str, fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return run

    for label, module, name in STAGES:
        mod = importlib.import_module(module)
        setattr(mod, name, timed_stage(label, getattr(mod, name)))
    files = sorted(raw.glob("*.txt"))
    for path in files[:30]:
        ingest.prepare_item(path, vocab)
    spent.clear()
    chosen = files[30:30 + count]
    start = time.process_time()
    for path in chosen:
        ingest.prepare_item(path, vocab)
    total = time.process_time() - start
    per = {label: 1000 * seconds / len(chosen) for label, seconds in spent.items()}
    print(f"worker CPU per article, serial, {len(chosen)} Reuters stories: {1000 * total / len(chosen):.2f} ms")
    for label, _module, _name in STAGES:
        print(f"  {label:<14} {per.get(label, 0.0):6.2f} ms")
    rest = 1000 * total / len(chosen) - per.get("read", 0.0) - per.get("extract + tag", 0.0)
    print(f"  {'the rest':<14} {rest:6.2f} ms (sanitise, the draft: front matter, MinHash signatures, staging)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=sys.executable, help="interpreter of the checkout to measure")
    ap.add_argument("--raw", type=Path, default=REUTERS_RAW)
    ap.add_argument("--runs", type=int, default=1, help="repeat each measurement, print the median")
    ap.add_argument("--baseline", default=None, metavar="PY",
                    help="another checkout's interpreter: compare its cold ingest with --python's, alternating")
    ap.add_argument("--scheduler", default=None, metavar="local|ADDRESS",
                    help="compare the process pool with a Dask LocalCluster ('local') or a running cluster")
    ap.add_argument("--stages", type=int, default=0, metavar="N",
                    help="instead: CPU per article of each stage of a worker's work, on N stories run serially")
    args = ap.parse_args(argv)
    stories = len(list(args.raw.glob("*.txt")))
    if not stories:
        raise SystemExit(f"{args.raw}: no Reuters stories (see ../shared/corpus/README.md)")
    if args.stages:
        worker_stages(args.raw, args.stages)
        return
    if args.scheduler:
        compare_scheduler(args.python, args.raw, args.scheduler, args.runs)
        return
    if args.baseline:
        compare_checkouts(args.baseline, args.python, args.raw, args.runs)
        return
    bin_dir = Path(args.python).parent
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        fresh = new_articles(args.raw, work / "new")
        cold, warm, add, cli = [], [], [], []
        size = 0
        for _ in range(args.runs):
            shutil.rmtree(work / "cold", ignore_errors=True)
            cold.append(ingest_child(args.python, args.raw, work / "cold", cached=True))
            shutil.rmtree(work / "warm", ignore_errors=True)
            (work / "warm" / ".briefings-cache").mkdir(parents=True)
            for f in (work / "cold" / ".briefings-cache").glob("vocabulary*"):
                shutil.copy2(f, work / "warm" / ".briefings-cache" / f.name)
            warm.append(ingest_child(args.python, args.raw, work / "warm", cached=True))
            size = len(list((work / "warm").rglob("*.md")))
            archive = work / "archive"
            shutil.rmtree(archive, ignore_errors=True)
            shutil.copytree(work / "warm", archive)
            add.append(ingest_child(args.python, fresh, archive, cached=True))
            shutil.rmtree(work / "cli", ignore_errors=True)
            seconds, _ = timed([str(bin_dir / "briefings"), "-q", "ingest", str(args.raw), "--briefings",
                                str(work / "cli"), "--vocabulary", str(REPO / "vocabulary")],
                               ok=(0, 1))  # 1: some input rejected (the corpus has 7 empty stories)
            cli.append(seconds)
    print(f"python: {args.python}")
    print(f"reuters {stories:,} ingest, cold (empty archive, no cache):  {stories / statistics.median(cold):6.1f} "
          f"articles/s ({statistics.median(cold):.1f} s)")
    print(f"reuters {stories:,} ingest, warm vocabulary cache:           {stories / statistics.median(warm):6.1f} "
          f"articles/s ({statistics.median(warm):.1f} s)")
    print(f"reuters {stories:,} ingest through the CLI, cold:            {stories / statistics.median(cli):6.1f} "
          f"articles/s ({statistics.median(cli):.1f} s)")
    print(f"add {NEW_ARTICLES} articles to an archive of {size:,} briefings:   {statistics.median(add):6.1f} s")


if __name__ == "__main__":
    main()
