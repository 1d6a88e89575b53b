"""Connected components (union-find): the one grouping helper for near-duplicates and story threads."""

from __future__ import annotations

from collections.abc import Iterable


def connected(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The groups of ``range(n)`` that ``pairs`` join, directly or through others: every number in
    exactly one group, each group sorted, groups in the order of their smallest member."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
