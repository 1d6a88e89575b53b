"""The tagging quality gate: no figure below its pinned baseline (python -m build_tools.eval_tags ../shared)."""

from __future__ import annotations

import pytest

from build_tools import eval_tags
from tests.conftest import require_shared


@pytest.mark.corpus
@pytest.mark.slow
def test_tagging_gate_holds() -> None:
    shared = require_shared("labels", "entities")
    require_shared("corpus", "reuters21578")
    assert eval_tags.main([str(shared.parent.parent)]) == 0
