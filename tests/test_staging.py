"""Staged rows come back in doc_id order, whole documents together, in chunks that do not depend on the batches."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from pipeline.staging import Staging, merged, row_groups
from pipeline.write import remove_stale_temps, staging_folder

SCHEMA = pa.schema([("doc_id", pa.string()), ("fact", pa.int64())])


def rows_of(docs: dict[str, int]) -> list[dict]:
    """Each document ``d`` gets ``docs[d]`` rows numbered in the order they were made."""
    return [{"doc_id": d, "fact": i} for d, n in docs.items() for i in range(n)]


def table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


@pytest.mark.parametrize("seed", range(5))
def test_batches_in_any_order_merge_into_doc_id_order(tmp_path, seed):
    rng = random.Random(seed)
    docs = {f"d{i:03d}": rng.randint(0, 4) for i in range(60)}
    order = list(docs)
    rng.shuffle(order)
    staging = Staging(tmp_path / "staged", {"facts": SCHEMA})
    for start in range(0, len(order), 7):
        staging.add({"facts": table(rows_of({d: docs[d] for d in order[start : start + 7]}))})
    staging.close()
    previous = table(rows_of({f"c{i:03d}": 2 for i in range(10)}))
    sources = [[previous.slice(0, 5), previous.slice(5)], *(row_groups(path) for path in staging.runs["facts"])]
    chunks = list(merged(sources, rows=16))
    assert [c.num_rows for c in chunks[:-1]] == [16] * (len(chunks) - 1)
    got = pa.concat_tables(chunks).to_pylist()
    assert got == sorted(rows_of(docs) + previous.to_pylist(), key=lambda r: r["doc_id"])


@pytest.mark.parametrize("seed", range(5))
def test_interleaved_sources_cut_anywhere_merge_into_doc_id_order(seed):
    """A few new documents land between the previous ones; a source's chunks may be empty or split a document."""
    rng = random.Random(seed)
    ids = [f"{rng.getrandbits(32):08x}" for _ in range(80)]
    shares = [sorted(ids[i::3]) for i in range(3)]

    def cut(rows: list[dict]) -> list[pa.Table]:
        bounds = sorted({0, len(rows), *(rng.randint(0, len(rows)) for _ in range(4))})
        return [table(rows[a:b]) for a, b in zip([0, *bounds], bounds)]
    sources = [cut(rows_of({d: rng.randint(1, 3) for d in share})) for share in shares]
    expected = sorted((row for source in sources for chunk in source for row in chunk.to_pylist()), key=lambda r: r["doc_id"])
    got = pa.concat_tables(merged(sources, rows=10)).to_pylist()
    assert got == expected


def test_a_document_in_two_sources_comes_from_the_first_one_first():
    """Cannot happen in a run (files are deduplicated by content), but must neither hang nor lose rows."""
    first, second = table(rows_of({"a": 2, "b": 1})), table([{"doc_id": "a", "fact": 9}, {"doc_id": "c", "fact": 0}])
    got = [(r["doc_id"], r["fact"]) for r in pa.concat_tables(merged([[first], [second]], rows=2)).to_pylist()]
    assert got == [("a", 0), ("a", 1), ("a", 9), ("b", 0), ("c", 0)]


def test_a_batch_in_order_extends_the_current_run(tmp_path):
    staging = Staging(tmp_path / "staged", {"facts": SCHEMA})
    staging.add({"facts": table(rows_of({"a": 1, "b": 1}))})
    staging.add({"facts": table(rows_of({"c": 1}))})
    staging.add({"facts": table(rows_of({"a0": 1}))})  # sorts before c: a second run
    staging.close()
    assert len(staging.runs["facts"]) == 2


def test_a_killed_runs_staging_folder_is_removed(tmp_path):
    stale = tmp_path / ".staging.12345.tmp"
    stale.mkdir()
    (stale / "documents.0.parquet").write_bytes(b"partial")
    remove_stale_temps(tmp_path)
    assert not stale.exists()
    assert staging_folder(tmp_path).parent == tmp_path
