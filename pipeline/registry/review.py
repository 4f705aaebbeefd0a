"""What the review page shows of the derived tables: the registry, the coverage per département, the corrections.

The page itself (``pipeline.report``) renders these rows; this module only
chooses and orders them, so the page and a notebook show the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from pipeline.coverage import CommuneReference, summarise

_REGISTRY_COLUMNS = ("cpts_key", "cpts_name", "region_code", "departement_codes", "status", "signature_date",
                     "creation_date", "population_declared", "communes_declared", "members_declared",
                     "communes_resolved", "population_reference", "doc_ids", "fundings", "conflicts", "merge_reason",
                     "corrected")


def review_sections(derived: Mapping[str, pa.Table], reference: CommuneReference) -> dict[str, list[dict]]:
    """Rows of the page's three sections, from ``derived_tables``' output.

    - ``registry``: one dict per CPTS, sorted by région then name (no région last),
      with its sources (``doc_ids``), its ``conflicts`` (to highlight) and ``merge_reason``;
    - ``coverage``: one dict per département (``pipeline.coverage.summarise``);
    - ``corrections``: one dict per line of corrections.csv, in file order, with its status and message.
    """
    registry = derived["registry"].select(list(_REGISTRY_COLUMNS)).to_pylist()
    registry.sort(key=lambda r: (r["region_code"] is None, r["region_code"] or "", r["cpts_name"].casefold()))
    return {
        "registry": registry,
        "coverage": summarise(derived["coverage"], reference),
        "corrections": derived["corrections"].to_pylist(),
    }
