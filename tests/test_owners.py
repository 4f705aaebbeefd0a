"""Which CPTS a fact belongs to, in communiqués about one or several CPTS."""

import pytest

from pipeline.parse.owners import Owners
from pipeline.parse.names import extract_cpts_names, main_cpts

SECTIONS = (
    "Le 3 mai 2023, trois nouvelles CPTS ont signé leur contrat.\n"
    "CPTS du Val d'Orge\nAdhérents : 80\n"
    "CPTS Essonne Sud\nAdhérents : 95\n"
    "CPTS Plateau de Saclay\nAdhérents : 60\n"
    "L'ARS a financé chacun des projets de santé à hauteur de 15 000 €. "
    "Au total, les trois CPTS recevront 900 000 € par an."
)


def _owners(nlp, text):
    names = extract_cpts_names(nlp(text))
    return Owners(main_cpts(names, text), names, text)


@pytest.mark.parametrize(
    "phrase,expected",
    [
        ("3 mai 2023", ("val-d-orge", "essonne-sud", "plateau-de-saclay")),
        ("Adhérents : 80", ("val-d-orge",)),
        ("Adhérents : 95", ("essonne-sud",)),
        ("Adhérents : 60", ("plateau-de-saclay",)),
        ("15 000 €", ("val-d-orge", "essonne-sud", "plateau-de-saclay")),
        ("900 000 €", ()),
    ],
    ids=["introduction is shared", "first section", "second section", "third section", "chacun des", "a total is no one's"],
)
def test_sections_and_shared_statements(nlp, phrase, expected):
    owners = _owners(nlp, SECTIONS)
    assert owners(SECTIONS.index(phrase)) == expected


def test_one_cpts_owns_everything(nlp):
    text = "La CPTS Grand Lyon, après la CPTS Val de Saône, signe. La CPTS Grand Lyon réunit 50 membres. Au total 3 CPTS."
    owners = _owners(nlp, text)
    assert owners(text.index("50")) == ("grand-lyon",)
    assert owners(text.index("3 CPTS")) == ("grand-lyon",)


def test_a_fact_belongs_to_the_cpts_of_its_own_sentence(nlp):
    """A president named before the CPTS in the same sentence presides that CPTS, not the one before."""
    text = (
        "Anne Roux, présidente de la CPTS Sud Lys, a ouvert la journée. "
        "Marc Dupin, président de la CPTS Nord Lys, a pris la parole. La CPTS Nord Lys compte 90 membres."
    )
    owners = _owners(nlp, text)
    assert owners(text.index("Anne Roux")) == ("sud-lys",)
    assert owners(text.index("Marc Dupin")) == ("nord-lys",)
    assert owners(text.index("90 membres")) == ("nord-lys",)
