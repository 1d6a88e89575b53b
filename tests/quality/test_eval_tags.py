"""The tagging quality gate: no figure below its pinned baseline (python -m quality.eval_tags ../shared)."""

from __future__ import annotations

import pytest

from quality import eval_tags
from tests.conftest import require_shared


@pytest.mark.corpus
@pytest.mark.slow
def test_tagging_gate_holds() -> None:
    shared = require_shared("labels", "entities")
    require_shared("corpus", "reuters21578")
    assert eval_tags.main([str(shared.parent.parent)]) == 0


@pytest.mark.parametrize(("tagged", "aliases", "tp", "fp"), [
    ("Federal Bureau of Investigation", {"Federal Bureau of Investigation": frozenset({"FBI"})}, 1, 0),
    ("Republican Party (United States)", {}, 1, 0),
    ("U.S. Attorney’s Office", {}, 1, 0),
    ("Federal Reserve", {"Federal Reserve": frozenset({"Fed"})}, 0, 1),
], ids=["vocabulary-alias", "disambiguator", "typographic-apostrophe", "different-body"])
def test_score_compares_identities(tagged: str, aliases: dict, tp: int, fp: int) -> None:
    from build_tools.model import Tags
    label = {"organizations": ["FBI", "Republican Party", "U.S. Attorney's Office"], "surface_forms": {}}
    score, _, _ = eval_tags.score_article(Tags(organizations=[tagged]), label, "organizations", aliases)
    assert (score.tp, score.fp) == (tp, fp)
