"""CPTS names given by a naming verb: "baptisée « Presqu'îles en mer », la communauté réunit...".

Writers who tell the story of a CPTS often name it once, with a verb or a
phrase of naming (baptisée, dénommée, "porte le nom de", "a choisi le nom
de"), and call it "la CPTS" or "la communauté" everywhere else. The name
after the cue is quoted or a run of capitalised words read as after "CPTS"
(``mentions.py``). It counts only in a sentence that speaks of the CPTS and
of no other structure: "une maison de santé baptisée « Les Tilleuls »" names
the maison de santé. A sentence that opens on the cue ("Baptisée « X », la
structure ...") names what the sentence before spoke of, so both are read. A sentence that
opens on a name and says it is a CPTS ("Soins Coordonnés du Val est une communauté
professionnelle territoriale de santé", the way a CPTS's own "qui sommes-nous" page begins)
names it too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import patterns
from pipeline.keys import cpts_key
from pipeline.parse.names.mentions import QUOTED, WORD, has_a_proper_noun, has_a_word, unquoted_name_end
from pipeline.records import CptsName
from pipeline.textnorm import fold_same_length

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_APPOSED = re.compile(r"\s*,?\s*")


@lru_cache(maxsize=1)
def _cues() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str], re.Pattern[str]]:
    rows = patterns.load("cpts_naming")
    cues = [(row["id"], re.compile(row["regex"])) for row in rows if row["kind"] == "cue"]
    cpts_word = re.compile("|".join(row["regex"] for row in rows if row["kind"] == "cpts_word"))
    other = re.compile("|".join(row["regex"] for row in rows if row["kind"] == "other_structure"))
    return cues, cpts_word, other


@lru_cache(maxsize=1)
def _copula() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """(what follows a name said to be a CPTS, the nouns that may come before it, words no name opens on)."""
    rows = patterns.load("cpts_naming")
    copula = re.compile("|".join(row["regex"] for row in rows if row["kind"] == "copula"))
    prefix = re.compile("|".join(row["regex"] for row in rows if row["kind"] == "copula_prefix"))
    stop = frozenset(word for row in rows if row["kind"] == "not_name_opening" for word in row["words"])
    return copula, prefix, stop


def _said_to_be_a_cpts(text: str, folded: str, sentence: re.Match[str]) -> CptsName | None:
    """The name a sentence opens on when it says that name is a CPTS ("Soins Coordonnés du Val est une
    communauté professionnelle territoriale de santé"): quoted, or two words at least, so that a capitalised
    word opening any sentence is no name; never a pronoun or a determiner ("Elle est une CPTS")."""
    copula, prefix, stop = _copula()
    opening = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip(" \t-–—•*"))
    noun = prefix.match(folded, opening)
    found = _name_after(text, noun.end() if noun else opening)
    if not found:
        return None
    start, end, evidence_end = found
    evidence_start = noun.end() if noun else opening
    said = copula.match(folded, evidence_end)
    words = re.findall(r"[\w-]+", folded[start:end])
    quoted = evidence_end > end
    if not said or not words or words[0] in stop or (len(words) < 2 and not quoted):
        return None
    key = cpts_key(text[start:end])
    if not (has_a_word(key) and has_a_proper_noun(text[start:end])):
        return None
    name = "CPTS " + text[start:end].strip()
    return CptsName(text=text[evidence_start : said.end()], char_start=evidence_start, char_end=said.end(),
                    name=name, key=key, rule="naming_copula")


def _name_after(text: str, pos: int) -> tuple[int, int, int] | None:
    """(name start, name end, evidence end) of a quoted or capitalised name at ``pos``."""
    quoted = QUOTED.match(text, pos)
    if quoted:
        return quoted.start(1), quoted.end(1), quoted.end()
    first = WORD.match(text, pos)
    if not first or "\n" in first.group() or not first.group(1)[:1].isupper():
        return None
    end = unquoted_name_end(text, first.start(1))
    return first.start(1), end, end


def _about(
    sentence: re.Match[str], before: re.Match[str] | None, cues: list[tuple[str, re.Pattern[str]]]
) -> tuple[int, int]:
    """The span that says what a sentence names: the sentence, and the one before when it opens on the naming
    cue, a participle whose noun came before ("... ont lancé leur communauté professionnelle territoriale de
    santé. Baptisée « Val Santé », la structure a signé ...")."""
    opening = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip(" \t\"«»'-–—•*"))
    if before is not None and any(cue.match(sentence.string, opening) for _, cue in cues):
        return before.start(), sentence.end()
    return sentence.span()


def baptised_names(text: str, named: list[CptsName]) -> list[CptsName]:
    """Every CPTS named by a naming verb in a sentence about a CPTS, in text order, but for second names of the
    CPTS ``named`` ("CPTS X" mentions): right after one ("La CPTS du Lez, baptisée « Santé Lez »"), or
    through the sentence before when that sentence names one."""
    folded = fold_same_length(text)
    cues, cpts_word, other = _cues()
    names = []
    before = None
    for sentence in _SENTENCE.finditer(folded):
        said, before = _about(sentence, before, cues), sentence
        copula_named = _said_to_be_a_cpts(text, folded, sentence)
        if copula_named is not None:
            names.append(copula_named)
            continue
        if not cpts_word.search(folded, *said) or other.search(folded, *said):
            continue
        if said[0] < sentence.start() and any(said[0] <= n.char_start < sentence.start() for n in named):
            continue  # the sentence before names its CPTS: the participle names that one again
        for rule, cue in cues:
            for match in cue.finditer(folded, sentence.start(), sentence.end()):
                found = _name_after(text, match.end())
                if not found or any(_APPOSED.fullmatch(text, n.char_end, match.start()) for n in named):
                    continue  # "La CPTS du Lez, baptisée « Santé Lez »": a second name of a CPTS already named
                start, end, evidence_end = found
                key = cpts_key(text[start:end])
                if has_a_word(key) and has_a_proper_noun(text[start:end]):
                    names.append(
                        CptsName(
                            text=text[match.start():evidence_end],
                            char_start=match.start(),
                            char_end=evidence_end,
                            name="CPTS " + text[start:end].strip(),
                            key=key,
                            rule=rule,
                        )
                    )
    return sorted(names, key=lambda n: n.char_start)
