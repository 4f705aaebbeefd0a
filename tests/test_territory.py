"""The derived columns an analyst sums: the ``territory`` table, place names, ``fundings.kind`` and ``annual_eur``."""

from __future__ import annotations

import pytest

from pipeline.normalise.funding_kind import funding_measure
from pipeline.normalise.territory import PlaceNames, place_names, territory_rows
from pipeline.records import Amount, CommuneRow

NAMES = PlaceNames(departements={"38": "Isère"}, regions={"84": "Auvergne-Rhône-Alpes"}, region_of={"38": "84"})


def _row(mention: str, code: str | None, method: str = "exact", *, role: str = "territory", cog: str | None = None,
         population: int | None = 1000, siren: str | None = None) -> CommuneRow:
    return CommuneRow(
        role=role, mention=mention, insee_code=code, commune_name=mention if code else None,
        departement_code="38" if code else None, population=population if code else None, method=method,
        score=1.0, epci_siren=siren, cog_year=2024, char_start=None, char_end=None, cog_code=cog or code,
    )  # fmt: skip


def test_one_row_per_territory_code_with_names():
    rows = territory_rows(
        [
            _row("Voiron", "38563"),
            _row("Voiron", "38563", "epci", siren="200040715"),
            _row("Grenoble", "38185", role="mentioned"),
            _row("Saint-Machin", None, "unresolved"),
        ],
        NAMES,
    )
    assert [r["insee_code"] for r in rows] == ["38563"]
    row = rows[0]
    assert row["methods"] == ["exact", "epci"] and row["mentions"] == 2 and row["epci_siren"] == "200040715"
    assert (row["departement_name"], row["region_code"], row["region_name"]) == ("Isère", "84", "Auvergne-Rhône-Alpes")
    assert row["population"] == 1000


def test_communes_merged_since_the_millesime_both_count():
    rows = territory_rows([_row("Ancienne-A", "38001", cog="38901", population=300),
                           _row("Ancienne-B", "38001", cog="38902", population=200)], NAMES)  # fmt: skip
    assert len(rows) == 1 and rows[0]["population"] == 500


def test_place_names_from_the_reference():
    names = place_names(2024)
    assert names.departement("2A") == "Corse-du-Sud" and names.region("84") == "Auvergne-Rhône-Alpes"
    assert names.region(names.region_of["971"]) == "Guadeloupe" and names.region(None) is None
    assert place_names(1900).departements == place_names(None).departements, "unknown year: the newest millésime"


def _amount(purpose: str, *, period: int | None = None, maximum: bool = False, value: int = 300_000) -> Amount:
    return Amount(text="x", char_start=0, char_end=1, value=value, funder="assurance_maladie", purpose=purpose,
                  period_years=period, is_maximum=maximum)  # fmt: skip


KINDS = [
    ("signature-advance", _amount("signature_payment"), "paid_once", None),
    ("health-project-grant", _amount("health_project", value=15_000), "paid_once", None),
    ("first-year", _amount("first_year"), "annual", 300_000),
    ("annual-ceiling", _amount("annual", maximum=True), "annual_ceiling", 300_000),
    ("five-year-ceiling", _amount("multi_year", period=5, maximum=True), "total_ceiling_over_period", 60_000),
    ("three-year-total", _amount("multi_year", period=3, value=100_000), "total_over_period", 33_333),
    ("multi-year-no-period", _amount("multi_year"), "total_over_period", None),
    ("missions-per-year-by-period", _amount("mission_funding", period=1), "annual", 300_000),
    ("missions-no-period", _amount("mission_funding", maximum=True), "period_unknown", None),
    ("other", _amount("other"), "period_unknown", None),
]


@pytest.mark.parametrize("amount,kind,annual", [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_funding_kind_and_annual_amount(amount, kind, annual):
    assert funding_measure(amount) == {"kind": kind, "annual_eur": annual}
