"""Mention resolution: the names the model found in one article, decided over all their mentions.

A name's type is the majority of its mentions' types; its canonical form is its longest, best
cased mention. Later, shorter mentions join the entity they refer to, as a reader takes them:

* a person's surname or any ending of the full name ("Von der Leyen", "von der Leyen's" after
  "Ursula von der Leyen"), whatever type the model gave that short mention;
* an organisation's ending or beginning when exactly one longer organisation has it ("the
  Commission" after "European Commission", "Newmont" after "Newmont Mining Corp");
* an acronym of a longer organisation ("EU" after "European Union").

Two names the model ran together at "and" are split first ("Federal Reserve Board and Bank of
England"), and what the words around each name say is read first (``context``: "energy company
Burisma", "the Communist party", "WASHINGTON/BEIJING").

ALL CAPS words of a headline-style line take the spelling the body gives them ("LEICESTERSHIRE" is
"Leicestershire"), else title case (short ones stay acronyms). Names inside credit lines (agency
datelines, photo credits, "contributed to this report") and bylines are not people or organisations.
Pure: mentions in, entities out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from build_tools.tag.compiled import Cues
from build_tools.tag.context import (
    ORG_END_WORDS,
    SMALL_WORDS,
    cue_clubs,
    cue_organisations,
    split_slashes,
    trim_edges,
)
from build_tools.tag.gazetteer import COUNTRIES, PLACES, Name, fold
from build_tools.tag.names import Mention

ACRONYM_MAX = 4
"""An ALL CAPS word of this many letters or fewer keeps its capitals when the body never spells it
("EU", "NATO", "BBC"); a longer one becomes title case ("LEICESTERSHIRE" -> "Leicestershire")."""
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
"""An organisation's leading article is not its name ("the Federal Reserve"), except a capitalised
"The" before one word, a title's ("The Hill", "The Economist", "The Times")."""
HEADLINE_VOTE = 0.5
"""A mention on a headline-style line counts half in its name's type vote: the model reads case
there blind, the body decides ("LENTINI" in a headline is the body's person Lentini)."""
SURE_TIES = frozenset({"PER", "ORG"})
"""A name whose mentions the model reads as often a person as an organisation takes the type it is
surer of, summed over those mentions ("Chelsea" the club, once read as a person); other ties keep
the first mention's type. Calibrated on CoNLL-2003 dev and the 40 labelled articles: breaking
every tie by confidence also turned the clubs of standings tables ("Detroit", "Toronto": one
mention a club, one a place) into places and lost articles' places; the person/organisation ties
alone changed, on dev news, "Chelsea" (a club) and "Ogun Temizkanoglu" (a person) to right and
"Marines" to a wrong organisation, on the articles nothing."""
DATELINE = re.compile(r"(?m)^[A-Z][A-Z.'\-/ ]+(?:,[A-Za-z. ]+)?(?=\s+\d{4}-\d\d-\d\d|,?\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?[(\-—–]|\s+[-—–]|:\s)")
"""A wire dateline's place ("LONDON 1996-08-30", "WASHINGTON (Reuters) -", "BEIJING, March 3 (AP) —",
"CLEVELAND, Feb 26 -", "NEW DELHI: Their", "WASHINGTON/BEIJING, Aug 19 (Wire) -"):
a place even when the story's same word is a club or a company ("MILAN" and AC Milan)."""
LOWER_WORD = re.compile(r"\b[a-z][a-z'\-]+\b")
BYLINE = re.compile(r"(?m)^\s*(?:(?:By|BY|Written by|Reporting by)\s+(?=[A-Z])|(?:Photo:|Photograph:)\s+)[^\n]*$")
"""A line naming the story's author or photographer: its names are not what the story is about. A
byline's "By" is followed by a name, not a lower-case word: "By stumps Kent had reached 108" is a
sentence (its Kent, a county club, was dropped as a credit's name)."""


@dataclass
class Entity:
    """One person, organisation, location or MISC name of an article, with all its mentions."""

    label: str
    """PER | ORG | LOC | MISC, by majority over the mentions."""
    name: str
    """The canonical form: the longest mention, body spelling preferred."""
    mentions: list[Mention] = field(default_factory=list)
    dateline: bool = False
    """The place of a wire dateline: kept apart, it absorbs and joins nothing."""

    @property
    def surfaces(self) -> set[str]:
        return {m.text for m in self.mentions}


