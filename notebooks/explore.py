# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the extracted CPTS tables
#
# A starting point for analysts: load the Parquet tables that `make extract`
# writes, with pandas and with DuckDB, join each CPTS to its territory
# communes and to the reference population of the INSEE commune list
# (`raw/reference/communes.parquet`), and draw one chart.
#
# Open it in Jupyter with jupytext (`jupytext --to notebook notebooks/explore.py`)
# or run it as a script: `.venv/bin/python notebooks/explore.py`. It reads
# `extracted/` unless the environment variable `CPTS_OUT` names another
# output folder, and writes its chart there as `explore_population.svg`.
#
# `pipeline.load.tables(OUT)` reads every table into typed frames: dates
# are `datetime64` (`.dt` works), nullable integers stay integers
# (`int32[pyarrow]` with `<NA>`, never `70.0`), lists stay lists. With plain
# pandas, `pd.read_parquet(path, dtype_backend="pyarrow")` keeps the types too.
#
# The chart is plain SVG drawn by `pipeline.report.bar_chart_svg` (the
# review page's own charts), so the notebook needs nothing beyond the
# project's dependencies: no matplotlib.

# %%
import os
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import load
from pipeline.catalog import OUT_DIR, REFERENCE_DIR
from pipeline.report import Series, bar_chart_svg

OUT = Path(os.environ.get("CPTS_OUT", OUT_DIR))
REFERENCE = REFERENCE_DIR / "communes.parquet"

# %% [markdown]
# ## The tables with pandas
#
# One Parquet file per table; `schemas/README.md` documents every column,
# each table's grain, its unique key and its joins.

# %%
tables = load.tables(OUT)
documents, cpts, communes, fundings = (tables[name] for name in ("documents", "cpts", "communes", "fundings"))
documents[["source_path", "status", "same_as", "title", "published_on"]]

# %%
cpts[["cpts_name", "region_name", "departement_names", "signature_date", "population_declared",
      "communes_declared", "communes_resolved", "members_declared"]]  # fmt: skip

# %% [markdown]
# Typed columns: CPTS signed per year, and members stay integers.

# %%
signed_per_year = cpts.groupby(cpts["signature_date"].dt.year).size()
assert str(cpts["members_declared"].dtype) == "int32[pyarrow]"
signed_per_year

# %% [markdown]
# Amounts per CPTS by `kind`. Amounts of different kinds describe the same
# money several ways (a yearly ceiling, a ceiling over five years): never add
# kinds together. `annual_eur` brings every amount whose period is known to
# euros per year; one per CPTS (its largest) is comparable across CPTS.

# %%
fundings.pivot_table(index=["cpts_key", "kind"], columns="funder", values="amount_eur", aggfunc="sum")

# %%
annual_per_cpts = fundings.groupby("cpts_key")["annual_eur"].max().dropna()
annual_per_cpts

# %% [markdown]
# The `territory` table has one row per territory commune (mentions merged),
# so its populations add up: they sum to `cpts.population_reference`.

# %%
territory_sums = tables["territory"].groupby(["doc_id", "cpts_key"])["population"].sum()
check = cpts.set_index(["doc_id", "cpts_key"])["population_reference"].dropna()
assert (territory_sums.reindex(check.index) == check).all()
territory_sums

# %% [markdown]
# ## CPTS → territory communes → reference population, with pandas
#
# The reference holds one row per commune and millésime (`year`); a code can
# also be a commune déléguée or associée of another row, so keep the
# `commune-actuelle` rows only. Each commune counts once per CPTS even when
# the communiqué names it twice.
#
# The pipeline's `insee_code` is the *current* code; `cog_code` is the code
# in the millésime the territory was resolved against (`cog_year`), and its
# `population_reference` sums the populations of that millésime, since a
# communiqué's own figure was computed from the populations of its year.
# The join computes both: at `cog_year` (by `cog_code`) and in the newest
# millésime (by `insee_code`).

# %%
reference = pd.read_parquet(REFERENCE, columns=["year", "code", "type", "population"], dtype_backend="pyarrow")
reference = reference[reference["type"] == "commune-actuelle"].drop(columns="type")
newest = reference.loc[reference["year"] == reference["year"].max(), ["code", "population"]]

territory = communes.loc[
    (communes["role"] == "territory") & communes["insee_code"].notna(),
    ["doc_id", "cpts_key", "insee_code", "cog_code", "cog_year"],
].drop_duplicates()
with_population = territory.merge(
    newest, left_on="insee_code", right_on="code", how="left", validate="many_to_one"
).drop(columns="code").merge(
    reference.rename(columns={"population": "population_at_cog_year"}),
    left_on=["cog_year", "cog_code"],
    right_on=["year", "code"],
    how="left",
    validate="many_to_one",
)


def _total(populations: pd.Series) -> float:
    """Sum that stays unknown (NaN) when no population is known, as SQL's sum() does."""
    return populations.sum(min_count=1)


