"""Search index benchmark: on a built site, the time Pagefind takes for a one-edit rebuild with the
index in shards against one unsharded index (same run, as a ratio), and what a reader's first
query downloads from each.

    .venv/bin/python -m quality.bench_search path/to/site [--limit 500]

The site is copied (briefing pages, the search page, the theme's assets, with this checkout's
search scripts) into a temporary folder; the original is not touched.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from build_tools.site import defaults, search, search_shards
from quality.bench import SearchCost, kib, measure_search

COPIED = ("briefings", "search", "assets")


def copy_site(site: Path, to: Path) -> Path:
    for name in COPIED:
        if (site / name).is_dir():
            shutil.copytree(site / name, to / name, ignore=shutil.ignore_patterns("pagefind"))
    scripts = defaults.OVERRIDES / "assets" / "javascripts"
    for script in scripts.glob("*.js"):
        shutil.copy(script, to / "assets" / "javascripts" / script.name)
    return to


def seconds(run: object) -> float:
    start = time.perf_counter()
    assert callable(run)
    run()
    return time.perf_counter() - start


def first_query_lines(label: str, costs: list[SearchCost] | str) -> list[str]:
    if isinstance(costs, str):
        return [f"{label}: first query not measured: {costs}"]
    return [f"{label}: first query {c.query!r}: {kib(c.transfer_bytes)} transferred (gzip), {kib(c.raw_bytes)} raw, "
            f"{c.requests} requests; {c.results}" for c in costs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quality.bench_search", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--limit", type=int, default=search_shards.SHARD_PAGES, help="pages a shard")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        whole = copy_site(args.site, Path(tmp) / "whole")
        sharded = copy_site(args.site, Path(tmp) / "sharded")
        pages = search.indexed_pages(whole)
        edited = pages[len(pages) // 2]
        unsharded_full = seconds(lambda: search.index_site(whole, limit=None))
        state = Path(tmp) / "state.pickle"
        sharded_full = seconds(lambda: search.index_site(sharded, state, limit=args.limit))
        # One edit: the edited page was rendered again; the unsharded index can only start over.
        unsharded_edit = seconds(lambda: search.index_site(whole, limit=None))
        report = search.index_site(sharded, state, {edited}, limit=args.limit)
        sharded_edit = seconds(lambda: search.index_site(sharded, state, {edited}, limit=args.limit))
        print(f"search index of {len(pages):,} briefing pages; {report.shards} shards of at most about "
              f"{args.limit} pages; one edit re-indexes {report.shards_indexed} shard")
        print(f"full index: unsharded {unsharded_full:.2f}s, sharded {sharded_full:.2f}s "
              f"({sharded_full / unsharded_full:.2f}x)")
        print(f"one-edit re-index: unsharded {unsharded_edit:.2f}s, sharded {sharded_edit:.2f}s "
              f"(sharded/unsharded {sharded_edit / unsharded_edit:.2f}x)")
        for line in first_query_lines("unsharded", measure_search(whole)) + first_query_lines(
                "sharded", measure_search(sharded)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
