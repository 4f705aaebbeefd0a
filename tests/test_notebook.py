"""The exploration notebook and the review page, run on a real extraction of the shipped communiqués."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load
from pipeline.catalog import GOLD_DIR, RAW_DIR, ROOT
from pipeline.export import export_tables
from pipeline.report import FACT_KINDS, fact_spans, load_tables, render_report
from pipeline.run import run_extract
from schemas.grain import GRAINS

NOTEBOOK = ROOT / "notebooks" / "explore.py"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A fresh extraction of raw/ into a temporary folder."""
    out = tmp_path_factory.mktemp("extracted")
    run_extract(RAW_DIR, out)
    return out


@pytest.fixture(scope="module")
def notebook(extracted) -> dict:
    """The notebook's variables after running it top to bottom on the extraction."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CPTS_OUT", str(extracted))
        return runpy.run_path(str(NOTEBOOK), run_name="__main__")


def test_notebook_joins_every_cpts_to_its_reference_population(notebook, extracted):
    cpts = pd.read_parquet(extracted / "cpts.parquet").sort_values(["cpts_name", "doc_id"], ignore_index=True)
    joined = notebook["by_cpts_duckdb"]
    assert list(joined["cpts_key"]) == list(cpts["cpts_key"])
    assert list(joined["communes"]) == list(cpts["communes_resolved"])
    assert joined["reference_population_at_cog_year"].fillna(-1).tolist() == cpts["population_reference"].fillna(-1).tolist()


def test_notebook_draws_its_chart(notebook, extracted):
    svg = (extracted / "explore_population.svg").read_text("utf-8")
    joined = notebook["by_cpts_duckdb"]
    columns = ["population_declared", "reference_population", "reference_population_at_cog_year"]
    bars = int(joined[columns].notna().sum().sum())
    assert svg.startswith("<svg") and svg.count('class="bar"') == bars > 0


def test_report_highlights_every_fact_of_the_shipped_texts(extracted):
    tables = load_tables(extracted)
    for doc in tables["documents"]:
        rows = {k.table: [r for r in tables[k.table] if r["doc_id"] == doc["doc_id"]] for k in FACT_KINDS}
        spans, problems = fact_spans(rows, doc["text"])
        assert problems == [], doc["source_path"]
        assert len(spans) == sum(r["char_start"] is not None for table in rows.values() for r in table)
    page = render_report(tables)
    for gold in GOLD_DIR.glob("*.json"):
        for cpts in json.loads(gold.read_text("utf-8"))["cpts"]:
            assert f"{cpts['cpts_key']} · " in page, cpts["cpts_key"]


def test_every_table_is_unique_on_its_documented_key(extracted):
    frames = load.tables(extracted)
    for name, grain in GRAINS.items():
        frame = frames[name]
        assert not frame.duplicated(list(grain.key)).any(), f"{name} is not unique on {grain.key}"


def test_territory_populations_add_up_to_the_cpts_reference(extracted):
    frames = load.tables(extracted, ["cpts", "territory"])
    sums = frames["territory"].groupby(["doc_id", "cpts_key"])["population"].sum()
    reference = frames["cpts"].set_index(["doc_id", "cpts_key"])["population_reference"].dropna()
    assert len(reference) and (sums.reindex(reference.index) == reference).all()


def test_export_of_a_real_extraction(extracted, tmp_path):
    [workbook] = export_tables(extracted, "xlsx", tmp_path)
    assert workbook.stat().st_size > 0
    assert len(export_tables(extracted, "csv", tmp_path)) == len(GRAINS)
