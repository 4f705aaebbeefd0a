"""Commune lists found by what their names are (the gazetteer), whatever words introduce them.

Phrasings written for each phenomenon (other places, other numbers than any
communiqué read), grouped by origin: forms real writers use that cue rules
missed, then negatives (towns named for another reason, common words,
outliers).
"""

from __future__ import annotations

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.nlp import build_nlp
from pipeline.parse.places.component import extract_places
from pipeline.parse.places.gazetteer import gazetteer, name_words


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _territory(nlp, text: str) -> list[str]:
    doc = nlp(normalise_text(text))
    places = extract_places(doc)
    for p in places:
        assert doc.text[p.char_start : p.char_end] == p.text
        assert p.rule, p
    return [p.text for p in places if p.kind == "commune" and p.role == "territory"]


# Forms found in real communiqués (dev-set phenomena), in our own words.
FOUND = [
    (
        "count-and-dash",
        "La CPTS rassemble un territoire de cinq communes – Quimperlé, Mellac, Baye, Tréméven et Rédené, "
        "soit 22 000 habitants.",
        ["Quimperlé", "Mellac", "Baye", "Tréméven", "Rédené"],
    ),
    (
        "count-then-names-as-next-paragraph",
        "Le territoire de la CPTS compte quatre communes.\n\nLamballe-Armor, Noyal, Andel et Coëtmieux.",
        ["Lamballe-Armor", "Noyal", "Andel", "Coëtmieux"],
    ),
    (
        "names-with-populations",
        "La CPTS réunit 4 communes de la Sarthe :\nSablé-sur-Sarthe : 12 300 habitants, Solesmes : 1 200 habitants,\n"
        "Juigné-sur-Sarthe : 1 150 habitants, Parcé-sur-Sarthe : 2 100 habitants.",
        ["Sablé-sur-Sarthe", "Solesmes", "Juigné-sur-Sarthe", "Parcé-sur-Sarthe"],
    ),
    (
        "one-commune-per-table-row",
        "Commune | Habitants\nPontivy | 15 000\nNoyal-Pontivy | 3 800\nLe Sourn | 2 100",
        ["Pontivy", "Noyal-Pontivy", "Le Sourn"],
    ),
    (
        "no-cue-word-three-agreeing-names",
        "Les adhérents exercent à Montbéliard, Audincourt, Valentigney et Hérimoncourt.",
        ["Montbéliard", "Audincourt", "Valentigney", "Hérimoncourt"],
    ),
    (
        "lower-case-word-inside-a-name",
        "Le territoire comprend les communes de Dole, Tavaux et Foucherans-pres-dole.",
        None,
    ),
    (
        "as-many-names-as-communes-counted",
        "Les soignants de Guingamp et de Grâces se sont réunis. Les deux communes comptent 14 000 habitants.",
        ["Guingamp", "Grâces"],
    ),
    (
        "names-in-parentheses-after-a-count",
        "Le territoire s'étend sur cinq communes (Plouha, Lanvollon, Pléguien, Tressignaux et Lannebert).",
        ["Plouha", "Lanvollon", "Pléguien", "Tressignaux", "Lannebert"],
    ),
    (
        "bullets-under-a-sentence-with-a-count",
        "Les 3 communes couvertes par la CPTS sont :\n- Carhaix-Plouguer\n- Plounévézel\n- Poullaouen\n\nContact",
        ["Carhaix-Plouguer", "Plounévézel", "Poullaouen"],
    ),
    (
        "names-separated-by-slashes-no-cue",
        "Secteur Morlaix / Saint-Martin-des-Champs / Taulé / Plourin-lès-Morlaix",
        ["Morlaix", "Saint-Martin-des-Champs", "Taulé", "Plourin-lès-Morlaix"],
    ),
    (
        "numbered-lines-with-postcodes-and-postposed-articles",
        "Le territoire de la CPTS :\n1. Lannion (22300)\n2. Ploubezre\n3. Rospez\n4. Trébeurden",
        ["Lannion", "Ploubezre", "Rospez", "Trébeurden"],
    ),
    (
        "ampersand-and-ainsi-que",
        "La CPTS couvre Quintin, Le Foeil & Saint-Brandan ainsi que Lanfains.",
        ["Quintin", "Le Foeil", "Saint-Brandan", "Lanfains"],
    ),
    (
        "one-town-after-le-territoire-de",
        "La maison de santé de l'île et celle du continent, sur le territoire de Quiberon, se sont unies.",
        ["Quiberon"],
    ),
    (
        "one-town-the-cpts-covers",
        "La CPTS Mâconnais Sud couvre Mâcon et les communes de son agglomération.",
        ["Mâcon"],
    ),
    (
        "intervient-sur-three-towns",
        "La CPTS du Trégor intervient sur Lannion, Perros-Guirec et Trébeurden.",
        ["Lannion", "Perros-Guirec", "Trébeurden"],
    ),
    (
        "one-cpts-in-the-sentence-carried-by-professionals-of-its-towns",
        "La CPTS du Lay, portée par des libéraux de Mareuil-sur-Lay-Dissais, Bessay, Corpe et Péault, a signé.",
        ["Mareuil-sur-Lay-Dissais", "Bessay", "Corpe", "Péault"],
    ),
    (
        "two-lines-of-names-under-a-bare-heading",
        "Nos communes\nThonon-les-Bains\nÉvian-les-Bains\n\nLa CPTS a signé.",
        ["Thonon-les-Bains", "Évian-les-Bains"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FOUND], ids=[c[0] for c in FOUND])
def test_territory_list_found(nlp, text, expected):
    got = _territory(nlp, text)
    if expected is None:
        assert len(got) == 3 and got[:2] == ["Dole", "Tavaux"]
    else:
        assert got == expected


NOT_TERRITORY = [
    ("hospital-towns", "La CPTS travaille avec les centres hospitaliers de Lannion et de Paimpol."),
    ("profession-towns", "Son président, médecin à Plérin et Pordic, a été élu."),
    ("two-names-no-cue", "Un colloque s'est tenu entre Vannes et Lorient la semaine dernière."),
    ("common-words", "Plan d'action. Corps médical et Maisons de santé se mobilisent."),
    ("capitalised-sentence-starts", "Mars arrive. Les soignants se réunissent en mars et en avril."),
    ("region-and-departement-names", "La CPTS est en Bretagne, dans la Mayenne et la Creuse."),
    ("names-of-other-cpts", "Elle échange avec les CPTS de Lannion, Guingamp et Paimpol."),
    ("other-cpts-active-in-three-towns", "D'autres CPTS sont déjà actives à Lannion, Guingamp et Paimpol."),
    ("one-town-a-hospital-covers", "L'hôpital couvre Mâcon et sa région, en lien avec la CPTS."),
    ("speakers-from-three-towns", "Les intervenants venus de Lannion, Guingamp et Paimpol ont présenté la CPTS."),
    ("two-cpts-in-the-sentence", "La CPTS du Trégor échange avec la CPTS voisine de Lannion, Guingamp et Paimpol."),
    ("two-cpts-named", "La CPTS Nord travaille avec la CPTS Sud à Lannion, Guingamp et Paimpol."),
    ("neighbouring-towns-no-cue", "Les soignants voisins, à Pontrieux, Plouëc-du-Trieux et Quemper-Guézennec, suivent."),
    ("towns-far-apart", "Des réunions ont eu lieu à Rennes, Vannes et Brest."),
    ("hospitals-of-three-towns", "Les centres hospitaliers de Lannion, Guingamp et Paimpol sont partenaires."),
    ("territoire-de-belfort-is-a-departement", "Il s'agit de la 2e CPTS du Territoire de Belfort."),
    ("doctors-surnames", "Le bureau réunit les Drs Laval, Vienne et Rennes, élus par les adhérents."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_TERRITORY], ids=[c[0] for c in NOT_TERRITORY])
def test_no_territory_list(nlp, text):
    assert _territory(nlp, text) == []


def test_outlier_of_another_departement_does_not_join(nlp):
    text = "La CPTS couvre les communes de Lamballe-Armor, Noyal, Andel, Coëtmieux et Bourgogne."
    assert "Bourgogne" not in _territory(nlp, text)


@pytest.mark.parametrize(
    ("written", "official"),
    [("St-Genis-l’Argentière", "Saint-Genis-l'Argentière"), ("SAINTE FOY LES LYON", "Sainte-Foy-lès-Lyon")],
    ids=["abbreviated-saint-curly-apostrophe", "capitals-spaces"],
)
def test_name_words_match_every_spelling(written, official):
    assert name_words(written) == name_words(official)
    assert name_words(official) in gazetteer().names


def test_gazetteer_finds_whole_names_only():
    text = "Réunion à Saint-Martin-Zzz puis à Saint-Étienne, avec Lyon."
    found = [text[h.start : h.end] for h in gazetteer().find(text)]
    assert "Saint-Martin" not in found
    assert "Saint-Étienne" in found and "Lyon" in found


@pytest.mark.xfail(strict=True, reason="known miss: a hyphen moved after 'sur' by a PDF or a copy ('Saint-Sébastiensur- Loire') "
                   "cuts the name at 'sur'; the dev set shows it once, a rule in formats/hyphens.py would have to tell it from prose")
def test_name_with_a_displaced_hyphen_is_whole(nlp):
    text = "La CPTS couvre six communes : Orvault, Sautron, Saint-Herblain, Couëron, Indre et Saint-Sébastiensur- Loire."
    assert _territory(nlp, text)[-1] in ("Saint-Sébastiensur- Loire", "Saint-Sébastien-sur-Loire")
