"""The scorer is trusted because it scores a tiny hand-made case exactly as computed by hand."""

import datetime as dt

import pandas as pd
import pytest

from pipeline.evaluate import score


def _tables(**overrides):
    empty = {
        "documents": pd.DataFrame({"doc_id": ["d1"], "source_path": ["sub/a.txt"]}),
        "cpts": pd.DataFrame(
            {
                "doc_id": ["d1"],
                "cpts_key": ["val-de-saone"],
                "departement_codes": [["01", "69"]],
                "region_code": ["84"],
                "signature_date": [dt.date(2022, 3, 1)],
                "population_declared": [12000],
                "population_qualifier": ["exact"],
                "communes_declared": [10],
                "members_declared": [None],
                "president": ["Anne Roux"],
            }
        ),
        "communes": pd.DataFrame(
            {
                "doc_id": ["d1", "d1", "d1"],
                "role": ["territory", "territory", "mentioned"],
                "insee_code": ["01001", "01002", "69123"],
                "method": ["exact", "epci", "exact"],
                "epci_siren": [None, "200000001", None],
            }
        ),
        "fundings": pd.DataFrame(
            {
                "doc_id": ["d1", "d1"],
                "amount_eur": [50000, 9999],
                "funder": ["assurance_maladie", "ars"],
                "purpose": ["signature_payment", "other"],
                "period_years": [None, None],
                "is_maximum": [False, False],
                "conditional": [False, False],
            }
        ),
        "dates": pd.DataFrame({"doc_id": ["d1"], "date": [dt.date(2022, 3, 1)], "role": ["signature"]}),
        "headcounts": pd.DataFrame({"doc_id": ["d1"], "category": ["members"], "count": [40], "qualifier": ["approx"]}),
        "missions": pd.DataFrame({"doc_id": ["d1"], "mission": ["prevention"], "status": [None]}),
    }
    empty.update(overrides)
    return empty


GOLD = {
    "doc": "a.txt",
    "cpts": [
        {
            "cpts_key": "val-de-saone",
            "departement_codes": ["69", "01"],
            "region_code": "84",
            "signature_date": "2022-03-01",
            "population_declared": 12000,
            "communes_declared": 12,
            "members_declared": None,
            "president": "Anne Roux",
        }
    ],
    "territory_communes": ["01001", "01003"],
    "territory_epcis": ["200000001"],
    "fundings": [
        {"amount_eur": 50000, "funder": "assurance_maladie", "purpose": "signature_payment"},
        {"amount_eur": 9999, "funder": "ars", "purpose": "other", "optional": True},
        {"amount_eur": 70000, "funder": "ars", "purpose": "health_project"},
    ],
    "dates": [{"date": "2022-03-01", "role": "signature"}],
    "headcounts": [{"category": "members", "count": 40, "qualifier": "approx"}],
    "missions": [{"mission": "prevention"}, {"mission": "parcours", "status": "socle"}],
}


def test_hand_computed_scores():
    report = score(_tables(), [GOLD])
    t = report.tables
    assert (t["cpts"].tp, t["cpts"].fp, t["cpts"].fn) == (1, 0, 0)
    assert (t["territory_communes"].tp, t["territory_communes"].fp, t["territory_communes"].fn) == (1, 0, 1)
    assert (t["territory_epcis"].tp, t["territory_epcis"].fp, t["territory_epcis"].fn) == (1, 0, 0)
    # the optional 9 999 € neither counts for nor against
    assert (t["fundings"].tp, t["fundings"].fp, t["fundings"].fn) == (1, 0, 1)
    assert t["fundings"].precision == 1.0 and t["fundings"].recall == 0.5
    assert t["fundings"].f1 == pytest.approx(2 / 3)
    assert (t["missions"].tp, t["missions"].fn) == (1, 1)
    assert t["dates"].f1 == 1.0 and t["headcounts"].f1 == 1.0
    assert report.fields["communes_declared"] == (0, 1)
    assert report.fields["departement_codes"] == (1, 1)
    assert report.fields["signature_date"] == (1, 1)
    assert report.fields["members_declared"] == (1, 1)


def test_extras_and_misses_are_listed():
    tables = _tables(headcounts=pd.DataFrame({"doc_id": ["d1"], "category": ["members"], "count": [41], "qualifier": ["approx"]}))
    report = score(tables, [GOLD])
    text = report.render(verbose=True)
    assert "MISS  headcounts: a.txt ('members', 40, 'approx')" in text
    assert "EXTRA headcounts: a.txt ('members', 41, 'approx')" in text
    assert "WRONG cpts: a.txt communes_declared: got 10, gold 12" in text
    assert report.tables["headcounts"].f1 == 0.0
