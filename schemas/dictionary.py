"""The data dictionary (``schemas/README.md``), generated from the Arrow schemas and ``schemas/grain.py``."""

from __future__ import annotations

from schemas.grain import DERIVED_GRAINS, GRAINS
from schemas.tables import DERIVED_TABLES, TABLES

_HEADER = """# Data dictionary

Generated from `schemas/tables.py` and `schemas/grain.py` by `python -m pipeline schemas`; a test fails
when it is out of date. It implements the client's contract, [`docs/output-contract.md`](../docs/output-contract.md):
its tables and columns come first, with their exact names and types; the others are this project's additions.
Every table is `extracted/<table>.parquet`. Offsets (`char_start`, `char_end`) point into
`documents.text`, the normalised text. `pipeline.load.tables("extracted")` reads them all into typed pandas frames.
"""


def _table(name: str) -> list[str]:
    grain = {**GRAINS, **DERIVED_GRAINS}[name]
    lines = [
        f"\n## {name}\n",
        f"- **grain**: {grain.grain}",
        f"- **unique key**: ({', '.join(grain.key)})",
        *(f"- **joins**: {join}" for join in grain.joins),
    ]
    if grain.sums:
        lines.append(f"- **adding up**: {grain.sums}")
    lines.append("\n| column | type | nullable | meaning | values |\n|---|---|---|---|---|")
    for field in {**TABLES, **DERIVED_TABLES}[name]:
        meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
        values = meta.get("values", "").replace(",", ", ")
        lines.append(f"| {field.name} | {field.type} | {'yes' if field.nullable else 'no'} | {meta.get('meaning', '')} | {values} |")
    return lines


def render_dictionary() -> str:
    parts = [_HEADER]
    for name in TABLES:
        parts.extend(_table(name))
    parts.append("\n# Derived tables\n\nBuilt from the tables above on every run, corrections.csv applied "
                 "(`pipeline.registry.derived_tables`); the tables a correction may touch (cpts, communes, fundings, dates, "
                 "headcounts, missions, themes) then end with two more columns, `corrected` and `original_values`.")
    for name in DERIVED_TABLES:
        parts.extend(_table(name))
    return "\n".join(parts) + "\n"
