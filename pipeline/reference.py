"""Build the commune reference (Code officiel géographique) as compact Parquet.

Source: the npm package ``@etalab/decoupage-administratif`` (INSEE COG, DGCL
EPCI lists, INSEE legal populations), one package version per millésime as its
README maps them. ``npm pack`` fetches a version's tarball through the
ordinary npm client; only ``data/*.json`` is read.

The JSON fields differ between versions: before 2022 (packages < 2.0) communes
carry no ``zone`` nor ``siren`` and the overseas collectivities give
``collectiviteOutremer: {code, nom}`` instead of ``departement``; EPCI members carry no
populations in 0.7/0.8. The EPCI of a commune is therefore always taken from
``epci.json`` (its ``membres``), which every version has.

Written tables (one row per item and millésime, with a ``year`` column):
``communes.parquet``, ``departements.parquet``, ``regions.parquet``,
``epci.parquet``.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PACKAGE = "@etalab/decoupage-administratif"

VERSIONS: dict[int, str] = {
    2019: "0.7.0",
    2020: "0.8.0",
    2021: "1.1.1",
    2022: "2.3.1",
    2023: "3.1.1",
    2024: "4.1.0",
    2025: "5.3.0",
    2026: "6.0.0",
}
"""Millésime -> package version (the package README's table).

2020 has no commune list of its own: package 0.8.0 ships the 2020 EPCI and,
unchanged, the 2019 communes of 0.7.0. The 2019 communes are closer to the
2020 EPCI members (1 member code missing from them, 4 from the 2021 list), so
the 2020 communes are the 2019 communes with their 2020 EPCI.
"""

COMMUNES_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("code", pa.string()),
        ("nom", pa.string()),
        ("type", pa.string()),
        ("departement", pa.string()),
        ("region", pa.string()),
        ("population", pa.int64()),
        ("chef_lieu", pa.string()),
        ("anciens_codes", pa.list_(pa.string())),
        ("epci_siren", pa.string()),
        ("commune_parent", pa.string()),
    ]
)
"""``type`` is commune-actuelle, commune-deleguee, commune-associee or
arrondissement-municipal; ``chef_lieu`` is the commune a delegated/associated
commune belongs to; ``commune_parent`` the commune of a municipal arrondissement."""

DEPARTEMENTS_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("code", pa.string()),
        ("nom", pa.string()),
        ("region", pa.string()),
        ("chef_lieu", pa.string()),
        ("type_liaison", pa.int8()),
    ]
)
"""``type_liaison`` is the COG's article code: 0 "de" + consonant, 1 "d'",
2 "du" (le), 3 "de la", 4 "des" (les), 5 "de l'"."""

REGIONS_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("code", pa.string()),
        ("nom", pa.string()),
        ("chef_lieu", pa.string()),
        ("type_liaison", pa.int8()),
    ]
)

EPCI_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("siren", pa.string()),
        ("nom", pa.string()),
        ("type", pa.string()),
        ("population", pa.int64()),
        ("membres", pa.list_(pa.string())),
    ]
)
"""``type`` is CC, CA, CU, METRO or MET69; ``population`` the municipal
population; ``membres`` the INSEE codes of the member communes."""


class ReferenceBuildError(ValueError):
    """The npm package could not be fetched or does not hold the expected data."""


def build_reference(out_dir: Path, *, workdir: Path) -> list[Path]:
    """Fetch every millésime with ``npm pack`` in ``workdir`` and write the Parquet tables.

    Tarballs already in ``workdir`` are reused, so a rebuild costs no download.
    Returns the written paths.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {"communes": [], "departements": [], "regions": [], "epci": []}
    data = {year: _package_data(version, workdir) for year, version in VERSIONS.items()}
    for year, files in data.items():
        commune_source = data[2019] if year == 2020 else files
        rows["communes"] += _commune_rows(year, commune_source["communes"], files["epci"])
        rows["departements"] += [_departement_row(year, d) for d in commune_source["departements"]]
        rows["regions"] += [_region_row(year, r) for r in commune_source["regions"]]
        rows["epci"] += [_epci_row(year, e) for e in files["epci"]]
    schemas = {
        "communes": COMMUNES_SCHEMA,
        "departements": DEPARTEMENTS_SCHEMA,
        "regions": REGIONS_SCHEMA,
        "epci": EPCI_SCHEMA,
    }
    written = []
    for name, schema in schemas.items():
        path = out_dir / f"{name}.parquet"
        table = pa.Table.from_pylist(rows[name], schema=schema)
        pq.write_table(table, path, compression="zstd", compression_level=19)
        written.append(path)
    return written


def _package_data(version: str, workdir: Path) -> dict[str, list[dict]]:
    """The four JSON lists of one package version, packing it first if needed."""
    tarball = workdir / f"etalab-decoupage-administratif-{version}.tgz"
    if not tarball.exists():
        try:
            done = subprocess.run(
                ["npm", "pack", "--silent", f"{PACKAGE}@{version}"],
                cwd=workdir,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as error:
            raise ReferenceBuildError(f"cannot run npm: {error}") from error
        if done.returncode != 0 or not tarball.exists():
            raise ReferenceBuildError(f"npm pack {PACKAGE}@{version} failed: {done.stderr.strip()[-500:]}")
    out = {}
    with tarfile.open(tarball) as tar:
        for name in ("communes", "departements", "regions", "epci"):
            member = tar.extractfile(f"package/data/{name}.json")
            if member is None:
                raise ReferenceBuildError(f"{tarball.name} has no data/{name}.json")
            out[name] = json.load(member)
    return out


def _commune_rows(year: int, communes: list[dict], epcis: list[dict]) -> list[dict]:
    siren_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    return [
        {
            "year": year,
            "code": c["code"],
            "nom": c["nom"],
            "type": c["type"],
            "departement": c.get("departement") or (c.get("collectiviteOutremer") or {}).get("code"),
            "region": c.get("region"),
            "population": c.get("population"),
            "chef_lieu": c.get("chefLieu"),
            "anciens_codes": c.get("anciensCodes") or [],
            "epci_siren": siren_of.get(c["code"]) if c["type"] == "commune-actuelle" else None,
            "commune_parent": c.get("commune"),
        }
        for c in communes
    ]


def _departement_row(year: int, d: dict) -> dict:
    return {
        "year": year,
        "code": d["code"],
        "nom": d["nom"],
        "region": d.get("region"),
        "chef_lieu": d.get("chefLieu"),
        "type_liaison": d.get("typeLiaison"),
    }


def _region_row(year: int, r: dict) -> dict:
    return {
        "year": year,
        "code": r["code"],
        "nom": r["nom"],
        "chef_lieu": r.get("chefLieu"),
        "type_liaison": r.get("typeLiaison"),
    }


def _epci_row(year: int, e: dict) -> dict:
    return {
        "year": year,
        "siren": e["code"],
        "nom": e["nom"],
        "type": e["type"],
        "population": e.get("populationMunicipale"),
        "membres": [m["code"] for m in e["membres"]],
    }
