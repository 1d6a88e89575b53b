"""The one gate module: folds, baselines that only ratchet up, and the history of every change.

Every quality figure (extraction, tagging, related briefings) goes through here:

* **Folds.** A page belongs to fold ``fold_of(page_id, k)``, from a stable hash of its id (the same
  on every machine and every run, whatever the order pages are read in). A trained component is
  scored *out of fold*: each page by a model trained without its fold; the shipped
  model is trained on everything. Figures of hand-set rules and thresholds calibrated on a set are
  marked so beside the figure (``CALIBRATED``), and reported on ``HELD_OUT_FOLD`` as well, the fold
  that no calibration may look at.
* **Baselines.** A baseline file holds the pinned figures and their history. ``--update`` only
  raises figures (and pins new ones); lowering one takes ``--accept-drop "reason"``, which records
  the figure, the old and new value, the reason and the commit. The pinned figures must equal what
  the history replays to, so a hand edit of the file is caught (``BaselineError``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, TextIO

K_FOLDS = 5
"""Folds for out-of-fold figures: each model is trained on 4/5 of the pages, close to the
shipped model's whole set, so the figure is a fair estimate for unseen pages."""

HELD_OUT_FOLD = 0
"""The fold that calibration of hand-set thresholds and rules must never look at: tune on the
pages with ``fold_of(id) != HELD_OUT_FOLD`` and read the held-out figure to see whether it holds."""

Figures = dict[str, dict[str, float]]
"""Group (``"aeb text"``) -> figure name (``"body_f1"``) -> value."""

def page_id(set_name: str, stem: str) -> str:
    """A corpus page's identity for folds: its set and file stem (its text dump and HTML share it)."""
    return f"{set_name}/{stem}"


def fold_of(page_id: str, k: int = K_FOLDS) -> int:
    """The fold of a page: sha256 of its id, modulo ``k``."""
    return int.from_bytes(hashlib.sha256(page_id.encode("utf-8")).digest()[:8], "big") % k


class BaselineError(Exception):
    """A baseline file that cannot be trusted (unreadable, or its figures differ from its history)."""


Kind = Literal["pin", "raise", "drop"]


class Change(NamedTuple):
    group: str
    name: str
    old: float | None
    new: float


@dataclass
class Baseline:
    """Pinned figures plus the history that produced them (one JSON file)."""

    path: Path
    figures: Figures = field(default_factory=dict)
    history: list[dict[str, object]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Baseline:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text("utf-8"))
            figures = {g: {n: float(v) for n, v in fs.items()} for g, fs in data["figures"].items()}
            history = list(data["history"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BaselineError(f"{path}: not a baseline file ({exc}); restore it from git") from None
        baseline = cls(path, figures, history)
        replayed = baseline.replay()
        if replayed != figures:
            wrong = sorted(f"{g} {n}" for g in set(replayed) | set(figures)
                           for n in set(replayed.get(g, {})) | set(figures.get(g, {}))
                           if replayed.get(g, {}).get(n) != figures.get(g, {}).get(n))
            raise BaselineError(f"{path}: figures were edited by hand ({', '.join(wrong[:5])} differ from the "
                                "history); restore the file from git, then use --update or --accept-drop")
        return baseline

    def replay(self) -> Figures:
        out: Figures = {}
        for entry in self.history:
            group, name = str(entry["group"]), str(entry["name"])
            if entry["new"] is None:  # a figure no longer measured (accepted drop to nothing)
                out.get(group, {}).pop(name, None)
            else:
                out.setdefault(group, {})[name] = float(entry["new"])  # type: ignore[arg-type]
        return {g: fs for g, fs in out.items() if fs}

    def record(self, changes: Iterable[Change], kind: Kind, reason: str, commit: str) -> None:
        today = dt.date.today().isoformat()
        for c in changes:
            self.history.append({"group": c.group, "name": c.name, "old": c.old, "new": c.new, "kind": kind,
                                 "reason": reason, "commit": commit, "date": today})
            self.figures.setdefault(c.group, {})[c.name] = c.new

    def save(self) -> None:
        data = {"_about": "Written by the quality gates (quality/gate.py); never edit by hand: "
                          "--update raises figures, --accept-drop 'reason' lowers one and records why.",
                "figures": {g: dict(sorted(fs.items())) for g, fs in sorted(self.figures.items())},
                "history": self.history}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        tmp.replace(self.path)

    def drops(self) -> list[dict[str, object]]:
        return [e for e in self.history if e.get("kind") == "drop"]


def compare(figures: Figures, pinned: Figures, tolerance: float) -> tuple[list[Change], list[Change]]:
    """(drops below the pinned figures by more than ``tolerance``, rises and new figures)."""
    drops, ups = [], []
    for group, names in figures.items():
        for name, now in names.items():
            old = pinned.get(group, {}).get(name)
            if old is None or now > old:
                ups.append(Change(group, name, old, now))
            elif now < old - tolerance:
                drops.append(Change(group, name, old, now))
    for group, names in pinned.items():  # a figure no longer measured is a drop to nothing
        for name, old in names.items():
            if name not in figures.get(group, {}):
                drops.append(Change(group, name, old, float("nan")))
    return drops, ups


def current_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                              check=False, cwd=Path(__file__).resolve().parent)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=False, cwd=Path(__file__).resolve().parent)
    except OSError:
        return "unknown"
    head = done.stdout.strip() or "unknown"
    return head + ("+changes" if dirty.stdout.strip() else "")


