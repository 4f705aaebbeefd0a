"""Arrow schemas of the output tables: the code is the source of truth of the contract."""

from schemas.tables import TABLES, table_schema

__all__ = ["TABLES", "table_schema"]
