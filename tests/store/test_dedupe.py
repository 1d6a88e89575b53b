"""dedupe: near-duplicate copies of one story become one briefing listing every source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.ingest import ingest
from build_tools.store import briefing as bfile
from build_tools.store.dedupe import NEAR_DUPLICATE_JACCARD, jaccard, shingles
from build_tools.tag.entities import load_vocabulary
from tests.conftest import INBOX

TRIO = sorted(INBOX.glob("republished-*.txt"))


def origins(path: Path) -> list[str]:
    meta, _ = bfile.split(path.read_text("utf-8"))
    return [o["source"] for o in yaml.safe_load(meta or "")["origins"]]


def only_briefing(root: Path) -> Path:
    found = sorted(root.rglob("*.md"))
    assert len(found) == 1, found
    return found[0]


def test_the_republished_trio_becomes_one_briefing_listing_all_sources(tmp_path: Path) -> None:
    report = ingest(TRIO, tmp_path / "b", load_vocabulary(None))
    path = only_briefing(tmp_path / "b")
    assert origins(path)[0] == "republished-1-wire-unhcr-afghan-exodus-borders.txt"  # the most complete copy
    assert sorted(origins(path)) == sorted(p.name for p in TRIO)
    assert len(report.written) == 1 and len(report.duplicates) == 2
    assert all("near-duplicate of" in d for d in report.duplicates)


def test_re_ingesting_the_trio_is_a_no_op(tmp_path: Path) -> None:
    ingest(TRIO, tmp_path / "b", load_vocabulary(None))
    before = only_briefing(tmp_path / "b").read_bytes()
    report = ingest(TRIO, tmp_path / "b", load_vocabulary(None))
    assert report.written == [] and only_briefing(tmp_path / "b").read_bytes() == before
    again = ingest([TRIO[1]], tmp_path / "b", load_vocabulary(None))
    assert again.written == [] and len(again.already) == 1


def test_a_later_copy_joins_the_briefing_on_disk(tmp_path: Path) -> None:
    ingest([TRIO[0]], tmp_path / "b", load_vocabulary(None))
    report = ingest([TRIO[2]], tmp_path / "b", load_vocabulary(None))
    path = only_briefing(tmp_path / "b")
    assert origins(path) == [TRIO[0].name, TRIO[2].name]
    assert report.written == [str(path)] or len(report.written) == 1
    assert not bfile.is_hand_edited(path.read_text("utf-8"))  # re-signed: still ingest's own file


def test_a_copy_of_a_hand_edited_briefing_is_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    ingest([TRIO[0]], tmp_path / "b", load_vocabulary(None))
    path = only_briefing(tmp_path / "b")
    path.write_text(path.read_text("utf-8").replace("UNHCR", "The UNHCR", 1), "utf-8")
    edited = path.read_bytes()
    report = ingest([TRIO[1]], tmp_path / "b", load_vocabulary(None))
    assert path.read_bytes() == edited and only_briefing(tmp_path / "b") == path
    assert len(report.kept_edits) == 1
    assert "edited by hand" in report.kept_edits[0] and TRIO[1].name in report.kept_edits[0]


def test_different_stories_stay_apart(tmp_path: Path) -> None:
    inputs = [INBOX / "meridian-tajikistan-border-troops.txt", INBOX / "wire-style-russia-tajikistan-uzbekistan-drills.txt"]
    for p in inputs:
        shutil.copy(p, tmp_path)
    ingest([tmp_path], tmp_path / "b", load_vocabulary(None))
    assert len(list((tmp_path / "b").rglob("*.md"))) == 2


@pytest.mark.parametrize(("a", "b", "near"), [
    ("one two three four five six seven eight nine ten", "one two three four five six seven eight nine ten", True),
    ("one two three four five six seven eight nine ten", "One two, three four five six seven eight nine ten!", True),
    ("one two three four five six seven eight nine ten", "ten nine eight seven six five four three two one", False),
], ids=["same", "case-and-punctuation", "different"])
def test_jaccard_on_word_five_grams(a: str, b: str, near: bool) -> None:
    assert (jaccard(shingles(a), shingles(b)) >= NEAR_DUPLICATE_JACCARD) is near


def _variants() -> list[set[str]]:
    """Shingle sets of the sample inbox texts and of cut, merged and shortened copies of them:
    pairs well above, around and below the threshold, and sets too small to pair."""
    texts = [p.read_text("utf-8") for p in sorted(INBOX.glob("*.txt"))]
    out = []
    for k, text in enumerate(texts):
        words = text.split()
        out += [text, " ".join(words[: len(words) * 2 // 3]), " ".join(words[len(words) // 3:]),
                text + " " + texts[(k + 1) % len(texts)], " ".join(words[:9])]
    return [shingles(t) for t in out]


def test_banded_signatures_find_exactly_the_pairs_minhash_lsh_finds() -> None:
    from build_tools.store.dedupe import candidates, confirmed, near_pairs, signatures

    sets = _variants()
    expected = near_pairs(sets)
    assert len(expected) > 10  # the variants do pair
    assert confirmed(candidates(signatures(sets)), lambda i: sets[i]) == expected


def test_the_lsh_shape_is_the_one_minhashlsh_picks() -> None:
    from datasketch import MinHashLSH

    from build_tools.store.dedupe import LSH_BANDS, LSH_ROWS, NUM_PERM

    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)


def test_minhash_values_are_datasketchs() -> None:
    from build_tools.store.dedupe import _minhashes, minhash_values

    sets = [s for s in _variants() if s][:20]
    for sh, m in zip(sets, _minhashes(sets), strict=True):
        assert minhash_values(sh).tolist() == m.hashvalues.tolist()
        assert minhash_values(sh).dtype == m.hashvalues.dtype
