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
import uuid
from collections.abc import Iterable, Mapping
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


def write_tables(tables: Mapping[str, pa.Table], paths: Mapping[str, Path]) -> None:
    """Write every table to its path, all or nothing, each stamped with the same new run id."""
    run_id = uuid.uuid4().hex
    temps = {}
    try:
        for name, table in tables.items():
            final = paths[name]
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(final.name + f".{os.getpid()}{_TMP_SUFFIX}")
            temps[name] = tmp
            stamped = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_ID_KEY: run_id.encode()})
            pq.write_table(stamped, tmp, compression="zstd", write_statistics=True)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        for name, tmp in temps.items():
            os.replace(tmp, paths[name])
        _fsync_dir({path.parent for path in paths.values()})
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


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


def remove_stale_temps(out_dir: Path) -> None:
    """Temporary files left by a killed run."""
    for tmp in out_dir.glob(f"*.parquet.*{_TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
