"""Regression guard on the u4 communiqués written to test generalisation (tests/unseen/raw/u4_*.txt).

Six releases unlike the shipped texts and unlike u1-u3: a long local newspaper
article with quotes (Drôme and Isère; president, vice-président and
coordinatrice named), a five-line brief (Guadeloupe; "05/07/2022", "250 k€"),
an ARS page listing eight CPTS signed in 2023 one table row each
(Hauts-de-France), a CPAM page on an avenant with a "k€" table by year and the
CPAM and ARS directors named but no CPTS president (Occitanie), a CPTS not
yet signed, "en cours de constitution" (Guyane), and a newsletter PDF's text,
hard-wrapped with hyphenated words and saved as mojibake ("Ã©") (Martinique).

This runs ingest, the parse stage and the normalisation's row building (with
an empty territory: the commune resolution is scored elsewhere) and scores
the rows with ``pipeline.evaluate.score``, the evaluator of ``make eval``. The
mojibake text is scored apart: its accents can only be repaired by ingest.
"""

from __future__ import annotations

import json

import pytest
from unseen_scoring import UNSEEN, assert_accuracy_at_least, assert_f1_at_least, unseen_report

GOLDS = sorted((UNSEEN / "gold").glob("u4_*.json"))
MOJIBAKE = "u4_ocr_cpts_centre_martinique.txt"

F1_REACHED = {"cpts": 1.0, "fundings": 1.0, "dates": 1.0}
"""Per-table F1 over the five readable u4 texts after the round-2 rules (before them, over all six: fundings 0.74, dates 0.57)."""

FIELDS_REACHED = {"president": 1.0, "signature_date": 1.0}
"""Accuracy of the cpts fields these rules decide, over the same texts (before, over all six: 0.92 and 0.23)."""


@pytest.fixture(scope="module")
def golds() -> dict[str, dict]:
    return {path.name.replace(".json", ".txt"): json.loads(path.read_text(encoding="utf-8")) for path in GOLDS}


@pytest.fixture(scope="module")
def report(golds):
    return unseen_report([gold for doc, gold in golds.items() if doc != MOJIBAKE])


@pytest.fixture(scope="module")
def mojibake_report(golds):
    return unseen_report([golds[MOJIBAKE]])


def test_there_are_six_u4_documents(golds):
    assert len(golds) == 6 and MOJIBAKE in golds


@pytest.mark.parametrize("table", sorted(F1_REACHED))
def test_f1_does_not_regress(report, table):
    assert_f1_at_least(report, table, F1_REACHED[table])


@pytest.mark.parametrize("field", sorted(FIELDS_REACHED))
def test_cpts_fields_do_not_regress(report, field):
    assert_accuracy_at_least(report, field, FIELDS_REACHED[field])


def test_mojibake_text_still_names_its_cpts_and_dates(mojibake_report):
    """What survives the broken accents: the CPTS, the publication date (months without accents)."""
    assert mojibake_report.tables["cpts"].f1 == 1.0
    assert not [m for m in mojibake_report.tables["dates"].misses if "publication" in m]


def test_mojibake_text_gives_signature_and_president(mojibake_report):
    assert mojibake_report.fields["signature_date"] == (1, 1)
    assert mojibake_report.fields["president"] == (1, 1)
