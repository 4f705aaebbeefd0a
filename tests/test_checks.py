"""The cross-checks an analyst sees in the ``checks`` table, one per kind of disagreement."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.normalise.checks import cpts_checks
from pipeline.records import Amount, DateFact, Headcount

ROW = {
    "communes_declared": None, "communes_resolved": 0, "members_declared": None,
    "signature_date": None, "population_declared": None,
}  # fmt: skip


def _ev(text: str = "x") -> dict:
    return {"text": text, "char_start": 0, "char_end": len(text)}


def _names(row: dict, *, dates=(), headcounts=(), amounts=()) -> list[str]:
    found = cpts_checks({**ROW, **row}, dates=list(dates), headcounts=list(headcounts), amounts=list(amounts))
    return [c.check for c in found]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param({"communes_declared": 38, "communes_resolved": 0}, ["communes_unresolved"], id="38-declared-none-resolved"),
        pytest.param({"communes_declared": 38, "communes_resolved": 36}, [], id="some-resolved-is-territory-checks-business"),
        pytest.param({"communes_declared": None, "communes_resolved": 0}, [], id="nothing-declared"),
    ],
)
def test_communes_declared_but_none_resolved(row, expected):
    assert _names(row) == expected


@pytest.mark.parametrize(
    ("members", "professionals", "expected"),
    [
        pytest.param(240, 180, ["members_above_professionals"], id="more-members-than-professionals"),
        pytest.param(120, 180, [], id="members-part-of-professionals"),
        pytest.param(120, None, [], id="no-professionals-count"),
    ],
)
def test_members_above_professionals(members, professionals, expected):
    counts = [Headcount(category="professionals_on_territory", count=professionals, **_ev())] if professionals else []
    assert _names({"members_declared": members}, headcounts=counts) == expected


@pytest.mark.parametrize(
    ("signed", "created", "precision", "expected"),
    [
        pytest.param(date(2021, 3, 4), date(2022, 5, 1), "month", ["signature_before_creation"], id="signed-a-year-before-creation"),
        pytest.param(date(2022, 5, 20), date(2022, 5, 1), "month", [], id="same-month-is-not-before"),
        pytest.param(date(2022, 1, 20), date(2022, 1, 1), "year", [], id="same-year-is-not-before"),
        pytest.param(date(2023, 1, 20), date(2021, 11, 8), "day", [], id="signed-after-creation"),
    ],
)
def test_signature_before_creation(signed, created, precision, expected):
    creation = DateFact(value=created, precision=precision, role="creation", **_ev("créée en 2022"))
    assert _names({"signature_date": signed}, dates=[creation]) == expected


@pytest.mark.parametrize(
    ("amount", "population", "purpose", "expected"),
    [
        pytest.param(90_000, 45_000, "annual", [], id="2-euros-per-inhabitant"),
        pytest.param(90_000_000, 45_000, "annual", ["funding_per_inhabitant"], id="misread-millions"),
        pytest.param(5_000, 450_000, "annual", ["funding_per_inhabitant"], id="population-of-the-departement"),
        pytest.param(5_000, 450_000, "health_project", [], id="a-one-off-grant-is-not-annual"),
    ],
)
def test_annual_funding_per_inhabitant(amount, population, purpose, expected):
    paid = Amount(value=amount, funder="assurance_maladie", purpose=purpose, **_ev())
    assert _names({"population_declared": population}, amounts=[paid]) == expected
