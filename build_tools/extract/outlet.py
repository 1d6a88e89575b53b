"""Outlet stage of the metadata: the name a page gives itself, cleaned and spelled one way.

A page names its outlet in several places: its <title> suffix ('Headline | The Site'), the
og:site_name an HTML page declares, a web-team byline ('Meridian Web Team'), a 'Follow X on
Twitter' line, the copyright line of its footer, a wire dateline's agency. Each is cleaned the
same way (no ©, years, 'Inc.'/'Ltd' tails, 'All rights reserved'), and the editors' vocabulary
(``vocabulary/outlets.yaml``, :class:`OutletNames`) maps every spelling and host to one name.
Pure functions; no list of sites in the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from build_tools.text import clean_value

MAX_OUTLET_WORDS = 6
"""A longer cleaned owner is a sentence or a tagline ('Breaking Business and Technology News at
...'), not a name. The longest outlet names in ../shared/corpus have five words ('ABC News
(Australian Broadcasting Corporation)' is cut at its bracket)."""
MAX_OUTLET_CHARS = 60

COPYRIGHT_MARK_RE = re.compile(r"^\s*(?:copyright\b|©|ⓒ|\(c\)|\bcopr\.)", re.IGNORECASE)
"""A copyright line opens with one of these (the footer line 'Copyright © 2019 The Paradigm')."""
RIGHTS_RE = re.compile(
    r"\b(?:all\s+rights?\s+reserved|alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|todos\s+los\s+derechos"
    r"\s+reservados|todos\s+os\s+direitos\s+reservados|tutti\s+i\s+diritti\s+riservati|wszelkie\s+prawa"
    r"\s+zastrzeżone|a\s+division\s+of|a\s+subsidiary\s+of|part\s+of|powered\s+by|unauthori[sz]ed|use\s+of\s+this)\b.*$",
    re.IGNORECASE)
"""Where a copyright line stops naming its owner."""
MARKS_RE = re.compile(r"(?:copyright\b|©|ⓒ|\(c\)|®|™|\bby\b(?=\s+[A-Z]))", re.IGNORECASE)
YEARS_RE = re.compile(r"\b(?:1[89]\d\d|2[01]\d\d)(?:\s*[-–/]\s*(?:1[89]\d\d|2[01]\d\d))?\b|\bM{1,3}[CDLXVI]{0,8}\b")
"""Years, year ranges and Roman-numeral years ('MMVIII')."""
LEGAL_TAIL_RE = re.compile(
    r"[\s,]+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|l\.p|lp|llp|plc|gmbh|ag|kg|ohg|e\.v|ev|pty|s\.a|sa|s\.l|sl|"
    r"spa|s\.p\.a|srl|s\.r\.l|b\.v|bv|n\.v|nv|ab|as|oy|co|corp|company|group|media\s+group)\.?$",
    re.IGNORECASE)
"""Legal-form tails: 'The Daily Ledger Ltd.' is the outlet 'The Daily Ledger'."""
LINK_WORDS = frozenset({
    "privacy", "policy", "terms", "conditions", "service", "services", "contact", "imprint", "impressum",
    "datenschutz", "cookies", "cookie", "home", "sitemap", "about", "advertise", "subscribe", "login", "search",
    "menu", "disclaimer", "rss", "feeds", "help", "faq", "careers", "jobs", "newsletter", "all", "rights",
    "reserved", "copyright", "use", "site", "website", "web", "page", "us", "me", "the", "and", "of", "our",
})
"""Footer link labels printed on the copyright line: an 'owner' made only of these is none."""
SEPARATOR_RE = re.compile(r"\s+[|•·]\s+|\s*\|\s*|\s+[-–—]\s+|\.\s+(?=[A-Z])")
"""Where a footer line runs on into links or a second sentence."""


def clean_outlet(raw: str | None) -> str | None:
    """The outlet's name out of a copyright line, a site name or a team byline:
    '© 2019 The Paradigm' -> 'The Paradigm', 'Copyright Gannett 2018' -> 'Gannett',
    '© 2021 The Daily Ledger Ltd. All rights reserved.' -> 'The Daily Ledger'. None when what is
    left is no name (empty, footer links, a sentence)."""
    if not raw:
        return None
    text = clean_value(raw)
    text = RIGHTS_RE.sub("", text)
    text = MARKS_RE.sub(" ", text)
    text = YEARS_RE.sub(" ", text)
    text = " ".join(text.split()).strip(" ,.;:-–—|/")
    parts = [p.strip(" ,.;:-–—|/") for p in SEPARATOR_RE.split(text)]
    parts = [p for p in parts if p and not _only_link_words(p)]
    if not parts:
        return None
    text = parts[0]
    text = re.sub(r"\s*\((?:[^()]*)\)$", "", text)  # 'ABC News (Australian Broadcasting Corporation)'
    for _ in range(3):
        shorter = LEGAL_TAIL_RE.sub("", text).strip(" ,.;:-")
        if shorter == text or not shorter:
            break
        text = shorter
    text = text.strip(" ,.;:-–—|/&")
    words = text.split()
    if not words or len(words) > MAX_OUTLET_WORDS or len(text) > MAX_OUTLET_CHARS:
        return None
    if not any(c.isalpha() for c in text) or _only_link_words(text):
        return None
    if not (words[0][:1].isupper() or words[0][:1].isdigit() or "." in words[0]):
        return None  # 'all content on this site': lower-case text, not a name
    return text


def _only_link_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return not words or all(w in LINK_WORDS for w in words)


def is_copyright_line(text: str) -> bool:
    """A raw copyright line ('© 2019 The Paradigm', 'Hearst Communications, All rights reserved')."""
    return bool(COPYRIGHT_MARK_RE.match(text) or RIGHTS_RE.search(text) or YEARS_RE.search(text))


FOLLOW_RE = re.compile(
    r"^follow\s+(?P<name>(?!us\b|me\b|him\b|her\b|them\b|our\b)[A-Z][\w&.'’ -]{1,40}?)\s+on\s+"
    r"(?:twitter|facebook|instagram|linkedin|youtube|x\b|google|tiktok|threads|mastodon|bluesky)", re.IGNORECASE)
"""'Follow Newsbeat on Instagram, Facebook, Twitter': the site naming itself."""
SELF_REFERENCE_RE = re.compile(
    r"^(?:welcome\s+to|willkommen\s+(?:bei|auf)|bienvenue\s+sur|bienvenido\s+a|originally\s+published\s+(?:on|in|by)|"
    r"this\s+(?:article|story)\s+(?:originally\s+)?appeared\s+(?:on|in)|zuerst\s+erschienen\s+(?:bei|auf|in))\s+"
    r"(?P<name>[A-Z0-9][\w&.'’ -]{1,40}?)\s*[.!]?$", re.IGNORECASE)
"""'Welcome to The Points Guy', 'Originally published on Live Science.': a site naming itself.
On ../shared/corpus text dumps (folds 1-4) 7 of 7 such names named the site (4 outlets); 'About
X', 'Search X', 'X newsletter' lines named it only 57 %, 34 % and 12 % of the time."""
MAX_SELF_REFERENCE_CHARS = 80
MAX_COPYRIGHT_CHARS = 200
"""A copyright line is short; a longer line opening with '©' is a licence text."""


PARENT_WORDS = frozenset({
    "media", "communications", "holdings", "group", "publishing", "publications", "interactive", "networks",
    "corporation", "company", "enterprises", "ventures", "verlag", "zeitschriftenverlag", "medien", "mediengruppe",
    "internet", "digital", "newspapers", "private", "software", "design", "firm", "oyj",
})
"""Last words of a company's name: a copyright owner ending so is the publisher that owns the
site ('Hearst Communications', 'Vox Media', 'NYP Holdings'), not the site. On ../shared/corpus
text dumps (folds 1-4) 20 of 89 such owners named the site, against 262 of 413 other owners."""
NOT_OUTLET_RE = re.compile(r"[:/@]|\b(?:photo|photograph|foto|bild|image|getty|shutterstock|imago)\b", re.IGNORECASE)
"""A picture credit printed as a copyright line ('© Bild: X/Agency'), a path or an address."""


def plausible_outlet(name: str | None, agency: Callable[[str], bool], person: Callable[[str], bool]) -> bool:
    """Whether a cleaned owner can be the site's own name: not a news agency (``agency``: the
    wire's copyright under its story), a person (``person``: a blogger's own copyright), a
    parent company or a picture credit."""
    if not name:
        return False
    words = re.findall(r"[^\W\d_]+", name.casefold())
    bare = name[4:] if name.casefold().startswith("the ") else name
    return not (agency(bare) or person(name) or NOT_OUTLET_RE.search(name) or
                (len(words) >= 2 and words[-1] in PARENT_WORDS))


def page_outlet(lines: list[str], agency: Callable[[str], bool],
                person: Callable[[str], bool] = lambda name: False) -> str | None:
    """The outlet a page's own lines name: a 'Follow X on ...', 'Welcome to X' or 'Originally
    published on X' line, else the owner of its last copyright line, when :func:`plausible_outlet`."""
    for line in lines:
        m = (FOLLOW_RE.match(line) or SELF_REFERENCE_RE.match(line)) if len(line) < MAX_SELF_REFERENCE_CHARS else None
        if m and plausible_outlet(name := clean_outlet(m.group("name")), agency, person):
            return name
    for line in reversed(lines):
        if len(line) < MAX_COPYRIGHT_CHARS and COPYRIGHT_MARK_RE.match(line):
            if plausible_outlet(name := clean_outlet(line), agency, person):
                return name
    return None


DATELINE_AGENCY_RE = re.compile(r"^[A-Z][A-Z/ .'-]{1,60},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\((?P<agency>[A-Z][\w .&-]{1,30})\)\s+[-–—]")
"""A wire dateline, 'DUSHANBE, Aug 5 (Wire) - ...': the agency in brackets publishes the story."""


def dateline_agency(lines: list[str]) -> str | None:
    """The agency of the page's first wire dateline: the outlet of wire copy, which prints no
    other name of its own."""
    for line in lines:
        m = DATELINE_AGENCY_RE.match(line)
        if m:
            return clean_value(m.group("agency"))
    return None


def title_outlet(titles: Iterable[str], keys: list[str]) -> str | None:
    """The part of a page title that names the site ('Headline | The Site' -> 'The Site')."""
    for title in titles:
        parts = [p.strip() for p in TITLE_PART_RE.split(title) if p.strip()]
        if len(parts) < 2:
            continue
        for part in (parts[-1], parts[0]):
            if names_site(part, keys) and (name := clean_outlet(part)):
                return name
    return None


TITLE_PART_RE = re.compile(r"\s+(?:[|»·•/@]|::|--|[-–—])\s+|\s*[|»]\s*|_")
"""Where a page title separates the headline from the site's name."""


# --- the site a page belongs to -------------------------------------------------------------------

TLDS = frozenset({
    "com", "org", "net", "edu", "gov", "info", "biz", "co", "uk", "de", "fr", "es", "it", "pl", "nl", "at", "ch",
    "be", "eu", "us", "ca", "au", "in", "za", "nz", "ie", "tv", "fm", "io", "me", "ru", "jp", "kr", "cn", "br",
    "pt", "ar", "cl", "mx", "tn", "my", "sg", "ph", "id", "ua", "se", "no", "dk", "fi", "cz", "hu", "ro", "gr",
    "tr", "news", "online", "blog", "ac", "or", "ne", "go",
})
"""Top-level and second-level domain labels: never the site's own name."""
HOST_PREFIXES = frozenset({"www", "m", "mobile", "amp", "blogs", "blog", "news", "edition", "uk", "us", "en", "de"})


def host_of(url: str | None) -> str | None:
    """The host of ``url`` ('https://www.example.com/a' -> 'www.example.com'), lower-case; None
    when it has none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.casefold() if host else None


def host_names(host: str | None) -> list[str]:
    """The labels of a host that can be the site's name: 'www.nytimes.com' -> ['nytimes'],
    'abc.net.au' -> ['abc'], 'blogs.zdnet.com' -> ['zdnet']."""
    if not host:
        return []
    labels = [x for x in host.split(".") if x]
    names = [x for x in labels[:-1] if x not in TLDS and x not in HOST_PREFIXES]
    return [x.replace("-", "") for x in names] or [x for x in labels[:1] if x not in TLDS]


def name_key(text: str) -> str:
    """'The New York Times' -> 'newyorktimes': letters and digits, without a leading article."""
    words = re.findall(r"[^\W_]+", text.casefold())
    if len(words) > 1 and words[0] in ("the", "die", "der", "le", "la", "el", "il"):
        words = words[1:]
    return "".join(words)


MIN_SITE_KEY_CHARS = 3
"""Shorter keys (two-letter hosts) match too much by accident."""


def names_site(name: str | None, keys: Iterable[str]) -> bool:
    """Whether ``name`` names the site whose host labels or declared names are ``keys``
    (already :func:`name_key`-ed): the same key, one inside the other ('Goal.com' / 'goal'), or
    the name's initials ('The Sports Network' / 'tsn')."""
    if not name:
        return False
    key = name_key(name)
    if len(key) < MIN_SITE_KEY_CHARS:
        return False
    every = re.findall(r"[^\W_]+", name.casefold())
    words = [w for w in every if w != "the"]
    for k in keys:
        if len(k) < MIN_SITE_KEY_CHARS:
            continue
        if key == k or (len(k) >= 4 and k in key) or key.startswith(k) or (len(key) >= 4 and key in k) or \
                (len(words) >= 2 and (_abbreviates(k, words) or _abbreviates(k, every))):
            return True
    return False


def _abbreviates(key: str, words: list[str]) -> bool:
    """Whether ``key`` spells ``words`` in order, each word whole or by its initial ('nytimes' for
    New York Times, 'tsn' for The Sports Network)."""
    if not words:
        return not key
    first, rest = words[0], words[1:]
    return (key.startswith(first) and _abbreviates(key[len(first):], rest)) or \
        (key[:1] == first[:1] and _abbreviates(key[1:], rest))


def site_keys(url: str | None, *names: str | None) -> list[str]:
    """The keys a site is known by: its host's name labels and the names it declares."""
    keys = host_names(host_of(url))
    keys += [name_key(n) for n in names if n]
    return [k for k in dict.fromkeys(keys) if k]


# --- one spelling per outlet ------------------------------------------------------------------------

@dataclass(frozen=True)
class OutletNames:
    """The editors' outlet names (``vocabulary/outlets.yaml``): every spelling and host of an
    outlet mapped to its one name."""

    spellings: Mapping[str, str] = field(default_factory=dict)
    """:func:`name_key` of a spelling -> the outlet's name."""
    hosts: Mapping[str, str] = field(default_factory=dict)
    """A host ('meridian.example.com', without 'www.') -> the outlet's name."""
    zones: Mapping[str, str] = field(default_factory=dict)
    """The outlet's name -> the IANA time zone its pages print local times in ('Asia/Kolkata')."""

    def local_zone(self, outlet: str | None) -> dt.tzinfo | None:
        """The zone an outlet's times without a printed zone are in, when the editors know it."""
        zone = self.zones.get(outlet or "")
        return ZoneInfo(zone) if zone else None

    def name(self, outlet: str | None, url: str | None = None) -> str | None:
        """The outlet's one name: by its host first, then by its spelling; as found otherwise."""
        host = host_of(url)
        if host:
            bare = host.removeprefix("www.")
            for h in (bare, *_parent_hosts(bare)):
                if h in self.hosts:
                    return self.hosts[h]
        if outlet:
            return self.spellings.get(name_key(outlet), outlet)
        return None


def _parent_hosts(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels) - 1)]


