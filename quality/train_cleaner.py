"""Train the extraction models on the shared corpus: the line cleaner and the headline ranker.

    python -m quality.train_cleaner ../shared/corpus     # shipped models + one pair per fold

Writes the shipped models (trained on every page) to ``build_tools/data/`` and, for the quality
gate's out-of-fold figures, one pair per fold (trained without that fold's pages, folds from
``quality.gate.fold_of``) to ``quality/models/fold-N.json.gz``. All of one run, stamped together:
the gate refuses fold models that do not belong to the shipped ones, or that predate a change of
the feature code (``training_stamp``). Deterministic (fixed seeds, pages in sorted order); the
pipeline needs no pickle and no scikit-learn at run time (trees as JSON).

Cleaner labels: a dump line is article text when its lower-cased words appear, in order, inside
the truth body (lines of fewer than ``SHORT_LINE_TOKENS`` words must equal a whole truth
paragraph, so a stray "Advertisement" or "Share" is never labelled body by accident); on
trafilatura-eval, lines holding a must-contain snippet are body, lines holding a must-not-contain
one are not. Two ``HistGradientBoostingClassifier`` stages (see ``clean``); stage 2 is trained on
stage-1 scores from models that did not see the page, as it will see them on new pages.

Headline ranker: candidates from ``headline.title_candidates`` on l3s-gn1, trafilatura-eval and
``WIRE_TITLE_PAGES`` Reuters stories, with features computed from the scores of the cleaner of the
same fold (so the ranker never learns from scores of a cleaner that saw the page).

Figures: ``python -m quality.eval ../shared/corpus`` (out of fold, and in-sample beside them).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import inspect
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from build_tools.extract import clean, headline
from build_tools.extract.language import detect_language
from quality import gate
from quality.gate import page_id
from quality.truth import squash

SHORT_LINE_TOKENS = 4
SETS = ("aeb", "l3s-gn1", "trafilatura-eval")
SNIPPET_LINE_WEIGHT = 30.0
"""Weight of one snippet-labelled trafilatura-eval line: about what one line of a 33-line page
weighs, so the 689 partly labelled pages teach the variety (blogs, shops, German) without
drowning the fully labelled news pages."""
PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 5, "max_leaf_nodes": 24,
          "min_samples_leaf": 40, "l2_regularization": 1.0, "random_state": 0, "early_stopping": False}
"""Tree-ensemble settings: small trees, few of them; deeper or longer gave no held-out gain."""
DATA = Path(__file__).resolve().parents[1] / "build_tools" / "data"
MODEL_PATH = DATA / "cleaner_model.json"
TITLE_MODEL_PATH = DATA / "title_model.json"
FOLD_DIR = Path(__file__).resolve().parent / "models"
"""Fold models: ``fold-N.json.gz`` (gzip: trees as JSON compress about fivefold)."""


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

    @property
    def id(self) -> str:
        return page_id(self.set_name, self.page_id)


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


# --- the headline ranker -------------------------------------------------------------------

TITLE_SETS = ("l3s-gn1", "trafilatura-eval", "reuters21578")
WIRE_TITLE_PAGES = 300
"""Reuters-21578 stories used for the headline ranker (every 10th of the 3,000): enough to teach
upper-case wire slugs above a timestamp without outweighing the web pages."""
TITLE_PARAMS = {"max_iter": 300, "learning_rate": 0.05, "max_depth": 4, "max_leaf_nodes": 31,
                "min_samples_leaf": 20, "l2_regularization": 1.0, "random_state": 0, "early_stopping": False}


@dataclass
class TitleSource:
    """A page with a title truth, read once; its candidates depend on the cleaner's scores."""

    id: str
    page: list[clean.Line]
    stop: frozenset[str]
    key: str | None
    """The truth headline's normalised words (None: the page has no headline)."""


@dataclass
class TitlePage:
    id: str
    x: np.ndarray
    labels: np.ndarray
    has_truth: bool


