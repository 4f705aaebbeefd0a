"""A hive-partitioned copy of the extracted tables, for engines that prune by folder.

The flat ``<out>/<table>.parquet`` files stay the contract; this writes the
same rows once more as a dataset per table under ``<out>/partitioned/``::

    partitioned/fundings/year=2021/region=84/part-0.parquet

Analysts filter by when and where, so the keys are:

``year`` (int16)
    the year of the CPTS's signature date, else of the document's
    publication date; a document without CPTS takes its publication year.
``region`` (string)
    the INSEE région code of the CPTS (``cpts.region_code``); a document
    row takes the code of its first CPTS.

All the rows of one CPTS of one document land in the same partition, so a
join on ``doc_id, cpts_key`` never crosses folders. An unknown key goes to
the ``__HIVE_DEFAULT_PARTITION__`` folder, which DuckDB, Spark and pyarrow
read as null (no made-up year 0 to skew a dashboard). An empty table is one
empty file in the default partition, so it still has a schema.

Reading it back. Partition columns live in the paths only, and engines
guess their type from the values; ``region`` codes look like numbers ("01"),
so say they are strings::

    duckdb:  read_parquet('partitioned/fundings/**/*.parquet', hive_partitioning = true,
                          hive_types = {'region': 'VARCHAR'})
    pandas:  pd.read_parquet('partitioned/fundings', partitioning=hive_partitioning(["year", "region"]))
    spark:   spark.read.parquet('partitioned/fundings') with
             spark.sql.sources.partitionColumnTypeInference.enabled=false (then cast year)

pandas needs the ``partitioning`` argument (``pyarrow.dataset.partitioning(flavor="hive")``
is enough for ``year`` alone): its default discovery infers dictionaries and
fails on a null folder ("Cannot yet unify dictionaries with nulls").

The dataset is written to a temporary folder and swapped in, under the
output folder's lock: a reader sees the old or the new dataset, never a
mixture (at worst, for an instant, none).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipeline.catalog import OutputCatalog
from schemas import TABLES

PARTITION_KEYS: dict[str, pa.DataType] = {"year": pa.int16(), "region": pa.string()}
"""The partition columns one can choose from, in folder order."""

DATASET_DIR = "partitioned"
_NULL = "__HIVE_DEFAULT_PARTITION__"


class PartitionError(ValueError):
    """An unknown partition key, or no extracted tables to partition."""


def hive_partitioning(by: Sequence[str]) -> ds.Partitioning:
    """The partitioning to write with and to read back with (keeps ``region`` a string)."""
    unknown = [key for key in by if key not in PARTITION_KEYS]
    if unknown or not by or len(set(by)) != len(by):
        raise PartitionError(f"partition keys must be distinct ones of {', '.join(PARTITION_KEYS)}; got {', '.join(by) or 'none'}")
    return ds.HivePartitioning(pa.schema([(key, PARTITION_KEYS[key]) for key in by]), null_fallback=_NULL)


class PartitionValues:
    """The partition values of every (doc_id, cpts_key), and of every doc_id for the documents table."""

    def __init__(self, tables: dict[str, pa.Table]):
        documents, cpts = tables["documents"], tables["cpts"]
        published = dict(zip(documents["doc_id"].to_pylist(), documents["published_on"].to_pylist()))
        self.per_cpts: dict[tuple[str, str], dict] = {}
        self.per_doc: dict[str, dict] = {}
        columns = (cpts[c].to_pylist() for c in ("doc_id", "cpts_key", "signature_date", "region_code"))
        for doc_id, key, signed, region in zip(*columns):
            day = signed or published.get(doc_id)
            values = {"year": day.year if day else None, "region": region}
            self.per_cpts[(doc_id, key)] = values
            self.per_doc.setdefault(doc_id, values)
        for doc_id, day in published.items():
            self.per_doc.setdefault(doc_id, {"year": day.year if day else None, "region": None})

    def add_columns(self, table: pa.Table, by: Sequence[str]) -> pa.Table:
        """``table`` plus one column per partition key, read from its CPTS (or its document)."""
        doc_ids = table["doc_id"].to_pylist()
        if "cpts_key" in table.column_names:
            rows = [self.per_cpts.get(pair, {}) for pair in zip(doc_ids, table["cpts_key"].to_pylist())]
        else:
            rows = [self.per_doc.get(doc_id, {}) for doc_id in doc_ids]
        for key in by:
            values = pa.array([row.get(key) for row in rows], PARTITION_KEYS[key])
            table = table.append_column(pa.field(key, PARTITION_KEYS[key]), values)
        return table


def write_partitioned(tables: dict[str, pa.Table], dataset_dir: Path, by: Sequence[str]) -> Path:
    """Write every table as a hive-partitioned Parquet dataset under ``dataset_dir/<table>/``."""
    partitioning = hive_partitioning(by)
    values = PartitionValues(tables)
    tmp = dataset_dir.with_name(f".{dataset_dir.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    options = ds.ParquetFileFormat().make_write_options(compression="zstd")
    try:
        for name, table in tables.items():
            if table.num_rows == 0:
                empty = tmp / name / "/".join(f"{key}={_NULL}" for key in by) / "part-0.parquet"
                empty.parent.mkdir(parents=True)
                pq.write_table(table, empty, compression="zstd")
                continue
            ds.write_dataset(
                values.add_columns(table, by),
                tmp / name,
                format="parquet",
                partitioning=partitioning,
                basename_template="part-{i}.parquet",
                file_options=options,
                existing_data_behavior="error",
            )
        _swap(tmp, dataset_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dataset_dir


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def partition_output(out_dir: Path, by: Sequence[str]) -> Path:
    """Partition the tables of an output folder into ``<out_dir>/partitioned``, under the folder's lock."""
    hive_partitioning(by)
    catalog = OutputCatalog(out_dir)
    missing = [name for name in TABLES if not catalog.table(name).exists()]
    if missing:
        raise PartitionError(f"no extracted tables in {out_dir} (missing {', '.join(missing)}): extract first")
    with open(catalog.lock, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tables = {name: pq.read_table(catalog.table(name)) for name in TABLES}
        return write_partitioned(tables, out_dir / DATASET_DIR, by)
