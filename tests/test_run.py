"""End to end: the tables a notebook reads, incremental runs, atomic writes and the run lock."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.catalog import RAW_DIR, ROOT
from pipeline.run import run_extract
from pipeline.write import run_id_of
from schemas import TABLES

TEXTS = ["000_922f433c6195bcc5.txt", "001_363b00f524731fbb.txt", "003_7f25dc428b94a01c.txt"]
CONTAINERS = {"web/003_coeur-de-savoie.html": "003_7f25dc428b94a01c.txt", "pdf/000_monts-du-lyonnais.pdf": "000_922f433c6195bcc5.txt"}


def make_raw(folder: Path, names=TEXTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(RAW_DIR / name, target)
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """One run over three text communiqués and the HTML and PDF versions of two of them."""
    raw = make_raw(tmp_path_factory.mktemp("raw"), [*TEXTS, *CONTAINERS])
    out = tmp_path_factory.mktemp("out")
    summary = run_extract(raw, out)
    return out, summary


# --- what a notebook gets ----------------------------------------------------------------------------------------------


def test_pandas_types(extracted):
    out, _ = extracted
    cpts = pd.read_parquet(out / "cpts.parquet")
    signed = cpts["signature_date"].dropna()
    assert len(signed) >= 4 and all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in signed)
    assert all(isinstance(codes, (list, tuple)) or hasattr(codes, "tolist") for codes in cpts["departement_codes"])
    assert all(isinstance(code, str) for codes in cpts["departement_codes"] for code in list(codes))
    assert pd.api.types.is_string_dtype(cpts["cpts_key"]) and pd.api.types.is_string_dtype(cpts["region_code"])
    assert str(cpts["population_declared"].dtype) in ("Int64", "int64", "float64")
    communes = pd.read_parquet(out / "communes.parquet")
    codes = communes["insee_code"].dropna()
    assert len(codes) and all(isinstance(c, str) and len(c) == 5 for c in codes)
    fundings = pd.read_parquet(out / "fundings.parquet")
    assert fundings["amount_eur"].dtype == "int64" and fundings["char_start"].dtype == "int32"
    documents = pd.read_parquet(out / "documents.parquet")
    assert str(documents["extracted_at"].dtype).startswith("datetime64") and documents["extracted_at"].dt.tz is not None


def test_duckdb_types(extracted):
    out, _ = extracted
    types = {
        (table, column): kind
        for table in TABLES
        for column, kind, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out / table}.parquet')").fetchall()
    }
    assert types[("cpts", "signature_date")] == "DATE"
    assert types[("cpts", "departement_codes")] == "VARCHAR[]"
    assert types[("cpts", "region_code")] == "VARCHAR"
    assert types[("communes", "insee_code")] == "VARCHAR"
    assert types[("fundings", "amount_eur")] == "BIGINT"
    assert types[("dates", "date")] == "DATE"
    assert types[("documents", "extracted_at")] == "TIMESTAMP WITH TIME ZONE"
    joined = duckdb.sql(
        f"SELECT d.source_path, sum(f.amount_eur) FROM read_parquet('{out}/fundings.parquet') f "
        f"JOIN read_parquet('{out}/documents.parquet') d USING (doc_id) GROUP BY 1"
    ).fetchall()
    assert len(joined) == 5


def test_schemas_are_the_contract(extracted):
    out, _ = extracted
    from pipeline.run import WRITTEN

    for name, schema in WRITTEN.items():
        assert pq.read_schema(out / f"{name}.parquet").remove_metadata() == schema.remove_metadata()


def test_every_snippet_is_at_its_offsets(extracted):
    out, _ = extracted
    texts = pd.read_parquet(out / "documents.parquet").set_index("doc_id")["text"]
    checked = 0
    for name in TABLES:
        table = pd.read_parquet(out / f"{name}.parquet")
        if name == "documents" or not {"char_start", "char_end", "text"} <= set(table.columns):
            continue
        for row in table.itertuples():
            assert texts[row.doc_id][row.char_start : row.char_end] == row.text, (name, row)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("container,text_version", CONTAINERS.items(), ids=["html", "pdf"])
def test_html_and_pdf_rows_match_their_text_version(extracted, container, text_version):
    out, _ = extracted
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_path")
    ids = documents.loc[[container, text_version], "doc_id"].tolist()
    columns = ["cpts_key", "signature_date", "population_declared", "communes_declared", "members_declared", "president"]
    cpts = pd.read_parquet(out / "cpts.parquet").set_index("doc_id")
    assert cpts.loc[ids[0], columns].tolist() == cpts.loc[ids[1], columns].tolist()
    fundings = pd.read_parquet(out / "fundings.parquet")
    amounts = [sorted(fundings.loc[fundings["doc_id"] == i, "amount_eur"]) for i in ids]
    assert amounts[0] == amounts[1] and amounts[0]


# --- incremental runs ---------------------------------------------------------------------------------------------------


def test_incremental_runs(tmp_path):
    raw, out = make_raw(tmp_path / "raw"), tmp_path / "out"
    first = run_extract(raw, out)
    assert (first.parsed, first.reused, first.written) == (3, 0, True)

    before = snapshot(out)
    again = run_extract(raw, out)
    assert (again.parsed, again.reused, again.written) == (0, 3, False)
    assert snapshot(out) == before

    shutil.copy(RAW_DIR / "004_84bb71dd86eb792a.txt", raw / "new.txt")
    added = run_extract(raw, out)
    assert (added.parsed, added.reused) == (1, 3)

    changed_path = raw / TEXTS[1]
    old_id = doc_ids(out)[TEXTS[1]]
    changed_path.write_text(changed_path.read_text("utf-8") + "\nContact presse : 01 02 03 04 05\n", "utf-8")
    changed = run_extract(raw, out)
    assert (changed.parsed, changed.reused) == (1, 3)
    for name in TABLES:
        assert old_id not in set(pq.read_table(out / f"{name}.parquet")["doc_id"].to_pylist())

    deleted_id = doc_ids(out)[TEXTS[2]]
    (raw / TEXTS[2]).unlink()
    deleted = run_extract(raw, out)
    assert (deleted.parsed, deleted.reused, deleted.written) == (0, 3, True)
    for name in TABLES:
        assert deleted_id not in set(pq.read_table(out / f"{name}.parquet")["doc_id"].to_pylist())

    (raw / "new.txt").rename(raw / "renamed.txt")
    renamed = run_extract(raw, out)
    assert (renamed.parsed, renamed.reused) == (0, 3)
    assert "renamed.txt" in doc_ids(out)


def test_documents_added_between_the_previous_ones_give_the_tables_of_a_fresh_run(tmp_path, monkeypatch):
    """New communiqués whose ``doc_id`` sorts between the previous ones are merged into the previous rows: every
    table, its row order and its row groups are those of a run from scratch (``extracted_at`` apart)."""
    import pipeline.write
    from pipeline.run import WRITTEN

    for name in WRITTEN:
        monkeypatch.setitem(pipeline.write.ROW_GROUP_ROWS, name, 7)  # several row groups even on five documents
    names = [*TEXTS, "002_d1d4a439058671fa.txt", "004_84bb71dd86eb792a.txt", *CONTAINERS]
    raw = make_raw(tmp_path / "raw", names[::2])
    run_extract(raw, tmp_path / "out")
    make_raw(raw, names[1::2])
    added = run_extract(raw, tmp_path / "out")
    assert (added.parsed, added.reused) == (len(names[1::2]), len(names[::2]))
    run_extract(raw, tmp_path / "fresh")
    for name in WRITTEN:
        grown, fresh = (pq.ParquetFile(tmp_path / folder / f"{name}.parquet") for folder in ("out", "fresh"))
        assert [grown.metadata.row_group(i).num_rows for i in range(grown.num_row_groups)] == [
            fresh.metadata.row_group(i).num_rows for i in range(fresh.num_row_groups)], name
        drop = [c for c in ("extracted_at",) if c in grown.schema_arrow.names]
        assert grown.read().drop_columns(drop).equals(fresh.read().drop_columns(drop)), name


def test_noop_rerun_decodes_nothing_and_reads_no_fact_table(tmp_path, monkeypatch):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:2]), tmp_path / "out"
    first = run_extract(raw, out)
    before = snapshot(out)

    import pipeline.inputs
    import pipeline.run

    def forbidden(*args, **kwargs):
        raise AssertionError("a no-op re-run must not decode files nor read the previous tables in full")

    monkeypatch.setattr(pipeline.inputs, "ingest", forbidden)
    monkeypatch.setattr(pipeline.run, "_previous_tables", forbidden)
    again = run_extract(raw, out)
    assert (again.parsed, again.reused, again.written) == (0, 2, False)
    assert (again.facts, again.status) == (first.facts, first.status)
    assert snapshot(out) == before


def test_rerun_decodes_only_the_new_file(tmp_path, monkeypatch):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:2]), tmp_path / "out"
    run_extract(raw, out)
    shutil.copy(RAW_DIR / TEXTS[2], raw / "new.txt")

    import pipeline.inputs

    decoded = []
    real_ingest = pipeline.inputs.ingest
    monkeypatch.setattr(pipeline.inputs, "ingest", lambda raw, **kw: decoded.append(kw["source_path"]) or real_ingest(raw, **kw))
    added = run_extract(raw, out)
    assert decoded == ["new.txt"]
    assert (added.parsed, added.reused, added.written) == (1, 2, True)
    assert set(doc_ids(out)) == {*TEXTS[:2], "new.txt"}


def test_unchanged_rejected_files_keep_their_rows(tmp_path):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:1]), tmp_path / "out"
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    os.mkfifo(raw / "fifo.txt")
    first = run_extract(raw, out)
    assert first.status["rejected"] == 3
    before = snapshot(out)
    again = run_extract(raw, out)
    assert (again.parsed, again.reused, again.written) == (0, 4, False)
    assert again.status == first.status
    assert snapshot(out) == before


def test_rows_converted_to_arrow_in_batches_are_the_same_tables(tmp_path, monkeypatch):
    raw = make_raw(tmp_path / "raw", TEXTS)
    run_extract(raw, tmp_path / "whole")

    import pipeline.run

    monkeypatch.setattr(pipeline.run, "ARROW_BATCH_DOCS", 1)
    run_extract(raw, tmp_path / "batched")
    for name in TABLES:
        whole, batched = (pq.read_table(tmp_path / out / f"{name}.parquet").drop_columns(["extracted_at"])
                          if name == "documents" else pq.read_table(tmp_path / out / f"{name}.parquet")
                          for out in ("whole", "batched"))
        assert batched.replace_schema_metadata(None).equals(whole.replace_schema_metadata(None)), name


def doc_ids(out: Path) -> dict[str, str]:
    documents = pq.read_table(out / "documents.parquet").to_pydict()
    return dict(zip(documents["source_path"], documents["doc_id"]))


# --- atomic writes -------------------------------------------------------------------------------------------------------


def test_failed_write_leaves_previous_tables(tmp_path, monkeypatch):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:2]), tmp_path / "out"
    run_extract(raw, out)
    before = snapshot(out)
    shutil.copy(RAW_DIR / TEXTS[2], raw / "new.txt")

    import pipeline.write

    real_write, calls = pipeline.write.TableFiles.write, []

    def failing_write(self, name, schema, chunks):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, name, schema, chunks)

    monkeypatch.setattr(pipeline.write.TableFiles, "write", failing_write)
    with pytest.raises(OSError):
        run_extract(raw, out)
    assert snapshot(out) == before
    assert not list(out.glob("*.tmp"))


def test_a_damaged_previous_table_is_extracted_again(tmp_path, caplog):
    """A table whose footer reads but whose data page does not (a bad disk block, a half-copied file): the run
    says which table, extracts every document again, and writes the tables a fresh run writes."""
    raw, out = make_raw(tmp_path / "raw", TEXTS[:2]), tmp_path / "out"
    run_extract(raw, out)
    table = out / "communes.parquet"
    damaged = bytearray(table.read_bytes())
    damaged[len(damaged) // 3 : len(damaged) // 3 + 200] = b"Z" * 200
    table.write_bytes(bytes(damaged))
    shutil.copy(RAW_DIR / TEXTS[2], raw / "new.txt")

    with caplog.at_level("WARNING"):
        summary = run_extract(raw, out)
    assert summary.parsed == 3 and summary.reused == 0
    assert "communes.parquet is damaged" in caplog.text
    run_extract(raw, tmp_path / "fresh")
    for name in ("communes", "cpts", "fundings"):
        assert pq.read_table(out / f"{name}.parquet").equals(pq.read_table(tmp_path / "fresh" / f"{name}.parquet")), name


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT, **kwargs)


def test_kill_between_renames_is_repaired_by_next_run(tmp_path):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:2]), tmp_path / "out"
    run_extract(raw, out)
    dying = _python(
        """
        import os, signal, sys
        from pathlib import Path
        import pyarrow.parquet as pq
        from pipeline import write
        from schemas import TABLES

        out = Path(sys.argv[1])
        tables = {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}
        real_replace, done = os.replace, []

        def replace_then_die(src, dst):
            real_replace(src, dst)
            done.append(dst)
            if len(done) == 2:
                os.kill(os.getpid(), signal.SIGKILL)

        write.os.replace = replace_then_die
        write.write_tables(tables, {name: out / f"{name}.parquet" for name in TABLES})
        """,
        str(out),
    )
    assert dying.wait(timeout=120) == -signal.SIGKILL
    run_ids = {name: run_id_of(pq.read_table(out / f"{name}.parquet")) for name in TABLES}
    assert len(set(run_ids.values())) == 2, "the kill should have left tables of two runs"
    assert list(out.glob("*.tmp"))

    repaired = run_extract(raw, out)
    assert (repaired.parsed, repaired.reused) == (2, 0)
    assert len({run_id_of(pq.read_table(out / f"{name}.parquet")) for name in TABLES}) == 1
    assert not list(out.glob("*.tmp"))


def test_sigkill_during_a_run_keeps_previous_tables(tmp_path):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:1]), tmp_path / "out"
    run_extract(raw, out)
    before = snapshot(out)
    for i in range(30):
        (raw / f"copy_{i}.txt").write_text((RAW_DIR / TEXTS[1]).read_text("utf-8") + f"\nRéférence {i}\n", "utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: (out / ".lock").read_text().strip() == str(child.pid))
        time.sleep(0.5)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    for name in TABLES:
        pd.read_parquet(out / f"{name}.parquet")


# --- one run at a time ----------------------------------------------------------------------------------------------------


def test_second_run_waits_for_the_lock(tmp_path):
    raw, out = make_raw(tmp_path / "raw", TEXTS[:1]), tmp_path / "out"
    out.mkdir()
    stderr = tmp_path / "stderr.txt"
    with open(out / ".lock", "a+") as held, open(stderr, "w") as err:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(str(os.getpid()))
        held.flush()
        child = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "-q"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            wait_for(lambda: "another extraction" in stderr.read_text())
            assert f"(process {os.getpid()}) is writing to {out}: waiting for it to finish" in stderr.read_text()
            time.sleep(0.5)
            assert child.poll() is None, "the second run must wait, not go on"
            assert not (out / "documents.parquet").exists()
            fcntl.flock(held, fcntl.LOCK_UN)
            wait_for(lambda: (out / ".lock").read_text().strip() == str(child.pid))
        finally:
            child.kill()
            child.wait(timeout=60)


def test_concurrent_runs_in_threads_do_not_mix(tmp_path):
    raw, out = make_raw(tmp_path / "raw"), tmp_path / "out"
    summaries = []
    threads = [threading.Thread(target=lambda: summaries.append(run_extract(raw, out))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(s.parsed for s in summaries) == [0, 3]
    assert len({run_id_of(pq.read_table(out / f"{name}.parquet")) for name in TABLES}) == 1
    assert pq.read_table(out / "documents.parquet").num_rows == 3
