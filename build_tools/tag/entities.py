"""Tag assembly: countries, places, people, organisations and topics of a story. Pure: text in, Tags out.

The trained name finder (``names``) marks the people, organisations and locations in the text;
``mentions`` decides each name over all its mentions in the article (type by majority, full name
for surnames, expansions for acronyms). Then the gazetteers and the editors' vocabulary
(``compiled``) have their say, and the vocabulary wins: a name it knows takes its canonical form
and its pinned type, an alias is the same identity, a suppressor drops the name. Locations become
countries or places through the gazetteer. Known names the model left untagged (a country
adjective, "Chinese" -> China; a vocabulary name) are added from the gazetteer scan.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from build_tools.model import TAG_TYPES, Tags
from build_tools.tag.compiled import (
    ADJECTIVE_RANK,
    SUPPRESS,
    VOCABULARY_CACHE,
    Match,
    Vocabulary,
    choose,
    compile_key,
    credits,
    dedupe_by_slug,
    load_vocabulary,
    scan,
    vocabulary_record,
)
from build_tools.tag.evidence import SHIPPED, Thresholds, believe, facts
from build_tools.tag.gazetteer import COUNTRIES, ORGANIZATIONS, PEOPLE, PLACES, Name, fold, place_country
from build_tools.tag.mentions import DATELINE, Entity, resolve
from build_tools.tag.names import Mention, NameModel, find_names
from build_tools.tag.rules import LEGAL_FORMS, detect, runs
from build_tools.tag.topics import topics

__all__ = ["VOCABULARY_CACHE", "Vocabulary", "compile_key", "load_vocabulary", "tag", "vocabulary_record",
           "Suggestion", "suggest", "suggestion_yaml", "unknown_tags"]

LABEL_KIND = {"PER": PEOPLE, "ORG": ORGANIZATIONS}
VOCABULARY_RANK = -1
"""Rank of a name from the editors' vocabulary in the compiled names (gazetteer names rank 0 and up)."""


@functools.lru_cache(maxsize=1 << 16)  # pure; names recur across a run's articles
def folded(surface: str) -> str:
    return fold(surface)


def is_vocabulary(name: Name) -> bool:
    """A person or organisation of the editors' vocabulary (not a gazetteer name, not a suppressor)."""
    return name.rank == VOCABULARY_RANK and name.kind in (PEOPLE, ORGANIZATIONS)


def org_name(surface: str) -> str:
    """Canonical form of a found organisation: no legal form when the rest still names it."""
    short = LEGAL_FORMS.sub("", surface).rstrip(",")
    return short if short and (" " in short or short.isupper() or len(short) > 3) else surface


def candidates(entity: Entity, vocab: Vocabulary) -> list[Name]:
    """What the gazetteers and the vocabulary know each of the entity's spellings as, its
    canonical form first, then longer spellings before shorter (alphabetical among equals: never the
    order of a set, which changes with the hash seed)."""
    out: list[Name] = []
    for surface in [entity.name, *sorted(entity.surfaces - {entity.name}, key=lambda s: (-len(s), s))]:
        found = vocab.names.get(surface) or vocab.names.get(folded(surface))
        if found is None and surface.isupper():  # "LOS ANGELES" in a dateline
            found = vocab.names.get(surface.title())
        out.extend(found or ())
    return out


ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")
SMALL = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "der", "&"})


def _content_words(name: str) -> set[str]:
    return {w for w in re.split(r"[\s\-]+", folded(name).lower()) if w and w not in SMALL}


def spelled_otherwise(entity: Entity, name: Name, vocab: Vocabulary) -> bool:
    """Whether the vocabulary knows the entity only by an acronym of its initials that the article
    spells out as another name: "Central Narcotics Bureau" and its "CNB" are not the vocabulary's
    CNB (the Czech National Bank), "Suspension of Offensive Military Operation" (SOMO) not Iraq's oil
    marketer. The article's own expansion, unknown to the vocabulary and sharing no word with the
    known name, defines its acronym; "Organisation for Security and Cooperation in Europe" (OSCE)
    shares words with the vocabulary's name and stays it, and "U.N." in "U.N. Council" is no
    acronym of the whole."""
    if entity.label != "ORG" or vocab.names.get(entity.name) or vocab.names.get(folded(entity.name)):
        return False
    via = [s for s in entity.surfaces if name in (vocab.names.get(s) or vocab.names.get(folded(s)) or ())]
    initials = "".join(w[0] for w in re.split(r"[\s\-]+", folded(entity.name).lower()) if w and w not in SMALL)
    return bool(via) and all(ACRONYM.match(s) and s.replace(".", "").lower() == initials for s in via) and \
        not _content_words(entity.name) & _content_words(name.canonical)


