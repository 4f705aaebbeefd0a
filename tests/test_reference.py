"""The built COG reference under raw/reference, and the builder on a fake package."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline import reference
from pipeline.reference import (
    COMMUNES_SCHEMA,
    DEPARTEMENTS_SCHEMA,
    EPCI_SCHEMA,
    REGIONS_SCHEMA,
    VERSIONS,
    build_reference,
)

REF_DIR = Path(__file__).resolve().parents[1] / "raw" / "reference"
TABLES = {
    "communes": COMMUNES_SCHEMA,
    "departements": DEPARTEMENTS_SCHEMA,
    "regions": REGIONS_SCHEMA,
    "epci": EPCI_SCHEMA,
}


@pytest.mark.parametrize("name", list(TABLES))
def test_table_exists_with_schema_and_every_year(name):
    table = pq.read_table(REF_DIR / f"{name}.parquet")
    assert table.schema.names == TABLES[name].names
    assert sorted(set(table["year"].to_pylist())) == sorted(VERSIONS)


def test_reference_is_small():
    assert sum(p.stat().st_size for p in REF_DIR.glob("*.parquet")) < 5_000_000


def _commune(year: int, code: str) -> list[dict]:
    table = pq.read_table(REF_DIR / "communes.parquet")
    mask = pc.and_(pc.equal(table["year"], year), pc.equal(table["code"], code))
    return table.filter(mask).to_pylist()


@pytest.mark.parametrize(
    ("year", "code", "nom", "departement", "epci"),
    [
        (2026, "42218", "Saint-Étienne", "42", "244200770"),
        (2021, "69032", "Bully", "69", "246900625"),
        (2019, "2A004", "Ajaccio", "2A", "242010056"),
        (2020, "63285", "Pontgibaud", "63", "200071215"),
    ],
    ids=["saint-etienne-2026", "bully-rhone-2021", "ajaccio-corse-2019", "pontgibaud-2020-epci"],
)
def test_known_communes(year, code, nom, departement, epci):
    (row,) = [r for r in _commune(year, code) if r["type"] == "commune-actuelle"]
    assert (row["nom"], row["departement"], row["epci_siren"]) == (nom, departement, epci)
    assert row["population"] > 0


def test_2020_communes_are_the_2019_list():
    table = pq.read_table(REF_DIR / "communes.parquet", columns=["year", "code"])
    codes = {y: sorted(table.filter(pc.equal(table["year"], y))["code"].to_pylist()) for y in (2019, 2020)}
    assert codes[2019] == codes[2020]


def test_delegated_commune_points_to_its_commune_nouvelle():
    (row,) = [r for r in _commune(2026, "74011") if r["type"] == "commune-deleguee"]
    assert (row["nom"], row["chef_lieu"]) == ("Annecy-le-Vieux", "74010")


def test_epci_members():
    table = pq.read_table(REF_DIR / "epci.parquet")
    mask = pc.and_(pc.equal(table["year"], 2021), pc.equal(table["siren"], "200035731"))
    (row,) = table.filter(mask).to_pylist()
    assert row["type"] == "CA" and "42187" in row["membres"] and len(row["membres"]) == 40


def _fake_package(path: Path, *, old_format: bool) -> None:
    """A tarball shaped like ``npm pack`` output, in the old (< 2.0) or new field layout."""
    overseas = {"collectiviteOutremer": {"code": "975", "nom": "Saint-Pierre-et-Miquelon"}}
    communes = [
        {"code": "01001", "nom": "Alpha", "type": "commune-actuelle", "departement": "01", "region": "84",
         "population": 10, "anciensCodes": ["01999"]},
        {"code": "01999", "nom": "Beta", "type": "commune-deleguee", "chefLieu": "01001",
         "departement": "01", "region": "84"},
        {"code": "97501", "nom": "Miquelon-Langlade", "type": "commune-actuelle", "population": 5,
         **(overseas if old_format else {"departement": "975", "region": "COM"})},
    ]
    if not old_format:
        communes[0]["siren"] = "200000001"
    data = {
        "communes": communes,
        "departements": [{"code": "01", "nom": "Ain", "region": "84", "chefLieu": "01053", "typeLiaison": 5}],
        "regions": [{"code": "84", "nom": "Auvergne-Rhône-Alpes", "chefLieu": "69123", "typeLiaison": 1}],
        "epci": [{"code": "200000001", "nom": "CC Test", "type": "CC", "populationMunicipale": 10,
                  "membres": [{"code": "01001", "siren": "210100012", "nom": "Alpha"}]}],
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, content in data.items():
            raw = json.dumps(content).encode()
            info = tarfile.TarInfo(f"package/data/{name}.json")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))


def test_build_reference_from_packed_tarballs(tmp_path, monkeypatch):
    versions = {2019: "0.7.0", 2020: "0.8.0", 2026: "6.0.0"}
    monkeypatch.setattr(reference, "VERSIONS", versions)
    for version in versions.values():
        _fake_package(tmp_path / f"etalab-decoupage-administratif-{version}.tgz", old_format=version < "2")
    written = build_reference(tmp_path / "out", workdir=tmp_path)
    assert [p.name for p in written] == [f"{n}.parquet" for n in TABLES]
    rows = pq.read_table(tmp_path / "out" / "communes.parquet").to_pylist()
    assert {r["year"] for r in rows} == {2019, 2020, 2026}
    miquelon = [r for r in rows if r["code"] == "97501"]
    assert {r["departement"] for r in miquelon} == {"975"}
    alpha = [r for r in rows if r["code"] == "01001"]
    assert {r["epci_siren"] for r in alpha} == {"200000001"}
    assert all(r["anciens_codes"] == ["01999"] for r in alpha)
    beta = [r for r in rows if r["code"] == "01999"]
    assert {(r["chef_lieu"], r["epci_siren"]) for r in beta} == {("01001", None)}


def test_build_reference_reports_a_failed_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(reference, "VERSIONS", {2026: "0.0.0-does-not-exist"})
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(reference.ReferenceBuildError):
        build_reference(tmp_path / "out", workdir=tmp_path)
