"""One row per CPTS across every communiqué of a run: merge rule, consolidated values, derived tables."""

from pipeline.registry.build import build_registry
from pipeline.registry.derived import derived_tables

__all__ = ["build_registry", "derived_tables"]
