"""Départements and région of a CPTS from every sound clue, when its territory communes do not give them.

Our own phrasings of each clue met in real communiqués, with the negatives
that must give nothing: a département or a caisse named as somewhere else.
"""

from __future__ import annotations

import pytest

from pipeline.catalog import REFERENCE_DIR
from pipeline.ingest import normalise_text
from pipeline.normalise.cog import load_reference
from pipeline.normalise.communes import resolve_territory
from pipeline.parse.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _codes(nlp, text: str, name: str | None = None) -> tuple[list[str], str | None]:
    """``text``'s first line is its title, as in a communiqué."""
    text = normalise_text(text)
    places = nlp(text)._.places
    territory = resolve_territory(
        places,
        year=2023,
        title=text.split("\n")[0],
        text=text,
        reference=load_reference(REFERENCE_DIR),
        document_places=places,
        name=name,
    )
    return territory.departement_codes, territory.region_code


CLUES = [
    (
        "two-departements-joined",
        "Santé en Savoie-Isère : une CPTS interdépartementale\nLa CPTS a signé.",
        None,
        (["38", "73"], "84"),
    ),
    ("departement-in-the-cpts-name", "Une journée des soignants\nLa CPTS a signé.", "CPTS Nord Finistère", (["29"], "53")),
    ("nord-the-whole-name", "Une journée des soignants\nLa CPTS a signé.", "CPTS du Nord", (["59"], "32")),
    ("town-in-the-cpts-name", "Une journée des soignants\nLa CPTS a signé.", "CPTS du Grand Périgueux", (["24"], "75")),
    (
        "signing-caisse",
        "Un contrat pour les soignants\nLe contrat a été signé avec la caisse primaire d'assurance maladie de l'Aude.",
        None,
        (["11"], "76"),
    ),
    ("headline-town", "Lannion. Les soignants libéraux s'organisent\nLa CPTS a signé.", None, (["22"], "53")),
    (
        "headline-homonym-narrowed-by-the-region-named",
        "Saint-Denis : une convention avec la CPTS\nDans les quartiers de La Réunion, la CPTS agit.",
        None,
        (["974"], "04"),
    ),
    ("union-of-professionals-gives-the-region", "Une CPTS\nAvec le soutien de l'URPS Normandie.", None, ([], "28")),
]


@pytest.mark.parametrize(("text", "name", "expected"), [c[1:] for c in CLUES], ids=[c[0] for c in CLUES])
def test_clue_gives_departements(nlp, text, name, expected):
    assert _codes(nlp, text, name) == expected


NO_CLUE = [
    (
        "caisse-as-a-guests-employer",
        "Une journée des CPTS\nÉtait présent le directeur de la CPAM de l'Essonne, invité à la tribune.",
        None,
    ),
    ("departement-only-mentioned", "Une CPTS\nLe président, originaire de Montreuil (93), a parlé.", None),
    ("name-not-only-a-town", "Une journée\nLa CPTS a signé.", "CPTS Sud Ard'Val"),
    ("common-word-kicker", "Santé : une nouvelle CPTS\nLa CPTS a signé.", None),
    ("ambiguous-headline-town", "Saint-Denis : une convention avec la CPTS\nLa CPTS agit.", None),
    ("nord-qualifying-an-area", "Une journée\nLa CPTS a signé.", "CPTS Vexin Nord"),
    ("nord-qualifying-a-pays", "Une journée\nLa CPTS a signé.", "CPTS du Pays d'Auge Nord"),
]


@pytest.mark.parametrize(("text", "name"), [c[1:] for c in NO_CLUE], ids=[c[0] for c in NO_CLUE])
def test_no_clue_gives_nothing(nlp, text, name):
    assert _codes(nlp, text, name)[0] == []


def test_cpts_named_after_a_town_covers_it(nlp):
    text = "Naissance d'une CPTS\nLes soignants ont créé la CPTS de Pantin."
    places = nlp(text)._.places
    territory = resolve_territory(
        places, year=2023, title=None, text=text, reference=load_reference(REFERENCE_DIR),
        document_places=places, name="CPTS de Pantin",
    )
    assert [(r.insee_code, r.role, r.rule) for r in territory.communes] == [
        ("93055", "territory", "places_cpts_named_after_town")
    ]


def test_a_qualified_name_is_not_the_territory(nlp):
    text = "Naissance d'une CPTS\nLes soignants ont créé la CPTS du Grand Périgueux."
    places = nlp(text)._.places
    territory = resolve_territory(
        places, year=2023, title=None, text=text, reference=load_reference(REFERENCE_DIR),
        document_places=places, name="CPTS du Grand Périgueux",
    )
    assert territory.communes_resolved == 0 and territory.departement_codes == ["24"]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param("CPTS : premier contrat signé en Haute-Savoie", "La CPTS du Genevois a signé son contrat.",
                     {"74"}, id="html-title-outside-the-text-read-by-parse"),
        pytest.param("Signature en Haute-Savoie", "Signature en Haute-Savoie\n\nLa CPTS du Genevois a signé.",
                     set(), id="title-in-the-text-read-with-the-text"),
    ],
)
def test_parse_reads_the_places_of_a_title_the_text_does_not_hold(title, text, expected):
    """Normalise never reads text itself: a page title that is not in the text is read by the parse stage."""
    from pipeline.parse import parse_documents
    from pipeline.records import DocId, SourceDocument

    source = SourceDocument(doc_id=DocId("t" * 16), source_path="p.html", source_format="html", text=text, title=title)
    (parsed,) = parse_documents([source], n_process=1)
    assert {p.dept_hint for p in parsed.title_places} == expected


def test_a_title_found_below_a_long_masthead_is_read_in_the_text():
    """A text's own headline after many masthead lines (a fuzz find): it is in the text, so its places are the
    text's, with offsets into the text, and the parse stage reads nothing apart from it."""
    from pipeline.parse import parse_documents
    from pipeline.parse.title import title_in_text
    from pipeline.records import DocId, SourceDocument

    masthead = "\n".join(f"Contact presse {i} : service communication, 01 23 45 67 8{i}" for i in range(12))
    text = masthead + "\nSignature du contrat de la CPTS du Chablais en Haute-Savoie\n\nLe contrat a été signé."
    source = SourceDocument(doc_id=DocId("m" * 16), source_path="m.txt", source_format="txt", text=text)
    (parsed,) = parse_documents([source], n_process=1)
    assert parsed.title.startswith("Signature du contrat") and title_in_text(parsed.title, text) > 600
    assert parsed.title_places == []
    assert any(text[p.char_start : p.char_end] == "Haute-Savoie" for p in parsed.places)


def test_a_caisse_signing_in_a_title_outside_the_text_is_read_in_that_title(nlp):
    """The signing test reads the sentence of the title the caisse is named in, not the text at the
    title's offsets."""
    from pipeline.parse.places.admin import find_departements

    title = "La CPAM de la Sarthe signe avec la CPTS"
    text = "Un texte sans département. " * 4
    places = nlp(text)._.places
    territory = resolve_territory(
        places, year=2023, title=title, text=text, reference=load_reference(REFERENCE_DIR),
        document_places=places, title_places=find_departements(title), name="CPTS Une",
    )
    assert territory.departement_codes == ["72"]
