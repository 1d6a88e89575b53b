"""``python -m tests.golden``: compare the golden pages with a fresh generation (exit 1 on a
difference, with the diff); ``--update`` rewrites them after an intended change."""

from __future__ import annotations

import argparse
import sys

from tests.golden import DOCS, compare, fresh, read_tree, update


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    p.add_argument("--update", action="store_true", help="rewrite tests/golden/docs/ from the golden briefings")
    args = p.parse_args(argv)
    generated, report = fresh()
    for problem in [*report.errors, *report.warnings]:
        print(f"golden archive: {problem}", file=sys.stderr)
    if report.errors or report.warnings:
        print("golden: fix the golden briefings first (tests/golden/briefings/)", file=sys.stderr)
        return 1
    if args.update:
        changes = update(generated)
        print(f"golden: {len(changes.extra)} added, {len(changes.differing)} changed, {len(changes.missing)} removed "
              f"in {DOCS}; review them with: git diff --stat tests/golden/docs", file=sys.stderr)
        return 0
    differences = compare(read_tree(DOCS), generated)
    if differences:
        print(differences.report(files_diffed=None))
        return 1
    print(f"golden: {len(generated)} generated pages match {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
