"""The run's last step: every table written, corrections applied, then the tables derived from all documents.

Registry, coverage and the corrections table are rebuilt from the rows on
every run that writes (the same steps as ``pipeline.registry.derived_tables``),
so they always agree with the per-document tables and with
``corrections.csv``; a run where nothing changed, corrections included, writes
nothing.

Memory does not grow with the corpus: a per-document table goes to disk chunk
by chunk, with its correction marks added on the way; only a table that
corrections.csv has lines for is held whole (a line must match exactly one
row of it). Registry and coverage read back, from the files just written, only
the columns they use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR
from pipeline.write import TableFiles
from schemas import TABLES
from schemas.tables import CORRECTABLE, DERIVED_TABLES, corrected_schema

log = logging.getLogger(__name__)

_REGISTRY_COLUMNS = {
    "documents": ["doc_id", "status", "published_on"],
    "cpts": ["doc_id", "cpts_key", "cpts_name", "departement_codes", "region_code", "signature_date",
             "population_declared", "population_qualifier", "communes_declared", "members_declared", "president"],
    "communes": ["doc_id", "cpts_key", "insee_code", "role", "method"],
    "dates": ["doc_id", "cpts_key", "date", "precision", "role"],
    "fundings": ["doc_id", "cpts_key", "amount_eur", "funder", "purpose", "period_years", "is_maximum", "conditional"],
}
"""The columns of the (corrected) per-document tables that ``build_registry`` and ``build_coverage`` read."""


def corrections_changed(corrections_table: Path, raw_dir: Path) -> bool:
    """corrections.csv differs from the one the previous run applied (added, edited or removed)."""
    from pipeline.corrections import CORRECTIONS_FILE, applied_fingerprint, corrections_fingerprint

    applied = applied_fingerprint(pq.read_schema(corrections_table))
    return applied != corrections_fingerprint(raw_dir / CORRECTIONS_FILE)


def derive(files: TableFiles, chunks: Mapping[str, Iterable[pa.Table]], raw_dir: Path) -> dict[str, int]:
    """Write the per-document tables (``chunks``: each table's rows in ``doc_id`` order) with corrections.csv applied,
    then registry, coverage and corrections; the rows of each table written.

    A corrections.csv that cannot be read at all (a column missing from its
    header) is logged and nothing is applied; the file is left as it is.
    """
    from pipeline.corrections import (
        CORRECTIONS_FILE, FINGERPRINT_KEY, CorrectionsError, apply_corrections, apply_to_tables, corrections_fingerprint,
        read_corrections,
    )
    from pipeline.coverage import build_coverage, load_commune_reference
    from pipeline.registry import build_registry

    path = raw_dir / CORRECTIONS_FILE
    try:
        lines = read_corrections(path)
    except CorrectionsError as exc:
        log.error("%s: no correction applied", exc)
        lines = []
    _, rows = apply_to_tables({}, lines)  # lines naming no table
    counts = {}
    for name, table_chunks in chunks.items():
        if name in CORRECTABLE:
            table_chunks, table_log = _corrected(name, table_chunks, [c for c in lines if c.table == name])
            rows += table_log
        counts[name] = files.write(name, corrected_schema(name) if name in CORRECTABLE else TABLES[name], table_chunks)
    tables = {name: pq.read_table(files.written(name), columns=columns) for name, columns in _REGISTRY_COLUMNS.items()}
    reference = load_commune_reference(REFERENCE_DIR)
    registry = build_registry(tables, reference.population(), reference.year)
    registry, registry_log = apply_corrections("registry", registry, [c for c in lines if c.table == "registry"])
    counts["registry"] = files.write("registry", DERIVED_TABLES["registry"], [registry])
    counts["coverage"] = files.write("coverage", DERIVED_TABLES["coverage"], [build_coverage(registry, tables["communes"], reference)])
    rows = sorted(rows + registry_log, key=lambda r: r["line"])
    schema = DERIVED_TABLES["corrections"].with_metadata({FINGERPRINT_KEY: corrections_fingerprint(path).encode()})
    counts["corrections"] = files.write("corrections", schema, [pa.Table.from_pylist(rows, schema=schema)])
    for row in rows:
        if row["status"] != "applied":
            log.warning("%s line %d not applied (%s): %s", CORRECTIONS_FILE, row["line"], row["status"], row["message"])
    return counts


def _corrected(name: str, chunks: Iterable[pa.Table], lines: list) -> tuple[Iterable[pa.Table], list[dict]]:
    """A table's chunks with the correction marks (``corrected_schema``); the whole table when lines correct it."""
    from pipeline.corrections import apply_corrections

    if lines:
        table = pa.concat_tables([TABLES[name].empty_table(), *chunks])
        table, rows = apply_corrections(name, table, lines)
        return [table], rows
    schema = corrected_schema(name)
    return (
        chunk.append_column(schema.field("corrected"), pa.array([False] * chunk.num_rows, pa.bool_()))
        .append_column(schema.field("original_values"), pa.nulls(chunk.num_rows, pa.string()))
        for chunk in chunks
    ), []
