"""The registry: one row per CPTS across communiqués, merged by key, acronym, or close names on one territory.

Synthetic tables (invented CPTS, places and figures) test the rules one by
one; the last tests run a real extraction of the shipped raw/ folder, whose
text, HTML and PDF versions of one communiqué must give one row each.
"""

from __future__ import annotations

import shutil
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.catalog import RAW_DIR, REFERENCE_DIR
from pipeline.corrections import CORRECTIONS_FILE, read_corrections
from pipeline.coverage import load_commune_reference
from pipeline.registry import build_registry, derived_tables
from pipeline.registry.merge import acronyms
from pipeline.run import run_extract
from schemas import TABLES
from schemas.tables import DERIVED_TABLES


def _table(name: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=TABLES[name])


def make_tables(docs: list[dict], cpts: list[dict], communes: list[dict] = (), fundings: list[dict] = (),
                dates: list[dict] = ()) -> dict[str, pa.Table]:
    """Tables with only the columns the registry reads filled; the rest are null."""
    return {
        "documents": _table("documents", [{"status": "ok", **d} for d in docs]),
        "cpts": _table("cpts", [{"departement_codes": [], "cpts_name": f"CPTS {c['cpts_key']}", **c} for c in cpts]),
        "communes": _table("communes", [{"role": "territory", "method": "exact", **c} for c in communes]),
        "fundings": _table("fundings", [{"period_years": None, "is_maximum": False, "conditional": False, **f} for f in fundings]),
        "dates": _table("dates", list(dates)),
    }


def territory(doc_id: str, key: str, codes) -> list[dict]:
    return [{"doc_id": doc_id, "cpts_key": key, "insee_code": code} for code in codes]


def rows(tables) -> dict[str, dict]:
    return {r["cpts_key"]: r for r in build_registry(tables).to_pylist()}


CODES = [f"79{n:03d}" for n in range(1, 21)]


def test_acronym_and_long_form_are_one_cpts():
    tables = make_tables(
        [{"doc_id": "d1", "published_on": date(2021, 5, 3)}, {"doc_id": "d2", "published_on": date(2023, 1, 9)}],
        [{"doc_id": "d1", "cpts_key": "val-de-sevre-et-marais", "cpts_name": "CPTS du Val de Sèvre et Marais",
          "departement_codes": ["79"]},
         {"doc_id": "d2", "cpts_key": "vsm", "cpts_name": "CPTS VSM", "departement_codes": ["79"]}],
    )
    registry = rows(tables)
    assert list(registry) == ["val-de-sevre-et-marais"]
    row = registry["val-de-sevre-et-marais"]
    assert row["doc_ids"] == ["d1", "d2"]
    assert "vsm" in row["aliases"] and "CPTS VSM" in row["aliases"]
    assert "acronym: vsm is the initials of val-de-sevre-et-marais" in row["merge_reason"]


def test_acronym_of_two_long_names_merges_neither():
    tables = make_tables(
        [{"doc_id": d} for d in ("d1", "d2", "d3")],
        [{"doc_id": "d1", "cpts_key": "pays-de-bray", "departement_codes": ["76"]},
         {"doc_id": "d2", "cpts_key": "plateau-de-brie", "departement_codes": ["76"]},
         {"doc_id": "d3", "cpts_key": "pb", "cpts_name": "CPTS PB", "departement_codes": ["76"]}],
    )
    assert sorted(rows(tables)) == ["pays-de-bray", "pb", "plateau-de-brie"]


def test_acronym_in_another_departement_stays_apart():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}],
        [{"doc_id": "d1", "cpts_key": "grand-ouest-vendeen", "departement_codes": ["85"]},
         {"doc_id": "d2", "cpts_key": "gov", "cpts_name": "CPTS GOV", "departement_codes": ["13"]}],
    )
    assert sorted(rows(tables)) == ["gov", "grand-ouest-vendeen"]


