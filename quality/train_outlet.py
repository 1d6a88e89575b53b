"""Train the outlet ranker (``build_tools/extract/outlet_rank``) on the shared corpus's text dumps.

    python -m quality.train_outlet ../shared/corpus     # shipped model + one per fold, and the table

Every candidate outlet of an aeb, l3s-gn1 or trafilatura-eval text dump (the sets whose truth
names the page's site) is labelled by whether it names the site (``outlet.names_site`` against
the host and declared site names, as ``quality.eval`` scores outlets). A small
``HistGradientBoostingClassifier`` learns which candidate is the site. The shipped model (all
pages) goes to ``build_tools/data/outlet_model.json``; one model per fold (trained without that
fold's pages, folds from ``quality.gate.fold_of``) to ``quality/models/outlet-folds.json.gz``,
stamped with the shipped model and the candidate code, for the quality gate's out-of-fold
figures. The table printed at the end (out of fold, per set: share of pages given an outlet, and
of those the share naming the site, at several thresholds) is how ``OUTLET_MIN_PROBABILITY`` was
chosen. Candidates are computed with the shipped cleaner and headline models. Deterministic
(fixed seed, pages in sorted order); about a minute.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import inspect
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from build_tools.extract import clean, outlet, outlet_rank
from build_tools.process import read_page
from quality import gate
from quality.train_cleaner import FOLD_DIR, StaleModels, export_trees
from quality.truth import outlet_keys

SETS = ("aeb", "l3s-gn1", "trafilatura-eval")
PARAMS = {"max_iter": 150, "learning_rate": 0.08, "max_depth": 3, "min_samples_leaf": 20, "random_state": 0,
          "early_stopping": False}
"""Small trees, few of them (a few thousand candidates, one in ten a site's own name)."""
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
MIN_PRECISION = 0.92
"""The threshold picked: the lowest at which the outlets given name the site this often (pooled)."""
DATA = Path(__file__).resolve().parents[1] / "build_tools" / "data"
MODEL_PATH = DATA / "outlet_model.json"
FOLDS_PATH = FOLD_DIR / "outlet-folds.json.gz"
REPO = Path(__file__).resolve().parents[1]
PROBE_PAGES = (REPO / "examples" / "inbox", REPO / "tests" / "fixtures")


@dataclass
class Page:
    set_name: str
    id: str
    candidates: list[outlet_rank.Candidate]
    labels: np.ndarray


def load(corpus: Path) -> list[Page]:
    models = clean.shipped_models()
    pages = []
    for set_name in SETS:
        for raw in sorted((corpus / set_name / "raw").glob("*.txt")):
            truth = json.loads((corpus / set_name / "truth" / f"{raw.stem}.json").read_text("utf-8"))
            keys = outlet_keys(truth)
            read = read_page(raw.read_text("utf-8"), models)
            found = outlet_rank.candidates(read.lines, read.found.outlet_refs)
            labels = np.array([outlet.names_site(c.name, keys) for c in found], dtype=np.int64)
            pages.append(Page(set_name, gate.page_id(set_name, raw.stem), found, labels))
    return pages


def fit(pages: list[Page]) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.array([c.features for p in pages for c in p.candidates], dtype=np.float64)
    y = np.concatenate([p.labels for p in pages])
    return HistGradientBoostingClassifier(**PARAMS).fit(x, y)


def training_stamp() -> str:
    """The candidate code and trainer as behaviour: candidates and features of the probe pages
    (kept in the repository), the feature names and this trainer's settings and fitting."""
    digest = hashlib.sha256(repr((outlet_rank.OUTLET_FEATURES, PARAMS, SETS)).encode())
    digest.update(inspect.getsource(fit).encode() + inspect.getsource(load).encode())
    models = clean.shipped_models()
    for path in sorted(p for folder in PROBE_PAGES for p in folder.glob("*.txt")):
        read = read_page(path.read_text("utf-8"), models)
        for c in outlet_rank.candidates(read.lines, read.found.outlet_refs):
            digest.update(f"{path.name}|{c.name}|{np.round(c.features, 9).tolist()}".encode())
    return digest.hexdigest()[:16]


def shipped_stamp() -> str:
    return hashlib.sha256(MODEL_PATH.read_bytes() if MODEL_PATH.is_file() else b"").hexdigest()[:16]


def fold_outlet_models(k: int = gate.K_FOLDS) -> dict[int, clean.Trees]:
    """Fold -> the outlet ranker trained without that fold's pages. Raises StaleModels with the fix."""
    fix = "run python -m quality.train_outlet ../shared/corpus"
    if not FOLDS_PATH.is_file():
        raise StaleModels(f"{FOLDS_PATH} is missing; {fix}")
    data = json.loads(gzip.decompress(FOLDS_PATH.read_bytes()))
    if data.get("k") != k or data.get("shipped") != shipped_stamp():
        raise StaleModels(f"{FOLDS_PATH} was not trained with the shipped outlet model; {fix}")
    if data.get("stamp") != training_stamp():
        raise StaleModels(f"{FOLDS_PATH} predates a change of the outlet candidates or of the trainer; {fix}")
    return {n: clean.Trees.from_json(tree) for n, tree in enumerate(data["folds"])}


def table(pages: list[Page], probabilities: list[np.ndarray]) -> tuple[str, float]:
    """Out-of-fold shares given / naming the site per set and threshold, and the chosen threshold."""
    out = [f"{'threshold':>9}  " + "  ".join(f"{s:>24}" for s in (*SETS, "pooled"))]
    chosen = THRESHOLDS[-1]
    for t in THRESHOLDS:
        cells = []
        pooled = [0, 0, 0]
        for s in (*SETS, None):
            rows = [(p, q) for p, q in zip(pages, probabilities, strict=True) if s is None or p.set_name == s]
            given = [int(p.labels[int(np.argmax(q))]) for p, q in rows if len(q) and q.max() >= t]
            if s is not None:
                pooled = [pooled[0] + len(rows), pooled[1] + len(given), pooled[2] + sum(given)]
            cells.append(f"given {len(given) / max(len(rows), 1):.3f} named {sum(given) / max(len(given), 1):.3f}")
        out.append(f"{t:>9}  " + "  ".join(f"{c:>24}" for c in cells))
        if pooled[2] / max(pooled[1], 1) >= MIN_PRECISION and t < chosen:
            chosen = t
    return "\n".join(out), chosen


def train_all(corpus: Path, k: int = gate.K_FOLDS) -> None:
    started = time.perf_counter()
    pages = load(corpus)
    print(f"{len(pages)} pages, {sum(len(p.candidates) for p in pages)} candidates, "
          f"{sum(int(p.labels.sum()) for p in pages)} naming the site ({time.perf_counter() - started:.0f}s)")
    comment = "Written by python -m quality.train_outlet ../shared/corpus; do not edit."
    shipped: dict[str, Any] = export_trees(fit(pages))
    MODEL_PATH.write_text(json.dumps({"_comment": comment, "features": list(outlet_rank.OUTLET_FEATURES), **shipped},
                                     separators=(",", ":")) + "\n", "utf-8")
    clean.shipped_models.cache_clear()
    folds = []
    probabilities: dict[int, np.ndarray] = {}
    for n in range(k):
        model = export_trees(fit([p for p in pages if gate.fold_of(p.id, k) != n]))
        folds.append(model)
        trees = clean.Trees.from_json(model)
        for i, p in enumerate(pages):
            if gate.fold_of(p.id, k) == n:
                probabilities[i] = outlet_rank.scores(p.candidates, trees)
    data = {"_comment": comment, "k": k, "stamp": training_stamp(), "shipped": shipped_stamp(), "folds": folds}
    FOLD_DIR.mkdir(exist_ok=True)
    FOLDS_PATH.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0))
    text, chosen = table(pages, [probabilities[i] for i in range(len(pages))])
    print(f"wrote {MODEL_PATH} and {FOLDS_PATH} ({time.perf_counter() - started:.0f}s)\n")
    print("Out of fold, text dumps: share of pages given an outlet, and of those the share naming the site")
    print(text)
    print(f"\nlowest threshold naming the site >= {MIN_PRECISION} pooled: {chosen} "
          f"(build_tools/extract/outlet_rank.py OUTLET_MIN_PROBABILITY = {outlet_rank.OUTLET_MIN_PROBABILITY})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quality.train_outlet", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="the shared corpus folder (../shared/corpus)")
    args = parser.parse_args(argv)
    if not (args.corpus / "aeb").is_dir():
        print(f"{args.corpus}: not the shared corpus (no aeb/ folder). Fix: pass ../shared/corpus", file=sys.stderr)
        return 2
    train_all(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
