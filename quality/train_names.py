"""Train the name finder: ``python -m quality.train_names ../shared/labels/conll2003``.

Trains the CRF of ``build_tools/tag/names.py`` on CoNLL-2003 train (``train/tokens.iob``, IOB1
tags, read as BIO) with the features that module computes, the gazetteers and the repository's
``vocabulary/`` supplying the ``g:`` features. The regularisation is chosen on CoNLL dev: each
candidate in ``GRID`` is trained on train alone and scored on dev, token spans exact, micro F1 over
PER/ORG/LOC; the best is shipped as ``build_tools/data/names_crf.bin``.

``--with-dev`` (not the default) goes on: dev is cut into ``gate.K_FOLDS`` folds of documents
(``gate.fold_of`` of the document id, ``conll-dev-0001``...); each fold's model is trained on train
and the other folds with the chosen parameters and written to ``quality/models/names_fold_<k>.bin``,
and the shipped model is trained on train and all of dev. ``quality.eval_tags`` then tags each dev
document with its fold's model, so the dev figures stay out of fold. Measured in issue 21 (with a
``d:org`` document feature since removed, git 3fdd9cb), against the same features on train alone:
CoNLL dev news organisations F1 .805 -> .817 out of fold, locations .909 -> .912, people .930 ->
.931, but the 40 labelled web articles lost (people precision .982 -> .960, organisations F1 .799 ->
.787 with the evidence thresholds out of fold): more 1996 wire copy made the model surer of names on
today's web pages. Hence train alone by default.

A sidecar ``names_crf.json`` records the parameters, every candidate's dev figures (and the folds'
out-of-fold figures), the inputs' hashes and the seconds each step took. L1 (``c1``) prunes the
features: the model stays a few MB. Deterministic: the same inputs give the same bytes. Only the
models' weights enter the repository, never CoNLL's text or words lists taken from it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from build_tools.tag import names
from build_tools.tag.entities import load_vocabulary
from quality import gate

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "build_tools" / "data"
FOLDS = REPO / "quality" / "models"
FOLD_FILE = "names_fold_{}.bin"
"""In ``FOLDS``: the model that tags fold ``k`` of CoNLL dev in ``quality.eval_tags``."""
GRID = ((0.1, 0.01), (0.3, 0.01), (1.0, 0.001))
"""(c1, c2) candidates: L1 strength prunes features (model size), L2 smooths the rest."""
MAX_ITERATIONS = 150
"""L-BFGS iterations: dev F1 no longer moves past about 120 on CoNLL train."""
SCORED = ("PER", "ORG", "LOC")


class Doc(NamedTuple):
    sentences: list[list[str]]
    labels: list[list[str]]


def read_iob(path: Path) -> list[Doc]:
    """CoNLL-2003 ``token POS chunk NER`` lines, documents at ``-DOCSTART-``, IOB1 tags made BIO."""
    docs: list[Doc] = []
    sent: list[tuple[str, str]] = []

    def flush() -> None:
        if sent and docs:
            words = [w for w, _ in sent]
            bio: list[str] = []
            prev = "O"
            for _, tag in sent:
                if tag == "O":
                    bio.append("O")
                else:
                    pos, typ = tag.split("-", 1)
                    bio.append(f"B-{typ}" if pos == "B" or prev[2:] != typ else f"I-{typ}")
                prev = tag
            docs[-1].sentences.append(words)
            docs[-1].labels.append(bio)
        sent.clear()

    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if not parts:
            flush()
        elif parts[0] == "-DOCSTART-":
            flush()
            docs.append(Doc([], []))
        else:
            sent.append((parts[0], parts[-1]))
    flush()
    return docs


Sentence = tuple[list[list[str]], list[str]]
"""A sentence's features (one list per token) and its BIO labels."""


def featurize(docs: list[Doc], vocabulary: Path) -> Iterator[list[Sentence]]:
    """Each document's sentences, featurised."""
    vocab = load_vocabulary(vocabulary)
    for doc in docs:
        yield list(zip(names.document_features(doc.sentences, vocab.names, vocab.automaton),
                       doc.labels, strict=True))