def test_a_short_plain_word_is_no_acronym():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}],
        [{"doc_id": "d1", "cpts_key": "sud", "cpts_name": "CPTS Sud", "departement_codes": ["71"]},
         {"doc_id": "d2", "cpts_key": "saone-urbaine-doubs", "departement_codes": ["71"]}],
    )
    assert sorted(rows(tables)) == ["saone-urbaine-doubs", "sud"]


@pytest.mark.parametrize("key,expected", [
    ("val-de-sevre-et-marais", {"vsm", "vdsem"}),
    ("pays-d-aubagne-et-de-l-etoile", {"pae", "pdaedle"}),
    ("roannais", set()),
], ids=["small-words-skipped", "apostrophes", "one-word-has-none"])
def test_acronyms(key, expected):
    assert acronyms(key) == expected


def test_renamed_cpts_with_the_same_territory_is_one_row():
    tables = make_tables(
        [{"doc_id": "old", "published_on": date(2020, 6, 1)}, {"doc_id": "new", "published_on": date(2024, 2, 1)}],
        [{"doc_id": "old", "cpts_key": "pays-mellois", "cpts_name": "CPTS du Pays Mellois", "departement_codes": ["79"]},
         {"doc_id": "new", "cpts_key": "pays-mellois-et-haut-val-de-sevre",
          "cpts_name": "CPTS Pays Mellois et Haut Val de Sèvre", "departement_codes": ["79"]}],
        territory("old", "pays-mellois", CODES[:18]) + territory("new", "pays-mellois-et-haut-val-de-sevre", CODES[:20]),
    )
    registry = rows(tables)
    assert len(registry) == 1
    (row,) = registry.values()
    assert row["communes_resolved"] == 20 and row["insee_codes"] == CODES
    assert "same territory (Jaccard 0.90)" in row["merge_reason"]


def test_close_names_on_different_territories_stay_apart():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}],
        [{"doc_id": "d1", "cpts_key": "pays-mellois", "departement_codes": ["79"]},
         {"doc_id": "d2", "cpts_key": "pays-mellois-sud", "departement_codes": ["79"]}],
        territory("d1", "pays-mellois", CODES[:10]) + territory("d2", "pays-mellois-sud", CODES[8:20]),
    )
    assert sorted(rows(tables)) == ["pays-mellois", "pays-mellois-sud"]


def test_different_names_on_one_territory_stay_apart():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}],
        [{"doc_id": "d1", "cpts_key": "haut-bocage", "departement_codes": ["79"]},
         {"doc_id": "d2", "cpts_key": "gatine-nord", "departement_codes": ["79"]}],
        territory("d1", "haut-bocage", CODES) + territory("d2", "gatine-nord", CODES),
    )
    assert sorted(rows(tables)) == ["gatine-nord", "haut-bocage"]


def test_homonyms_in_two_departements_are_two_rows():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}, {"doc_id": "d3"}],
        [{"doc_id": "d1", "cpts_key": "val-d-allier", "departement_codes": ["03"]},
         {"doc_id": "d2", "cpts_key": "val-d-allier", "departement_codes": ["63"]},
         {"doc_id": "d3", "cpts_key": "val-d-allier", "departement_codes": ["63"]}],
    )
    registry = rows(tables)
    assert sorted(registry) == ["val-d-allier--03", "val-d-allier--63"]
    assert registry["val-d-allier--63"]["doc_ids"] == ["d2", "d3"]
    assert "homonym" in registry["val-d-allier--03"]["merge_reason"]


def test_same_key_without_departement_joins_the_only_cpts_of_that_name():
    tables = make_tables(
        [{"doc_id": "d1"}, {"doc_id": "d2"}],
        [{"doc_id": "d1", "cpts_key": "marches-du-velay", "departement_codes": ["43"]},
         {"doc_id": "d2", "cpts_key": "marches-du-velay", "departement_codes": []}],
    )
    assert rows(tables)["marches-du-velay"]["doc_ids"] == ["d1", "d2"]