def load_title_sources(corpus: Path) -> list[TitleSource]:
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
            stop = detect_language(text).stop
            out.append(TitleSource(page_id(set_name, raw.stem), clean.page_lines(text), stop,
                                   norm_words(truth.get("title") or None)))
    return out


def title_pages(sources: list[TitleSource], cleaner: clean.CleanerModel | None) -> list[TitlePage]:
    """Candidate headline lines of each page, with features from ``cleaner``'s scores."""
    from quality.eval import norm_words

    out = []
    for s in sources:
        lines = [line.text for line in s.page]
        scores = clean.body_scores(s.page, s.stop, cleaner)
        candidates = headline.title_candidates(lines, scores)
        labels = np.array([int(s.key is not None and norm_words(c.text) == s.key) for c in candidates])
        out.append(TitlePage(s.id, headline.title_features(lines, s.page, scores, s.stop, candidates), labels,
                             s.key is not None))
    return out


def fit_titles(pages: list[TitlePage]) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p.x for p in pages if len(p.labels)])
    y = np.concatenate([p.labels for p in pages if len(p.labels)])
    return HistGradientBoostingClassifier(**TITLE_PARAMS).fit(x, y)


# --- one training run: shipped models and fold models --------------------------------------

REPO = Path(__file__).resolve().parents[1]
PROBE_PAGES = (REPO / "examples" / "inbox", REPO / "tests" / "fixtures")
"""Text dumps kept in the repository whose model inputs stamp the trained models."""


def trainer_source() -> bytes:
    """What of this trainer decides a model: its settings, labels, weights and fitting (not its
    printing, paths or command line), so that editing those leaves the models current."""
    parts: list[Callable[..., Any]] = [label_lines, label_snippets, load, weights, rows, train, fit,
                                       load_title_sources, title_pages, fit_titles]
    settings = (SHORT_LINE_TOKENS, SETS, SNIPPET_LINE_WEIGHT, PARAMS, TITLE_SETS, WIRE_TITLE_PAGES, TITLE_PARAMS)
    return repr(settings).encode() + b"".join(inspect.getsource(f).encode() for f in parts)


def training_stamp() -> str:
    """What the trained models depend on, as behaviour: the features, stage-2 inputs, headline
    candidates and headline features computed for every probe page (``PROBE_PAGES``), plus the
    trainer's settings and fitting code (``trainer_source``). A refactor that leaves them equal
    keeps the models; a change of the features, the furniture patterns, the candidate window or
    the training makes every model stale."""
    digest = hashlib.sha256(trainer_source())
    digest.update((REPO / "build_tools" / "data" / "boilerplate.json").read_bytes())  # furniture, a line feature
    for path in sorted(p for folder in PROBE_PAGES for p in folder.glob("*.txt")):
        text = path.read_text("utf-8")
        page = clean.page_lines(text)
        lines = [line.text for line in page]
        language, stop = detect_language(text)
        x1 = clean.line_features(page, stop)
        scores = clean.body_scores(page, stop, None)  # the model-free rule: the same on every checkout
        candidates = headline.title_candidates(lines, scores)
        x2 = clean.stage2_features(x1, scores)
        xt = headline.title_features(lines, page, scores, stop, candidates)
        digest.update(f"{path.name}|{language}|{[(c.start, c.end, c.text) for c in candidates]}".encode())
        for array in (x1, x2, xt):
            digest.update(np.round(np.asarray(array, dtype=np.float64), 9).tobytes())
    return digest.hexdigest()[:16]


def shipped_stamp() -> str:
    """Hash of the shipped model files, so fold models are known to come from the same run."""
    digest = hashlib.sha256()
    for path in (MODEL_PATH, TITLE_MODEL_PATH):
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def cleaner_json(pages: list[Page]) -> dict[str, Any]:
    stage1, stage2 = train(pages)
    return {"features": list(clean.LINE_FEATURES), "windows": list(clean.WINDOWS),
            "stage1": export_trees(stage1), "stage2": export_trees(stage2)}


