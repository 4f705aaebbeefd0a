"""A run over bad inputs: each gets a row with a specific reason, the good ones are still extracted, exit code 3.

The committed corpus is ``tests/bad_inputs/`` (``expected.json`` lists each
file's status and reason); the cases that cannot be committed are made here:
a 50 MB file, a symlink loop, a dangling symlink, a FIFO and the same
communiqué under two names.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.catalog import RAW_DIR
from pipeline.cli import EXIT_REJECTED, main

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))["cases"]
GOOD = RAW_DIR / "001_363b00f524731fbb.txt"

MADE_HERE = {
    "big.txt": ("rejected", "file too large for a communiqué: 52 428 800 bytes"),
    "loop.txt": ("rejected", "unreadable file: Too many levels of symbolic links"),
    "dangling.txt": ("rejected", "unreadable file: No such file or directory"),
    "fifo.txt": ("rejected", "not a regular file"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Run the CLI once over the corpus plus the generated cases and two good communiqués."""
    raw = tmp_path_factory.mktemp("raw")
    for name in EXPECTED:
        shutil.copy(CORPUS / name, raw / name)
    with open(raw / "big.txt", "wb") as handle:
        handle.truncate(50 * 2**20)
    (raw / "loop.txt").symlink_to("loop.txt")
    (raw / "dangling.txt").symlink_to("gone/away.txt")
    os.mkfifo(raw / "fifo.txt")
    (raw / "good").mkdir()
    shutil.copy(GOOD, raw / "good" / "a.txt")
    shutil.copy(GOOD, raw / "good" / "b_copy.txt")
    (raw / "good" / "cp1252.txt").write_bytes(
        (RAW_DIR / "004_84bb71dd86eb792a.txt").read_text("utf-8").encode("cp1252", errors="replace")
    )
    out = tmp_path_factory.mktemp("out")
    code = main(["extract", str(raw), "--out", str(out), "-q"])
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_path")
    return code, documents, out


def test_exit_code_says_some_inputs_were_rejected(run):
    code, _, _ = run
    assert code == EXIT_REJECTED


@pytest.mark.parametrize("name", [*EXPECTED, *MADE_HERE])
def test_each_bad_input_has_its_status_and_reason(run, name):
    _, documents, _ = run
    expected = EXPECTED.get(name) or dict(zip(("status", "reason"), MADE_HERE[name]))
    row = documents.loc[name]
    assert row["status"] == expected["status"]
    if "reason" in expected:
        assert expected["reason"] in row["error"]
    if "warning" in expected:
        assert pd.isna(row["error"])
        assert [expected["warning"]] == list(row["warnings"])


def test_a_few_invalid_bytes_cost_a_few_characters(run):
    _, documents, out = run
    row = documents.loc["few_invalid_bytes.txt"]
    assert "profe\ufffd\ufffdssionnels" in row["text"]
    assert row["encoding"] == "utf-8"
    cpts = pd.read_parquet(out / "cpts.parquet").set_index("doc_id").loc[row["doc_id"]]
    assert (cpts["communes_declared"], cpts["population_declared"]) == (9, 31200)  # the damaged word costs only its own fact
    communes = pd.read_parquet(out / "communes.parquet")
    assert (communes["doc_id"] == row["doc_id"]).sum() >= 9


def test_legacy_charset_is_recorded(run):
    _, documents, _ = run
    assert documents.loc["good/cp1252.txt", "encoding"] == "cp1252"
    assert documents.loc["good/a.txt", "encoding"] == "utf-8"
    assert "Ã" not in documents.loc["good/cp1252.txt", "text"]


def test_good_documents_still_extracted(run):
    _, documents, out = run
    good = documents.loc[["good/a.txt", "good/cp1252.txt"]]
    assert list(good["status"]) == ["ok", "ok"]
    fundings = pd.read_parquet(out / "fundings.parquet")
    assert set(good["doc_id"]) <= set(fundings["doc_id"])


def test_same_communique_twice_is_one_document_with_both_paths(run):
    _, documents, _ = run
    assert "good/b_copy.txt" not in documents.index
    assert list(documents.loc["good/a.txt", "duplicate_paths"]) == ["good/b_copy.txt"]


def test_every_file_has_exactly_one_row(run):
    _, documents, _ = run
    assert documents.index.is_unique
    assert set(documents.index) == {*EXPECTED, *MADE_HERE, "good/a.txt", "good/cp1252.txt"}
