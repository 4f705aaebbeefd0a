"""Territories as real writers state them: the layouts and phrasings of web pages, posts, bulletins and PDF
extractions that the cue rules of the dev set did not foresee.

Each case is our own phrasing of a phenomenon (other places and numbers than any communiqué read): a list of
names the reference knows is a list of communes whatever its layout, and a list that is another CPTS's
territory is not this one's.
"""

from __future__ import annotations

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.nlp import build_nlp
from pipeline.parse.places.component import extract_places


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _places(nlp, text: str):
    doc = nlp(normalise_text(text))
    places = extract_places(doc)
    for p in places:
        assert doc.text[p.char_start : p.char_end] == p.text
    return [p for p in places if p.kind == "commune"]


def _territory(nlp, text: str) -> list[str]:
    return [p.text for p in _places(nlp, text) if p.role == "territory"]


POSTCODES = [
    (
        "postcode-before-each-name-one-a-line",
        "Nos adhérents exercent à :\n22300 Lannion\n22700 Perros-Guirec\n22560 Trébeurden\n22730 Trégastel\n",
        ["Lannion", "Perros-Guirec", "Trébeurden", "Trégastel"],
    ),
    (
        "postcodes-in-a-comma-list",
        "Le périmètre de la CPTS : 35400 Saint-Malo, 35800 Dinard, 35430 Saint-Jouan-des-Guérets et 35780 La Richardais.",
        ["Saint-Malo", "Dinard", "Saint-Jouan-des-Guérets", "La Richardais"],
    ),
    (
        "postcodes-after-bullets",
        "Communes couvertes\n- 63170 Aubière\n- 63540 Romagnat\n- 63110 Beaumont\n",
        ["Aubière", "Romagnat", "Beaumont"],
    ),
]


