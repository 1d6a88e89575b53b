"""Train the line classifier of ``clean`` on the shared corpus's body truth (aeb + l3s-gn1).

    python -m quality.train_cleaner ../shared/corpus          # cross-validate, then train and write
    python -m quality.train_cleaner ../shared/corpus --cv-only

Labels: a dump line is article text when its lower-cased words appear, in order, inside the truth
body (lines of fewer than ``SHORT_LINE_TOKENS`` words must equal a whole truth paragraph, so a
stray "Advertisement" or "Share" is never labelled body by accident). The model is two
scikit-learn ``HistGradientBoostingClassifier`` stages (see ``clean``); stage 2 is trained on
out-of-fold stage-1 scores, as it will see them on new pages. Training is deterministic (fixed
seeds, pages in sorted order); the trees are written as JSON to ``data/cleaner_model.json`` so the
pipeline needs no pickle and no scikit-learn at run time.

Cross-validation: pages are split in two halves (alternate pages of each set in sorted id order);
a model trained on one half scores the other, and the held-out body figures are printed. Those are
the honest estimate for unseen pages; the gate's figures are in-sample (the shipped model was
trained on every page of aeb, l3s-gn1 and the trafilatura-eval snippets). Held-out figures of
the shipped settings (two halves, each scored by a model trained on the other):

    aeb body            precision 0.908  recall 0.949  F1 0.928
    l3s-gn1 body        precision 0.939  recall 0.974  F1 0.956
    trafilatura-eval    must-contain found 0.887, must-not-contain absent 0.886
    headline ranker     accuracy 0.75 (l3s-gn1 + trafilatura-eval + 300 Reuters stories; the
                        headline is among the candidates on 1173 of 1311 pages)

(measured with body = lines above the threshold only; the gate adds subheadings and leaves out
the lines the metadata stage used, so its figures differ slightly).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from build_tools.extract import clean
from build_tools.extract.language import detect_language
from quality.eval import body_shares, prf, squash

SHORT_LINE_TOKENS = 4
SETS = ("aeb", "l3s-gn1", "trafilatura-eval")
SNIPPET_LINE_WEIGHT = 30.0
"""Weight of one snippet-labelled trafilatura-eval line: about what one line of a 33-line page
weighs, so the 689 partly labelled pages teach the variety (blogs, shops, German) without
drowning the fully labelled news pages."""
PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 5, "max_leaf_nodes": 24,
          "min_samples_leaf": 40, "l2_regularization": 1.0, "random_state": 0, "early_stopping": False}
"""Tree-ensemble settings: small trees, few of them; deeper or longer gave no held-out gain."""
MODEL_PATH = Path(__file__).resolve().parents[1] / "build_tools" / "data" / "cleaner_model.json"


@dataclass
class Page:
    set_name: str
    page_id: str
    lines: list[clean.Line]
    x1: np.ndarray
    labels: np.ndarray
    mask: np.ndarray
    """Which lines carry a label (all for aeb/l3s; snippet lines only for trafilatura-eval)."""
    truth: str
    must: list[str]
    must_not: list[str]


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


def label_snippets(lines: list[clean.Line], must: list[str], must_not: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Lines holding a must-contain snippet are body, lines holding a must-not-contain one are
    not; every other line is unlabelled."""
    labels = np.zeros(len(lines), dtype=np.int64)
    mask = np.zeros(len(lines), dtype=bool)
    for i, line in enumerate(lines):
        pos = any(s in line.text for s in must)
        neg = any(s in line.text for s in must_not)
        if pos != neg:
            labels[i], mask[i] = int(pos), True
    return labels, mask


def load(corpus: Path) -> list[Page]:
    pages = []
    for set_name in SETS:
        for raw in sorted((corpus / set_name / "raw").glob("*.txt")):
            truth = json.loads((corpus / set_name / "truth" / f"{raw.stem}.json").read_text("utf-8"))
            text = raw.read_text("utf-8")
            lines = clean.page_lines(text)
            stop = detect_language(text).stop
            x1 = clean.line_features(lines, stop)
            if truth.get("body"):
                labels = label_lines(lines, truth["body"])
                pages.append(Page(set_name, raw.stem, lines, x1, labels, np.ones(len(lines), dtype=bool),
                                  truth["body"], [], []))
            elif truth.get("body_must_contain") is not None:
                missing = set((truth.get("raw_check") or {}).get("must_contain_missing_from_raw") or [])
                must = [squash(s) for s in truth["body_must_contain"] if s not in missing]
                must_not = [squash(s) for s in truth.get("body_must_not_contain") or []]
                labels, mask = label_snippets(lines, must, must_not)
                pages.append(Page(set_name, raw.stem, lines, x1, labels, mask, "", must, must_not))
    return pages


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**PARAMS).fit(x, y, sample_weight=w)


