"""Sums of money paid to a CPTS: forms of money, payer, purpose, ceiling, condition, dedupe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.amounts import extract_amounts
from pipeline.parse.nlp import build_nlp

ROOT = Path(__file__).resolve().parent.parent
AM, ARS, OTHER = "assurance_maladie", "ars", "other"


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _rows(nlp, text: str) -> list[tuple]:
    doc = nlp.make_doc(normalise_text(text))
    amounts = extract_amounts(doc)
    for a in amounts:
        assert doc.text[a.char_start : a.char_end] == a.text
    return [(a.value, a.funder, a.purpose, a.period_years, a.is_maximum, a.conditional) for a in amounts]


# (text, expected rows: value, funder, purpose, period_years, is_maximum, conditional)
CASES = [
    pytest.param(
        "La CPAM du Gard a versé une avance de 45 500 € à la CPTS lors de la signature.",
        [(45500, AM, "signature_payment", None, False, False)],
        id="cpam-avance-signature",
    ),
    pytest.param(
        "Le FIR a permis de financer la rédaction du projet de santé à hauteur de 12 000 euros.",
        [(12000, ARS, "health_project", None, False, False)],
        id="fir-redaction-euros",
    ),
    pytest.param(
        "Une subvention de 8 500 € de l'Agence régionale de santé Occitanie a soutenu l'élaboration du projet.",
        [(8500, ARS, "health_project", None, False, False)],
        id="ars-long-name-subvention-de",
    ),
    pytest.param(
        "La caisse versera à la CPTS 198 000 € pour la 1ère année de fonctionnement.",
        [(198000, AM, "first_year", None, False, False)],
        id="la-caisse-first-year",
    ),
    pytest.param(
        "La communauté pourra percevoir jusqu'à 1,2 million d'euros sur cinq ans.",
        [(1200000, AM, "multi_year", 5, True, False)],
        id="million-words-sur-cinq-ans-default-payer",
    ),
    pytest.param(
        "Le contrat prévoit une rémunération de 1,5 M€ sur une durée de 5 ans.",
        [(1500000, AM, "multi_year", 5, False, False)],
        id="m-euro-symbol",
    ),
    pytest.param(
        "L'Assurance Maladie attribue chaque année 250 k€ à la CPTS selon l'atteinte des objectifs.",
        [(250000, AM, "annual", None, False, True)],
        id="k-euro-annual-conditional",
    ),
    pytest.param(
        "Le contrat lui rapportera 60 000 € par an une fois tous ses objectifs remplis.",
        [(60000, AM, "annual", None, False, True)],
        id="rapportera-une-fois-objectifs-remplis",
    ),
    pytest.param(
        "À la clé pour la communauté, 80 000 euros par an.",
        [(80000, AM, "annual", None, False, False)],
        id="a-la-cle-journalist",
    ),
    pytest.param(
        "En cas d'atteinte de ses indicateurs, la communauté percevra 110 000 € chaque année.",
        [(110000, AM, "annual", None, False, True)],
        id="en-cas-d-atteinte-des-indicateurs",
    ),
    pytest.param(
        "L'accord prévoit une enveloppe de 62 000 € pour l'année 2023, puis jusqu'à 98 000 € les années suivantes.",
        [(62000, AM, "annual", None, False, False), (98000, AM, "annual", None, True, False)],
        id="named-year-then-following-years",
    ),
    pytest.param(
        "Grâce à l'ACI, la CPTS dispose d'un budget de fonctionnement de 104 000 € par an.",
        [(104000, AM, "annual", None, False, False)],
        id="budget-de-fonctionnement",
    ),
    pytest.param(
        "Montant : 88 k€/an",
        [(88000, AM, "annual", None, False, False)],
        id="montant-label-k-euro-per-year",
    ),
    pytest.param(
        "La communauté touchera une dotation de 47 000 € au titre de l'année de lancement.",
        [(47000, AM, "first_year", None, False, False)],
        id="annee-de-lancement",
    ),
    pytest.param(
        "Bilan\nEn 2022, la communauté a perçu 126 000 € au titre de son contrat.",
        [(126000, AM, "annual", None, False, False)],
        id="year-opening-the-sentence",
    ),
    pytest.param(
        "La communauté, fondée en 2021, a reçu 25 000 € de l'ARS.",
        [(25000, ARS, "other", None, False, False)],
        id="year-after-a-verb-is-no-period",
    ),
    pytest.param(
        "La CPTS a obtenu 28 000 € du FIR pour l'écriture de son projet de santé.",
        [(28000, ARS, "health_project", None, False, False)],
        id="obtenu-du-fir",
    ),
    pytest.param(
        "L'hôpital et les libéraux main dans la main\nLa CPTS de la Roche aux Fées percevra 85 000 € par an.",
        [(85000, AM, "annual", None, False, False)],
        id="heading-about-a-hospital-sentence-naming-the-cpts",
    ),
    pytest.param(
        "La CPTS bénéficiera d'un financement de deux cent mille euros par an.",
        [(200000, AM, "annual", None, False, False)],
        id="words-deux-cent-mille",
    ),
    pytest.param(
        "Un montant de 50 000 EUR sera versé par la caisse primaire de la Manche à la signature du contrat.",
        [(50000, AM, "signature_payment", None, False, False)],
        id="eur-code-caisse-primaire",
    ),
    pytest.param(
        "Financement de l'Assurance Maladie : € 75 000 à la signature.",
        [(75000, AM, "signature_payment", None, False, False)],
        id="currency-first",
    ),
    pytest.param(
        "Le Conseil régional a apporté 20 000 € pour l'amorçage de la CPTS.",
        [(20000, OTHER, "other", None, False, False)],
        id="conseil-regional-other",
    ),
    pytest.param(
        "La commune de Bellegarde a versé une aide de 5 000 € pour l'achat de matériel.",
        [(5000, OTHER, "other", None, False, False)],
        id="commune-payer-other",
    ),
    pytest.param(
        "Pour ses missions et son fonctionnement, la CPTS recevra de la CNAM un montant plafonné à 310 000 €, "
        "en fonction des résultats obtenus.",
        [(310000, AM, "mission_funding", None, True, True)],
        id="cnam-missions-plafond-resultats",
    ),
    pytest.param(
        "La CPTS peut prétendre à un financement annuel maximal de 380 000 euros, sous réserve d'atteinte des objectifs.",
        [(380000, AM, "annual", None, True, True)],
        id="annual-maximal-sous-reserve",
    ),
    pytest.param(
        "L'ARS a versé 18 000 € pour l'écriture du projet de santé et l'Assurance Maladie versera 92 500 € à la signature.",
        [(18000, ARS, "health_project", None, False, False), (92500, AM, "signature_payment", None, False, False)],
        id="two-payers-one-sentence",
    ),
    pytest.param(
        "Montants versés par la CPAM à la signature : 30 000 € puis 140 000 € par an.",
        [(30000, AM, "signature_payment", None, False, False), (140000, AM, "annual", None, False, False)],
        id="one-payer-two-purposes",
    ),
    pytest.param(
        "Aides versées à la signature :\n\n62 000 €\npar la CPAM\n\n9 000 €\npar l'ARS\npour la préparation du\nprojet de santé.",
        [(62000, AM, "signature_payment", None, False, False), (9000, ARS, "health_project", None, False, False)],
        id="heading-list-layout",
    ),
    pytest.param(
        "Rémunération maximale sur 4 ans :\n\n640 000 €",
        [(640000, AM, "multi_year", 4, True, False)],
        id="heading-max-multi-year",
    ),
    pytest.param(
        "Financement total prévu pour les missions\nsur 5 ans : 900 000 €",
        [(900000, AM, "multi_year", 5, False, False)],
        id="wrapped-line-multi-year",
    ),
    pytest.param(
        "Financement de l'ARS\n\nVersement par l'ARS pour l'écriture du projet de 7 500 €",
        [(7500, ARS, "health_project", None, False, False)],
        id="versement-par-ars",
    ),
    pytest.param(
        "L'ARS a soutenu la mise en œuvre du projet de santé de la CPTS pour un montant de 20 000€.",
        [(20000, ARS, "health_project", None, False, False)],
        id="ars-mise-en-oeuvre-projet",
    ),
    pytest.param(
        "L'Assurance Maladie apporte 120 000 € pour mettre en œuvre son projet de santé.",
        [(120000, AM, "other", None, False, False)],
        id="am-mise-en-oeuvre-not-project-writing",
    ),
    pytest.param(
        "Une dotation de 1.100.000 € sur la durée du contrat est accordée par l'Assurance maladie.",
        [(1100000, AM, "multi_year", None, False, False)],
        id="dots-thousands-duree-contrat",
    ),
    pytest.param(
        "Une avance de 40 000 € est versée par l'Assurance Maladie. La CPAM versera à la signature 40 000 € d'avance.",
        [(40000, AM, "signature_payment", None, False, False)],
        id="dedupe-same-value-same-purpose",
    ),
    pytest.param(
        "La CPAM verse 40 000 € à la signature et 40 000 € au titre de la première année.",
        [(40000, AM, "signature_payment", None, False, False), (40000, AM, "first_year", None, False, False)],
        id="same-value-two-purposes",
    ),
    pytest.param(
        "La CPTS pourra recevoir un financement de 95 000 € pour la première année d'activité.",
        [(95000, AM, "first_year", None, False, False)],
        id="first-year-no-payer-named",
    ),
    pytest.param(
        "L'Assurance Maladie versera 60 000 € à la signature puis 200 000 € par an, sous réserve de l'atteinte des objectifs.",
        [(60000, AM, "signature_payment", None, False, False), (200000, AM, "annual", None, False, True)],
        id="condition-goes-to-nearest-sum",
    ),
    pytest.param(
        "La Région a versé 25 000 € pour l'équipement, l'ARS finance la rédaction du projet de santé.",
        [(25000, OTHER, "other", None, False, False)],
        id="purpose-of-another-payer-ignored",
    ),
    pytest.param(
        "La CPAM de l'Isère a signé le contrat. Elle versera 70 000 € dès la signature.",
        [(70000, AM, "signature_payment", None, False, False)],
        id="pronoun-payer-aci-default",
    ),
    pytest.param(
        "Soit un financement de 650 000 € sur quatre ans, si tous les objectifs sont atteints.",
        [(650000, AM, "multi_year", 4, False, True)],
        id="si-tous-les-objectifs-atteints",
    ),
    pytest.param(
        "Nous pourrons recevoir au maximum 900 000 € sur cinq ans si nos objectifs sont atteints.",
        [(900000, AM, "multi_year", 5, True, True)],
        id="si-nos-objectifs-sont-atteints",
    ),
    pytest.param(
        "La CPTS touchera 72 000 € par an à condition d'atteindre ses objectifs.",
        [(72000, AM, "annual", None, False, True)],
        id="a-condition-d-atteindre",
    ),
    pytest.param(
        "La caisse versera 130 000 € chaque année, sous condition d'atteinte des indicateurs.",
        [(130000, AM, "annual", None, False, True)],
        id="sous-condition-d-atteinte",
    ),
    pytest.param(
        "Une dotation annuelle de 88 000 €, modulée selon les indicateurs du contrat.",
        [(88000, AM, "annual", None, False, True)],
        id="modulee-selon-indicateurs",
    ),
    pytest.param(
        "La communauté percevra 1.8 million d'euros sur 5 ans.",
        [(1800000, AM, "multi_year", 5, False, False)],
        id="decimal-point-before-million",
    ),
    pytest.param(
        "Le contrat prévoit une rémunération de 2.5 M€ sur six ans.",
        [(2500000, AM, "multi_year", 6, False, False)],
        id="decimal-point-before-m-euro",
    ),
    pytest.param(
        "La CPTS recevra 980 000 euros sur la durée du contrat (5 ans).",
        [(980000, AM, "multi_year", 5, False, False)],
        id="duree-du-contrat-years-in-parentheses",
    ),
    pytest.param(
        "Sur la durée du contrat, soit cinq ans, la CPTS pourra recevoir jusqu'à 700 000 €.",
        [(700000, AM, "multi_year", 5, True, False)],
        id="duree-du-contrat-soit-years",
    ),
    pytest.param(
        "L'Agence de santé Océan Indien a attribué 18 000 € pour la rédaction du projet de santé.",
        [(18000, ARS, "health_project", None, False, False)],
        id="overseas-agence-de-sante",
    ),
    pytest.param(
        "La CPTS reçoit 84 000 € par an de la CPAM, et l'ARS 9 000 € pour le projet de santé.",
        [(84000, AM, "annual", None, False, False), (9000, ARS, "health_project", None, False, False)],
        id="ars-pour-le-projet-de-sante-ellipsis",
    ),
    pytest.param(
        "La CPTS pourra bénéficier d'une enveloppe de 120 000 à 210 000 euros par an.",
        [(210000, AM, "annual", None, True, False)],
        id="range-top-is-a-ceiling",
    ),
    pytest.param(
        "Elle percevra entre 90 000 € et 160 000 € chaque année.",
        [(160000, AM, "annual", None, True, False)],
        id="range-floor-dropped",
    ),
    pytest.param(
        "La CPAM du Finistère versera 57 000 € à la CPTS cette année, puis 140 000 € par an.",
        [(57000, AM, "first_year", None, False, False), (140000, AM, "annual", None, False, False)],
        id="cette-annee-is-first-year",
    ),
    pytest.param(
        "L'ARS a financé la rédaction de chacun des projets de santé à hauteur de 14 000 €.",
        [(14000, ARS, "health_project", None, False, False)],
        id="redaction-de-chacun-des-projets",
    ),
    pytest.param(
        "En 2019, l'ARS avait accordé 18 000 € à l'association pour écrire son projet de santé.",
        [(18000, ARS, "health_project", None, False, False)],
        id="verb-ecrire-son-projet",
    ),
    pytest.param(
        "Une subvention de 22 500 euros de l'ARS doit permettre de rédiger le projet de santé.",
        [(22500, ARS, "health_project", None, False, False)],
        id="verb-rediger-le-projet",
    ),
    pytest.param(
        "Le financement annuel pourra atteindre 310 000 euros, selon les résultats obtenus.",
        [(310000, AM, "annual", None, True, True)],
        id="pourra-atteindre-is-a-ceiling",
    ),
    pytest.param(
        "La CPTS percevra jusqu'à 198 000 € par an, sous réserve d'atteindre les objectifs fixés.",
        [(198000, AM, "annual", None, True, True)],
        id="sous-reserve-d-atteindre",
    ),
    pytest.param(
        "Elle pourra prétendre à 240 000 € par an, selon les missions engagées et l'atteinte des indicateurs.",
        [(240000, AM, "annual", None, True, True)],
        id="selon-missions-et-atteinte",
    ),
    pytest.param(
        "La Région y ajoute une subvention de 8 000 € pour l'animation des réunions.",
        [(8000, OTHER, "other", None, False, False)],
        id="region-ajoute-payer",
    ),
    pytest.param(
        "Avance versée à la signature\n" + "\n".join(f"CPTS n°{i} | Nord | {40 + i} 000 €" for i in range(1, 10)),
        [(40000 + 1000 * i, AM, "signature_payment", None, False, False) for i in range(1, 10)],
        id="long-table-keeps-its-header",
    ),
    pytest.param(
        "Montants versés à la signature\nCPTS A | 41 000 €\nCPTS B | 52 000 €\n\n"
        "Pour une communauté de taille 2, elle peut atteindre 287 000 € par an.",
        [(41000, AM, "signature_payment", None, False, False), (52000, AM, "signature_payment", None, False, False)],
        id="paragraph-after-table-is-not-a-row",
    ),
    pytest.param(
        "La communauté recevra 62 K€ à la signature puis jusqu'à 0,9 M € sur cinq ans si elle atteint ses objectifs.",
        [(62000, AM, "signature_payment", None, False, False), (900000, AM, "multi_year", 5, True, True)],
        id="k-euro-spaced-m-euro-si-elle-atteint",
    ),
    pytest.param(
        "Avec ce contrat, nous pourrons percevoir 210 000 € par an quand nous remplissons nos engagements.",
        [(210000, AM, "annual", None, False, True)],
        id="quand-nous-remplissons-nos-engagements",
    ),
    pytest.param(
        "Le renouvellement permettra de toucher jusqu'à 410 K€ par an, contre 275 K€ lors du précédent contrat, "
        "en fonction de l'atteinte des objectifs.",
        [(410000, AM, "annual", None, True, True)],
        id="comparison-with-previous-contract",
    ),
    pytest.param(
        "La CPTS bénéficiera de 330 000 euros chaque année au lieu de 260 000 euros, sous réserve de l'atteinte des objectifs.",
        [(330000, AM, "annual", None, False, True)],
        id="au-lieu-de-comparison",
    ),
    pytest.param(
        "Le contrat prévoit une enveloppe de 115 000 euros annuels, dont 30 000 euros versés dès la signature.",
        [(115000, AM, "annual", None, False, False), (30000, AM, "signature_payment", None, False, False)],
        id="enveloppe-annuelle-dont-signature",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phrasings(nlp, text, expected):
    assert _rows(nlp, text) == expected


NEGATIVES = [
    pytest.param("Le département est couvert à plus de 85 % par une CPTS.", id="percentage"),
    pytest.param("Près de 6 500 patients n'ont pas de médecin traitant.", id="patients"),
    pytest.param("La CPTS a été créée en 2021 et signée le 3 mai 2022.", id="years"),
    pytest.param("Contact presse : 04 72 34 74 00 ou 06 11 22 33 44.", id="phone-numbers"),
    pytest.param("Dans le cadre de Ma Santé 2022, la CPTS regroupe 140 professionnels.", id="ma-sante-2022"),
    pytest.param("La consultation est facturée 25 € par patient.", id="price-under-threshold"),
    pytest.param("Rémunération du coordinateur : 30 000 à 34 000 € brut annuel selon profil.", id="salary-range-brut-annuel"),
    pytest.param("Le centre hospitalier de Vitré a reçu 1,8 M€ de l'ARS pour moderniser son plateau technique.",
                 id="hospital-subject"),
    pytest.param("La maison de santé de Janzé recevra 40 000 € de la communauté de communes.", id="msp-subject"),
    pytest.param("4. La maison de santé de Retiers s'agrandit\nFinancée à hauteur de 280 000 € par la communauté "
                 "d'agglomération, l'extension ouvrira en mai.", id="heading-about-an-msp"),
    pytest.param("Salaire proposé : 2 600 € brut par mois, soit 31 200 € par an.", id="salary-per-month-and-year"),
    pytest.param("L'Assurance Maladie verse 1,50 € par habitant et par an.", id="rate-per-inhabitant"),
    pytest.param("Le gouvernement consacre 250 millions d'euros aux CPTS en France.", id="national-budget"),
    pytest.param("Les CPTS peuvent recevoir jusqu'à 450 000 € par an de l'Assurance Maladie.", id="cpts-in-general"),
    pytest.param("Une enveloppe de 2,4 millions € de l'ARS pour 12 CPTS du département.", id="budget-for-several-cpts"),
    pytest.param("Le coût du nouveau logiciel est de 12 000 €.", id="cost-not-funding"),
    pytest.param("La CPTS a reçu 30 000 € pour organiser la journée de prévention.", id="no-payer-not-aci"),
    pytest.param("L'ARS et la CPAM du Var cofinancent le poste de coordination à hauteur de 48 000 €.", id="co-funded"),
    pytest.param("La réunion de l'ARS a réuni 3 000 participants et 250 euros de dons.", id="small-sum"),
    pytest.param("L'Assurance Maladie consacrera 1,1 million d'euros par an aux quatre communautés.", id="total-for-four-cpts"),
    pytest.param("Le cabinet de 1.2 millions de patients vise 40 000 praticiens.", id="decimal-point-no-currency"),
    pytest.param("Son budget était de 180 K€ contre 150 K€ lors du précédent contrat.", id="previous-contract-only"),
    pytest.param("La CPAM a versé 2,9 milliards d'euros de prestations en 2022.", id="billions-of-benefits"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_funding(nlp, text):
    assert _rows(nlp, text) == []


def _gold(path: Path) -> list[tuple]:
    gold = json.loads((ROOT / "tests" / "gold" / f"{path.stem}.json").read_text("utf-8"))["fundings"]
    return sorted(
        (f["amount_eur"], f["funder"], f["purpose"], f.get("period_years"), f.get("is_maximum", False), f.get("conditional", False))
        for f in gold
    )


@pytest.mark.parametrize("path", sorted((ROOT / "raw").glob("*.txt")), ids=lambda p: p.stem[:3])
def test_shipped_texts_match_gold(nlp, path):
    doc = nlp(normalise_text(path.read_text("utf-8")))
    got = sorted((a.value, a.funder, a.purpose, a.period_years, a.is_maximum, a.conditional) for a in doc._.amounts)
    assert got == _gold(path)