def add_arguments(parser: argparse.ArgumentParser, default_baseline: Path) -> None:
    parser.add_argument("--baseline", type=Path, default=default_baseline, help="baseline file (default: %(default)s)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--update", action="store_true",
                     help="raise the pinned figures to this run's (never lowers one; new figures are pinned)")
    how.add_argument("--accept-drop", metavar="REASON",
                     help="pin this run's figures even where lower, recording REASON and the commit in the history")


REASON_SHOWN = 100
"""Characters of a recorded drop's reason printed on every run (the file keeps the whole reason)."""


def _fmt(v: float | None) -> str:
    return "-" if v is None or v != v else f"{v:.4f}"


def run(figures: Figures, args: argparse.Namespace, tolerance: float, out: TextIO | None = None) -> int:
    """Compare ``figures`` with the baseline named by ``args`` and act on --update/--accept-drop.
    Prints what happened; returns the exit code (1 on an unaccepted drop)."""
    stream = out or sys.stdout
    try:
        baseline = Baseline.load(args.baseline)
    except BaselineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    drops, ups = compare(figures, baseline.figures, tolerance)
    recorded = baseline.drops()
    if recorded:
        print(f"{len(recorded)} recorded drop(s) in {args.baseline.name} (full reasons in its history):", file=stream)
    for entry in recorded:
        reason = " ".join(str(entry["reason"]).split())
        reason = reason if len(reason) <= REASON_SHOWN else reason[:REASON_SHOWN - 1] + "…"
        print(f"  recorded drop: {entry['group']} {entry['name']} {_fmt(entry['old'])} -> {_fmt(entry['new'])} "  # type: ignore[arg-type]
              f"({entry['date']}, {entry['commit']}): {reason}", file=stream)
    commit = current_commit()
    if args.accept_drop:
        kept = [d for d in drops if d.new == d.new]
        baseline.record(kept, "drop", args.accept_drop, commit)
        baseline.record([u for u in ups if u.old is not None], "raise", "gate --accept-drop", commit)
        baseline.record([u for u in ups if u.old is None], "pin", "first measured", commit)
        for d in drops:
            if d.new != d.new:  # no longer measured: leave it out of the figures, keep its history
                baseline.figures[d.group].pop(d.name, None)
                baseline.history.append({"group": d.group, "name": d.name, "old": d.old, "new": None, "kind": "drop",
                                         "reason": args.accept_drop, "commit": commit,
                                         "date": dt.date.today().isoformat()})
        baseline.figures = {g: fs for g, fs in baseline.figures.items() if fs}
        baseline.save()
        print(f"baseline {args.baseline}: {len(drops)} drop(s) accepted ({args.accept_drop}), "
              f"{len(ups)} raised or pinned", file=stream)
        return 0
    for d in drops:
        print(f"REGRESSION {d.group} {d.name}: {_fmt(d.new)} < pinned {_fmt(d.old)}", file=sys.stderr)
    if drops:
        print(f"{len(drops)} figure(s) below the baseline {args.baseline}. Fix the regression, or, if the "
              "drop is intended, run again with --accept-drop \"why\" (recorded in the baseline's history).",
              file=sys.stderr)
        return 1
    if args.update:
        baseline.record([u for u in ups if u.old is not None], "raise", "gate --update", commit)
        baseline.record([u for u in ups if u.old is None], "pin", "first measured", commit)
        baseline.save()
        print(f"baseline {args.baseline}: {len(ups)} figure(s) raised or pinned", file=stream)
    elif ups:
        print(f"{len(ups)} figure(s) above the baseline: run with --update to pin them", file=stream)
    return 0
