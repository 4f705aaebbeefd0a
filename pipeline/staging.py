"""Rows on disk while a run makes them, read back in ``doc_id`` order.

Holding every row of a corpus until the end made the main process's memory
grow with the corpus (the tables, then their sorted copies, then the derived
ones). Instead each batch of documents' rows is sorted by ``doc_id`` and
appended to a staging Parquet file of its table, in a folder of the output
folder that the run removes (a killed run's folder is removed by the next
one, ``pipeline.write.remove_stale_temps``). A batch whose first ``doc_id``
sorts before the previous batch's last one starts a new run file (the run
parses files in ``doc_id`` order, so only the unreadable files, rejected at
the end, usually do). ``merged`` reads the runs, and the previous tables
(written sorted), one row group at a time and yields the rows in ``doc_id``
order in chunks of a fixed number of rows: memory holds a row group per
source, whatever the size of the corpus.

A document's rows stay together and in the order they were made: a
``doc_id`` comes from one source only (files are deduplicated by content).
"""

from __future__ import annotations

import bisect
import heapq
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.guard import internal_error, log_trace
from pipeline.inputs import InputFile
from pipeline.write import to_table
from schemas import TABLES


class Staging:
    """The staged rows of one run, table by table, in sorted run files under ``folder``."""

    def __init__(self, folder: Path, schemas: dict[str, pa.Schema]) -> None:
        self.folder = folder
        self.schemas = schemas
        self.runs: dict[str, list[Path]] = {name: [] for name in schemas}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._last: dict[str, str] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, tables: dict[str, pa.Table]) -> None:
        """Stage one batch: each table's rows sorted by ``doc_id`` (stable: a document's rows keep their order)."""
        for name, table in tables.items():
            if not table.num_rows:
                continue
            table = table.take(pc.sort_indices(table, [("doc_id", "ascending")]))
            ids = table["doc_id"]
            if name not in self._writers or ids[0].as_py() < self._last[name]:
                self._new_run(name)
            self._writers[name].write_table(table)
            self._last[name] = ids[-1].as_py()

    def _new_run(self, name: str) -> None:
        if name in self._writers:
            self._writers[name].close()
        path = self.folder / f"{name}.{len(self.runs[name])}.parquet"
        self._writers[name] = pq.ParquetWriter(path, self.schemas[name], compression="lz4")
        self.runs[name].append(path)

    def close(self) -> None:
        """Finish the run files (before they are read)."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


class PreviousTableError(ValueError):
    """A previous table whose footer reads but whose rows do not (a damaged data page): the run extracts
    every document again rather than fail or keep rows it cannot read."""


def row_groups(path: Path, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """The row groups of a Parquet file, one at a time."""
    with pq.ParquetFile(path) as handle:
        for i in range(handle.num_row_groups):
            yield handle.read_row_group(i, columns=columns)


def merged(sources: Iterable[Iterable[pa.Table]], rows: int) -> Iterator[pa.Table]:
    """The rows of ``sources`` (each sorted by ``doc_id``) in ``doc_id`` order, in chunks of ``rows`` rows (the last
    one shorter): chunks do not depend on how the sources were cut, so neither do the row groups written from them."""
    pending: list[pa.Table] = []
    held = 0
    for piece in _stretches(sources):
        pending.append(piece)
        held += piece.num_rows
        if held >= rows:
            table = pa.concat_tables(pending)
            for offset in range(0, held - rows + 1, rows):
                yield table.slice(offset, rows).combine_chunks()
            rest = held % rows
            pending, held = ([table.slice(held - rest)] if rest else []), rest
    if held:
        yield pa.concat_tables(pending).combine_chunks()


def _stretches(sources: Iterable[Iterable[pa.Table]]) -> Iterator[pa.Table]:
    """Slices of the sources' chunks in ``doc_id`` order, each as long as its source stays before every other
    source's next ``doc_id``: adding five documents to 2,000 cuts the previous rows in a dozen slices, not one
    per document. A ``doc_id`` is in one source only; were it in two, the first source's rows would come first,
    and every slice holds at least one row, so the merge always ends."""
    heads: list[tuple[str, int, list[str], pa.Table, int, Iterator[pa.Table]]] = []

    def advance(index: int, chunks: Iterator[pa.Table]) -> None:
        for chunk in chunks:
            if chunk.num_rows:
                ids = chunk["doc_id"].to_pylist()
                heapq.heappush(heads, (ids[0], index, ids, chunk, 0, chunks))
                return

    for index, source in enumerate(sources):
        advance(index, iter(source))
    while heads:
        _, index, ids, chunk, start, chunks = heapq.heappop(heads)
        end = bisect.bisect_right(ids, heads[0][0], start) if heads else len(ids)
        yield chunk.slice(start, end - start)
        if end < len(ids):
            heapq.heappush(heads, (ids[end], index, ids, chunk, end, chunks))
        else:
            advance(index, chunks)


def kept_rows(
    path: Path, name: str, current: pa.Array, files: list[InputFile], columns: list[str] | None = None
) -> Iterator[pa.Table]:
    """The previous rows of documents still in the raw folder, as extracted (corrections undone), one row group at a
    time (in ``doc_id`` order, as they were written); ``columns`` only, when given."""
    from pipeline.corrections import revert_corrections

    for group in _readable_row_groups(path, columns):
        group = group.filter(pc.is_in(group["doc_id"], current))
        if columns is None:
            group = pa.Table.from_arrays(revert_corrections(group, TABLES[name]).columns, schema=TABLES[name])
            if name == "documents":
                group = _refresh_paths(group, files)
        yield group


def _readable_row_groups(path: Path, columns: list[str] | None) -> Iterator[pa.Table]:
    try:
        yield from row_groups(path, columns)
    except (OSError, pa.ArrowInvalid) as exc:
        raise PreviousTableError(f"previous table {path.name} is damaged ({exc})") from exc


def _refresh_paths(documents: pa.Table, files: list[InputFile]) -> pa.Table:
    """Reused documents rows get the paths the files have now (a file may have been renamed)."""
    by_id = {f.doc_id: f for f in files}
    ids = documents["doc_id"].to_pylist()
    paths = pa.array([by_id[i].source_path for i in ids], pa.string())
    dups = pa.array([list(by_id[i].duplicate_paths) for i in ids], pa.list_(pa.string()))
    documents = documents.set_column(documents.schema.get_field_index("source_path"), TABLES["documents"].field("source_path"), paths)
    return documents.set_column(documents.schema.get_field_index("duplicate_paths"), TABLES["documents"].field("duplicate_paths"), dups)


def batch_tables(docs: list[dict[str, list[dict]]]) -> dict[str, pa.Table]:
    """The rows of a batch of documents as Arrow tables, all at once.

    When a row does not fit its schema (a bug), each document is converted
    alone, and the documents whose rows fail are kept as ``rejected``
    documents rows ("internal error while building rows: ...").
    """
    try:
        return {name: to_table(name, [row for doc in docs for row in doc.get(name, ())]) for name in TABLES}
    except Exception:  # a bug in some document's rows: find it, keep the others
        pass
    kept = []
    for doc in docs:
        try:
            for name, rows in doc.items():
                to_table(name, rows)
            kept.append(doc)
        except Exception as exc:
            row = doc["documents"][0]
            error = internal_error("building rows", exc)
            log_trace(row["source_path"], error, traceback.format_exc())
            kept.append({"documents": [{**row, "status": "rejected", "error": error}]})
    return {name: to_table(name, [row for doc in kept for row in doc.get(name, ())]) for name in TABLES}
