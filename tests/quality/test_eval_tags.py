"""The tagging quality gate (python -m quality.eval_tags ../shared): figures, held-out fold, CoNLL dev, and
the gate behaviour it relies on (a drop fails, --update never lowers, --accept-drop records why)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.model import Tags
from quality import eval_tags, gate
from tests.conftest import require_shared


@pytest.mark.corpus
@pytest.mark.slow
def test_tagging_gate_holds(capsys: pytest.CaptureFixture[str]) -> None:
    shared = require_shared("labels", "entities").parent.parent
    require_shared("corpus", "reuters21578")
    require_shared("labels", "conll2003", "dev")
    assert eval_tags.main([str(shared)]) == 0
    out = capsys.readouterr().out
    held = sum(1 for p in (shared / "labels" / "entities").glob("*.json")
               if gate.fold_of(json.loads(p.read_text("utf-8"))["id"]) == gate.HELD_OUT_FOLD)
    assert 0 < held < 40
    lines = out.splitlines()
    assert any(line.split()[:4] == ["entities", "held-out", "articles", str(held)] for line in lines)
    assert any(line.startswith("conll dev news     people.f1") and line.endswith("CALIBRATED") for line in lines)
    assert any(line.startswith("entities           people.f1") and "CALIBRATED" in line for line in lines)


@pytest.mark.corpus
@pytest.mark.slow
def test_conll_figures_are_the_shared_scorers(tmp_path: Path) -> None:
    """The gate's CoNLL figures equal what score_conll_tags.py --kind news --ignore-demonyms prints."""
    shared = require_shared("labels", "conll2003", "dev").parent.parent.parent
    from build_tools.tag.entities import load_vocabulary, tag

    vocab = load_vocabulary(eval_tags.REPO / "vocabulary")
    figures = eval_tags.conll_figures(shared, vocab, [], False)["conll dev news"]
    predictions = tmp_path / "predictions.jsonl"
    folds = eval_tags.fold_taggers("dev")  # the name finder was trained on dev: each document by its fold's model
    with predictions.open("w", encoding="utf-8") as out:
        for text in sorted((shared / "labels" / "conll2003" / "dev" / "texts").glob("*.txt")):
            tags = (folds(text.stem) if folds else tag)(*eval_tags.conll_text(text), vocab).as_dict()
            out.write(json.dumps({"source": str(text), "tags": tags}) + "\n")
    done = subprocess.run([sys.executable, str(shared / eval_tags.CONLL_SCORER), str(shared / "labels" / "conll2003" / "dev"),
                           str(predictions), "--kind", "news", "--ignore-demonyms", "--json"],
                          capture_output=True, text=True, check=True)
    printed = json.loads(done.stdout)
    assert printed["documents"] == figures["documents"] == 182
    for typ in ("people", "organizations", "locations"):
        for m in ("precision", "recall", "f1"):
            assert figures[f"{typ}.{m}"] == printed[typ][m], (typ, m)


@pytest.mark.parametrize(("tagged", "aliases", "tp", "fp"), [
    ("Federal Bureau of Investigation", {"Federal Bureau of Investigation": frozenset({"FBI"})}, 1, 0),
    ("Republican Party (United States)", {}, 1, 0),
    ("U.S. Attorney’s Office", {}, 1, 0),
    ("Federal Reserve", {"Federal Reserve": frozenset({"Fed"})}, 0, 1),
], ids=["vocabulary-alias", "disambiguator", "typographic-apostrophe", "different-body"])
def test_score_compares_identities(tagged: str, aliases: dict, tp: int, fp: int) -> None:
    label = {"organizations": ["FBI", "Republican Party", "U.S. Attorney's Office"], "surface_forms": {}}
    score, _, _ = eval_tags.score_article(Tags(organizations=[tagged]), label, "organizations", aliases)
    assert (score.tp, score.fp) == (tp, fp)