def test_communique_about_three_cpts_next_to_one_about_one_of_them():
    keys = ("nord-ardeche", "centre-ardeche", "sud-ardeche")
    tables = make_tables(
        [{"doc_id": "three", "published_on": date(2022, 4, 1)}, {"doc_id": "one", "published_on": date(2023, 4, 1)}],
        [{"doc_id": "three", "cpts_key": k, "departement_codes": ["07"]} for k in keys]
        + [{"doc_id": "one", "cpts_key": "centre-ardeche", "departement_codes": ["07"], "members_declared": 64}],
        # the shared introduction lists one territory for all three: the communiqué still says they are three
        [c for k in keys for c in territory("three", k, [f"07{n:03d}" for n in range(1, 11)])],
    )
    registry = rows(tables)
    assert sorted(registry) == sorted(keys)
    assert registry["centre-ardeche"]["doc_ids"] == ["one", "three"]
    assert registry["centre-ardeche"]["members_declared"] == 64
    assert registry["nord-ardeche"]["doc_ids"] == ["three"]


def test_not_ok_documents_are_left_out():
    tables = make_tables([{"doc_id": "d1", "status": "not_cpts"}], [{"doc_id": "d1", "cpts_key": "x-y"}])
    assert build_registry(tables).num_rows == 0


def _two_documents(first: dict, second: dict, **more) -> dict[str, pa.Table]:
    return make_tables(
        [{"doc_id": "d2021", "published_on": date(2021, 3, 1)}, {"doc_id": "d2023", "published_on": date(2023, 3, 1)}],
        [{"doc_id": "d2021", "cpts_key": "lys-et-deule", "departement_codes": ["59"], **first},
         {"doc_id": "d2023", "cpts_key": "lys-et-deule", "departement_codes": ["59"], **second}],
        **more,
    )


def test_most_recent_value_and_conflict_beyond_tolerance():
    row = rows(_two_documents({"population_declared": 70000}, {"population_declared": 73500}))["lys-et-deule"]
    assert row["population_declared"] == 73500 and row["population_declared_doc_id"] == "d2023"
    assert row["conflicts"] == [{"field": "population_declared", "values": ["73500", "70000"], "doc_ids": ["d2023", "d2021"]}]


def test_populations_within_tolerance_do_not_conflict():
    row = rows(_two_documents({"population_declared": 70000}, {"population_declared": 70800}))["lys-et-deule"]
    assert row["conflicts"] == [] and row["population_declared"] == 70800


def test_a_value_stated_once_is_kept_with_its_document():
    row = rows(_two_documents({"members_declared": 85}, {}))["lys-et-deule"]
    assert (row["members_declared"], row["members_declared_doc_id"]) == (85, "d2021")
    assert row["communes_declared"] is None and row["communes_declared_doc_id"] is None


def test_regions_that_disagree_give_null_and_a_conflict():
    row = rows(_two_documents({"region_code": "32"}, {"region_code": "28"}))["lys-et-deule"]
    assert row["region_code"] is None and row["conflicts"][0]["field"] == "region_code"


def _funding(doc_id: str, amount: int, purpose: str, funder: str = "assurance_maladie", **more) -> dict:
    return {"doc_id": doc_id, "cpts_key": "lys-et-deule", "amount_eur": amount, "funder": funder, "purpose": purpose, **more}


def test_the_same_payment_quoted_twice_counts_once():
    tables = _two_documents({}, {}, fundings=[
        _funding("d2021", 116250, "signature_payment"), _funding("d2023", 116250, "signature_payment"),
        _funding("d2021", 15000, "health_project", "ars"), _funding("d2023", 20000, "health_project", "ars"),
    ])
    totals = {(f["funder"], f["purpose"]): f for f in rows(tables)["lys-et-deule"]["fundings"]}
    assert totals[("assurance_maladie", "signature_payment")]["amount_eur"] == 116250
    assert totals[("assurance_maladie", "signature_payment")]["payments"] == 1
    assert totals[("assurance_maladie", "signature_payment")]["doc_ids"] == ["d2021", "d2023"]
    assert totals[("ars", "health_project")]["amount_eur"] == 35000
    assert totals[("ars", "health_project")]["payments"] == 2


