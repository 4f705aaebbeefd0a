"""The ``territory`` table and the names of départements and régions.

``communes`` has one row per mention: a commune named twice, or named and
also reached through its intercommunalité, is two rows, so summing its
``population`` counts it twice. ``territory`` is the table an analyst sums:
one row per (doc_id, cpts_key, insee_code), territory communes resolved to a
code only, with the names of its département and région beside the codes.

Names come from the commune reference of the millésime used
(``raw/reference/departements.parquet`` and ``regions.parquet``), the
official spelling ("Auvergne-Rhône-Alpes"), so a dashboard never has to
join a lookup of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR
from pipeline.records import CommuneRow


@dataclass(frozen=True)
class PlaceNames:
    """Official names by code, for one millésime."""

    departements: dict[str, str]
    regions: dict[str, str]
    region_of: dict[str, str]
    """Région code of each département code."""

    def departement(self, code: str | None) -> str | None:
        return self.departements.get(code) if code else None

    def region(self, code: str | None) -> str | None:
        return self.regions.get(code) if code else None


@lru_cache(maxsize=16)
def place_names(year: int | None) -> PlaceNames:
    """The names of millésime ``year`` (the newest one when ``year`` is None or not in the reference)."""
    departements = pq.read_table(REFERENCE_DIR / "departements.parquet").to_pylist()
    regions = pq.read_table(REFERENCE_DIR / "regions.parquet").to_pylist()
    years = {row["year"] for row in departements}
    chosen = year if year in years else max(years)
    return PlaceNames(
        departements={r["code"]: r["nom"] for r in departements if r["year"] == chosen},
        regions={r["code"]: r["nom"] for r in regions if r["year"] == chosen},
        region_of={r["code"]: r["region"] for r in departements if r["year"] == chosen},
    )


def territory_rows(communes: Iterable[CommuneRow], names: PlaceNames) -> list[dict]:
    """One row per distinct territory commune resolved to a current INSEE code (without doc_id and cpts_key).

    ``population`` sums the distinct communes of the millésime merged into the
    code since (as ``cpts.population_reference`` does), so summing
    ``territory.population`` over a CPTS gives its ``population_reference``.
    """
    by_code: dict[str, list[CommuneRow]] = {}
    for row in communes:
        if row.role == "territory" and row.insee_code:
            by_code.setdefault(row.insee_code, []).append(row)
    out = []
    for code, rows in by_code.items():
        first = rows[0]
        of_year = {r.cog_code or r.insee_code: r.population for r in rows if r.population is not None}
        departement = first.departement_code
        region = names.region_of.get(departement) if departement else None
        out.append(
            {
                "insee_code": code,
                "commune_name": first.commune_name,
                "departement_code": departement,
                "departement_name": names.departement(departement),
                "region_code": region,
                "region_name": names.region(region),
                "population": sum(of_year.values()) if of_year else None,
                "methods": list(dict.fromkeys(r.method for r in rows)),
                "epci_siren": next((r.epci_siren for r in rows if r.epci_siren), None),
                "mentions": len(rows),
                "cog_year": first.cog_year,
            }
        )
    return out