def test_conll_text_is_headline_then_body(tmp_path: Path) -> None:
    doc = tmp_path / "conll-dev-0001.txt"
    doc.write_text("SOCCER - JAPAN GET LUCKY WIN.\n\nAL-AIN 1996-12-06\n\nJapan began the defence.\n", "utf-8")
    assert eval_tags.conll_text(doc) == ("SOCCER - JAPAN GET LUCKY WIN.", "AL-AIN 1996-12-06\n\nJapan began the defence.")


def test_the_table_marks_drops_targets_and_calibration() -> None:
    figures = {"entities": {"people.recall": 0.70, "articles": 40.0}, "conll dev news": {"people.f1": 0.8}}
    pinned = {"entities": {"people.recall": 0.75}}
    lines = eval_tags.table(figures, pinned, {"entities": {"people.recall": 0.8}},
                            {"entities": ("CALIBRATED", "tuned here"), "conll dev news": ("no", "never tuned")})
    rows = {tuple(line.split()[:2]): line for line in lines[1:] if not line.startswith(" ")}
    assert rows[("entities", "people.recall")].split()[2:] == ["0.700", "0.750", "0.80", "CALIBRATED", "DROP",
                                                               "(below", "target)"]
    assert rows[("entities", "articles")].split()[2:] == ["40", "CALIBRATED"]
    assert rows[("conll", "dev")].split()[3:] == ["people.f1", "0.800", "no"]
    assert "  conll dev news: no: never tuned" in lines


# --------------------------------------------------------------------------- the gate behaviour eval_tags relies on

FIGURES: gate.Figures = {"entities": {"people.recall": 0.887, "articles": 40.0},
                         "entities held-out": {"people.recall": 0.968, "articles": 7.0},
                         "conll dev news": {"people.f1": 0.764, "documents": 182.0}}


@pytest.fixture
def fake_shared(tmp_path: Path) -> Path:
    """A shared folder with the paths eval_tags checks for (the figures come from ``fake_run``)."""
    root = tmp_path / "shared"
    for folder in ("labels/entities", "labels/conll2003/dev", "corpus/reuters21578/truth", "tools"):
        (root / folder).mkdir(parents=True)
    (root / eval_tags.CONLL_SCORER).write_text("", "utf-8")
    return root


def fake_run(monkeypatch: pytest.MonkeyPatch, figures: gate.Figures, seconds: float = 1.0) -> None:
    def measured(shared: Path, vocabulary: Path, verbose: bool) -> tuple[gate.Figures, float, list[str]]:
        return json.loads(json.dumps(figures)), seconds, []

    monkeypatch.setattr(eval_tags, "evaluate", measured)
    monkeypatch.setattr(eval_tags, "rules_figures", lambda shared, vocab: {})


def lowered(group: str, name: str, by: float) -> gate.Figures:
    out = json.loads(json.dumps(FIGURES))
    out[group][name] = round(out[group][name] - by, 3)
    return out


