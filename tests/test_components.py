"""Connected components: transitive groups, in a fixed order."""

from __future__ import annotations

import pytest

from build_tools.components import connected


@pytest.mark.parametrize(("n", "pairs", "groups"), [
    (3, [], [[0], [1], [2]]),
    (5, [(3, 1), (1, 4)], [[0], [1, 3, 4], [2]]),
    (6, [(5, 4), (2, 0), (4, 2), (1, 1)], [[0, 2, 4, 5], [1], [3]]),
    (0, [], []),
], ids=["none", "chain", "merged-from-both-ends", "empty"])
def test_connected(n: int, pairs: list[tuple[int, int]], groups: list[list[int]]) -> None:
    assert connected(n, pairs) == groups
