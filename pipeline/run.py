"""One extraction run: raw folder in, Parquet tables out.

The only module that touches the file system for extraction (paths come
from ``pipeline.catalog``). It is incremental: a document whose bytes
(``doc_id``) and pipeline version are unchanged keeps its rows from the
previous tables and is not parsed again; a new or changed file is parsed; a
deleted file's rows disappear. When nothing changed at all, nothing is
written and the tables stay byte-identical.

Files are hashed before anything is decoded: only the new or changed ones
are read as text, and the previous tables are read beyond a few columns only
when some rows change, so a re-run that finds nothing to do costs little more than
hashing the raw folder. The per-document tables are never held whole, so
they do not make memory grow with the corpus: rows go to Arrow every
``ARROW_BATCH_DOCS`` documents and are staged on disk
(``pipeline.staging``); the tables are then written from the staged rows and
the previous tables merged in ``doc_id`` order, one row group at a time, and
the derived tables read back only the columns they need (``pipeline.derive``).

``pipeline_version`` includes a hash of the code and pattern files, so any
change to a rule re-extracts everything.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.catalog import INPUT_SUFFIXES, REFERENCE_DIR, ROOT, OutputCatalog
from pipeline.guard import DOC_TIMEOUT_SECONDS, guarded, is_internal, is_timeout, log_trace, rejected
from pipeline.inputs import InputFile, check_raw_folder, input_files, read_file
from pipeline.lock import DEFAULT_WAIT_SECONDS, locked
from pipeline.derive import corrections_changed, derive
from pipeline.records import ParsedDocument, SourceDocument
from pipeline.staging import PreviousTableError, Staging, batch_tables, kept_rows, merged, row_groups
from pipeline.write import DEFAULT_ROW_GROUP_ROWS, ROW_GROUP_ROWS, TableFiles, remove_stale_temps, run_id_of, staging_folder
from schemas import TABLES
from schemas.tables import CORRECTABLE, DERIVED_TABLES, corrected_schema

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What a run did, for the closing line and the exit code."""

    status: Counter = field(default_factory=Counter)
    facts: dict[str, int] = field(default_factory=dict)
    parsed: int = 0
    reused: int = 0
    written: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("ingest", "parse", "normalise", "write"), 0.0))
    rejected_by: Counter = field(default_factory=Counter)
    """Rejected documents by cause: ``bad input``, ``timeout``, ``internal error`` (a bug of ours, see the log)."""
    copies: int = 0
    """Documents that are near-duplicates of another one (``documents.same_as``): counted once in ``ok``."""

    def count(self, statuses: list[str], errors: list[str | None], same_as: list[str | None]) -> None:
        self.copies = sum(1 for s, copy in zip(statuses, same_as) if copy is not None and s != "rejected")
        self.status.update({"ok": 0, "not_cpts": 0, "rejected": 0})
        self.status.update(s for s, copy in zip(statuses, same_as) if copy is None or s == "rejected")
        self.rejected_by.update(
            "internal error" if is_internal(e) else "timeout" if is_timeout(e) else "bad input"
            for s, e in zip(statuses, errors)
            if s == "rejected"
        )

    def line(self) -> str:
        facts = ", ".join(f"{name} {n}" for name, n in self.facts.items() if name != "documents")
        causes = ", ".join(f"{cause} {self.rejected_by[cause]}" for cause in ("bad input", "timeout", "internal error"))
        return (
            f"documents ok {self.status['ok']} / not_cpts {self.status['not_cpts']} / rejected {self.status['rejected']}"
            f" ({causes}){f' (+{self.copies} copies of these)' if self.copies else ''}"
            f"; parsed {self.parsed}, reused {self.reused}; facts: {facts}; {self.seconds:.1f} s"
        )


