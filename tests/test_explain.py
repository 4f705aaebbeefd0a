"""``python -m pipeline explain``: every fact with its rule, and the look-alikes no rule kept, with why."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.explain import explain

SIGNED = "La CPTS du Pays de Morlaix a signé son contrat avec l'Assurance Maladie le 4 mai 2022."


def test_a_fact_is_listed_with_its_table_value_and_span():
    found = [line for line in explain(SIGNED, with_reference=False).lines if line.found and line.kind == "dates"]
    assert [(line.text, line.value) for line in found] == [("4 mai 2022", "date=2022-05-04 precision=day role=signature")]
    assert SIGNED[found[0].char_start : found[0].char_end] == "4 mai 2022"


@pytest.mark.parametrize(
    ("sentence", "kind", "snippet", "rule"),
    [
        pytest.param("Le tarif de la consultation reste fixé à 30 €.", "funding", "30 €", "candidate_amount", id="a-fee-is-no-funding"),
        pytest.param("Le département compte 320 communes.", "figure", "320 communes", "candidate_count_communes", id="a-departement-count"),
        pytest.param("Les élus se sont réunis le 12 avril 2021 à la mairie.", "date", "12 avril 2021", "candidate_date", id="a-date-before-the-cpts-existed"),
    ],
)
def test_a_look_alike_no_rule_kept_is_listed_with_the_candidate_rule_and_why(sentence, kind, snippet, rule):
    lines = explain(f"{SIGNED} {sentence}", with_reference=False).lines
    refused = [line for line in lines if not line.found and line.text == snippet]
    assert [(line.kind, line.rule) for line in refused] == [(kind, rule)]
    assert refused[0].why


def test_a_known_commune_name_outside_any_list_is_a_candidate():
    lines = explain(f"{SIGNED} Une réunion publique aura lieu à Landerneau.").lines
    assert any(not line.found and line.kind == "commune" and line.text == "Landerneau" for line in lines)


def test_the_cli_prints_the_explanation(capsys):
    assert main(["explain", SIGNED, "--no-reference"]) == 0
    out = capsys.readouterr().out
    assert "FACT  dates" in out and "4 mai 2022" in out


def test_the_cli_wants_a_text_or_a_file(capsys):
    assert main(["explain"]) == 2


def test_a_count_the_headcount_rules_turned_down_names_the_rule_that_did():
    lines = explain(f"{SIGNED} Le département compte 2 400 professionnels de santé.", with_reference=False).lines
    refused = [line for line in lines if not line.found and line.text.startswith("2 400 professionnels")]
    assert len(refused) == 1 and not refused[0].rule.startswith("candidate_"), refused
