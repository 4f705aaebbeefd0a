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
    ("arrondissement in lower case", "La CPTS du 15e arrondissement a signé son contrat.", ["15e-arrondissement"]),
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


# Phenomena of real communiqués: a CPTS named without "CPTS X", names that must stop where the name does.
NAMED_OTHERWISE = [
    ("naming verb, quoted", "Créée en 2020 et baptisée « Rives de l'Aff », la communauté compte 70 adhérents.",
     ["rives-de-l-aff"]),
    ("naming phrase, capitalised", "Notre CPTS porte le nom de Cœur de Brenne depuis sa création.", ["coeur-de-brenne"]),
    ("naming verb names a maison de santé", "La maison de santé, baptisée « Les Genêts », travaille avec la CPTS.", []),
    ("naming verb with no CPTS in the sentence", "Le nouveau parcours, baptisé « Cap Santé », démarre en mai.", []),
    ("naming participle after the sentence naming the CPTS",
     "Les soignants de quatre communes ont lancé leur communauté professionnelle territoriale de santé. "
     "Baptisée « Vallée de l'Oise Santé », la structure signe son contrat.", ["vallee-de-l-oise-sante"]),
    ("naming participle after a sentence about a maison de santé",
     "La CPTS accompagne la maison de santé ouverte en mai. Baptisée « Les Glycines », elle accueille six médecins.", []),
    ("naming verb right after CPTS X: a second name", "La CPTS du Lez, baptisée « Santé Lez », a signé son contrat.", ["lez"]),
    ("naming participle after a sentence with CPTS X: a second name",
     "La CPTS du Lez a signé. Baptisée « Santé Lez », elle réunit 40 membres.", ["lez"]),
    ("naming verb in a sentence about the communauté de communes",
     "La communauté de communes a voté un plan. Baptisé « Cap Santé », il démarre en mai.", []),
    ("naming participle after a sentence about something else",
     "Les élus ont voté un nouveau plan. Baptisé « Cap Santé », il démarre en mai.", []),
    ("adjective of scope before the name",
     "La communauté professionnelle territoriale de santé interdépartementale Sud Charente-Périgord a signé.",
     ["sud-charente-perigord"]),
    ("adjective of scope and no name", "Une CPTS (communauté professionnelle territoriale de santé) bi-départementale tournée vers les patients.", []),
    ("long form with acronym then de", "La communauté professionnelle territoriale de santé (CPTS) de Guingamp réunit 90 soignants.",
     ["guingamp"]),
    ("capitals", "LA CPTS DES RIVES DU LOT S’ENGAGE", ["rives-du-lot"]),
    ("elided pronoun ends a name", "LA CPTS DU VAL D’ALLIER N’A PAS SIGNÉ", ["val-d-allier"]),
    ("capitalised elided word stays in a name", "La CPTS Sud Ard’Ouvèze a signé.", ["sud-ard-ouveze"]),
    ("hyphen after CPTS", "Le bureau de la CPTS-ACSO se réunit.", ["acso"]),
    ("acronym the text gives a name", "La CPTS Rennes Nord (CPTS-RN) signe. La CPTS RN compte 80 membres.", ["rennes-nord", "rennes-nord"]),
    ("acronym used before its gloss", "La CPTS SL recrute. La CPTS Sud Lys (SL) a signé.", ["sud-lys", "sud-lys"]),
    ("noun keeps its lower-case complement", "Depuis 2021, la CPTS de la Pointe du raz accueille les internes.", ["pointe-du-raz"]),
    ("complement after an elided article", "La CPTS du Bout de l'île a signé.", ["bout-de-l-ile"]),
    ("ordinal before a town names it", "Ils ont créé la première CPTS de Lorient en mars.", ["lorient"]),
    ("ordinal before a département is no name", "C'est la 4e CPTS de la Manche à signer.", []),
    ("ordinal before a région is no name", "Elle devient la deuxième CPTS de Normandie.", []),
    ("plural with an adjective is no name", "Elle travaille avec les 3 futures CPTS du Pays basque.", []),
    ("no name opening with en", "La dissolution d'une CPTS en Normandie au 31 mars inquiète.", []),
    ("no name opening with et", "La CPTS et la Mission Locale de Dieppe signent une convention.", []),
    ("no name opening with sur", "Une CPTS sur le Territoire de Brest est en projet.", []),
    ("name stops before a date", "La CPTS Iroise Nord en Finistère au 1er janvier.", ["iroise-nord"]),
    ("name stops before et + a structure", "La CPTS Nord Cotentin et le Centre Hospitalier de Valognes signent.",
     ["nord-cotentin"]),
    ("said to be a CPTS, opening its sentence",
     "Santé Coordonnée Trois Rivières est une communauté professionnelle territoriale de santé fondée en 2021.",
     ["sante-coordonnee-trois-rivieres"]),
    ("said to be a CPTS, after l'association", "L'association Soins en Pays Bigouden est une CPTS.",
     ["soins-en-pays-bigouden"]),
    ("said to be a CPTS, quoted one word", "« Sémaphore » est la CPTS de la côte.", ["semaphore"]),
    ("said to be a CPTS: a pronoun is no name", "Elle est une CPTS depuis 2022.", []),
    ("said to be a CPTS: one capitalised word is no name", "Lannion est une CPTS très active.", []),
    ("said to be a CPTS: a possessive is no name", "Notre Association est une CPTS reconnue.", []),
    ("name stops before et + a signatory", "La CPTS Haute Saintonge et l'Assurance Maladie signent l'accord.",
     ["haute-saintonge"]),
    ("name stops before et + an ARS", "Entre la CPTS du Val de Sèvre et l'ARS, un contrat de cinq ans.", ["val-de-sevre"]),
    ("et + a capitalised place stays in the name", "La CPTS Saône et Loire Sud a signé.", ["saone-et-loire-sud"]),
    ("et + article + place stays in the name", "La CPTS Vallée du Lot et de la Lémance a signé.",
     ["vallee-du-lot-et-de-la-lemance"]),
]


