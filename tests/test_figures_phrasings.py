"""Declared figures (population, communes) in the ways real writers phrase them, grouped by origin.

Our own phrasings of phenomena found on the development set, with negatives
(another place's, another CPTS's, CPTS in general, fractions, parts of a
split territory). Each case checks the ``rule`` (the cue that found the figure).
"""

from __future__ import annotations

import pytest

from pipeline.ingest import normalise_text
from pipeline.normalise.figures import declared_figure
from pipeline.parse.figures import extract_figures


def _values(segmented, text: str) -> list[tuple[str, int, str, str]]:
    doc = segmented(normalise_text(text))
    found = extract_figures(doc)
    for f in found:
        assert doc.text[f.char_start : f.char_end] == f.text
    return [(f.kind, f.value, f.qualifier, f.rule) for f in found]


# Phenomena seen on the development set of real communiqués (rephrased).
DEV_PHENOMENA = [
    (
        "communes-of-the-epci-it-covers",
        "La CPTS s'étend sur 42 communes de la communauté de communes du Pays de Lure.",
        [("communes", 42, "exact", "communes_noun")],
    ),
    (
        "sur-les-villes",
        "Sur les cinq villes, la CPTS dessert 88 000 habitants.",
        [("communes", 5, "exact", "towns_noun"), ("population", 88000, "exact", "habitants_noun")],
    ),
    (
        "couvre-trois-villes",
        "La CPTS couvre trois villes : Alfortville, Maisons-Alfort et Créteil.",
        [("communes", 3, "exact", "towns_noun")],
    ),
    (
        "territory-qui-totalise",
        "La CPTS rassemble 140 adhérents sur un territoire de 12 communes qui totalise 61 000 habitants.",
        [
            ("members", 140, "exact", "members_noun"),
            ("communes", 12, "exact", "communes_noun"),
            ("population", 61000, "exact", "habitants_noun"),
        ],
    ),
    (
        "soit-pres-de-desservis",
        "Son périmètre correspond à trois communautés de communes, soit près de 52 000 habitants desservis.",
        [("population", 52000, "approx", "habitants_noun")],
    ),
]

OTHER_PHRASINGS = [
    (
        "personnes-covered",
        "La CPTS couvre un bassin de 110 000 personnes.",
        [("population", 110000, "exact", "persons_population")],
    ),
    (
        "territoire-d-intervention",
        "Le territoire d'intervention : 23 communes, 41 000 habitants.",
        [("communes", 23, "exact", "communes_noun"), ("population", 41000, "exact", "habitants_noun")],
    ),
    (
        "ames-reparties",
        "Le territoire compte environ 33 000 âmes réparties sur onze communes.",
        [("population", 33000, "approx", "habitants_noun"), ("communes", 11, "exact", "communes_noun")],
    ),
    (
        "vivent-sur-le-territoire",
        "Près de 45 000 habitants vivent sur le territoire de la CPTS.",
        [("population", 45000, "approx", "habitants_noun")],
    ),
    (
        "regroupe-communes-pour-habitants",
        "Le territoire de la CPTS regroupe 19 communes pour 47 500 habitants.",
        [("communes", 19, "exact", "communes_noun"), ("population", 47500, "exact", "habitants_noun")],
    ),
]

NEGATIVE = [
    ("one-commune-most-populous", "Avec 52 000 habitants, la commune de Vannes est la plus peuplée du territoire."),
    ("city-is-the-largest", "Avec 31 000 habitants, Lisieux reste la ville la plus peuplée de la CPTS."),
    (
        "fraction-restated",
        "Dans la commune, 11,2 % des habitants (soit 4 310 habitants) vivent sous le seuil de pauvreté.",
    ),
    ("split-territory", "Le territoire couvre 28 communes de la CA du Grand Dole et 4 de la CC Jura Nord."),
    ("towns-not-covered", "La CPTS travaille avec les hôpitaux de deux villes voisines."),
    (
        "another-cpts",
        "Il s'agit de la 2e CPTS du secteur : la première, qui couvre le reste du département, "
        "avait été signée en mars 2021 par 64 professionnels répartis dans 81 communes.",
    ),
    ("cpts-in-general", "Les CPTS du département couvrent 540 communes."),
    ("en-france", "En France, 38 millions d'habitants sont couverts par une CPTS."),
    ("density", "On compte 2 115,4 habitants au km2 sur l'ensemble de la CPTS."),
    ("personnes-per-doctor", "On compte un médecin pour 2 000 personnes."),
    ("personnes-attending", "Près de 300 personnes ont assisté à la soirée de lancement."),
]

KNOWN_MISSES = [
    (
        "split-territory-total",
        # the parts are not added up into the whole: 28 + 4 would be a computation, not a statement
        "Le territoire couvre 28 communes de la CA du Grand Dole et 4 de la CC Jura Nord.",
        [("communes", 32, "exact", "communes_noun")],
    ),
]


def _params(table):
    return pytest.mark.parametrize(("text", "expected"), [c[1:] for c in table], ids=[c[0] for c in table])


@_params(DEV_PHENOMENA)
def test_dev_phenomena(segmented, text, expected):
    assert _values(segmented, text) == expected


@_params(OTHER_PHRASINGS)
def test_other_phrasings(segmented, text, expected):
    assert _values(segmented, text) == expected


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_figures(segmented, text):
    assert _values(segmented, text) == []


@pytest.mark.xfail(strict=True, reason="known miss: see the comment of each case")
@_params(KNOWN_MISSES)
def test_known_misses(segmented, text, expected):
    assert _values(segmented, text) == expected


def test_commune_population_does_not_become_the_declared_one(segmented):
    """A commune's population in the same text as the CPTS's never wins the declared figure."""
    text = (
        "La CPTS couvre 14 communes et 58 300 habitants.\n"
        "Avec 21 000 habitants, la ville de Dreux est la plus peuplée de la CPTS."
    )
    figure = declared_figure(extract_figures(segmented(normalise_text(text))), "population")
    assert figure is not None and (figure.value, figure.rule) == (58300, "habitants_noun")
