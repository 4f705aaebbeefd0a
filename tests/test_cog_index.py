"""The commune index's memos are bounded: a long run's look-ups give the same answers without growing memory."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.catalog import REFERENCE_DIR
from pipeline.normalise import cog_index
from pipeline.normalise.cog import Reference


def _names(count: int) -> list[str]:
    table = pq.ParquetFile(REFERENCE_DIR / "communes.parquet").read(columns=["year", "nom"])
    newest = table.filter(pc.equal(table["year"], pc.max(table["year"])))
    return sorted(set(newest["nom"].to_pylist()))[:count]


def test_row_memo_is_bounded_and_answers_do_not_change(monkeypatch):
    names = _names(400)
    unbounded = Reference(REFERENCE_DIR)
    expected = [(unbounded.lookup(name, 2021), unbounded.lookup(name, unbounded.newest)) for name in names]

    monkeypatch.setattr(cog_index, "ROW_CACHE", 64)
    bounded = Reference(REFERENCE_DIR)
    found = [(bounded.lookup(name, 2021), bounded.lookup(name, bounded.newest)) for name in names]

    assert found == expected
    assert len(unbounded._communes._cache) > 300  # the names' rows were all kept, so the bound below is a real one
    assert len(bounded._communes._cache) < 64 + 50  # dropped once full: at most one look-up's rows beyond the bound
    assert len(bounded._shared) <= len(bounded._communes._cache)
    remembered = [sum(memo.cache_info().currsize for memo in ref._communes.memos) for ref in (unbounded, bounded)]
    assert remembered[0] >= len(names) > remembered[1]  # the look-ups that held the dropped rows went with them
