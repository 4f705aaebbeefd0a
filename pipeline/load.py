"""The output tables as typed pandas frames, in one call.

``pd.read_parquet`` with its defaults loses the types the Parquet files keep:
dates arrive as ``object`` (no ``.dt``), nullable integers as ``float64``
(70 members become 70.0, a missing figure NaN). ``tables`` keeps them:

- every column gets its Arrow type through ``pd.ArrowDtype``
  (``int32[pyarrow]`` with ``<NA>``, ``string[pyarrow]``, lists stay lists);
- ``date32`` columns become ``datetime64[s]`` (``NaT`` when unknown), so
  ``.dt``, comparisons with ``"2021-01-01"`` and resampling work as analysts
  expect;
- ``documents.extracted_at`` stays a UTC timestamp.

    >>> from pipeline import load
    >>> frames = load.tables("extracted")
    >>> frames["cpts"].signature_date.dt.year
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.catalog import OUT_DIR, OutputCatalog
from schemas import TABLES


class MissingTableError(FileNotFoundError):
    """A table asked for is not in the output folder: the extraction has not been run there."""


def _types(dtype: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """Arrow dtype for every column but timestamps, which pandas' own datetime64 handles better."""
    return None if pa.types.is_timestamp(dtype) else pd.ArrowDtype(dtype)


def frame(table: pa.Table) -> pd.DataFrame:
    """One Arrow table as a typed frame (dates as ``datetime64[s]``, everything else as Arrow dtypes)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_date32(field.type):
            table = table.set_column(i, field.with_type(pa.timestamp("s")), table.column(i).cast(pa.timestamp("s")))
    return table.to_pandas(types_mapper=_types)


def tables(out_dir: str | Path = OUT_DIR, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of ``out_dir`` (all of them, or ``names``) as typed frames, by table name."""
    catalog = OutputCatalog(Path(out_dir))
    wanted = list(names) if names is not None else list(TABLES)
    missing = [name for name in wanted if not catalog.table(name).exists()]
    if missing:
        raise MissingTableError(f"no {', '.join(missing)} table in {out_dir}: run `make extract` first")
    return {name: frame(pq.read_table(catalog.table(name))) for name in wanted}
