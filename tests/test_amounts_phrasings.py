"""Fundings in the ways real writers phrase them, grouped by origin; each case checks the rule that decided
its purpose (a ``funding_purposes.jsonl`` row id, or ``payer_named_no_purpose``)."""

from __future__ import annotations

import pytest

from pipeline import patterns
from pipeline.ingest import normalise_text
from pipeline.parse.amounts import extract_amounts


def _amounts(segmented, text: str) -> list[tuple[int, str, str, str]]:
    doc = segmented(normalise_text(text))
    found = extract_amounts(doc)
    for a in found:
        assert doc.text[a.char_start : a.char_end] == a.text
    return [(a.value, a.funder, a.purpose, a.rule) for a in found]


# Phenomena seen on the development set of real communiqués (rephrased).
DEV_PHENOMENA = [
    (
        "ars-grant-at-launch",
        "Au lancement de la CPTS, l'ARS Bretagne a versé une aide de 18 000 €, complétée par 24 500 € "
        "destinés au recrutement d'une coordinatrice.",
        [(18000, "ars", "health_project", "health_project_start_up"), (24500, "ars", "other", "payer_named_no_purpose")],
    ),
    (
        "start-up-aid",
        "Une aide au démarrage de 30 000 € a été versée par l'ARS Normandie.",
        [(30000, "ars", "health_project", "health_project_start_up")],
    ),
    (
        "a-sa-creation",
        "À sa création, la CPTS a reçu 25 000 € de l'ARS.",
        [(25000, "ars", "health_project", "health_project_start_up")],
    ),
    (
        "soutenu-la-creation",
        "L'Agence régionale de santé a soutenu la création de la CPTS à hauteur de 21 000 €.",
        [(21000, "ars", "health_project", "health_project_start_up")],
    ),
]

OTHER_PHRASINGS = [
    (
        "pour-demarrer-after-contract-sentence",
        "Le 22 mai dernier, la CPTS a signé avec la caisse primaire d'assurance maladie du Gers et l'Agence "
        "régionale de santé son contrat de financement. À la clé, une aide de 45 000 euros pour démarrer, "
        "et jusqu'à 210 000 euros chaque année selon les résultats.",
        [
            (45000, "assurance_maladie", "signature_payment", "signature_start"),
            (210000, "assurance_maladie", "annual", "annual_per_year"),
        ],
    ),
    (
        "subvention-elaboration",
        "L'ARS a attribué une subvention de 20 000 € pour l'élaboration du projet de santé.",
        [(20000, "ars", "health_project", "health_project_writing")],
    ),
    (
        "par-an-assurance-maladie",
        "La CPTS percevra 75 000 € par an de l'Assurance Maladie.",
        [(75000, "assurance_maladie", "annual", "annual_per_year")],
    ),
    (
        "signature-then-first-year",
        "La CPTS a perçu 42 000 € de l'Assurance Maladie à la signature, puis 96 000 € pour la première année.",
        [
            (42000, "assurance_maladie", "signature_payment", "signature_at"),
            (96000, "assurance_maladie", "first_year", "first_year"),
        ],
    ),
    (
        "start-up-heading-says-nothing-of-one-sum",
        "Des moyens pour démarrer\n\nLa communauté de communes y ajoute une subvention de 8 000 € pour l'animation des réunions.",
        [(8000, "other", "other", "payer_named_no_purpose")],
    ),
    (
        "pour-demarrer-two-cosignatories",
        # two bodies signed in the same sentence: neither is the payer the text names; the ACI advance is the AM's
        "La CPTS a signé avec la CPAM et l'ARS son contrat : une aide de 45 000 euros pour démarrer.",
        [(45000, "assurance_maladie", "signature_payment", "signature_start")],
    ),
    (
        "its-operating-costs",
        "La CPTS du Lez recevra de la CPAM 50 000 € pour son fonctionnement.",
        [(50000, "assurance_maladie", "mission_funding", "mission_funding")],
    ),
    (
        "region-pays",
        "La Région a apporté 10 000 € pour l'équipement.",
        [(10000, "other", "other", "payer_named_no_purpose")],
    ),
]

NEGATIVE = [
    ("national-budget", "Le budget national consacré aux CPTS atteint 120 millions d'euros."),
    ("price", "La consultation coûte 26,50 €."),
    ("every-cpts-range", "Chaque CPTS peut recevoir entre 185 000 et 450 000 € selon sa taille."),
    ("any-one-cpts-on-average", "La CPTS du Lez a signé. En moyenne, une CPTS reçoit 90 000 € par an."),
    ("neighbouring-cpts", "La CPTS du Lez a signé. La CPTS voisine du Vidourle touche 120 000 € par an."),
    ("start-up-paid-by-cpam-is-not-project", "Lors du lancement de la CPTS, une enveloppe de 40 000 € a été votée."),
]

def _params(table):
    return pytest.mark.parametrize(("text", "expected"), [c[1:] for c in table], ids=[c[0] for c in table])


@_params(DEV_PHENOMENA)
def test_dev_phenomena(segmented, text, expected):
    assert _amounts(segmented, text) == expected


@_params(OTHER_PHRASINGS)
def test_other_phrasings(segmented, text, expected):
    assert _amounts(segmented, text) == expected


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_fundings(segmented, text):
    assert _amounts(segmented, text) == []


@pytest.mark.parametrize("name", ["funders", "funding_purposes", "amount_cues", "money_units"])
def test_every_pattern_row_has_an_id(name):
    ids = [row.get("id") for row in patterns.load(name)]
    assert all(ids) and len(ids) == len(set(ids))


def test_every_cue_window_is_read_by_the_code():
    """An amount cue's window is data the code reads: a window of the contextual matcher."""
    from pipeline.parse.context import WINDOWS

    for row in (row for row in patterns.load("amount_cues") if "pattern" in row):
        assert row["window"] and set(row["window"]) <= set(WINDOWS) | {"sentence_nearest"}, row["id"]