class OutletsError(ValueError):
    """A bad entry in outlets.yaml (the message names the entry and the fix)."""


def outlet_names(entries: object, source: str = "outlets.yaml") -> OutletNames:
    """The :class:`OutletNames` of a parsed outlets.yaml: a list of ``{name, spellings, hosts, zone}``.
    Raises OutletsError listing every problem (an entry without a name, a spelling or host that
    two outlets claim)."""
    if entries is None:
        return OutletNames()
    if not isinstance(entries, list):
        raise OutletsError(f"{source}: expected a list of outlets (- name: ...), got {type(entries).__name__}")
    spellings: dict[str, str] = {}
    hosts: dict[str, str] = {}
    zones: dict[str, str] = {}
    problems: list[str] = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            problems.append(f"{source}: entry {n} has no name (write '- name: The Outlet')")
            continue
        name = clean_value(entry["name"])
        zone = entry.get("zone")
        if zone is not None:
            try:
                ZoneInfo(str(zone))
                zones[name] = str(zone)
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(f"{source}: {name}: zone '{zone}' is not a time zone name (write e.g. Europe/Berlin)")
        forms = entry.get("spellings") or []
        sites = entry.get("hosts") or []
        if not isinstance(forms, list) or not isinstance(sites, list):
            problems.append(f"{source}: {name}: spellings and hosts are lists ([A, B])")
            continue
        for form in [name, *map(str, forms)]:
            key = name_key(form)
            if key in spellings and spellings[key] != name:
                problems.append(f"{source}: '{form}' is a spelling of both {spellings[key]} and {name}")
            spellings[key] = name
        for site in map(str, sites):
            host = (host_of(site) or site.casefold()).removeprefix("www.")
            if host in hosts and hosts[host] != name:
                problems.append(f"{source}: host {host} belongs to both {hosts[host]} and {name}")
            hosts[host] = name
    if problems:
        raise OutletsError("\n".join(problems))
    return OutletNames(spellings, hosts, zones)
