"""Train the line classifier of ``clean`` on the shared corpus's body truth (aeb + l3s-gn1).

    python -m build_tools.train_cleaner ../shared/corpus          # cross-validate, then train and write
    python -m build_tools.train_cleaner ../shared/corpus --cv-only

Labels: a dump line is article text when its lower-cased words appear, in order, inside the truth
body (lines of fewer than ``SHORT_LINE_TOKENS`` words must equal a whole truth paragraph, so a
stray "Advertisement" or "Share" is never labelled body by accident). The model is two
scikit-learn ``HistGradientBoostingClassifier`` stages (see ``clean``); stage 2 is trained on
out-of-fold stage-1 scores, as it will see them on new pages. Training is deterministic (fixed
seeds, pages in sorted order); the trees are written as JSON to ``data/cleaner_model.json`` so the
pipeline needs no pickle and no scikit-learn at run time.

Cross-validation: pages are split in two halves (alternate pages of each set in sorted id order);
a model trained on one half scores the other, and the held-out body figures are printed. Those are
the honest estimate for unseen pages; the gate's aeb/l3s figures are in-sample.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import clean
from .eval import body_shares, prf

SHORT_LINE_TOKENS = 4
SETS = ("aeb", "l3s-gn1")
PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 5, "max_leaf_nodes": 24,
          "min_samples_leaf": 40, "l2_regularization": 1.0, "random_state": 0, "early_stopping": False}
"""Tree-ensemble settings: small trees, few of them; deeper or longer gave no held-out gain."""
MODEL_PATH = Path(__file__).parent / "data" / "cleaner_model.json"


@dataclass
class Page:
    set_name: str
    page_id: str
    lines: list[clean.Line]
    x1: np.ndarray
    labels: np.ndarray
    truth: str


def norm(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def label_lines(lines: list[clean.Line], truth: str) -> np.ndarray:
    body = norm(truth)
    paragraphs = {norm(p) for p in re.split(r"\n+", truth) if p.strip()}
    out = np.zeros(len(lines), dtype=np.int64)
    for i, line in enumerate(lines):
        key = norm(line.text)
        if key.strip() == "":
            continue
        if len(key.split()) >= SHORT_LINE_TOKENS:
            out[i] = int(key in body)
        else:
            out[i] = int(key in paragraphs)
    return out


def load(corpus: Path) -> list[Page]:
    pages = []
    for set_name in SETS:
        for raw in sorted((corpus / set_name / "raw").glob("*.txt")):
            truth = json.loads((corpus / set_name / "truth" / f"{raw.stem}.json").read_text("utf-8"))
            if not truth.get("body"):
                continue
            text = raw.read_text("utf-8")
            lines = clean.page_lines(text)
            _, stop = clean.guess_language([t for line in lines for t in clean.WORD_RE.findall(line.text.lower())])
            pages.append(Page(set_name, raw.stem, lines, clean.line_features(lines, stop),
                              label_lines(lines, truth["body"]), truth["body"]))
    return pages


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**PARAMS).fit(x, y, sample_weight=w)  # type: ignore[arg-type]


def weights(pages: list[Page]) -> np.ndarray:
    """Each page weighs the same in total, as each page counts the same in the benchmark mean."""
    return np.concatenate([np.full(len(p.lines), 1000.0 / max(len(p.lines), 1)) for p in pages])


def proba(model: object, x: np.ndarray) -> np.ndarray:
    if x.shape[0] == 0:
        return np.zeros(0)
    return model.predict_proba(x)[:, 1]  # type: ignore[attr-defined, no-any-return]


def train(pages: list[Page]) -> tuple[object, object]:
    """(stage 1, stage 2); stage 2 learns from out-of-fold stage-1 scores."""
    halves = [pages[0::2], pages[1::2]]
    oof: dict[int, np.ndarray] = {}
    for k in (0, 1):
        part = halves[k]
        m = fit(np.vstack([p.x1 for p in part]), np.concatenate([p.labels for p in part]), weights(part))
        for p in halves[1 - k]:
            oof[id(p)] = proba(m, p.x1)
    stage1 = fit(np.vstack([p.x1 for p in pages]), np.concatenate([p.labels for p in pages]), weights(pages))
    x2 = np.vstack([clean.stage2_features(p.x1, oof[id(p)]) for p in pages])
    stage2 = fit(x2, np.concatenate([p.labels for p in pages]), weights(pages))
    return stage1, stage2


def predict(models: tuple[object, object], page: Page) -> np.ndarray:
    p1 = proba(models[0], page.x1)
    return proba(models[1], clean.stage2_features(page.x1, p1))


def cross_validate(pages: list[Page]) -> dict[str, tuple[float, float, float]]:
    folds = [[p for i, p in enumerate(pages) if i % 2 == k] for k in (0, 1)]
    shares: dict[str, list[tuple[float, float, float]]] = {s: [] for s in SETS}
    for k in (0, 1):
        models = train(folds[k])
        for page in folds[1 - k]:
            scores = predict(models, page)
            body = "\n".join(page.lines[i].text for i in clean.select_body(page.lines, scores, set()))
            shares[page.set_name].append(body_shares(body, page.truth))
    return {s: prf(v) for s, v in shares.items()}


def export_trees(model: object) -> dict[str, object]:
    trees = []
    depth = 0
    for (predictor,) in model._predictors:  # type: ignore[attr-defined]
        nodes = predictor.nodes
        trees.append({"feature": [int(v) for v in nodes["feature_idx"]],
                      "threshold": [float(v) for v in nodes["num_threshold"]],
                      "left": [int(v) for v in nodes["left"]], "right": [int(v) for v in nodes["right"]],
                      "value": [round(float(v), 6) for v in nodes["value"]],
                      "leaf": [bool(v) for v in nodes["is_leaf"]]})
        depth = max(depth, int(nodes["depth"].max()))
    baseline = float(np.ravel(model._baseline_prediction)[0])  # type: ignore[attr-defined]
    return {"baseline": baseline, "depth": depth, "trees": trees}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.train_cleaner", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cv-only", action="store_true", help="report held-out figures, write nothing")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)
    pages = load(args.corpus)
    print(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, "
          f"{int(sum(p.labels.sum() for p in pages))} labelled body")
    if not args.no_cv:
        for set_name, (p, r, f) in cross_validate(pages).items():
            print(f"held-out {set_name}: precision {p:.4f} recall {r:.4f} f1 {f:.4f}")
    if args.cv_only:
        return 0
    stage1, stage2 = train(pages)
    data = {"_comment": "Written by python -m build_tools.train_cleaner ../shared/corpus; do not edit.",
            "features": list(clean.LINE_FEATURES), "windows": list(clean.WINDOWS),
            "stage1": export_trees(stage1), "stage2": export_trees(stage2)}
    MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
