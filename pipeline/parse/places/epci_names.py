"""Intercommunalités written by their official name, whose legal form is part of the name ("Lorient
Agglomération", "Brest Métropole", "Douaisis Agglo", "Montfort Communauté"): found wherever they stand, like
communes, by one word-level matcher over the reference's names.

Kind ``epci``, role ``territory`` when a territory word comes before the
name in its sentence ("la CPTS couvre Lorient Agglomération") and no
partitive takes only part of it, else ``mentioned`` (a funder, a partner).
``rule`` is ``places_epci_official_name``.
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR
from pipeline.parse.places.context import partial, territory_cue
from pipeline.parse.places.gazetteer import Gazetteer, name_words
from pipeline.parse.places.shapes import Claims
from pipeline.records import PlaceMention, PlaceRole

_LEGAL_WORDS = frozenset({"agglo", "agglomeration", "metropole", "communaute"})
"""Words of an official name that say it is an intercommunalité, so the name alone is enough."""
_ABBREVIATION = re.compile(r"^(?:CC|CA|CU)\s+")


@cache
def _matcher() -> Gazetteer:
    """Official names holding a legal word, without their leading abbreviation ("CA Lorient Agglomération")."""
    names = pq.ParquetFile(REFERENCE_DIR / "epci.parquet").read(columns=["nom"])["nom"].to_pylist()
    words = {name_words(_ABBREVIATION.sub("", nom)) for nom in set(names)}
    return Gazetteer({w: frozenset() for w in words if _LEGAL_WORDS & set(w) and len(w) > 1}, frozenset())


def named_epcis(text: str, sentence_starts: list[int], claims: Claims) -> list[PlaceMention]:
    """Every intercommunalité of ``text`` written by its official name (see the module docstring)."""
    out = []
    for hit in _matcher().find(text):
        cue = territory_cue(text, sentence_starts, hit.start, [])
        role: PlaceRole = "territory" if cue and not partial(text, hit.start) else "mentioned"
        place = claims.mention(text, hit.start, hit.end, kind="epci", role=role, rule="places_epci_official_name")
        if place is not None:
            out.append(place)
    return out
