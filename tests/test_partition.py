"""The hive-partitioned dataset: layout, and the same rows read back by pandas and DuckDB."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from pipeline.partition import PartitionError, hive_partitioning, partition_output, write_partitioned
from pipeline.write import to_table, write_tables
from schemas import TABLES

NOW = datetime(2024, 5, 2, tzinfo=UTC)


def _document(doc_id: str, published: date | None, status: str = "ok") -> dict:
    return {
        "doc_id": doc_id, "source_path": f"{doc_id}.txt", "source_format": "txt", "title": None,
        "published_on": published, "status": status, "error": None, "n_chars": 10, "pipeline_version": "t",
        "extracted_at": NOW, "duplicate_paths": [], "text": "x" * 10, "encoding": "utf-8", "warnings": [],
    }  # fmt: skip


def _cpts(doc_id: str, key: str, region: str | None, signed: date | None) -> dict:
    return {
        "doc_id": doc_id, "cpts_key": key, "cpts_name": f"CPTS {key}", "departement_codes": [], "region_code": region,
        "signature_date": signed, "population_declared": None, "population_qualifier": None, "communes_declared": None,
        "communes_resolved": 0, "population_reference": None, "members_declared": None, "president": None, "cog_year": None,
        "name_source": "explicit", "region_name": None, "departement_names": [],
    }  # fmt: skip


def _funding(doc_id: str, key: str, amount: int) -> dict:
    return {
        "doc_id": doc_id, "cpts_key": key, "amount_eur": amount, "funder": "ars", "purpose": "health_project",
        "period_years": None, "is_maximum": False, "conditional": False, "char_start": 0, "char_end": 3, "text": "abc",
        "rule": "amount_digits", "kind": "paid_once", "annual_eur": None,
    }  # fmt: skip


@pytest.fixture
def tables():
    """Four documents: signed in 2022 in région 84; two CPTS of one text in two régions (one in
    Guadeloupe, code "01"), dated by publication only; a not_cpts text without any date."""
    rows = {name: [] for name in TABLES}
    rows["documents"] = [
        _document("a1", date(2022, 3, 1)),
        _document("b2", date(2019, 11, 5)),
        _document("c3", None, status="not_cpts"),
        _document("d4", None),
    ]
    rows["cpts"] = [
        _cpts("a1", "val-de-tille", "84", date(2022, 2, 14)),
        _cpts("b2", "basse-terre-nord", "01", None),
        _cpts("b2", "pays-de-mauriac", "84", date(2020, 1, 9)),
        _cpts("d4", "sud-morvan", None, None),
    ]
    rows["fundings"] = [
        _funding("a1", "val-de-tille", 60_500),
        _funding("b2", "basse-terre-nord", 12_000),
        _funding("b2", "pays-de-mauriac", 270_000),
        _funding("d4", "sud-morvan", 9_000),
    ]
    return {name: to_table(name, table_rows) for name, table_rows in rows.items()}


def _duckdb(path, where: str = "true", *, region: bool = True) -> pd.DataFrame:
    glob = f"{path.as_posix()}/**/*.parquet"
    types = ", hive_types = {'region': 'VARCHAR'}" if region else ""
    return duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning = true{types}) where {where}").df()


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        pytest.param(["year"], {"year=2022", "year=2019", "year=2020", "year=__HIVE_DEFAULT_PARTITION__"}, id="year"),
        pytest.param(
            ["region"], {"region=84", "region=01", "region=__HIVE_DEFAULT_PARTITION__"}, id="region-keeps-leading-zero"
        ),
    ],
)
def test_one_folder_per_value_and_unknowns_in_the_default_partition(tables, tmp_path, by, expected):
    write_partitioned(tables, tmp_path / "ds", by)
    assert {p.name for p in (tmp_path / "ds" / "fundings").iterdir()} == expected


def test_layout_nests_year_then_region(tables, tmp_path):
    write_partitioned(tables, tmp_path / "ds", ["year", "region"])
    assert (tmp_path / "ds" / "fundings" / "year=2022" / "region=84" / "part-0.parquet").is_file()
    assert (tmp_path / "ds" / "fundings" / "year=2019" / "region=01" / "part-0.parquet").is_file()


def test_facts_follow_their_own_cpts_when_a_text_has_two(tables, tmp_path):
    """Two CPTS of one communiqué in two régions: each funding sits under its own CPTS's région and year."""
    write_partitioned(tables, tmp_path / "ds", ["year", "region"])
    rows = _duckdb(tmp_path / "ds" / "fundings").set_index("cpts_key")
    assert rows.loc["basse-terre-nord", ["year", "region"]].tolist() == [2019, "01"]
    assert rows.loc["pays-de-mauriac", ["year", "region"]].tolist() == [2020, "84"]
    assert pd.isna(rows.loc["sud-morvan", "year"]) and pd.isna(rows.loc["sud-morvan", "region"])