_VERSIONED = (
    "pipeline/*.py",
    "pipeline/parse/**/*.py",
    "pipeline/normalise/**/*.py",
    "pipeline/formats/**/*.py",
    "pipeline/registry/**/*.py",
    "pipeline/patterns/*.jsonl",
    "schemas/tables.py",
    "raw/reference/*.parquet",
)
_UNVERSIONED = {
    "cli.py", "evaluate.py", "partition.py", "reference.py", "__main__.py", "explain.py", "export.py",
    "load.py", "distributed.py", "lock.py", "summary.py", "regex_cache.py",
}
"""Modules under ``pipeline/`` that shape no written row (the review page, the exports, the loaders)."""


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Package version plus a hash of every file that shapes the extracted rows.

    Code of the extraction stages, patterns, schemas and the commune
    reference count; the CLI, the report, the benchmark and the evaluator do
    not, so improving the review page does not re-extract everything.
    """
    digest = hashlib.sha256()
    files = sorted({p for pattern in _VERSIONED for p in ROOT.glob(pattern) if p.name not in _UNVERSIONED})
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


WRITTEN: dict[str, pa.Schema] = {
    **{name: corrected_schema(name) if name in CORRECTABLE else schema for name, schema in TABLES.items()},
    **DERIVED_TABLES,
}
"""What a run writes: the per-document tables (those corrections.csv may touch with the correction marks) and the
derived tables, rebuilt on every run that writes (``pipeline.registry.derived_tables``)."""

_DECIDING_COLUMNS = ["doc_id", "source_path", "duplicate_paths", "status", "error", "pipeline_version"]


def _previous_documents(catalog: OutputCatalog, version: str) -> pa.Table | None:
    """What the previous run extracted, if one complete run of this very pipeline version wrote every table.

    Only the tables' footers (schemas and run ids) and a few columns of
    ``documents`` are read: deciding that nothing changed must not load the
    texts and facts. Every table carries the id of the run that wrote it:
    tables of different runs (a run killed between two renames) are not
    reused, so the next run rewrites them all.
    """
    paths = {name: catalog.table(name) for name in WRITTEN}
    if not all(path.exists() for path in paths.values()):
        return None
    try:
        schemas = {name: pq.read_schema(path) for name, path in paths.items()}
        if any(schema != WRITTEN[name] for name, schema in schemas.items()):
            return None
        if len({run_id_of(schema) for schema in schemas.values()}) != 1:
            log.warning("tables in %s come from different runs: extracting everything again", catalog.out_dir)
            return None
        documents = pq.read_table(paths["documents"], columns=_DECIDING_COLUMNS)
    except (OSError, pa.ArrowInvalid) as exc:
        log.warning("previous tables unreadable (%s): extracting everything again", exc)
        return None
    return documents if set(documents.column("pipeline_version").to_pylist()) == {version} else None


def _previous_tables(catalog: OutputCatalog) -> dict[str, Path] | None:
    """The paths of the previous run's per-document tables when every footer reads (their rows are streamed back
    by ``pipeline.staging.kept_rows``), looked at only when some rows or corrections change; None otherwise."""
    paths = {name: catalog.table(name) for name in TABLES}
    try:
        for path in paths.values():
            pq.ParquetFile(path).close()
    except (OSError, pa.ArrowInvalid) as exc:
        log.warning("previous tables unreadable (%s): extracting everything again", exc)
        return None
    return paths


def _territory_resolver():
    from pipeline.normalise.cog import load_reference
    from pipeline.normalise.communes import resolve_territory

    return partial(resolve_territory, reference=load_reference(REFERENCE_DIR))


def _release_freed_arrow_memory() -> None:
    """Arrow allocates with the system allocator for the rest of the process.

    Arrow's default, mimalloc, keeps the pages it frees for reuse, so the main
    process kept the high-water mark of every table it staged, merged and
    joined, and its peak grew with the corpus (425 / 469 / 517 MB at 500 /
    1,000 / 2,000 documents); the system allocator gives large blocks back to
    the system as soon as they are freed.
    """
    pa.set_memory_pool(pa.system_memory_pool())


ARROW_BATCH_DOCS = 256
"""Documents whose rows are held as Python dicts before being converted to Arrow: dicts cost several
times the memory of the same rows in Arrow, so converting as we go keeps the run's memory flat."""


