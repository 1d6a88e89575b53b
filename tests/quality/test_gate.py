"""quality.gate: stable folds, baselines that only ratchet up, and their history."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from quality import gate


def args_for(path: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    gate.add_arguments(parser, path)
    return parser.parse_args(list(extra))


def test_fold_of_is_a_stable_hash_of_the_id() -> None:
    # A fold never depends on the run, the machine or the order pages are read in.
    first = [gate.fold_of(f"set/{i}") for i in range(200)]
    assert first == [gate.fold_of(f"set/{i}") for i in range(200)]
    assert set(first) == set(range(gate.K_FOLDS))


def test_fold_of_known_values() -> None:
    import hashlib

    for page in ("aeb/0001", "l3s-gn1/abc", "reuters21578/12"):
        digest = hashlib.sha256(page.encode()).digest()
        assert gate.fold_of(page, 7) == int.from_bytes(digest[:8], "big") % 7


def run(path: Path, figures: gate.Figures, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        code = gate.run(figures, args_for(path, *extra), 0.002, out=out)
    return code, out.getvalue(), err.getvalue()


def test_first_update_pins_and_a_drop_fails(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    assert run(path, {"aeb text": {"body_f1": 0.9}}, "--update")[0] == 0
    assert gate.Baseline.load(path).figures == {"aeb text": {"body_f1": 0.9}}
    assert run(path, {"aeb text": {"body_f1": 0.8995}})[0] == 0  # within tolerance
    code, _, err = run(path, {"aeb text": {"body_f1": 0.85}})
    assert code == 1
    assert "REGRESSION aeb text body_f1: 0.8500 < pinned 0.9000" in err
    assert "--accept-drop" in err


def test_update_never_lowers_a_figure(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    run(path, {"g": {"a": 0.9, "b": 0.5}}, "--update")
    code, _, _ = run(path, {"g": {"a": 0.8, "b": 0.6}}, "--update")
    assert code == 1
    assert gate.Baseline.load(path).figures == {"g": {"a": 0.9, "b": 0.5}}  # nothing written
    assert run(path, {"g": {"a": 0.95, "b": 0.5}}, "--update")[0] == 0
    assert gate.Baseline.load(path).figures == {"g": {"a": 0.95, "b": 0.5}}


def test_accept_drop_records_reason_and_is_printed_after(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    run(path, {"g": {"a": 0.9}}, "--update")
    assert run(path, {"g": {"a": 0.7}}, "--accept-drop", "rule X removed: fitted one page")[0] == 0
    base = gate.Baseline.load(path)
    assert base.figures == {"g": {"a": 0.7}}
    (drop,) = base.drops()
    assert (drop["group"], drop["name"], drop["old"], drop["new"]) == ("g", "a", 0.9, 0.7)
    assert drop["reason"] == "rule X removed: fitted one page"
    assert drop["commit"]
    _, out, _ = run(path, {"g": {"a": 0.7}})
    assert "recorded drop: g a 0.9000 -> 0.7000" in out and "rule X removed" in out


def test_a_hand_edited_baseline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    run(path, {"g": {"a": 0.9}}, "--update")
    data = json.loads(path.read_text())
    data["figures"]["g"]["a"] = 0.5
    path.write_text(json.dumps(data))
    with pytest.raises(gate.BaselineError, match="edited by hand"):
        gate.Baseline.load(path)
    code, _, err = run(path, {"g": {"a": 0.6}})
    assert code == 2 and "edited by hand" in err


def test_a_figure_no_longer_measured_is_a_drop(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    run(path, {"g": {"a": 0.9, "b": 0.4}}, "--update")
    code, _, err = run(path, {"g": {"a": 0.9}})
    assert code == 1 and "g b" in err


def test_an_accepted_drop_to_nothing_leaves_a_baseline_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    run(path, {"g": {"a": 0.9}, "old": {"b": 0.4}}, "--update")
    assert run(path, {"g": {"a": 0.9}}, "--accept-drop", "set renamed")[0] == 0
    assert gate.Baseline.load(path).figures == {"g": {"a": 0.9}}
    assert run(path, {"g": {"a": 0.9}})[0] == 0


@pytest.mark.parametrize("name", ["extraction.json", "tags.json", "related.json", "threads.json"])
def test_committed_baselines_replay_their_history(name: str) -> None:
    path = Path(gate.__file__).parent / "baselines" / name
    base = gate.Baseline.load(path)  # raises on a hand edit
    assert base.figures and base.history
