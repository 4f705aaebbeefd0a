"""The départements and région of a CPTS when its territory communes do not give them: every sound clue,
strongest first.

1. départements stated as the territory's ("dans la Gironde", "en
   Saône-et-Loire", "Haute-Corse (2B)", a line opening "Gironde :") and the
   départements of territory cantons' chef-lieux;
2. the CPTS's own name: a département it names ("CPTS Sud Yvelines") or the
   commune it is named after ("CPTS du Grand Douai"), when that name points
   to one département;
3. the signing or funding caisse ("signé avec la CPAM de la Manche": a CPTS
   signs with the caisse of its own département); a caisse named in a
   sentence with no signing or funding word ("directeur de la CPAM de
   l'Essonne, invité") is somebody's employer, not a clue;
4. the only département of a named région ("ARS La Réunion");
5. the headline town: the commune a title opens with ("Vitré. Les
   soignants…"), when it points to one département within the départements and régions the text names anywhere
   ("Saint-Paul : ..." in a text about La Réunion).

A département only named as somewhere else (role ``mentioned``: "Montreuil
(93)") is never one; it only narrows homonyms. The région is that of the
départements, else the one région named ("ARS Occitanie", "URML Normandie").

The parse stage's place mentions are read, never the text again: the title's
are those inside the title's span of the text, or, for a title that is not in
the text (an HTML page's ``<title>``), those the parse stage read in it
(``ParsedDocument.title_places``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalise.cog import Reference
from pipeline.parse.places.gazetteer import gazetteer, name_words
from pipeline.parse.places.regexes import regexes
from pipeline.parse.places.vocab import departements, folded_cues
from pipeline.parse.title import title_in_text
from pipeline.records import PlaceMention
from pipeline.textnorm import fold



@dataclass(frozen=True, slots=True)
class Clues:
    """Départements by tier, strongest first; the régions named; every département hint (to narrow homonyms)."""

    tiers: list[set[str]]
    regions: set[str]
    context: set[str]

    def departements(self) -> set[str]:
        return next((tier for tier in self.tiers if tier), set())


def clues(
    places: list[PlaceMention],
    document_places: list[PlaceMention],
    *,
    title: str | None,
    text: str,
    name: str | None,
    year: int,
    reference: Reference,
    title_places: list[PlaceMention] = (),
) -> Clues:
    """The clues of one CPTS: ``places`` are its own mentions, ``document_places`` every mention of the document."""
    in_title = _title_places(document_places, title, text, list(title_places))
    outside = {id(p) for p in title_places}

    def _read_in(place: PlaceMention) -> str:
        """The string ``place``'s offsets point into: the title for a title outside the text."""
        return title if id(place) in outside else text

    stated = [p for p in places if p.kind == "departement"] + in_title
    if not any(p.kind == "departement" for p in places):
        stated += [p for p in document_places if p.kind == "departement"]
    named = [p for p in places + in_title if p.kind == "region"]
    if not any(p.kind == "region" for p in places):
        named += [p for p in document_places if p.kind == "region"]
    regions = {p.region_hint for p in named if p.region_hint and p.role == "territory"}
    nearby = {p.region_hint for p in document_places if p.kind == "region" and p.region_hint} | regions
    region_departements = {d for r in regions if (d := reference.sole_departement(r))}
    context = {p.dept_hint for p in stated if p.dept_hint} | region_departements
    cantons = _canton_departements([p for p in places if p.kind == "canton"], year, context, reference)
    context |= cantons
    tiers = [
        {p.dept_hint for p in stated if p.role == "territory" and p.dept_hint} | cantons,
        _named_after(name, year, context, nearby, reference),
        {p.dept_hint for p in stated if p.dept_hint and p.rule == "places_dept_funder" and _signing(_read_in(p), p)},
        region_departements,
        _headline_town(title, year, context, nearby, reference),
    ]
    return Clues(tiers=tiers, regions=regions, context=context)


def _canton_departements(cantons: list[PlaceMention], year: int, context: set[str], reference: Reference) -> set[str]:
    """Départements of the territory cantons: a canton bears the name of its chef-lieu commune, whose
    département is the canton's when the name (within ``context`` if needed) points to one département."""
    out = set()
    for canton in cantons:
        if canton.role != "territory":
            continue
        departements = {c.departement for c in reference.lookup(canton.name, year)} - {None}
        if len(departements) > 1 and context & departements:
            departements &= context
        if len(departements) == 1:
            out |= departements
    return out


