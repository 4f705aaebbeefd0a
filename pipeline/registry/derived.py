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

import pyarrow as pa

from pipeline.corrections import FINGERPRINT_KEY, Correction, apply_corrections, apply_to_tables
from pipeline.coverage import CommuneReference, build_coverage
from pipeline.registry.build import build_registry
from schemas.tables import DERIVED_TABLES


def derived_tables(tables: Mapping[str, pa.Table], reference: CommuneReference | None = None,
                   corrections: list[Correction] = (), fingerprint: str | None = None) -> dict[str, pa.Table]:
    """The corrected per-document tables (``corrected_schema``), ``registry``, ``coverage`` and ``corrections``.

    ``tables`` needs at least documents, cpts, communes, dates and fundings;
    tables not in ``CORRECTABLE`` (documents, checks) are returned unchanged.
    ``reference`` (``pipeline.coverage.load_commune_reference``) gives the
    newest millésime's populations; without it they are null. ``fingerprint``
    (``corrections_fingerprint`` of the file the lines come from) is stamped on
    the ``corrections`` table, so the next run knows whether the file changed.
    """
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
