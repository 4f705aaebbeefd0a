"""The per-département coverage summary of an output folder (``python -m pipeline coverage``).

It lives with the registry because, when a run wrote no ``coverage.parquet``,
it derives the coverage from the per-document tables (``derived_tables``);
``pipeline.coverage`` builds and summarises the coverage and imports nothing
of the registry.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.catalog import OutputCatalog
from pipeline.coverage import load_commune_reference, render_summary, summarise
from pipeline.registry.derived import derived_tables


class CoverageError(ValueError):
    """The coverage summary cannot be made: no tables in the folder, or an unknown département."""


_NEEDED = ("documents", "cpts", "communes", "dates", "fundings")


def coverage_summary(out_dir: Path, departements: list[str] | None, reference_dir: Path) -> str:
    """The per-département summary of the tables in ``out_dir``, as text.

    Uses ``coverage.parquet`` when the run wrote one, else builds the coverage
    from the per-document tables.
    """
    catalog = OutputCatalog(out_dir)
    reference = load_commune_reference(reference_dir)
    if catalog.table("coverage").exists():
        coverage = pq.read_table(catalog.table("coverage"))
    else:
        missing = [name for name in _NEEDED if not catalog.table(name).exists()]
        if missing:
            raise CoverageError(f"no extracted tables in {out_dir} (missing {', '.join(missing)}): run `make extract` first")
        coverage = derived_tables({name: pq.read_table(catalog.table(name)) for name in _NEEDED}, reference)["coverage"]
    wanted = None
    if departements:
        known = {c.departement for c in reference.communes.values()}
        wanted = [d.upper().zfill(2) for d in departements]
        unknown = [d for d in wanted if d not in known]
        if unknown:
            raise CoverageError(f"unknown département(s) {', '.join(unknown)} in the {reference.year} reference")
    return render_summary(summarise(coverage, reference, wanted))
