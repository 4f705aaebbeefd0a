"""Headcounts: members, professionals, professions, structures; and what is not a headcount."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GOLD_CASES

from pipeline.ingest import normalise_text
from pipeline.parse.headcounts import extract_headcounts, find_quantities
from pipeline.textnorm import fold_same_length

ROOT = Path(__file__).resolve().parent.parent



def _counts(segmented, text: str) -> list[tuple[str, int, str]]:
    doc = segmented(normalise_text(text))
    found = extract_headcounts(doc)
    for h in found:
        assert doc.text[h.char_start : h.char_end] == h.text
    return [(h.category, h.count, h.qualifier) for h in found]


POSITIVE = [
    ("regroupe-adherents", "La CPTS du Val de Saône regroupe 85 adhérents.", [("members", 85, "exact")]),
    ("compte-liberaux", "La communauté compte aujourd'hui 112 professionnels de santé libéraux.", [("members", 112, "exact")]),
    ("forte-de-membres", "Forte de 64 membres, l'association porte le projet de santé.", [("members", 64, "exact")]),
    ("pres-de-sont-adherents", "Près de 200 professionnels de santé sont adhérents de la CPTS.", [("members", 200, "approx")]),
    ("plus-de-rassemble", "La CPTS rassemble plus de 150 professionnels de santé.", [("members", 150, "at_least")]),
    ("environ-federe", "Elle fédère environ 95 professionnels libéraux du secteur.", [("members", 95, "approx")]),
    ("quarantaine", "La CPTS réunit une quarantaine de professionnels de santé.", [("members", 40, "approx")]),
    ("plus-d-une-centaine", "Elle compte plus d'une centaine d'adhérents.", [("members", 100, "at_least")]),
    ("number-words", "La CPTS regroupe deux cents professionnels de santé.", [("members", 200, "exact")]),
    ("compound-words", "Elle réunit quatre-vingt-dix professionnels de santé.", [("members", 90, "exact")]),
    ("label-next-line", "Nombre d'adhérents :\n\n57", [("members", 57, "exact")]),
    ("label-same-line", "Membres : 43", [("members", 43, "exact")]),
    ("au-moins-ont-adhere", "Au moins 40 professionnels de santé ont adhéré à la CPTS.", [("members", 40, "at_least")]),
    ("moins-de", "La CPTS compte moins de 50 adhérents à ce jour.", [("members", 50, "at_most")]),
    ("stated-twice", "La CPTS regroupe 70 adhérents.\nAdhérents : 70", [("members", 70, "exact")]),
    (
        "members-and-pool",
        "La CPTS compte 48 adhérents parmi les 310 professionnels de santé installés sur le territoire.",
        [("members", 48, "exact"), ("professionals_on_territory", 310, "exact")],
    ),
    ("territory-subject", "Le territoire compte 420 professionnels de santé.", [("professionals_on_territory", 420, "exact")]),
    (
        "quelque-exercent",
        "Quelque 260 professionnels de santé exercent sur le secteur.",
        [("professionals_on_territory", 260, "approx")],
    ),
    (
        "breakdown-parmi-eux",
        "Parmi eux, 12 kinés, 8 sages-femmes et 5 chirurgiens-dentistes.",
        [("masseur_kinesitherapeute", 12, "exact"), ("sage_femme", 8, "exact"), ("chirurgien_dentiste", 5, "exact")],
    ),
    (
        "breakdown-dont",
        "La CPTS regroupe 60 professionnels dont 14 infirmiers, 10 médecins généralistes et 4 pédicures-podologues.",
        [("members", 60, "exact"), ("infirmier", 14, "exact"), ("medecin_generaliste", 10, "exact"), ("podologue", 4, "exact")],
    ),
    (
        "breakdown-feminine-and-une",
        "La CPTS réunit 30 adhérents, dont 7 pharmaciennes, 5 psychomotriciens et une diététicienne.",
        [("members", 30, "exact"), ("pharmacien", 7, "exact"), ("psychomotricien", 5, "exact"), ("dieteticien", 1, "exact")],
    ),
    (
        "two-professions-words",
        "Elle compte notamment 3 orthoptistes et deux médecins spécialistes.",
        [("orthoptiste", 3, "exact"), ("medecin_specialiste", 2, "exact")],
    ),
    (
        "msp-and-centres",
        "Le territoire dispose de 4 maisons de santé pluridisciplinaires et de 2 centres de santé.",
        [("msp", 4, "exact"), ("centre_sante", 2, "exact")],
    ),
    (
        "ehpad-beds",
        "La CPTS associe 3 MSP, 5 EHPAD (420 lits) et 1 clinique.",
        [("msp", 3, "exact"), ("ehpad", 5, "exact"), ("ehpad_beds", 420, "exact"), ("clinique", 1, "exact")],
    ),
    (
        "ssiad-saad-words",
        "Sur le territoire interviennent trois services de soins infirmiers à domicile et 2 services d'aide et d'accompagnement à domicile.",
        [("ssiad", 3, "exact"), ("service_aide_domicile", 2, "exact")],
    ),
    (
        "beds-after",
        "Elle travaille avec 2 centres hospitaliers et 280 lits d'EHPAD.",
        [("centre_hospitalier", 2, "exact"), ("ehpad_beds", 280, "exact")],
    ),
    (
        "singular-in-enumeration",
        "La CPTS regroupe 75 professionnels de santé, 4 MSP, le centre hospitalier de Tarare et la polyclinique du Beaujolais.",
        [("members", 75, "exact"), ("msp", 4, "exact"), ("centre_hospitalier", 1, "exact"), ("clinique", 1, "exact")],
    ),
    (
        "patients-without-gp",
        "Environ 3 500 patients n'ont pas de médecin traitant sur le territoire.",
        [("patients_without_gp", 3500, "approx")],
    ),
    (
        "singular-profession-outside-list",
        "Présidée par Marie Durand, une infirmière, elle compte 3 pharmaciens et 4 kinés.",
        [("pharmacien", 3, "exact"), ("masseur_kinesitherapeute", 4, "exact")],
    ),
    ("since-creation", "Depuis sa création en 2019, la CPTS regroupe 85 adhérents.", [("members", 85, "exact")]),
    ("postposed-environ", "La CPTS rassemble 120 adhérents environ.", [("members", 120, "approx")]),
    ("habitants-sans-gp", "On estime que 1 200 habitants sont sans médecin traitant.", [("patients_without_gp", 1200, "exact")]),
    ("petite-centaine", "La CPTS réunit une petite centaine de professionnels de santé.", [("members", 100, "approx")]),
    ("bonne-cinquantaine", "Elle rassemble une bonne cinquantaine d'adhérents.", [("members", 50, "approx")]),
    (
        "elided-noun-ont-adhere",
        "Parmi les 310 professionnels de santé du canton, 95 ont aujourd'hui adhéré.",
        [("professionals_on_territory", 310, "exact"), ("members", 95, "exact")],
    ),
    (
        "elided-noun-d-entre-eux",
        "Le bassin compte 240 professionnels de santé libéraux ; 81 d'entre eux sont membres de la CPTS.",
        [("professionals_on_territory", 240, "exact"), ("members", 81, "exact")],
    ),
    ("font-deja-partie", "Quelque 70 professionnels de santé font déjà partie de la communauté.", [("members", 70, "approx")]),
    ("n-ont-plus-de-gp", "Plus de 6 000 assurés n'ont plus de médecin traitant.", [("patients_without_gp", 6000, "at_least")]),
    (
        "no-gp-then-departures",
        "Près de 2 900 patients ne disposent plus d'un médecin traitant, et 3 généralistes cesseront leur activité d'ici 2026.",
        [("patients_without_gp", 2900, "approx")],
    ),
    ("bulleted-member-label", "Chiffres clés\n• Adhérents : 212\n• Communes : 31", [("members", 212, "exact")]),
    ("pipe-member-label", "Nombre de professionnels adhérents | 64", [("members", 64, "exact")]),
    ("label-collective-noun", "Membres : une trentaine", [("members", 30, "approx")]),
    (
        "pool-label",
        "- Professionnels de santé sur le territoire : 388\n- Adhérents : 121",
        [("professionals_on_territory", 388, "exact"), ("members", 121, "exact")],
    ),
    (
        "table-of-professions",
        "La CPTS en chiffres\nInfirmières libérales | 26\nChirurgiens-dentistes | 7\nOrthophoniste | 1\nEHPAD | 3",
        [("infirmier", 26, "exact"), ("chirurgien_dentiste", 7, "exact"), ("orthophoniste", 1, "exact"), ("ehpad", 3, "exact")],
    ),
    (
        "on-y-denombre",
        "On y dénombre environ 530 professionnels de santé libéraux.",
        [("professionals_on_territory", 530, "approx")],
    ),
    (
        "territory-profession",
        "Dans le secteur, on recense 37 médecins généralistes libéraux.",
        [("medecin_generaliste", 37, "exact")],
    ),
    ("soignants", "La CPTS fédère une cinquantaine de soignants.", [("members", 50, "approx")]),
    (
        "qui-n-en-ont-plus",
        "Elle veut trouver un médecin traitant aux quelque 2 400 patients qui n'en ont plus.",
        [("patients_without_gp", 2400, "approx")],
    ),
    (
        "assures-qui-n-en-ont-pas",
        "Le médecin traitant reste rare : 9 300 assurés n'en ont pas.",
        [("patients_without_gp", 9300, "exact")],
    ),
    (
        "profession-acronyms-in-capitals",
        "La CPTS rassemble 61 adhérents : 9 MG, 17 IDEL, 6 MK, 3 SF et 2 orthophonistes.",
        [
            ("members", 61, "exact"),
            ("medecin_generaliste", 9, "exact"),
            ("infirmier", 17, "exact"),
            ("masseur_kinesitherapeute", 6, "exact"),
            ("sage_femme", 3, "exact"),
            ("orthophoniste", 2, "exact"),
        ],
    ),
    (
        "percentage-aside-then-verb",
        "Environ 420 professionnels (dont 35 % d'infirmiers) exercent sur le territoire.",
        [("professionals_on_territory", 420, "approx")],
    ),
    (
        "table-of-cpts-members",
        "CPTS | Adhérents\nCPTS du Vexin | 77\nCPTS du Pays de Bray | 65",
        [("members", 77, "exact"), ("members", 65, "exact")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in POSITIVE], ids=[c[0] for c in POSITIVE])
def test_headcounts(segmented, text, expected):
    assert _counts(segmented, text) == expected


NEGATIVE = [
    ("installation-prevue", "L'installation de 3 médecins généralistes est prévue d'ici 2 ans."),
    ("recruter", "La CPTS souhaite recruter 2 infirmières coordinatrices."),
    ("new-dmp", "Elle s'engage à ouvrir 800 nouveaux DMP d'ici l'été 2023."),
    ("objective-members", "L'objectif est d'atteindre 150 adhérents en 2024."),
    ("objective-patients", "La CPTS se fixe un objectif de 50 patients sans médecin traitant accompagnés."),
    ("age", "Un dépistage est proposé aux enfants de 6 ans."),
    ("actes", "Une trentaine d'actes seront réalisés chaque mois."),
    ("money", "La CPTS percevra 75 000 € par an."),
    ("date", "Le 12 mars 2022, la CPTS a signé son contrat."),
    ("ordinal", "Il s'agit de la 3e CPTS du département."),
    ("percentage", "Le territoire est couvert à 85 % par une CPTS."),
    ("population", "Le territoire compte 52 000 habitants répartis sur 19 communes."),
    ("bureau", "Le bureau est composé de 9 membres."),
    ("number-before-other-noun", "Deux associations de professionnels de santé ont fusionné."),
    ("singular-outside-enumeration", "Un partenariat est engagé avec le centre hospitalier de Vienne."),
    ("planned-msp", "La création de 2 nouvelles MSP est envisagée."),
    ("no-membership-cue", "35 professionnels de santé ont participé à la réunion."),
    ("single-profession-leaving", "Trois médecins généralistes partiront à la retraite en 2025."),
    ("hospital-beds", "L'hôpital dispose de 300 lits."),
    ("times", "Le service est ouvert de 8 h à 20 h."),
    ("plurals-without-number", "Plusieurs maisons de santé et les centres hospitaliers de Givors et Vienne sont partenaires."),
    ("pharmacies-not-pharmacists", "La CPTS organise 4 réunions par an avec 20 pharmacies."),
    ("durations", "La CPTS existe depuis 3 ans et signe un contrat de 5 ans."),
    ("creation-of-msp", "La création de 2 MSP est à l'étude."),
    ("meetings-and-training", "La CPTS organisera 12 réunions par an et formera 50 professionnels au repérage."),
    ("structure-as-subject", "La maison de santé de Thizy regroupe 15 professionnels de santé."),
    ("fraction-of-patients", "Près de 20 % des 1 200 habitants n'ont pas de médecin traitant."),
    ("density", "Le secteur compte 58 infirmiers pour 10 000 habitants."),
    ("departement-subject", "Le département compte 1 450 professionnels de santé libéraux."),
    ("island-subject", "L'île compte plus de 7 000 professionnels de santé."),
    ("elided-noun-percentage", "Sur le territoire, 40 % ont adhéré à la CPTS."),
    ("elided-noun-target", "L'objectif est que 150 aient adhéré fin 2025, et que 120 soient membres du réseau."),
    ("plus-with-age", "Plus de 2 500 patients de plus de 70 ans ont un médecin traitant."),
    ("label-followed-by-prose", "Infirmiers : 12 à recruter d'ici la fin de l'année"),
    ("label-in-target-box", "Objectifs 2026 :\nMédecins généralistes | 4\nAdhérents : 180"),
    ("governance-label", "Le conseil d'administration compte 14 membres."),
    ("part-lacks-gp", "La CPTS couvre 64 000 habitants, dont un tiers n'a pas de médecin traitant."),
    ("en-without-gp", "Sur les 12 000 patients qui en ont un, la moitié a plus de 70 ans."),
    ("lower-case-acronym-is-a-dosage", "Le protocole prévoit 5 mg de vitamine D et 2 sf de suivi."),
    ("percentages-are-not-counts", "Ils représentent 55 % des professionnels libéraux ; 12 % ont moins de 35 ans."),
    ("one-in-six", "Un habitant sur 6 n'a pas de médecin traitant."),
    ("column-of-commune-table", "Commune | Professionnels | Habitants\nAuray | 210 | 14 000"),
]


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_headcounts(segmented, text):
    assert _counts(segmented, text) == []


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("près de 5 000", 5000, "approx"),
        ("pas moins de 12", 12, "at_least"),
        ("jusqu'à 30", 30, "at_most"),
        ("près d'une centaine de médecins", 100, "approx"),
        ("au-delà de 1 200", 1200, "at_least"),
        ("vingt et un", 21, "exact"),
        ("une dizaine d'", 10, "approx"),
        ("un petit millier de patients", 1000, "approx"),
        ("une centaine", 100, "approx"),
    ],
)
def test_quantities(text, value, qualifier):
    (q,) = find_quantities(fold_same_length(text))
    assert (q.start, q.value, q.qualifier) == (0, value, qualifier)


@pytest.mark.parametrize("text", ["1,5", "une", "plusieurs dizaines", "quelques", "une petite"])
def test_no_quantity(text):
    assert find_quantities(fold_same_length(text)) == []



@pytest.mark.parametrize("gold_path", GOLD_CASES)
def test_shipped_texts_match_gold(segmented, gold_path):
    gold = json.loads(gold_path.read_text("utf-8"))
    raw = (ROOT / "raw" / gold["doc"]).read_text("utf-8")
    found = set(_counts(segmented, raw))

    def key(item: dict) -> tuple[str, int, str]:
        return (item["category"], item["count"], item.get("qualifier", "exact"))

    required = {key(g) for g in gold["headcounts"] if not g.get("optional")}
    allowed = required | {key(g) for g in gold["headcounts"] if g.get("optional")}
    assert required <= found
    assert found <= allowed