LAYOUTS = [
    (
        "table-with-the-postcode-column-first",
        "Code postal | Commune | Habitants\n33120 | Arcachon | 11 600\n33260 | La Teste-de-Buch | 27 000\n"
        "33470 | Gujan-Mestras | 22 000\n33138 | Lanton | 7 500",
        ["Arcachon", "La Teste-de-Buch", "Gujan-Mestras", "Lanton"],
    ),
    (
        "names-separated-by-pipes-after-a-count",
        "📍 4 communes : Arcachon | La Teste-de-Buch | Gujan-Mestras | Lanton",
        ["Arcachon", "La Teste-de-Buch", "Gujan-Mestras", "Lanton"],
    ),
    (
        "capitals-without-accents-elided-article",
        "Elle réunit les soignants de SAINT-JEAN-D'ANGELY, SAINT-DENIS-DU-PIN, TERNANT et MAZERAY.",
        ["SAINT-JEAN-D'ANGELY", "SAINT-DENIS-DU-PIN", "TERNANT", "MAZERAY"],
    ),
    (
        "names-separated-by-middle-dots-under-a-heading",
        "Notre territoire\nLamballe-Armor · Noyal · Andel · Coëtmieux\nDes soignants engagés.",
        ["Lamballe-Armor", "Noyal", "Andel", "Coëtmieux"],
    ),
    (
        "lower-case-asides-after-names",
        "La CPTS couvre Rennes (quartiers sud), Chantepie, Vern-sur-Seiche (en partie) et Saint-Erblon.",
        ["Rennes", "Chantepie", "Vern-sur-Seiche", "Saint-Erblon"],
    ),
    (
        "aside-on-the-first-name-of-professionals-list",
        "La CPTS regroupe les soignants de Lannion (centre-ville), Rospez, Tonquédec et Caouënnec-Lanvézéac.",
        ["Lannion", "Rospez", "Tonquédec", "Caouënnec-Lanvézéac"],
    ),
    (
        "zone-d-intervention-label",
        "Zone d'intervention : Pontivy, Noyal-Pontivy, Le Sourn",
        ["Pontivy", "Noyal-Pontivy", "Le Sourn"],
    ),
    (
        "secteur-label",
        "Secteur géographique : Pontivy et Le Sourn",
        ["Pontivy", "Le Sourn"],
    ),
    (
        "communes-concerned",
        "Sont concernées par la CPTS les communes de Pontivy, Noyal-Pontivy et Le Sourn.",
        ["Pontivy", "Noyal-Pontivy", "Le Sourn"],
    ),
    (
        "professionals-who-gathered-in-the-cpts",
        "Les soignants de Pontivy et du Sourn se sont regroupés au sein de la CPTS.",
        ["Pontivy", "Sourn"],
    ),
    (
        "professionals-who-founded-the-cpts",
        "Les professionnels de Pontivy, Noyal-Pontivy et Le Sourn ont fondé la CPTS en 2021.",
        ["Pontivy", "Noyal-Pontivy", "Le Sourn"],
    ),
    (
        "reunit-is-a-territory-verb",
        "La CPTS réunit les professionnels de Morlaix et Saint-Martin-des-Champs.",
        ["Morlaix", "Saint-Martin-des-Champs"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in POSTCODES + LAYOUTS], ids=[c[0] for c in POSTCODES + LAYOUTS])
def test_names_with_their_postcode_form_a_list(nlp, text, expected):
    assert _territory(nlp, text) == expected


@pytest.mark.parametrize(
    ("lines", "name", "departement"),
    [
        ("63110 Beaumont\nAubière\nRomagnat", "Beaumont", "63"),
        ("Beaumont (86)\nJaunay-Marigny\nDissay", "Beaumont", "86"),
        ("Beaumont (89250)\nHauterive\nSeignelay", "Beaumont", "89"),
        ("97200 Fort-de-France\nLe Lamentin\nSchœlcher", "Fort-de-France", "972"),
        ("20090 Ajaccio\nAlata\nAfa", "Ajaccio", None),
    ],
    ids=["postcode-before", "departement-number-after", "postcode-after", "overseas-three-digits", "corsica-none"],
)
def test_a_list_item_states_its_departement(nlp, lines, name, departement):
    text = f"Le territoire de la CPTS compte trois communes :\n{lines}\n"
    item = next(p for p in _places(nlp, text) if p.text == name)
    assert (item.role, item.dept_hint) == ("territory", departement)


OTHER_CPTS = [
    ("neighbouring-cpts-covers", "La CPTS limitrophe du Val d'Oust couvre Malestroit, Sérent et Ruffiac."),
    ("its-neighbour-gathers", "Sa voisine, la CPTS de l'Oust, regroupe les soignants de Ploërmel, Josselin et Mauron."),
    ("another-cpts-territory-word", "Une autre CPTS a pour territoire Ploërmel, Josselin et Mauron."),
    ("the-second-which-covers", "Le département compte deux CPTS. La seconde, qui couvre Malestroit, Sérent et Ruffiac, a signé."),
]


@pytest.mark.parametrize("text", [c[1] for c in OTHER_CPTS], ids=[c[0] for c in OTHER_CPTS])
def test_another_cpts_territory_is_not_this_one(nlp, text):
    assert _territory(nlp, text) == []


MEMBERS_PLACES = [
    (
        "professionals-working-in-towns",
        "La CPTS regroupe 95 professionnels exerçant à Concarneau, Trégunc, Melgven et Névez.",
        ["Concarneau", "Trégunc", "Melgven", "Névez"],
    ),
    (
        "carers-settled-in-towns",
        "Elle rassemble les soignants installés à Concarneau, Trégunc et Névez.",
        ["Concarneau", "Trégunc", "Névez"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MEMBERS_PLACES], ids=[c[0] for c in MEMBERS_PLACES])
def test_where_the_members_work_is_the_territory(nlp, text, expected):
    assert _territory(nlp, text) == expected


LEFT_OUT = [
    ("except-after-an-epci", "La CPTS couvre Concarneau Cornouaille Agglomération, à l'exception de Rosporden, Elliant et Tourc'h."),
    ("hors-after-a-list", "La CPTS couvre Trégunc, Melgven et Névez, hors Concarneau et Saint-Yvi."),
    ("sauf-after-a-territory-word", "Son territoire comprend toutes les communes du secteur sauf Rosporden et Elliant."),
    ("negated-belonging-after", "La CPTS regroupe des soignants. Rosporden, Elliant et Tourc'h ne font pas partie de la CPTS."),
    ("former-workplace-of-a-coordinator", "La CPTS a recruté Julie Caradec, qui a travaillé auparavant à Quimper, Ergué-Gabéric et Briec."),
]


@pytest.mark.parametrize("text", [c[1] for c in LEFT_OUT], ids=[c[0] for c in LEFT_OUT])
def test_towns_left_out_or_of_a_person_are_not_the_territory(nlp, text):
    got = _territory(nlp, text)
    assert not {"Rosporden", "Elliant", "Tourc'h", "Concarneau", "Saint-Yvi", "Quimper", "Briec"} & set(got), got


def test_one_persons_place_stays_mentioned(nlp):
    text = "Son président, pharmacien installé à Concarneau, Trégunc et Névez, a été réélu."
    assert _territory(nlp, text) == []


def test_a_negation_about_something_else_keeps_the_list(nlp):
    text = "La CPTS couvre les communes de Trégunc, Melgven et Névez, qui ne comptent plus de pédiatre."
    assert _territory(nlp, text) == ["Trégunc", "Melgven", "Névez"]


def test_an_unknown_table_cell_is_no_commune(nlp):
    text = "Commune | Référent\nArcachon | Dr Martin\nLanton | Dr Durand\nGujan-Mestras | Mme Petit"
    assert _territory(nlp, text) == ["Arcachon", "Lanton", "Gujan-Mestras"]


def test_a_column_of_establishment_towns_is_no_commune_list(nlp):
    text = "Structure | Ville\nCentre hospitalier | Arcachon\nMaison de santé du Port | Lanton\nClinique | Gujan-Mestras"
    assert _territory(nlp, text) == []


def test_a_sector_label_of_words_is_no_list(nlp):
    assert _territory(nlp, "Secteur : libéral et hospitalier.\nZone d'intervention : Bretagne") == []


def test_a_meeting_place_is_not_the_territory(nlp):
    assert _territory(nlp, "Le bureau de la CPTS s'est réuni à Morlaix et à Brest.") == []


def test_this_cpts_covering_the_same_towns_is_its_territory(nlp):
    text = "La CPTS de l'Oust couvre Ploërmel, Josselin et Mauron."
    assert _territory(nlp, text) == ["Ploërmel", "Josselin", "Mauron"]


def test_towns_left_out_are_mentioned_with_the_row_that_said_so(nlp):
    text = "La CPTS couvre Concarneau Cornouaille Agglomération, à l'exception de Rosporden et Elliant."
    got = [(p.text, p.role, p.rule) for p in _places(nlp, text)]
    assert got == [("Rosporden", "mentioned", "excluded_before"), ("Elliant", "mentioned", "excluded_before")]


ONE_TOWN = [
    ("covers-the-town-of", "Elle couvre la ville de Guingamp et ses communes voisines.", ["Guingamp"]),
    ("its-territory-also-stretches-over", "Son territoire s'étend aussi sur Bégard.", ["Bégard"]),
    ("professionals-of-one-town-belong", "Les soignants de Pabu font partie de la CPTS depuis janvier.", ["Pabu"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in ONE_TOWN], ids=[c[0] for c in ONE_TOWN])
def test_one_town_stated_as_covered(nlp, text, expected):
    assert _territory(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Les médecins du centre hospitalier de Guingamp font partie de la CPTS.",
        "L'hôpital couvre aussi la ville de Guingamp.",
        "La CPTS voisine couvre aussi la ville de Guingamp.",
    ],
    ids=["hospital-town-before-the-cue", "a-hospital-covers", "a-neighbouring-cpts-covers"],
)
def test_one_town_named_for_something_else(nlp, text):
    assert _territory(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("La CPTS couvre les 22 communes de l'agglomération, soit 50 000 habitants.", "territory"),
        ("Son territoire recouvre l'ensemble de la communauté de communes.", "territory"),
        ("Le président de l'agglomération salue la CPTS.", None),
    ],
    ids=["counted-communes-of-the-agglomeration", "the-whole-communaute", "an-agglomeration-named-in-passing"],
)
def test_an_epci_covered_without_its_name(nlp, text, role):
    doc = nlp(normalise_text(text))
    got = [p.role for p in extract_places(doc) if p.kind == "epci"]
    assert got == ([role] if role else [])


@pytest.mark.parametrize(
    "text",
    [
        "Le GHT de Cornouaille couvre Quimper, Concarneau et Douarnenez.",
        "Le centre hospitalier couvre les communes de Quimper, Concarneau et Douarnenez.",
        "La maison de santé regroupe des professionnels de Bénodet, Fouesnant et Clohars-Fouesnant.",
        "Le Finistère compte 14 CPTS, dont celles de Quimper, Concarneau et Douarnenez.",
    ],
    ids=["hospital-group-covers", "hospital-covers-communes", "health-centre-gathers", "counted-cpts-of-towns"],
)
def test_an_establishments_catchment_or_other_cpts_towns_are_not_the_territory(nlp, text):
    assert _territory(nlp, text) == []


def test_the_cpts_with_a_hospital_as_partner_still_covers_its_list(nlp):
    text = "La CPTS, avec le centre hospitalier, couvre Quimper, Concarneau et Douarnenez."
    assert _territory(nlp, text) == ["Quimper", "Concarneau", "Douarnenez"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La CPTS couvre Pontivy et Le Sourn. Elle pourrait s'étendre en 2026 à Cléguérec, Séglien et Silfiac.",
         ["Pontivy", "Le Sourn"]),
        ("À terme, la CPTS souhaite intégrer les communes de Cléguérec, Séglien et Silfiac.", []),
        ("Son territoire s'élargira à Cléguérec et Séglien.", []),
        ("La future CPTS couvrira Cléguérec, Séglien et Silfiac.", ["Cléguérec", "Séglien", "Silfiac"]),
        ("La CPTS, qui devrait signer son contrat en mai, couvre Cléguérec, Séglien et Silfiac.",
         ["Cléguérec", "Séglien", "Silfiac"]),
    ],
    ids=["extension-it-might-make", "towns-it-wishes-to-join", "future-widening", "territory-of-a-cpts-in-creation",
         "a-plan-about-something-else"],
)
def test_a_planned_extension_is_not_the_territory_yet(nlp, text, expected):
    assert _territory(nlp, text) == expected
