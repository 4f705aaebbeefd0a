"""Extraction as a pure function of a partition of raw files, for a cluster's own scheduler.

``extract_partition`` is what one Dask task or one Spark ``mapInPandas`` call
runs: raw files in (paths, or ``(source_path, bytes)`` pairs when the engine
has already read them), one Arrow table per output table out, with the
schemas of ``schemas/tables.py``. The spaCy pipeline and the commune reference
are built once per process (both are cached), not once per partition.

What needs the whole corpus is not done per partition, and is left to a
final step on the gathered tables: byte-identical files under two names are
two rows (``run.py`` merges them with ``duplicate_paths``), near-duplicates
keep ``same_as`` null (``pipeline.neardup.flag_near_duplicates`` fills it on
the gathered ``documents``), and no incremental cache is consulted (on a
cluster, anti-join ``doc_id`` against the existing dataset before mapping).

Dask recipe (the test ``tests/test_distributed.py`` runs it with Dask's local
scheduler and checks it gives the tables of a local ``extract``)::

    import dask.bag as db
    from pipeline.distributed import extract_partition, rows_of

    paths = sorted(str(p) for p in Path("raw").rglob("*.txt"))
    bag = db.from_sequence(paths, npartitions=8)
    fundings = bag.map_partitions(lambda part: rows_of(extract_partition(part), "fundings"))
    fundings.to_dataframe(meta=empty_frame("fundings")).to_parquet("out/fundings", partition_on=["funder"])

Spark recipe, with the same function::

    def extract_batch(batches):            # mapInPandas: an iterator of pandas frames in and out
        for frame in batches:               # columns "path" and "content" of spark.read.format("binaryFile")
            tables = extract_partition(zip(frame["path"], frame["content"]))
            yield tables["fundings"].to_pandas()

    spark.read.format("binaryFile").load("raw/**").mapInPandas(extract_batch, schema=fundings_spark_schema)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow as pa

from pipeline.catalog import INPUT_SUFFIXES, REFERENCE_DIR
from schemas import TABLES

RawItem = str | Path | tuple[str, bytes]
"""A raw file: its path, or its path (as the engine names it) and its bytes."""


@lru_cache(maxsize=1)
def _resolver():
    from pipeline.normalise.cog import load_reference
    from pipeline.normalise.communes import resolve_territory

    return partial(resolve_territory, reference=load_reference(REFERENCE_DIR))


def _read(item: RawItem) -> tuple[str, bytes]:
    if isinstance(item, tuple):
        return str(item[0]), bytes(item[1])
    return str(item), Path(item).read_bytes()


def extract_partition(items: Iterable[RawItem], *, now: datetime | None = None) -> dict[str, pa.Table]:
    """Every output table of the raw files ``items``, extracted in this process.

    ``source_path`` is the path as given (``file:`` prefixes of Spark's
    ``binaryFile`` kept); a file whose suffix is not an input format
    (``catalog.INPUT_SUFFIXES``) is skipped, as a local run's discovery skips it.
    """
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.parse import parse_documents
    from pipeline.records import ParsedDocument
    from pipeline.run import pipeline_version
    from pipeline.write import to_table

    now = now or datetime.now(UTC)
    version = pipeline_version()
    sources = []
    for item in items:
        path = str(item[0] if isinstance(item, tuple) else item)
        source_format = INPUT_SUFFIXES.get(PurePosixPath(path).suffix.lower())
        if source_format is None:
            continue
        path, raw = _read(item)
        sources.append(ingest(raw, source_path=path, source_format=source_format))
    readable = [s for s in sources if s.status == "ok"]
    parsed = {p.source.doc_id: p for p in parse_documents(readable, n_process=1)}
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for source in sources:
        document = parsed.get(source.doc_id, ParsedDocument(source=source))
        for name, table_rows in normalise(document, resolve_territory=_resolver(), version=version, now=now).tables.items():
            rows[name].extend(table_rows)
    return {name: to_table(name, rows[name]) for name in TABLES}


def rows_of(tables: dict[str, pa.Table], name: str) -> list[dict]:
    """The rows of one table as dicts: what a ``dask.bag`` partition holds."""
    return tables[name].to_pylist()


def empty_frame(name: str) -> pd.DataFrame:
    """An empty pandas frame with the columns and Arrow types of table ``name``: Dask's ``meta``."""
    return TABLES[name].empty_table().to_pandas(types_mapper=pd.ArrowDtype)
