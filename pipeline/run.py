"""One extraction run: raw folder in, Parquet tables out.

The only module that touches the file system for extraction (paths come
from ``pipeline.catalog``). It is incremental: a document whose bytes
(``doc_id``) and pipeline version are unchanged keeps its rows from the
previous tables and is not parsed again; a new or changed file is parsed; a
deleted file's rows disappear. When nothing changed at all, nothing is
written and the tables stay byte-identical.

Files are hashed before anything is decoded: only the new or changed ones
are read as text, and the previous tables are read in full only when some
rows change, so a re-run that finds nothing to do costs little more than
hashing the raw folder. Rows go to Arrow every ``ARROW_BATCH_DOCS``
documents, so memory does not grow with the run.

``pipeline_version`` includes a hash of the code and pattern files, so any
change to a rule re-extracts everything.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import stat
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.catalog import INPUT_SUFFIXES, REFERENCE_DIR, ROOT, OutputCatalog
from pipeline.ingest import MAX_INPUT_BYTES, doc_id, ingest, too_large
from pipeline.records import DocId, ParsedDocument, SourceDocument
from pipeline.write import remove_stale_temps, run_id_of, to_table, write_tables
from schemas import TABLES

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

    def line(self) -> str:
        facts = ", ".join(f"{name} {n}" for name, n in self.facts.items() if name != "documents")
        return (
            f"documents ok {self.status['ok']} / not_cpts {self.status['not_cpts']} / rejected {self.status['rejected']}"
            f" (parsed {self.parsed}, reused {self.reused}); facts: {facts}; {self.seconds:.1f} s"
        )


_VERSIONED = (
    "pipeline/*.py",
    "pipeline/parse/*.py",
    "pipeline/normalise/*.py",
    "pipeline/formats/*.py",
    "pipeline/patterns/*.jsonl",
    "schemas/tables.py",
    "raw/reference/*.parquet",
)
_UNVERSIONED = {"cli.py", "report.py", "bench.py", "evaluate.py", "partition.py", "reference.py", "__main__.py"}


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


def discover(raw_dir: Path) -> list[Path]:
    """Input files under ``raw_dir`` (recursively, not following directory links; the reference folder excluded).

    Links to files are listed (a dangling link or a link loop becomes a rejected
    document when read); a folder that cannot be listed is logged and skipped.
    """
    found = []

    def unlistable(exc: OSError) -> None:
        log.warning("cannot list %s: %s", exc.filename, exc.strerror)

    for folder, dirs, files in os.walk(raw_dir, onerror=unlistable, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(folder, d) != REFERENCE_DIR)
        found.extend(Path(folder, f) for f in files if Path(f).suffix.lower() in INPUT_SUFFIXES and not f.startswith("."))
    return sorted(found)


@dataclass(frozen=True)
class _File:
    """An input file known by its ``doc_id``, not yet decoded: only the files not extracted before are."""

    path: Path
    source_path: str
    doc_id: DocId
    duplicate_paths: tuple[str, ...] = ()


def _load(path: Path, raw_dir: Path) -> tuple[str, bytes | None, str | None]:
    """(source_path, raw bytes, why the file was not read); a file is read only when it can be.

    ``stat`` comes first: a FIFO would block the read and a huge file would be
    loaded whole.
    """
    rel = path.relative_to(raw_dir).as_posix()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return rel, None, "not a regular file (a FIFO, socket or device)"
        if info.st_size > MAX_INPUT_BYTES:
            return rel, None, too_large(info.st_size)
        with path.open("rb") as handle:
            return rel, handle.read(MAX_INPUT_BYTES + 1), None
    except OSError as exc:
        return rel, None, f"unreadable file: {exc.strerror or exc.__class__.__name__}"


def _unreadable_id(rel: str) -> DocId:
    """A file not read has no bytes to hash: its ``doc_id`` is the hash of ``unreadable:<path>``, stable across runs."""
    return DocId(hashlib.sha256(f"unreadable:{rel}".encode()).hexdigest()[:16])


def _identify(path: Path, raw_dir: Path) -> _File:
    """Hash one file's bytes (its ``doc_id``) without decoding them; the bytes are not kept."""
    rel, raw, _ = _load(path, raw_dir)
    return _File(path=path, source_path=rel, doc_id=_unreadable_id(rel) if raw is None else doc_id(raw))


def _read(path: Path, raw_dir: Path) -> SourceDocument:
    """Ingest one file; an unreadable, special or oversized one becomes a ``rejected`` document."""
    rel, raw, reason = _load(path, raw_dir)
    fmt = INPUT_SUFFIXES[path.suffix.lower()]
    if raw is None:
        return SourceDocument(
            doc_id=_unreadable_id(rel), source_path=rel, source_format=fmt, text="", status="rejected", error=reason
        )
    return ingest(raw, source_path=rel, source_format=fmt)