@functools.lru_cache(maxsize=1 << 16)  # pure; the same names recur across a run's articles
def key(text: str) -> str:
    """Accent-folded, lower case, straight apostrophes, single spaces: what two mentions share."""
    return " ".join(fold(text).replace("’", "'").lower().split())


def _recase(text: str, body_case: dict[str, str]) -> str:
    """A headline's ALL CAPS words in the body's spelling, else title case (a short word alone
    stays an acronym; small words inside a name go lower case: "BANK OF JAPAN" -> "Bank of Japan")."""
    words = text.split()
    if not any(w.isupper() and len(w) > 1 for w in words):
        return text
    all_caps = all(w.isupper() or not w.isalpha() for w in words)
    out = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) > 1:
            known = body_case.get(w.lower())
            if known is not None:
                out.append(known)
            elif all_caps and i and w.lower() in SMALL_WORDS:
                out.append(w.lower())
            elif (sum(c.isalpha() for c in w) <= ACRONYM_MAX and not (all_caps and len(words) > 1)) or "." in w:
                out.append(w)
            else:
                out.append("-".join(p.capitalize() for p in w.split("-")))
        else:
            out.append(w)
    return " ".join(out)


def body_spellings(mentions: Sequence[Mention]) -> dict[str, str]:
    """Lower-cased word -> its spelling in mixed-case mentions (the body's)."""
    out: dict[str, str] = {}
    for m in mentions:
        if m.text.isupper():
            continue
        for w in m.text.split():
            out.setdefault(w.lower(), w)
    return out


def _acronym_in_body(m: Mention) -> bool:
    """A one-word organisation in ALL CAPS outside a headline-style line: an acronym as the writer spells
    it ("a UNHCR official", "UNICEF said"), whatever its length; recased it would be neither the acronym
    nor its expansion ("Unhcr"), and no longer join its expansion (``merge_organizations``)."""
    return m.label == "ORG" and not m.headline and " " not in m.text and m.text.replace(".", "").isupper()


def _clean(m: Mention, body_case: dict[str, str]) -> Mention:
    text = m.text.replace("’", "'")
    if not _acronym_in_body(m):
        text = _recase(text, body_case)
    if m.label == "ORG":
        stripped = LEADING_ARTICLE.sub("", text)
        if stripped != text and (" " in stripped or not text.startswith("The ")):
            return m._replace(start=m.end - len(stripped), text=stripped)
    return m._replace(text=text)