def dev_fold(index: int, k: int = gate.K_FOLDS) -> int:
    """The fold of CoNLL dev's ``index``-th document (0-based): ``gate.fold_of`` of its id."""
    return gate.fold_of(f"conll-dev-{index + 1:04d}", k)


def flat(docs: list[list[Sentence]]) -> list[Sentence]:
    return [s for d in docs for s in d]


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float


def span_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, Score]:
    """Exact-span precision, recall and F1 per type and micro over ``SCORED``."""
    counts = {t: [0, 0, 0] for t in (*SCORED, "all")}
    for g, q in zip(gold, pred, strict=True):
        gs = {s for s in names.spans_of(g) if s[0] in SCORED}
        ps = {s for s in names.spans_of(q) if s[0] in SCORED}
        for t in SCORED:
            gt, pt = {s for s in gs if s[0] == t}, {s for s in ps if s[0] == t}
            for key in (t, "all"):
                counts[key][0] += len(gt & pt)
                counts[key][1] += len(pt - gt)
                counts[key][2] += len(gt - pt)
    out = {}
    for t, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[t] = Score(round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0)
    return out


def train(data: list[tuple[list[list[str]], list[str]]], c1: float, c2: float, out: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": MAX_ITERATIONS,
                        "feature.possible_transitions": True})
    trainer.train(str(out))


