"""Regression guard on the u5 communiqués written to test generalisation (tests/unseen/raw/u5_*.txt).

Six releases unlike the shipped texts and unlike each other: a long local
newspaper article with quotes (Dordogne), an ARS Grand Est table of the eight
CPTS that signed in 2023 (one row each: "CPTS | Département | Signature |
Population couverte | Adhérents"), a CPAM de Paris release on an avenant
with a k€ table by year and the CPAM and ARS directors named, a five-line
ARS Mayotte brief, a CPTS newsletter copied from a PDF with mojibake and
words hyphenated across lines (Haut-Doubs), and a Hauts-de-Seine newsletter
on a CPTS still "en cours de constitution".

This runs ingest (which repairs the mojibake and the hyphenation), the
parse stage and the normalisation's row building (with an empty territory:
the commune resolution is scored elsewhere) and scores the tables that the
rules of headcounts, figures and missions produce with
``pipeline.evaluate.score``, the evaluator of ``make eval``.
"""

from __future__ import annotations

import pytest
from unseen_scoring import UNSEEN, assert_accuracy_at_least, assert_f1_at_least, unseen_golds, unseen_report

GOLDS = sorted((UNSEEN / "gold").glob("u5_*.json"))

F1_REACHED = {"headcounts": 1.0, "missions": 1.0}
"""Per-table F1 over the u5 set when these tests were written; a rule change that lowers it fails."""

FIELDS_REACHED = {
    "population_declared": 1.0,
    "population_qualifier": 1.0,
    "communes_declared": 1.0,
    "members_declared": 1.0,
}
"""Accuracy of the declared figures over the 13 CPTS of the set."""


@pytest.fixture(scope="module")
def report():
    return unseen_report(unseen_golds("u5_"))


def test_there_are_six_u5_documents():
    assert len(GOLDS) == 6


@pytest.mark.parametrize("table", sorted(F1_REACHED))
def test_f1_does_not_regress(report, table):
    assert_f1_at_least(report, table, F1_REACHED[table])


@pytest.mark.parametrize("field", sorted(FIELDS_REACHED))
def test_declared_figures_do_not_regress(report, field):
    assert_accuracy_at_least(report, field, FIELDS_REACHED[field])


def test_no_extra_headcounts(report):
    """Targets, ages, durations, phone numbers, percentages and parts never become headcounts."""
    assert report.tables["headcounts"].extras == []


def test_each_cpts_of_the_table_keeps_its_own_row(report):
    """The ARS table gives each of its eight CPTS its own population and members through the column headers."""
    misses = [m for m in report.field_misses if m.startswith("u5_ars_grand_est")]
    assert not [m for m in misses if "population" in m or "members" in m], misses