by_cpts_pandas = (
    with_population.groupby(["doc_id", "cpts_key"], as_index=False)
    .agg(
        communes=("insee_code", "nunique"),
        reference_population=("population", _total),
        reference_population_at_cog_year=("population_at_cog_year", _total),
    )
    .merge(cpts[["doc_id", "cpts_key", "cpts_name", "population_declared"]], on=["doc_id", "cpts_key"], how="right")
    .fillna({"communes": 0})
    .sort_values(["cpts_name", "doc_id"], ignore_index=True)
)
by_cpts_pandas

# %% [markdown]
# ## The same join in SQL, with DuckDB
#
# DuckDB reads the Parquet files in place; the answer must be the pandas one.

# %%
by_cpts_duckdb = duckdb.sql(
    f"""
    WITH territory AS (
        SELECT DISTINCT doc_id, cpts_key, insee_code, cog_code, cog_year
        FROM read_parquet('{OUT / "communes.parquet"}')
        WHERE role = 'territory' AND insee_code IS NOT NULL
    ),
    reference AS (
        SELECT year, code, population
        FROM read_parquet('{REFERENCE}')
        WHERE type = 'commune-actuelle'
    ),
    newest AS (
        SELECT code, population FROM reference WHERE year = (SELECT max(year) FROM reference)
    ),
    by_cpts AS (
        SELECT t.doc_id, t.cpts_key,
               count(DISTINCT t.insee_code) AS communes,
               sum(n.population) AS reference_population,
               sum(r.population) AS reference_population_at_cog_year
        FROM territory t
        LEFT JOIN newest n ON n.code = t.insee_code
        LEFT JOIN reference r ON r.year = t.cog_year AND r.code = t.cog_code
        GROUP BY ALL
    )
    SELECT c.doc_id, c.cpts_key, coalesce(b.communes, 0) AS communes,
           b.reference_population, b.reference_population_at_cog_year,
           c.cpts_name, c.population_declared
    FROM read_parquet('{OUT / "cpts.parquet"}') c LEFT JOIN by_cpts b USING (doc_id, cpts_key)
    ORDER BY c.cpts_name, c.doc_id
    """
).df()
same_types = {
    "doc_id": "string",
    "cpts_key": "string",
    "cpts_name": "string",
    "communes": "int64",
    "reference_population": "float64",
    "reference_population_at_cog_year": "float64",
    "population_declared": "float64",
}
pd.testing.assert_frame_equal(by_cpts_duckdb.astype(same_types), by_cpts_pandas.astype(same_types))
by_cpts_duckdb

# %% [markdown]
# ## One chart: declared population vs the reference populations of the resolved communes
#
# A reference far below the declared figure usually means communes the
# resolver missed; far above, communes wrongly counted as territory.


# %%
class Svg(str):
    """An SVG string that Jupyter displays as a picture."""

    def _repr_svg_(self) -> str:
        return self


def _values(column: str) -> list[float | None]:
    return [None if pd.isna(x) else float(x) for x in by_cpts_duckdb[column]]


chart = Svg(
    bar_chart_svg(
        "Population per CPTS: declared vs reference (resolved communes)",
        list(by_cpts_duckdb["cpts_name"]),
        [
            Series("declared", "#5b8c5a", _values("population_declared")),
            Series("reference, millésime of the contract", "#c9a227", _values("reference_population_at_cog_year")),
            Series("reference, newest millésime", "#9c6ade", _values("reference_population")),
        ],
    )
)
(OUT / "explore_population.svg").write_text(chart, "utf-8")
chart

# %% [markdown]
# ## One row per CPTS: the registry, in DuckDB
#
# The registry merges the communiqués about the same CPTS (text, HTML and PDF
# versions, several names, several years) into one row; `conflicts` lists the
# fields on which they disagree, `merge_reason` why they were merged. A run
# that writes `registry.parquet` is read as is; otherwise it is built here
# from the per-document tables (see the README, "One row per CPTS").

# %%
import pyarrow.parquet as pq  # noqa: E402

from pipeline.coverage import load_commune_reference  # noqa: E402
from pipeline.registry import derived_tables  # noqa: E402

if (OUT / "registry.parquet").exists():
    registry = pq.read_table(OUT / "registry.parquet")
else:
    per_document = {name: pq.read_table(OUT / f"{name}.parquet") for name in ("documents", "cpts", "communes", "dates", "fundings")}
    registry = derived_tables(per_document, load_commune_reference(REFERENCE_DIR))["registry"]
registry_by_region = duckdb.sql(
    """
    select region_code, cpts_name, status, signature_date, population_declared, population_reference,
           communes_resolved, len(doc_ids) as documents, len(conflicts) as conflicts, merge_reason
    from registry
    order by region_code, cpts_name
    """
).df()
registry_by_region
