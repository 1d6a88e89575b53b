"""What the words around a name the model found say about it, read before its mentions are grouped.

* A lower-case word before a name says what kind of organisation it is ("energy company Burisma"), and
  one after it may be its own last word ("the Communist party") or say it is a publication ("Britain's
  Sun newspaper") (``cue_organisations``);
* in a sports story, the words around a town's or club's name make it the club: a player's role after it
  ("Norwich striker"), a match word before it ("beat Somerset"), a possessive before a player
  ("Birmingham's Gary Breen"), a listing beside another club; nations stay places (``cue_clubs``);
* a name's edges: the linking words and a place's possessive the model took in before it, and the
  organisation word that ends it (``trim_edges``);
* a location naming two places at a slash is two ("WASHINGTON/BEIJING", ``split_slashes``).

Pure: mentions and the text in, mentions out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from build_tools.tag.gazetteer import COUNTRIES, PLACES, Name
from build_tools.tag.names import Mention

SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "de", "&", "in", "du", "des", "la", "le", "der"})
"""Lower-case words inside names ("Bank of Japan", "Ursula von der Leyen")."""


ORG_LEADS = frozenset("""
company companies firm firms group groups network networks broadcaster broadcasters channel newspaper newspapers
daily tabloid magazine website site chain chains airline airlines bank banks lender insurer
retailer maker makers manufacturer startup conglomerate publisher agency charity club organisation organization
""".split())
"""Lower-case words that, right before a name, say what kind of organisation it is ("energy company
Burisma", "newspaper chains Gannett", "fact-checking website Full Fact", "satellite TV network
al-Arabiya"): the name is an organisation whatever the model read. Written from the misses of the
labelled articles (out of fold, four outlets: the model read these names as people or was unsure);
checked on CoNLL-2003 dev news, where such a word before a name is rare ("carrier" was dropped there:
"the aircraft carrier Enterprise")."""
ORG_TAILS = frozenset({"party", "prison", "ministry", "university", "hospital", "council", "commission", "committee"})
"""Lower-case organisation words that some outlets write after a name ("the Communist party", "the
Democratic Progressive party", "Hoa Lo prison"): the name and the word are one organisation, the
word capitalised ("Communist Party"). Written from the labelled articles' misses (three outlets);
CoNLL-2003 dev news capitalises such words (one "X party" after a model name in 182 stories)."""


PUBLICATION_TAILS = frozenset({"newspaper", "newspapers", "daily", "weekly", "tabloid", "magazine"})
"""Lower-case words after a name that say it is a publication ("Britain's Sun newspaper", "Zycie Warszawy
daily said", "But Le Matin newspaper, quoting witnesses"): an organisation, the word not part of its name.
Not a name the gazetteer knows as a place ("a Moscow newspaper", "the Tokyo daily" describe a town's
papers). Written from CoNLL-2003 dev news (press stories from Britain, Poland, Cambodia, Egypt, Algeria:
the model read these as people or was unsure); no such phrase in the 40 labelled articles."""


def _word_before(text: str, end: int) -> str:
    """The text's word (up to a space) that ends at ``end``."""
    return text[text.rfind(" ", max(0, end - 40), end) + 1:end]
WORD_AFTER = re.compile(r" ([a-z]+)\b")


def capitalised(name: str) -> bool:
    """A name's first letter a capital, or its first after an Arabic article ("al-Arabiya")."""
    return name[:1].isupper() or re.match(r"(?:al|el|ad|an|ar|as|at|ash)-[A-Z]", name) is not None


def _takes_tail(m: Mention, text: str) -> bool:
    """Whether a name with an ``ORG_TAILS`` word after it is that organisation's own name: one the
    model read as a person ("Hoa Lo"), a one-word organisation ("Communist"), or a MISC name after
    "the" ("the Democratic Progressive party"; "a now-banned Islamist party" names no party). A
    longer organisation is already named ("the Freedom Front party" is the Freedom Front)."""
    if not capitalised(m.text):
        return False
    if m.label == "PER" or (m.label == "ORG" and " " not in m.text):
        return True
    return m.label == "MISC" and text[max(0, m.start - 4):m.start] in ("the ", "The ")


def _publication(m: Mention, tail: str, names: Mapping[str, Sequence[Name]]) -> bool:
    """Whether a name with a ``PUBLICATION_TAILS`` word after it is the publication's name."""
    return tail in PUBLICATION_TAILS and m.label != "MISC" and capitalised(m.text) and \
        not any(n.kind in (COUNTRIES, PLACES) for n in names.get(m.text, ()))


def cue_organisations(mentions: Sequence[Mention], text: str, adjectives: AbstractSet[str],
                      names: Mapping[str, Sequence[Name]] | None = None) -> list[Mention]:
    """Names the words around them make organisations: after an ``ORG_LEADS`` word ("energy company
    Burisma"), or with an ``ORG_TAILS`` word after them, taken into the name ("Communist party" ->
    "Communist Party"; not after a country adjective: "a Chinese prison" names none), or with a
    ``PUBLICATION_TAILS`` word after them ("Britain's Sun newspaper"; ``names``: what the gazetteer knows
    each surface as, a town's papers are no publication's name)."""
    out: list[Mention] = []
    for m in mentions:
        tail = WORD_AFTER.match(text, m.end)
        if tail is not None and tail.group(1) in ORG_TAILS and _takes_tail(m, text) and m.text not in adjectives:
            out.append(m._replace(label="ORG", end=tail.end(), text=f"{m.text} {tail.group(1).capitalize()}", cued=True))
            continue
        if tail is not None and m.text not in adjectives and _publication(m, tail.group(1), names or {}):
            out.append(m._replace(label="ORG", cued=True))
            continue
        if text[m.start - 1:m.start] == " " and _word_before(text, m.start - 1) in ORG_LEADS and capitalised(m.text) \
                and m.label != "MISC":
            m = m._replace(label="ORG", cued=True)
        out.append(m)
    return out


ORG_END_WORDS = frozenset("""
School University College Academy Institute Party Television Broadcaster Broadcasting Radio Ministry Council
Commission Committee Agency Company Corporation Foundation Hospital Clinic Prison
""".split())  # not "Bank": "the Jewish West Bank" (CoNLL dev news)
"""Last words that make a place or MISC name the model found an organisation ("Richmond High School",
"Georgian Public Television"): the unambiguous ones of ``name_cues.yaml``'s organisation suffixes (not
"Times", "Post", "Court", "Center", which end places and events too)."""
SLASH = re.compile(r"[^/]+")


LEADING_LOWER = re.compile(r"^(?:(?:of|the|and|for)\s+)+(?=[A-Z])")
OWNER_PREFIX = re.compile(r"^[A-Z][\w.]*(?: [A-Z][\w.]*)?['’]s (?=[A-Z])")


def trim_edges(m: Mention, org_words: AbstractSet[str], names: Mapping[str, Sequence[Name]]) -> Mention:
    """A name without the lower-case linking words the model took in before it ("of the University of
    North Carolina"; not "of First Union bank in Philadelphia", lower-case words inside too), nor a known
    place's possessive before it ("Indiana's Richmond High School"; not "New People's Army"); then a place
    or MISC name ending in an organisation word is an organisation ("Richmond High School", "Georgian
    Public Television")."""
    cut = LEADING_LOWER.match(m.text)
    if cut is not None and any(w[:1].islower() and w not in SMALL_WORDS for w in m.text[cut.end():].split()):
        cut = None
    if cut is None and m.label != "PER":
        cut = OWNER_PREFIX.match(m.text)
        owner = cut.group(0)[:-3] if cut is not None else ""
        if cut is not None and not any(n.kind in (COUNTRIES, PLACES) for n in names.get(owner, ())):
            cut = None
    if cut is not None:
        m = m._replace(start=m.start + cut.end(), text=m.text[cut.end():])
    if m.label in ("LOC", "MISC") and " " in m.text and m.text.rsplit(" ", 1)[1] in org_words:
        m = m._replace(label="ORG")
    return m


def split_slashes(mentions: Sequence[Mention]) -> list[Mention]:
    """A location naming two places at a slash as two ("WASHINGTON/BEIJING" in a dateline filed from
    both cities, "Kyiv/Moscow")."""
    out: list[Mention] = []
    for m in mentions:
        parts = SLASH.findall(m.text) if m.label == "LOC" and "/" in m.text else []
        if len(parts) < 2 or not all(p.strip()[:1].isupper() for p in parts):
            out.append(m)
            continue
        for p in SLASH.finditer(m.text):
            word = p.group(0).strip()
            start = m.start + p.start() + p.group(0).index(word)
            out.append(m._replace(start=start, end=start + len(word), text=word))
    return out


CLUB_ROLES = frozenset("""
striker forward midfielder defender goalkeeper keeper winger skipper captain coach manager playmaker sweeper
full-back fullback centre-back center-back pitcher catcher outfielder infielder batsman bowler all-rounder
fly-half scrum-half fans supporters chairman
""".split())
"""Lower-case words after a name, in a sports story, that make it a team ("Norwich striker Keith O'Neill",
"Sunderland forward", "Surrey captain", "Reds manager"), an adjective between allowed ("Chelsea central
defender"). Written from CoNLL-2003 dev news sports stories of several sports (soccer, cricket, rugby,
baseball) where a city or a club the model read as a place, a person or an unsure organisation was a
club; players, coaches and fans belong to clubs and national sides, and national sides (countries and the
gazetteer's first-rank regions: "England captain") stay places."""
CLUB_BEFORE = re.compile(r"(?:\b(?:beat|beats|beating|defeated|thrashed|against|v|vs|versus"
                         r"|drew with|draw with|lost to|losing to|loss to|win over|victory over|winners over|"
                         r"defeat by|defeat to|played for|plays for|playing for|signed for)\.?) $")
"""Words before a name, in a sports story, that make it the other side of a match or a player's new club
("beat Somerset", "against Nottinghamshire", "Rotor v Alania", "winners over Orrell", "played for Nice").
Same calibration as ``CLUB_ROLES``; "at", "to", "from", "with" were left out (venues, hometowns)."""
CLUB_TITLES = re.compile(r"\b(?:champions|holders|leaders|contenders|rivals|team) $")
"""A plural title or "team" before a name, in a sports story, that makes it a team ("champions Bath", "title
contenders Deportivo Coruna", "first division team Deportivo Coruna"; a person is a "champion"). Same
calibration as ``CLUB_ROLES``."""
CLUB_LIST = frozenset({" and ", ", and "})
"""What joins two teams named together ("Blackburn and Southampton skipper", "played for Nice and Paris St
Germain", "winners over Orrell, and Northampton"): a place or organisation listed beside a team the words
around it name is a team too. Not a comma alone, which also ends a clause ("At the Oval, Surrey captain
Chris Lewis": CoNLL dev news)."""
CLUB_AFTER = re.compile(r" ([a-z][a-z-]+)\b(?: ([a-z][a-z-]+)\b)?")
POSSESSIVE_THEN_NAME = re.compile(r"['’]s [A-Z]")
PERSON_OF = re.compile(r"(?:^|\s)of (?:the )?$")


def _nation(name: str, names: Mapping[str, Sequence[Name]], adjectives: AbstractSet[str]) -> bool:
    """A country, a first-rank region of the gazetteer ("England", "Scotland": they field national sides)
    or a country's adjective: never a club."""
    return name in adjectives or any(n.kind == COUNTRIES or (n.kind == PLACES and n.rank == 0)
                                     for n in names.get(name, ()))


def _club_cued(m: Mention, text: str, people: Sequence[Mention]) -> bool:
    """Whether the words around a name in a sports story make it a team (``CLUB_ROLES``, ``CLUB_BEFORE``,
    a possessive before a person's name: "Birmingham's Gary Breen", a person's "of": "Keith O'Neill of
    Norwich City"). A name the model read as a person takes the role word alone: "Sampras beat Agassi"."""
    role = CLUB_AFTER.match(text, m.end)
    if role is not None and (role.group(1) in CLUB_ROLES or role.group(2) in CLUB_ROLES):
        return True
    if CLUB_TITLES.search(text, max(0, m.start - 12), m.start):
        return True
    if m.label == "PER":
        return False
    if CLUB_BEFORE.search(text, max(0, m.start - 16), m.start):
        return True
    if POSSESSIVE_THEN_NAME.match(text, m.end) and any(p.start == m.end + 3 for p in people):
        return True
    before = PERSON_OF.search(text, max(0, m.start - 8), m.start)
    return before is not None and any(0 <= before.start() - p.end <= 1 for p in people)


def cue_clubs(mentions: Sequence[Mention], text: str, names: Mapping[str, Sequence[Name]],
              adjectives: AbstractSet[str]) -> list[Mention]:
    """In a sports story, names the words around them make teams, organisations whatever the model read
    (a city: "Birmingham's Gary Breen"; a club read as a person: "Saracens side"), except nations
    (``_nation``)."""
    people = [m for m in mentions if m.label == "PER"]
    out: list[Mention] = []
    for m in mentions:
        if m.label != "MISC" and not m.headline and capitalised(m.text) and not _nation(m.text, names, adjectives) \
                and _club_cued(m, text, people):
            m = m._replace(label="ORG", cued=True)
        out.append(m)
    for order in (range(1, len(out)), range(len(out) - 2, -1, -1)):  # "played for Nice and Paris St Germain"
        for i in order:
            j = i - 1 if order.step == 1 else i + 1
            a, b = (out[j], out[i]) if j < i else (out[i], out[j])
            if out[j].cued and not out[i].cued and out[i].label in ("LOC", "ORG") and text[a.end:b.start] in CLUB_LIST \
                    and not _nation(out[i].text, names, adjectives):
                out[i] = out[i]._replace(label="ORG", cued=True)
    return out
