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


def _refused(text: str, snippet: str, *, with_reference: bool = False) -> list:
    return [line for line in explain(text, with_reference=with_reference).lines if not line.found and line.text == snippet]


@pytest.mark.parametrize(
    ("sentence", "kind", "snippet", "rule"),
    [
        pytest.param("Le département compte 320 communes.", "figure", "320 communes", "candidate_count_communes", id="a-departement-count"),
        pytest.param("Le marché de producteurs se tient chaque mois de mars.", "date", "mars", "candidate_date", id="a-month-no-date-rule-reads"),
    ],
)
def test_a_look_alike_no_component_saw_keeps_the_generic_candidate_line(sentence, kind, snippet, rule):
    refused = _refused(f"{SIGNED} {sentence}", snippet)
    assert [(line.kind, line.rule) for line in refused] == [(kind, rule)]
    assert refused[0].why


@pytest.mark.parametrize(
    ("sentence", "snippet", "rule", "why"),
    [
        pytest.param("Le tarif de la consultation reste fixé à 30 €.", "30 €", "amount_below_1000_eur", "price", id="a-fee"),
        pytest.param("Le conseil départemental a voté un budget de 2 millions d'euros pour la voirie.",
                     "2 millions d'euros", "other_conseil", "not as its payer", id="a-departement-budget"),
        pytest.param("Une aide de 40 000 € figure au budget de la région.", "40 000 €", "other_region", "no payer named",
                     id="a-region-named-not-as-payer"),
        pytest.param("La téléconsultation est facturée 12 000 € par patient.", "12 000 €", "rate", "per unit", id="a-price-per-patient"),
        pytest.param("Elle percevra 210 000 € par an, contre 160 000 € lors du précédent contrat.", "160 000 €",
                     "comparison_before", "comparison", id="an-earlier-contract"),
        pytest.param("Elle percevra de 90 000 € à 140 000 € par an.", "90 000 €", "range_before", "floor", id="the-floor-of-a-range"),
        pytest.param("L'ARS et la CPAM financent 70 000 € pour le projet.", "70 000 €", "co_funded", "several bodies",
                     id="two-payers-together"),
        pytest.param("Un fonds de 400 000 € est versé à l'ensemble des CPTS de la région.", "400 000 €", "not_contract",
                     "CPTS in general", id="cpts-in-general"),
        pytest.param("Une enveloppe de 25 000 € est annoncée.", "25 000 €", "payer_named_no_purpose", "no purpose stated",
                     id="neither-payer-nor-purpose"),
    ],
)
def test_a_sum_the_funding_rules_turned_down_names_the_check_that_did(sentence, snippet, rule, why):
    refused = _refused(f"{SIGNED} {sentence}", snippet)
    assert [(line.kind, line.rule) for line in refused] == [("funding", rule)]
    assert why in refused[0].why


def test_the_same_sum_stated_again_names_the_row_kept():
    text = f"{SIGNED} Elle touchera 45 000 € à la signature. Le versement de 45 000 € à la signature est prévu en juin."
    refused = _refused(text, "45 000 €")
    assert [(line.rule, line.char_start > text.index("45 000")) for line in refused] == [("signature_at", True)]
    assert f"[{text.index('45 000')}:" in refused[0].why


@pytest.mark.parametrize(
    ("sentence", "snippet", "rule"),
    [
        pytest.param("Les élus se sont réunis le 12 avril 2021 à la mairie.", "12 avril 2021", "date_this_cpts",
                     id="a-date-of-no-event-of-the-cpts"),
        pytest.param("La loi de modernisation de notre système de santé de janvier 2016 a créé les CPTS.", "janvier 2016",
                     "date_legal_name", id="a-laws-name"),
        pytest.param("Un an après la CPTS Léon Iroise, qui avait signé en mai 2021, elle rejoint le dispositif.", "mai 2021",
                     "date_other_cpts", id="another-cpts"),
        pytest.param("L'accord conventionnel interprofessionnel a été signé le 20 juin 2019 par l'Assurance Maladie et "
                     "les syndicats.", "20 juin 2019", "date_national_framework", id="the-national-agreement"),
    ],
)
def test_a_date_the_date_rules_turned_down_names_the_rule_that_did(sentence, snippet, rule):
    refused = _refused(f"{SIGNED} {sentence}", snippet)
    assert [(line.kind, line.rule) for line in refused] == [("date", rule)]
    assert refused[0].why


def test_a_date_after_the_publication_names_the_publication_rule():
    text = f"Publié le 10 mai 2022. {SIGNED} La CPTS organisera une soirée le 15 septembre 2022."
    refused = _refused(text, "15 septembre 2022")
    assert [(line.kind, line.rule) for line in refused] == [("date", "date_publication_cue")]
    assert "after the publication date (2022-05-10)" in refused[0].why


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        pytest.param("La réunion se tiendra au centre hospitalier de Landerneau.", "places_establishment_centre_hospitalier",
                     id="a-meeting-place"),
        pytest.param("Les hôpitaux de Brest, Quimper et Landerneau participent.", "places_establishment_hopitaux",
                     id="a-list-of-hospital-towns"),
    ],
)
def test_a_commune_named_for_an_establishment_is_a_mentioned_fact_with_its_cue(sentence, rule):
    lines = explain(f"{SIGNED} {sentence}").lines
    about = [line for line in lines if line.text == "Landerneau"]
    assert [(line.found, line.kind, line.rule) for line in about] == [(True, "communes", rule)]
    assert "role=mentioned" in about[0].value


