"""corrections.csv: read, applied and marked, reported when stale, undone when removed, re-applied over cached rows."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.corrections import (
    Correction,
    CorrectionsError,
    apply_corrections,
    corrections_fingerprint,
    read_corrections,
    revert_corrections,
)
from pipeline.registry import derived_tables
from schemas import TABLES
from schemas.tables import corrected_schema
from tests.test_registry import make_tables

HEADER = "doc_id,cpts_key,table,field,char_start,value,comment\n"


def _tables():
    return make_tables(
        [{"doc_id": "d1", "published_on": date(2022, 5, 2)}, {"doc_id": "d2", "published_on": date(2023, 5, 2)}],
        [{"doc_id": "d1", "cpts_key": "bocage-bressuirais", "population_declared": 7000, "departement_codes": ["79"]},
         {"doc_id": "d2", "cpts_key": "bocage-bressuirais", "population_declared": 72000, "departement_codes": ["79"]}],
        fundings=[
            {"doc_id": "d1", "cpts_key": "bocage-bressuirais", "amount_eur": 50000, "funder": "assurance_maladie",
             "purpose": "annual", "char_start": 120},
            {"doc_id": "d1", "cpts_key": "bocage-bressuirais", "amount_eur": 15000, "funder": "ars",
             "purpose": "health_project", "char_start": 300},
        ],
    )


def line(n=2, doc_id="d1", cpts_key="bocage-bressuirais", table="cpts", field="population_declared",
         char_start=None, value="70000", comment="the text says 70 000") -> Correction:
    return Correction(n, doc_id, cpts_key, table, field, char_start, value, comment)


def test_read_corrections(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(HEADER + "# a comment line\n\nd1,bocage-bressuirais,fundings,amount_eur,120,55 000,\"typo, see p. 2\"\n"
                    ",val-de-sevre,registry,status,,signed,\n", "utf-8")
    first, second = read_corrections(path)
    assert first == Correction(4, "d1", "bocage-bressuirais", "fundings", "amount_eur", 120, "55 000", "typo, see p. 2")
    assert (second.doc_id, second.table, second.char_start, second.comment) == (None, "registry", None, None)


def test_no_file_no_corrections(tmp_path):
    assert read_corrections(tmp_path / "corrections.csv") == []
    assert corrections_fingerprint(tmp_path / "corrections.csv") == "none"


def test_a_header_without_a_column_is_refused(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text("doc_id,table,field,value\n", "utf-8")
    with pytest.raises(CorrectionsError, match="cpts_key, char_start, comment"):
        read_corrections(path)


def test_applied_correction_is_marked_with_the_original():
    table, log = apply_corrections("cpts", _tables()["cpts"], [line()])
    assert table.schema == corrected_schema("cpts")
    rows = table.to_pylist()
    assert (rows[0]["population_declared"], rows[0]["corrected"]) == (70000, True)
    assert json.loads(rows[0]["original_values"]) == {"population_declared": 7000}
    assert (rows[1]["population_declared"], rows[1]["corrected"], rows[1]["original_values"]) == (72000, False, None)
    assert (log[0]["status"], log[0]["rows"]) == ("applied", 1)


def test_a_fact_is_told_apart_by_char_start():
    fundings = _tables()["fundings"]
    table, log = apply_corrections("fundings", fundings, [line(table="fundings", field="amount_eur", char_start=120, value="55 000")])
    assert table["amount_eur"].to_pylist() == [55000, 15000] and log[0]["status"] == "applied"
    _, log = apply_corrections("fundings", fundings, [line(table="fundings", field="amount_eur", value="55000")])
    assert log[0]["status"] == "ambiguous" and "char_start" in log[0]["message"]


@pytest.mark.parametrize("correction,status,message", [
    (line(doc_id="0123456789abcdef"), "unmatched", "document changed"),
    (line(table="fundings", field="amount_eur", char_start=999), "unmatched", "char_start=999"),
    (line(value="soixante-dix mille"), "invalid", "not a valid int64"),
    (line(table="fundings", field="funder", char_start=120, value="cpam"), "invalid", "not one of"),
    (line(field="cpts_key", value="autre"), "invalid", "cannot be corrected"),
    (line(field="no_such_column"), "invalid", "not a column"),
    (line(doc_id=None, cpts_key=None), "invalid", "needs a doc_id or a cpts_key"),
    (line(field="cpts_name", value=None), "invalid", "cannot be empty"),
], ids=["document-changed", "fact-moved", "not-a-number", "outside-closed-list", "key-column", "unknown-column",
        "no-key", "empty-non-nullable"])
def test_lines_not_applied_are_reported(correction, status, message):
    tables = _tables()
    _, log = apply_corrections(correction.table, tables[correction.table], [correction])
    assert log[0]["status"] == status and message in log[0]["message"]
    assert log[0]["rows"] == 0


def test_empty_value_means_null_where_allowed():
    table, _ = apply_corrections("cpts", _tables()["cpts"], [line(value=None)])
    assert table["population_declared"].to_pylist() == [None, 72000]


def test_a_cpts_key_line_corrects_every_document_of_that_cpts():
    table, log = apply_corrections("cpts", _tables()["cpts"], [line(doc_id=None, field="members_declared", value="88")])
    assert table["members_declared"].to_pylist() == [88, 88] and log[0]["rows"] == 2


def test_a_line_repeating_the_extracted_value_says_it_can_go():
    table, log = apply_corrections("cpts", _tables()["cpts"], [line(doc_id="d2", value="72000")])
    assert table["corrected"].to_pylist() == [False, False]
    assert log[0]["status"] == "applied" and "this line can go" in log[0]["message"]


def test_revert_restores_the_extraction():
    original = _tables()["cpts"]
    corrected, _ = apply_corrections("cpts", original, [line()])
    assert revert_corrections(corrected, TABLES["cpts"]).equals(original)


def test_reapplying_over_a_corrected_table_is_the_same():
    once, _ = apply_corrections("cpts", _tables()["cpts"], [line()])
    twice, _ = apply_corrections("cpts", once, [line()])
    assert twice.equals(once)


def test_a_removed_line_is_undone_on_the_next_run():
    corrected, _ = apply_corrections("cpts", _tables()["cpts"], [line()])
    rerun, _ = apply_corrections("cpts", corrected, [])
    assert rerun["population_declared"].to_pylist() == [7000, 72000]
    assert rerun["corrected"].to_pylist() == [False, False]


def test_corrections_flow_into_the_registry_and_the_log():
    out = derived_tables(_tables(), corrections=[
        line(doc_id="d1", value="71800"),
        line(n=3, doc_id=None, table="registry", field="status", value="renewed"),
        line(n=4, doc_id=None, cpts_key="other", table="registry", field="status", value="signed"),
        line(n=5, table="nowhere"),
    ])
    (registry,) = out["registry"].to_pylist()
    assert registry["conflicts"] == []  # 71 800 and 72 000 agree once the 7 000 is corrected
    assert (registry["status"], registry["corrected"]) == ("renewed", True)
    assert json.loads(registry["original_values"]) == {"status": None}
    log = out["corrections"].to_pylist()
    assert [(r["line"], r["status"]) for r in log] == [(2, "applied"), (3, "applied"), (4, "unmatched"), (5, "invalid")]
    assert out["fundings"]["corrected"].to_pylist() == [False, False]


def test_registry_lines_match_aliases():
    tables = make_tables([{"doc_id": "d1"}, {"doc_id": "d2"}],
                         [{"doc_id": "d1", "cpts_key": "val-de-sevre-et-marais", "departement_codes": ["79"]},
                          {"doc_id": "d2", "cpts_key": "vsm", "cpts_name": "CPTS VSM", "departement_codes": ["79"]}])
    out = derived_tables(tables, corrections=[line(doc_id=None, cpts_key="vsm", table="registry", field="members_declared", value="61")])
    assert out["registry"]["members_declared"].to_pylist() == [61]


def test_fingerprint_changes_with_the_file(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(HEADER, "utf-8")
    before = corrections_fingerprint(path)
    path.write_text(HEADER + "d1,x,cpts,members_declared,,12,\n", "utf-8")
    assert corrections_fingerprint(path) != before


def test_the_fingerprint_is_stamped_on_the_corrections_table(tmp_path):
    import pyarrow.parquet as pq

    from pipeline.corrections import applied_fingerprint

    out = derived_tables(_tables(), corrections=[line()], fingerprint="abc123")
    pq.write_table(out["corrections"], tmp_path / "corrections.parquet")
    assert applied_fingerprint(pq.read_schema(tmp_path / "corrections.parquet")) == "abc123"
    assert applied_fingerprint(derived_tables(_tables())["corrections"].schema) is None


def test_a_run_applies_corrections_csv_even_when_no_document_changed(tmp_path):
    import pyarrow.parquet as pq

    from pipeline.run import run_extract

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(
        "La CPTS du Pays de Brocéliande a signé son contrat le 4 mars 2022. Elle compte 85 adhérents.\n", "utf-8")
    run_extract(raw, out)
    cpts = pq.read_table(out / "cpts.parquet").to_pylist()
    doc_id, key = cpts[0]["doc_id"], cpts[0]["cpts_key"]

    (raw / "corrections.csv").write_text(HEADER + f"{doc_id},{key},cpts,members_declared,,90,\n", "utf-8")
    summary = run_extract(raw, out)
    assert (summary.parsed, summary.written) == (0, True)
    row = pq.read_table(out / "cpts.parquet").to_pylist()[0]
    assert (row["members_declared"], row["corrected"], json.loads(row["original_values"])) == (90, True, {"members_declared": 85})
    assert pq.read_table(out / "registry.parquet")["members_declared"].to_pylist() == [90]

    assert run_extract(raw, out).written is False  # nothing changed: nothing rewritten

    (raw / "corrections.csv").unlink()
    run_extract(raw, out)
    row = pq.read_table(out / "cpts.parquet").to_pylist()[0]
    assert (row["members_declared"], row["corrected"]) == (85, False)
    assert pq.read_table(out / "corrections.parquet").num_rows == 0
