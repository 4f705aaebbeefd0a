"""The run's last step before writing: corrections applied, then the tables derived from all documents.

Registry, coverage and the corrections table are rebuilt from the rows on
every run that writes (``pipeline.registry.derived_tables``), so they always
agree with the per-document tables and with ``corrections.csv``; a run where
nothing changed, corrections included, writes nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR

log = logging.getLogger(__name__)


def corrections_changed(corrections_table: Path, raw_dir: Path) -> bool:
    """corrections.csv differs from the one the previous run applied (added, edited or removed)."""
    from pipeline.corrections import CORRECTIONS_FILE, applied_fingerprint, corrections_fingerprint

    applied = applied_fingerprint(pq.read_schema(corrections_table))
    return applied != corrections_fingerprint(raw_dir / CORRECTIONS_FILE)


def derive(tables: dict[str, pa.Table], raw_dir: Path) -> dict[str, pa.Table]:
    """The tables with corrections.csv applied, plus registry, coverage and corrections (``WRITTEN``).

    A corrections.csv that cannot be read at all (a column missing from its
    header) is logged and nothing is applied; the file is left as it is.
    """
    from pipeline.corrections import CORRECTIONS_FILE, CorrectionsError, corrections_fingerprint, read_corrections
    from pipeline.coverage import load_commune_reference
    from pipeline.registry import derived_tables

    path = raw_dir / CORRECTIONS_FILE
    try:
        lines = read_corrections(path)
    except CorrectionsError as exc:
        log.error("%s: no correction applied", exc)
        lines = []
    derived = derived_tables(tables, load_commune_reference(REFERENCE_DIR), lines, corrections_fingerprint(path))
    for row in derived["corrections"].to_pylist():
        if row["status"] != "applied":
            log.warning("%s line %d not applied (%s): %s", CORRECTIONS_FILE, row["line"], row["status"], row["message"])
    return derived
