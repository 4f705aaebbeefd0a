"""Dates: candidate shapes, roles, the no-year rule and the publication bound."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.dates import extract_dates, publication_date
from pipeline.records import DateFact

GOLD_DIR = Path(__file__).parent / "gold"


def _dates(nlp, text: str, hint: date | None = None) -> list[DateFact]:
    """Run only the segmenter and the dates component, with an optional HTML publication hint."""
    doc = nlp.make_doc(text)
    doc._.published_hint = hint
    doc = nlp.get_pipe("cpts_segmenter")(doc)
    return extract_dates(doc)


def _rows(facts: list[DateFact]) -> list[tuple[str, str | None, str]]:
    return sorted((f.role, f.value.isoformat() if f.value else None, f.precision) for f in facts)


CASES = [
    # signature
    ("signature weekday", "La CPTS du Val de Sèvre a signé son contrat ACI ce mardi 14 septembre 2021 avec la CPAM.",
     [("signature", "2021-09-14", "day")]),
    ("signature 1er", "Le contrat a été signé le 1er juillet 2022 à Tours.", [("signature", "2022-07-01", "day")]),
    ("signature noun after date", "Le 23 novembre 2021 a eu lieu la signature du contrat de la CPTS Sud Vendée.",
     [("signature", "2021-11-23", "day")]),
    ("contractualisé", "L'ARS Bretagne a contractualisé le 8 avril 2022 avec la CPTS du Pays de Brocéliande.",
     [("signature", "2022-04-08", "day")]),
    ("signature numeric", "Signature du contrat ACI le 17/03/2022 entre la CPTS et l'Assurance Maladie.",
     [("signature", "2022-03-17", "day")]),
    ("signature upper case", "SIGNATURE DU CONTRAT LE 2 JUIN 2021", [("signature", "2021-06-02", "day")]),
    ("signature abbreviated month", "Contrat signé le 4 févr. 2022 par les deux financeurs.",
     [("signature", "2022-02-04", "day")]),
    ("signature without accents", "La CPTS a signe son contrat le 12 aout 2021.", [("signature", "2021-08-12", "day")]),
    ("same date stated twice", "Le contrat a été signé le 5 mai 2022. La signature du 5 mai 2022 ouvre des financements.",
     [("signature", "2022-05-05", "day")]),
    # creation
    ("creation month", "Constituée en mars 2018, la CPTS regroupe 140 adhérents.", [("creation", "2018-03-01", "month")]),
    ("creation year", "La CPTS, créée en 2017 par des infirmiers libéraux, couvre 12 communes.",
     [("creation", "2017-01-01", "year")]),
    ("creation and signature", "Née au printemps 2019, la CPTS Haut Bugey a signé son contrat le 6 mai 2021.",
     [("creation", "2019-03-01", "season"), ("signature", "2021-05-06", "day")]),
    ("one date two roles", "La CPTS est créée ce 12 janvier 2022 par la signature de son contrat.",
     [("creation", "2022-01-12", "day"), ("signature", "2022-01-12", "day")]),
    # deadline
    ("deadline month", "Un agenda partagé sera déployé d'ici juin 2023.", [("deadline", "2023-06-01", "month")]),
    ("deadline end of year", "Les protocoles seront rédigés avant la fin de l'année 2024.",
     [("deadline", "2024-01-01", "year")]),
    ("deadline season", "La maison de santé ouvrira d’ici l’hiver 2022.", [("deadline", "2022-12-01", "season")]),
    ("deadline horizon", "Objectif : 500 patients suivis à l'horizon 2026.", [("deadline", "2026-01-01", "year")]),
    ("deadline day", "Le diagnostic devra être rendu au plus tard le 30 septembre 2022.",
     [("deadline", "2022-09-30", "day")]),
    ("deadline beats signature cue", "Le contrat sera signé d'ici mars 2023.", [("deadline", "2023-03-01", "month")]),
    # publication
    ("dateline", "Paris, le 12 avril 2023\nLa CPTS Grand Paris Nord s'étend sur 4 communes.",
     [("publication", "2023-04-12", "day")]),
    ("dateline then signing", "Rennes, le 3 mars 2022 – L'ARS et la CPAM ont signé aujourd'hui le contrat de la CPTS.",
     [("publication", "2022-03-03", "day"), ("signature", "2022-03-03", "day")]),
    ("date line alone", "COMMUNIQUÉ DE PRESSE\nJeudi 9 juin 2022\nUne nouvelle CPTS en Dordogne",
     [("publication", "2022-06-09", "day")]),
    ("publié le", "Publié le 28/02/2023\nLa CPTS du Bergeracois réunit 60 adhérents.", [("publication", "2023-02-28", "day")]),
    ("communiqué du", "Communiqué de presse du 15 janvier 2022", [("publication", "2022-01-15", "day")]),
    ("date line far down is not a header", "\n".join(f"Ligne {i}" for i in range(20)) + "\nLa CPTS, 9 juin 2022",
     [("other", "2022-06-09", "day")]),
    ("label then value", "Date de signature :\n\n12 mai 2022\nPopulation : 30 000", [("signature", "2022-05-12", "day")]),
    ("publication label then value", "Communiqué de presse :\n3 octobre 2022", [("publication", "2022-10-03", "day")]),
    # no year
    ("no year, year from publication", "Nantes, le 10 décembre 2021\nLa signature a eu lieu ce 2 décembre à la CPAM.",
     [("publication", "2021-12-10", "day"), ("signature", "2021-12-02", "day")]),
    ("no year, no publication", "La signature a eu lieu ce 2 décembre à la CPAM.", [("signature", None, "no_year")]),
    ("no year, would follow publication", "Lyon, le 15 février 2022\nLe contrat a été signé le 20 décembre.",
     [("publication", "2022-02-15", "day"), ("signature", None, "no_year")]),
    ("no year, weekday", "La CPTS signera vendredi 24 juin son contrat.", [("signature", None, "no_year")]),
    # the publication bound
    ("stated year after publication dropped", "Marseille, le 4 mai 2021\nEn 2023, la CPTS ouvrira un centre de soins.",
     [("publication", "2021-05-04", "day")]),
    ("deadline after publication kept", "Marseille, le 4 mai 2021\nLes 20 médecins seront formés d'ici mars 2022.",
     [("deadline", "2022-03-01", "month"), ("publication", "2021-05-04", "day")]),
    # other
    ("other season", "Depuis le printemps 2020, la CPTS anime un groupe de pairs.", [("other", "2020-03-01", "season")]),
    ("other month", "La CPTS Berry Sud a tenu une réunion publique en octobre 2021.", [("other", "2021-10-01", "month")]),
    ("background date about CPTS in general", "Depuis le printemps 2020, les CPTS bénéficient de l'ACI.", []),
    ("background event elsewhere", "Une réunion publique s'est tenue en octobre 2021 à Bourges.", []),
    ("signataires is no signing cue", "Depuis l'été 2019, la CPTS et ses signataires bénéficient de financements.",
     [("other", "2019-06-01", "season")]),
    # unseen phrasings (issue 4)
    ("dernier in the previous year", "Quimper, le 9 janvier 2023\nLa CPTS Cornouaille a signé son contrat le 12 décembre dernier.",
     [("publication", "2023-01-09", "day"), ("signature", "2022-12-12", "day")]),
    ("dernier in the same year", "Publié le 20/09/2022\nLa CPTS du Pays de Retz a signé son contrat le 1er juillet dernier.",
     [("publication", "2022-09-20", "day"), ("signature", "2022-07-01", "day")]),
    ("two-digit year", "Communiqué du 14/10/21\nLa CPTS Vexin a signé le 12 octobre.",
     [("publication", "2021-10-14", "day"), ("signature", "2021-10-12", "day")]),
    ("iso date", "Date de publication : 2021-10-14\nLa CPTS Vexin a signé le 12 octobre.",
     [("publication", "2021-10-14", "day"), ("signature", "2021-10-12", "day")]),
    ("paraphé", "Le contrat de la CPTS Artois a été paraphé le 6 mai 2022 à Arras.", [("signature", "2022-05-06", "day")]),
    ("officialisé", "La CPTS Haut-Jura a officialisé son contrat ACI le 2 février 2022.", [("signature", "2022-02-02", "day")]),
    ("conclu", "Le contrat a été conclu le 30 mars 2022 entre la CPTS et la CPAM.", [("signature", "2022-03-30", "day")]),
    ("signature claims the date after it", "La CPTS Ouest Var, fondée en mai 2020, a signé son contrat le 7 avril 2022.",
     [("creation", "2020-05-01", "month"), ("signature", "2022-04-07", "day")]),
    ("loi 1901 is not the date's law", "La CPTS, constituée en association loi 1901 en février 2020, compte 70 membres.",
     [("creation", "2020-02-01", "month")]),
    # not dates
    ("phone with a 20xx group", "La CPTS répond au 02 99 12 03 2022.", []),
    ("two-digit year in a phone number", "Standard : 02.99.14.03.22", []),
    ("time range", "Permanence de 14 h à 20 h le samedi.", []),
    ("time", "Rendez-vous à 9h30 devant la mairie.", []),
    ("duration over years", "Une rémunération de 900 000 € sur 5 ans.", []),
    ("duration within", "L'installation de 2 médecins est prévue d'ici 1 an.", []),
    ("duration months", "Une expérimentation pendant 3 mois.", []),
    ("law number and date", "Prévues par la loi n° 2019-774 du 24 juillet 2019 relative à l'organisation du système de santé.", []),
    ("law month", "Créées par la loi de modernisation de notre système de santé de janvier 2016, les CPTS se déploient.", []),
    ("decree", "Conformément au décret du 3 août 2021, la CPTS est financée.", []),
    ("phone spaced", "Contact presse : 04 72 34 74 00", []),
    ("phone dotted", "Standard : 04.72.34.20.21", []),
    ("programme name", "Dans le cadre de la stratégie « Ma Santé 2022 », les CPTS se multiplient.", []),
    ("programme hashtag", "#MaSanté2022 #Coordination", []),
    ("amount", "Une aide de 2020 € et un forfait de 1 050 000 €.", []),
    ("counts", "Il s'agit de la 6ème CPTS du département, créée il y a 6 ans, avec 80 % de couverture.", []),
    ("bare year without intro", "Le rapport 2021 de la CPTS est disponible.", []),
    ("month without year", "Le centre a évolué en mai dernier.", []),
    ("season without year", "Un accord favorise depuis cet été leur déploiement.", []),
    ("impossible date", "Réunion le 31 février 2021.", []),
    ("year range", "Le plan régional 2018-2022 et la période 2019-2020.", []),
    # round 2 (u4): relative days, long subjects, amendments, tables, wrapped lines
    ("signed yesterday", "Pointe-à-Pitre, 12/10/2023 – La CPTS Sud Basse-Terre a signé hier son contrat avec la CGSS.",
     [("publication", "2023-10-12", "day"), ("signature", "2023-10-11", "day")]),
    ("signs today", "Tulle, le 9 mai 2023\nLa CPTS de Haute-Corrèze signe aujourd'hui son accord conventionnel.",
     [("publication", "2023-05-09", "day"), ("signature", "2023-05-09", "day")]),
    ("today not after the cue", "Tulle, le 9 mai 2023\nLa CPTS, qui compte aujourd'hui 80 membres, a signé son contrat.",
     [("publication", "2023-05-09", "day")]),
    ("yesterday without publication", "La CPTS a signé hier son contrat.", []),
    # a past weekday is the last such day before the publication day (a week back on the same weekday)
    ("last thursday", "Morlaix, le 16 mai 2025 – La CPTS du pays de Morlaix a paraphé jeudi dernier son contrat ACI.",
     [("publication", "2025-05-16", "day"), ("signature", "2025-05-15", "day")]),
    ("last friday opening the sentence",
     "Dinan, le 16 mai 2025\nVendredi dernier, les représentants de la CPTS Rance Émeraude ont signé l'accord.",
     [("publication", "2025-05-16", "day"), ("signature", "2025-05-09", "day")]),
    ("last monday as other date", "Dinan, le 16 mai 2025\nLundi dernier, la CPTS a réuni ses adhérents.",
     [("publication", "2025-05-16", "day"), ("other", "2025-05-12", "day")]),
    # a bare weekday right after a past signing or founding verb is the last such day before the publication
    ("bare weekday after a past signing verb",
     "Saint-Lô, le 7 mars 2024 – La CPTS du Centre Manche a officiellement signé mardi son contrat ACI.",
     [("publication", "2024-03-07", "day"), ("signature", "2024-03-05", "day")]),
    ("bare weekday after a past passive founding verb",
     "Publié le 30 juin 2023\nL'association des soignants du Val a été créée samedi : c'est la CPTS du Val.",
     [("publication", "2023-06-30", "day"), ("creation", "2023-06-24", "day")]),
    ("bare weekday after a present verb is to come",
     "Saint-Lô, le 7 mars 2024 – La CPTS du Centre Manche signe lundi son contrat ACI.",
     [("publication", "2024-03-07", "day")]),
    ("bare weekday after a future verb is to come",
     "Saint-Lô, le 7 mars 2024 – La CPTS du Centre Manche signera vendredi son contrat ACI.",
     [("publication", "2024-03-07", "day")]),
    ("opening date with dernier, long subject",
     "Publié le 3 juin 2024\nLe 28 mai dernier, Paul Girard, président de la CPTS du Lodévois, Anne Vidal, directrice "
     "de la caisse primaire de l'Hérault, et Yves Bonnet, délégué départemental de l'ARS, ont paraphé l'accord.",
     [("publication", "2024-06-03", "day"), ("signature", "2024-05-28", "day")]),
    ("opening date after a dateline's dash",
     "Lodève, le 3 juin 2024 – Le 28 mai, Paul Girard, président de la CPTS du Lodévois, Anne Vidal, directrice "
     "de la caisse primaire de l'Hérault, et Yves Bonnet, délégué départemental de l'ARS, ont paraphé l'accord.",
     [("publication", "2024-06-03", "day"), ("signature", "2024-05-28", "day")]),
    # the statutes of the association are its founding, not the contract's signature
    ("statutes signed", "La CPTS des Abers a signé son ACI en 2023. Ses statuts avaient été signés le 2 mars 2021.",
     [("signature", "2023-01-01", "year"), ("creation", "2021-03-02", "day")]),
    ("signature of the statutes", "La signature des statuts de la CPTS des Abers a eu lieu le 2 mars 2021.",
     [("creation", "2021-03-02", "day")]),
    ("filed at the préfecture", "L'association CPTS des Abers a été déposée en préfecture le 9 avril 2021.",
     [("creation", "2021-04-09", "day")]),
    ("contract signed after the statutes changed",
     "La CPTS des Abers a signé son contrat le 5 mai 2023, après avoir modifié ses statuts.",
     [("signature", "2023-05-05", "day")]),
    # another contract than the CPTS's: no signature of its own
    ("a contrat local de santé signed", "La communauté de communes a signé le 4 avril 2023 son contrat local de santé, "
     "qui soutient la CPTS de l'Erdre.", [("other", "2023-04-04", "day")]),
    ("a convention de partenariat signed before its date",
     "La convention de partenariat entre la CPTS de l'Erdre et la clinique a été signée le 4 avril 2023.",
     [("other", "2023-04-04", "day")]),
    ("the ACI signed, then a partnership in the same sentence",
     "La CPTS de l'Erdre a signé le 4 avril 2023 son ACI, puis une convention de partenariat avec la clinique.",
     [("signature", "2023-04-04", "day")]),
    # another establishment's events are not the CPTS's
    ("a hospital's contract", "La CPTS de l'Oust compte 60 adhérents. Le centre hospitalier de Ploërmel a signé le "
     "3 mars 2023 son contrat avec l'ARS.", []),
    ("a maison de santé's creation", "La CPTS de l'Oust compte 60 adhérents. La MSP de Josselin, créée en 2018, "
     "accueille 14 professionnels.", []),
    ("a hospital with the CPTS", "Le centre hospitalier et la CPTS de l'Oust ont signé l'ACI le 3 mars 2023.",
     [("signature", "2023-03-03", "day")]),
    ("bare weekday without publication", "La CPTS du Centre Manche a signé mardi son contrat ACI.", []),
    # a month without a year is of the publication's year, unless it would come after it (a plan)
    ("end of a month of the year", "Vannes, le 3 mai 2024 – La CPTS du Golfe a signé son contrat fin mars.",
     [("publication", "2024-05-03", "day"), ("signature", "2024-03-01", "month")]),
    ("month of the publication", "Vannes, le 3 mai 2024 – La CPTS du Golfe a signé son contrat en mai.",
     [("publication", "2024-05-03", "day"), ("signature", "2024-05-01", "month")]),
    ("month after the publication is a plan", "Vannes, le 3 mai 2024 – La CPTS du Golfe signera son contrat en juin.",
     [("publication", "2024-05-03", "day")]),
    ("next month", "Vannes, le 3 mai 2024\nLa CPTS du Golfe signera son contrat en mars prochain.",
     [("publication", "2024-05-03", "day")]),
    ("last weekday without publication", "La CPTS a signé mardi dernier son contrat.", []),
    ("weekday with its date and past marker", "Dinan, le 16 mai 2025\nLa CPTS a signé le mardi 6 mai dernier.",
     [("publication", "2025-05-16", "day"), ("signature", "2025-05-06", "day")]),
    ("opening date long subject",
     "Le 14 février 2023, la caisse primaire d'assurance maladie de l'Aude, l'Agence régionale de santé Occitanie et "
     "les représentants de la communauté professionnelle territoriale de santé du Lauragais, réunis à Castelnaudary, "
     "ont signé l'accord.",
     [("signature", "2023-02-14", "day")]),
    ("since the signature", "Depuis la signature, la CPTS a orienté 4 000 patients en 2022.", [("other", "2022-01-01", "year")]),
    ("at the signature with its date", "Dès la signature, le 3 mai 2022, la CPTS a reçu son avance.",
     [("signature", "2022-05-03", "day")]),
    ("since its creation apposed", "Il préside la CPTS depuis sa création, à l'automne 2019.", [("creation", "2019-09-01", "season")]),
    ("amendment signed", "La CPAM et l'ARS ont signé le 6 avril 2023 un avenant au contrat de la CPTS, conclu le 2 juin 2021.",
     [("other", "2023-04-06", "day"), ("signature", "2021-06-02", "day")]),
    ("table column header",
     "CPTS | Création | Date de signature\nCPTS Nord | 2019 | 14/03/2023\nCPTS Sud | 2020 | 02/05/2023\n"
     "CPTS Est | 2021 | 30/06/2023",
     [("signature", "2023-03-14", "day"), ("signature", "2023-05-02", "day"), ("signature", "2023-06-30", "day")]),
    ("table without header", "La CPTS Nord | 14/03/2023\nLa CPTS Sud | 02/05/2023",
     [("other", "2023-03-14", "day"), ("other", "2023-05-02", "day")]),
    ("renewal verb", "La CPTS a renouvelé le 9 octobre 2024 son accord avec la CPAM de l'Ain.",
     [("signature", "2024-10-09", "day")]),
    ("renewal noun", "Le renouvellement du contrat de la CPTS a eu lieu le 27 mars 2025.",
     [("signature", "2025-03-27", "day")]),
    ("reconduction", "Le contrat, reconduit le 2 février 2024, court pour cinq ans.", [("signature", "2024-02-02", "day")]),
    ("renewal in a creation sentence", "Née en 2019, la CPTS renouvelle aujourd'hui son engagement.",
     [("creation", "2019-01-01", "year")]),
    ("hard-wrapped signature", "L'ARS et la CGSS ont signé\nle 12 décembre 2022 l'accord de la\nCPTS Centre.",
     [("signature", "2022-12-12", "day")]),
    ("other sentence of the paragraph",
     "Une avance sera versée après la signature. Le reste dépendra des indicateurs. L'ARS avait accordé une aide à la CPTS en 2020.",
     [("other", "2020-01-01", "year")]),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_phrasings(nlp, label, text, expected):
    facts = _dates(nlp, text)
    assert _rows(facts) == sorted(expected)
    for fact in facts:
        assert text[fact.char_start : fact.char_end] == fact.text


def test_span_is_the_date_itself(nlp):
    text = "La CPTS a signé ce lundi 7 mars 2022 et existe depuis l'automne 2020."
    assert [f.text for f in _dates(nlp, text)] == ["lundi 7 mars 2022", "automne 2020"]


def test_hint_gives_the_year(nlp):
    facts = _dates(nlp, "Le contrat a été signé ce 21 novembre.", hint=date(2022, 11, 30))
    assert _rows(facts) == [("signature", "2022-11-21", "day")]


def test_hint_bounds_dates(nlp):
    facts = _dates(nlp, "Le contrat a été signé le 21 novembre 2023.", hint=date(2022, 11, 30))
    assert facts == []


def test_stated_publication_beats_hint(nlp):
    facts = _dates(nlp, "Lyon, le 3 mars 2021\nContrat signé ce 1er mars.", hint=date(2024, 1, 1))
    assert _rows(facts) == [("publication", "2021-03-03", "day"), ("signature", "2021-03-01", "day")]
    assert publication_date(facts, hint=date(2024, 1, 1)) == date(2021, 3, 3)


def test_publication_line_at_the_bottom_gives_the_year(nlp):
    facts = _dates(nlp, "La CPTS a renouvelé le 11 septembre son accord.\n\nContact presse : CPAM\n\nPublié le 19 septembre 2024")
    assert _rows(facts) == [("publication", "2024-09-19", "day"), ("signature", "2024-09-11", "day")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("L'Écho du Bocage – 21 mars 2023\n\nLa CPTS a signé lundi 13 mars son contrat.",
         [("publication", "2023-03-21", "day"), ("signature", "2023-03-13", "day")]),
        ("Le Courrier de l'Ouest - le 4 avril 2022\n\nLa CPTS a signé le 30 mars son accord.",
         [("publication", "2022-04-04", "day"), ("signature", "2022-03-30", "day")]),
        ("Signature du contrat – 16 mai 2024\n\nLa CPTS du Nord est fière.", [("signature", "2024-05-16", "day")]),
    ],
    ids=["masthead-en-dash", "masthead-hyphen-le", "event-title-is-not-a-masthead"],
)
def test_masthead_date_is_the_publication(nlp, text, expected):
    assert _rows(_dates(nlp, text)) == expected


def test_publication_date_falls_back_to_hint(nlp):
    facts = _dates(nlp, "Contrat signé le 1er mars 2021.")
    assert publication_date(facts) is None
    assert publication_date(facts, hint=date(2021, 3, 2)) == date(2021, 3, 2)


def _gold(name: str) -> dict:
    return json.loads((GOLD_DIR / name.replace(".txt", ".json")).read_text("utf-8"))


GOLD_NAMES = sorted(p.name.replace(".json", ".txt") for p in GOLD_DIR.glob("*.json"))


@pytest.mark.parametrize("name", GOLD_NAMES)
def test_shipped_texts_match_gold(nlp, shipped_texts, name):
    gold = _gold(name)
    facts = _dates(nlp, shipped_texts[name])
    found = {(f.role, f.value.isoformat() if f.value else None) for f in facts}
    allowed = {(d["role"], d["date"]) for d in gold["dates"]}
    required = {(d["role"], d["date"]) for d in gold["dates"] if not d.get("optional")}
    assert required <= found
    assert {row for row in found if row[0] != "other"} <= allowed
    assert sum(f.role == "other" for f in facts) <= 1
    signatures = {f.value.isoformat() if f.value else None for f in facts if f.role == "signature"}
    assert signatures == {c["signature_date"] for c in gold["cpts"]}


_WORDS = [
    "le", "ce", "lundi", "1er", "5", "07", "31", "29", "mars", "février", "févr.", "décembre", "2020", "2021", "1999",
    "l'été", "d'ici", "avant", "la", "fin", "de", "l'année", "en", "signé", "créée", "signature", "loi", "Lyon,",
    "05/10/2020", "14", "h", "sur", "ans", ".", "\n", "–", "Publié", "Communiqué", "2019-774", "€", "née",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join) | st.text(max_size=80))
def test_never_breaks(nlp, text):
    facts = _dates(nlp, text)
    published = publication_date(facts)
    for fact in facts:
        assert text[fact.char_start : fact.char_end] == fact.text
        assert (fact.value is None) == (fact.precision == "no_year")
        if published and fact.value and fact.role != "deadline":
            assert fact.value <= published


COUNTED = [
    ("count of CPTS beyond those named",
     "Au 1er septembre 2023, 28 CPTS ont signé l'accord dans la région.\nLa CPTS Giennoise a signé le 15/11/2022.",
     [("signature", "2022-11-15", "day")]),
    ("count of the CPTS named", "Le 5 mai 2023, deux nouvelles CPTS ont signé : la CPTS Giennoise et la CPTS Sud Loiret.",
     [("signature", "2023-05-05", "day")]),
    ("count of the CPTS named in the sentences after",
     "Le 5 mai 2023, trois CPTS ont signé leur contrat.\nLa CPTS Giennoise couvre 22 communes. "
     "La CPTS Sud Loiret en couvre 30. La CPTS Val de Loire en couvre 12.",
     [("signature", "2023-05-05", "day")]),
]


@pytest.mark.parametrize("label,text,expected", COUNTED, ids=[c[0] for c in COUNTED])
def test_a_sentence_counting_more_cpts_than_the_text_names_dates_none_of_them(nlp, label, text, expected):
    """Its names read first (the whole pipeline): a count of CPTS is weighed against the CPTS the text names."""
    assert _rows(nlp(text)._.dates) == sorted(expected)