def _dedupe(files: list[_File]) -> list[_File]:
    """One document per distinct content; the other paths are recorded on it."""
    by_id: dict[str, _File] = {}
    for file in files:
        first = by_id.get(file.doc_id)
        if first is None:
            by_id[file.doc_id] = file
        else:
            by_id[file.doc_id] = replace(first, duplicate_paths=(*first.duplicate_paths, file.source_path))
    return list(by_id.values())


_DECIDING_COLUMNS = ["doc_id", "source_path", "duplicate_paths", "status", "pipeline_version"]


def _previous_documents(catalog: OutputCatalog, version: str) -> pa.Table | None:
    """What the previous run extracted, if one complete run of this very pipeline version wrote every table.

    Only the tables' footers (schemas and run ids) and a few columns of
    ``documents`` are read: deciding that nothing changed must not load the
    texts and facts. Every table carries the id of the run that wrote it:
    tables of different runs (a run killed between two renames) are not
    reused, so the next run rewrites them all.
    """
    paths = {name: catalog.table(name) for name in TABLES}
    if not all(path.exists() for path in paths.values()):
        return None
    try:
        schemas = {name: pq.read_schema(path) for name, path in paths.items()}
        if any(schema != TABLES[name] for name, schema in schemas.items()):
            return None
        if len({run_id_of(schema) for schema in schemas.values()}) != 1:
            log.warning("tables in %s come from different runs: extracting everything again", catalog.out_dir)
            return None
        documents = pq.read_table(paths["documents"], columns=_DECIDING_COLUMNS)
    except (OSError, pa.ArrowInvalid) as exc:
        log.warning("previous tables unreadable (%s): extracting everything again", exc)
        return None
    return documents if set(documents.column("pipeline_version").to_pylist()) == {version} else None


def _previous_tables(catalog: OutputCatalog) -> dict[str, pa.Table] | None:
    """The previous run's tables in full, read only when some rows change; None when they cannot be read."""
    try:
        return {name: pq.read_table(catalog.table(name)) for name in TABLES}
    except (OSError, pa.ArrowInvalid) as exc:
        log.warning("previous tables unreadable (%s): extracting everything again", exc)
        return None