def predict(model: Path, data: list[tuple[list[list[str]], list[str]]]) -> list[list[str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [tagger.tag(x) for x, _ in data]


def held_sentences(docs: list[list[Sentence]], folds: list[int], k: int) -> list[int]:
    """Indices (in the flat list of dev sentences) of the sentences of fold ``k``'s documents."""
    out: list[int] = []
    at = 0
    for d, f in zip(docs, folds, strict=True):
        if f == k:
            out.extend(range(at, at + len(d)))
        at += len(d)
    return out


def report(scores: dict[str, Score]) -> str:
    return "  ".join(f"{t} {s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}" for t, s in scores.items())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_meta(args: argparse.Namespace, model: Path, chosen: tuple[float, float], results: list[dict],
               seconds: dict[str, float], trained_on: list[str], dev_folds: dict) -> None:
    """``names_crf.json`` beside the model: what it was trained on and how it was chosen."""
    train_iob, dev_iob = args.conll / "train" / "tokens.iob", args.conll / "dev" / "tokens.iob"
    meta = {"features_version": names.FEATURES_VERSION, "chosen": {"c1": chosen[0], "c2": chosen[1]},
            "max_iterations": MAX_ITERATIONS, "trained_on": trained_on, "candidates": results,
            **({"dev_folds": dev_folds} if dev_folds else {}),
            "model_sha256": sha256(model), "inputs": {"train": sha256(train_iob), "dev": sha256(dev_iob)},
            "seconds": seconds, "command": "python -m quality.train_names ../shared/labels/conll2003"
                                           + (" --with-dev" if dev_folds else "")}
    (args.out / "names_crf.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.train_names", description=__doc__.split("\n\n")[0])
    p.add_argument("conll", type=Path, help="the CoNLL-2003 folder (holds train/tokens.iob and dev/tokens.iob)")
    p.add_argument("--vocabulary", type=Path, default=REPO / "vocabulary")
    p.add_argument("--out", type=Path, default=DATA, help="folder for names_crf.bin and names_crf.json")
    p.add_argument("--folds-out", type=Path, default=FOLDS, help="folder for the dev folds' models")
    p.add_argument("--with-dev", action="store_true",
                   help="also train the dev folds' models and ship a model trained on train and dev (see above)")
    p.add_argument("--grid", default=None, help=f"c1:c2,c1:c2 candidates (default: {GRID})")
    args = p.parse_args(argv)
    train_iob, dev_iob = args.conll / "train" / "tokens.iob", args.conll / "dev" / "tokens.iob"
    if not train_iob.exists() or not dev_iob.exists():
        print(f"error: {train_iob} or {dev_iob} not found; pass ../shared/labels/conll2003", file=sys.stderr)
        return 2
    grid = GRID if args.grid is None else tuple(tuple(float(x) for x in c.split(":")) for c in args.grid.split(","))
    t0 = time.perf_counter()
    train_docs = list(featurize(read_iob(train_iob), args.vocabulary))
    dev_docs = list(featurize(read_iob(dev_iob), args.vocabulary))
    train_data, dev_data = flat(train_docs), flat(dev_docs)
    print(f"features: {len(train_data)} train and {len(dev_data)} dev sentences in {time.perf_counter() - t0:.0f}s")
    gold = [y for _, y in dev_data]
    results = []
    seconds: dict[str, float] = {}
    folds = [dev_fold(i) for i in range(len(dev_docs))]
    with tempfile.TemporaryDirectory(prefix="train-names-") as tmp:
        t1 = time.perf_counter()
        best: tuple[float, Path, tuple[float, float]] | None = None
        for c1, c2 in grid:
            path = Path(tmp) / f"crf-{c1}-{c2}.bin"
            t2 = time.perf_counter()
            train(train_data, c1, c2, path)
            scores = span_scores(gold, predict(path, dev_data))
            size = path.stat().st_size
            results.append({"c1": c1, "c2": c2, "bytes": size,
                            "dev": {t: s._asdict() for t, s in scores.items()}})
            print(f"c1={c1} c2={c2}: dev " + report(scores) + f"  ({size / 1e6:.1f} MB, {time.perf_counter() - t2:.0f}s)")
            if best is None or scores["all"].f1 > best[0]:
                best = (scores["all"].f1, path, (c1, c2))
        assert best is not None
        c1, c2 = best[2]
        seconds["choose"] = round(time.perf_counter() - t1)
        if not args.with_dev:
            args.out.mkdir(parents=True, exist_ok=True)
            model = args.out / names.MODEL_FILE
            model.write_bytes(best[1].read_bytes())
            write_meta(args, model, (c1, c2), results, seconds, ["train"], {})
            print(f"wrote {model} ({model.stat().st_size / 1e6:.1f} MB, train): c1={c1} c2={c2}, dev F1 {best[0]:.3f}; "
                  f"{sum(seconds.values())}s")
            return 0
        t1 = time.perf_counter()
        args.folds_out.mkdir(parents=True, exist_ok=True)
        oof: list[list[str]] = [[] for _ in dev_data]
        for k in sorted(set(folds)):
            path = args.folds_out / FOLD_FILE.format(k)
            train(train_data + flat([d for d, f in zip(dev_docs, folds, strict=True) if f != k]), c1, c2, path)
            held = flat([d for d, f in zip(dev_docs, folds, strict=True) if f == k])
            for i, labels in zip(held_sentences(dev_docs, folds, k), predict(path, held), strict=True):
                oof[i] = labels
        oof_scores = span_scores(gold, oof)
        seconds["folds"] = round(time.perf_counter() - t1)
        print(f"dev out of fold (train + the other {len(set(folds)) - 1} dev folds): " + report(oof_scores))
        t1 = time.perf_counter()
        args.out.mkdir(parents=True, exist_ok=True)
        model = args.out / names.MODEL_FILE
        train(train_data + dev_data, c1, c2, model)
        seconds["final"] = round(time.perf_counter() - t1)
    folds_meta = {"out_of_fold": {t: sc._asdict() for t, sc in oof_scores.items()}, "k": gate.K_FOLDS,
                  "fold_of": "gate.fold_of('conll-dev-NNNN')",
                  "models": [str((args.folds_out / FOLD_FILE.format(k)).resolve().relative_to(REPO))
                             if args.folds_out.resolve().is_relative_to(REPO) else FOLD_FILE.format(k)
                             for k in sorted(set(folds))],
                  "sha256": [sha256(args.folds_out / FOLD_FILE.format(k)) for k in sorted(set(folds))]}
    write_meta(args, model, (c1, c2), results, seconds, ["train", "dev"], folds_meta)
    print(f"wrote {model} ({model.stat().st_size / 1e6:.1f} MB, train + dev): c1={c1} c2={c2}, "
          f"dev F1 {best[0]:.3f} (train only), {oof_scores['all'].f1:.3f} out of fold; {sum(seconds.values())}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
