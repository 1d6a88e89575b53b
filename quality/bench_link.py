"""What the link stage of a rebuild costs, this code against a baseline, in one run: ``python -m quality.bench_link``.

A rebuild links the whole archive with the tokens of every unchanged text remembered
(``link.memo``, from the build cache). So each code first links the archive once in a process of
its own and keeps its tokens in a file (not timed); then each round, in a fresh process of each
code, alternating which goes first, loads those tokens and links the archive (``links.link_archive``),
timed from the first import of the link stage: its imports are part of what a rebuild pays. The
baseline runs with ``PYTHONPATH=--base-code`` (a checkout, e.g. ``git archive <rev> | tar -x -C
DIR``). Prints each round, the medians and this/baseline; each process also prints a digest of
the links it made, and the run stops if the two codes' links differ. Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import hashlib, pickle, sys, time
from pathlib import Path
from build_tools.link.memo import TokenMemo
from build_tools.store.archive import load_archive
from build_tools.tag.geography import load_geography
root, tokens = Path(sys.argv[1]), Path(sys.argv[2])
archive, geo = load_archive(root / "briefings"), load_geography(root / "vocabulary")
memo = TokenMemo(pickle.loads(tokens.read_bytes()) if tokens.is_file() else {})
start = time.perf_counter()
from build_tools.link.links import link_archive
links = link_archive(archive, geo, memo)
seconds = time.perf_counter() - start
if not tokens.is_file():
    tokens.write_bytes(pickle.dumps(memo.used))
shown = (sorted((k, [(r.id, r.reason()) for r in v]) for k, v in links.related.items()),
         [(s.slug, s.name, [b.id for b in s.members]) for s in links.stories],
         sorted((t, k, e.name, len(e.briefings)) for t, d in links.entities.items() for k, e in d.items()),
         sorted((k, [b.id for b in v]) for k, v in links.backlinks.items()), links.warnings)
print(seconds, hashlib.sha256(repr(shown).encode()).hexdigest(), sys.modules["build_tools"].__file__)
"""


def timed_link(archive: Path, code: str | None, tokens: Path) -> tuple[float, str]:
    """Seconds to link ``archive`` with the tokens in ``tokens`` (made and saved there first when
    it does not exist), and a digest of the links."""
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code
    done = subprocess.run(["nice", sys.executable, "-c", CHILD, str(archive), str(tokens)], env=env, capture_output=True,
                          text=True, check=True, cwd=archive)  # not this checkout: '' leads sys.path under -c
    seconds, digest, module = done.stdout.split()
    expected = Path(code or Path(__file__).resolve().parents[1]).resolve() / "build_tools" / "__init__.py"
    if Path(module).resolve() != expected:
        raise SystemExit(f"the process ran {module}, not {expected}")
    return float(seconds), digest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quality.bench_link", description=__doc__.splitlines()[0])
    ap.add_argument("--base-code", required=True, help="folder holding the baseline's build_tools/")
    ap.add_argument("--archive", type=Path, required=True, help="an archive folder (briefings/, vocabulary/)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    codes: dict[str, str | None] = {"base": str(Path(args.base_code).resolve()), "this": None}
    times: dict[str, list[float]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="bench-link-") as folder:
        tokens = {who: Path(folder) / f"{who}.pickle" for who in codes}
        for who in codes:
            timed_link(args.archive.resolve(), codes[who], tokens[who])  # the tokens a build cache holds
        return rounds(args.archive.resolve(), codes, tokens, args.rounds, times)


def rounds(archive: Path, codes: dict[str, str | None], tokens: dict[str, Path], count: int,
           times: dict[str, list[float]]) -> int:
    for n in range(count):
        digests = {}
        for who in (("base", "this") if n % 2 == 0 else ("this", "base")):
            seconds, digests[who] = timed_link(archive, codes[who], tokens[who])
            times[who].append(seconds)
            print(f"round {n} {who:4s} link {seconds:6.2f}s  links {digests[who][:12]}", flush=True)  # noqa: T201
        if digests["base"] != digests["this"]:
            print("the two codes' links differ: no timing compares them", flush=True)  # noqa: T201
            return 1
    base, this = statistics.median(times["base"]), statistics.median(times["this"])
    print(f"link, tokens remembered  baseline {base:6.2f}s  this {this:6.2f}s  this/baseline {this / base:.2f}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
