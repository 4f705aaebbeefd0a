"""``pipeline.load.tables``: typed frames, so dates have ``.dt`` and nullable integers stay integers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import load
from pipeline.write import to_table
from schemas import TABLES

KEYED = {"doc_id": "a1b2c3d4e5f60718", "cpts_key": "val-d-orge"}
CPTS = [
    {**KEYED, "cpts_name": "CPTS Val d'Orge", "departement_codes": ["91"], "region_code": "11",
     "signature_date": dt.date(2023, 6, 14), "population_declared": 52000, "population_qualifier": "approx",
     "communes_declared": 3, "communes_resolved": 2, "population_reference": 20000, "members_declared": 85,
     "president": "Léa Martin", "cog_year": 2023, "name_source": "explicit", "region_name": "Île-de-France",
     "departement_names": ["Essonne"]},
    {**KEYED, "cpts_key": "sud-essonne", "cpts_name": "CPTS Sud Essonne", "departement_codes": [],
     "region_code": None, "signature_date": None, "population_declared": None, "population_qualifier": None,
     "communes_declared": None, "communes_resolved": 0, "population_reference": None, "members_declared": None,
     "president": None, "cog_year": None, "name_source": "explicit", "region_name": None, "departement_names": []},
]  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    for name in TABLES:
        pq.write_table(to_table(name, CPTS if name == "cpts" else []), folder / f"{name}.parquet")
    return folder


def test_dates_support_dt_and_compare_with_strings(out):
    cpts = load.tables(out)["cpts"]
    assert cpts["signature_date"].dt.year.tolist()[0] == 2023
    assert pd.isna(cpts["signature_date"].iloc[1])
    assert (cpts["signature_date"] >= "2023-01-01").tolist() == [True, False]


def test_nullable_integers_stay_integers(out):
    cpts = load.tables(out)["cpts"]
    for column in ("members_declared", "population_declared", "communes_declared", "cog_year"):
        assert pd.api.types.is_integer_dtype(cpts[column]), column
    assert cpts["members_declared"].tolist()[0] == 85 and pd.isna(cpts["members_declared"].iloc[1])
    assert cpts["members_declared"].sum() == 85


def test_lists_and_strings_keep_their_types(out):
    cpts = load.tables(out, ["cpts"])["cpts"]
    assert list(cpts["departement_names"].iloc[0]) == ["Essonne"]
    assert pd.api.types.is_string_dtype(cpts["cpts_key"])


def test_every_table_loads_even_empty(out):
    frames = load.tables(out)
    assert list(frames) == list(TABLES)
    assert frames["documents"]["extracted_at"].dt.tz is not None


def test_missing_table_is_a_clear_error(tmp_path):
    with pytest.raises(load.MissingTableError, match="run `make extract` first"):
        load.tables(tmp_path, ["cpts"])