def _title_places(
    document_places: list[PlaceMention], title: str | None, text: str, outside: list[PlaceMention]
) -> list[PlaceMention]:
    """The title's mentions: those within its span of the text, else those the parse stage read in it."""
    at = title_in_text(title, text)
    if at < 0:
        return outside
    return [p for p in document_places if at <= p.char_start and p.char_end <= at + len(title)]


def _named_after(name: str | None, year: int, context: set[str], regions: set[str], reference: Reference) -> set[str]:
    """The département a CPTS name names ("Sud Yvelines"; "Nord" only when it is the whole name, "CPTS du
    Nord": "Nord Finistère" is in the Finistère, "Pays d'Auge Nord" is the north of the Pays d'Auge) or that of
    the commune it is named after: every word of the name but "CPTS", small words and qualifiers ("Grand",
    "Sud") belongs to one commune name."""
    if not name:
        return set()
    qualifiers = folded_cues("name_qualifier")
    found = [m["dept"] for m in regexes()["dept"].finditer(name)]
    named = {departements()[d] for d in found if fold(d) not in qualifiers}
    if named:
        return named
    if found and not [w for w in name_words(name) if w not in _NAME_WORDS | qualifiers]:
        return {departements()[d] for d in found}
    return _towns(name, year, context, regions, reference) if _town_in(name, qualifiers) else set()


def town_named(name: str | None) -> str | None:
    """The commune a CPTS is named after with no qualifier ("CPTS de Pantin" -> Pantin; not "CPTS du Grand
    Douai", whose territory is around Douai), as written in the name."""
    return _town_in(name or "", frozenset())


def _town_in(name: str, qualifiers: frozenset[str]) -> str | None:
    """The one commune name ``name`` holds when its other words are only its kind, small words or ``qualifiers``."""
    hits = [h for h in gazetteer().find(name) if not h.common]
    if len(hits) != 1:
        return None
    rest = [w for w in name_words(name) if w not in hits[0].words and w not in _NAME_WORDS | qualifiers]
    return None if rest else name[hits[0].start : hits[0].end]


_NAME_WORDS = frozenset("cpts communaute professionnelle territoriale de sante du des d la le les l".split())
"""Words of a CPTS name that are its kind or small words."""
_KICKER = re.compile(r"^\s*(?P<town>[^:.\n–—]{2,60}?)\s?[:.–—]\s")
"""A title opening with a town and a colon, full stop or dash: "Vitré. Les soignants…", "Saint-Paul : …"."""


def _headline_town(title: str | None, year: int, context: set[str], regions: set[str], reference: Reference) -> set[str]:
    """The département of the town a title opens with, when the opening is exactly one commune's name."""
    kicker = _KICKER.match(title or "")
    if kicker is None:
        return set()
    town = kicker["town"]
    hits = gazetteer().find(town)
    if len(hits) != 1 or hits[0].common or town[hits[0].start : hits[0].end] != town.strip():
        return set()
    return _towns(town, year, context, regions, reference)


def _towns(phrase: str, year: int, context: set[str], regions: set[str], reference: Reference) -> set[str]:
    """The one département the communes ``phrase`` names point to, narrowed by the text's départements and
    régions when a name has homonyms; nothing when they disagree or stay ambiguous."""
    found = set()
    for hit in gazetteer().find(phrase):
        if hit.common:
            continue
        depts = {c.departement for c in reference.lookup(phrase[hit.start : hit.end], year)} - {None}
        narrowed = (depts & context) or {d for d in depts if reference.region_of(d) in regions} or depts
        if len(narrowed) != 1:
            return set()
        found |= narrowed
    return found if len(found) == 1 else set()


def _signing(text: str, funder: PlaceMention) -> bool:
    """True when the sentence of a funder's mention says it signs or funds ("signé avec", "financé par")."""
    start = max(text.rfind(".", 0, funder.char_start), text.rfind("\n", 0, funder.char_start)) + 1
    end = re.compile(r"[.\n]").search(text, funder.char_end)
    words = re.findall(r"[a-z]+", fold(text[start : end.start() if end else len(text)]))
    cues = tuple(folded_cues("signing"))
    return any(w.startswith(cues) for w in words)