@pytest.fixture
def pinned(fake_shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A baseline pinned from FIGURES by ``--update``."""
    baseline = tmp_path / "tags.json"
    fake_run(monkeypatch, FIGURES)
    assert eval_tags.main([str(fake_shared), "--baseline", str(baseline), "--update"]) == 0
    history = json.loads(baseline.read_text("utf-8"))["history"]
    assert {e["kind"] for e in history} == {"pin"} and len(history) == 6
    return baseline


def test_an_unchanged_run_passes(pinned: Path, fake_shared: Path) -> None:
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 0


@pytest.mark.parametrize("group", ["entities", "entities held-out", "conll dev news"])
def test_a_drop_in_any_group_fails(pinned: Path, fake_shared: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str], group: str) -> None:
    name = next(iter(FIGURES[group]))
    fake_run(monkeypatch, lowered(group, name, 0.001))
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 1
    assert f"REGRESSION {group} {name}: " in capsys.readouterr().err


def test_a_drop_within_rounding_passes(pinned: Path, fake_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = json.loads(json.dumps(FIGURES))
    figures["entities"]["people.recall"] -= 0.0004
    fake_run(monkeypatch, figures)
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 0


def test_update_never_lowers_a_figure(pinned: Path, fake_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = pinned.read_text("utf-8")
    fake_run(monkeypatch, lowered("entities held-out", "people.recall", 0.05))
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned), "--update"]) == 1
    assert pinned.read_text("utf-8") == before


def test_update_raises_a_figure(pinned: Path, fake_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_run(monkeypatch, lowered("entities", "people.recall", -0.01))
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned), "--update"]) == 0
    baseline = gate.Baseline.load(pinned)
    assert baseline.figures["entities"]["people.recall"] == 0.897
    assert baseline.history[-1]["kind"] == "raise" and baseline.history[-1]["old"] == 0.887


def test_accept_drop_lowers_and_records_the_reason(pinned: Path, fake_shared: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake_run(monkeypatch, lowered("entities", "people.recall", 0.02))
    reason = "rule for one labelled article removed"
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned), "--accept-drop", reason]) == 0
    baseline = gate.Baseline.load(pinned)  # replays: the file's figures equal its history
    assert baseline.figures["entities"]["people.recall"] == 0.867
    drop = baseline.history[-1]
    assert (drop["group"], drop["name"], drop["old"], drop["new"], drop["kind"], drop["reason"]) == (
        "entities", "people.recall", 0.887, 0.867, "drop", reason)
    assert drop["commit"]
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 0


def test_a_hand_edited_baseline_is_refused(pinned: Path, fake_shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(pinned.read_text("utf-8"))
    data["figures"]["entities"]["people.recall"] = 0.5
    pinned.write_text(json.dumps(data), "utf-8")
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 2
    assert "edited by hand" in capsys.readouterr().err


def test_a_slow_run_is_not_a_failure(pinned: Path, fake_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Speed is the ingest benchmark's (as ratios), never a gate's wall-clock budget."""
    fake_run(monkeypatch, FIGURES, seconds=3600.0)
    assert eval_tags.main([str(fake_shared), "--baseline", str(pinned)]) == 0


def test_a_missing_shared_folder_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_tags.main([str(tmp_path)]) == 2
    assert "pass the shared folder" in capsys.readouterr().err


def test_thresholds_are_chosen_without_the_fold_they_score() -> None:
    """Fold 0's two articles favour grid point 1, the other folds' point 0: fold 0 is scored at
    point 0, chosen without it; folds 1 and 2 at point 1, which fold 0 outweighs there."""
    S = eval_tags.Score
    good, bad = {k: S(1, 0, 0) for k in eval_tags.THRESHOLD_KINDS}, {k: S(0, 1, 1) for k in eval_tags.THRESHOLD_KINDS}
    folds = [0, 0, 1, 2]
    scores = [[bad, bad, good, good], [good, good, bad, bad]]
    oof, choices = eval_tags.out_of_fold(scores, folds, shipped=1)
    assert choices == {0: 0, 1: 1, 2: 1}
    assert oof["people"] == S(0, 4, 4)  # every fold scored where it is worst: no fold chose for itself
    assert eval_tags.best_point(scores, [0, 1], shipped=0) == 1
    assert eval_tags.best_point(scores, [0, 2], shipped=1) == 1  # a tie goes to the shipped point


def test_dev_is_tagged_by_its_folds_models_only_when_the_model_was_trained_on_it(tmp_path: Path) -> None:
    meta = tmp_path / "names_crf.json"
    meta.write_text(json.dumps({"trained_on": ["train"]}), "utf-8")
    assert eval_tags.fold_taggers("dev", meta) is None
    meta.write_text(json.dumps({"trained_on": ["train", "dev"],
                                "dev_folds": {"k": 5, "models": [f"nowhere/names_fold_{k}.bin" for k in range(5)],
                                              "sha256": ["0" * 64] * 5}}), "utf-8")
    with pytest.raises(FileNotFoundError, match="make names"):
        eval_tags.fold_taggers("dev", meta)
    fold = "build_tools/data/names_crf.bin"  # a file that is there, with other bytes than the sidecar says
    meta.write_text(json.dumps({"trained_on": ["train", "dev"],
                                "dev_folds": {"k": 1, "models": [fold], "sha256": ["0" * 64]}}), "utf-8")
    with pytest.raises(ValueError, match="not the folds"):
        eval_tags.fold_taggers("dev", meta)
