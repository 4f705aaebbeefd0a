"""Declared figures of the CPTS: population covered, number of communes, members.

``extract_figures`` returns every candidate in document order; the cpts table
takes one per kind through ``pipeline.normalise.figures.declared_figure``. Quantities and their
qualifiers are read as in ``pipeline.parse.headcounts``; cues are in
``patterns/count_cues.jsonl``, each read in the windows its row names. A
figure's ``rule`` is the cue that found it (``habitants_noun``,
``population_label``, ``communes_noun``...), a members figure keeps its
headcount's rule.

- Population: a quantity of "habitants" (or of "personnes" a CPTS covers or
  serves: "couvre un bassin de 110 000 personnes"; "une population de 96 850
  habitants", "des 18 750 habitants", "soit 40 513 habitants", "au service de
  près de 150 000 habitants"), or the number a "population" phrase or a label
  introduces ("Population couverte :", "Habitants :", the value possibly on a
  following line, after a bullet or in a table flattened to "Habitants | 41
  200"; a label is ``labelled``, unless its box states targets, "Objectifs
  2025 :"). Not the population of something
  else: a région, département, commune or city named in its clause or as its
  sentence's subject ("la région compte 8 millions d'habitants", "Roanne,
  ville de 35 000 habitants"), a part or fraction ("dont 12 000 habitants"),
  a ratio ("un médecin pour 2 000 habitants", "45 habitants au km²"), a
  sub-population or an event ("3 000 habitants de plus de 75 ans", "4 000
  habitants sont sans médecin traitant", "12 000 habitants ont consulté").
  "pour" makes a ratio only right after a count and its noun ("un médecin
  pour 2 000 habitants"); after a verb or a comma it introduces the population
  served ("ses adhérents se mobilisent pour près de 60 000 habitants").
  A table's column header is a label too ("CPTS | Population couverte |
  Adhérents" over one row per CPTS).
- Communes: a quantity of "communes" ("sur 25 communes", "couvre 50
  communes", "30 Communes autour de ...") or a label ("Communes : 30",
  "Territoire :" then "30 communes", "27 communes pour 54 000 habitants"), but
  not a part of the territory ("12 communes de la communauté de communes X",
  "29 communes dans le Rhône et une dans la Loire", "dont 5 communes", communes
  added to another place or that others are added to: "les 13e et 14e
  arrondissements ainsi que trois communes voisines", "Vannes et 12 communes
  limitrophes", "À ces huit communes s'ajoutent celles de la CC X") nor the
  communes of a département; "les 20 communes de la communauté
  d'agglomération X" or "la CPTS s'étend sur 31 communes de la CC X" are all
  of them, the whole territory, unless another part follows ("28 communes de la
  CA X et 4 de la CC Y"). "villes" count communes when the CPTS covers them
  ("sur les trois villes", "couvre quatre villes").
- Any figure: not one of CPTS in general ("Les CPTS du département couvrent
  540 communes"), of another CPTS ("la première, qui couvre ..., 81 communes")
  or set in a wider place ("En France, ..."); a population is not one
  commune's ("Avec 52 000 habitants, la commune de X est la plus peuplée") nor
  a fraction restated ("11 % des habitants (soit 4 310 habitants)").
- Members: the members headcounts of ``pipeline.parse.headcounts``.

Targets ("d'ici 2025", "objectif", "à terme") are dropped.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.headcounts import (
    Quantity,
    Scope,
    ceiling,
    cue,
    extract_headcounts,
    fires,
    in_target_box,
    is_target,
    label_start,
    postposed,
)
from pipeline.records import Figure, FigureKind

Doc.set_extension("figures", default=None, force=True)

def _figure(scope: Scope, kind: FigureKind, q: Quantity, start: int | None, end: int, rule: str) -> Figure:
    """The figure of ``q``; ``start`` is its label's start when a label introduces it; ``rule`` the cue that found it."""
    qualifier, end = postposed(scope, q, end)
    start, labelled = (q.start, False) if start is None else (start, True)
    return Figure(
        kind=kind,
        value=q.value,
        qualifier=qualifier,
        labelled=labelled,
        text=scope.text[start:end],
        char_start=start,
        char_end=end,
        rule=rule,
    )


