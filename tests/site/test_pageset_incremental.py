"""Generate after a sequence of edits: the pages a rebuild keeps and makes again are, file for
file, the pages of a build from scratch of the same briefings; and a rebuild leaves the pages
nothing it changed touches as they are (it does not make every job again)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools import build as buildmod
from build_tools.site import pageset
from build_tools.site.pages import GENERATED_FILES, GENERATED_FOLDERS
from tests.conftest import REPO


def generated(docs: Path) -> dict[str, bytes]:
    out = {}
    for top in [*GENERATED_FOLDERS, *GENERATED_FILES]:
        path = docs / top
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        out.update({p.relative_to(docs).as_posix(): p.read_bytes() for p in files})
    return out


def generate(briefings: Path, docs: Path, use_cache: bool = True) -> buildmod.BuildReport:
    report = buildmod.BuildReport()
    buildmod.generate(briefings, docs, report, vocabulary_dir=REPO / "vocabulary", use_cache=use_cache)
    return report


def from_scratch(project: Path, step: str) -> dict[str, bytes]:
    """The generated pages of a copy of the briefings, built with no cache at all."""
    copy = project / f"scratch-{step}"
    shutil.copytree(project / "briefings", copy / "briefings", ignore=shutil.ignore_patterns(".briefings-cache"))
    generate(copy / "briefings", copy / "docs", use_cache=False)
    return generated(copy / "docs")


def files(project: Path) -> list[Path]:
    return sorted((project / "briefings").rglob("*.md"))


def retitle(project: Path) -> None:
    path = files(project)[3]
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: 'A new title: edited'", text, count=1, flags=re.M), "utf-8")


def rewrite_body(project: Path) -> None:
    """Another briefing's opening pasted into a body: its text score changes with every other."""
    target, donor = files(project)[5], files(project)[11]
    opening = donor.read_text("utf-8").split("\n---\n", 1)[1].strip().split("\n\n")[0]
    target.write_text(target.read_text("utf-8").rstrip("\n") + "\n\n" + opening + "\n", "utf-8")


def retag(project: Path) -> None:
    """A country and a person added to a briefing's tags (new entity pages, new shared entities)."""
    path = files(project)[7]
    text = path.read_text("utf-8")
    text = re.sub(r"^countries:\n", "countries:\n- Tajikistan\n", text, count=1, flags=re.M)
    text = re.sub(r"^people:\n", "people:\n- Ursula von der Leyen\n", text, count=1, flags=re.M)
    path.write_text(text, "utf-8")


def add(project: Path) -> None:
    """A new briefing: a copy of another under a new id, title and path."""
    source = files(project)[0]
    text = re.sub(r"^id: .*$", "id: 0123456789ab", source.read_text("utf-8"), count=1, flags=re.M)
    text = re.sub(r"^title: .*$", "title: Leaders meet again on vaccine exports", text, count=1, flags=re.M)
    (source.parent / "leaders-meet-again-on-vaccine-exports.md").write_text(text, "utf-8")


def delete(project: Path) -> None:
    files(project)[9].unlink()


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("title", retitle), ("body", rewrite_body), ("tags", retag), ("add", add), ("delete", delete)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "briefings", tmp_path / "briefings", ignore=shutil.ignore_patterns(".briefings-cache"))
    generate(tmp_path / "briefings", tmp_path / "docs")
    return tmp_path


def test_every_step_of_an_edit_sequence_generates_what_a_build_from_scratch_does(project: Path) -> None:
    for step, edit in EDITS:
        edit(project)
        report = generate(project / "briefings", project / "docs")
        assert generated(project / "docs") == from_scratch(project, step), step
        assert report.pages_unchanged > 0, step  # the check is exercised: not every page was made anew


def test_a_rebuild_keeps_the_jobs_nothing_changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[pageset.Job] = []

    def serial(fn: Callable[[pageset.Job, pageset.Context], pageset.Made], items: list[pageset.Job],
               ctx: pageset.Context, workers: int | None = None) -> list[pageset.Made]:
        made.extend(items)
        return [fn(job, ctx) for job in items]

    monkeypatch.setattr(pageset, "map_ordered", serial)
    generate(project / "briefings", project / "docs")  # nothing changed: the no-op path makes nothing
    assert made == []
    retitle(project)
    generate(project / "briefings", project / "docs")
    briefings = [job for job in made if job[0] == "briefing"]
    assert 1 <= len(briefings) < len(files(project)), made
    assert all(job[0] in pageset.ALWAYS_MADE or job[0] in ("briefing", "entity", "entity feed", "story")
               for job in made)


def test_the_comparison_catches_a_job_kept_when_it_should_be_made(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A key that forgets the links (a briefing page keyed by its own briefing only) keeps the pages
    of the briefings that list the retitled one: the comparison with a build from scratch fails."""
    real = pageset.job_key

    def forgetful(job: pageset.Job, ctx: pageset.Context, card: pageset.Cards, salt: str) -> bytes | None:
        return card(job[1]) if job[0] == "briefing" else real(job, ctx, card, salt)

    monkeypatch.setattr(pageset, "job_key", forgetful)
    generate(project / "briefings", project / "docs", use_cache=False)  # records the forgetful keys
    retitle(project)
    generate(project / "briefings", project / "docs")
    incremental, scratch = generated(project / "docs"), from_scratch(project, "forgetful")
    stale = sorted(path for path in scratch if incremental.get(path) != scratch[path])
    assert stale and all(path.startswith("briefings/") for path in stale), stale