@pytest.mark.parametrize("label,text,keys", NAMED_OTHERWISE, ids=[c[0] for c in NAMED_OTHERWISE])
def test_names_written_otherwise(segmented, label, text, keys):
    names = extract_cpts_names(segmented(text))
    assert [n.key for n in names] == keys
    for n in names:
        assert text[n.char_start : n.char_end] == n.text
        assert n.rule


@pytest.mark.parametrize(
    "text,source",
    [("La CPTS ACSO a signé son contrat.", "acronym"), ("La CPTS Sud Loiret a signé son contrat.", "explicit"),
     ("Baptisée « Val de Lorraine », la CPTS compte 40 membres.", "explicit")],
    ids=["acronym only", "words", "naming verb"],
)
def test_name_source(segmented, text, source):
    [name] = extract_cpts_names(segmented(text))
    assert name.source == source


SUBJECTS = [
    ("a CPTS with its president named is a subject",
     "« Travailler ensemble change tout », dit Anne Roux, présidente de la CPTS Sud Lys. "
     "Pour Marc Dupin, président de la CPTS Nord Lys, l'accès aux soins prime. La CPTS Nord Lys suit 300 patients.",
     ["sud-lys", "nord-lys"]),
    ("another CPTS named in passing is a mention",
     "La CPTS Pays de Dinan signe son contrat. Comme la CPTS Rance Émeraude avant elle, "
     "la CPTS Pays de Dinan mise sur l'accès aux soins.",
     ["pays-de-dinan"]),
    ("a comparison is the subject when nothing else is named",
     "Comme la CPTS Sud Lys, les soignants se mobilisent.", ["sud-lys"]),
    ("a vice-président makes no subject",
     "La CPTS Pays de Dinan signe. Paul Morin, vice-président de la CPTS Rance Émeraude, était présent. "
     "La CPTS Pays de Dinan compte 80 membres.",
     ["pays-de-dinan"]),
]


@pytest.mark.parametrize("label,text,keys", SUBJECTS, ids=[c[0] for c in SUBJECTS])
def test_subjects(segmented, label, text, keys):
    assert [c.key for c in main_cpts(extract_cpts_names(segmented(text)), text)] == keys


