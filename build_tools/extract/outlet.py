"""Outlet stage of the metadata: the name a page gives itself, cleaned and spelled one way.

A page names its outlet in several places: its <title> suffix ('Headline | The Site'), the
og:site_name an HTML page declares, a web-team byline ('Meridian Web Team'), a 'Follow X on
Twitter' line, the copyright line of its footer, a wire dateline's agency. Each is cleaned the
same way (no ©, years, 'Inc.'/'Ltd' tails, 'All rights reserved'), and the editors' vocabulary
(``vocabulary/outlets.yaml``, :class:`OutletNames`) maps every spelling and host to one name.
A text dump's outlet is given only when that evidence agrees (:func:`agreed_outlet`): a strong
self-reference, or two on different lines naming the same site; a copyright owner alone is as
often the publisher, an agency or a photographer as the site.
Pure functions; no list of sites in the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
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
    "reserved", "copyright", "use", "site", "website", "web", "page", "us", "me", "the", "and", "of", "our", "this",
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


class SelfReference(NamedTuple):
    """One place where a page names a site: the cue's kind and the cleaned name."""

    kind: str
    name: str
    line: int
    """The line it was printed on (-1: the byline): two cues of one line are one piece of evidence."""


STRONG_REFERENCES = ("team", "follow", "owner")
"""Cues that name the site by themselves, in this order: the outlet's team byline ('Meridian Web
Team'), 'Follow X on ...' / 'Welcome to X' / 'Originally published on X', and an owner sentence
('X is part of ...', 'X is a registered trademark', 'without the consent of X'). On
../shared/corpus text dumps (folds 1-4) they named the site 0.83 of 23 times."""
PRIMARY_REFERENCES = frozenset({"copyright", "domain", "subscribe"})
"""Cues that name the site about half the time on their own (folds 1-4: the last copyright line's
owner 0.67, the first domain printed on the page 0.52, 'Subscribe to X' / 'About X' 0.51)."""
SECONDARY_REFERENCES = frozenset({"masthead", "first", "newsletter", "search"})
"""Weaker cues (folds 1-4: a short line printed at the top and again at the bottom 0.06, a short
first line 0.21, 'X Newsletter' 0.14, 'Search X' 0.32): they only count when a primary cue agrees."""
TOP_AND_COPYRIGHT = frozenset({"top", "copyright"})
"""A short line near the top (a masthead printed once) agrees only with a copyright line of the
same name ('The Morning Courier' ... '© 2022 The Morning Courier Ltd.'); with a domain or a
'Subscribe to' line it is a menu item too often (folds 1-4: 0.85 with all pairs, 0.88 without)."""
MASTHEAD_AND_DOMAIN = frozenset({"masthead", "domain"})
"""A line repeated at top and bottom that a domain contains is a menu item of a portal as often as
the site's name (folds 1-4: 0.74 of 23 pages): that pair does not count."""
PREFERENCE = ("team", "follow", "owner", "copyright", "masthead", "first", "top", "subscribe", "search", "newsletter",
              "domain")
"""Whose spelling is kept when two cues agree: a domain ('nytimes.com') only confirms a name."""

TOP_LINES = 15
BOTTOM_LINES = 25
"""A masthead is printed within the first ``TOP_LINES`` lines and again within the last ``BOTTOM_LINES``."""
MAX_MASTHEAD_WORDS = 5
MAX_CUE_LINE_CHARS = 160
"""Longer lines are sentences of the text, not the site's furniture."""
DOMAINS_TRIED = 2
"""The most often printed domains of a page that are weighed (the site's own is first or second
on 0.61 of the pages that print one, folds 1-4)."""

_NAME = r"[\"“„]?(?P<name>[A-Z0-9][\w&.'’ -]{1,40}?)[\"”“]?"
SUBSCRIBE_RE = re.compile(
    r"^(?:subscribe\s+to|sign\s+up\s+for|about|über|contact|kontakt|download\s+the|get\s+the|folge|abonnieren\s+sie|"
    rf"à\s+propos\s+de|acerca\s+de)\s+{_NAME}(?:\s+(?:newsletter|app|on\s+\w+))?\s*[.!:]?$", re.IGNORECASE)