class Decision(NamedTuple):
    kind: str
    """A tag type, or ``SUPPRESS`` (no tag)."""
    name: str
    known: bool = True
    """Known to the vocabulary or the gazetteers; else the model's alone (``evidence`` judges it)."""


REGION_ADJECTIVES = frozenset("""
Asian European African Arab Arabian Nordic Baltic Balkan Caucasian Mediterranean Caribbean Scandinavian Slavic
Himalayan Oceanian Sahelian
""".split())
"""Adjectives of regions (the gazetteer knows countries' adjectives): an organisation the model alone finds
that ends in one of these or a country's adjective, with no organisation word, describes ("Central Asian
allies", "South Korean exporters") and names nothing; the gazetteer scan still reads its country. Not
"Southern", "Pacific", "Gulf": companies and schools end in them ("CITIC Pacific", "Gibson Southern", CoNLL
dev news and the labelled articles)."""
SPORT = "sport"
"""The topic of a story whose clubs are named after their towns ("Southampton beat Leeds")."""


def _all_known(entity: Entity, vocab: Vocabulary) -> bool:
    return all(folded(s) in vocab.names or s in vocab.names for s in entity.surfaces)


def _describes(entity: Entity, vocab: Vocabulary) -> bool:
    """An organisation the model found that is a region's or country's adjective phrase ("Central Asian")."""
    words = entity.name.split()
    ends = {" ".join(words[i:]) for i in range(len(words))}
    return (words[-1] in REGION_ADJECTIVES or any(e in vocab.adjectives for e in ends)) and \
        not any(w in vocab.cues.org_suffixes or w in vocab.cues.org_heads for w in words)


def decide(entity: Entity, vocab: Vocabulary, context_countries: set[str], us_places: int,
           sport: bool = False) -> Decision | None:
    """The tag an entity becomes: the vocabulary's type and name where it knows the entity, a
    location through the gazetteer, else the model's type and the article's name. ``sport``: the
    story is about sport, where a town's name is often its club's."""
    known = candidates(entity, vocab)
    pinned = [n for n in known if (is_vocabulary(n) or n.kind == SUPPRESS) and not spelled_otherwise(entity, n, vocab)]
    if pinned:
        if entity.label == "MISC" and pinned[0].kind == ORGANIZATIONS and \
                all(folded(s) != folded(pinned[0].canonical) for s in entity.surfaces):
            return None  # "Dow Jones" the index: the gazetteer scan decides (``_misc_alias``)
        return Decision(pinned[0].kind, pinned[0].canonical)
    places = tuple(n for n in known if n.kind in (COUNTRIES, PLACES) and n.rank != ADJECTIVE_RANK)
    cued = any(m.cued for m in entity.mentions)
    if places and entity.label == "ORG" and not sport and not cued and _all_known(entity, vocab):
        # "Tashkent has said" read as an organisation: the city for its government, a place, when
        # it lies in a country the story names and the story is not about sport ("Southampton"
        # the club). Calibrated on CoNLL-2003 dev news (the 40 articles have no such name): 3
        # wrong organisations gone (Detroit, Milan, Sergiyev Posad, a place now), 1 right lost
        # ("Granma", a Cuban newspaper); without the country check "Brent" (the crude) became
        # a London borough too; in sports stories the rule would turn 14 clubs into places. Not a
        # name the words around it make an organisation ("the official newspaper Granma")
        chosen = choose(places, context_countries, us_places)
        if chosen.kind == COUNTRIES or chosen.country in context_countries:
            return Decision(chosen.kind, chosen.canonical)
    if places and entity.label == "PER" and _all_known(entity, vocab):
        # "Termez" read as a person: a name the gazetteer knows as a place, and no full name in
        # the story it is the surname of (``mentions.merge_people`` joined those), is the place
        chosen = choose(places, context_countries, us_places)
        return Decision(chosen.kind, chosen.canonical)
    if entity.label == "LOC":
        if places:
            chosen = choose(places, context_countries, us_places)
            return Decision(chosen.kind, chosen.canonical)
        return Decision(PLACES, entity.name, False)
    if entity.label == "MISC" or entity.label == "ORG" and _describes(entity, vocab):
        return None  # a country adjective inside ("Hungarian-American") comes from the gazetteer scan
    if entity.label == "PER":
        words = entity.name.split()
        if len(words) == 1:
            family = set(vocab.surnames.get(fold(words[0]), ()))
            if len(family) == 1:  # "President Xi" -> Xi Jinping, when the vocabulary has one Xi
                return Decision(PEOPLE, family.pop())
        return Decision(PEOPLE, entity.name, False)
    return Decision(ORGANIZATIONS, org_name(entity.name), False)


