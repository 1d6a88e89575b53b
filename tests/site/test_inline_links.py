"""Inline links: the matcher finds exactly what the regular expression it replaced finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.site.inline_links import matches


def by_regex(text: str, names: list[str]) -> list[tuple[int, str]]:
    """The reference: one alternation, longest name first, whole words, no '&' before."""
    pattern = re.compile(rf"(?<![\w&])(?:{'|'.join(re.escape(n) for n in names)})(?!\w)")
    return [(m.start(), m.group(0)) for m in pattern.finditer(text)]


ALPHABET = "ab &_.-é1 "
NAMES = st.lists(st.text(alphabet="ab é-&", min_size=1, max_size=4).filter(lambda n: n.strip()), min_size=1,
                 max_size=5, unique=True).map(lambda ns: sorted(ns, key=lambda n: (-len(n), n)))


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=40), names=NAMES)
def test_matches_agrees_with_the_regular_expression(text: str, names: list[str]) -> None:
    assert matches(text, names) == by_regex(text, names)


def test_examples() -> None:
    names = sorted(["Joe Biden", "Biden", "AT&amp;T"], key=lambda n: (-len(n), n))
    assert matches("Joe Biden met Biden and AT&amp;T; Bidens no", names) == [(0, "Joe Biden"), (14, "Biden"),
                                                                             (24, "AT&amp;T")]
    assert matches("&Biden x_Biden Biden_", names) == []
