"""What an edit costs, this code against a baseline, in one run (issue 26): ``python -m quality.bench_edit``.

Two copies of one archive, each already built once by its own code (the caches are per code
version, so each copy keeps the caches of the code that builds it): the baseline's is built by the
code in ``--base-code`` (a checkout of the baseline commit, e.g. ``git archive <rev> | tar -x -C
DIR``, run with ``PYTHONPATH=DIR`` and this virtualenv), the other by this working tree. Steps, by
the wall clock, alternating which code goes first each round:

* ``build``: one briefing's title edited and another deleted, ``briefings build``; the two files
  restored, ``briefings build``; nothing changed, ``briefings build``;
* ``--serve``: ``briefings serve`` started (its first build is not timed), then a title saved
  ``--saves`` times, each timed until the page answers with the new title.

Prints each step's seconds and stage timings, then the medians and the ratio this/baseline. Not
a test: nothing here asserts a time. ``--edit`` and ``--delete`` name the briefings
(``briefings/``-relative); by default the first and the middle briefing of the archive.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from quality.bench import fetch, free_port

SERVE_SETTLE_SECONDS = 90.0
"""Pause after each timed save of the serve step, so the build and search index it started are
done before the next save (2,938 Reuters briefings on a loaded 2-core machine: up to about 60 s)."""


def retitled(text: str, title: str) -> str:
    """``text`` (a briefing) with its front matter's title replaced by ``title`` (no ': ' in it)."""
    out, n = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.MULTILINE)
    if n != 1:
        raise ValueError("no 'title:' line in the front matter")
    return out


def page_of(rel: PurePosixPath) -> str:
    """The site URL path of a briefing (``1987/03/x.md`` -> ``briefings/1987/03/x/``)."""
    return f"briefings/{rel.with_suffix('').as_posix()}/"


def command(code: str | None, *args: str) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code
    return ["nice", sys.executable, "-m", "build_tools", *args], env


def timed_build(archive: Path, code: str | None) -> tuple[float, str]:
    cmd, env = command(code, "-q", "-v", "build")
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=archive, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    stages = [line for line in done.stderr.splitlines() if line.startswith("build: time by stage")]
    return seconds, stages[-1] if stages else f"exit {done.returncode}: {done.stderr[-200:]}"


def build_steps(archives: dict[str, Path], codes: dict[str, str | None], edit: PurePosixPath,
                delete: PurePosixPath, rounds: int, say: Callable[[str], None]) -> dict[str, dict[str, list[float]]]:
    original = {who: {rel: (a / "briefings" / rel).read_bytes() for rel in (edit, delete)} for who, a in archives.items()}

    def change(who: str, n: int) -> None:
        folder = archives[who] / "briefings"
        (folder / edit).write_text(retitled(original[who][edit].decode("utf-8"), f"Edited {n}"), "utf-8")
        (folder / delete).unlink()

    def restore(who: str, n: int) -> None:
        for rel, data in original[who].items():
            (archives[who] / "briefings" / rel).write_bytes(data)

    steps: dict[str, Callable[[str, int], None]] = {"edit+delete": change, "restore": restore,
                                                    "no-op": lambda who, n: None}
    out: dict[str, dict[str, list[float]]] = {step: {who: [] for who in archives} for step in steps}
    try:
        for n in range(rounds):
            for step, act in steps.items():
                for who in (("base", "this") if n % 2 == 0 else ("this", "base")):
                    act(who, n)
                    seconds, stages = timed_build(archives[who], codes[who])
                    out[step][who].append(seconds)
                    say(f"round {n} {step:11s} {who:4s} {seconds:6.1f}s  {stages}")
    finally:
        for who in archives:
            restore(who, 0)
    return out


def serve_saves(archive: Path, code: str | None, who: str, edit: PurePosixPath, saves: int,
                say: Callable[[str], None]) -> list[float]:
    port = free_port()
    cmd, env = command(code, "serve", "--dev-addr", f"127.0.0.1:{port}")
    original = (archive / "briefings" / edit).read_text("utf-8")
    url = f"http://127.0.0.1:{port}/{page_of(edit)}"
    proc = subprocess.Popen(cmd, cwd=archive, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: list[float] = []
    try:
        start = time.monotonic()
        while fetch(url) is None:
            if proc.poll() is not None:
                raise RuntimeError(f"briefings serve ({who}) exited with {proc.returncode}")
            time.sleep(0.5)
        say(f"serve {who}: first page answered after {time.monotonic() - start:.1f}s (its search index follows)")
        time.sleep(SERVE_SETTLE_SECONDS)
        for n in range(saves):
            title = f"Saved {n} for the {who} preview"
            (archive / "briefings" / edit).write_text(retitled(original, title), "utf-8")
            saved = time.monotonic()
            while title not in (fetch(url) or ""):
                time.sleep(0.05)
            times.append(time.monotonic() - saved)
            say(f"serve {who}: save {n} visible after {times[-1]:.2f}s")
            time.sleep(SERVE_SETTLE_SECONDS)
    finally:
        (archive / "briefings" / edit).write_text(original, "utf-8")
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return times


def pick(archive: Path) -> tuple[PurePosixPath, PurePosixPath]:
    paths = sorted(PurePosixPath(p.relative_to(archive / "briefings").as_posix())
                   for p in (archive / "briefings").rglob("*.md") if ".briefings-cache" not in p.parts)
    if len(paths) < 2:
        raise SystemExit(f"{archive}: fewer than two briefings")
    return paths[0], paths[len(paths) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quality.bench_edit", description=__doc__.splitlines()[0])
    ap.add_argument("--base-code", required=True, help="folder holding the baseline's build_tools/")
    ap.add_argument("--base-archive", type=Path, required=True, help="archive copy built by the baseline")
    ap.add_argument("--archive", type=Path, required=True, help="archive copy built by this code")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--serve", action="store_true", help="time serve's save-to-visible too")
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--no-build", action="store_true", help="skip the build steps")
    ap.add_argument("--edit", type=PurePosixPath)
    ap.add_argument("--delete", type=PurePosixPath)
    args = ap.parse_args(argv)
    archives = {"base": args.base_archive.resolve(), "this": args.archive.resolve()}
    codes: dict[str, str | None] = {"base": str(Path(args.base_code).resolve()), "this": None}
    default_edit, default_delete = pick(archives["this"])
    edit, delete = args.edit or default_edit, args.delete or default_delete

    def say(line: str) -> None:
        print(line, flush=True)  # noqa: T201 - a benchmark's report

    medians: list[tuple[str, float, float]] = []
    if not args.no_build:
        for step, by in build_steps(archives, codes, edit, delete, args.rounds, say).items():
            medians.append((f"build: {step}", statistics.median(by["base"]), statistics.median(by["this"])))
    if args.serve:
        base = serve_saves(archives["base"], codes["base"], "base", edit, args.saves, say)
        this = serve_saves(archives["this"], codes["this"], "this", edit, args.saves, say)
        medians.append(("serve: save to visible", statistics.median(base), statistics.median(this)))
    for name, base_s, this_s in medians:
        say(f"{name:24s} baseline {base_s:6.2f}s  this {this_s:6.2f}s  this/baseline {this_s / base_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
