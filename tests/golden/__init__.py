"""Golden files: every page ``build.generate`` writes for a small fixed archive, committed.

``briefings/`` is the archive, written by hand (several countries, people and organisations, a
story thread, an undated briefing, a title with ': ' and '#', related pins and excludes, one
briefing merged from three near-duplicate inputs). ``vocabulary/`` tells which country each
person belongs to. ``docs/`` holds the generated pages, reviewed as diffs in git.

After an intended change to the generated pages, regenerate them and review the diff::

    make golden            # or: .venv/bin/python -m tests.golden --update
    git diff tests/golden/docs
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.build import BuildReport, generate

GOLDEN = Path(__file__).resolve().parent
BRIEFINGS = GOLDEN / "briefings"
VOCABULARY = GOLDEN / "vocabulary"
DOCS = GOLDEN / "docs"

UPDATE_COMMAND = "make golden (or: .venv/bin/python -m tests.golden --update)"

DIFF_LINES = 40
"""Lines of unified diff shown per file: enough to see the change."""

FILES_DIFFED = 10
"""Files whose diff a report shows; the others are named only (a template change touches every page)."""


@dataclass
class Comparison:
    """How a fresh generation differs from the committed golden pages (docs-relative paths)."""

    missing: list[str] = field(default_factory=list)
    """Committed, but no longer generated."""
    extra: list[str] = field(default_factory=list)
    """Generated, but not committed."""
    differing: list[str] = field(default_factory=list)
    """Both, with different text."""
    diffs: dict[str, list[str]] = field(default_factory=dict)
    """Path -> unified diff, committed -> generated (a missing page diffs to nothing, an extra one from nothing)."""

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.differing)

    def report(self, files_diffed: int | None = FILES_DIFFED) -> str:
        """One line per file, each followed by a diff excerpt (for the first ``files_diffed`` files)."""
        lines = [f"generated pages vs tests/golden/docs/: {len(self.missing)} missing, {len(self.extra)} extra, "
                 f"{len(self.differing)} differing"]
        entries = [*((p, "missing: {} is committed but no longer generated") for p in self.missing),
                   *((p, "extra: {} is generated but not committed") for p in self.extra),
                   *((p, "differing: {} differs from the committed page") for p in self.differing)]
        for n, (path, line) in enumerate(entries):
            lines.append(line.format(path))
            if files_diffed is None or n < files_diffed:
                lines += excerpt(self.diffs[path])
        if files_diffed is not None and len(entries) > files_diffed:
            lines.append(f"(diffs of the first {files_diffed} files only; python -m tests.golden shows them all)")
        lines.append(f"Review the diff, then run: {UPDATE_COMMAND}")
        return "\n".join(lines)


def excerpt(diff: list[str]) -> list[str]:
    """At most DIFF_LINES lines of a diff, saying how many were left out."""
    if len(diff) <= DIFF_LINES:
        return diff
    return diff[:DIFF_LINES] + [f"... ({len(diff) - DIFF_LINES} more diff lines)"]


def generate_pages(docs: Path) -> BuildReport:
    """Every generated page of the golden archive, written under ``docs``."""
    report = BuildReport()
    generate(BRIEFINGS, docs, report, vocabulary_dir=VOCABULARY)
    return report


def read_tree(root: Path) -> dict[str, str]:
    """Docs-relative path -> text of every file under ``root``, byte for byte (no newline translation)."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes().decode("utf-8") for p in sorted(root.rglob("*"))
            if p.is_file()}


def compare(committed: dict[str, str], generated: dict[str, str]) -> Comparison:
    """Every page missing from, extra to or differing from ``committed``, with its unified diff."""
    result = Comparison(missing=sorted(set(committed) - set(generated)),
                        extra=sorted(set(generated) - set(committed)),
                        differing=sorted(p for p in set(committed) & set(generated) if committed[p] != generated[p]))
    for path in [*result.missing, *result.extra, *result.differing]:
        before, after = committed.get(path), generated.get(path)
        result.diffs[path] = list(difflib.unified_diff(
            (before or "").splitlines(), (after or "").splitlines(),
            f"a/{path}" if before is not None else "/dev/null", f"b/{path}" if after is not None else "/dev/null",
            lineterm=""))
    return result


def fresh() -> tuple[dict[str, str], BuildReport]:
    """The golden archive's pages, generated now into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        report = generate_pages(Path(tmp) / "docs")
        return read_tree(Path(tmp) / "docs"), report


def update(generated: dict[str, str], docs: Path = DOCS) -> Comparison:
    """Make ``docs`` hold exactly ``generated`` (stale pages and empty folders removed); returns what changed."""
    changes = compare(read_tree(docs), generated)
    for path in changes.missing:
        (docs / path).unlink()
    for path in [*changes.extra, *changes.differing]:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generated[path], encoding="utf-8", newline="\n")
    for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changes

