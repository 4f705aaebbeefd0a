"""``python -m pipeline export``: every table as CSV, JSON Lines or one Excel workbook, read back."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pyarrow.parquet as pq
import pytest

from pipeline import export
from pipeline.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main
from pipeline.write import to_table
from schemas import TABLES

KEYED = {"doc_id": "a1b2c3d4e5f60718", "cpts_key": "val-d-orge"}
LONG_TEXT = "Lorem ipsum. " * 3000
DOCUMENT = {
    "doc_id": KEYED["doc_id"], "source_path": "a.txt", "source_format": "txt", "title": "=HYPERLINK(\"http://x\")",
    "published_on": dt.date(2023, 6, 14), "status": "ok", "error": None, "n_chars": len(LONG_TEXT),
    "pipeline_version": "0.1.0+test", "extracted_at": dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
    "duplicate_paths": ["b.txt"], "text": LONG_TEXT, "encoding": "utf-8", "warnings": ["2 octets\x01 remplacés"],
}  # fmt: skip
CPTS = {
    **KEYED, "cpts_name": "CPTS Val d'Orge", "departement_codes": ["91", "2A"], "region_code": "11",
    "signature_date": dt.date(2023, 6, 14), "population_declared": 52000, "population_qualifier": "approx",
    "communes_declared": None, "communes_resolved": 2, "population_reference": 20000, "members_declared": 85,
    "president": "Léa Martin", "cog_year": 2023, "name_source": "explicit", "region_name": "Île-de-France",
    "departement_names": ["Essonne", "Corse-du-Sud"],
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    rows = {"documents": [DOCUMENT], "cpts": [CPTS, {**CPTS, "cpts_key": "autre", "members_declared": None}]}
    for name in TABLES:
        columns = set(TABLES[name].names)
        table = [{k: v for k, v in r.items() if k in columns} for r in rows.get(name, [])]
        pq.write_table(to_table(name, table), folder / f"{name}.parquet")
    return folder


def test_csv_one_file_per_table(out, tmp_path):
    written = export.export_tables(out, "csv", tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{n}.csv" for n in TABLES)
    with open(tmp_path / "cpts.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["departement_codes"] == '["91", "2A"]' and rows[0]["signature_date"] == "2023-06-14"
    assert rows[0]["communes_declared"] == "" and rows[1]["members_declared"] == "" and rows[0]["members_declared"] == "85"
    with open(tmp_path / "documents.csv", encoding="utf-8-sig", newline="") as handle:
        doc = next(csv.DictReader(handle))
    assert doc["text"] == LONG_TEXT and doc["extracted_at"] == "2024-01-01 12:00:00"
    assert (tmp_path / "territory.csv").read_text("utf-8-sig").startswith("doc_id,cpts_key,insee_code")


def test_jsonl_keeps_nulls_and_lists(out, tmp_path):
    export.export_tables(out, "jsonl", tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "cpts.jsonl").read_text("utf-8").splitlines()]
    assert rows[0]["departement_names"] == ["Essonne", "Corse-du-Sud"] and rows[0]["communes_declared"] is None
    assert rows[0]["signature_date"] == "2023-06-14"
    assert (tmp_path / "checks.jsonl").read_text("utf-8") == ""


def test_xlsx_one_sheet_per_table_within_excel_limits(out, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 2)
    [path] = export.export_tables(out, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path)
    sheets = ["lisez-moi", *TABLES]
    sheets.insert(sheets.index("cpts") + 1, "cpts (2)")
    assert book.sheetnames == sheets, "two CPTS rows over a 2-row limit (header included): one per sheet"
    assert [c.value for c in book["cpts"][1]][:3] == ["doc_id", "cpts_key", "cpts_name"]
    row = [c.value for c in book["cpts"][2]]
    assert row[3] == '["91", "2A"]' and row[5] == dt.datetime(2023, 6, 14) and row[6] == 52000
    assert book["cpts (2)"]["B2"].value == "autre"
    doc = book["documents"]
    text = doc.cell(2, TABLES["documents"].names.index("text") + 1).value
    assert len(text) <= export.EXCEL_MAX_CHARS and "coupé" in text
    title = doc.cell(2, TABLES["documents"].names.index("title") + 1)
    assert title.data_type == "s" and title.value.startswith("="), "a text is never written as a formula"
    notes = {r[0].value: r[2].value for r in book["lisez-moi"].iter_rows(min_row=2)}
    assert "coupés" in notes["documents"] and "suite" in notes["cpts"] and notes["checks"] == "complète"


def test_no_tables_is_a_clear_error(tmp_path):
    with pytest.raises(export.ExportError, match="run `make extract` first"):
        export.export_tables(tmp_path, "csv")
    with pytest.raises(export.ExportError, match="unknown format"):
        export.export_tables(tmp_path, "parquet")


def test_cli_export(out, tmp_path, capsys):
    assert main(["export", "--format", "jsonl", "--out", str(out), "--to", str(tmp_path), "-v"]) == EXIT_OK
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.jsonl" for n in TABLES)
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "nothing")]) == EXIT_FAILURE
    with pytest.raises(SystemExit) as usage:
        main(["export", "--format", "pdf", "--out", str(out)])
    assert usage.value.code == EXIT_USAGE