def weights(pages: list[Page]) -> np.ndarray:
    """Each fully labelled page weighs the same in total, as each page counts the same in the
    benchmark mean; snippet lines weigh ``SNIPPET_LINE_WEIGHT``; unlabelled lines nothing."""
    out = []
    for p in pages:
        w = np.full(len(p.lines), SNIPPET_LINE_WEIGHT if p.must or p.must_not else 1000.0 / max(len(p.lines), 1))
        out.append(w[p.mask])
    return np.concatenate(out)


def rows(pages: list[Page], x: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return (np.vstack([xi[p.mask] for p, xi in zip(pages, x, strict=True)]),
            np.concatenate([p.labels[p.mask] for p in pages]))


def proba(model: object, x: np.ndarray) -> np.ndarray:
    if x.shape[0] == 0:
        return np.zeros(0)
    return model.predict_proba(x)[:, 1]  # type: ignore[attr-defined]


def train(pages: list[Page]) -> tuple[object, object]:
    """(stage 1, stage 2); stage 2 learns from out-of-fold stage-1 scores."""
    halves = [pages[0::2], pages[1::2]]
    oof: dict[int, np.ndarray] = {}
    for k in (0, 1):
        part = halves[k]
        m = fit(*rows(part, [p.x1 for p in part]), weights(part))
        for p in halves[1 - k]:
            oof[id(p)] = proba(m, p.x1)
    stage1 = fit(*rows(pages, [p.x1 for p in pages]), weights(pages))
    stage2 = fit(*rows(pages, [clean.stage2_features(p.x1, oof[id(p)]) for p in pages]), weights(pages))
    return stage1, stage2


def predict(models: tuple[object, object], page: Page) -> np.ndarray:
    p1 = proba(models[0], page.x1)
    return proba(models[1], clean.stage2_features(page.x1, p1))


def cross_validate(pages: list[Page]) -> dict[str, tuple[float, float, float]]:
    """Held-out (precision, recall, F1) per body set; (must found, must-not absent, 0) for snippets."""
    folds = [[p for i, p in enumerate(pages) if i % 2 == k] for k in (0, 1)]
    shares: dict[str, list[tuple[float, float, float]]] = {s: [] for s in SETS}
    found: list[bool] = []
    absent: list[bool] = []
    for k in (0, 1):
        models = train(folds[k])
        for page in folds[1 - k]:
            scores = predict(models, page)
            body = "\n".join(page.lines[i].text for i in clean.select_body(page.lines, scores, set()))
            if page.truth:
                shares[page.set_name].append(body_shares(body, page.truth))
            else:
                flat = squash(body)
                found.extend(s in flat for s in page.must)
                absent.extend(s not in flat for s in page.must_not)
    out = {s: prf(v) for s, v in shares.items() if v}
    if found:
        out["trafilatura-eval snippets"] = (sum(found) / len(found), sum(absent) / max(len(absent), 1), 0.0)
    return out


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
    parser = argparse.ArgumentParser(prog="python -m quality.train_cleaner", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cv-only", action="store_true", help="report held-out figures, write nothing")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--titles-only", action="store_true", help="train only the headline ranker")
    args = parser.parse_args(argv)
    if args.titles_only:
        train_titles(args.corpus, not args.no_cv, not args.cv_only)
        return 0
    pages = load(args.corpus)
    print(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, "
          f"{int(sum(p.mask.sum() for p in pages))} labelled, {int(sum(p.labels.sum() for p in pages))} body")
    if not args.no_cv:
        for set_name, (p, r, f) in cross_validate(pages).items():
            print(f"held-out {set_name}: " + (f"must found {p:.4f} must-not absent {r:.4f}" if "snippets" in set_name
                                             else f"precision {p:.4f} recall {r:.4f} f1 {f:.4f}"))
    if args.cv_only:
        return 0
    stage1, stage2 = train(pages)
    data = {"_comment": "Written by python -m quality.train_cleaner ../shared/corpus; do not edit.",
            "features": list(clean.LINE_FEATURES), "windows": list(clean.WINDOWS),
            "stage1": export_trees(stage1), "stage2": export_trees(stage2)}
    MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KiB)")
    clean.shipped_models.cache_clear()
    train_titles(args.corpus, not args.no_cv, True)
    return 0



