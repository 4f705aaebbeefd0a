"""ACI missions and themes assigned to the CPTS, through the whole component (``pipeline/parse/missions/``).

Origin of the cases: the tables here (``MISSIONS``, ``NO_MISSIONS``, ``THEMES``) were written from the
phenomena of the shipped communiqués (``raw/``) and of the team's unseen-style texts; the shipped texts
themselves are checked against their gold at the end. The phrasings of the dev-set phenomena and of
issue 11 are in ``test_missions_prose.py`` and ``test_missions_headings.py``, the patterns as data in
``test_missions_vocabulary.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.missions import extract_missions, extract_themes
from pipeline.parse.missions.vocabulary import vocabulary
from pipeline.records import MissionCode

ROOT = Path(__file__).resolve().parents[1]
RAW = sorted((ROOT / "raw").glob("*.txt"))


def missions(nlp, text: str) -> set[tuple[str, str | None]]:
    return {(m.mission, m.status) for m in extract_missions(nlp(normalise_text(text)))}


MISSIONS = [
    (
        "socle-bullets",
        "Missions socles :\n• Accès aux soins\n• Parcours pluriprofessionnels\n• Prévention",
        {("acces_soins", "socle"), ("parcours", "socle"), ("prevention", "socle")},
    ),
    (
        "obligatoires-dashes",
        "Missions obligatoires :\n- faciliter l'accès à un médecin traitant\n- répondre aux crises sanitaires graves",
        {("acces_soins", "socle"), ("crise_sanitaire", "socle")},
    ),
    (
        "complementaires-numbered",
        "Missions complémentaires :\n1. Qualité et pertinence des soins\n2. Accompagnement des professionnels de santé",
        {("qualite_pertinence", "optionnelle"), ("accompagnement_professionnels", "optionnelle")},
    ),
    (
        "optionnelles-blank-lines",
        "Les missions optionnelles retenues par la CPTS du Val d'Oise :\n\nDéveloppement de la qualité et de la pertinence des soins\n\nLe budget",
        {("qualite_pertinence", "optionnelle")},
    ),
    (
        "action-heading-snp",
        "Améliorer la prise en charge des soins non programmés\nUn planning partagé sera mis en place.",
        {("acces_soins", None)},
    ),
    ("axe-numbered-heading", "Axe 2 : Organiser les parcours ville-hôpital", {("parcours", None)}),
    ("upper-case-heading", "PROMOUVOIR L'ATTRACTIVITE DU TERRITOIRE AUPRES DES JEUNES MEDECINS", {("accompagnement_professionnels", None)}),
    (
        "cpts-s-engage",
        "La CPTS du Grand Nancy s'engage à développer des actions de prévention autour de la vaccination.",
        {("prevention", None)},
    ),
    (
        "pronoun-after-cpts-sentence",
        "La CPTS Sud Alsace regroupe 150 adhérents. Elle souhaite aussi améliorer la pertinence des prescriptions.",
        {("qualite_pertinence", None)},
    ),
    (
        "inline-axes",
        "Le projet de santé de la CPTS s'articule autour de trois axes : l'accès aux soins, les parcours de soins et la prévention.",
        {("acces_soins", None), ("parcours", None), ("prevention", None)},
    ),
    (
        "mission-socle-sentence",
        "Une mission socle de la CPTS consiste à organiser la réponse aux crises sanitaires graves.",
        {("crise_sanitaire", "socle")},
    ),
    (
        "two-optional-missions-sentence",
        "La CPTS Terres de Loire a retenu deux missions optionnelles : la qualité des soins et l'accompagnement des professionnels.",
        {("qualite_pertinence", "optionnelle"), ("accompagnement_professionnels", "optionnelle")},
    ),
    ("bullet-demarche-qualite", "• Développer la démarche qualité au sein des cabinets", {("qualite_pertinence", None)}),
    ("mission-numbered-crisis-plan", "Mission 4 – Préparer un plan de gestion de crise sanitaire", {("crise_sanitaire", None)}),
    (
        "generic-socle-sentence-still-holds",
        "Les missions socles des CPTS sont l'accès aux soins, les parcours et la prévention.",
        {("acces_soins", "socle"), ("parcours", "socle"), ("prevention", "socle")},
    ),
    (
        "both-statuses-in-one-sentence",
        "Le contrat comprend trois missions socles (accès aux soins, parcours, prévention) et une mission optionnelle "
        "(accompagnement des professionnels de santé).",
        {("acces_soins", "socle"), ("parcours", "socle"), ("prevention", "socle"), ("accompagnement_professionnels", "optionnelle")},
    ),
    ("two-missions-in-heading", "Faciliter l'accès aux soins et renforcer la prévention", {("acces_soins", None), ("prevention", None)}),
    (
        "status-evidence-preferred",
        "Améliorer l'accès aux soins\nLa CPTS ouvrira des créneaux.\n\nMissions socles :\n- Accès aux soins",
        {("acces_soins", "socle")},
    ),
    (
        "objectifs-list",
        "Objectifs de la CPTS :\n- Favoriser l'installation de jeunes médecins et l'exercice coordonné\n- Structurer le lien ville-hôpital",
        {("accompagnement_professionnels", None), ("parcours", None)},
    ),
    (
        "cpts-prevoit-consultations",
        "La CPTS prévoit de mettre en place des consultations non programmées le samedi matin.",
        {("acces_soins", None)},
    ),
    (
        "priorites-list-with-articles",
        "Nos priorités :\n• L'accès à un médecin traitant pour tous\n• La prévention des addictions",
        {("acces_soins", None), ("prevention", None)},
    ),
    (
        "pronoun-on-next-line",
        "La CPTS Val de Saône rassemble 90 soignants.\nElle prévoit de renforcer la coordination des soins entre la ville et l'hôpital.",
        {("parcours", None)},
    ),
    (
        "list-with-long-items",
        "Les missions retenues par la CPTS :\n- L'amélioration de l'accès aux soins : des créneaux seront ouverts chaque "
        "jour dans les trois maisons de santé, avec une régulation téléphonique et un agenda partagé entre tous.\n"
        "- Le développement d'actions de prévention ;\n- L'accompagnement des jeunes professionnels.",
        {("acces_soins", None), ("prevention", None), ("accompagnement_professionnels", None)},
    ),
]


MISSIONS += [
    (
        "passe-compose-commitment",
        "La CPTS s'est également engagée à élaborer un plan de gestion de crise avec les communes.",
        {("crise_sanitaire", None)},
    ),
    (
        "first-actions-of-this-cpts",
        "Ses premières actions porteront sur les soins non programmés et sur la prévention du diabète.",
        {("acces_soins", None), ("prevention", None)},
    ),
    (
        "inline-priorities",
        "CPTS du Val de Sèvre\nPriorités : accès à un médecin traitant, parcours des personnes âgées, vaccination",
        {("acces_soins", None), ("parcours", None), ("prevention", None)},
    ),
    (
        "inline-pipe-table",
        "Missions socles | accès aux soins ; prévention des cancers",
        {("acces_soins", "socle"), ("prevention", "socle")},
    ),
    (
        "inline-programme-of-the-coming-months",
        "La CPTS du Val a signé.\nAu programme des prochains mois : l'accès à un médecin traitant, les sorties d'hospitalisation",
        {("acces_soins", None), ("parcours", None)},
    ),
    (
        "inline-label-for-a-year",
        "La CPTS du Val a signé.\nLes priorités pour 2025 : la vaccination et les soins non programmés",
        {("acces_soins", None), ("prevention", None)},
    ),
    ("ordinal-chantier", "Second chantier : les soins non programmés. Une ligne sera ouverte.", {("acces_soins", None)}),
    (
        "bare-topic-headings",
        "ACCÈS AUX SOINS\nLa CPTS ouvre une ligne pour les demandes urgentes.\n\nParcours\nElle coordonne les sorties d'hôpital.",
        {("acces_soins", None), ("parcours", None)},
    ),
    (
        "heading-without-colon-then-bullets",
        "Nos axes de travail\n- mener des actions de prévention auprès des jeunes\n- trouver un médecin traitant aux patients qui n'en ont pas",
        {("prevention", None), ("acces_soins", None)},
    ),
    (
        "long-bullets-under-list",
        "Nos engagements :\n• Organiser une réponse aux demandes de soins non programmés en semaine, le samedi matin et pendant "
        "les vacances scolaires, avec les cabinets volontaires du territoire.\n• Développer la prévention du surpoids chez "
        "les enfants, avec les écoles, la PMI et les associations sportives des communes.",
        {("acces_soins", None), ("prevention", None)},
    ),
    (
        "facultatives",
        "Missions facultatives :\n- qualité et pertinence des soins",
        {("qualite_pertinence", "optionnelle")},
    ),
    (
        "members-as-subject",
        "La CPTS des Hautes-Vosges est née en 2021. Ses adhérents souhaitent travailler sur la prévention des cancers "
        "et sur les parcours des patients âgés.",
        {("prevention", None), ("parcours", None)},
    ),
    (
        "members-subject-after-time",
        "Le numéro unique fonctionne de 8 h à 19 h. Les soignants veulent ensuite organiser le parcours des diabétiques.",
        {("parcours", None)},
    ),
    (
        "accomplished-action",
        "Depuis 2021, la communauté a mis en place une organisation des soins non programmés avec la régulation.",
        {("acces_soins", None)},
    ),
    (
        "poursuit-after-naming",
        "La CPTS Cœur d'Essonne fête ses deux ans. Elle poursuit ses actions de prévention auprès des lycéens.",
        {("prevention", None)},
    ),
    (
        "accueillir-davantage",
        "La CPTS veut accueillir davantage d'internes dans les cabinets du territoire.",
        {("accompagnement_professionnels", None)},
    ),
    (
        "theme-implies-mission",
        "Priorités : dépistage organisé des cancers, retour d'hospitalisation, téléconsultation",
        {("prevention", None), ("parcours", None), ("acces_soins", None)},
    ),
    (
        "status-introduces-its-own-mission",
        "La CPTS du Lodévois signe un avenant qui ajoute la mission de préparation aux crises sanitaires graves et une "
        "mission optionnelle d'accompagnement des professionnels.",
        {("crise_sanitaire", None), ("accompagnement_professionnels", "optionnelle")},
    ),
    (
        "status-after-missions",
        "La CPTS du Lodévois s'engage sur l'accès aux soins et la prévention, deux missions socles.",
        {("acces_soins", "socle"), ("prevention", "socle")},
    ),
    (
        "possessive-continues",
        "La CPTS Nord Caraïbe a signé son contrat hier. Ses actions prioritaires : accès à un médecin traitant et "
        "préparation aux crises sanitaires.",
        {("acces_soins", None), ("crise_sanitaire", None)},
    ),
    (
        "numbered-bullet-before-label",
        "La CPTS du Val d'Ouche présente son projet.\n1. Priorités : accès aux soins, prévention",
        {("acces_soins", None), ("prevention", None)},
    ),
    (
        "numbered-axes-running-in-prose",
        "La CPTS a construit son projet de santé en trois axes. Axe 1 : améliorer l'accès aux soins non programmés. "
        "Axe 2 : organiser le parcours des patients diabétiques. Axe 3 : développer des actions de prévention.",
        {("acces_soins", None), ("parcours", None), ("prevention", None)},
    ),
    (
        "qualite-et-a-la-pertinence",
        "Elle a choisi la mission optionnelle relative à la qualité et à la pertinence des soins, dit la CPTS.",
        {("qualite_pertinence", "optionnelle")},
    ),
    (
        "prose-after-the-bullets-is-no-item",
        "Missions complémentaires de la CPTS des Combes :\n1) la qualité et la pertinence des soins\n"
        "2) l'accompagnement des professionnels de santé\n\nUne mission de gestion des crises sanitaires viendra plus tard.",
        {("qualite_pertinence", "optionnelle"), ("accompagnement_professionnels", "optionnelle"), ("crise_sanitaire", None)},
    ),
    (
        "heading-after-the-bullets-is-no-item",
        "La CPTS du Haut-Doubs a signé.\n\nMissions socles :\n\n• Accès aux soins\n• Prévention\n\n"
        "Fidéliser les jeunes médecins et promouvoir l'exercice coordonné\n\nLa CPTS ouvre ses cabinets aux internes.",
        {("acces_soins", "socle"), ("prevention", "socle"), ("accompagnement_professionnels", None)},
    ),
    (
        "unbulleted-items-after-a-blank-line",
        "Missions socles :\n\nAccès aux soins\n\nParcours des patients\n\nPrévention",
        {("acces_soins", "socle"), ("parcours", "socle"), ("prevention", "socle")},
    ),
    (
        "keycap-emoji-bullets",
        "Les chantiers de notre CPTS en 2026 🚀\n1\ufe0f\u20e3 Des gardes le samedi pour les soins non programmés\n"
        "2\ufe0f\u20e3 Un parcours pour les patients sous anticoagulants",
        {("acces_soins", None), ("parcours", None)},
    ),
    (
        "flattened-table-rows",
        "La CPTS du Lédonien a signé.\nAxes | Actions prévues | Calendrier\nSoins non programmés | créneaux partagés | 2025\n"
        "Crises sanitaires | annuaire de mobilisation | 2026\nBudget | 80 000 € |\nLe contrat court sur cinq ans.",
        {("acces_soins", None), ("crise_sanitaire", None)},
    ),
    (
        "flattened-table-status-in-header",
        "Missions socles | Indicateurs\nAccès aux soins | patients sans médecin traitant\nPrévention | ateliers",
        {("acces_soins", "socle"), ("prevention", "socle")},
    ),
    (
        "one-verb-heading-prevenir",
        "La CPTS du Trégor\n\nPRÉVENIR\nLa CPTS anime des ateliers sur le sommeil des ados.\n\n"
        "• Prévenir les ruptures de parcours des patients âgés",
        {("prevention", None), ("parcours", None)},
    ),
    (
        "prevenir-ruptures-is-parcours",
        "Les axes de la CPTS du Trégor :\n• Prévenir les ruptures de parcours des patients âgés\n• Prévenir les crises",
        {("parcours", None), ("crise_sanitaire", None)},
    ),
    (
        "parcours-and-crisis-still-read",
        "La CPTS du Livradois veut organiser le parcours des patients âgés et faire face à une nouvelle crise sanitaire.",
        {("parcours", None), ("crise_sanitaire", None)},
    ),
    (
        "adverb-ainsi-in-a-past-action",
        "A Gannat, la CPTS du Bocage a ainsi permis à 900 patients de retrouver un médecin traitant.",
        {("acces_soins", None)},
    ),
    (
        "coordination-with-the-hospital",
        "La CPTS du Bocage bourbonnais bâtit son projet sur deux piliers : les urgences non vitales et la coordination "
        "avec le centre hospitalier de Moulins.",
        {("acces_soins", None), ("parcours", None)},
    ),
    (
        "roman-numerals-of-a-report",
        "Synthèse du projet de la CPTS du Ternois\n\nI. Faciliter l'accès à un médecin traitant\nUne cellule oriente les patients.\n\n"
        "II. Développer la prévention\nDes ateliers sur le sommeil.\n\nIII. Se préparer aux crises sanitaires",
        {("acces_soins", None), ("prevention", None), ("crise_sanitaire", None)},
    ),
    (
        "lettered-items-after-elle-s-engage",
        "La CPTS du Ternois a signé en mars. Elle s'engage sur :\na) l'accès à un médecin traitant ;\nb) la prévention.",
        {("acces_soins", None), ("prevention", None)},
    ),
    (
        "topic-heading-running-on-its-line",
        "Bilan 2025 de la CPTS du Vexin\n\nAccès aux soins — la CPTS a réorienté 400 patients.\n"
        "Qualité : la CPTS anime un groupe de pairs.\nPrévention – le département a ouvert un centre de vaccination.",
        {("acces_soins", None), ("qualite_pertinence", None)},
    ),
    (
        "done-actions-in-a-year-review",
        "En 2025, la CPTS du Vexin a participé à la gestion de l'épidémie de bronchiolite. "
        "Elle a réorienté 300 patients vers un médecin traitant.",
        {("crise_sanitaire", None), ("acces_soins", None)},
    ),
    # missions in a journalist's or a mayor's words rather than the contract's
    (
        "generaliste-and-urgences-non-vitales",
        "La CPTS de la Vère planche sur l'accès à un généraliste et sur les urgences non vitales du samedi.",
        {("acces_soins", None)},
    ),
    (
        "same-day-consultation",
        "La CPTS des Combes veut proposer une consultation le jour même à chaque habitant.",
        {("acces_soins", None)},
    ),
    (
        "find-a-referent-doctor",
        "La CPTS du Vernois s'est fixé un but : que chaque famille puisse trouver un médecin de famille.",
        {("acces_soins", None)},
    ),
    (
        "passages-inutiles-aux-urgences",
        "La CPTS du Vernois veut limiter les passages évitables aux urgences de Dole.",
        {("acces_soins", None)},
    ),
    (
        "between-town-and-hospital",
        "La CPTS du Vernois souhaite mieux coordonner les soignants entre la ville et l'hôpital.",
        {("parcours", None)},
    ),
    (
        "chronic-patients",
        "La CPTS du Vernois compte mieux suivre les patients diabétiques chroniques à domicile.",
        {("parcours", None)},
    ),
    (
        "ready-in-case-of-crisis",
        "La CPTS du Vernois veut être prête en cas d'épidémie ou de canicule.",
        {("crise_sanitaire", None)},
    ),
    (
        "newcomers-and-work-life",
        "La CPTS du Vernois s'engage auprès des nouveaux installés et pour la qualité de vie au travail des soignants.",
        {("accompagnement_professionnels", None)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in MISSIONS], ids=[case[0] for case in MISSIONS])
def test_missions_are_read(nlp, text, expected):
    assert missions(nlp, text) == expected


NO_MISSIONS = [
    ("cpts-in-general", "Les CPTS ont vocation à améliorer l'accès aux soins et à développer la prévention sur leur territoire."),
    (
        "generic-list",
        "Qu'est-ce qu'une CPTS ?\nUne CPTS a pour missions de :\n• faciliter l'accès aux soins\n• organiser des parcours\n"
        "• développer la prévention",
    ),
    ("crisis-as-context", "Dans le contexte de la crise sanitaire, la CPTS a ouvert un centre de vaccination."),
    ("ars-accompanies", "L'ARS accompagne les professionnels de santé dans l'élaboration de leur projet."),
    ("national-strategy", "La stratégie Ma Santé 2022 vise à améliorer l'accès aux soins de tous les Français."),
    ("generic-optional", "Les missions optionnelles des CPTS comprennent la qualité et la pertinence des soins."),
    ("rubric-line", "Accès aux soins\nSignature d'un contrat avec la CPTS du Haut-Jura."),
    ("member-counts", "La CPTS compte 45 adhérents, dont 12 médecins généralistes."),
    (
        "plural-communautes",
        "Les communautés professionnelles territoriales de santé peuvent s'engager à développer la prévention et l'attractivité.",
    ),
    ("payment-for-missions", "Rémunération pour les missions socles : 150 000 €"),
    ("pronoun-after-generic", "Une CPTS réunit des soignants d'un territoire.\nElle peut s'engager à développer la prévention."),
    ("qualified-inline-label", "Priorités nationales : accès aux soins, prévention"),
    ("others-first-actions", "Les premières actions des CPTS ont porté sur l'accès aux soins."),
    ("their-first-actions", "Au niveau national, 750 CPTS sont actives. Leurs premières actions portent sur la prévention."),
    ("topic-heading-over-other-text", "Prévention\nLa campagne nationale de vaccination contre la grippe débute."),
    ("programme-of-a-fair", "Au programme de la journée du salon : stands, conférences sur la prévention, visites."),
    ("inline-label-generic", "Missions des CPTS : accès aux soins, parcours, prévention"),
    ("table-of-cpts-in-general", "Missions des CPTS | Exemples\nAccès aux soins | créneaux partagés\nPrévention | ateliers"),
    ("parcours-du-combattant", "Après un vrai parcours du combattant, la CPTS du Livradois souhaite enfin signer son contrat."),
    ("parcours-sante-trail", "La CPTS du Livradois propose un parcours santé en forêt aux retraités de la commune."),
    ("parcours-de-soins-coordonnes", "La CPTS du Livradois veut expliquer le parcours de soins coordonnés aux patients."),
    ("crise-des-urgences", "La CPTS du Livradois veut aider les familles à faire face à la crise des urgences d'Ambert."),
    ("crise-demographie", "La CPTS du Livradois entend répondre à la crise de la démographie médicale."),
    ("en-lien-avec-is-an-idiom", "La CPTS du Bocage organise une réunion en lien avec le centre hospitalier de Moulins."),
    (
        "bullets-under-another-body-commitment",
        "La CPTS du Ternois a signé. De son côté, l'Assurance maladie s'engage à :\n• développer la prévention\n"
        "• soutenir l'accès aux soins",
    ),
    ("ehpad-referent-doctor", "La CPTS du Vernois travaille avec le médecin référent de l'Ehpad du Parc."),
    ("chronic-diseases-prevention-is-not-parcours", "Le CCAS organise la prévention des maladies chroniques."),
    ("covid-vaccination-centre", "Pendant la crise, la CPTS a organisé un centre de vaccination au gymnase."),
    ("population-theme-implies-nothing", "La CPTS s'engage auprès des personnes âgées et en santé mentale."),
    ("members-not-subject", "Les professionnels de santé manquent de temps pour la prévention."),
    ("axes-of-a-national-plan", "Le plan national fixe trois axes. Axe 1 : les CPTS et l'accès aux soins. Axe 2 : la prévention dans les CPTS."),
    ("possessive-without-cpts", "Le département a voté son budget. Ses priorités : prévention et accès aux soins."),
]


@pytest.mark.parametrize("text", [case[1] for case in NO_MISSIONS], ids=[case[0] for case in NO_MISSIONS])
def test_no_missions(nlp, text):
    assert missions(nlp, text) == set()


def test_label_and_offsets(nlp):
    doc = nlp(normalise_text("Intro.\n\n• Développer des actions de prévention en santé environnementale : la CPTS formera 20 relais."))
    [mission] = extract_missions(doc)
    assert mission.text == "Développer des actions de prévention en santé environnementale"
    assert doc.text[mission.char_start:mission.char_end] == mission.text


THEMES = [
    (
        "section-under-heading",
        "Développer des actions de prévention\nLa CPTS organisera des ateliers sur l'obésité infantile et la santé mentale des adolescents.",
        {("obesite_pediatrique", "prevention"), ("sante_mentale", "prevention")},
    ),
    (
        "cpts-sentence",
        "La CPTS souhaite structurer un parcours insuffisance cardiaque et améliorer les sorties d'hospitalisation.",
        {("insuffisance_cardiaque", "parcours"), ("sortie_hospitalisation", "parcours")},
    ),
    (
        "paragraph-under-heading-without-cpts",
        "Faciliter l'accès aux soins\nUn dispositif de téléconsultation sera déployé pour les patients sans médecin traitant.",
        {("teleconsultation", "acces_soins"), ("medecin_traitant", "acces_soins")},
    ),
    ("generic-context", "Les CPTS ont permis d'ouvrir des centres de vaccination pendant la crise.", set()),
    ("unassigned-prose", "La vaccination contre la grippe débute en octobre dans toute la région.", set()),
    (
        "women-and-tobacco",
        "La CPTS a retenu la santé des femmes et la lutte contre le tabac comme thèmes de prévention.",
        {("perinatalite", "parcours"), ("addictions", "prevention")},
    ),
    (
        "inline-priorities-themes",
        "Priorités : santé mentale des jeunes, prévention des chutes",
        {("sante_mentale", "prevention"), ("chutes", "prevention")},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in THEMES], ids=[case[0] for case in THEMES])
def test_themes(nlp, text, expected):
    doc = nlp(normalise_text(text))
    themes = extract_themes(doc)
    assert {(t.theme, t.mission) for t in themes} == expected
    assert all(doc.text[t.char_start:t.char_end] == t.text for t in themes)


def test_theme_missions_are_contract_codes():
    assert {mission for mission in (t.mission for t in vocabulary().themes)} <= set(get_args(MissionCode))


@pytest.mark.parametrize("path", RAW, ids=[p.stem for p in RAW])
def test_shipped_texts_match_gold(nlp, path):
    gold = json.loads((ROOT / "tests" / "gold" / f"{path.stem}.json").read_text("utf-8"))
    doc = nlp(normalise_text(path.read_text("utf-8")))
    found = extract_missions(doc)
    assert {(m.mission, m.status) for m in found} == {(m["mission"], m.get("status")) for m in gold["missions"]}
    assert len(found) == len({m.mission for m in found})
    assert all(doc.text[m.char_start:m.char_end] == m.text for m in found)
    assert doc._.missions == found


def test_shipped_themes(nlp):
    by_stem = {p.stem: p for p in RAW}
    doc = nlp(normalise_text(by_stem["003_7f25dc428b94a01c"].read_text("utf-8")))
    assert {"sante_mentale", "obesite_pediatrique", "ecrans_enfants"} <= {t.theme for t in doc._.themes}
    doc = nlp(normalise_text(by_stem["004_84bb71dd86eb792a"].read_text("utf-8")))
    assert {"osteoporose", "insuffisance_cardiaque", "troubles_apprentissage"} <= {t.theme for t in doc._.themes}
