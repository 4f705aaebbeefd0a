"""The registry, coverage and corrections sections of the review page (issue 13).

``pipeline.registry.review.review_sections`` chooses and orders the rows; this
module only reads them from an output folder and turns them into cells.
When the run wrote ``registry.parquet``, ``coverage.parquet`` and
``corrections.parquet``, they are used as they are (corrections included);
otherwise they are derived here from the per-document tables, without
corrections, as ``python -m pipeline coverage`` does.

A field on which the communiqués of one CPTS disagree (``conflicts``) is
coloured, with the values in its tooltip.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR, OutputCatalog
from pipeline.normalise.territory import place_names
from pipeline.report.labels import day, label, number
from pipeline.report.summary import Cell
from schemas import TABLES

DERIVED = ("registry", "coverage", "corrections")

REGISTRY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("region_code", "Région", "text"),
    ("departement_codes", "Département(s)", "text"),
    ("status", "Statut", "text"),
    ("signature_date", "Signature", "text"),
    ("creation_date", "Création", "text"),
    ("population_declared", "Population déclarée", "num"),
    ("communes_declared", "Communes déclarées", "num"),
    ("members_declared", "Adhérents", "num"),
    ("communes_resolved", "Communes résolues", "num"),
    ("population_reference", "Population de référence", "num"),
    ("doc_ids", "Communiqués", "num"),
    ("merge_reason", "Regroupement", "text"),
)
"""Registry columns after the name: (column, French header, sort type)."""

_STATUS = {"project": "en projet", "created": "créée", "signed": "signée", "renewed": "renouvelée"}


def review_sections(out_dir: Path) -> dict[str, list[dict]]:
    """The rows of the three sections for the tables of ``out_dir``."""
    from pipeline.coverage import load_commune_reference
    from pipeline.registry import derived_tables
    from pipeline.registry.review import review_sections as choose

    catalog = OutputCatalog(out_dir)
    reference = load_commune_reference(REFERENCE_DIR)
    if all(catalog.table(name).exists() for name in DERIVED):
        derived = {name: pq.read_table(catalog.table(name)) for name in DERIVED}
    else:
        derived = derived_tables({name: pq.read_table(catalog.table(name)) for name in TABLES}, reference)
    return choose(derived, reference)


def _cell(row: dict, column: str) -> Cell:
    value = row.get(column)
    names = place_names(None)
    if column == "region_code":
        name = names.region(value)
        return Cell(f"{name} ({value})" if name else value or "—", name or value)
    if column == "departement_codes":
        shown = ", ".join(f"{names.departement(d) or d} ({d})" for d in value or [])
        return Cell(shown or "—", ",".join(value or []))
    if column == "doc_ids":
        return Cell(str(len(value or [])), len(value or []))
    if column == "status":
        return Cell(_STATUS.get(value, value or "—"), value)
    if column.endswith("_date"):
        return Cell(day(value), day(value) if value else None)
    if isinstance(value, int):
        return Cell(number(value), value)
    return Cell(value or "—", value)


def registry_rows(rows: list[dict]) -> list[dict]:
    """Cells of each registry row; conflicting fields coloured, their values in the tooltip."""
    out = []
    for row in rows:
        conflicts = {c["field"]: c for c in row.get("conflicts") or []}
        cells = {}
        for column, _, _ in REGISTRY_COLUMNS:
            cell = _cell(row, column)
            if column in conflicts:
                values = " / ".join(v if v is not None else "—" for v in conflicts[column]["values"])
                cell.css, cell.tip = "conflict", f"les communiqués divergent : {values}"
            cells[column] = cell
        out.append({"name": row["cpts_name"], "key": row["cpts_key"], "doc_ids": row.get("doc_ids") or [],
                    "corrected": row.get("corrected"), "cells": cells})  # fmt: skip
    return out


def coverage_rows(rows: list[dict]) -> list[dict]:
    """One line per département: communes (and population) covered once or more, twice or more, not at all."""
    return [
        {
            "departement": r["departement_code"],
            **{k: f"{number(r[k])} ({number(r[f'{k}_population'])} hab.)" for k in ("communes", "covered", "covered_twice", "not_covered")},
        }
        for r in rows
    ]


def correction_rows(rows: list[dict]) -> list[dict]:
    """The lines of corrections.csv with what became of each."""
    return [
        {"line": r["line"], "where": r.get("doc_id") or r.get("cpts_key") or "—", "table": r["table"],
         "field": label("field", r["field"]), "value": r["value"], "status": r["status"], "message": r.get("message") or ""}
        for r in rows
    ]  # fmt: skip
