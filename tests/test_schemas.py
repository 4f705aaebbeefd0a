"""The contract's tables and columns exist with their exact types, and the data dictionary is in sync."""

import re

import pyarrow as pa
import pytest

from pipeline.catalog import ROOT, SCHEMAS_README
from schemas import TABLES
from schemas.dictionary import render_dictionary
from schemas.grain import GRAINS

CONTRACT = ROOT / "docs" / "output-contract.md"
"""The client's contract, copied into the repository from shared/docs/."""

EXPECTED_TYPES = {
    ("documents", "published_on"): pa.date32(),
    ("documents", "extracted_at"): pa.timestamp("us", tz="UTC"),
    ("documents", "n_chars"): pa.int32(),
    ("cpts", "departement_codes"): pa.list_(pa.string()),
    ("cpts", "population_declared"): pa.int64(),
    ("cpts", "communes_declared"): pa.int32(),
    ("cpts", "signature_date"): pa.date32(),
    ("communes", "score"): pa.float32(),
    ("communes", "cog_year"): pa.int16(),
    ("fundings", "amount_eur"): pa.int64(),
    ("fundings", "period_years"): pa.int8(),
    ("fundings", "is_maximum"): pa.bool_(),
    ("headcounts", "count"): pa.int32(),
    ("missions", "char_start"): pa.int32(),
}


def test_dictionary_in_sync():
    assert SCHEMAS_README.read_text("utf-8") == render_dictionary(), "run `python -m pipeline schemas`"


@pytest.mark.parametrize("key,type_", EXPECTED_TYPES.items(), ids=[f"{t}.{c}" for t, c in EXPECTED_TYPES])
def test_contract_types(key, type_):
    table, column = key
    assert TABLES[table].field(column).type == type_


def test_every_contract_column_is_in_the_schema():
    text = CONTRACT.read_text("utf-8")
    for section in re.split(r"\n## ", text)[1:]:
        name = section.split()[0]
        if name not in TABLES:
            continue
        for row in re.findall(r"^\| ([a-z_, ]+) \|", section, flags=re.M):
            for column in (c.strip() for c in row.split(",")):
                if column and column != "column":
                    assert column in TABLES[name].names, f"{name}.{column}"


def test_every_table_states_its_grain_and_a_key_of_its_own_columns():
    assert set(GRAINS) == set(TABLES)
    for name, grain in GRAINS.items():
        assert set(grain.key) <= set(TABLES[name].names), name
        assert grain.grain and grain.joins, name


def test_the_contract_is_in_the_repository_and_linked():
    assert (ROOT / "docs" / "output-contract.md").exists()
    assert "](../docs/output-contract.md)" in SCHEMAS_README.read_text("utf-8")
