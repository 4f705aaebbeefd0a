import pytest

from pipeline.parse.names import extract_cpts_names, main_cpts

CASES = [
    ("signature", "La CPTS du Pays de Gex a signé son contrat.", ["pays-de-gex"]),
    ("quoted", "La CPTS « Les Portes du Soleil » est lancée.", ["portes-du-soleil"]),
    ("straight quotes", 'Le contrat de la CPTS "Sud Lyon" est signé.', ["sud-lyon"]),
    ("long form", "La Communauté professionnelle territoriale de santé du Val de Saône réunit 80 membres.", ["val-de-saone"]),
    ("long form with acronym", "La Communauté Professionnelle Territoriale de Santé (CPTS) Centre Ardèche est née.", ["centre-ardeche"]),
    ("inverted long form", "la communauté professionnelle de santé territoriale de Bresse et Revermont", ["bresse-et-revermont"]),
    ("hyphenated", "La CPTS Saint-Étienne-Ouest s'engage.", ["saint-etienne-ouest"]),
    ("apostrophe", "La CPTS de l’Ouest Lyonnais s’engage.", ["ouest-lyonnais"]),
    ("verb ends name", "La CPTS Bugey Sud propose des ateliers.", ["bugey-sud"]),
    ("upper case heading", "LA CPTS DU HAUT JURA, UN ENJEU", ["haut-jura"]),
    ("no name: verb", "La CPTS a su fédérer les professionnels.", []),
    ("no name: infinitive", "Elle permet à la CPTS de signer son contrat.", []),
    ("no name: plural", "Les CPTS sont une réponse aux besoins.", []),
    ("no name: an amount", "L'Assurance Maladie versera à la CPTS 52 000 € à la signature.", []),
    ("digits inside a name", "La CPTS des 3 Vallées signe.", ["3-vallees"]),
    ("no name: line break", "Le territoire de la CPTS\n\nVersement de 10 000 €", []),
    ("lower-case demonym", "La CPTS du Vignoble nantais a signé.", ["vignoble-nantais"]),
    ("lower-case demonym feminine", "La CPTS de la Plaine toulousaine compte 90 adhérents.", ["plaine-toulousaine"]),
    ("verb-like ending only at line end", "CPTS de la Bresse bourguignonne\nLa CPTS de la Bresse bourguignonne rassemble 80 membres.",
     ["bresse-bourguignonne", "bresse-bourguignonne"]),
    ("verb ending is no demonym", "La CPTS Sud Vexin fonctionne depuis deux ans.", ["sud-vexin"]),
    ("not a demonym: désormais", "La CPTS Bugey Sud désormais signataire.", ["bugey-sud"]),
    ("acronym in parentheses is no second CPTS", "La CPTS du Pays de Morlaix (CPTS PM) a signé.", ["pays-de-morlaix"]),
    ("no name: plural before a région", "Au total, 14 millions d'euros aux CPTS du Grand Est en 2023.", []),
    ("no name: plural long form", "Huit communautés professionnelles territoriales de santé (CPTS) des Hauts-de-France ont signé.", []),
    ("no name: number before", "Le département compte 12 CPTS Nord et Sud confondues.", []),
    ("no name: lower-case only", "C'est la première CPTS de l'île sous contrat.", []),
    ("name after a line with a number", "Adhérents | 80\nCPTS Iroise\nAdhérents | 55", ["iroise"]),
]


@pytest.mark.parametrize("label,text,keys", CASES, ids=[c[0] for c in CASES])
def test_names(nlp, label, text, keys):
    names = extract_cpts_names(nlp(text))
    assert [n.key for n in names] == keys
    for n in names:
        assert text[n.char_start : n.char_end] == n.text


def test_main_cpts_is_most_named(nlp):
    text = (
        "Après la CPTS Grand Lyon, c'est au tour de la CPTS Val d'Azergues de signer. "
        "La CPTS Val d'Azergues réunit 50 professionnels."
    )
    assert [c.key for c in main_cpts(extract_cpts_names(nlp(text)))] == ["val-d-azergues"]


def test_two_cpts_named_equally_are_both_main(nlp):
    text = "La CPTS Nord Isère signe. La CPTS Sud Isère signe aussi."
    assert [c.key for c in main_cpts(extract_cpts_names(nlp(text)))] == ["nord-isere", "sud-isere"]


def test_sections_make_every_headed_cpts_main(nlp):
    text = (
        "Trois CPTS signent : les CPTS du Léon, Iroise et du Pays de Landerneau.\n"
        "CPTS du Léon\nAdhérents | 80\n"
        "CPTS Iroise\nAdhérents | 55\n"
        "CPTS du Pays de Landerneau\nAdhérents | 61\n"
    )
    assert [c.key for c in main_cpts(extract_cpts_names(nlp(text)), text)] == ["leon", "iroise", "pays-de-landerneau"]


def test_a_list_of_cpts_lines_is_no_set_of_sections(nlp):
    text = "Les CPTS du Finistère :\nCPTS du Léon\nCPTS Iroise\nCPTS Cornouaille\n\nLa CPTS Iroise signe. La CPTS Iroise compte 55 membres."
    assert [c.key for c in main_cpts(extract_cpts_names(nlp(text)), text)] == ["iroise"]


@pytest.mark.parametrize(
    "name,key",
    [
        ("000_922f433c6195bcc5.txt", "monts-du-lyonnais"),
        ("001_363b00f524731fbb.txt", "vallee-du-gier"),
        ("002_d1d4a439058671fa.txt", "haute-combraille-et-volcans"),
        ("003_7f25dc428b94a01c.txt", "coeur-de-savoie"),
        ("004_84bb71dd86eb792a.txt", "roannais-defi-sante"),
    ],
)
def test_shipped_main_cpts_matches_gold(nlp, shipped_texts, name, key):
    assert [c.key for c in main_cpts(extract_cpts_names(nlp(shipped_texts[name])))] == [key]
