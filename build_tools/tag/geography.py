"""Which country a tag belongs to, for the related score and the entity pages.

Places get theirs from the gazetteer; people and organisations from the vocabulary's ``country``
(``vocabulary/*.yaml``); each country's other names ("U.S.", "American") come from the gazetteer.
Built once per build from the same files the tagger reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.tag.gazetteer import COUNTRIES, PLACES, gazetteer, place_country
from build_tools.tag.vocabulary import read_entries

CountryOf = Callable[[str, str], str | None]
"""``country_of(tag_type, name)``: the country of a place, person or organisation, when known."""


@dataclass(frozen=True)
class Geography:
    """A :data:`CountryOf` (call it), plus each country's other names, so that
    'U.S. TREASURY AIDE WARNS' counts as naming United States in a headline."""

    vocabulary: dict[tuple[str, str], str] = field(default_factory=dict)
    """(tag type, canonical name) -> country, from the vocabulary's entries."""
    other_names: dict[str, frozenset[str]] = field(default_factory=dict)
    """Country -> the other names it goes by in text."""
    places: dict[str, str | None] = field(default_factory=dict, compare=False)
    """Place -> its country, as the gazetteer answered so far: a memo, kept with the rest in the
    build cache (``build.GEOGRAPHY_FILE``), so a rebuild does not load the gazetteer to ask again."""

    def __call__(self, tag_type: str, name: str) -> str | None:
        if tag_type == PLACES:
            if name not in self.places:
                self.places[name] = place_country(name)
            return self.places[name]
        return self.vocabulary.get((tag_type, name))

    def names_of(self, country: str) -> frozenset[str]:
        return self.other_names.get(country, frozenset())


def country_names() -> dict[str, frozenset[str]]:
    """Country -> every surface form and adjective the gazetteer knows for it."""
    table: dict[str, set[str]] = defaultdict(set)
    g = gazetteer()
    for surface, candidates in g.names.items():
        for n in candidates:
            if n.kind == COUNTRIES and n.canonical:
                table[n.canonical].add(surface)
    for adjective, country in g.adjectives.items():
        table[country].add(adjective)
    return {k: frozenset(v) for k, v in table.items()}


def load_geography(vocabulary_dir: Path | None) -> Geography:
    """The geography of the gazetteer plus the vocabulary in ``vocabulary_dir`` (None or a missing
    folder: gazetteer only). Raises ``VocabularyError`` for a broken vocabulary file."""
    countries: dict[tuple[str, str], str] = {}
    if vocabulary_dir is not None and vocabulary_dir.is_dir():
        for entry in read_entries(vocabulary_dir).entries:
            if entry.country:
                countries[(entry.kind, entry.name)] = entry.country
    return Geography(countries, country_names())