PLACE_COMPOUND = re.compile(r"-(?:based|born|bound|area|headquartered|registered|listed|led)\b")
"""A known place in a compound adjective names the place ("Amritsar-based", "Kabul-bound")."""


def without_family_names(people: set[str], vocab: Vocabulary) -> set[str]:
    """People without a one-word name that is the family name of exactly one other person tagged in
    the same story ("Wang" beside "Wang Yi": the vocabulary knows Wang as his family name)."""
    out = set(people)
    for name in people:
        if " " not in name:
            family = set(vocab.surnames.get(fold(name), ())) & people
            if len(family) == 1:
                out.discard(name)
    return out


def _overlaps(m: Match, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _misc_alias(m: Match, name: Name, misc: list[tuple[int, int]]) -> bool:
    """A vocabulary organisation matched by one of its aliases (not its own name) at words the model
    reads as MISC, a thing named after it rather than it: "Dow Jones" the index (Dow Jones &
    Company), "Nasdaq" the market, "RBI" in a baseball box score (Reserve Bank of India)."""
    return folded(m.surface) != folded(name.canonical) and any(s <= m.start and m.end <= e for s, e in misc)


ONE_WORD_NAMES = re.compile(r"(?<![\w-])(?=[DRLCANP(])(?:(Democrat)s?|(Democratic)|(Republican)s?|(Liberal)s?|(Conservative)s?"
                            r"|(Army)|(Navy)|(Air Force)|(Parliament))(?![\w-])|\(([DR])-[A-Z][A-Za-z. ]{1,14}\)")
"""Words that name an institution of the story's country alone: a party's members or adjective
("Democrats", "Republican lawmakers", "the Liberals", "Conservative hopes", a US politician's "(D-Minn.)"),
a country's armed service or parliament ("a career Army officer", "swing Parliament against"). Readers
(and the labelled articles' annotators) take "the Republican president" to name the Republican Party.
Nine stories of five outlets in the labelled articles name such institutions only so; CoNLL-2003 dev
news (Reuters writes "army", "parliament") has a dozen party words in 182 stories and no such
institution word."""
ONE_WORD_KEYS = ("Democratic", "Democratic", "Republican", "Liberal", "Conservative", "Army", "Navy", "Air Force",
                 "Parliament", "affiliation")
"""The key of each group of ``ONE_WORD_NAMES`` ("Democrats" -> "Democratic")."""
ONE_WORD_HINTS = ("Democra", "Republican", "Liberal", "Conservative", "Army", "Navy", "Air Force", "Parliament",
                  "(D-", "(R-")
"""Substrings one of which every match of ``ONE_WORD_NAMES`` holds."""
AFFILIATION = {"D": "Democratic", "R": "Republican"}
PARTY_NAMES = ("{key} Party of {country}", "{key} Party ({country})")
INSTITUTION_NAMES = {"Army": ("{country} Army",), "Navy": ("{country} Navy",), "Air Force": ("{country} Air Force",),
                     "Parliament": ("Parliament of {country}", "Parliament of the {country}")}
"""How the vocabulary names each country's institution ("United States Army", "Parliament of Canada");
party names follow ``PARTY_NAMES``."""
COUNTRY_SHORT = {"United Kingdom": ("UK",), "United States": ("US",)}
"""Short country names the vocabulary's party names are qualified with ("Conservative Party (UK)")."""
WORD_BEFORE = re.compile(r"([A-Z][\w'-]*) $")
WORD_AFTER = re.compile(r" ([A-Z]\w*)")
SENTENCE_START = re.compile(r"(?:^|[.!?:\"“]\s+|\n)$")


def _names_one_word(m: re.Match[str], key: str, text: str, mentions: list[Mention]) -> bool:
    """Whether an ``ONE_WORD_NAMES`` word stands alone: not inside another name the model found
    ("Democratic Republic of Congo", "Republican Guard"), not beside another capitalised word
    ("Liberal Democrats", "Red Army", "European Parliament"), and not an adjective opening a sentence
    ("Conservative estimates")."""
    word = m.group(0)
    if any(n.start <= m.start() and m.end() <= n.end and n.text != word and n.label != "PER" for n in mentions):
        return False
    before = WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
    after = WORD_AFTER.match(text, m.end())
    if (before is not None and before.group(1) not in ("The", "A", "An")) or \
            (after is not None and (key in INSTITUTION_NAMES or ONE_WORD_NAMES.fullmatch(after.group(1)))):
        return False
    return key in INSTITUTION_NAMES or word.endswith("s") or \
        not SENTENCE_START.search(text, max(0, m.start() - 3), m.start())


def parties(text: str, mentions: list[Mention], countries: AbstractSet[str], known: AbstractSet[str]) -> set[str]:
    """The vocabulary's parties and institutions the story names by one word (``ONE_WORD_NAMES``):
    the one of that name in the story's countries ("Democratic Party (United States)", "Liberal Party
    of Canada", "United States Army"), when exactly one country has one."""
    keys: set[str] = set()
    if not any(w in text for w in ONE_WORD_HINTS):
        return set()  # most stories: one substring search a word is cheaper than the pattern
    for m in ONE_WORD_NAMES.finditer(text):
        group = next(i for i, g in enumerate(m.groups()) if g)
        key = ONE_WORD_KEYS[group]
        if key == "affiliation":
            keys.add(AFFILIATION[m.group(group + 1)])
        elif _names_one_word(m, key, text, mentions):
            keys.add(key)
    out: set[str] = set()
    for key in sorted(keys):
        forms = INSTITUTION_NAMES.get(key, PARTY_NAMES)
        found = {name for country in sorted(countries)
                 for c in (country, *COUNTRY_SHORT.get(country, ()))
                 for form in forms if (name := form.format(key=key, country=c)) in known}
        if len(found) == 1:
            out |= found
    return out


LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w-])")
POSSESSIVE = re.compile(r"['’]s ((?:[a-z]+ ){0,2}[a-z]+)")
"""A possessive and the lower-case words after it ("Russia's foreign ministry", "Hong Kong's
legislative council")."""
OWNER = re.compile(r"(?<![\w-])[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}$")
"""The name before a possessive (searched backwards from it: a possessive is rarer than a capital)."""