def test_documents_take_their_first_cpts_or_their_publication_year(tables, tmp_path):
    write_partitioned(tables, tmp_path / "ds", ["year", "region"])
    docs = _duckdb(tmp_path / "ds" / "documents").set_index("doc_id")
    assert docs.loc["a1", ["year", "region"]].tolist() == [2022, "84"]
    assert docs.loc["b2", ["year", "region"]].tolist() == [2019, "01"]
    assert pd.isna(docs.loc["c3", "year"]) and pd.isna(docs.loc["c3", "region"])


def test_duckdb_reads_every_row_and_prunes_by_folder(tables, tmp_path):
    write_partitioned(tables, tmp_path / "ds", ["year", "region"])
    assert len(_duckdb(tmp_path / "ds" / "fundings")) == 4
    assert _duckdb(tmp_path / "ds" / "fundings", "year = 2022 and region = '84'")["amount_eur"].tolist() == [60_500]
    assert _duckdb(tmp_path / "ds" / "fundings", "year is null")["cpts_key"].tolist() == ["sud-morvan"]


def test_pandas_reads_the_same_rows_and_types(tables, tmp_path):
    by = ["year", "region"]
    write_partitioned(tables, tmp_path / "ds", by)
    back = pd.read_parquet(tmp_path / "ds" / "fundings", partitioning=hive_partitioning(by))
    original = tables["fundings"].to_pandas()
    columns = list(original.columns)
    assert back.sort_values("amount_eur")[columns].reset_index(drop=True).equals(
        original.sort_values("amount_eur").reset_index(drop=True)
    )
    assert sorted(back["region"].dropna()) == ["01", "84", "84"]


def test_pandas_with_pyarrow_s_generic_hive_discovery_reads_the_year(tables, tmp_path):
    """No schema needed for ``year``; only pandas' default (dictionary-inferring) discovery trips on null folders."""
    write_partitioned(tables, tmp_path / "ds", ["year"])
    back = pd.read_parquet(tmp_path / "ds" / "fundings", partitioning=ds.partitioning(flavor="hive"))
    assert sorted(back["year"].dropna().astype(int)) == [2019, 2020, 2022]


def test_an_empty_table_is_one_empty_file_with_its_schema(tables, tmp_path):
    write_partitioned(tables, tmp_path / "ds", ["year", "region"])
    missions = _duckdb(tmp_path / "ds" / "missions")
    assert missions.empty
    assert {"doc_id", "cpts_key", "mission", "label"} <= set(missions.columns)


def test_a_new_dataset_replaces_the_old_one_whole(tables, tmp_path):
    write_partitioned(tables, tmp_path / "ds", ["year"])
    fewer = {name: table.slice(0, 1) for name, table in tables.items()}
    write_partitioned(fewer, tmp_path / "ds", ["year"])
    assert len(_duckdb(tmp_path / "ds" / "fundings", region=False)) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary folders left behind"


@pytest.mark.parametrize("by", [["month"], [], ["year", "year"]], ids=["unknown-key", "no-key", "repeated-key"])
def test_bad_keys_are_refused(tables, tmp_path, by):
    with pytest.raises(PartitionError):
        write_partitioned(tables, tmp_path / "ds", by)


def test_partition_output_reads_the_flat_tables_of_an_output_folder(tables, tmp_path):
    write_tables(tables, {name: tmp_path / f"{name}.parquet" for name in tables})
    dataset = partition_output(tmp_path, ["region"])
    assert dataset == tmp_path / "partitioned"
    assert len(_duckdb(dataset / "cpts")) == 4


def test_partition_output_without_tables_says_so(tmp_path):
    with pytest.raises(PartitionError, match="extract first"):
        partition_output(tmp_path, ["year"])