def _parse_and_normalise(
    files: list[InputFile], raw_dir: Path, summary: RunSummary, *, progress: bool, timeout: float | None
) -> Iterator[dict]:
    """Rows of every document, table by table, timing the stages.

    Files are read and decoded as the parser asks for them, so only the
    documents in flight are held. The parse workers start first and load
    spaCy while this process loads the commune reference. Reading, parsing
    and normalising run under ``pipeline.guard``: a bug or a timeout rejects
    its document only.
    """
    if not files:
        return
    from tqdm import tqdm

    from pipeline.normalise import normalise
    from pipeline.parse import default_processes, parse_documents

    now = datetime.now(UTC)
    version = pipeline_version()
    unread: list[SourceDocument] = []

    def read(file: InputFile) -> SourceDocument:
        with guarded("reading", seconds=timeout) as outcome:
            return read_file(file.path, raw_dir)
        log_trace(file.source_path, outcome.error, outcome.trace)
        fmt = INPUT_SUFFIXES[file.path.suffix.lower()]
        return SourceDocument(
            doc_id=file.doc_id, source_path=file.source_path, source_format=fmt, text="", status="rejected", error=outcome.error
        )

    def readable() -> Iterator[SourceDocument]:
        for file in files:
            start = time.perf_counter()
            source = replace(read(file), duplicate_paths=file.duplicate_paths)
            summary.stage_seconds["ingest"] += time.perf_counter() - start
            if source.status == "ok":
                yield source
            else:
                unread.append(source)

    def normalised(item: ParsedDocument) -> dict:
        with guarded("normalising") as outcome:
            return normalise(item, resolve_territory=resolver, version=version, now=now).tables
        log_trace(item.source.source_path, outcome.error, outcome.trace)
        failed = ParsedDocument(source=rejected(item.source, outcome.error))
        return normalise(failed, resolve_territory=resolver, version=version, now=now).tables

    parsed = parse_documents(readable(), n_process=default_processes(len(files)), timeout=timeout)
    resolver = _territory_resolver()
    bar = tqdm(total=len(files), desc="extract", unit="doc", disable=not progress)
    while True:
        start, ingest_before = time.perf_counter(), summary.stage_seconds["ingest"]
        item = next(parsed, None)
        summary.stage_seconds["parse"] += time.perf_counter() - start - (summary.stage_seconds["ingest"] - ingest_before)
        if item is None:
            break
        start = time.perf_counter()
        yield normalised(item)
        summary.stage_seconds["normalise"] += time.perf_counter() - start
        bar.update()
    for source in unread:
        yield normalise(ParsedDocument(source=source), resolve_territory=resolver, version=version, now=now).tables
        bar.update()
    bar.close()


def _staged_rows(
    files: list[InputFile], raw_dir: Path, summary: RunSummary, staging: Staging, *, progress: bool, timeout: float | None
) -> Staging:
    """The rows of ``files``, converted to Arrow and staged on disk every ``ARROW_BATCH_DOCS`` documents."""
    docs: list[dict[str, list[dict]]] = []
    for doc_tables in _parse_and_normalise(files, raw_dir, summary, progress=progress, timeout=timeout):
        docs.append(doc_tables)
        if len(docs) == ARROW_BATCH_DOCS:
            staging.add(batch_tables(docs))
            docs.clear()
    staging.add(batch_tables(docs))
    staging.close()
    return staging


