"""Text into tokens the way CoNLL-2003 writes them, each keeping its place in the text.

The name finder (``names``) was trained on CoNLL-2003's tokens, so a real article is cut the same
way before it is tagged: punctuation on its own ("Somerset ,"), the possessive apart ("England 's"),
"n't" apart ("did n't"), abbreviations and initials keeping their dot ("Corp.", "U.S.", "J."),
hyphenated words and numbers whole ("all-rounder", "1996-08-30", "1,000"). Curly quotes and
apostrophes are written as CoNLL's straight ones; every token keeps the span of the text it came
from, so a name found in tokens maps back to the characters it covers. Pure and cheap.
"""

from __future__ import annotations

import re
from typing import NamedTuple

WORDISH = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|\w+(?:[-.&/'’]\w+)*|--+|\.\.\.|\S")
"""A number with thousands commas ("1,000"), a run of letters and digits joined by inner hyphens,
dots, ampersands, slashes or apostrophes ("O'Gorman", "AT&T", "3.5", "U.S"), a dash run, an
ellipsis, or any other single character."""

ABBREVIATIONS = frozenset("""
Mr Mrs Ms Dr Prof Sen Rep Gov Gen Lt Col Maj Capt Adm Sgt Cmdr Rev St Mt Ft Jr Sr Messrs
Inc Corp Co Ltd Bros Cos Plc Dept Univ Assn Intl No Nos Vol Ave Blvd Rd
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La
Md Mass Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo etc vs approx
""".split())
"""Words CoNLL writes with their dot ("Corp.", "Calif."): a dot after one of these is not a sentence end."""

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})
SENTENCE_ENDS = frozenset({".", "!", "?"})
CLITICS = ("'s", "'ve", "'re", "'ll", "'d", "'m")
"""Endings CoNLL writes as their own token ("England 's", "I 've"); "n't" too ("did n't")."""


class Token(NamedTuple):
    text: str
    """As CoNLL would write it (straight quotes)."""
    start: int
    end: int


def _split_word(word: str, start: int) -> list[Token]:
    """A possessive, clitic or "n't" cut off ("England's" -> "England" "'s"; "didn't" -> "did" "n't")."""
    norm = word.translate(APOSTROPHES)
    low = norm.lower()
    if low.endswith("n't") and len(norm) > 3:
        cut = len(norm) - 3
        return [Token(norm[:cut], start, start + cut), Token(norm[cut:], start + cut, start + len(norm))]
    for clitic in CLITICS:
        if low.endswith(clitic) and len(norm) > len(clitic):
            cut = len(norm) - len(clitic)
            return [Token(norm[:cut], start, start + cut), Token(norm[cut:], start + cut, start + len(norm))]
    return [Token(norm, start, start + len(norm))]


def tokenize(text: str) -> list[Token]:
    """CoNLL-style tokens of ``text`` with their character spans."""
    out: list[Token] = []
    append = out.append
    n = len(text)
    for m in WORDISH.finditer(text):
        word = m.group()
        s, e = m.span()
        if e < n and text[e] == "." and word[0].isalpha() and (
                word in ABBREVIATIONS or len(word) == 1 and word.isupper() or "." in word):
            append(Token(word.translate(APOSTROPHES) + ".", s, e + 1))  # "Corp.", "J.", "U.S."
            continue
        if word == "." and out and out[-1].end == e and out[-1].text.endswith("."):
            continue  # the dot already taken by an abbreviation
        if "'" in word or "’" in word:
            if word in ("'", "’"):
                append(Token("'", s, e))
            else:
                out.extend(_split_word(word, s))
            continue
        # Only a one-character token can hold a quote here (WORDISH joins words with apostrophes
        # only, and those went above): no translation for the others, the same text.
        append(Token(word.translate(APOSTROPHES) if e - s == 1 else word, s, e))
    return out


def sentences(tokens: list[Token], text: str) -> list[list[Token]]:
    """Tokens cut into sentences: at a line break, and after ``.``/``!``/``?`` before a new word."""
    out: list[list[Token]] = []
    current: list[Token] = []
    find = text.find
    for tok in tokens:
        if current:
            prev = current[-1]
            if find("\n", prev.end, tok.start) >= 0 or (prev.text in SENTENCE_ENDS and not tok.text[:1].islower()):
                out.append(current)
                current = []
        current.append(tok)
    if current:
        out.append(current)
    return out
