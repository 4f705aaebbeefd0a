"""One document never takes down a run: a bug, a timeout or a dead worker rejects that document only.

Faults are injected with ``pipeline.guard.FAULT_ENV`` (an environment
variable, because spawned parse workers inherit the environment but not a
monkeypatch): a document holding the marker raises, kills its worker or
hangs. Reading, normalising and building rows run in this process, so those
stages are broken with monkeypatch.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from pipeline.catalog import RAW_DIR
from pipeline.cli import EXIT_REJECTED, main
from pipeline.guard import FAULT_ENV
from pipeline.parse import PARALLEL_MIN_DOCS
from pipeline.run import run_extract

SHIPPED = sorted(RAW_DIR.glob("*.txt"))


def make_raw(folder: Path, n: int, markers: dict[int, str] = {}) -> Path:
    """``n`` communiqués (the shipped ones, each copy made distinct by a reference line); document ``i`` gets ``markers[i]``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = SHIPPED[i % len(SHIPPED)].read_text("utf-8")
        (folder / f"doc_{i:03d}.txt").write_text(f"{text}\nRéférence du communiqué : {i} {markers.get(i, '')}\n", "utf-8")
    return folder


def make_short_raw(folder: Path, n: int, markers: dict[int, str]) -> Path:
    """``n`` short communiqués, each about its own CPTS: quick to parse, so a pool-sized run stays fast."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc_{i:03d}.txt").write_text(
            f"La CPTS du Pays de Brévanne {i} a signé son contrat ACI le 3 mars 2022.\n"
            f"Elle recevra {10_000 + i} € par an de l'Assurance Maladie. {markers.get(i, '')}\n",
            "utf-8",
        )
    return folder


def documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet").set_index("source_path")


def test_a_bug_in_one_document_rejects_it_and_the_run_goes_on(tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv(FAULT_ENV, "raise:MARQUEUR-BUG")
    raw, out = make_raw(tmp_path / "raw", 4, {1: "MARQUEUR-BUG"}), tmp_path / "out"
    with caplog.at_level(logging.INFO):
        code = main(["extract", str(raw), "--out", str(out), "-q"])
    assert code == EXIT_REJECTED
    docs = documents(out)
    assert docs.loc["doc_001.txt", "status"] == "rejected"
    assert docs.loc["doc_001.txt", "error"] == "internal error while parsing: RuntimeError: injected fault on MARQUEUR-BUG"
    assert (docs.drop("doc_001.txt")["status"] == "ok").all()
    assert set(docs.drop("doc_001.txt")["doc_id"]) <= set(pd.read_parquet(out / "fundings.parquet")["doc_id"])
    assert "rejected 1 (bad input 0, timeout 0, internal error 1); parsed 4, reused 0;" in capsys.readouterr().out
    assert any("Traceback" in r.getMessage() and "injected fault" in r.getMessage() for r in caplog.records)


def test_a_slow_document_is_rejected_with_a_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "hang:MARQUEUR-LENT")
    raw, out = make_raw(tmp_path / "raw", 3, {2: "MARQUEUR-LENT"}), tmp_path / "out"
    summary = run_extract(raw, out, timeout=1.5)
    docs = documents(out)
    assert docs.loc["doc_002.txt", "error"] == "timeout after 1.5 s"
    assert (docs.drop("doc_002.txt")["status"] == "ok").all()
    assert summary.rejected_by == {"timeout": 1}


def test_a_bug_while_reading_rejects_that_file(tmp_path, monkeypatch):
    import pipeline.inputs

    real = pipeline.inputs.ingest

    def broken(raw, **kw):
        if kw["source_path"] == "doc_000.txt":
            raise MemoryError("reader blew up")
        return real(raw, **kw)

    monkeypatch.setattr(pipeline.inputs, "ingest", broken)
    raw, out = make_raw(tmp_path / "raw", 2), tmp_path / "out"
    run_extract(raw, out)
    docs = documents(out)
    assert docs.loc["doc_000.txt", "error"] == "internal error while reading: MemoryError: reader blew up"
    assert docs.loc["doc_001.txt", "status"] == "ok"


def test_a_slow_reader_is_rejected_with_a_timeout(tmp_path, monkeypatch):
    import time

    import pipeline.inputs

    real = pipeline.inputs.ingest
    monkeypatch.setattr(
        pipeline.inputs, "ingest", lambda raw, **kw: time.sleep(60) if kw["source_path"] == "doc_001.txt" else real(raw, **kw)
    )
    raw, out = make_raw(tmp_path / "raw", 2), tmp_path / "out"
    run_extract(raw, out, timeout=1)
    assert documents(out).loc["doc_001.txt", "error"] == "timeout after 1 s"
    assert documents(out).loc["doc_000.txt", "status"] == "ok"


def test_a_bug_while_normalising_or_building_rows_rejects_that_document(tmp_path, monkeypatch):
    import pipeline.normalise

    real = pipeline.normalise.normalise

    def broken(parsed, **kw):
        rows = real(parsed, **kw)
        if parsed.source.source_path == "doc_000.txt" and parsed.source.status == "ok":
            raise KeyError("Côte-d’Or")
        if parsed.source.source_path == "doc_001.txt" and parsed.source.status == "ok":
            rows.tables["fundings"][0]["amount_eur"] = "beaucoup"
        return rows

    monkeypatch.setattr(pipeline.normalise, "normalise", broken)
    raw, out = make_raw(tmp_path / "raw", 3), tmp_path / "out"
    summary = run_extract(raw, out)
    docs = documents(out)
    assert docs.loc["doc_000.txt", "error"] == "internal error while normalising: KeyError: 'Côte-d’Or'"
    assert docs.loc["doc_001.txt", "error"].startswith("internal error while building rows: ")
    assert docs.loc["doc_002.txt", "status"] == "ok"
    fundings = pd.read_parquet(out / "fundings.parquet")
    assert set(fundings["doc_id"]) == {docs.loc["doc_002.txt", "doc_id"]}
    assert summary.rejected_by == {"internal error": 2}


def test_parallel_run_isolates_a_bug_a_dead_worker_and_a_hang(tmp_path, monkeypatch):
    """A run large enough for the worker pool: one document raises, one kills its worker, one hangs.

    The dead worker's chunk (and any chunk in flight with it) is parsed again
    one document at a time, so only the document that killed it is lost.
    """
    n = PARALLEL_MIN_DOCS + 2
    markers = {7: "MARQUEUR-BUG", 40: "MARQUEUR-MORT", 115: "MARQUEUR-LENT"}
    monkeypatch.setenv(FAULT_ENV, "raise:MARQUEUR-BUG,exit:MARQUEUR-MORT,hang:MARQUEUR-LENT")
    raw, out = make_short_raw(tmp_path / "raw", n, markers), tmp_path / "out"
    summary = run_extract(raw, out, timeout=10)
    docs = documents(out)
    assert len(docs) == n
    errors = docs.loc[docs["status"] == "rejected", "error"].to_dict()
    assert errors == {
        "doc_007.txt": "internal error while parsing: RuntimeError: injected fault on MARQUEUR-BUG",
        "doc_040.txt": "internal error while parsing: WorkerDied: the worker process parsing it died (killed or out of memory)",
        "doc_115.txt": "timeout after 10 s",
    }
    assert summary.status["ok"] == n - 3
    assert summary.rejected_by == {"internal error": 2, "timeout": 1}
    cpts = pd.read_parquet(out / "cpts.parquet")
    assert cpts["doc_id"].nunique() == n - 3



def test_time_limit_gives_a_caller_s_timer_back():
    """The per-document timer must not swallow a timer the caller (a test runner, an application) had set."""
    import signal
    import time

    from pipeline.guard import DocumentTimeout, time_limit

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    try:
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.8)
        with pytest.raises(DocumentTimeout, match="timeout after 0.2 s"):
            with time_limit(0.2):
                time.sleep(2)
        time.sleep(1)
        assert len(fired) == 1 and 0.7 < fired[0] - start < 1.2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_time_limit_outside_the_main_thread():
    import threading
    import time

    from pipeline.guard import time_limit

    done = []

    def work():
        with time_limit(0.05):
            time.sleep(0.2)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]