"""'Subscribe to X', 'About X', 'Über X', 'Download the X app'."""
NEWSLETTER_RE = re.compile(rf"^{_NAME}\s+(?:newsletters?|apps?|e-?paper|podcasts?)$", re.IGNORECASE)
SEARCH_RE = re.compile(rf"^(?:search|suche\s+(?:in|auf)|visit)\s+{_NAME}(?:'s\s+homepage.*|\s+for:?)?\s*[.:]?$",
                       re.IGNORECASE)
OWNER_RES = (
    re.compile(rf"^{_NAME}[®™]?\s+(?:is|ist|est|es|è)\s+(?:part\s+of|a\s+(?:division|subsidiary|publication|brand)\s+of|"
               r"owned\s+by|published\s+by|operated\s+by|ein\s+(?:Angebot|Produkt)|eine\s+Marke|Teil\s+(?:der|des|von))",
               re.IGNORECASE),
    re.compile(rf"^{_NAME}[®™]?\s+(?:is|ist|est|es)\s+(?:an?\s+|ein\s+|eine\s+|une?\s+)?(?:registered\s+)?"
               r"(?:trademark|trade\s+mark|geschütztes\s+markenzeichen|eingetragene\s+marke|marque\s+déposée|"
               r"marca\s+registrada)", re.IGNORECASE),
    re.compile(r"(?:without\s+(?:the\s+)?(?:prior\s+|express\s+)*(?:written\s+)?(?:consent|permission)\s+(?:of|from)|"
               rf"not\s+(?:necessarily\s+)?endorsed\s+by)\s+{_NAME}\s*\.?$", re.IGNORECASE),
)
"""A site saying who it is ('The Balance is part of ...', 'X is a trade mark of ...', 'Reproduction
prohibited without written consent from X.')."""
PRINTED_TLDS = ("com", "org", "net", "de", "fr", "es", "it", "pl", "nl", "at", "ch", "be", "eu", "ca", "ie", "in",
                "info", "tv", "co.uk", "com.au", "co.nz", "com.br", "pt", "ru", "us", "br")
"""Endings of the domains looked for in a page's text (the corpus's countries; generic endings)."""
DOMAIN_RE = re.compile(r"(?<![\w@.-])(?:https?://)?(?P<host>(?:[a-z0-9-]+\.)+(?:"
                       + "|".join(re.escape(t) for t in sorted(PRINTED_TLDS, key=len, reverse=True)) + r"))\b",
                       re.IGNORECASE)
"""A domain printed on the page ('nytimes.com', 'www.example.co.uk')."""


def self_references(lines: list[str], agency: Callable[[str], bool], person: Callable[[str], bool],
                    author: str | None = None, team: Callable[[str | None], str | None] = lambda a: None,
                    furniture: Callable[[str], bool] = lambda line: False) -> list[SelfReference]:
    """Every place the page names a site (:class:`SelfReference`), each name cleaned and
    :func:`plausible_outlet` (``team``: the outlet of a team byline such as ``author``;
    ``furniture``: lines that are links of the page's menus, never its masthead)."""

    def named(kind: str, raw: str | None, at: int) -> None:
        name = clean_outlet(raw)
        if plausible_outlet(name, agency, person) and name:
            out.append(SelfReference(kind, name, at))

    out: list[SelfReference] = []
    named("team", team(author), -1)
    for i, line in enumerate(lines):
        if len(line) > MAX_CUE_LINE_CHARS:
            continue
        if len(line) < MAX_SELF_REFERENCE_CHARS and (m := FOLLOW_RE.match(line) or SELF_REFERENCE_RE.match(line)):
            named("follow", m.group("name"), i)
        for rx in OWNER_RES:
            if m := rx.search(line):
                named("owner", m.group("name"), i)
        for kind, rx in (("subscribe", SUBSCRIBE_RE), ("newsletter", NEWSLETTER_RE), ("search", SEARCH_RE)):
            if m := rx.match(line):
                named(kind, m.group("name"), i)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if len(line) < MAX_COPYRIGHT_CHARS and COPYRIGHT_MARK_RE.match(line) and \
                plausible_outlet(clean_outlet(line), agency, person):
            named("copyright", line, i)
            break

    def short(line: str) -> bool:
        return 1 <= len(line.split()) <= MAX_MASTHEAD_WORDS and not furniture(line)

    for i, line in enumerate(lines[:TOP_LINES]):
        if short(line):
            named("first" if i == 0 else "top", line, i)
    if len(lines) > TOP_LINES:
        bottom = {line.casefold(): len(lines) - BOTTOM_LINES + j for j, line in enumerate(lines[-BOTTOM_LINES:])
                  if short(line)}
        for line in dict.fromkeys(line for line in lines[:TOP_LINES] if short(line)):
            if line.casefold() in bottom:
                named("masthead", line, bottom[line.casefold()])
    printed: Counter[str] = Counter()
    first_at: dict[str, int] = {}
    for i, line in enumerate(lines):
        for m in DOMAIN_RE.finditer(line):
            host = m.group("host").casefold().removeprefix("www.")
            printed[host] += 1
            first_at.setdefault(host, i)
    out += [SelfReference("domain", host, first_at[host]) for host, _ in printed.most_common(DOMAINS_TRIED)]
    return out