def run_extract(
    raw_dir: Path,
    out_dir: Path,
    *,
    progress: bool = False,
    wait: float = DEFAULT_WAIT_SECONDS,
    timeout: float | None = DOC_TIMEOUT_SECONDS,
) -> RunSummary:
    """Extract every communiqué of ``raw_dir`` into the tables of ``out_dir``.

    Files are hashed first; only those whose ``doc_id`` the previous run did
    not extract are decoded and parsed. When nothing changed, the previous
    tables are not even read beyond the few columns that tell.

    ``raw_dir`` must be a folder with at least one file that can be opened,
    else ``RawFolderError`` and nothing is written: a typo in its name must
    not empty the tables. ``wait`` bounds the wait for another run on the
    same ``out_dir`` (``pipeline.lock.LockTimeout``); ``timeout`` is each
    document's budget for reading and for parsing.
    """
    started = time.perf_counter()
    _release_freed_arrow_memory()
    summary = RunSummary()
    catalog = OutputCatalog(out_dir)
    version = pipeline_version()
    check_raw_folder(raw_dir)  # before the output folder is touched
    with locked(catalog.out_dir, catalog.lock, wait=wait):
        remove_stale_temps(out_dir)
        start = time.perf_counter()
        files = input_files(raw_dir)
        summary.stage_seconds["ingest"] = time.perf_counter() - start

        documents = _previous_documents(catalog, version)
        known = set(documents.column("doc_id").to_pylist()) if documents is not None else set()
        fresh = [f for f in files if f.doc_id not in known]
        corrected_anew = corrections_changed(catalog.table("corrections"), raw_dir) if documents is not None else True
        if documents is not None and not fresh and _same_documents(documents, files) and not corrected_anew:
            statuses, errors = documents.column("status").to_pylist(), documents.column("error").to_pylist()
            same_as = pq.read_table(catalog.table("documents"), columns=["same_as"]).column("same_as").to_pylist()
            facts = {name: pq.read_metadata(catalog.table(name)).num_rows for name in WRITTEN}
        else:
            previous = _previous_tables(catalog) if documents is not None else None
            if previous is None:
                fresh = files
            try:
                facts, written = _extract_and_write(catalog, raw_dir, files, fresh, previous, summary, progress, timeout)
            except PreviousTableError as exc:
                log.warning("%s: extracting everything again", exc)
                fresh = files
                facts, written = _extract_and_write(catalog, raw_dir, files, fresh, None, summary, progress, timeout)
            summary.written = True
            statuses, errors = written.column("status").to_pylist(), written.column("error").to_pylist()
            same_as = written.column("same_as").to_pylist()
        summary.parsed, summary.reused = len(fresh), len(files) - len(fresh)

    summary.count(statuses, errors, same_as)
    summary.facts = facts
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_and_write(
    catalog: OutputCatalog,
    raw_dir: Path,
    files: list[InputFile],
    fresh: list[InputFile],
    previous: dict[str, Path] | None,
    summary: RunSummary,
    progress: bool,
    timeout: float | None,
) -> tuple[dict[str, int], pa.Table]:
    """Parse ``fresh``, merge its rows with the ``previous`` tables' kept rows and write every table (all or
    none); the fact counts and the written documents' status columns."""
    folder = staging_folder(catalog.out_dir)
    try:
        staging = Staging(folder, TABLES)
        _staged_rows(sorted(fresh, key=lambda f: f.doc_id), raw_dir, summary, staging, progress=progress, timeout=timeout)
        start = time.perf_counter()
        current = pa.array(sorted(f.doc_id for f in files), pa.string())

        def sources(name: str, columns: list[str] | None = None) -> list[Iterator[pa.Table]]:
            kept = [kept_rows(previous[name], name, current, files, columns)] if previous else []
            return [*kept, *(row_groups(path, columns) for path in staging.runs[name])]

        from pipeline.neardup import COLUMNS, copies_of  # datasketch imports scipy: ~1 s a no-op run need not pay

        copies = copies_of(
            chain.from_iterable(sources("documents", COLUMNS)), chain.from_iterable(sources("cpts", ["doc_id", "cpts_key"])),
            [*([previous["documents"]] if previous else []), *staging.runs["documents"]],
        )
        chunks = {name: merged(sources(name), ROW_GROUP_ROWS.get(name, DEFAULT_ROW_GROUP_ROWS)) for name in TABLES}
        chunks["documents"] = (_with_same_as(chunk, copies) for chunk in chunks["documents"])
        with TableFiles({name: catalog.table(name) for name in WRITTEN}) as table_files:
            facts = derive(table_files, chunks, raw_dir)
            written = pq.read_table(table_files.written("documents"), columns=["status", "error", "same_as"])
            table_files.commit()
        summary.stage_seconds["write"] = time.perf_counter() - start
        return facts, written
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _same_documents(documents: pa.Table, files: list[InputFile]) -> bool:
    """The previous documents table has exactly these documents under exactly these paths."""
    before = {
        (d, p, tuple(dup))
        for d, p, dup in zip(
            documents["doc_id"].to_pylist(), documents["source_path"].to_pylist(), documents["duplicate_paths"].to_pylist()
        )
    }
    return before == {(f.doc_id, f.source_path, f.duplicate_paths) for f in files}


def _with_same_as(documents: pa.Table, copies: dict[str, str]) -> pa.Table:
    """A chunk of ``documents`` with ``same_as`` filled (``pipeline.neardup.copies_of``)."""
    field = TABLES["documents"].field("same_as")
    values = pa.array([copies.get(doc_id) for doc_id in documents["doc_id"].to_pylist()], field.type)
    return documents.set_column(documents.schema.get_field_index("same_as"), field, values)