def _of_something_else(scope: Scope, q: Quantity, end: int) -> bool:
    """A part, a fraction, a target, or the figure of a place named as the clause's subject."""
    return any(fires(scope, name, q.start, end) for name in _SOMETHING_ELSE) or is_target(
        scope, q.start, end, "figure_target"
    )


_SOMETHING_ELSE = (
    "part_before",
    "fraction_before",
    "geo_subject",
    "geo_sentence_subject",
    "wider_place_setting",
    "cpts_in_general",
    "on_average",
    "other_cpts_subject",
)
"""Cues saying a figure is a part, a fraction, or the figure of a wider place, of CPTS in general or of another CPTS."""


def _label(scope: Scope, q: Quantity, name: str) -> int | None:
    """Start of the label ``name`` that introduces ``q``, unless its box states targets ("Objectifs 2025 :")."""
    start = label_start(scope, q, name)
    return None if start is None or in_target_box(scope, start) else start


def _population(scope: Scope, q: Quantity) -> Figure | None:
    noun = cue("habitants_noun").match(scope.at(q.end))
    persons = None if noun else cue("persons_population").match(scope.at(q.end))
    if persons and fires(scope, "population_covered_before", q.start, q.end):
        noun = persons
    label = _label(scope, q, "population_label")
    if persons and noun is persons:
        rule = "persons_population"
    elif noun:
        rule = "habitants_noun"
    elif label is not None:
        rule = "population_label"
    elif fires(scope, "population_before", q.start, q.end):
        rule = "population_before"
    else:
        return None
    end = q.end + noun.end() if noun else q.end
    if label is None and (
        _of_something_else(scope, q, end) or any(fires(scope, name, q.start, end) for name in _NOT_POPULATION)
    ):
        return None
    return _figure(scope, "population", q, label, end, rule)


_NOT_POPULATION = (
    "per_unit_before",
    "per_unit_after",
    "subpopulation_after",
    "event_after",
    "no_gp",
    "place_subject_after",
)
"""Cues saying a number of habitants is a ratio, a density, a sub-population, an event or another place's."""


def _communes(scope: Scope, q: Quantity) -> Figure | None:
    noun = cue("communes_noun").match(scope.at(q.end))
    towns = None if noun else cue("towns_noun").match(scope.at(q.end))
    if towns and not fires(scope, "towns_covered_before", q.start, q.end):
        towns = None
    label = _label(scope, q, "communes_label")
    if not (noun or towns) and (label is None or scope.at(q.end).strip(" ")[:1].isalpha()):
        return None
    rule = "communes_noun" if noun else "towns_noun" if towns else "communes_label"
    end = q.end + (noun or towns).end() if (noun or towns) else q.end
    if label is None and _of_something_else(scope, q, end):
        return None
    whole = fires(scope, "communes_whole_before", q.start, end)
    if (fires(scope, "communes_part_after", q.start, end) and not whole) or fires(
        scope, "communes_split_after", q.start, end
    ):
        return None
    added = (
        fires(scope, "communes_added_before", q.start, end)
        or fires(scope, "communes_added_after", q.start, end)
        or (fires(scope, "communes_and_before", q.start, end) and fires(scope, "communes_neighbours_after", q.start, end))
    )
    if added or fires(scope, "communes_part_before", q.start, end):
        return None
    return _figure(scope, "communes", q, label, end, rule)


def extract_figures(doc: Doc) -> list[Figure]:
    """Every candidate population, communes and members figure, in document order."""
    scope = Scope.of(doc)
    found = [f for q in scope.quantities for f in (_population(scope, q), _communes(scope, q)) if f]
    labels = {label_start(scope, q, "member_label") for q in scope.quantities}
    for h in extract_headcounts(doc):
        if h.category == "members":
            found.append(
                Figure(
                    kind="members",
                    value=h.count,
                    qualifier=h.qualifier,
                    labelled=h.char_start in labels,
                    text=h.text,
                    char_start=h.char_start,
                    char_end=h.char_end,
                    rule=h.rule,
                )
            )
    return sorted((f for f in found if f.value <= ceiling(f.kind)), key=lambda f: f.char_start)


@Language.component("cpts_figures")
def figures_component(doc: Doc) -> Doc:
    doc._.figures = extract_figures(doc)
    return doc