def _keys(ref: SelfReference) -> list[str]:
    return host_names(ref.name) if ref.kind == "domain" else [name_key(ref.name)]


def agree(a: SelfReference, b: SelfReference, *, same_line: bool = False) -> bool:
    """Whether two references name the same site: the same name, or a name and a domain of that
    name (one inside the other, or its initials: :func:`names_site`). Two references on one line
    count as one piece of evidence and do not agree, unless ``same_line`` allows it."""
    if a.line == b.line and not same_line:
        return False
    if "domain" in (a.kind, b.kind):
        return names_site(a.name, _keys(b)) or names_site(b.name, _keys(a))
    return name_key(a.name) == name_key(b.name)


def agreed_outlet(refs: list[SelfReference]) -> str | None:
    """The outlet the evidence agrees on: a strong reference (``STRONG_REFERENCES``), else a
    primary reference confirmed by another kind of reference naming the same site. Calibrated on
    ../shared/corpus text dumps, folds 1-4: 0.85 of the outlets so chosen named the site, on 27 %
    of the pages (a copyright owner alone: 0.67; with the agreement of two cues, a parent company's
    copyright loses to the site's own name)."""
    for kind in STRONG_REFERENCES:
        for ref in refs:
            if ref.kind == kind:
                return ref.name
    picked: list[SelfReference] = []
    allowed = PRIMARY_REFERENCES | SECONDARY_REFERENCES
    for i, a in enumerate(refs):
        for b in refs[i + 1:]:
            kinds = {a.kind, b.kind}
            if len(kinds) == 2 and kinds & PRIMARY_REFERENCES and (kinds <= allowed or kinds == TOP_AND_COPYRIGHT) \
                    and kinds != MASTHEAD_AND_DOMAIN and agree(a, b):
                picked.append(min(a, b, key=lambda r: PREFERENCE.index(r.kind)))
    if not picked:
        return None
    return min(picked, key=lambda r: PREFERENCE.index(r.kind)).name


CLAIMS = ("team", "follow", "copyright")


def claimed_outlet(refs: list[SelfReference]) -> str | None:
    """The name the page claims for itself without confirmation: its team byline, a 'Follow X on'
    line, else its last copyright owner. Only for a caller that checks it against other evidence
    (an HTML page's title and URL, ``process.html_outlet``)."""
    for kind in CLAIMS:
        for ref in refs:
            if ref.kind == kind:
                return ref.name
    return None


def page_outlet(lines: list[str], agency: Callable[[str], bool],
                person: Callable[[str], bool] = lambda name: False) -> str | None:
    """The outlet a page's own lines name, when its self-references agree (:func:`agreed_outlet`)."""
    return agreed_outlet(self_references(lines, agency, person))


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