STORY = "La CPTS compte 45 adhérents. Créée en 2021, la CPTS mise sur l'accès à un médecin traitant."
UNNAMED = [
    ("dateline with a full stop", "Redon. Les soignants libéraux se fédèrent\n\n" + STORY, "redon", "headline_place"),
    ("kicker alone on its line", "PLOËRMEL\nLes soignants libéraux se fédèrent\n\n" + STORY, "ploermel", "headline_place"),
    ("dateline with a dash", "Les soignants libéraux se fédèrent\n\nLANNION — " + STORY, "lannion", "headline_place"),
    ("town after à in the headline", "Les soignants s'unissent à Quimperlé\n\n" + STORY, "quimperle", "headline_place"),
    ("headline opening with À", "À Landerneau, les soignants s'unissent\n\n" + STORY, "landerneau", "headline_place"),
    ("dateline with the département in parentheses", "Guer (Morbihan). Les soignants s'unissent\n\n" + STORY, "guer",
     "headline_place"),
    ("pays in the headline", "Loire-Atlantique : en Castelbriantais, les soignants font front\n\n" + STORY,
     "castelbriantais", "headline_place"),
    ("creation told as news", "Vitré. Les soignants libéraux se fédèrent\n\nUne CPTS vient de voir le jour. "
     "Elle réunit 60 professionnels de la CPTS naissante autour de la CPTS voisine.", "vitre", "headline_place"),
    ("another CPTS named in a comparison", "Redon. Les soignants libéraux se fédèrent\n\n" + STORY
     + " Comme la CPTS Pays de Ploërmel avant elle, elle vise 100 adhérents.", "redon", "headline_place"),
    ("town as the headline's subject", "Loudéac a désormais sa CPTS\n\n" + STORY, "loudeac", "headline_place"),
    ("pays as the headline's subject", "Le Pays d'Auge se dote d'une CPTS\n\n" + STORY, "pays-d-auge", "headline_place"),
    ("subject after a kicker", "Santé. Le Pays de Lannion a enfin sa CPTS\n\n" + STORY, "pays-de-lannion", "headline_place"),
    ("subject after a two-word kicker and a colon", "Offre de soins : Guingamp lance sa CPTS\n\n" + STORY, "guingamp",
     "headline_place"),
    ("seat town in the body", "Les soignants s'organisent\n\nLa CPTS, basée à Josselin, réunit 30 soignants. " + STORY,
     "josselin", "territory_town"),
]


@pytest.mark.parametrize("label,text,key,source", UNNAMED, ids=[c[0] for c in UNNAMED])
def test_unnamed_cpts_named_after_its_place(segmented, label, text, key, source):
    title = text.split("\n")[0]
    [cpts] = main_cpts(extract_cpts_names(segmented(text)), text, title)
    assert (cpts.key, cpts.source) == (key, source)
    assert text[cpts.char_start : cpts.char_end] == cpts.text
    assert cpts.rule


NOT_ONE_CPTS = [
    ("generic page", "Les CPTS en questions\n\nUne CPTS rassemble les professionnels d'un territoire. "
     "Les CPTS signent un accord avec l'Assurance Maladie. La CPTS est un outil souple."),
    ("maison de santé page", "Quimperlé. La maison de santé pluriprofessionnelle ouvre ses portes\n\n"
     "La MSP accueille 12 soignants. La MSP travaille avec la CPTS du secteur. La maison de santé a coûté 2 M€. "
     "Elle adhère à la CPTS."),
    ("national agreement", "Paris. Accord conventionnel interprofessionnel\n\n"
     "L'Assurance Maladie et les syndicats signent l'accord sur les CPTS. Les CPTS recevront des financements."),
    ("a département is too wide", "Morbihan : les soignants se fédèrent\n\n" + STORY),
    ("a département as the headline's subject", "Le Morbihan se dote d'une CPTS\n\n" + STORY),
    ("a commune that the text uses as a common word", "Plan : les soignants se fédèrent\n\n"
     "La CPTS compte 45 adhérents. Un plan d'action est prévu par la CPTS."),
    ("no place at all", "Les soignants se fédèrent\n\n" + STORY),
    ("a single reference", "Redon. Les soignants libéraux se fédèrent\n\nIls ont rejoint la CPTS en 2021."),
    ("how-to page", "Redon. Comment créer une CPTS ?\n\nPour créer une CPTS, réunissez les soignants. "
     "Une CPTS signe un contrat. La CPTS est une association."),
]


@pytest.mark.parametrize("label,text", NOT_ONE_CPTS, ids=[c[0] for c in NOT_ONE_CPTS])
def test_no_unnamed_cpts(segmented, label, text):
    assert main_cpts(extract_cpts_names(segmented(text)), text, text.split("\n")[0]) == []


def test_unnamed_place_is_a_commune_as_the_reference_says():
    """``unnamed`` reads the newest millésime itself (parse imports no normalise): it must agree with the COG look-up."""
    import pyarrow.parquet as pq

    from pipeline.catalog import REFERENCE_DIR
    from pipeline.normalise.cog import load_reference
    from pipeline.parse.names.unnamed import _is_commune

    reference = load_reference(REFERENCE_DIR)
    names = sorted(set(pq.read_table(REFERENCE_DIR / "communes.parquet", columns=["nom"])["nom"].to_pylist()))[::40]
    samples = ["Vitré", "VITRÉ", "Le Bessat", "Bessat", "Abymes", "La Abymes", "Lyon 3e", "St Etienne", "Arrou", "Plan",
               "Bergeracois", "Bretagne", *names, *(f"Le {n}" for n in names), *(n.split("-")[0] for n in names)]
    assert [s for s in samples if _is_commune(s) != bool(reference.lookup(s, reference.newest))] == []