def _initials(k: str) -> str:
    words = [w for w in re.split(r"[\s-]+", k) if w and w not in SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _better_name(a: str, b: str) -> bool:
    """Whether ``a`` is a better canonical form than ``b``: mixed case first, then longer."""
    return (not a.isupper(), len(a)) > (not b.isupper(), len(b))


NAME_ARTICLES = frozenset({"la", "le", "les", "el", "los", "las", "il"})
"""Romance articles that open a name on a headline-style line rather than lead into it ("LA PRESSE",
"LE TEMPS", "EL PAIS", "LOS ANGELES": names keep their article; an English "THE" is dropped). From the
press digests of CoNLL-2003 (dev: Tunisia, where the trimmed "Presse", "Temps" named nothing; train: Spain's
"EL PAIS", "EL MUNDO") and its ALL CAPS results lines ("LOS ANGELES 7 New York 5")."""


def trim_headline(m: Mention, text: str, lower_words: set[str], body_words: set[str]) -> list[Mention]:
    """A headline-style mention cut at its words the text writes in lower case and no body name
    has ("ATALANTA REUNITES LENTINI" -> two names), and trimmed to the words body names have when
    it has any ("CUNNINGHAM RETIRES" -> "CUNNINGHAM")."""
    if not m.headline:
        return [m]
    out: list[Mention] = []
    run: list[tuple[int, int]] = []

    def close() -> None:
        while run and text[run[-1][0]:run[-1][1]].lower() in SMALL_WORDS:
            run.pop()
        words = [text[a:b].lower() for a, b in run]
        if any(w in body_words for w in words):  # "CUNNINGHAM RETIRES" -> the body's "Cunningham"
            while run and text[run[0][0]:run[0][1]].lower() not in body_words:
                run.pop(0)
            while run and text[run[-1][0]:run[-1][1]].lower() not in body_words:
                run.pop()
        if run:
            out.append(m._replace(start=run[0][0], end=run[-1][1], text=text[run[0][0]:run[-1][1]], headline=True))
        run.clear()

    for w in re.finditer(r"\S+", text[m.start:m.end]):
        s, e = m.start + w.start(), m.start + w.end()
        low = w.group(0).lower()
        if low in lower_words and low not in body_words and not (run and low in SMALL_WORDS):
            close()
        elif run or low not in SMALL_WORDS or low in NAME_ARTICLES:
            run.append((s, e))
    close()
    return out


def group(mentions: Sequence[Mention], text: str = "") -> list[Entity]:
    """Mentions with the same key as one entity, its label by majority (first mention breaks ties;
    headline mentions count ``HEADLINE_VOTE``); a dateline's place stays a place of its own."""
    body_case = body_spellings(mentions)
    lower_words = set(LOWER_WORD.findall(text))
    body_words = {w.lower() for m in mentions if not m.headline for w in m.text.split()}
    datelines = {m.start() for m in DATELINE.finditer(text)}
    by_key: dict[str, list[Mention]] = {}
    for raw in mentions:
        for m in trim_headline(raw, text, lower_words, body_words):
            c = _clean(m, body_case)
            k = key(c.text)
            if k and c.label == "LOC" and c.start in datelines:
                k += "\0dateline"
            if k:
                by_key.setdefault(k, []).append(c)
    out = []
    for k, ms in by_key.items():
        votes: dict[str, float] = {}
        sure: dict[str, float] = {}
        for m in ms:
            weight = HEADLINE_VOTE if m.headline else 1.0
            votes[m.label] = votes.get(m.label, 0.0) + weight
            sure[m.label] = sure.get(m.label, 0.0) + weight * m.confidence
        top = max(votes.values())
        tied = {lab for lab, v in votes.items() if v == top}
        if tied == SURE_TIES:
            label = max(sorted(tied), key=lambda lab: sure[lab])
        else:
            label = next(m.label for m in ms if votes[m.label] == top)
        if any(m.cued for m in ms):
            label = "ORG"  # "energy company Burisma" once, "Burisma" (read as a person) later
        name = ms[0].text
        for m in ms[1:]:
            if _better_name(m.text, name):
                name = m.text
        out.append(Entity(label, name, list(ms), k.endswith("\0dateline")))
    return out


def _absorb(target: Entity, short: Entity) -> None:
    target.mentions.extend(short.mentions)


def _first_start(e: Entity) -> int:
    return min(m.start for m in e.mentions)


def merge_people(entities: list[Entity]) -> list[Entity]:
    """A mention that is an ending of a person's full name joins that person (the nearest full name
    before it when two share it: "Clinton" after "Hillary Clinton")."""
    people = sorted((e for e in entities if e.label == "PER"), key=lambda e: -len(key(e.name).split()))
    gone: set[int] = set()
    for short in sorted(entities, key=lambda e: len(key(e.name).split())):
        sk = key(short.name).split()
        if id(short) in gone or not sk or short.dateline:
            continue
        if short.label != "PER" and len(sk) > 1:
            continue  # "New York" is not a person's ending; a one-word one may be ("Such", "Bolton")
        hosts = [p for p in people if p is not short and id(p) not in gone
                 and len(key(p.name).split()) > len(sk) and key(p.name).split()[-len(sk):] == sk]
        if not hosts:
            continue
        start = _first_start(short)
        before = [p for p in hosts if _first_start(p) < start]
        host = max(before, key=_first_start) if before else min(hosts, key=_first_start)
        _absorb(host, short)
        gone.add(id(short))
    return [e for e in entities if id(e) not in gone]


def _owned_by(host: Entity, short_words: int, owners: Callable[[str], bool]) -> bool:
    """Whether the words of ``host`` before its ending of ``short_words`` words say whose it is (a place, a
    country's adjective, an acronym: "European" Commission, "U.S." Democratic Party, "OSCE" Minsk Group),
    so that the ending names the same organisation; else they are part of another name ("Liberal"
    Democratic Party is not the Democratic Party)."""
    lead = host.name.split()[:-short_words]
    return bool(lead) and owners(" ".join(lead)) or all(owners(w) or w.replace(".", "").isupper() for w in lead)


def merge_organizations(entities: list[Entity], owners: Callable[[str], bool] | None = None) -> list[Entity]:
    """An organisation's ending or beginning with exactly one longer organisation having it, or its
    acronym, joins that organisation; an ending of two words or more only when the longer name's other
    words say whose it is (``owners``: a known place or adjective; ``_owned_by``)."""
    orgs = [e for e in entities if e.label == "ORG"]
    gone: set[int] = set()
    for short in sorted(orgs, key=lambda e: len(key(e.name).split())):
        sk = key(short.name).split()
        hosts = [o for o in orgs if o is not short and id(o) not in gone and len(key(o.name).split()) > len(sk)]
        part = [o for o in hosts if key(o.name).split()[:len(sk)] == sk or key(o.name).split()[-len(sk):] == sk and (
            owners is None or len(sk) < 2 or _owned_by(o, len(short.name.split()), owners))]
        if len(part) == 1:
            _absorb(part[0], short)
            gone.add(id(short))
            continue
        if len(sk) == 1 and short.name.replace(".", "").isupper():
            acronym = sk[0].replace(".", "")
            matches = [o for o in hosts if _initials(key(o.name)) == acronym]
            if len(matches) == 1:
                _absorb(matches[0], short)
                gone.add(id(short))
    return [e for e in entities if id(e) not in gone]


def credit_spans(text: str, patterns: Sequence[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Spans of credit lines and bylines: no person or organisation is taken from them."""
    spans = [(m.start(), m.end()) for p in patterns for m in p.finditer(text)]
    spans += [(m.start(), m.end()) for m in BYLINE.finditer(text)]
    return spans


def _bracketed(m: Mention, text: str) -> bool:
    """In brackets: the agency of a credit line ("DUSHANBE, Aug 5 (Wire) -"), never its place."""
    return text[m.start - 1:m.start] == "(" and text[m.end:m.end + 1] == ")"


KEEP_LEADING = frozenset({"New", "National", "Federal", "State", "Islamic", "Christian", "Catholic", "Republican",
                          "Government", "Police", "Army", "Press", "Associated", "Church", "Democrat", "Internet",
                          "Web", "Junior", "Senior", "Old", "Source", "Chief", "First", "One", "Jewish", "Muslim",
                          "God", "Democrats", "Republicans", "English", "Spanish", "Arabic", "The", "St", "All"})
"""Words of ``not_names`` that do open organisation and place names ("New York Times", "All Blacks", "First
Interstate", "The Hague"): never dropped from the start of one."""


ORG_LINKS = frozenset({" of ", " of the ", " in the ", " for ", " for the "})
"""What joins an organisation's name to the rest of it ("Al-Qaeda in the Islamic Maghreb",
"Diplomatic Academy of Vietnam"), where the model, trained on short wire names, cut it."""


HEAD_LINKS = frozenset({" of ", " of the "})
HEAD_BEFORE = re.compile(r"(?<![\w'’])([A-Z][a-z]+) of (?:the )?$")


def join_organisations(mentions: Sequence[Mention], text: str, heads: AbstractSet[str] = frozenset()) -> list[Mention]:
    """Two organisations joined by "of", "in the", "for" as one ("Al-Qaeda" "in the" "Islamic
    Maghreb"). An organisation and a place only when the organisation ends in an organisation word
    of ``heads`` ("Diplomatic Academy" "of" "Vietnam", "National Bank" "of" "Poland"): on CoNLL dev
    and Reuters joining every "X of Y" joined more wrong (Y the place where X is) than right. And
    an organisation word with "of (the)" before an organisation takes it in ("Office of the" "Civil
    Defense", "Office of the" "Inspector General"), a name then whatever the model's confidence."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label == "ORG" and not m.headline and (out[-1].end if out else 0) <= m.start:
            lead = HEAD_BEFORE.search(text, max(0, m.start - 40), m.start)
            if lead is not None and lead.group(1) in heads and (not out or out[-1].end <= lead.start()):
                m = m._replace(start=lead.start(), text=text[lead.start():m.end], cued=True)
        if out and out[-1].label == "ORG" and not m.headline and (
                m.label == "ORG" and text[out[-1].end:m.start] in ORG_LINKS
                or m.label == "LOC" and text[out[-1].end:m.start] in HEAD_LINKS and out[-1].text.split()[-1] in heads):
            a = out.pop()
            sure = min(a.confidence, m.confidence) if m.label == "ORG" else a.confidence
            m = a._replace(end=m.end, text=text[a.start:m.end], confidence=sure)
        out.append(m)
    return out


COORDINATION = " and "
ONE_NAME_HEADS = frozenset("""
Administration Service Services Act Acts Law Bill Plan Initiative Program Programme Agreement Treaty Accord Accords Strategy Convention Declaration
Award Awards Prize Cup Championship Championships Games Festival Show Fair Exhibition Conference Summit Forum
""".split())
"""Last words that make "X and Y <word>" one name, an agency, law, plan or event ("Guangdong Post and
Telecommunications Administration", "Hong Kong Human Rights and Democracy Act"), besides the
organisation words of ``name_cues.yaml``."""


def split_coordination(mentions: Sequence[Mention], known: dict[str, str], org_suffixes: frozenset[str]) -> list[Mention]:
    """Two organisations or places the model ran together at "and" as two ("Federal Reserve Board
    and Bank of England", "Banc One and First Chicago"): split where the whole is not a known name
    ("Bosnia and Herzegovina", "Securities and Exchange Commission") and either both halves are
    known, or nothing before the "and" says one name goes on ("of", "for": "Ministry of Trade,
    Industry and Energy") and the last word is not an organisation word ("Futures and Options
    Exchange"). Each half keeps the model's type unless the vocabulary knows it."""
    out: list[Mention] = []
    for m in mentions:
        parts = m.text.split(COORDINATION)
        if m.label not in ("ORG", "LOC") or len(parts) != 2 or m.text in known or \
                not all(p[:1].isupper() for p in parts):
            out.append(m)
            continue
        left, right = parts
        joined = not ({"of", "for"} & set(left.split())) and right.split()[-1] not in org_suffixes \
            and right.split()[-1] not in ONE_NAME_HEADS
        if not (joined or (left in known and right in known)):
            out.append(m)
            continue
        cut = m.start + len(left)
        out.append(m._replace(label=known.get(left, m.label), end=cut, text=left))
        out.append(m._replace(label=known.get(right, m.label), start=m.end - len(right), text=right))
    return out


def split_at_title(m: Mention, titles: frozenset[str], org_suffixes: frozenset[str]) -> list[Mention]:
    """An organisation or place the model ran into the person it heads, at the person's title
    ("Federal Air Traffic Control Administration Director Branko Bilbija"): the name before the title
    and the person after it, two capitalised words or more that end in no organisation word
    ("United Nations General Assembly" stays whole)."""
    if m.label not in ("ORG", "LOC"):
        return [m]
    words = m.text.split(" ")
    for k in range(1, len(words) - 2):
        rest = words[k + 1:]
        if words[k] in titles and all(w[:1].isupper() for w in rest) and rest[-1] not in org_suffixes:
            lead = " ".join(words[:k])
            person = " ".join(rest)
            return [m._replace(end=m.start + len(lead), text=lead),
                    m._replace(label="PER", start=m.end - len(person), text=person)]
    return [m]


PARTICLE_RUN = r"(?:(?:{p})\s+)+"


def join_particles(mentions: Sequence[Mention], text: str, particles: frozenset[str]) -> list[Mention]:
    """A person's name across its particles as one mention: "Ursula von der Leyen", "Von der
    Leyen" (the model, trained on English wire copy, often cuts them at "von der")."""
    if not mentions:
        return []
    alts = "|".join(sorted((re.escape(p) for p in particles | {p.capitalize() for p in particles}), key=lambda p: (-len(p), p)))
    before = re.compile(rf"(?:(?<=\s)|^)(?:([A-Z][\w'\-]*)\s+)?{PARTICLE_RUN.format(p=alts)}$")
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label == "PER" or (m.label != "MISC" and " " not in m.text):
            found = before.search(text, max(0, m.start - 60), m.start)
            if found is not None and "\n" not in found.group(0):
                start = found.start()
                if out and out[-1].end > start:  # "Ursula" tagged apart: one name now
                    start = min(start, out.pop().start)
                out.append(m._replace(label="PER", start=start, text=text[start:m.end]))
                continue
        out.append(m)
    return out


def drop_leading(m: Mention, words: frozenset[str], others: frozenset[str] = frozenset()) -> Mention:
    """A person's name without a sentence-opening word or a title the model took in ("Later
    Peschorn", "Mr. Trump", "Interior Minister Wolfgang Peschorn"); another name without an opening
    word of ``others`` ("Former National Security Council")."""
    drop = words if m.label == "PER" else others
    while True:
        first, _, rest = m.text.partition(" ")
        if not rest or first not in drop:
            break
        m = m._replace(start=m.end - len(rest), text=rest)
    return m


def split_known_lead(m: Mention, known: dict[str, str], first_names: frozenset[str] = frozenset()) -> list[Mention]:
    """A place or organisation the article writes right before a person, taken by the model as one
    name ("ambassador to Britain Liu Xiaoming", "envoy to Ukraine Kurt Volker"): cut in two. An
    organisation is cut only before a known given name ("European Union Gordon Sondland")."""
    words = m.text.split(" ")
    if len(words) < 3:
        return [m]
    for k in (2, 1):
        lead = " ".join(words[:k])
        label = known.get(lead)
        if label is not None and len(words) - k >= 2 and words[k][:1].isupper() and (
                m.label in ("PER", "LOC") or words[k] in first_names):
            cut = m.start + len(lead)
            rest = m.text[len(lead):].lstrip()
            return [m._replace(label=label, end=cut, text=lead),
                    m._replace(label="PER", start=m.end - len(rest), text=rest)]
    return [m]


def resolve(mentions: Sequence[Mention], text: str, cues: Cues, known: dict[str, str] | None = None,
            adjectives: AbstractSet[str] = frozenset(), names: Mapping[str, Sequence[Name]] | None = None,
            sport: bool = False) -> list[Entity]:
    """The article's entities: credits dropped, mentions grouped, short forms merged into full names.
    ``known``: names the gazetteers and vocabulary know (surface -> LOC or ORG), for ``split_known_lead``;
    ``adjectives``: country adjectives ("Chinese"), which no organisation word after them makes a name;
    ``names``: what the gazetteers and vocabulary know each surface as (a place's possessive, ``trim_edges``);
    ``sport``: the story is about sport, where the words around a town's name may make it its club (``cue_clubs``)."""
    credits = credit_spans(text, cues.credit_lines)
    leading = cues.not_names | cues.person_titles
    opening = cues.not_names - KEEP_LEADING
    mentions = [trim_edges(m, ORG_END_WORDS, names or {}) for m in split_slashes(mentions)]
    mentions = cue_organisations(mentions, text, adjectives, names)
    if sport:
        mentions = cue_clubs(mentions, text, names or {}, adjectives)
    mentions = join_organisations(split_coordination(mentions, known or {}, cues.org_suffixes), text, cues.org_heads)
    mentions = [drop_leading(part, leading, opening) for m in join_particles(mentions, text, cues.particles)
                for lead in split_known_lead(m, known or {}, cues.first_names)
                for part in split_at_title(lead, cues.person_titles, cues.org_suffixes)]
    kept = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in credits)
            or m.label == "LOC" and not _bracketed(m, text)]
    entities = group(kept, text)
    entities = merge_people(entities)
    known_names = names or {}

    def owner(words: str) -> bool:
        return words in adjectives or any(n.kind in (COUNTRIES, PLACES) for n in known_names.get(words, ()))

    return merge_organizations(entities, owner)