def possessive_names(text: str, vocab: Vocabulary) -> list[Match]:
    """The vocabulary's organisations a story names as a country's or place's possessive: "Russia's foreign
    ministry" is the vocabulary's "Russian foreign ministry", "China's commerce ministry" its "China's
    Commerce Ministry", "Hong Kong's legislative council" its "Hong Kong Legislative Council" (the
    country's adjective or name, the words as written or capitalised; the longest known)."""
    out: list[Match] = []
    for m in POSSESSIVE.finditer(text):
        who = OWNER.search(text, max(0, m.start() - 40), m.start())
        if who is None:
            continue
        names = who.group(0).split(" ")
        tries = [" ".join(names[k:]) for k in range(len(names))]  # "In Russia's": "In Russia", then "Russia"
        owner, place = next(((o, n) for o in tries for n in vocab.names.get(o, ()) if n.kind in (COUNTRIES, PLACES)),
                            ("", None))
        if place is None:
            continue
        country = place.canonical if place.kind == COUNTRIES else ""
        owners = [owner, *(a for a, c in vocab.adjectives.items() if c == country)]
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n])
            forms = [f"{o} {p}" for o in owners for p in (phrase, phrase.title())] + [f"{owner}'s {phrase.title()}"]
            known = next((f for f in forms if any(is_vocabulary(x) for x in vocab.names.get(f, ()))), None)
            if known is not None:
                end = m.start(1) + len(phrase)
                out.append(Match(m.start() - len(owner), end, known, tuple(x for x in vocab.names[known] if is_vocabulary(x))))
                break
    return out


