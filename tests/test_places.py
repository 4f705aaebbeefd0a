"""Place mentions read from French text: commune lists, départements, EPCIs, mentioned towns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.nlp import build_nlp
from pipeline.parse.places import extract_places, find_departements

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _places(nlp, text: str) -> list[tuple]:
    doc = nlp(normalise_text(text))
    places = extract_places(doc)
    for p in places:
        assert doc.text[p.char_start : p.char_end] == p.text
    return [(p.kind, p.role, p.name, p.dept_hint) for p in places]


def _communes(nlp, text: str) -> list[tuple[str, str, str | None]]:
    return [(role, name, hint) for kind, role, name, hint in _places(nlp, text) if kind == "commune"]


T = "territory"
M = "mentioned"

COMMUNE_LISTS = [
    (
        "heading-with-dept-same-line",
        "Communes de la Haute-Savoie : Seynod, Cran-Gevrier et Meythet.",
        [(T, "Seynod", "74"), (T, "Cran-Gevrier", "74"), (T, "Meythet", "74")],
    ),
    (
        "numbered-heading-then-lines",
        "Les 4 communes de la CPTS du Val d'Ouche :\n\n"
        "Bligny-sur-Ouche, Thorey-sur-Ouche\nVeuvey-sur-Ouche ; Lusigny-sur-Ouche",
        [(T, "Bligny-sur-Ouche", None), (T, "Thorey-sur-Ouche", None), (T, "Veuvey-sur-Ouche", None),
         (T, "Lusigny-sur-Ouche", None)],
    ),
    (
        "sub-headings-per-departement",
        "Liste des communes :\nDans l'Ain :\nMiribel, Neyron\nCommunes de l'Isère :\nVienne\n\nPopulation : 40 000",
        [(T, "Miribel", "01"), (T, "Neyron", "01"), (T, "Vienne", "38")],
    ),
    (
        "bullets-under-bare-heading",
        "Les communes du territoire\n• Vannes\n• Séné\n• Theix-Noyalo\nLa CPTS a été créée en 2021.",
        [(T, "Vannes", None), (T, "Séné", None), (T, "Theix-Noyalo", None)],
    ),
    (
        "territoire-heading-with-dashes",
        "Territoire :\n- Saint-Malo\n- Dinard\n- Cancale",
        [(T, "Saint-Malo", None), (T, "Dinard", None), (T, "Cancale", None)],
    ),
    (
        "number-after-each-name",
        "Communes : Saint-Denis (93), Saint-Ouen-sur-Seine (93), Aubervilliers",
        [(T, "Saint-Denis", "93"), (T, "Saint-Ouen-sur-Seine", "93"), (T, "Aubervilliers", None)],
    ),
    (
        "slashes-and-curly-apostrophe",
        "Communes couvertes : L’Isle-d’Abeau / Villefontaine / Four",
        [(T, "L’Isle-d’Abeau", None), (T, "Villefontaine", None), (T, "Four", None)],
    ),
    (
        "inline-after-territory-verb",
        "La CPTS du Pays de Retz couvre les communes de Pornic, Sainte-Pazanne et Machecoul-Saint-Même.",
        [(T, "Pornic", None), (T, "Sainte-Pazanne", None), (T, "Machecoul-Saint-Même", None)],
    ),
    (
        "broken-hyphens-and-lowercase-kept-as-written",
        "Communes du Rhône : Saint-Genis- L'Argentière, Saint Clément-les-places",
        [(T, "Saint-Genis- L'Argentière", "69"), (T, "Saint Clément-les-places", "69")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in COMMUNE_LISTS], ids=[c[0] for c in COMMUNE_LISTS])
def test_commune_lists(nlp, text, expected):
    assert _communes(nlp, text) == expected


def test_one_list_id_per_list(nlp):
    doc = nlp("Communes du Rhône :\nBully, Sarcey\n\nCommune de la Loire :\nVirigneux\n\nADHÉRENTS : 70")
    places = extract_places(doc)
    assert [(p.name, p.dept_hint) for p in places] == [("Bully", "69"), ("Sarcey", "69"), ("Virigneux", "42")]
    assert len({p.list_id for p in places}) == 1


NO_COMMUNES = [
    ("adjective-communes", "Les professionnels ont des problématiques communes : accès aux soins, prévention."),
    ("count-only", "Territoire : 30 communes autour de Lannion"),
    ("partners-list", "Les partenaires : ARS, CPAM, URPS."),
    ("parks-are-not-communes", "3 parcs naturels régionaux : Les Bauges / La Chartreuse / Belledonne"),
    ("park-items-under-heading", "Territoire :\nParc naturel régional du Vercors, Massif de la Chartreuse"),
    ("capitalised-words-in-prose", "La Caisse Primaire et la Mutualité Sociale Agricole soutiennent le projet."),
    ("all-caps-title-after-heading", "Communes :\nFACILITER L'ACCES AUX SOINS ET DEVELOPPER LA TELECONSULTATION"),
    ("inline-without-two-names", "La CPTS regroupe les communes de la Loire."),
    ("cpts-name", "La CPTS Cœur de Savoie et la CPTS Vallée du Gier ont signé."),
]


@pytest.mark.parametrize("text", [c[1] for c in NO_COMMUNES], ids=[c[0] for c in NO_COMMUNES])
def test_no_commune_read(nlp, text):
    assert _communes(nlp, text) == []


EPCIS = [
    (
        "singular-territory",
        "Le territoire de la CPTS s'étend sur la communauté de communes du Pays de Fougères.",
        [("epci", T, "communauté de communes du Pays de Fougères", None)],
    ),
    (
        "plural-coordinated-list",
        "Elle couvre 60 communes regroupées dans les communautés de communes de Val de Morteau, "
        "du Plateau du Russey et des Portes du Haut-Doubs.",
        [("epci", T, "Val de Morteau", None), ("epci", T, "Plateau du Russey", None),
         ("epci", T, "Portes du Haut-Doubs", None)],
    ),
    (
        "plural-after-colon",
        "Le territoire couvre deux communautés de communes : Vallée de l'Ubaye et Serre-Ponçon, "
        "soit 20 000 habitants.",
        [("epci", T, "Vallée de l'Ubaye", None), ("epci", T, "Serre-Ponçon", None)],
    ),
    (
        "name-with-et-after-singular-head",
        "Le territoire comprend la communauté de communes des Vals d'Aix et d'Isable.",
        [("epci", T, "communauté de communes des Vals d'Aix et d'Isable", None)],
    ),
    (
        "abbreviation-and-metropole",
        "Le territoire couvre la Métropole de Lyon et la CC de la Vallée du Garon.",
        [("epci", T, "Métropole de Lyon", None), ("epci", T, "CC de la Vallée du Garon", None)],
    ),
    (
        "partner-is-mentioned",
        "La CPTS travaille avec la communauté d'agglomération Pays Basque pour les transports.",
        [("epci", M, "communauté d'agglomération Pays Basque", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in EPCIS], ids=[c[0] for c in EPCIS])
def test_epcis(nlp, text, expected):
    assert [p for p in _places(nlp, text) if p[0] == "epci"] == expected


def test_epci_legal_form_is_kept(nlp):
    doc = nlp("La CPTS couvre la communauté d'agglomération du Grand Dax et la CU d'Arras.")
    assert [(p.name, p.epci_type) for p in extract_places(doc)] == [
        ("communauté d'agglomération du Grand Dax", "CA"),
        ("CU d'Arras", "CU"),
    ]


def test_conseil_d_administration_is_not_an_epci(nlp):
    assert _places(nlp, "Le CA de l'association s'est réuni à la mairie.") == []


MENTIONED = [
    ("hospital-town", "Un partenariat avec le centre hospitalier de Vienne est prévu.", ["Vienne"]),
    ("plural-hospitals", "Les Centres Hospitaliers de Bourgoin-Jallieu, Vienne et de Voiron.",
     ["Bourgoin-Jallieu", "Vienne", "Voiron"]),
    ("chu-town", "Une convention avec le CHU de Grenoble Alpes.", ["Grenoble Alpes"]),
    ("msp-with-adjective", "La maison de santé pluriprofessionnelle de Saint-Flour ouvre.", ["Saint-Flour"]),
    ("centre-de-sante-elided", "le centre de santé d'Oyonnax", ["Oyonnax"]),
    ("profession-a-town", "Le Dr Martin, médecin généraliste à Saint-Malo, préside la CPTS.", ["Saint-Malo"]),
    ("hospital-article", "avec l'hôpital de l'Arbresle", ["l'Arbresle"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MENTIONED], ids=[c[0] for c in MENTIONED])
def test_mentioned_towns(nlp, text, expected):
    assert _communes(nlp, text) == [(M, name, None) for name in expected]


NOT_MENTIONED = [
    ("clinic-named-after-area", "la Clinique du Renaison"),
    ("departement-hospital", "le centre hospitalier de la Loire"),
    ("retired-doctor", "un médecin généraliste à la retraite"),
    ("distance", "le service d'urgence le plus proche est situé à plus de 30 min"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_MENTIONED], ids=[c[0] for c in NOT_MENTIONED])
def test_no_mentioned_town(nlp, text):
    assert _communes(nlp, text) == []


DEPARTEMENTS = [
    ("name-and-number", "Signature du premier contrat dans l'Ardèche (07)", [("07", T)]),
    ("compound-name-wins", "Signature dans les Bouches-du-Rhône (13) d'un contrat.", [("13", T)]),
    ("departement-de", "la 3e CPTS du département de la Haute-Loire", [("43", T)]),
    ("dans-le", "une nouvelle CPTS dans le Finistère", [("29", T)]),
    ("funder", "l'Assurance Maladie de la Sarthe et l'ARS", [("72", M)]),
    ("number-after-commune", "CPTS de Montreuil (93)", [("93", M)]),
    ("wrong-number-ignored", "dans la Loire (69) et à Paris", [("42", T)]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in DEPARTEMENTS], ids=[c[0] for c in DEPARTEMENTS])
def test_departements(text, expected):
    assert [(p.dept_hint, p.role) for p in find_departements(text)] == expected


NOT_DEPARTEMENTS = [
    ("river", "la Loire est un fleuve"),
    ("town-vienne", "un cabinet à Vienne"),
    ("footnote-number", "les habitants (1) du territoire"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_DEPARTEMENTS], ids=[c[0] for c in NOT_DEPARTEMENTS])
def test_no_departement(text):
    assert find_departements(text) == []


# The shipped communiqués.
GOLD = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "gold").glob("*.json"))}


def _shipped(nlp, stem: str):
    return nlp(normalise_text((ROOT / "raw" / f"{stem}.txt").read_text(encoding="utf-8")))._.places


def test_shipped_list_with_two_departement_headings(nlp):
    stem = next(s for s in GOLD if s.startswith("000"))
    territory = [p for p in _shipped(nlp, stem) if p.kind == "commune" and p.role == T]
    assert len(territory) == len(GOLD[stem]["territory_communes"]) == 30
    assert {p.dept_hint for p in territory} == {"69", "42"}
    assert next(p for p in territory if p.name == "Bully").dept_hint == "69"
    mentioned = {p.name for p in _shipped(nlp, stem) if p.role == M and p.kind == "commune"}
    assert {"Sain-Bel", "l'Arbresle"} <= mentioned


def test_shipped_inline_list_after_colon(nlp):
    stem = next(s for s in GOLD if s.startswith("001"))
    territory = [p for p in _shipped(nlp, stem) if p.kind == "commune" and p.role == T]
    assert len(territory) == len(GOLD[stem]["territory_communes"]) == 27
    assert {p.dept_hint for p in _shipped(nlp, stem) if p.kind == "departement" and p.role == T} == {"42"}


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_shipped_epci_territories(nlp, prefix):
    stem = next(s for s in GOLD if s.startswith(prefix))
    places = _shipped(nlp, stem)
    epcis = [p for p in places if p.kind == "epci" and p.role == T]
    assert len({p.name.split(" de communes ")[-1].lstrip("de ") for p in epcis}) >= len(GOLD[stem]["territory_epcis"])
    assert not [p for p in places if p.kind == "commune" and p.role == T]


def test_shipped_text_without_list_only_mentions(nlp):
    stem = next(s for s in GOLD if s.startswith("002"))
    places = _shipped(nlp, stem)
    assert {p.name for p in places if p.kind == "commune"} == {"Pontgibaud", "Clermont-Ferrand"}
    assert all(p.role == M for p in places if p.kind == "commune")


SECTION_AFTER_LIST = [
    ("title-after-blank-line", "Communes :\nAnnecy, Seynod\n\nLes missions\nLa CPTS agit.", ["Annecy", "Seynod"]),
    ("one-name-per-line", "Communes :\nAnnecy\nSeynod\nPoisy\n\nContacts", ["Annecy", "Seynod", "Poisy"]),
    ("prose-after-colon-stops", "Territoire : 30 communes autour de Lannion\nPerros-Guirec, Trégastel", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in SECTION_AFTER_LIST], ids=[c[0] for c in SECTION_AFTER_LIST]
)
def test_list_ends_before_next_section(nlp, text, expected):
    assert [name for _, name, _ in _communes(nlp, text)] == expected
