"""The vocabularies of the places rules, loaded once: cue phrases, départements, régions, number words.

All of them are rows of ``pipeline/patterns/*.jsonl`` (``places_cues``,
``places_departements``, ``places_regions``, ``number_words``); a name read
in the text is looked up with ``vocab_key`` on both sides, so "Côte-d’Or",
"Cote d'Or" and "Côte-d'Or" are the same key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline import patterns
from pipeline.parse.places.shapes import APOS, alternation
from pipeline.parse.prefilter import Prefiltered
from pipeline.textnorm import VocabDict, fold, vocab_key

AGGLOMERATION_RULE = "places_epci_agglomeration_of_town"
"""The rule of an intercommunalité named by its main town ("l'agglomération de Bergerac"); its name is the town's
(``epcis.agglomerations_of_towns``; ``pipeline.normalise.communes`` resolves it to that town's EPCI)."""

UNNAMED_EPCI_RULE = "places_epci_unnamed"
"""The rule of an intercommunalité covered without its name ("les 38 communes de l'agglomération",
``unnamed_epci``); ``pipeline.normalise.communes`` resolves it by the CPTS's own name."""


@cache
def cues() -> dict[str, list[dict]]:
    """``places_cues.jsonl`` grouped by cue type."""
    out: dict[str, list[dict]] = {}
    for row in patterns.load("places_cues"):
        out.setdefault(row["cue"], []).append(row)
    return out


@cache
def departements() -> dict[str, str]:
    """Official département name -> code (``places_departements.jsonl``)."""
    return VocabDict({e["nom"]: e["code"] for e in patterns.load("places_departements")})


@cache
def departements_names() -> list[str]:
    """Official département names as written, for the regex alternations."""
    return [e["nom"] for e in patterns.load("places_departements")]


@cache
def kicker_departements() -> frozenset[str]:
    """Départements whose name alone ("Gironde : ...", "de Savoie") is the département: no commune bears it."""
    return frozenset(vocab_key(e["nom"]) for e in patterns.load("places_departements") if not e.get("commune_homonym"))


@cache
def regions_names() -> list[str]:
    """Région names and aliases as written, for the regex alternations."""
    return [name for e in patterns.load("places_regions") for name in [e["nom"], *e["aliases"]]]


@cache
def regions() -> dict[str, str]:
    """Région name, official or usual ("Auvergne Rhône-Alpes", "PACA") -> code (``places_regions.jsonl``)."""
    return VocabDict({name: e["code"] for e in patterns.load("places_regions") for name in [e["nom"], *e["aliases"]]})


@cache
def number_words() -> dict[str, int]:
    """Cardinal words ("six", "trois") of ``number_words.jsonl`` and their values, for counts such as "six communes"."""
    rows = patterns.load("number_words")
    return {fold(e["word"]): e["value"] for e in rows if "word" in e and not e.get("approx") and not e.get("adjective")}


@cache
def window(name: str) -> int:
    """A context window or size of ``places_windows.jsonl`` (``partial_words``, ``count_chars``...)."""
    return next(row["value"] for row in patterns.load("places_windows") if row["id"] == name)


@cache
def folded_cues(kind: str) -> frozenset[str]:
    return frozenset(fold(e["text"]) for e in cues()[kind])


@cache
def cue_regex(kind: str) -> str:
    """Alternation of one cue type: long forms case-insensitive, acronyms (CH, MSP) case-sensitive. Built once:
    rules compile it per document (``re`` caches the compiled pattern, not the building of its text)."""
    texts = [e["text"] for e in cues()[kind]]
    acronyms = [t for t in texts if t.isupper()]
    words = [t for t in texts if not t.isupper()]
    parts = [f"(?i:{alternation(words)})"] if words else []
    if acronyms:
        parts.append(alternation(acronyms))
    return rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])"


def cue_id(kind: str, matched: str) -> str:
    """The id of the ``kind`` cue row that ``matched`` is written as (folded comparison), else ``places_<kind>``."""
    folded = fold(matched)
    return next((e["id"] for e in cues()[kind] if "text" in e and fold(e["text"]) == folded), f"places_{kind}")


@dataclass(frozen=True, slots=True)
class Intro:
    """One ``list_intro`` phrase, compiled, with how it gives its names a role."""

    id: str
    regex: re.Pattern[str]
    always_territory: bool
    min_names: int
    min_territory_names: int
    mentioned_without_cue: bool
    anywhere: Prefiltered
    """The phrase alone, without ``regex``'s look-behind: a text it does not match holds no intro (a leading
    look-behind keeps ``re`` from skipping ahead to the phrase's first letter, so ``regex`` costs twice as much
    to find nothing). Prefiltered: most texts hold only a few of the phrases, and a search ignoring case tries
    every character."""


@cache
def intros() -> list[Intro]:
    """The ``list_intro`` cues of ``places_cues.jsonl``: a phrase ("communes, dont") or a regex, either case."""
    out = []
    for e in cues()["list_intro"]:
        body = e.get("regex") or alternation([e["text"]]).replace(r"\ ", r"\s+")
        out.append(
            Intro(
                id=e["id"],
                regex=re.compile(rf"(?<![\w-])(?i:{body})\s*"),
                always_territory=e["territory"] == "always",
                min_names=e.get("min_names", 1),
                min_territory_names=e.get("min_territory_names", 1),
                mentioned_without_cue=e.get("mentioned_without_cue", False),
                anywhere=Prefiltered(re.compile(body, re.IGNORECASE)),
            )
        )
    return out


def epci_type(head: str) -> str | None:
    """The DGCL type code (CC, CA, CU, METRO) of an intercommunalité's legal form as written."""
    folded = fold(head)
    return next((e["type"] for e in cues()["epci_head"] if fold(e["text"]) == folded), None)


def has_not_commune_word(text: str) -> bool:
    """True when a word standing alone marks something else than a commune ("Parc naturel du Vercors",
    "lac d'Annecy", "Pays de Fayence", an establishment such as "MSP"); inside a hyphenated name it is
    part of the commune's ("Saint-Pardoux-la-Rivière")."""
    words = folded_cues("not_commune") | folded_cues("establishment")
    return any(re.sub(rf"^[dl][{APOS}]|[^\w]", "", fold(w)) in words for w in text.split())


def is_departement(name: str) -> bool:
    """ "la Loire", "l'Ain": a département written with its article (a bare "Vienne" is the town)."""
    bare = re.sub(rf"^(?:[Ll]es|[Ll]e|[Ll]a) |^[Ll][{APOS}] ?", "", name)
    return bare != name and bare in departements()