def inside_known(mentions: list[Mention], matches: list[Match], vocab: Vocabulary, text: str) -> list[Mention]:
    """The model's names without those inside a longer organisation name the vocabulary knows, written
    with lower-case words besides "the", "of" (``SMALL``), a description the model does not read as a name:
    "UN" in "the UN refugee agency" is that agency, not the United Nations; "Russia" in
    "Russia's foreign ministry" (the gazetteer scan still tags the country). Not a vocabulary name
    ending in a generic word ("Hong Kong police"), which tags nothing. A capitalised name keeps the
    model's names inside it ("Standard & Poor" in "Standard & Poor's", named as CoNLL does)."""
    spans = [(m.start, m.end) for m in matches if " " in m.surface and is_vocabulary(m.names[0])
             and m.names[0].kind == ORGANIZATIONS
             and m.surface.split()[-1] not in vocab.cues.generic_heads]
    if not spans:
        return mentions
    spans = [(s, e) for s, e in spans if any(w not in SMALL for w in LOWER_WORD.findall(text, s, e))]
    return [x for x in mentions if not any(s <= x.start and x.end <= e and e - s > x.end - x.start for s, e in spans)]


def tag(title: str, body: str, vocabulary: Vocabulary, thresholds: Thresholds = SHIPPED,
        model: NameModel | None = None) -> Tags:
    """Countries, places, people, organisations and topics named in a story. Pure. ``thresholds``:
    the evidence a name the model alone found needs (the shipped ones; the gate tries others);
    ``model``: the name finder (the shipped one; the gate tags CoNLL dev with its folds' models)."""
    text = (title + "\n\n" + body) if title else body
    vocab = vocabulary
    matches = scan(vocab, text)
    mentions = find_names(text, vocab.names, vocab.automaton, len(title), model)
    owned = possessive_names(text, vocab)
    mentions = inside_known(mentions, [*owned, *matches], vocab, text)
    matches = sorted([*matches, *owned], key=lambda m: m.start)
    subjects = topics(text)
    sport = SPORT in subjects
    entities = resolve(mentions, text, vocab.cues, vocab.leads, vocab.adjectives.keys(), vocab.names, sport)
    unambiguous = {m.names[0].canonical for m in matches if m.names[0].kind == COUNTRIES and len(m.names) == 1}
    us_places = sum(1 for m in matches if len(m.names) == 1 and m.names[0].kind == PLACES
                    and m.names[0].country == "United States")
    found: dict[str, set[str]] = {t: set() for t in TAG_TYPES}
    decided = [(e, decide(e, vocab, unambiguous, us_places, sport)) for e in entities]
    rules_orgs, rules_people = detect(text, runs(text, vocab.cues), matches, vocab)
    known = facts(text, {f.canonical for f in rules_people if f.kind == PEOPLE}, {f.canonical for f in rules_orgs},
                  [d.name for _, d in decided if d is not None and d.kind == PEOPLE],
                  {m.surface for m in matches if m.names[0].kind in (COUNTRIES, PLACES)})
    misc = [(m.start, m.end) for m in mentions if m.label == "MISC"]
    spans: list[tuple[int, int]] = []  # "Hungarian-American" (MISC) and names not believed: the gazetteer's
    for entity, decision in decided:
        if decision is None:
            continue
        kind: str | None = decision.kind
        if not decision.known:
            sure = 1.0 if any(m.cued for m in entity.mentions) else max(m.confidence for m in entity.mentions)
            kind = believe(decision.kind, decision.name, sure,
                           len(entity.mentions), known, vocab.cues, len({m.label for m in entity.mentions}) == 1,
                           thresholds)
        if kind is None:
            continue
        spans.extend((m.start, m.end) for m in entity.mentions)
        if kind != SUPPRESS:
            found[kind].add(decision.name)
    cut = credits(text, vocab.cues)
    datelines = [(d.start(), d.end()) for d in DATELINE.finditer(text)]
    for m in matches:
        name = choose(m.names, unambiguous, us_places)
        if name.kind in (COUNTRIES, PLACES) and any(s <= m.start and m.end <= e for s, e in datelines):
            found[name.kind].add(name.canonical)  # "NORTH MIAMI BEACH, Fla, March 4 -", whatever the model read
            continue
        if _overlaps(m, spans):
            continue
        if name.kind == PLACES and PLACE_COMPOUND.match(text, m.end):
            found[PLACES].add(name.canonical)  # "an Amritsar-based agent" (CoNLL tags it MISC, web readers a place)
            continue
        if name.kind == COUNTRIES or (is_vocabulary(name) and not _overlaps(m, cut)
                                      and m.surface.split()[-1] not in vocab.cues.generic_heads
                                      and not (name.kind == ORGANIZATIONS and _misc_alias(m, name, misc))):
            found[name.kind].add(name.canonical)
    countries = found[COUNTRIES] | {c for p in found[PLACES] if (c := place_country(p))}
    found[ORGANIZATIONS] |= parties(text, mentions, countries, vocab.known[ORGANIZATIONS])
    found[PEOPLE] = without_family_names(found[PEOPLE], vocab)
    found[ORGANIZATIONS] = dedupe_by_slug(found[ORGANIZATIONS], vocab.known[ORGANIZATIONS])
    found["topics"] = set(subjects)
    return Tags(**{t: sorted(found[t]) for t in TAG_TYPES})


