"""The counted nouns: professions, structures and the generic nouns, from ``professions.jsonl`` and ``structures.jsonl``.

A noun's ``kind`` says which context rules apply to it (``count_rules.jsonl``
``anchor``): "profession", "structure", or one of the generic categories
("health_professionals", "members", "ehpad_beds") whose meaning the sentence
decides.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline import patterns
from pipeline.lines import BULLET_CLASS
from pipeline.textnorm import fold

PROFESSIONALS = "health_professionals"
MEMBERS = "members"
BEDS = "ehpad_beds"


class Noun(NamedTuple):
    category: str
    kind: str
    """profession, structure, or the generic category itself (health_professionals, members, ehpad_beds)."""


def _form_regex(form: str) -> str:
    """A folded noun form as a regex: a hyphen matches a hyphen, a space or nothing; spaces any run of spaces."""
    words = [re.escape(w) for w in fold(form).split(" ")]
    return " +".join(w.replace(r"\-", "[ -]?") for w in words)


def _alternation(forms: list[str]) -> str:
    return patterns.alternation(forms, _form_regex)


def form_key(text: str) -> str:
    return re.sub(r"[ -]+", "", text)


class Vocabulary(NamedTuple):
    counted: re.Pattern
    """Any counted noun, right after a quantity."""
    singular_structure: re.Pattern
    """ "le/la/l'/un/une" + a structure in the singular."""
    singular_profession: re.Pattern
    """ "un/une" + a profession in the singular."""
    label_noun: re.Pattern
    """A line opening on a profession or structure, possibly after a bullet: the label of a figures box."""
    by_key: dict[str, Noun]
    """Form key (see ``form_key``) -> noun."""
    acronyms: frozenset[str]
    """Form keys of capital-letter abbreviations ("MG", "MK"): counted only when written in capitals."""


def _rows() -> list[tuple[dict, Noun]]:
    rows = []
    for source, kind in (("professions", "profession"), ("structures", "structure")):
        for row in patterns.load(source):
            category = row["category"]
            rows.append((row, Noun(category, kind if category not in (PROFESSIONALS, MEMBERS, BEDS) else category)))
    return rows


@lru_cache(maxsize=1)
def structure_alternation() -> str:
    """Every structure form as one regex alternation, the piece ``{structures}`` of the count cues."""
    return _alternation([f for row, noun in _rows() if noun.kind == "structure" for f in row["singular"] + row["plural"]])


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    by_key: dict[str, Noun] = {}
    every: list[str] = []
    singular: dict[str, list[str]] = {"structure": [], "profession": []}
    labels: list[str] = []
    acronyms: set[str] = set()
    for row, noun in _rows():
        for form in row["singular"] + row["plural"]:
            by_key[form_key(fold(form))] = noun
            every.append(form)
        for form in row.get("acronyms", []):
            by_key[form_key(fold(form))] = noun
            acronyms.add(form_key(fold(form)))
            every.append(form)
        if noun.kind in singular:
            singular[noun.kind].extend(row["singular"])
        if noun.kind in ("profession", "structure"):
            labels.extend(row["singular"] + row["plural"])
    return Vocabulary(
        counted=re.compile(rf" *({_alternation(every)})(?![a-z])"),
        singular_structure=re.compile(
            rf"(?<![a-z])(?:le|la|l'|un|une) *({_alternation(singular['structure'])})(?![a-z])"
        ),
        singular_profession=re.compile(rf"(?<![a-z])(?:un|une) +({_alternation(singular['profession'])})(?![a-z])"),
        label_noun=re.compile(rf"(?:^|(?<=\n))(?:{BULLET_CLASS} *)?({_alternation(labels)})(?![a-z])"),
        by_key=by_key,
        acronyms=frozenset(acronyms),
    )


def noun_of(matched: str) -> Noun:
    """The noun of a form matched by one of the vocabulary's regexes."""
    return vocabulary().by_key[form_key(matched)]