@contextmanager
def _locked(catalog: OutputCatalog) -> Iterator[None]:
    """One run at a time per output folder: a second run waits for the first to finish.

    The lock is an ``flock`` on ``<out>/.lock``, released by the kernel when
    its holder exits, even when killed: no stale lock to clean up. The file
    holds the holder's process id, for the waiting run's message.
    """
    catalog.out_dir.mkdir(parents=True, exist_ok=True)
    with open(catalog.lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            log.warning(
                "another extraction (process %s) is writing to %s: waiting for it to finish", holder, catalog.out_dir
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def _territory_resolver():
    from pipeline.normalise.cog import load_reference
    from pipeline.normalise.communes import resolve_territory

    return partial(resolve_territory, reference=load_reference(REFERENCE_DIR))


ARROW_BATCH_DOCS = 256
"""Documents whose rows are held as Python dicts before being converted to Arrow: dicts cost several
times the memory of the same rows in Arrow, so converting as we go keeps the run's memory flat."""


def _parse_and_normalise(files: list[_File], raw_dir: Path, summary: RunSummary, *, progress: bool) -> Iterator[dict]:
    """Rows of every document, table by table, timing the stages.

    Files are read and decoded as the parser asks for them, so only the
    documents in flight are held. The parse workers start first and load
    spaCy while this process loads the commune reference.
    """
    if not files:
        return
    from tqdm import tqdm

    from pipeline.normalise import normalise
    from pipeline.parse import default_processes, parse_documents

    now = datetime.now(UTC)
    version = pipeline_version()
    rejected: list[SourceDocument] = []

    def readable() -> Iterator[SourceDocument]:
        for file in files:
            start = time.perf_counter()
            source = replace(_read(file.path, raw_dir), duplicate_paths=file.duplicate_paths)
            summary.stage_seconds["ingest"] += time.perf_counter() - start
            if source.status == "ok":
                yield source
            else:
                rejected.append(source)

    parsed = parse_documents(readable(), n_process=default_processes(len(files)))
    resolver = _territory_resolver()
    bar = tqdm(total=len(files), desc="extract", unit="doc", disable=not progress)
    while True:
        start, ingest_before = time.perf_counter(), summary.stage_seconds["ingest"]
        item = next(parsed, None)
        summary.stage_seconds["parse"] += time.perf_counter() - start - (summary.stage_seconds["ingest"] - ingest_before)
        if item is None:
            break
        start = time.perf_counter()
        yield normalise(item, resolve_territory=resolver, version=version, now=now).tables
        summary.stage_seconds["normalise"] += time.perf_counter() - start
        bar.update()
    for source in rejected:
        yield normalise(ParsedDocument(source=source), resolve_territory=resolver, version=version, now=now).tables
        bar.update()
    bar.close()


def _new_tables(files: list[_File], raw_dir: Path, summary: RunSummary, *, progress: bool) -> dict[str, pa.Table]:
    """The rows of ``files``, converted to Arrow every ``ARROW_BATCH_DOCS`` documents."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    batches: dict[str, list[pa.Table]] = {name: [] for name in TABLES}

    def flush() -> None:
        for name in TABLES:
            batches[name].append(to_table(name, rows[name]))
            rows[name].clear()

    for n, doc_tables in enumerate(_parse_and_normalise(files, raw_dir, summary, progress=progress), start=1):
        for name, table_rows in doc_tables.items():
            rows[name].extend(table_rows)
        if n % ARROW_BATCH_DOCS == 0:
            flush()
    flush()
    return {name: pa.concat_tables(batches[name]) for name in TABLES}


def run_extract(raw_dir: Path, out_dir: Path, *, progress: bool = False) -> RunSummary:
    """Extract every communiqué of ``raw_dir`` into the tables of ``out_dir``.

    Files are hashed first; only those whose ``doc_id`` the previous run did
    not extract are decoded and parsed. When nothing changed, the previous
    tables are not even read beyond the few columns that tell.
    """
    started = time.perf_counter()
    summary = RunSummary()
    catalog = OutputCatalog(out_dir)
    version = pipeline_version()
    with _locked(catalog):
        remove_stale_temps(out_dir)
        start = time.perf_counter()
        files = _dedupe([_identify(path, raw_dir) for path in discover(raw_dir)])
        summary.stage_seconds["ingest"] = time.perf_counter() - start

        documents = _previous_documents(catalog, version)
        known = set(documents.column("doc_id").to_pylist()) if documents is not None else set()
        fresh = [f for f in files if f.doc_id not in known]
        if documents is not None and not fresh and _same_documents(documents, files):
            statuses = documents.column("status").to_pylist()
            facts = {name: pq.read_metadata(catalog.table(name)).num_rows for name in TABLES}
        else:
            previous = _previous_tables(catalog) if documents is not None else None
            if previous is None:
                fresh = files
            tables = _new_tables(fresh, raw_dir, summary, progress=progress)
            start = time.perf_counter()
            current_ids = pa.array([f.doc_id for f in files], pa.string())
            for name in TABLES:
                new = tables[name]
                if previous is not None:
                    kept = previous[name].filter(pc.is_in(previous[name]["doc_id"], current_ids))
                    if name == "documents":
                        kept = _refresh_paths(kept, files)
                    new = pa.concat_tables([kept, new])
                tables[name] = new.take(pc.sort_indices(new, [("doc_id", "ascending")]))
            write_tables(tables, {name: catalog.table(name) for name in TABLES})
            summary.written = True
            summary.stage_seconds["write"] = time.perf_counter() - start
            statuses = tables["documents"].column("status").to_pylist()
            facts = {name: table.num_rows for name, table in tables.items()}
        summary.parsed, summary.reused = len(fresh), len(files) - len(fresh)

    summary.status.update({"ok": 0, "not_cpts": 0, "rejected": 0, **Counter(statuses)})
    summary.facts = facts
    summary.seconds = time.perf_counter() - started
    return summary


def _same_documents(documents: pa.Table, files: list[_File]) -> bool:
    """The previous documents table has exactly these documents under exactly these paths."""
    before = {
        (d, p, tuple(dup))
        for d, p, dup in zip(
            documents["doc_id"].to_pylist(), documents["source_path"].to_pylist(), documents["duplicate_paths"].to_pylist()
        )
    }
    return before == {(f.doc_id, f.source_path, f.duplicate_paths) for f in files}


def _refresh_paths(documents: pa.Table, files: list[_File]) -> pa.Table:
    """Reused documents rows get the paths the files have now (a file may have been renamed)."""
    by_id = {f.doc_id: f for f in files}
    ids = documents["doc_id"].to_pylist()
    paths = pa.array([by_id[i].source_path for i in ids], pa.string())
    dups = pa.array([list(by_id[i].duplicate_paths) for i in ids], pa.list_(pa.string()))
    documents = documents.set_column(documents.schema.get_field_index("source_path"), TABLES["documents"].field("source_path"), paths)
    return documents.set_column(documents.schema.get_field_index("duplicate_paths"), TABLES["documents"].field("duplicate_paths"), dups)