# --------------------------------------------------------------------------- vocabulary upkeep

class Suggestion(NamedTuple):
    kind: str
    name: str
    briefings: int


def unknown_tags(tags: Tags, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(tag type, name) of every tag neither the gazetteers nor the vocabulary know."""
    return unknown_names(tags, vocabulary.known)


def unknown_names(tags: Tags, known: Mapping[str, AbstractSet[str]]) -> list[tuple[str, str]]:
    """``unknown_tags`` given only the vocabulary's known names by tag type (``Vocabulary.known``)."""
    return [(t, n) for t in (COUNTRIES, PLACES, PEOPLE, ORGANIZATIONS) for n in getattr(tags, t)
            if n not in known[t]]


def suggest(all_tags: list[Tags], vocabulary: Vocabulary, limit: int = 50, min_count: int = 1) -> list[Suggestion]:
    """The people and organisations most often tagged in the archive that the vocabulary lacks (most
    briefings first, then type and name), those in at least ``min_count`` briefings."""
    counts: dict[tuple[str, str], int] = {}
    for tags in all_tags:
        for kind, name in unknown_tags(tags, vocabulary):
            if kind in (PEOPLE, ORGANIZATIONS):
                counts[(kind, name)] = counts.get((kind, name), 0) + 1
    ranked = sorted(((k, n) for k, n in counts.items() if n >= min_count), key=lambda kv: (-kv[1], kv[0]))
    return [Suggestion(kind, name, n) for (kind, name), n in ranked[:limit]]


ENTRY_TYPE = {PEOPLE: "person", ORGANIZATIONS: "organization"}


def suggestion_yaml(found: list[Suggestion]) -> str:
    """The suggestions as vocabulary entries (people first, then organisations), YAML to paste into
    ``vocabulary/people.yaml`` or ``organizations.yaml`` and complete (country, aliases)."""
    import yaml

    parts = []
    for kind in (PEOPLE, ORGANIZATIONS):
        entries = [{"name": s.name, "type": ENTRY_TYPE[kind]} for s in found if s.kind == kind]
        if entries:
            parts.append(f"# {kind}.yaml\n" + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False))
    return "\n".join(parts)
