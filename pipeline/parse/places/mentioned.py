"""Towns named for another reason: after an establishment ("CHU de Clermont-Ferrand", "centre de santé
d'Amplepuis") or a profession/location verb ("masseur-kinésithérapeute à Sain-Bel"): role ``mentioned``.

A person's name there ("le cabinet de Sophie Lemaire") is no town. ``rule``
is the id of the ``establishment`` or ``person_place`` row that fired; a name
after it that is no town goes to ``rejected``, when given, with that id.
"""

from __future__ import annotations

import re

from pipeline.parse.model import model_nlp
from pipeline.parse.places.regexes import regexes
from pipeline.parse.places.shapes import CAPWORD, NAME_RE, Claims
from pipeline.parse.places.vocab import cue_id, cue_regex, has_not_commune_word, is_departement
from pipeline.records import PlaceMention, Rejected

_PERSON_SHAPE = re.compile(rf"(?!(?:Saint|Sainte|St|Ste|Le|La|Les|Los)\b){CAPWORD} {CAPWORD}")
"""A first and last name: two capitalised words and a space ("Sophie Lemaire"); hagionyms and articles excluded."""


def mentioned(text: str, claims: Claims, rejected: list[Rejected] | None = None) -> list[PlaceMention]:
    """Towns of establishments and of people: role mentioned."""
    out = []
    for kind in ("establishment", "person_place"):
        head = re.compile(cue_regex(kind))
        for m in regexes()[kind].finditer(text):
            rule = cue_id(kind, head.match(text, m.start()).group())
            for n in NAME_RE.finditer(text, m.start("names"), m.end("names")):
                if claims.overlaps(n.start(), n.end()):
                    continue
                why = _no_town(n.group())
                if why is None and is_person(text[m.start() : n.end()], n.group()):
                    why = "a person's name (the language model reads it so), not a town"
                if why is not None:
                    if rejected is not None:
                        rejected.append(Rejected(n.start(), n.end(), rule, why))
                    continue
                place = claims.mention(text, n.start(), n.end(), role="mentioned", rule=rule)
                if place is not None:
                    out.append(place)
    return out


def _no_town(name: str) -> str | None:
    """Why ``name`` is no town whatever its context, if it is not."""
    if is_departement(name):
        return "a département written with its article, not a town"
    if has_not_commune_word(name):
        return "holds a word that marks something else than a commune (a park, a pays, an establishment)"
    return None


def is_person(phrase: str, name: str) -> bool:
    """True when ``name``, at the end of ``phrase``, is a person ("le cabinet de Sophie Lemaire"), not a town.

    Two capitalised words side by side, without hyphen, article or particle, is
    how a first and last name are written and how few communes are (two dozen
    in the COG, "Vire Normandie", or names whose hyphens were dropped,
    "Clermont Ferrand"), so for that shape only the NER model reads the phrase.
    """
    if not _PERSON_SHAPE.fullmatch(name):
        return False
    offset = len(phrase) - len(name)
    return any(e.label_ == "PER" and e.start_char <= offset < e.end_char for e in model_nlp()(phrase).ents)
