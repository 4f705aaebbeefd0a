"""The cluster path runs: ``extract_partition`` under Dask's local scheduler gives the tables of a local run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.bench import build_corpus
from pipeline.distributed import empty_frame, extract_partition, rows_of
from pipeline.run import run_extract
from schemas import TABLES

db = pytest.importorskip("dask.bag", reason="dask is in the test extra")

N_DOCS = 200
_VOLATILE = {"extracted_at", "same_as"}
"""Columns a partition cannot give like a whole run: the time, and near-duplicates across partitions."""


def _comparable(table: pa.Table, name: str, *, relative_to: Path | None = None) -> pd.DataFrame:
    """The extracted columns only: a run also writes the correction marks of corrections.csv, applied after extraction."""
    table = table.select([c for c in TABLES[name].names if c not in _VOLATILE])
    frame = table.to_pandas()
    if relative_to is not None and "source_path" in frame:
        frame["source_path"] = frame["source_path"].map(lambda p: Path(p).relative_to(relative_to).as_posix())
    frame = frame.map(lambda v: tuple(v) if hasattr(v, "tolist") else v)
    return frame.sort_values(list(frame.columns), key=lambda c: c.astype(str)).reset_index(drop=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    build_corpus(raw, N_DOCS)
    return raw


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    run_extract(corpus, out)
    return {name: pa.parquet.read_table(out / f"{name}.parquet") for name in TABLES}


@pytest.fixture(scope="module")
def with_dask(corpus):
    import dask

    paths = sorted(str(p) for p in corpus.glob("*.txt"))
    bag = db.from_sequence(paths, npartitions=4)
    per_partition = bag.map_partitions(lambda part: [extract_partition(part)])
    with dask.config.set(scheduler="processes", num_workers=2):
        parts = per_partition.compute()
    return {name: pa.concat_tables([p[name] for p in parts]) for name in TABLES}


@pytest.mark.parametrize("name", list(TABLES))
def test_dask_partitions_give_the_tables_of_a_local_run(corpus, local, with_dask, name):
    expected = _comparable(local[name], name)
    got = _comparable(with_dask[name], name, relative_to=corpus)
    pd.testing.assert_frame_equal(got, expected)


def test_the_documented_recipe_writes_a_partitioned_dataset(corpus, tmp_path):
    paths = sorted(str(p) for p in corpus.glob("*.txt"))[:8]
    bag = db.from_sequence(paths, npartitions=2)
    fundings = bag.map_partitions(lambda part: rows_of(extract_partition(part), "fundings"))
    fundings.to_dataframe(meta=empty_frame("fundings")).to_parquet(tmp_path / "fundings", partition_on=["funder"])
    back = pd.read_parquet(tmp_path / "fundings")
    assert len(back) == len(extract_partition(paths)["fundings"]) > 0
    assert {p.name.split("=")[0] for p in (tmp_path / "fundings").iterdir() if p.is_dir()} == {"funder"}


def test_unknown_suffixes_are_skipped_and_bytes_can_be_given(tmp_path):
    tables = extract_partition([("notes.docx", b"PK\x03\x04"), ("a.txt", "Texte sans CPTS.".encode())])
    assert tables["documents"].column("source_path").to_pylist() == ["a.txt"]
    assert tables["documents"].column("status").to_pylist() == ["not_cpts"]