def title_json(sources: list[TitleSource], cleaner: dict[str, Any]) -> dict[str, Any]:
    model = clean.models_from_json(cleaner, None).cleaner
    return export_trees(fit_titles(title_pages(sources, model)))


def train_all(corpus: Path, k: int = gate.K_FOLDS, say: Callable[[str], None] = print) -> None:
    started = time.perf_counter()
    pages = load(corpus)
    sources = load_title_sources(corpus)
    say(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, "
        f"{int(sum(p.mask.sum() for p in pages))} labelled, {int(sum(p.labels.sum() for p in pages))} body; "
        f"{len(sources)} pages with a title truth ({time.perf_counter() - started:.0f}s)")
    comment = "Written by python -m quality.train_cleaner ../shared/corpus; do not edit."
    cleaner = cleaner_json(pages)
    title = title_json(sources, cleaner)
    MODEL_PATH.write_text(json.dumps({"_comment": comment, **cleaner}, separators=(",", ":")) + "\n", "utf-8")
    TITLE_MODEL_PATH.write_text(json.dumps({"_comment": comment, **title}, separators=(",", ":")) + "\n", "utf-8")
    clean.shipped_models.cache_clear()
    say(f"wrote {MODEL_PATH} and {TITLE_MODEL_PATH} ({time.perf_counter() - started:.0f}s)")
    FOLD_DIR.mkdir(exist_ok=True)
    for old in FOLD_DIR.glob("fold-*.json.gz"):
        old.unlink()
    stamp, shipped = training_stamp(), shipped_stamp()
    for n in range(k):
        fold_cleaner = cleaner_json([p for p in pages if gate.fold_of(p.id, k) != n])
        fold_title = title_json([s for s in sources if gate.fold_of(s.id, k) != n], fold_cleaner)
        data = {"_comment": comment, "fold": n, "k": k, "stamp": stamp, "shipped": shipped,
                "cleaner": fold_cleaner, "title": fold_title}
        path = FOLD_DIR / f"fold-{n}.json.gz"
        # mtime=0: the same models give the same bytes
        path.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0))
        say(f"wrote {path} ({path.stat().st_size // 1024} KiB, {time.perf_counter() - started:.0f}s)")


class StaleModels(Exception):
    """Fold models missing, or not from the run that trained the shipped models."""


def fold_models(k: int = gate.K_FOLDS) -> dict[int, clean.Models]:
    """Fold -> the models trained without that fold's pages. Raises StaleModels with the fix."""
    fix = "run python -m quality.train_cleaner ../shared/corpus (trains the shipped and fold models together)"
    out: dict[int, clean.Models] = {}
    stamp, shipped = training_stamp(), shipped_stamp()
    for n in range(k):
        path = FOLD_DIR / f"fold-{n}.json.gz"
        if not path.is_file():
            raise StaleModels(f"{path} is missing; {fix}")
        data = json.loads(gzip.decompress(path.read_bytes()))
        if data.get("k") != k or data.get("shipped") != shipped:
            raise StaleModels(f"{path} was not trained with the shipped models in build_tools/data; {fix}")
        if data.get("stamp") != stamp:
            raise StaleModels(f"{path} predates a change of the model inputs (features, furniture patterns, "
                              f"headline candidates) or of the trainer; {fix}")
        out[n] = clean.models_from_json(data["cleaner"], data["title"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quality.train_cleaner", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="the shared corpus folder (../shared/corpus)")
    parser.add_argument("--folds", type=int, default=gate.K_FOLDS, help="folds for the gate (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.corpus / "aeb").is_dir():
        print(f"{args.corpus}: not the shared corpus (no aeb/ folder). Fix: pass ../shared/corpus", file=sys.stderr)
        return 2
    train_all(args.corpus, args.folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
