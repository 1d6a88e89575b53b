"""The `briefings-check` pre-commit hook: its entry, given the staged files its pattern selects, as
pre-commit calls it, reports the staged briefings' problems as file:line and fails the commit."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))


def hook_run(root: Path, staged: list[str]) -> subprocess.CompletedProcess[str]:
    """What pre-commit runs: the entry, then the staged paths its ``files`` pattern matches."""
    (hook,) = [h for h in HOOKS if h["id"] == "briefings-check"]
    files = [f for f in staged if re.search(hook["files"], f)]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "briefings"
    return subprocess.run([sys.executable, "-m", "build_tools", *entry[1:], *files], cwd=root,
                          capture_output=True, text=True, timeout=300)


def archive(tmp_path: Path) -> Path:
    root = tmp_path / "a"
    shutil.copytree(REPO / "tests" / "golden" / "briefings", root / "briefings")
    shutil.copytree(REPO / "tests" / "golden" / "vocabulary", root / "vocabulary")
    return root


def test_the_hook_is_declared_for_briefings() -> None:
    (hook,) = HOOKS
    assert hook["id"] == "briefings-check" and hook["language"] == "python"
    assert re.search(hook["files"], "briefings/2021/07/a.md") and not re.search(hook["files"], "docs/about.md")


def test_a_broken_staged_briefing_stops_the_commit_with_file_and_line(tmp_path: Path) -> None:
    root = archive(tmp_path)
    path = sorted((root / "briefings").rglob("*.md"))[0]
    path.write_text(path.read_text("utf-8").replace("\ntitle: ", "\ntitle: 'unclosed ", 1), "utf-8")
    rel = path.relative_to(root).as_posix()
    done = hook_run(root, [rel, "docs/about.md"])
    assert done.returncode == 1
    assert re.search(rf"error: {re.escape(rel)}:\d+: ", done.stderr), done.stderr


def test_problems_of_briefings_not_staged_do_not_stop_the_commit(tmp_path: Path) -> None:
    root = archive(tmp_path)
    broken, staged = sorted((root / "briefings").rglob("*.md"))[:2]
    broken.write_text(broken.read_text("utf-8").replace("\ntitle: ", "\ntitle: 'unclosed ", 1), "utf-8")
    done = hook_run(root, [staged.relative_to(root).as_posix()])
    assert done.returncode == 0, done.stderr
    assert "0 errors" in done.stderr