@pytest.mark.parametrize(
    ("sentence", "snippet", "rule"),
    [
        pytest.param("Elle travaille avec les CPTS de Brest, Quimper et Landerneau.", "Quimper", "veto_chars",
                     id="towns-of-other-cpts"),
        pytest.param("Elle échange avec ses voisines de Brest, Quimper et Landerneau.", "Quimper", "bare_min_names",
                     id="neighbouring-towns"),
        pytest.param("Le cabinet de Sophie Lemaire accueille la réunion.", "Sophie Lemaire", "places_establishment_cabinet",
                     id="a-persons-name-after-a-cabinet"),
    ],
)
def test_a_name_the_places_rules_turned_down_names_the_rule_that_did(sentence, snippet, rule):
    refused = _refused(f"{SIGNED} {sentence}", snippet)
    assert [(line.kind, line.rule) for line in refused] == [("commune", rule)]
    assert refused[0].why


def test_a_fact_of_a_total_for_several_cpts_belongs_to_none():
    text = (
        "Le 12 juin 2023, trois nouvelles CPTS ont signé leur contrat.\n"
        "CPTS du Haut Léon\nAdhérents : 70\nCPTS des Abers\nAdhérents : 55\nCPTS de Cornouaille\nAdhérents : 90\n"
        "Au total, les trois CPTS réunissent 215 adhérents."
    )
    refused = _refused(text, "215 adhérents")
    assert [(line.kind, line.rule) for line in refused] == [("headcount", "ownership_total_1")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(f"{SIGNED} Elle percevra de 90 000 € à 140 000 € par an, contre 60 000 € lors du précédent contrat. "
                     "Elle touchera 45 000 € à la signature. Le versement de 45 000 € à la signature est prévu.",
                     "amounts", id="sums"),
        pytest.param(f"Publié le 10 mai 2022. {SIGNED} La loi de janvier 2016 a créé les CPTS. La CPTS fêtera le 15 "
                     "septembre 2022 ses dix ans. Les élus se sont réunis le 12 avril 2021.", "dates", id="dates"),
        pytest.param(f"{SIGNED} Elle travaille avec les CPTS de Brest, Quimper et Landerneau. Son territoire couvre "
                     "Morlaix, Plourin-lès-Morlaix et Taulé. Le cabinet de Sophie Lemaire accueille la réunion.",
                     "places", id="places"),
    ],
)
def test_recording_refusals_changes_no_fact(nlp, text, kind):
    from pipeline.parse.amounts import extract_amounts
    from pipeline.parse.dates import extract_dates
    from pipeline.parse.places.component import extract_places

    doc = nlp(text)
    for name, extract in (("amounts", extract_amounts), ("dates", extract_dates), ("places", extract_places)):
        rejected: list = []
        assert extract(doc, rejected) == extract(doc) == getattr(doc._, name), name
        assert bool(rejected) == (name == kind), (name, rejected)


def test_a_known_commune_name_no_places_rule_read_keeps_the_generic_candidate_line():
    refused = _refused(f"{SIGNED} Une réunion publique aura lieu à Landerneau.", "Landerneau", with_reference=True)
    assert [(line.kind, line.rule) for line in refused] == [("commune", "candidate_commune_name")]


def test_the_cli_prints_the_explanation(capsys):
    assert main(["explain", SIGNED, "--no-reference"]) == 0
    out = capsys.readouterr().out
    assert "FACT  dates" in out and "4 mai 2022" in out


def test_the_cli_wants_a_text_or_a_file(capsys):
    assert main(["explain"]) == 2


def test_a_file_is_read_as_extract_reads_it(tmp_path, capsys):
    """An HTML page (or a PDF, a Latin-1 text) gives the facts a run would give, not a decoding error."""
    page = tmp_path / "communique.html"
    body = f"<p>{SIGNED}</p><p>Les professionnels de santé du pays se sont réunis à cette occasion à la mairie.</p>"
    page.write_text(f"<html><head><title>Signature</title></head><body><article>{body}</article></body></html>", "latin-1")
    assert main(["explain", "--file", str(page), "--no-reference"]) == 0
    out = capsys.readouterr().out
    assert "FACT  dates" in out and "4 mai 2022" in out and "<p>" not in out


def test_a_file_extract_does_not_read_is_named_with_the_suffixes_it_reads(tmp_path, caplog):
    document = tmp_path / "communique.docx"
    document.write_bytes(b"PK")
    assert main(["explain", "--file", str(document), "--no-reference"]) == 2
    assert "communique.docx: not a file extract reads" in caplog.text and ".pdf" in caplog.text


def test_a_missing_file_is_explained_as_extract_would_reject_it(tmp_path):
    assert explain(tmp_path / "absent.txt", with_reference=False).status.startswith("rejected: unreadable file")


def test_a_count_the_headcount_rules_turned_down_names_the_rule_that_did():
    lines = explain(f"{SIGNED} Le département compte 2 400 professionnels de santé.", with_reference=False).lines
    refused = [line for line in lines if not line.found and line.text.startswith("2 400 professionnels")]
    assert len(refused) == 1 and not refused[0].rule.startswith("candidate_"), refused


def test_an_intercommunalite_of_the_territory_is_one_line_with_its_communes():
    """Its communes rows have no offsets (expansion rows): the line gives the name's span, the EPCI and how many."""
    lines = explain("La CPTS du Pays Bressan couvre la communauté de communes de la Veyle. Signé le 3 mars 2022.").lines
    epcis = [(line.text, line.value) for line in lines if line.kind == "epci"]
    assert epcis == [("communauté de communes de la Veyle", "epci_siren=200070555 communes=18")]
