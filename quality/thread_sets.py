"""The hand-labelled story-thread sets (``quality/labels/threads/``), ingested with the real
pipeline, with what training and scoring need: briefings oldest first, pair features, each
briefing's true thread and fold, and which labelled input became which briefing.

Folds: a Reuters story's fold is ``gate.fold_of(gate.page_id("reuters21578", id))`` (the same as
every other Reuters gate); a sample input's ``gate.fold_of(gate.page_id("sample-inbox", name))``.
A briefing made from several inputs (near-duplicates) takes its first input's fold and thread.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from build_tools.link.thread_pairs import Pairs
from build_tools.model import Briefing
from quality import gate

LABELS = Path(__file__).resolve().parent / "labels" / "threads"
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Labels:
    ids: list[str]
    thread_of: dict[str, str]
    """Input -> its true thread (an input in no labelled thread is its own)."""


def read_labels(path: Path) -> Labels:
    data = json.loads(path.read_text("utf-8"))
    thread_of = {i: f"alone:{i}" for i in data["ids"]}
    for name, members in data["threads"].items():
        for i in members:
            thread_of[i] = name
    return Labels(list(data["ids"]), thread_of)


@dataclass
class ThreadSet:
    name: str
    labels: Labels
    briefings: list[Briefing]
    """Oldest first."""
    briefing_of: dict[str, int]
    """Labelled input -> index of its briefing (an input ingest refused, like a story with no body,
    has none: it is a thread of its own)."""
    truth: list[str]
    """Per briefing: its true thread."""
    fold: np.ndarray
    """Per briefing: its fold."""
    input_fold: dict[str, int]
    pairs: Pairs
    same: np.ndarray
    """Per candidate pair: both briefings in one true thread."""


SETS = {"sample": ("sample.json", "sample-inbox"),
        "reuters 1-300": ("reuters-first-300.json", "reuters21578"),
        "reuters 301-600": ("reuters-301-600.json", "reuters21578"),
        "reuters 601-900": ("reuters-601-900.json", "reuters21578")}
"""Set name -> (labels file, fold namespace)."""


def _ingest(inputs: list[Path]) -> list[Briefing]:
    from build_tools.ingest import ingest
    from build_tools.store.archive import load_archive
    from build_tools.tag.entities import load_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for p in inputs:
            shutil.copyfile(p, folder / p.name)
        ingest([folder], Path(tmp) / "briefings", load_vocabulary(REPO / "vocabulary"))
        return load_archive(Path(tmp) / "briefings").oldest_first()


def load_set(name: str, corpus: Path) -> ThreadSet | None:
    """The labelled set, ingested; None when its corpus is not here."""
    from build_tools.link import thread_pairs

    file, namespace = SETS[name]
    labels = read_labels(LABELS / file)
    if namespace == "sample-inbox":
        inputs = sorted(p for p in (REPO / "examples" / "inbox").iterdir() if p.suffix in (".txt", ".json", ".jsonl", ".html"))

        def key(source: str) -> str:
            return source
    else:
        raw = corpus / "reuters21578" / "raw"
        if not raw.is_dir():
            return None
        inputs = [raw / f"{i}.txt" for i in labels.ids]

        def key(source: str) -> str:
            return Path(source).stem
    briefings = _ingest(inputs)
    briefing_of = {key(o.source): i for i, b in enumerate(briefings) for o in b.origins}
    first = [key(b.origins[0].source) for b in briefings]
    input_fold = {i: gate.fold_of(gate.page_id(namespace, i)) for i in labels.ids}
    pairs = thread_pairs.all_pairs(thread_pairs.thread_vectors(briefings))
    truth = [labels.thread_of[f] for f in first]
    same = np.array([truth[i] == truth[j] for i, j in zip(pairs.later, pairs.earlier, strict=True)], dtype=bool)
    return ThreadSet(name, labels, briefings, briefing_of, truth, np.array([input_fold[f] for f in first]),
                     input_fold, pairs, same)


def load_sets(corpus: Path) -> list[ThreadSet]:
    return [s for s in (load_set(n, corpus) for n in SETS) if s is not None]
