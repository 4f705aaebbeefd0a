"""Write stage: Parquet tables with the explicit Arrow schemas of ``schemas/``.

Tables are written atomically: every table of a run goes to a temporary file
in the output folder, flushed to disk, and only when all are complete are they
moved over the previous ones with ``os.replace`` (atomic on POSIX). A run
killed at any moment leaves every table file complete and readable (at worst a
stray ``.tmp`` file, removed by the next run). Only a kill in the split second
between the renames can leave tables of two runs side by side; each table
carries its run's id (``RUN_ID_KEY`` in the Parquet metadata), so the next run
sees it and rewrites them all.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import TABLES

_TMP_SUFFIX = ".tmp"
RUN_ID_KEY = b"cpts_extract.run_id"


def to_table(name: str, rows: Iterable[dict]) -> pa.Table:
    """Rows (dicts) to an Arrow table of the named schema; a value of the wrong type raises."""
    schema = TABLES[name]
    rows = list(rows)
    _check_enums(name, schema, rows)
    return pa.Table.from_pylist(rows, schema=schema)


def _check_enums(name: str, schema: pa.Schema, rows: list[dict]) -> None:
    """Closed value lists are part of the contract: a value outside one is a bug, not data."""
    for field in schema:
        allowed = (field.metadata or {}).get(b"values")
        if not allowed:
            continue
        values = set(allowed.decode().split(","))
        bad = {row.get(field.name) for row in rows} - values - {None}
        if bad:
            raise ValueError(f"table {name}: column {field.name} has values outside its closed list: {sorted(bad)}")


class TableFiles:
    """The tables of one run, each streamed to a temporary file, moved over the previous ones all at once.

    ``write`` takes a table's rows as chunks (a whole table is one chunk) and
    writes them in row groups of ``ROW_GROUP_ROWS`` rows, so a table is never
    held whole and the files do not depend on how the rows were cut. Nothing
    replaces the previous tables until ``commit``; leaving the ``with`` block
    without it (an error) removes the temporary files.
    """

    def __init__(self, paths: Mapping[str, Path]) -> None:
        self.paths = paths
        self.run_id = uuid.uuid4().hex
        self.temps: dict[str, Path] = {}

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp in self.temps.values():
            tmp.unlink(missing_ok=True)

    def write(self, name: str, schema: pa.Schema, chunks: Iterable[pa.Table]) -> int:
        """Write table ``name`` (its rows in ``chunks``, in ``schema``) to its temporary file; how many rows."""
        final = self.paths[name]
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.temps[name] = final.with_name(final.name + f".{os.getpid()}{_TMP_SUFFIX}")
        stamped = schema.with_metadata({**(schema.metadata or {}), RUN_ID_KEY: self.run_id.encode()})
        rows = 0
        with pq.ParquetWriter(tmp, stamped, compression="zstd", write_statistics=True) as writer:
            for chunk in _row_groups(chunks, ROW_GROUP_ROWS.get(name, DEFAULT_ROW_GROUP_ROWS)):
                writer.write_table(pa.Table.from_arrays(chunk.columns, schema=stamped))
                rows += chunk.num_rows
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        return rows

    def written(self, name: str) -> Path:
        """The temporary file of a table already written (to read columns back before ``commit``)."""
        return self.temps[name]

    def commit(self) -> None:
        for name, tmp in self.temps.items():
            os.replace(tmp, self.paths[name])
        _fsync_dir({self.paths[name].parent for name in self.temps})
        self.temps.clear()


DEFAULT_ROW_GROUP_ROWS = 16_384
ROW_GROUP_ROWS = {"documents": 256}
"""Rows per row group: ``documents`` rows hold whole texts (~7 kB each), the other tables' rows a few hundred bytes."""


def _row_groups(chunks: Iterable[pa.Table], rows: int) -> Iterator[pa.Table]:
    """The rows of ``chunks`` in tables of exactly ``rows`` rows (the last one shorter)."""
    pending: list[pa.Table] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += chunk.num_rows
        while held >= rows:
            table = pa.concat_tables(pending)
            yield table.slice(0, rows)
            pending, held = [table.slice(rows)], held - rows
    if held:
        yield pa.concat_tables(pending)


def write_tables(tables: Mapping[str, pa.Table], paths: Mapping[str, Path]) -> None:
    """Write every table to its path, all or nothing, each stamped with the same new run id."""
    with TableFiles(paths) as files:
        for name, table in tables.items():
            files.write(name, table.schema, [table])
        files.commit()


def _fsync_dir(folders: set[Path]) -> None:
    """Make the renames durable: a rename lives in its folder's entry, flushed only by syncing the folder."""
    for folder in folders:
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def run_id_of(table: pa.Table | pa.Schema) -> str | None:
    """The id of the run that wrote a table read back from Parquet, or of its schema (None for a table written otherwise)."""
    schema = table if isinstance(table, pa.Schema) else table.schema
    value = (schema.metadata or {}).get(RUN_ID_KEY)
    return value.decode() if value else None


def staging_folder(out_dir: Path) -> Path:
    """Where this run stages its rows (``pipeline.staging``): a temporary folder of the output folder."""
    return out_dir / f".staging.{os.getpid()}{_TMP_SUFFIX}"


def remove_stale_temps(out_dir: Path) -> None:
    """Temporary files and staging folders left by a killed run."""
    for tmp in out_dir.glob(f"*.parquet.*{_TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
    for folder in out_dir.glob(f".staging.*{_TMP_SUFFIX}"):
        shutil.rmtree(folder, ignore_errors=True)
