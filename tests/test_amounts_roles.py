"""Where a sum's payer and purpose are looked for (``funding_cues.jsonl`` rows ``funder`` and ``purpose``, read
in their windows' order) and whether a body named there pays (``funding_rules.jsonl``), in our own phrasings."""

from __future__ import annotations

import pytest

from pipeline import patterns
from pipeline.explain import explain
from pipeline.ingest import normalise_text
from pipeline.parse.amounts import extract_amounts, rejected_amounts
from pipeline.parse.context import WINDOWS

AM, ARS, OTHER = "assurance_maladie", "ars", "other"
SIGNED = "La CPTS des Trois Vallées a signé son contrat avec l'Assurance Maladie le 12 mars 2024."


def _amounts(segmented, text: str) -> list[tuple[int, str, str, str]]:
    return [(a.value, a.funder, a.purpose, a.rule) for a in extract_amounts(segmented(normalise_text(text)))]


def _params(*cases):
    return pytest.mark.parametrize(("text", "expected"), [c[1:] for c in cases], ids=[c[0] for c in cases])


@_params(
    (
        "each-sum-its-marked-payer",
        "La CPTS du Val a obtenu 40 000 € par l'ARS et 25 000 € par la CPAM.",
        [(40000, ARS, OTHER, "payer_named_no_purpose"), (25000, AM, OTHER, "payer_named_no_purpose")],
    ),
    (
        "each-sum-its-named-body",
        "L'Agence régionale de santé verse 30 000 € et la caisse primaire 70 000 € à la CPTS du Val.",
        [(30000, ARS, OTHER, "payer_named_no_purpose"), (70000, AM, OTHER, "payer_named_no_purpose")],
    ),
    (
        "sentence-payer-for-both-sums",
        "Pour sa première année, la CPTS touchera 38 000 € et 15 000 € iront à la coordination, versés par la CPAM.",
        [(38000, AM, "first_year", "first_year"), (15000, AM, OTHER, "payer_named_no_purpose")],
    ),
    (
        "subclause-cut-in-a-list-of-cosignatories",
        "La CPTS du Val a signé avec la CPAM de l'Oise et l'ARS l'accord qui lui permettra de toucher 48 000 € la première année.",
        [(48000, AM, "first_year", "first_year")],
    ),
    (
        "heading-payer",
        "Versements de l'ARS :\nLa CPTS du Val a reçu 22 000 € pour démarrer.",
        [(22000, ARS, "signature_payment", "signature_start")],
    ),
)
def test_payer_subclause_then_sentence_then_heading(segmented, text, expected):
    assert _amounts(segmented, text) == expected


@_params(
    (
        "cue-goes-to-the-nearer-sum",
        "Pour sa première année, la CPTS recevra 45 000 € de l'Assurance Maladie, puis elle touchera 20 000 € en 2026.",
        [(45000, AM, "first_year", "first_year"), (20000, AM, OTHER, "payer_named_no_purpose")],
    ),
    (
        "subclause-cue-before-sentence-cue",
        "Une avance de 12 000 € est versée à la signature et 60 000 € chaque année pour les missions.",
        [(12000, AM, "signature_payment", "signature_at"), (60000, AM, "annual", "annual_per_year")],
    ),
    (
        "heading-purpose",
        "Aide à la rédaction du projet de santé :\n- 25 000 € versés par l'ARS",
        [(25000, ARS, "health_project", "health_project_writing")],
    ),
    (
        "own-sentence-purpose-before-heading",
        "Aide à la rédaction du projet de santé :\n- 25 000 € par an, versés par l'ARS",
        [(25000, ARS, "annual", "annual_per_year")],
    ),
)
def test_purpose_subclause_then_nearest_then_heading(segmented, text, expected):
    assert _amounts(segmented, text) == expected


@_params(
    ("council-votes-a-budget", "Le conseil départemental a voté un budget de 400 000 € pour la santé.", []),
    ("commune-receives", "La commune a reçu 35 000 € de subvention.", []),
    (
        "council-pays",
        "Le conseil départemental a versé 40 000 € à la CPTS des Collines.",
        [(40000, OTHER, OTHER, "payer_named_no_purpose")],
    ),
    (
        "aid-of-the-region",
        "Grâce à une subvention de la Région, la CPTS a reçu 35 000 €.",
        [(35000, OTHER, OTHER, "payer_named_no_purpose")],
    ),
)
def test_common_noun_pays_only_when_marked(segmented, text, expected):
    assert _amounts(segmented, text) == expected


def test_body_named_but_not_paying_says_its_row_and_rule(segmented):
    doc = segmented(normalise_text("Le conseil départemental a voté un budget de 400 000 € pour la santé."))
    [refused] = rejected_amounts(doc)
    assert refused.rule == "other_conseil"
    assert "common_noun_not_payer" in refused.why


def test_explain_shows_the_rows_that_decided():
    lines = explain(
        f"{SIGNED} L'ARS a versé 20 000 € pour la rédaction du projet de santé. "
        "La commune a reçu 35 000 € de subvention.",
        with_reference=False,
    ).lines
    kept = [(line.text, line.rule) for line in lines if line.found and line.kind == "fundings"]
    refused = [line for line in lines if not line.found and line.kind == "funding"]
    assert kept == [("20 000 €", "health_project_writing")]
    assert [(line.text, line.rule) for line in refused] == [("35 000 €", "other_commune")]
    assert "common_noun_not_payer" in refused[0].why


def test_reach_rows_name_matcher_windows_or_the_subclause():
    """The windows of the reach rows are data the code reads: the matcher's, or this package's sub-clause."""
    rows = [row for row in patterns.load("funding_cues") if "pattern" in row]
    assert {"funder", "purpose"} <= {row["id"] for row in rows}
    for row in rows:
        assert row["window"] and set(row["window"]) <= set(WINDOWS) | {"sentence_nearest", "subclause"}, row["id"]


def test_rule_anchors_are_funder_kinds():
    kinds = {row.get("kind", "name") for row in patterns.load("funders")}
    assert {row["anchor"] for row in patterns.load("funding_rules")} <= kinds | {"*"}


@pytest.mark.parametrize(
    ("windows", "payers"),
    [
        (("subclause", "sentence", "heading"), [(40000, ARS), (25000, AM)]),
        (("sentence",), [(40000, ARS), (25000, ARS)]),
        (("sentence_nearest",), [(25000, ARS)]),
    ],
    ids=["subclause-first", "sentence-only", "nearest-only"],
)
def test_the_funder_row_windows_are_what_the_code_reads(segmented, monkeypatch, windows, payers):
    """The reach is data. Read in the sentence alone, the second sum takes the marked payer nearest it, the
    first's; read by nearness alone, both bodies lie nearer the second sum and the first is left without payer."""
    from pipeline.parse.amounts import roles

    cues = roles._reach().cues
    monkeypatch.setitem(cues, "funder", cues["funder"]._replace(windows=windows))
    text = "La CPTS du Val a obtenu 40 000 € par l'ARS et 25 000 € par la CPAM."
    assert [row[:2] for row in _amounts(segmented, text)] == payers
