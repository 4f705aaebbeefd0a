"""Regression guard on the u1 communiqués written to test generalisation (tests/unseen/raw/u1_*.txt).

Six releases from regions and writers the shipped texts do not cover: a CPAM
page with a dateline (Bretagne), an ARS page with a "Chiffres clés" box and
bullet lists (Occitanie), a local newspaper article (Hauts-de-France), a
CPTS's own site with no year anywhere (Grand Est), a prefecture newsletter
about three CPTS with tables flattened to "Label | value" lines
(Île-de-France) and a joint ARS/CGSS release (La Réunion). They exercise the
rules of amounts, dates, CPTS names and the president.

This runs the parse stage and the normalisation's row building (with an
empty territory: the commune resolution is scored elsewhere) and scores the
rows with ``pipeline.evaluate.score``, the evaluator of ``make eval``.
"""

from __future__ import annotations

import pytest
from unseen_scoring import UNSEEN, assert_accuracy_at_least, assert_f1_at_least, unseen_golds, unseen_report

GOLDS = sorted((UNSEEN / "gold").glob("u1_*.json"))

F1_REACHED = {"cpts": 1.0, "fundings": 1.0, "dates": 1.0}
"""Per-table F1 over the u1 set when these tests were written; a rule change that lowers it fails."""

FIELDS_REACHED = {"president": 1.0, "signature_date": 1.0}
"""Accuracy of the cpts fields these rules decide, over the same set."""


@pytest.fixture(scope="module")
def report():
    return unseen_report(unseen_golds("u1_"))


def test_there_are_six_u1_documents():
    assert len(GOLDS) == 6


@pytest.mark.parametrize("table", sorted(F1_REACHED))
def test_f1_does_not_regress(report, table):
    assert_f1_at_least(report, table, F1_REACHED[table])


@pytest.mark.parametrize("field", sorted(FIELDS_REACHED))
def test_cpts_fields_do_not_regress(report, field):
    assert_accuracy_at_least(report, field, FIELDS_REACHED[field])
