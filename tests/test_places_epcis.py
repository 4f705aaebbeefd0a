"""Intercommunalités in the forms writers use, resolved against the real reference.

Phrasings written for each phenomenon of real communiqués, in our own words,
with negatives (a partitive, an intercommunalité only mentioned).
"""

from __future__ import annotations

import pytest

from pipeline.catalog import REFERENCE_DIR
from pipeline.ingest import normalise_text
from pipeline.normalise.cog import load_reference
from pipeline.normalise.communes import resolve_territory
from pipeline.parse.nlp import build_nlp
from pipeline.parse.places.component import extract_places


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _territory_epcis(nlp, text: str, year: int = 2022) -> set[str]:
    doc = nlp(normalise_text(text))
    places = extract_places(doc)
    assert all(p.rule for p in places)
    territory = resolve_territory(places, year=year, title=None, text=doc.text, reference=load_reference(REFERENCE_DIR))
    return {row.epci_siren for row in territory.communes if row.method == "epci"}


FOUND = [
    (
        "plural-form-whose-second-name-holds-et",
        "La CPTS du Pays Bressan couvre les communautés de communes de la Veyle et de Bresse et Saône.",
        {"200070555", "200071371"},
    ),
    (
        "plural-form-whose-first-name-holds-et",
        "La CPTS du Pays Bressan couvre les communautés de communes de Bresse et Saône et de la Veyle.",
        {"200070555", "200071371"},
    ),
    (
        "intervient-sur-is-a-territory-word",
        "La CPTS de la Bresse intervient sur les communautés de communes Terres de Bresse et Bresse Revermont.",
        {"200071538", "200042414"},
    ),
    (
        "lower-case-words-in-the-official-name",
        "La CPTS couvre le périmètre de la communauté de communes des sources du lac d'Annecy.",
        {"247400773"},
    ),
    (
        "plural-form-items-separated-by-semicolons",
        "Son territoire correspond aux communautés de communes du Serein ; Le Tonnerrois en Bourgogne ; "
        "et Avallon-Vézelay-Morvan, soit 50 000 habitants.",
        {"200039709", "200039642", "200039758"},
    ),
    (
        "agglomeration-named-by-its-town",
        "La CPTS s'étend sur les communes de l'agglomération de Bergerac.",
        {"200070647"},
    ),
    (
        "acronym-defined-then-used",
        "La communauté d'agglomération du Pays de Saint-Omer (CAPSO) soutient le projet. "
        "Le territoire de la CPTS couvre la CAPSO.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FOUND], ids=[c[0] for c in FOUND])
def test_territory_epci_found(nlp, text, expected):
    got = _territory_epcis(nlp, text)
    if expected is None:
        assert len(got) == 1
    else:
        assert got == expected


NOT_TERRITORY = [
    ("partitive", "La CPTS couvre une partie de l'agglomération de Bergerac."),
    ("only-mentioned", "Le maire a présenté l'agglomération de Bergerac aux soignants."),
    ("acronym-defined-as-a-funder", "La communauté d'agglomération du Pays de Saint-Omer (CAPSO) a financé les locaux."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_TERRITORY], ids=[c[0] for c in NOT_TERRITORY])
def test_no_territory_epci(nlp, text):
    assert _territory_epcis(nlp, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le territoire de la CPTS couvre Lorient Agglomération.", {"200042174"}),
        ("La CPTS s'étend sur Brest Métropole.", {"242900314"}),
        ("Brest Métropole a financé les locaux de la CPTS.", set()),
    ],
    ids=["agglomeration-by-its-official-name", "metropole-by-its-official-name", "official-name-as-a-funder"],
)
def test_epci_by_its_official_name(nlp, text, expected):
    assert _territory_epcis(nlp, text) == expected