# --- the headline ranker -------------------------------------------------------------------

TITLE_SETS = ("l3s-gn1", "trafilatura-eval", "reuters21578")
WIRE_TITLE_PAGES = 300
"""Reuters-21578 stories used for the headline ranker (every 10th of the 3,000): enough to teach
upper-case wire slugs above a timestamp without outweighing the web pages."""
TITLE_MODEL_PATH = Path(__file__).resolve().parents[1] / "build_tools" / "data" / "title_model.json"
TITLE_PARAMS = {"max_iter": 300, "learning_rate": 0.05, "max_depth": 4, "max_leaf_nodes": 31,
                "min_samples_leaf": 20, "l2_regularization": 1.0, "random_state": 0, "early_stopping": False}


@dataclass
class TitlePage:
    x: np.ndarray
    labels: np.ndarray
    has_truth: bool


def load_titles(corpus: Path) -> list[TitlePage]:
    """Candidate headline lines of every page with a title truth, scored by the shipped cleaner."""
    from build_tools.extract.headline import title_candidates, title_features
    from quality.eval import norm_words

    out = []
    for set_name in TITLE_SETS:
        raws = sorted((corpus / set_name / "raw").glob("*.txt"))
        if set_name == "reuters21578":
            raws = raws[:: max(1, len(raws) // WIRE_TITLE_PAGES)][:WIRE_TITLE_PAGES]
        for raw in raws:
            truth = json.loads((corpus / set_name / "truth" / f"{raw.stem}.json").read_text("utf-8"))
            if "title" not in truth.get("truth_fields", ["title"]):
                continue
            text = raw.read_text("utf-8")
            page = clean.page_lines(text)
            lines = [line.text for line in page]
            stop = detect_language(text).stop
            scores = clean.body_scores(page, stop, clean.shipped_models().cleaner)
            candidates = title_candidates(lines, scores)
            key = norm_words(truth.get("title") or None)
            labels = np.array([int(key is not None and norm_words(c.text) == key) for c in candidates])
            out.append(TitlePage(title_features(lines, page, scores, stop, candidates), labels, key is not None))
    return out


def fit_titles(pages: list[TitlePage]) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p.x for p in pages if len(p.labels)])
    y = np.concatenate([p.labels for p in pages if len(p.labels)])
    return HistGradientBoostingClassifier(**TITLE_PARAMS).fit(x, y)


def title_accuracy(model: object, pages: list[TitlePage]) -> float:
    """Share of pages whose best candidate is the headline (null right when there is none)."""
    from build_tools.extract.headline import MIN_TITLE_SCORE

    right = 0
    for p in pages:
        if not len(p.labels):
            right += int(not p.has_truth)
            continue
        probs = proba(model, p.x)
        best = int(np.argmax(probs))
        right += int(bool(p.labels[best]) if probs[best] > MIN_TITLE_SCORE else not p.has_truth)
    return right / max(len(pages), 1)


def train_titles(corpus: Path, cv: bool, write: bool) -> None:
    pages = load_titles(corpus)
    print(f"titles: {len(pages)} pages, {sum(int(p.labels.any()) for p in pages)} with the headline among candidates")
    if cv:
        accs = [title_accuracy(fit_titles(pages[k::2]), pages[1 - k::2]) for k in (0, 1)]
        print(f"held-out title accuracy: {sum(accs) / 2:.4f}")
    if write:
        data = {"_comment": "Written by python -m quality.train_cleaner ../shared/corpus; do not edit.",
                **export_trees(fit_titles(pages))}
        TITLE_MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
        print(f"wrote {TITLE_MODEL_PATH} ({TITLE_MODEL_PATH.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    sys.exit(main())
