"""The data dictionary (``schemas/README.md``), generated from the Arrow schemas."""

from __future__ import annotations

from schemas.tables import TABLES

_HEADER = """# Data dictionary

Generated from `schemas/tables.py` by `python -m pipeline schemas`; a test fails when it is out of date.
Every table is `extracted/<table>.parquet`. Offsets (`char_start`, `char_end`) point into
`documents.text`, the normalised text.
"""


def render_dictionary() -> str:
    parts = [_HEADER]
    for name, schema in TABLES.items():
        parts.append(f"\n## {name}\n\n| column | type | nullable | meaning | values |\n|---|---|---|---|---|")
        for field in schema:
            meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
            values = meta.get("values", "").replace(",", ", ")
            parts.append(f"| {field.name} | {field.type} | {'yes' if field.nullable else 'no'} | {meta.get('meaning', '')} | {values} |")
    return "\n".join(parts) + "\n"