def _date(doc_id: str, role: str, when: date | None, precision: str = "day") -> dict:
    return {"doc_id": doc_id, "cpts_key": "lys-et-deule", "role": role, "date": when, "precision": precision}


@pytest.mark.parametrize("first,second,dates,fundings,expected", [
    ({"signature_date": date(2020, 10, 5)}, {"signature_date": date(2025, 11, 3)}, [], [], "renewed"),
    ({"signature_date": date(2020, 10, 5)}, {}, [], [], "signed"),
    ({}, {}, [_date("d2021", "signature", None, "no_year")], [], "signed"),
    ({}, {}, [_date("d2021", "creation", date(2019, 9, 1), "month")], [], "created"),
    ({}, {}, [], [_funding("d2021", 15000, "health_project", "ars")], "project"),
    ({}, {}, [_date("d2021", "publication", date(2021, 3, 1))], [], None),
], ids=["renewed-five-years-later", "signed", "signed-without-year", "created", "project-grant-only", "nothing-said"])
def test_status(first, second, dates, fundings, expected):
    row = rows(_two_documents(first, second, dates=dates, fundings=fundings))["lys-et-deule"]
    assert row["status"] == expected


def test_an_older_date_near_signe_is_no_renewal():
    dates = [_date("d2023", "signature", date(2019, 8, 24))]  # e.g. the national agreement "signé en août 2019"
    row = rows(_two_documents({}, {"signature_date": date(2023, 6, 12)}, dates=dates))["lys-et-deule"]
    assert (row["status"], row["signature_date"]) == ("signed", date(2023, 6, 12))


def test_renewal_is_not_a_conflict_and_keeps_the_latest_signature():
    row = rows(_two_documents({"signature_date": date(2020, 10, 5)}, {"signature_date": date(2025, 11, 3)}))["lys-et-deule"]
    assert row["signature_date"] == date(2025, 11, 3) and row["conflicts"] == []


def test_signature_days_that_disagree_are_a_conflict():
    row = rows(_two_documents({"signature_date": date(2021, 2, 9)}, {"signature_date": date(2021, 2, 11)}))["lys-et-deule"]
    assert row["signature_date"] == date(2021, 2, 11)
    assert row["conflicts"][0]["field"] == "signature_date"


def test_creation_dates_agree_at_the_coarser_precision():
    dates = [_date("d2021", "creation", date(2019, 9, 1), "month"), _date("d2023", "creation", date(2019, 9, 17))]
    row = rows(_two_documents({}, {}, dates=dates))["lys-et-deule"]
    assert (row["creation_date"], row["creation_precision"], row["conflicts"]) == (date(2019, 9, 17), "day", [])


def test_creation_dates_in_different_years_conflict():
    dates = [_date("d2021", "creation", date(2018, 1, 1), "year"), _date("d2023", "creation", date(2019, 9, 17))]
    row = rows(_two_documents({}, {}, dates=dates))["lys-et-deule"]
    assert row["creation_date"] == date(2019, 9, 17)
    assert row["conflicts"] == [{"field": "creation_date", "values": ["2019-09-17 (day)", "2018-01-01 (year)"],
                                 "doc_ids": ["d2023", "d2021"]}]


def test_registry_schema():
    assert build_registry(make_tables([], [])).schema == DERIVED_TABLES["registry"]


# --- a real extraction of the shipped raw/ folder -------------------------------------------------------------


CORRECTIONS = "doc_id,cpts_key,table,field,char_start,value,comment\n,vallee-du-gier,registry,members_declared,,104,checked with the CPTS\n"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, pa.Table]:
    """The shipped communiqués (text, HTML, PDF) extracted from a copy of raw/ that also holds a corrections.csv."""
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("registry-extract")
    for path in RAW_DIR.rglob("*"):
        if path.is_file() and REFERENCE_DIR not in path.parents:
            (raw / path.relative_to(RAW_DIR)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, raw / path.relative_to(RAW_DIR))
    (raw / CORRECTIONS_FILE).write_text(CORRECTIONS, "utf-8")
    run_extract(raw, out)
    return {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}


