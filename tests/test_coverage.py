"""Coverage: one row per (commune, CPTS), overlaps flagged, and the per-département summary."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.catalog import REFERENCE_DIR
from pipeline.cli import main
from pipeline.coverage import CommuneReference, RefCommune, build_coverage, load_commune_reference, summarise
from pipeline.registry import build_registry
from pipeline.registry.summary import CoverageError, coverage_summary
from schemas.tables import DERIVED_TABLES
from tests.test_registry import make_tables, territory


def _ref(code: str, dep: str, population: int, kind: str = "commune-actuelle", parent: str | None = None) -> RefCommune:
    return RefCommune(name=f"Commune {code}", departement=dep, region="44", population=population, kind=kind, parent=parent)


REFERENCE = CommuneReference(2026, {
    "88001": _ref("88001", "88", 1000),
    "88002": _ref("88002", "88", 2000),
    "88003": _ref("88003", "88", 3000),
    "88004": _ref("88004", "88", 4000),
    "88005": _ref("88005", "88", 10000),
    "54001": _ref("54001", "54", 500),
})


def _tables():
    return make_tables(
        [{"doc_id": "a", "published_on": date(2022, 1, 1)}, {"doc_id": "b"}, {"doc_id": "c"}],
        [{"doc_id": "a", "cpts_key": "haute-moselotte", "departement_codes": ["88"]},
         {"doc_id": "b", "cpts_key": "haute-moselotte", "departement_codes": ["88"]},
         {"doc_id": "c", "cpts_key": "ballons-des-vosges", "departement_codes": ["88"]}],
        territory("a", "haute-moselotte", ["88001", "88002"])
        + [{"doc_id": "b", "cpts_key": "haute-moselotte", "insee_code": "88002", "method": "epci"}]
        + [{"doc_id": "b", "cpts_key": "haute-moselotte", "insee_code": "88003", "method": "fuzzy"}]
        + territory("c", "ballons-des-vosges", ["88003"])
        + [{"doc_id": "c", "cpts_key": "ballons-des-vosges", "insee_code": "88004", "role": "mentioned"}]
        + [{"doc_id": "c", "cpts_key": "ballons-des-vosges", "insee_code": None, "method": "unresolved"}],
    )


@pytest.fixture
def coverage() -> pa.Table:
    tables = _tables()
    return build_coverage(build_registry(tables, REFERENCE.population(), 2026), tables["communes"], REFERENCE)


def test_one_row_per_commune_and_cpts(coverage):
    assert coverage.schema == DERIVED_TABLES["coverage"]
    got = {(r["insee_code"], r["cpts_key"]): r for r in coverage.to_pylist()}
    assert sorted(got) == [("88001", "haute-moselotte"), ("88002", "haute-moselotte"),
                           ("88003", "ballons-des-vosges"), ("88003", "haute-moselotte")]
    assert got[("88002", "haute-moselotte")]["doc_ids"] == ["a", "b"]
    assert got[("88002", "haute-moselotte")]["method"] == "exact"  # the most direct of exact and epci
    assert got[("88001", "haute-moselotte")]["population"] == 1000
    assert got[("88001", "haute-moselotte")]["departement_code"] == "88"


def test_a_commune_of_two_cpts_is_an_overlap(coverage):
    flags = {(r["insee_code"], r["cpts_key"]): (r["n_cpts"], r["overlap"]) for r in coverage.to_pylist()}
    assert flags[("88003", "ballons-des-vosges")] == (2, True)
    assert flags[("88003", "haute-moselotte")] == (2, True)
    assert flags[("88001", "haute-moselotte")] == (1, False)


@pytest.mark.parametrize("slice_rows", [1, 2, 3])
def test_slices_cut_between_communes_give_the_rows_of_one_join(coverage, monkeypatch, slice_rows):
    """Pairs are joined a few at a time; a commune claimed by two CPTS is never cut, so it still counts both."""
    import pipeline.coverage

    monkeypatch.setattr(pipeline.coverage, "SLICE_ROWS", slice_rows)
    tables = _tables()
    sliced = build_coverage(build_registry(tables, REFERENCE.population(), 2026), tables["communes"], REFERENCE)
    assert sliced.equals(coverage)


def test_summary_per_departement(coverage):
    (row,) = summarise(coverage, REFERENCE, ["88"])
    assert (row["communes"], row["communes_population"]) == (5, 20000)
    assert (row["covered"], row["covered_population"]) == (3, 6000)
    assert (row["covered_twice"], row["covered_twice_population"]) == (1, 3000)
    assert (row["not_covered"], row["not_covered_population"]) == (2, 14000)


def test_summary_defaults_to_the_departements_covered(coverage):
    assert [r["departement_code"] for r in summarise(coverage, REFERENCE)] == ["88"]


def test_an_arrondissement_covers_its_commune():
    reference = CommuneReference(2026, {
        "69123": _ref("69123", "69", 500000),
        "69381": _ref("69381", "69", 30000, kind="arrondissement-municipal", parent="69123"),
    })
    rows = [{"insee_code": code, "cpts_key": key, "method": "exact", "doc_ids": ["d"], "n_cpts": 1, "overlap": False}
            for code, key in (("69381", "lyon-presqu-ile"), ("69382", "lyon-confluence"))]
    reference.communes["69382"] = _ref("69382", "69", 28000, kind="arrondissement-municipal", parent="69123")
    (row,) = summarise(pa.Table.from_pylist(rows, schema=DERIVED_TABLES["coverage"]), reference, ["69"])
    assert (row["communes"], row["covered"], row["covered_twice"]) == (1, 1, 1)


def test_registry_population_reference_sums_the_union(coverage):
    tables = _tables()
    registry = {r["cpts_key"]: r for r in build_registry(tables, REFERENCE.population(), 2026).to_pylist()}
    assert registry["haute-moselotte"]["population_reference"] == 6000
    assert registry["haute-moselotte"]["reference_year"] == 2026


def _write(out, tables):
    out.mkdir(exist_ok=True)
    for name, table in tables.items():
        nullable = pa.schema([f.with_nullable(True) for f in table.schema])  # the test tables leave columns empty
        pq.write_table(table.cast(nullable), out / f"{name}.parquet")


def test_cli_coverage(tmp_path, capsys):
    _write(tmp_path / "out", _tables())
    assert main(["coverage", "--departement", "88", "--out", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    communes = [c for c in load_commune_reference(REFERENCE_DIR).communes.values()
                if c.departement == "88" and c.kind == "commune-actuelle"]
    header, line = text.splitlines()[:2]
    assert header.split()[:4] == ["dept", "communes", "population", "covered"]
    assert line.split()[:2] == ["88", str(len(communes))]
    assert "2026 millésime" in text


def test_cli_coverage_errors(tmp_path):
    assert main(["coverage", "--out", str(tmp_path)]) == 1
    _write(tmp_path / "out", _tables())
    with pytest.raises(CoverageError, match="unknown département"):
        coverage_summary(tmp_path / "out", ["977x"], REFERENCE_DIR)


def test_no_population_reference_when_a_commune_is_missing_from_the_reference():
    tables = make_tables([{"doc_id": "a"}], [{"doc_id": "a", "cpts_key": "haute-moselotte", "departement_codes": ["88"]}],
                         territory("a", "haute-moselotte", ["88001", "88999"]))
    (row,) = build_registry(tables, REFERENCE.population(), 2026).to_pylist()
    assert (row["communes_resolved"], row["population_reference"], row["reference_year"]) == (2, None, None)
