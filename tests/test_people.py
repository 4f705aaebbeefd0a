"""The president of the CPTS: French phrasings, other roles that must be ignored, the shipped texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.people import extract_people

ROOT = Path(__file__).resolve().parents[1]
RAW = sorted((ROOT / "raw").glob("*.txt"))


def names(nlp, text: str) -> list[str]:
    return [person.name for person in extract_people(nlp(normalise_text(text)))]


PRESIDENTS = [
    ("presidee-par", "La CPTS des Coteaux, présidée par Julien Marchand, réunit 60 professionnels.", "Julien Marchand"),
    ("presidee-par-title-first", "Présidée par le Dr Hélène Fabre, la CPTS couvre 12 communes.", "Hélène Fabre"),
    ("presidence-de-la-cpts-assuree", "La présidence de la CPTS est assurée par Mme Nadia Benali, pharmacienne.", "Nadia Benali"),
    ("presidence-confiee-au", "La présidence a été confiée au Dr Yves Carré.", "Yves Carré"),
    ("son-president-docteur", "Son président, le docteur Marc Olivier, se félicite de cette signature.", "Marc Olivier"),
    ("name-comma-presidente", "Sophie Lambert, présidente de la CPTS Sud Vendée, a signé le contrat.", "Sophie Lambert"),
    ("quote-then-name", "« C'est une étape importante », souligne Thomas Girard, président de la CPTS.", "Thomas Girard"),
    ("a-sa-tete-after-cpts-sentence", "La CPTS du Ternois a tenu son assemblée générale. À sa tête, Noémie Vasseur, "
     "sage-femme à Frévent.", "Noémie Vasseur"),
    ("a-la-tete-de-la-cpts-opening", "À la tête de la CPTS des Deux Caps, le Dr Bruno Lemaire, médecin à Marquise.",
     "Bruno Lemaire"),
    ("name-est-a-la-tete", "La CPTS a signé. Aurélie Facon, orthophoniste, est à la tête de la CPTS depuis 2022.",
     "Aurélie Facon"),
    ("presidee-depuis-par", "La CPTS de l'Aulne est présidée depuis 2020 par Fatou N'Diaye, infirmière.", "Fatou N'Diaye"),
    ("elu-president-en-year", "Élu président en 2023, le Dr Rémi Castel a signé l'ACI de la CPTS de l'Aulne.", "Rémi Castel"),
    ("line-label", "Présidente : Mme Lucie Perrin", "Lucie Perrin"),
    ("line-label-of-cpts", "Président de la CPTS : Dr Karim Haddad", "Karim Haddad"),
    ("president-de-la-cpts-name", "Le président de la CPTS Val de Sèvre, Antoine Roussel, a rappelé les enjeux.", "Antoine Roussel"),
    ("dont-la-presidente-est", "La CPTS, dont la présidente est Claire Vasseur, compte 90 membres.", "Claire Vasseur"),
    ("profession-et-president", "Jean-Baptiste Le Goff, masseur-kinésithérapeute et président de la CPTS, explique le projet.", "Jean-Baptiste Le Goff"),
    ("parenthesis", "Emma Da Silva (présidente de la CPTS) a présenté le projet.", "Emma Da Silva"),
    ("verb-preside", "Louis de Villeneuve préside la CPTS depuis sa création.", "Louis de Villeneuve"),
    ("verb-preside-after-an-apposition", "Le Dr Louise Marec, médecin à Paimpol, préside la CPTS du Goëlo.", "Louise Marec"),
    ("verb-preside-in-a-relative", "Yann Le Gall, qui préside la CPTS du Goëlo, salue l'accord.", "Yann Le Gall"),
    ("two-word-surname", "La CPTS est présidée par Mme Fatima El Amrani.", "Fatima El Amrani"),
    ("selon-title", "Selon le Dr Paul-Henri Martin, président de la communauté, le contrat change tout.", "Paul-Henri Martin"),
    ("nouvelle-presidente", "La CPTS a élu sa nouvelle présidente, Aurélie Nguyen, infirmière libérale.", "Aurélie Nguyen"),
    ("upper-case-surname", "Présidée par Bernard DUVAL, la CPTS fédère 40 adhérents.", "Bernard DUVAL"),
    ("apposition-then-est", "Le Dr Olivier Marchetti, médecin généraliste à Brioude, est président de la CPTS.", "Olivier Marchetti"),
    ("sa-presidente-after-name", "Anne Roux, sa présidente, a signé le contrat avec l'ARS.", "Anne Roux"),
    ("est-president", "Hugo Blanc est président de la CPTS depuis 2021.", "Hugo Blanc"),
    ("curly-apostrophe-particle", "La CPTS est présidée par Mathilde d’Arcourt, sage-femme.", "Mathilde d’Arcourt"),
    ("association-porteuse", "Victor Hamel, président de l'association porteuse de la CPTS, remercie les partenaires.", "Victor Hamel"),
    ("table-pipe-label", "Présidente | Dr Inès Morvan, médecin généraliste à Douarnenez", "Inès Morvan"),
    ("dash-label", "Président – M. Rachid Ouali", "Rachid Ouali"),
    ("presidence-label", "Présidence : Mme Odile Carré-Lenoir", "Odile Carré-Lenoir"),
    ("placee-sous-la-presidence", "La CPTS est placée sous la présidence du Dr Loïc Kervella.", "Loïc Kervella"),
    ("en-est-le-president", "Le Dr Antoine Ferrand en est le président depuis sa création.", "Antoine Ferrand"),
    ("en-assure-la-presidence", "Nadia Bensaïd, pharmacienne, en assure la présidence.", "Nadia Bensaïd"),
    ("a-pris-la-presidence", "Julien Pasquier a pris la présidence de la CPTS en 2021.", "Julien Pasquier"),
    ("presidente-de-l-association", "« Un grand pas », estime Claire Muller, présidente de l'association.", "Claire Muller"),
    ("bare-article-with-cpts", "La présidente Hélène Vidal a signé le contrat de la CPTS.", "Hélène Vidal"),
    ("dre-feminine-title", "Notre présidente, la Dre Salomé Keita, exerce à Lodève.", "Salomé Keita"),
    ("pre-feminine-title", "La CPTS est présidée par la Pre Agnès Rolland.", "Agnès Rolland"),
    ("quote-attribution-profession-et-presidente",
     "« Nous partons de loin », sourit le Dr Inès Castel-Marty, médecin à Die et présidente de la CPTS depuis 2020.",
     "Inès Castel-Marty"),
    ("association-de-prefiguration",
     "« Nous voulons être 150 », explique Rémi Okafor, kiné à Bagneux et président de l'association de préfiguration.",
     "Rémi Okafor"),
    ("hard-wrapped-presidee-par", "La CPTS compte 90 adhérents. Elle est présidée par\nle Dr Yannick Séraphin, médecin à Ducos.",
     "Yannick Séraphin"),
    ("bureau-provisoire", "Le bureau provisoire est présidé par Lucas Mérindol, pharmacien à Mana.", "Lucas Mérindol"),
    ("sa-presidente-apposition-profession",
     "👩‍⚕️ Sa présidente, Agnès Thibault, infirmière libérale, porte le projet depuis le début.", "Agnès Thibault"),
    ("la-presidente-de-la-cpts-comma-name",
     "« Nous voulons soigner chacun près de chez lui », souligne la présidente de la CPTS, Inès Roussel, pharmacienne.",
     "Inès Roussel"),
    ("le-president-apposed-after-cpts-paragraph",
     "La CPTS des Deux Rives a signé son contrat lundi.\n\nLe président, le pharmacien Hervé Castagné, rappelle l'urgence.",
     "Hervé Castagné"),
    ("son-president-profession-as-title", "Son président, le kinésithérapeute Bruno Lemaire, a signé.", "Bruno Lemaire"),
    ("son-president-profession-a",
     "Son président, Hugo Ferrand, masseur-kinésithérapeute à Feurs, salue la confiance des institutions.", "Hugo Ferrand"),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in PRESIDENTS], ids=[case[0] for case in PRESIDENTS])
def test_president_is_read(nlp, text, expected):
    assert names(nlp, text) == [expected]


NOT_PRESIDENTS = [
    ("vice-presidente", "Marie Caron, vice-présidente de la CPTS, a présenté le projet."),
    ("a-sa-tete-of-a-maison-de-sante", "La maison de santé de Fruges a ouvert. À sa tête, Claire Dumont."),
    ("a-sa-tete-inside-a-sentence", "La CPTS a signé. Le service des urgences, avec à sa tête Paul Martin, suit."),
    ("vice-president-forward", "Le vice-président de la CPTS, Paul Durand, était présent."),
    ("coordinatrice-forward", "La coordinatrice de la CPTS, Julie Morel, a présenté les actions."),
    ("coordinatrice-backward", "Julie Morel, coordinatrice de la CPTS, anime les réunions."),
    ("conseil-departemental", "Jean Dupuis, président du conseil départemental de la Loire, a salué l'initiative."),
    ("conseil-departemental-forward", "Le président du conseil départemental, Jean Dupuis, était présent."),
    ("projet-presidentiel", "Annoncé dans le cadre du projet présidentiel « Ma Santé 2022 », le déploiement se poursuit."),
    ("republique", "Le président de la République Emmanuel Macron a annoncé la création des CPTS."),
    ("no-president", "La CPTS regroupe 80 professionnels de santé et couvre 14 communes."),
    ("presidee-par-function", "La réunion était présidée par le préfet de la Loire."),
    ("ancien-president", "Paul Roche, ancien président de la CPTS, a passé la main."),
    ("co-presidee", "La CPTS est co-présidée par Anne Roux et Paul Durand."),
    ("surname-only", "La CPTS est présidée par le Dr Martin."),
    ("presidee-par-other-president", "La séance, présidée par Jean Dupuis, président de l'URPS, a eu lieu hier."),
    ("ordre-des-medecins", "Le président de l'Ordre des médecins, Dr Luc Bernard, a pris la parole."),
    ("institution-not-a-name", "La présidence est assurée par le Conseil d'Administration de la CPTS."),
    ("coordinator-then-president-noun", "Marie Roux, coordinatrice de la CPTS, et le président du département ont signé."),
    ("president-of-intercommunalite", "Paul Marchal, président de la communauté de communes du Val d'Ille, était présent."),
    ("presidente-du-conseil-departemental-apposed", "La présidente du conseil départemental, Mme Odile Brassac, était présente."),
    ("directors-not-presidents",
     "Sophie Lacombe, directrice de la CPAM du Lot, et Thierry Vidal, directeur de l'ARS, ont signé l'avenant."),
    ("vice-presidente-with-title", "Il est entouré d'une vice-présidente, Dr Sandrine Lapoupée, médecin à Mana."),
    ("president-of-agglomeration-forward", "Le président de la communauté d'agglomération, Luc Morin, a salué la démarche."),
    ("bare-article-other-context", "Le président Emmanuel Macron a annoncé le plan Ma Santé 2022."),
    ("association-of-something-else", "Jean Dupont, président de l'association des maires ruraux, était présent."),
    ("chairs-a-ceremony", "La signature s'est déroulée sous la présidence du Dr Paul Martin."),
    ("vice-presidence-label", "Vice-présidence | Sandrine Humbert"),
    ("tresorier-label", "Trésorier | Benoît Lhuillier"),
    ("presidency-of-other-body", "Jean Dupont assure la présidence du conseil départemental."),
    ("le-president-apposed-no-cpts-before", "Le président, Hervé Castagné, rappelle l'urgence."),
    ("le-president-apposed-cpts-too-far",
     "La CPTS du Lac a signé. Elle couvre 12 communes. La commune a voté. Le conseil a eu lieu.\n\n"
     "Le président, Hervé Castagné, rappelle l'urgence."),
    ("le-president-de-something-apposed", "La CPTS du Lac a signé. Le président du club, Hervé Castagné, est ravi."),
    ("mayor-in-bulletin", "Le maire, Gérard Pierre, s'est félicité de cette initiative lors du conseil municipal."),
    ("linkedin-commenter", "💬 Dr Paul Vergne · Médecin généraliste\nBravo à toute l'équipe de la CPTS !"),
]


@pytest.mark.parametrize("text", [case[1] for case in NOT_PRESIDENTS], ids=[case[0] for case in NOT_PRESIDENTS])
def test_no_president(nlp, text):
    assert names(nlp, text) == []


def test_evidence_offsets_and_title_dropped(nlp):
    doc = nlp(normalise_text("Contexte.\nLa présidence est assurée par le Dr Anne-Sophie Le Gall, médecin."))
    [person] = extract_people(doc)
    assert person.name == "Anne-Sophie Le Gall"
    assert person.role == "president"
    assert doc.text[person.char_start:person.char_end] == person.text
    assert person.text.endswith("Anne-Sophie Le Gall")


def test_same_president_twice_is_one_person(nlp):
    text = "La CPTS est présidée par Hugo Blanc.\nHugo Blanc, président de la CPTS, signe le contrat."
    assert names(nlp, text) == ["Hugo Blanc"]


@pytest.mark.parametrize("path", RAW, ids=[p.stem for p in RAW])
def test_shipped_texts_match_gold(nlp, path):
    gold = json.loads((ROOT / "tests" / "gold" / f"{path.stem}.json").read_text("utf-8"))
    expected = gold["cpts"][0]["president"]
    assert names(nlp, path.read_text("utf-8")) == ([expected] if expected else [])


OWN_NAME = [
    ("president of the CPTS's acronym",
     "La CPTS ACSO a signé son contrat. Sur la photo : Dr Claire Vautrin, présidente de l'ACSO ; le préfet.",
     "Claire Vautrin"),
    ("president of the CPTS's name without CPTS",
     "La CPTS Rives de Loire signe. Docteur Hervé Colin, président des Rives de Loire, s'en félicite.",
     "Hervé Colin"),
    ("name, profession and presidente",
     "aux côtés du Dr Laïla BENSAID, médecin et présidente de la CPTS Sud Aveyron.", "Laïla BENSAID"),
]


@pytest.mark.parametrize("label,text,expected", OWN_NAME, ids=[c[0] for c in OWN_NAME])
def test_president_of_the_name_the_document_gives_the_cpts(nlp, label, text, expected):
    doc = nlp(normalise_text(text))
    assert [p.name for p in extract_people(doc, doc._.cpts_mentions)] == [expected]


def test_president_of_another_acronym_is_not_read(nlp):
    doc = nlp(normalise_text("La CPTS ACSO signe. Dr Claire Vautrin, présidente du GHT, était présente."))
    assert extract_people(doc, doc._.cpts_mentions) == []


@pytest.mark.parametrize("case", PRESIDENTS, ids=[c[0] for c in PRESIDENTS])
def test_every_president_has_a_rule(nlp, case):
    people = extract_people(nlp(normalise_text(case[1])))
    assert people and all(p.rule.startswith("president_") for p in people)


OTHER_WAYS = [
    ("president of the association CPTS", "Paul Morin, président de l'association CPTS Sud Lys, signe.", ["Paul Morin"]),
    ("relative clause, the CPTS as object", "La CPTS, que préside Jean Valet depuis 2020, signe.", ["Jean Valet"]),
    ("fronted participle", "Élue présidente de la CPTS Sud Lys en 2022, Anne Perrot signe.", ["Anne Perrot"]),
    ("fronted participle of another body", "Nommé président du conseil départemental en 2021, Jean Dupont salue la CPTS.", []),
    ("relative clause about a meeting", "La CPTS Sud Lys signe. La réunion, que préside Anne Perrot, débute.", []),
]


@pytest.mark.parametrize("label,text,expected", OTHER_WAYS, ids=[c[0] for c in OTHER_WAYS])
def test_president_introduced_other_ways(nlp, label, text, expected):
    doc = nlp(normalise_text(text))
    assert [p.name for p in extract_people(doc, doc._.cpts_mentions)] == expected
