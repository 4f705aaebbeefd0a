"""The tables derived from a run's per-document tables: corrected tables, registry, coverage, corrections log.

``derived_tables`` is what a run calls after extraction, on every run, the
incremental cache included: it is a pure function of the per-document tables
(as extracted, or as a previous run wrote them with their corrections: those
are reverted first), the commune reference and the lines of corrections.csv.
So a correction added or removed since the last run takes effect even when no
document changed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

from pipeline.corrections import FINGERPRINT_KEY, Correction, apply_corrections, apply_to_tables
from pipeline.coverage import CommuneReference, build_coverage
from pipeline.registry.build import build_registry
from schemas.tables import DERIVED_TABLES, TABLES, corrected_schema


def derived_tables(tables: Mapping[str, pa.Table], reference: CommuneReference | None = None,
                   corrections: list[Correction] = (), fingerprint: str | None = None) -> dict[str, pa.Table]:
    """The corrected per-document tables (``corrected_schema``), ``registry``, ``coverage`` and ``corrections``.

    ``tables`` (Arrow tables, or pandas frames such as ``pipeline.load.tables``
    gives) needs at least documents, cpts, communes, dates and fundings;
    tables not in ``CORRECTABLE`` (documents, checks) are returned unchanged.
    ``reference`` (``pipeline.coverage.load_commune_reference``) gives the
    newest millésime's populations; without it they are null. ``fingerprint``
    (``corrections_fingerprint`` of the file the lines come from) is stamped on
    the ``corrections`` table, so the next run knows whether the file changed.
    """
    tables = {name: _as_arrow(name, table) for name, table in tables.items()}
    reference = reference or CommuneReference(None, {})
    corrections = list(corrections)
    corrected, log = apply_to_tables(tables, corrections)
    out = {**tables, **corrected}
    registry = build_registry(out, reference.population(), reference.year)
    registry, registry_log = apply_corrections("registry", registry, [c for c in corrections if c.table == "registry"])
    out["registry"] = registry
    out["coverage"] = build_coverage(registry, out["communes"], reference)
    rows = sorted(log + registry_log, key=lambda r: r["line"])
    log_table = pa.Table.from_pylist(rows, schema=DERIVED_TABLES["corrections"])
    if fingerprint is not None:
        log_table = log_table.replace_schema_metadata({FINGERPRINT_KEY: fingerprint.encode()})
    out["corrections"] = log_table
    return out


def _as_arrow(name: str, table: pa.Table | pd.DataFrame) -> pa.Table:
    """An Arrow table in the table's own schema; a pandas frame is converted."""
    if isinstance(table, pa.Table):
        return table
    if name in DERIVED_TABLES:
        schema = DERIVED_TABLES[name]
    elif name in TABLES:
        schema = corrected_schema(name) if "corrected" in table.columns else TABLES[name]
    else:
        schema = None
    return pa.Table.from_pandas(table, schema=schema, preserve_index=False)