@pytest.fixture(scope="module")
def derived(shipped):
    return derived_tables(shipped, load_commune_reference(REFERENCE_DIR))


def test_shipped_raw_gives_five_cpts(derived, shipped):
    registry = derived["registry"].to_pylist()
    assert shipped["cpts"].num_rows == 7  # the HTML and PDF versions repeat two communiqués
    assert [r["cpts_key"] for r in registry] == [
        "coeur-de-savoie", "haute-combraille-et-volcans", "monts-du-lyonnais", "roannais-defi-sante", "vallee-du-gier"]
    by_key = {r["cpts_key"]: r for r in registry}
    assert len(by_key["monts-du-lyonnais"]["doc_ids"]) == 2 and len(by_key["coeur-de-savoie"]["doc_ids"]) == 2
    assert all(r["conflicts"] == [] for r in registry)
    signature = {(f["funder"], f["purpose"]): f for f in by_key["monts-du-lyonnais"]["fundings"]}
    assert signature[("assurance_maladie", "signature_payment")]["amount_eur"] == 116250
    assert signature[("assurance_maladie", "signature_payment")]["payments"] == 1


def test_shipped_coverage_rows_belong_to_registry_rows(derived):
    keys = set(derived["registry"]["cpts_key"].to_pylist())
    coverage = derived["coverage"].to_pylist()
    assert {r["cpts_key"] for r in coverage} <= keys
    assert len({(r["insee_code"], r["cpts_key"]) for r in coverage}) == len(coverage)
    assert sum(r["communes_resolved"] for r in derived["registry"].to_pylist()) == len(coverage)


def test_derived_tables_are_stable_when_fed_back(derived):
    again = derived_tables(derived, load_commune_reference(REFERENCE_DIR))
    for name in ("registry", "coverage", "cpts", "fundings"):
        assert again[name].equals(derived[name]), name


def test_pandas_frames_work_too(shipped, derived):
    frames = {name: table.to_pandas() for name, table in shipped.items()}
    again = derived_tables(frames, load_commune_reference(REFERENCE_DIR))
    assert again["registry"].equals(derived["registry"])


def test_corrections_csv_is_not_read_as_a_communique(shipped):
    assert CORRECTIONS_FILE not in shipped["documents"]["source_path"].to_pylist()
    assert shipped["documents"].num_rows == 7


def test_corrections_of_the_raw_folder_reach_the_registry(shipped, tmp_path):
    (tmp_path / CORRECTIONS_FILE).write_text(CORRECTIONS, "utf-8")
    lines = read_corrections(tmp_path / CORRECTIONS_FILE)
    registry = {r["cpts_key"]: r for r in derived_tables(shipped, corrections=lines)["registry"].to_pylist()}
    assert (registry["vallee-du-gier"]["members_declared"], registry["vallee-du-gier"]["corrected"]) == (104, True)


def test_derived_keys_are_unique_on_a_real_extraction(derived):
    from schemas.grain import DERIVED_GRAINS

    for name in ("registry", "coverage"):
        rows = derived[name].select(list(DERIVED_GRAINS[name].key)).to_pylist()
        assert len({tuple(r.values()) for r in rows}) == len(rows), name


def test_review_sections(derived):
    from pipeline.registry.review import review_sections

    sections = review_sections(derived, load_commune_reference(REFERENCE_DIR))
    assert [r["cpts_name"] for r in sections["registry"]][:2] == ["CPTS Coeur de Savoie", "CPTS de Haute-Combraille et Volcans"]
    assert {r["departement_code"] for r in sections["coverage"]} == {"42", "69", "73"}
    assert sections["corrections"] == []


def test_an_empty_run_gives_empty_derived_tables():
    out = derived_tables({name: schema.empty_table() for name, schema in TABLES.items()})
    assert {name: out[name].num_rows for name in DERIVED_TABLES} == {"registry": 0, "coverage": 0, "corrections": 0}
    assert all(out[name].schema == schema for name, schema in DERIVED_TABLES.items())
