"""Declared figures of a CPTS (population, communes, members) and the one the cpts table keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GOLD_CASES

from pipeline.ingest import normalise_text
from pipeline.normalise.figures import declared_figure
from pipeline.parse.figures import extract_figures
from pipeline.records import Figure

ROOT = Path(__file__).resolve().parent.parent



def _figures(segmented, text: str) -> list[Figure]:
    doc = segmented(normalise_text(text))
    found = extract_figures(doc)
    for f in found:
        assert doc.text[f.char_start : f.char_end] == f.text
    return found


def _values(segmented, text: str) -> list[tuple[str, int, str]]:
    return [(f.kind, f.value, f.qualifier) for f in _figures(segmented, text)]


POSITIVE = [
    ("label-same-line", "Population couverte : 52 340 habitants", [("population", 52340, "exact")]),
    ("label-next-line", "Population couverte :\n\n61 200", [("population", 61200, "exact")]),
    ("territoire-de-communes", "La CPTS couvre un territoire de 27 communes.", [("communes", 27, "exact")]),
    (
        "population-and-communes",
        "Le territoire, qui compte 64 200 habitants, s'étend sur 41 communes.",
        [("population", 64200, "exact"), ("communes", 41, "exact")],
    ),
    ("au-service-plus-de", "Au service de plus de 75 000 habitants, la CPTS agit.", [("population", 75000, "at_least")]),
    ("population-environ", "Elle dessert une population d'environ 120 000 habitants.", [("population", 120000, "approx")]),
    (
        "soit-after-epci",
        "Le territoire regroupe 2 communautés de communes, soit 33 870 habitants.",
        [("population", 33870, "exact")],
    ),
    ("population-without-noun", "La CPTS dessert une population de 58 400 personnes.", [("population", 58400, "exact")]),
    ("communes-label", "Communes : 18", [("communes", 18, "exact")]),
    ("habitants-label", "Habitants : 36 500", [("population", 36500, "exact")]),
    ("postposed-environ", "La CPTS couvre 30 communes, soit 40 000 habitants environ.", [("communes", 30, "exact"), ("population", 40000, "approx")]),
    (
        "city-then-cpts",
        "La ville-centre, Vienne, compte 30 000 habitants ; la CPTS couvre 70 000 habitants.",
        [("population", 70000, "exact")],
    ),
    ("nombre-de-communes-label", "Nombre de communes :\n22", [("communes", 22, "exact")]),
    ("communes-in-words", "La CPTS des Coteaux s'étend sur vingt-deux communes.", [("communes", 22, "exact")]),
    (
        "pres-de-and-communes",
        "Près de 45 000 habitants vivent sur les 36 communes de la CPTS.",
        [("population", 45000, "approx"), ("communes", 36, "exact")],
    ),
    ("members", "La CPTS regroupe 88 adhérents.", [("members", 88, "exact")]),
    ("members-approx", "Elle fédère une soixantaine de professionnels de santé.", [("members", 60, "approx")]),
    ("whole-and-part", "La CPTS couvre 40 communes dont 12 communes dans l'Ain.", [("communes", 40, "exact")]),
    (
        "communes-pour-habitants",
        "Son territoire compte 23 communes pour 47 500 habitants.",
        [("communes", 23, "exact"), ("population", 47500, "exact")],
    ),
    ("bulleted-labels", "• Population : 58 000\n• Communes : 19", [("population", 58000, "exact"), ("communes", 19, "exact")]),
    ("pipe-labels", "Habitants | 73 400\nCommunes | 35", [("population", 73400, "exact"), ("communes", 35, "exact")]),
    (
        "all-communes-of-epci",
        "Territoire : les 14 communes de la communauté de communes du Val d'Amboise",
        [("communes", 14, "exact")],
    ),
    (
        "pour-after-comma",
        "Elle s'étend sur 44 communes, de Quimperlé à Bannalec, pour près de 38 000 habitants.",
        [("communes", 44, "exact"), ("population", 38000, "approx")],
    ),
    (
        "pour-after-verb",
        "Ses 52 adhérents se mobilisent pour environ 71 000 habitants, dont beaucoup n'ont pas de médecin traitant.",
        [("members", 52, "exact"), ("population", 71000, "approx")],
    ),
    (
        "agit-pour",
        "La communauté agit pour plus de 25 000 habitants.",
        [("population", 25000, "at_least")],
    ),
    (
        "table-of-cpts",
        "CPTS | Département | Population couverte | Adhérents\n"
        "CPTS du Vexin | Val-d'Oise | 54 300 | 77\n"
        "CPTS Sud Touraine | Indre-et-Loire | 31 900 | 42",
        [("population", 54300, "exact"), ("members", 77, "exact"), ("population", 31900, "exact"), ("members", 42, "exact")],
    ),
    (
        "table-of-cpts-communes-column",
        "Communauté | Communes | Habitants\nCPTS Pays de Retz | 19 | 66 000",
        [("communes", 19, "exact"), ("population", 66000, "exact")],
    ),
    (
        "table-of-cpts-named-in-the-second-column",
        "Département | CPTS | Date de signature | Communes | Population\n"
        "Loiret | CPTS Giennoise | 15/11/2022 | 22 | 44 100\n"
        "Cher | CPTS du Pays de Vierzon | 03/03/2022 | 19 | 41 500",
        [("communes", 22, "exact"), ("population", 44100, "exact"), ("communes", 19, "exact"), ("population", 41500, "exact")],
    ),
    (
        "population-phrase-with-a-long-complement",
        "La population couverte par la CPTS du Lez est estimée à 70 000 personnes.",
        [("population", 70000, "exact")],
    ),
    (
        "ames-for-habitants",
        "Le bassin de vie compte environ 18 500 âmes l'été.",
        [("population", 18500, "approx")],
    ),
    (
        "census-year-in-brackets",
        "Notre territoire compte 41 200 habitants (INSEE 2019) répartis sur 23 communes.",
        [("population", 41200, "exact"), ("communes", 23, "exact")],
    ),
    (
        "neighbours-without-et",
        "La CPTS regroupe 17 communes limitrophes de Nancy.",
        [("communes", 17, "exact")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in POSITIVE], ids=[c[0] for c in POSITIVE])
def test_figures(segmented, text, expected):
    assert _values(segmented, text) == expected


NEGATIVE = [
    ("region", "La région compte 8 millions d'habitants."),
    ("any-one-cpts-on-average", "Une CPTS couvre en moyenne 60 000 habitants."),
    ("city", "Roanne, ville de 34 000 habitants, accueille l'hôpital."),
    ("commune-in-brackets", "La commune de Givors (20 000 habitants) accueille la permanence."),
    ("departement-communes", "Le département compte 323 communes."),
    ("epci-part", "14 communes de la communauté de communes du Pays de Gex"),
    ("split-by-departement", "22 communes dans l'Isère et 3 communes dans la Drôme"),
    ("ratio", "Le territoire compte un médecin pour 1 500 habitants."),
    ("density", "La densité est de 45 habitants au km²."),
    ("sub-population", "On dénombre 2 300 habitants de plus de 75 ans."),
    ("percentage", "Le département de la Loire sera couvert à plus de 80% par une CPTS."),
    ("target-communes", "L'objectif est de couvrir 60 communes d'ici 2025."),
    ("money", "La CPTS recevra 250 000 € sur 5 ans."),
    ("island", "L'île compte 860 000 habitants."),
    ("target-box", "Objectifs à cinq ans :\nCommunes | 45\nPopulation couverte : 90 000"),
    ("without-gp", "Sur le territoire, 4 000 habitants sont sans médecin traitant."),
    ("event", "En 2019, 12 000 habitants ont consulté aux urgences."),
    ("fraction", "La CPTS couvre la moitié des 80 communes du département."),
    ("ratio-after-profession", "On compte 4 kinésithérapeutes libéraux pour 10 000 habitants."),
    ("ratio-un-generaliste", "Soit un généraliste pour 1 800 habitants, contre un pour 1 100 en France."),
    ("communes-ainsi-que", "Le territoire comprend le 19e arrondissement de Paris ainsi que deux communes voisines."),
    ("communes-plus-sign", "Vannes + 6 communes"),
    ("communes-et-voisines", "La CPTS couvre Lorient et 11 communes limitrophes."),
    ("communes-s-ajoutent", "À ces cinq communes s'ajoutent celles de la communauté de communes du Sel."),
    ("city-of-ames", "Privas, ville de 8 000 âmes, accueille la réunion."),
    ("column-of-commune-table", "Commune | Habitants\nAuray | 14 000\nPluvigner | 7 600"),
    ("commune-table-with-its-cpts", "Commune | CPTS | Habitants\nAuray | CPTS Auray Belle-Île | 14 000\nPluvigner | CPTS Auray Belle-Île | 7 600"),
    (
        "column-in-target-table",
        "Objectifs à 2026 :\nCPTS | Adhérents | Population couverte\nCPTS du Vexin | 150 | 60 000",
    ),
]


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_figures(segmented, text):
    assert _values(segmented, text) == []


def test_labelled_flag(segmented):
    (figure,) = _figures(segmented, "Territoire :\n30 communes autour de Tarare")
    assert figure.labelled and figure.text == "Territoire :\n30 communes"


DECLARED = [
    (
        "exact-beats-looser",
        "Avec une population de 96 000 habitants, la CPTS est grande. Au service de plus de 90 000 habitants, elle agit.",
        "population",
        (96000, "exact"),
    ),
    (
        "label-beats-prose",
        "La CPTS couvre près de 50 000 habitants.\nPopulation couverte : 48 950",
        "population",
        (48950, "exact"),
    ),
    ("approx-only", "Au service de près de 150 000 habitants, la CPTS agit.", "population", (150000, "approx")),
    (
        "headline-keeps-the-hedge",
        "Douze communes et 81 000 habitants\nLa CPTS couvre douze communes, soit quelque 81 000 habitants.",
        "population",
        (81000, "approx"),
    ),
    (
        "box-keeps-the-hedge",
        "Population : 30 000\nLa CPTS dessert environ 30 000 habitants.",
        "population",
        (30000, "approx"),
    ),
    ("none-stated", "La CPTS regroupe 70 adhérents.", "population", None),
    (
        "stated-most-often",
        "Elle s'étend sur 31 communes. Un article cite 29 communes. Les 31 communes de la CPTS sont rurales.",
        "communes",
        (31, "exact"),
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected"), [c[1:] for c in DECLARED], ids=[c[0] for c in DECLARED])
def test_declared_figure(segmented, text, kind, expected):
    chosen = declared_figure(_figures(segmented, text), kind)
    assert ((chosen.value, chosen.qualifier) if chosen else None) == expected



@pytest.mark.parametrize("gold_path", GOLD_CASES)
def test_shipped_texts_declared_figures(segmented, gold_path):
    gold = json.loads(gold_path.read_text("utf-8"))
    figures = _figures(segmented, (ROOT / "raw" / gold["doc"]).read_text("utf-8"))
    cpts = gold["cpts"][0]
    population = declared_figure(figures, "population")
    communes = declared_figure(figures, "communes")
    members = declared_figure(figures, "members")
    assert (population.value, population.qualifier) == (cpts["population_declared"], cpts["population_qualifier"])
    assert communes.value == cpts["communes_declared"]
    assert members.value == cpts["members_declared"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("La CPTS couvre 40 000 communes.", [], id="more-communes-than-france"),
        pytest.param("La CPTS couvre 999 999 999 999 habitants.", [], id="more-people-than-france"),
        pytest.param("La CPTS regroupe 3 000 000 000 adhérents.", [], id="members-beyond-any-count"),
        pytest.param("Territoire :\n2147483648\n30 communes autour de la ville.", [("communes", 30, "exact")],
                     id="pasted-number-under-a-label"),
        pytest.param("La CPTS couvre 2 100 000 habitants.", [("population", 2100000, "exact")], id="large-but-possible"),
    ],
)
def test_a_count_beyond_national_totals_is_no_figure(segmented, text, expected):
    """A typo or a pasted code must not reach a dashboard, nor overflow the table's integer column (a fuzz
    find: a 10-digit number under "Territoire :" made the document's rows unwritable)."""
    assert _values(segmented, text) == expected


def test_a_headcount_beyond_national_totals_is_no_headcount(segmented):
    from pipeline.parse.headcounts import extract_headcounts

    assert extract_headcounts(segmented(normalise_text("La CPTS regroupe 3 000 000 000 adhérents."))) == []
