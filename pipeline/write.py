"""Write stage: Parquet tables with the explicit Arrow schemas of ``schemas/``.

Tables are written atomically: every table of a run goes to a temporary file
in the output folder, and only when all are complete are they moved over the
previous ones with ``os.replace`` (atomic on POSIX). A run killed at any
moment leaves the previous complete tables in place (at worst a stray
``.tmp`` file, removed by the next run).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import TABLES

_TMP_SUFFIX = ".tmp"


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
    """Write every table to its path, all or nothing."""
    temps = {}
    try:
        for name, table in tables.items():
            final = paths[name]
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(final.name + f".{os.getpid()}{_TMP_SUFFIX}")
            pq.write_table(table, tmp, compression="zstd", write_statistics=True)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            temps[name] = tmp
        for name, tmp in temps.items():
            os.replace(tmp, paths[name])
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def remove_stale_temps(out_dir: Path) -> None:
    """Temporary files left by a killed run."""
    for tmp in out_dir.glob(f"*.parquet.*{_TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
