"""Place mentions read from French text: commune lists, départements, EPCIs, mentioned towns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.nlp import build_nlp
from pipeline.parse.places.admin import find_departements, find_regions
from pipeline.parse.places.component import extract_places

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
        "possessive-bare-heading-then-a-column-of-names",
        "Nos communes\nAnnemasse\nGaillard\nAmbilly\nVétraz-Monthoux\n\nLa CPTS a signé son contrat.",
        [(T, "Annemasse", None), (T, "Gaillard", None), (T, "Ambilly", None), (T, "Vétraz-Monthoux", None)],
    ),
    (
        "column-after-a-section-title-and-a-heading",
        "Notre territoire\n\nSes communes\nMorzine\nLes Gets\nMontriond\nSaint-Jean-d'Aulps",
        [(T, "Morzine", None), (T, "Les Gets", None), (T, "Montriond", None), (T, "Saint-Jean-d'Aulps", None)],
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
    ("partners-list", "Les partenaires : ARS, CPAM, URPS."),
    ("parks-are-not-communes", "3 parcs naturels régionaux : Les Bauges / La Chartreuse / Belledonne"),
    ("park-items-under-heading", "Territoire :\nParc naturel régional du Vercors, Massif de la Chartreuse"),
    ("capitalised-words-in-prose", "La Caisse Primaire et la Mutualité Sociale Agricole soutiennent le projet."),
    ("all-caps-title-after-heading", "Communes :\nFACILITER L'ACCES AUX SOINS ET DEVELOPPER LA TELECONSULTATION"),
    ("inline-without-two-names", "La CPTS regroupe les communes de la Loire."),
    ("cpts-name", "La CPTS Cœur de Savoie et la CPTS Vallée du Gier ont signé."),
    ("two-lines-under-a-bare-heading", "Nos communes\nLes Hauts Plateaux\nLa Vallée Verte\n\nLa CPTS a signé."),
    ("subtitle-under-a-bare-heading", "Notre territoire\nUn bassin de vie rural\n\nLa CPTS couvre 20 communes."),
    ("key-figures-under-a-bare-heading", "Nos communes\nHabitants | 12 400\nAdhérents | 64\nMaisons de santé | 3"),
    ("pays-is-not-a-commune", "La CPTS couvre le Pays de Lunel et le Pays de Sommières."),
    ("acronyms-after-a-verb", "Elle regroupe MSP, SSIAD et EHPAD du secteur."),
    ("people-after-a-verb", "Le bureau comprend Julie Marchand et Pierre Vasseur."),
    ("professionals-of-departements", "Les professionnels de Savoie et de Haute-Savoie se mobilisent."),
    ("partial-metropole", "La CPTS couvre une partie de la Métropole Rouen Normandie."),
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
    ("hospital-town-written-without-hyphen", "une convention avec le CHU de Clermont Ferrand", ["Clermont Ferrand"]),
    ("paris-arrondissement-after-profession", "Le Dr Morel, médecin généraliste à Paris 20e, préside la CPTS.",
     ["Paris 20e"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MENTIONED], ids=[c[0] for c in MENTIONED])
def test_mentioned_towns(nlp, text, expected):
    assert _communes(nlp, text) == [(M, name, None) for name in expected]


NOT_MENTIONED = [
    ("clinic-named-after-area", "la Clinique du Renaison"),
    ("departement-hospital", "le centre hospitalier de la Loire"),
    ("retired-doctor", "un médecin généraliste à la retraite"),
    ("distance", "le service d'urgence le plus proche est situé à plus de 30 min"),
    ("cabinet-of-a-person", "Le cabinet de Claire Dubois accueille deux internes."),
    ("pharmacy-of-a-person", "La pharmacie de Karim Haddad assure les gardes du week-end."),
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
    listed = [p for p in territory if p.dept_hint]
    assert len(listed) == len(GOLD[stem]["territory_communes"]) == 30
    assert {p.dept_hint for p in listed} == {"69", "42"}
    around = [p.name for p in territory if not p.dept_hint]
    assert around == ["Saint-Laurent-de-Chamousset", "l'Arbresle"]
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
    ("prose-after-colon-stops", "Territoire : 30 communes autour de Lannion\nSoins, Prévention", ["Lannion"]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in SECTION_AFTER_LIST], ids=[c[0] for c in SECTION_AFTER_LIST]
)
def test_list_ends_before_next_section(nlp, text, expected):
    assert [name for _, name, _ in _communes(nlp, text)] == expected


# Inline lists in prose, opened by a list_intro phrase (places_cues.jsonl).
INLINE_LISTS = [
    (
        "count-then-colon",
        "La CPTS du Val de Vienne couvre cinq communes : Chinon, Avoine, Beaumont-en-Véron, Huismes "
        "et Cravant-les-Côteaux.",
        [(T, "Chinon", None), (T, "Avoine", None), (T, "Beaumont-en-Véron", None), (T, "Huismes", None),
         (T, "Cravant-les-Côteaux", None)],
    ),
    (
        "count-then-parentheses-with-ellipsis",
        "Territoire | 18 communes (Oyonnax, Bellignat, Arbent, Groissiat…)",
        [(T, "Oyonnax", None), (T, "Bellignat", None), (T, "Arbent", None), (T, "Groissiat", None)],
    ),
    (
        "dont-after-count",
        "Périmètre : 31 communes, dont Ancenis-Saint-Géréon, Varades et Oudon.",
        [(T, "Ancenis-Saint-Géréon", None), (T, "Varades", None), (T, "Oudon", None)],
    ),
    (
        "autour-de-several-towns-with-de",
        "La communauté rassemble les soignants de 40 communes autour de Mauriac, d'Ydes et de Pleaux.",
        [(T, "Mauriac", None), (T, "Ydes", None), (T, "Pleaux", None)],
    ),
    (
        "words-between-communes-and-colon-with-numbers",
        "Elle regroupe 4 communes situées dans deux départements : Miribel (01), Beynost (01), "
        "Rillieux-la-Pape (69) et Sathonay-Camp (69).",
        [(T, "Miribel", "01"), (T, "Beynost", "01"), (T, "Rillieux-la-Pape", "69"), (T, "Sathonay-Camp", "69")],
    ),
    (
        "les-communes-de-with-lowercase-particle-in-name",
        "Le territoire comprend les communes de Vif, Varces-Allières-et-Risset et Claix.",
        [(T, "Vif", None), (T, "Varces-Allières-et-Risset", None), (T, "Claix", None)],
    ),
    (
        "possessive-poles",
        "Ses principaux pôles de santé sont Lure, Luxeuil-les-Bains et Saint-Loup-sur-Semouse.",
        [(T, "Lure", None), (T, "Luxeuil-les-Bains", None), (T, "Saint-Loup-sur-Semouse", None)],
    ),
    (
        "range-ends-and-towns-on-the-way",
        "Son territoire va de Sedan à Carignan en passant par Douzy et Mouzon.",
        [(T, "Sedan", None), (T, "Carignan", None), (T, "Douzy", None), (T, "Mouzon", None)],
    ),
    (
        "range-after-count-of-communes",
        "La CPTS s'étend sur 60 communes, de Pont-d'Ain à Villars-les-Dombes.",
        [(T, "Pont-d'Ain", None), (T, "Villars-les-Dombes", None)],
    ),
    (
        "hyphen-words-devant-and-pres",
        "Communes : Villers-devant-Dun, Ville-près-Saint-Dié",
        [(T, "Villers-devant-Dun", None), (T, "Ville-près-Saint-Dié", None)],
    ),
    (
        "one-city-after-autour-de-is-only-mentioned",
        "La CPTS couvre 12 communes autour de Toulouse.",
        [(M, "Toulouse", None)],
    ),
    (
        "spaced-dashes-between-names",
        "Depuis 2022, la CPTS réunit cinq communes : Wasquehal – Croix - Hem - Lys-lez-Lannoy - Leers.",
        [(T, "Wasquehal", None), (T, "Croix", None), (T, "Hem", None), (T, "Lys-lez-Lannoy", None),
         (T, "Leers", None)],
    ),
    (
        "semicolons-between-names",
        "La CPTS rassemble trois communes : Haguenau ; Schweighouse-sur-Moder ; Bischwiller.",
        [(T, "Haguenau", None), (T, "Schweighouse-sur-Moder", None), (T, "Bischwiller", None)],
    ),
    (
        "verb-then-names",
        "La CPTS du Marsan couvre Mont-de-Marsan, Saint-Pierre-du-Mont et Bretagne-de-Marsan.",
        [(T, "Mont-de-Marsan", None), (T, "Saint-Pierre-du-Mont", None), (T, "Bretagne-de-Marsan", None)],
    ),
    (
        "one-commune-with-contracted-article",
        "Le territoire s'étend aussi à la commune du Moule.",
        [(T, "Le Moule", None)],
    ),
    (
        "communes-du-and-des",
        "Son territoire comprend les communes du Robert, du François et des Trois-Îlets.",
        [(T, "Le Robert", None), (T, "Le François", None), (T, "Les Trois-Îlets", None)],
    ),
    (
        "labels-per-departement-after-semicolons",
        "Elle s'étend sur quatre communes : dans l'Isère : Voiron, Voreppe ; en Savoie : Les Échelles, "
        "Saint-Pierre-d'Entremont.",
        [(T, "Voiron", "38"), (T, "Voreppe", "38"), (T, "Les Échelles", "73"), (T, "Saint-Pierre-d'Entremont", "73")],
    ),
    (
        "side-labels-without-departement",
        "Le territoire compte cinq communes : côté ardéchois, Annonay, Davézieux ; côté ligérien, "
        "Bourg-Argental et Saint-Sauveur-en-Rue.",
        [(T, "Annonay", None), (T, "Davézieux", None), (T, "Bourg-Argental", None),
         (T, "Saint-Sauveur-en-Rue", None)],
    ),
    (
        "hyphenated-name-with-a-not-commune-word",
        "Le territoire comprend les communes de Rivière-Salée, Sainte-Luce et Le Diamant.",
        [(T, "Rivière-Salée", None), (T, "Sainte-Luce", None), (T, "Le Diamant", None)],
    ),
    (
        "towns-of-the-professionals-counted-elsewhere",
        "Les soignants de Vitré, Châteaubourg et La Guerche-de-Bretagne se sont regroupés. "
        "Les trois communes comptent 40 000 habitants.",
        [(T, "Vitré", None), (T, "Châteaubourg", None), (T, "La Guerche-de-Bretagne", None)],
    ),
    (
        "towns-of-the-professionals-without-count-are-mentioned",
        "Les professionnels de santé de Laval et de Mayenne ont été consultés.",
        [(M, "Laval", None), (M, "Mayenne", None)],
    ),
    (
        "communes-de-then-font-partie-de-la-cpts",
        "Les communes de Lézignan-Corbières, Ornaisons et Fabrezan font partie de la CPTS du Lézignanais.",
        [(T, "Lézignan-Corbières", None), (T, "Ornaisons", None), (T, "Fabrezan", None)],
    ),
    (
        "names-then-composent-son-territoire",
        "Les communes de Saint-Affrique et Vabres-l'Abbaye composent son territoire.",
        [(T, "Saint-Affrique", None), (T, "Vabres-l'Abbaye", None)],
    ),
    (
        "font-partie-of-something-else-is-mentioned",
        "Les communes de Saint-Jean et Rouffiac font partie du syndicat des eaux.",
        [(M, "Saint-Jean", None), (M, "Rouffiac", None)],
    ),
    (
        "territory-label-in-prose",
        "📍 Notre territoire : Figeac, Capdenac et les communes voisines, soit 30 000 habitants.",
        [(T, "Figeac", None), (T, "Capdenac", None)],
    ),
    (
        "habitants-dont-names",
        "La CPTS couvre 31 communes et 48 000 habitants, dont Millau, Creissels et Compeyre.",
        [(T, "Millau", None), (T, "Creissels", None), (T, "Compeyre", None)],
    ),
    (
        "colleagues-then-au-sein-de-la-cpts",
        "Nos soignants ont rejoint leurs collègues de Quimperlé, de Bannalec et de Scaër au sein de la CPTS.",
        [(T, "Quimperlé", None), (T, "Bannalec", None), (T, "Scaër", None)],
    ),
    (
        "communes-de-without-territory-word-are-mentioned",
        "Les maires des communes de Saint-Jean et Rouffiac ont salué le projet.",
        [(M, "Saint-Jean", None), (M, "Rouffiac", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in INLINE_LISTS], ids=[c[0] for c in INLINE_LISTS])
def test_inline_lists(nlp, text, expected):
    assert _communes(nlp, text) == expected


NO_INLINE_LIST = [
    ("autour-de-people", "Les soignants se sont réunis autour de Paul Martin et Anne Roux."),
    ("range-without-territory-word", "De Millau à Rodez, comptez une heure de route."),
    ("range-of-weekdays", "La CPTS répond aux demandes du lundi au vendredi."),
    ("entre-is-not-a-range", "Le territoire s'étend entre Lyon et Saint-Étienne."),
    ("dont-followed-by-a-figure", "La CPTS couvre 12 communes, dont 3 en zone de montagne."),
    ("figures-table-is-not-a-commune-table", "Communes | 54\nHabitants | 41 200\nAdhérents | 87"),
    ("territory-label-with-one-name", "Notre territoire : Figeac et ses environs."),
    ("departement-after-autour-de", "Le territoire s'organise autour de la Loire et du Rhône."),
]


@pytest.mark.parametrize("text", [c[1] for c in NO_INLINE_LIST], ids=[c[0] for c in NO_INLINE_LIST])
def test_no_inline_list(nlp, text):
    assert _communes(nlp, text) == []


TABLES = [
    (
        "commune-population-table",
        "Commune | Population\nCharlieu | 3 700\nPouilly-sous-Charlieu | 2 600\nTotal | 6 300",
        [(T, "Charlieu", None), (T, "Pouilly-sous-Charlieu", None)],
    ),
    (
        "populations-in-parentheses",
        "Communes du territoire : Nantua (3 400 hab.), Port (900 habitants), Montréal-la-Cluse",
        [(T, "Nantua", None), (T, "Port", None), (T, "Montréal-la-Cluse", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in TABLES], ids=[c[0] for c in TABLES])
def test_commune_tables(nlp, text, expected):
    assert _communes(nlp, text) == expected


def test_arrondissements_are_named_as_the_reference_names_them(nlp):
    doc = nlp("Le territoire couvre les 1er, 2e et 4e arrondissements de Lyon.")
    communes = [(p.role, p.text, p.name) for p in extract_places(doc) if p.kind == "commune"]
    assert communes == [(T, "1er", "Lyon 1er"), (T, "2e", "Lyon 2e"), (T, "4e", "Lyon 4e")]


def test_arrondissement_without_city_is_nothing(nlp):
    assert _places(nlp, "Elle exerce dans le 14e arrondissement.") == []


ARRONDISSEMENTS = [
    ("city-named-elsewhere", "Contrat signé avec la CPAM de Paris. La CPTS couvre l'ensemble du 13e arrondissement.",
     [(T, "Paris 13e")]),
    ("city-then-ordinals", "Le territoire couvre Marseille 15e et 16e.", [(T, "Marseille 15e"), (T, "Marseille 16e")]),
    ("singular-with-city", "Son territoire correspond au 8e arrondissement de Lyon.", [(T, "Lyon 8e")]),
    ("two-cities-named-give-none", "Après Lyon et Marseille, la CPTS du 3e arrondissement signe.", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in ARRONDISSEMENTS], ids=[c[0] for c in ARRONDISSEMENTS])
def test_arrondissement_forms(nlp, text, expected):
    assert [(role, name) for role, name, _ in _communes(nlp, text)] == expected


CANTONS = [
    ("canton-territory", "Le territoire de la CPTS correspond au canton de Nantua.", [("canton", T, "Nantua")]),
    ("two-cantons", "La CPTS couvre les cantons de Belley et de Virieu-le-Grand.",
     [("canton", T, "Belley"), ("canton", T, "Virieu-le-Grand")]),
    ("canton-in-passing", "Le conseiller départemental du canton de Gex était présent.", [("canton", M, "Gex")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CANTONS], ids=[c[0] for c in CANTONS])
def test_a_canton_is_not_a_commune(nlp, text, expected):
    assert [p[:3] for p in _places(nlp, text)] == expected


EPCI_FORMS = [
    (
        "counted-plural-in-a-figures-box",
        "• 2 communautés de communes : le Pays de Gex, la Dombes",
        [("epci", T, "Pays de Gex", None), ("epci", T, "Dombes", None)],
    ),
    (
        "plural-in-parentheses",
        "La CPTS couvre 40 communes réparties sur deux communautés de communes "
        "(Vallée de l'Ubaye et Serre-Ponçon).",
        [("epci", T, "Vallée de l'Ubaye", None), ("epci", T, "Serre-Ponçon", None)],
    ),
    (
        "abbreviated-ca-with-du",
        "Le territoire de la CPTS correspond à la CA du Grand Guéret.",
        [("epci", T, "CA du Grand Guéret", None)],
    ),
    (
        "metropole-without-preposition",
        "Son territoire est celui de la Métropole Rouen Normandie.",
        [("epci", T, "Métropole Rouen Normandie", None)],
    ),
    (
        "communaute-urbaine",
        "Ses 17 communes sont celles de la Communauté urbaine de Dunkerque.",
        [("epci", T, "Communauté urbaine de Dunkerque", None)],
    ),
    (
        "cc-with-ligature-after-recouvre",
        "Le territoire recouvre la CC Cœur de Maurienne Arvan.",
        [("epci", T, "CC Cœur de Maurienne Arvan", None)],
    ),
    (
        "cc-du-pays-de",
        "Elle rassemble les soignants de la Communauté de communes du Pays de Fayence.",
        [("epci", T, "Communauté de communes du Pays de Fayence", None)],
    ),
    (
        "part-of-an-epci-is-only-mentioned",
        "La CPTS couvre certaines communes de la communauté d'agglomération du Grand Dax.",
        [("epci", M, "communauté d'agglomération du Grand Dax", None)],
    ),
    (
        "pays-without-legal-form-is-nothing",
        "Le territoire de la CPTS correspond au Pays de Fayence.",
        [],
    ),
    (
        "communes-in-parentheses-after-an-epci",
        "Territoire : la communauté d'agglomération du Grand Cahors (Cahors, Pradines, Mercuès…)",
        [("epci", T, "communauté d'agglomération du Grand Cahors", None), ("commune", T, "Cahors", None),
         ("commune", T, "Pradines", None), ("commune", T, "Mercuès", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in EPCI_FORMS], ids=[c[0] for c in EPCI_FORMS])
def test_epci_forms(nlp, text, expected):
    assert [p for p in _places(nlp, text) if p[0] in ("epci", "commune")] == expected


STATED_DEPARTEMENTS = [
    ("en-departement", "Une nouvelle CPTS en Ille-et-Vilaine", [("35", T)]),
    ("line-opening-kicker", "Gironde : la CPTS du Libournais signe son contrat", [("33", T)]),
    ("cgss-with-acronym", "la Caisse générale de sécurité sociale (CGSS) de la Martinique", [("972", M)]),
    ("cpam-du", "le contrat signé avec la CPAM du Var", [("83", M)]),
    ("whole-departement", "La CPTS couvre tout le département de la Lozère.", [("48", T)]),
    ("overseas-with-number", "Guadeloupe (971) : la CPTS signe", [("971", T)]),
    ("cgss-overseas", "avec la CGSS de la Guadeloupe", [("971", M)]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in STATED_DEPARTEMENTS], ids=[c[0] for c in STATED_DEPARTEMENTS]
)
def test_stated_departements(text, expected):
    assert [(p.dept_hint, p.role) for p in find_departements(text)] == expected


NOT_STATED = [
    ("en-somme-lowercase", "en somme, la CPTS avance"),
    ("kicker-that-is-a-town", "Vienne : la CPTS signe"),
    ("departement-inside-a-name", "la CPTS Cœur d'Hérault"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_STATED], ids=[c[0] for c in NOT_STATED])
def test_not_stated_departements(text):
    assert find_departements(text) == []


REGIONS = [
    ("ars-region", "l'ARS Occitanie et la CPAM", ["76"]),
    ("agence-with-space-spelling", "l'Agence régionale de santé Auvergne Rhône-Alpes", ["84"]),
    ("ars-de", "l'ARS de Corse", ["94"]),
    ("en-region", "les CPTS en Bretagne", ["53"]),
    ("overseas-with-article", "l'ARS La Réunion", ["04"]),
    ("ars-of-several-territories", "l'ARS Guadeloupe, Saint-Martin et Saint-Barthélemy", ["01"]),
    ("meeting-is-not-a-region", "une réunion publique à la mairie", []),
    ("name-without-cue", "la CPTS Centre Corse", []),
    ("capitals", "l'ARS NOUVELLE-AQUITAINE et la CPAM", ["75"]),
    ("no-accents", "l'Agence regionale de sante Auvergne-Rhone-Alpes", ["84"]),
    ("lower-case-meeting-after-en", "les soignants se sont retrouvés en réunion", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in REGIONS], ids=[c[0] for c in REGIONS])
def test_regions(text, expected):
    assert [p.region_hint for p in find_regions(text) if p.role == "territory"] == expected
