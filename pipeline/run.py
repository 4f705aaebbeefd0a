"""One extraction run: raw folder in, Parquet tables out.

The only module that touches the file system for extraction (paths come
from ``pipeline.catalog``). It is incremental: a document whose bytes
(``doc_id``) and pipeline version are unchanged keeps its rows from the
previous tables and is not parsed again; a new or changed file is parsed; a
deleted file's rows disappear. When nothing changed at all, nothing is
written and the tables stay byte-identical.

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
from pipeline.ingest import MAX_INPUT_BYTES, ingest, too_large
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


def _read(path: Path, raw_dir: Path) -> SourceDocument:
    """Ingest one file; an unreadable, special or oversized one becomes a ``rejected`` document.

    ``stat`` comes first: a FIFO would block the read and a huge file would be
    loaded whole. A file not read has no bytes to hash: its ``doc_id`` is the
    hash of ``unreadable:<path>`` so that it still has a stable row.
    """
    rel = path.relative_to(raw_dir).as_posix()
    fmt = INPUT_SUFFIXES[path.suffix.lower()]

    def rejected(reason: str) -> SourceDocument:
        ident = DocId(hashlib.sha256(f"unreadable:{rel}".encode()).hexdigest()[:16])
        return SourceDocument(doc_id=ident, source_path=rel, source_format=fmt, text="", status="rejected", error=reason)

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return rejected("not a regular file (a FIFO, socket or device)")
        if info.st_size > MAX_INPUT_BYTES:
            return rejected(too_large(info.st_size))
        with path.open("rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return rejected(f"unreadable file: {exc.strerror or exc.__class__.__name__}")
    return ingest(raw, source_path=rel, source_format=fmt)


def _dedupe(sources: list[SourceDocument]) -> list[SourceDocument]:
    """One document per distinct content; the other paths are recorded on it."""
    by_id: dict[str, SourceDocument] = {}
    for source in sources:
        first = by_id.get(source.doc_id)
        if first is None:
            by_id[source.doc_id] = source
        else:
            by_id[source.doc_id] = replace(first, duplicate_paths=(*first.duplicate_paths, source.source_path))
    return list(by_id.values())


def _previous(catalog: OutputCatalog, version: str) -> dict[str, pa.Table]:
    """The previous run's tables, if one complete run of this very pipeline version wrote them all.

    Every table carries the id of the run that wrote it: tables of different
    runs (a run killed between two renames) are not reused, so the next run
    rewrites them all.
    """
    documents = catalog.table("documents")
    if not documents.exists():
        return {}
    try:
        tables = {name: pq.read_table(catalog.table(name)) for name in TABLES if catalog.table(name).exists()}
    except (OSError, pa.ArrowInvalid) as exc:
        log.warning("previous tables unreadable (%s): extracting everything again", exc)
        return {}
    if set(tables) != set(TABLES) or any(t.schema != TABLES[n] for n, t in tables.items()):
        return {}
    if len({run_id_of(t) for t in tables.values()}) != 1:
        log.warning("tables in %s come from different runs: extracting everything again", catalog.out_dir)
        return {}
    versions = set(tables["documents"].column("pipeline_version").to_pylist())
    return tables if versions == {version} else {}


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


def _parse_and_normalise(sources: list[SourceDocument], summary: RunSummary, *, progress: bool) -> Iterator[dict]:
    """Rows of every document, table by table, timing the stages."""
    from tqdm import tqdm

    from pipeline.normalise import normalise
    from pipeline.parse import parse_documents

    now = datetime.now(UTC)
    version = pipeline_version()
    resolver = _territory_resolver()
    readable = [s for s in sources if s.status == "ok"]
    for source in sources:
        if source.status != "ok":
            yield normalise(ParsedDocument(source=source), resolve_territory=resolver, version=version, now=now).tables
    parsed = parse_documents(readable)
    bar = tqdm(total=len(readable), desc="extract", unit="doc", disable=not progress)
    while True:
        start = time.perf_counter()
        item = next(parsed, None)
        summary.stage_seconds["parse"] += time.perf_counter() - start
        if item is None:
            break
        start = time.perf_counter()
        yield normalise(item, resolve_territory=resolver, version=version, now=now).tables
        summary.stage_seconds["normalise"] += time.perf_counter() - start
        bar.update()
    bar.close()


def run_extract(raw_dir: Path, out_dir: Path, *, progress: bool = False) -> RunSummary:
    """Extract every communiqué of ``raw_dir`` into the tables of ``out_dir``."""
    started = time.perf_counter()
    summary = RunSummary()
    catalog = OutputCatalog(out_dir)
    version = pipeline_version()
    with _locked(catalog):
        remove_stale_temps(out_dir)
        start = time.perf_counter()
        sources = _dedupe([_read(path, raw_dir) for path in discover(raw_dir)])
        summary.stage_seconds["ingest"] = time.perf_counter() - start

        previous = _previous(catalog, version)
        known = set(previous["documents"].column("doc_id").to_pylist()) if previous else set()
        fresh = [s for s in sources if s.doc_id not in known]
        current_ids = [s.doc_id for s in sources]
        summary.parsed, summary.reused = len(fresh), len(sources) - len(fresh)

        unchanged = not fresh and previous and _same_documents(previous["documents"], sources)
        if unchanged:
            tables = previous
        else:
            rows: dict[str, list[dict]] = {name: [] for name in TABLES}
            for doc_tables in _parse_and_normalise(fresh, summary, progress=progress):
                for name, table_rows in doc_tables.items():
                    rows[name].extend(table_rows)
            start = time.perf_counter()
            tables = {}
            for name in TABLES:
                new = to_table(name, rows[name])
                if previous:
                    kept = previous[name].filter(pc.is_in(previous[name]["doc_id"], pa.array(current_ids)))
                    if name == "documents":
                        kept = _refresh_paths(kept, sources)
                    new = pa.concat_tables([kept, new])
                tables[name] = new.take(pc.sort_indices(new, [("doc_id", "ascending")]))
            write_tables(tables, {name: catalog.table(name) for name in TABLES})
            summary.written = True
            summary.stage_seconds["write"] = time.perf_counter() - start

    statuses = tables["documents"].column("status").to_pylist()
    summary.status.update({"ok": 0, "not_cpts": 0, "rejected": 0, **Counter(statuses)})
    summary.facts = {name: table.num_rows for name, table in tables.items()}
    summary.seconds = time.perf_counter() - started
    return summary


def _same_documents(documents: pa.Table, sources: list[SourceDocument]) -> bool:
    """The previous documents table has exactly these documents under exactly these paths."""
    before = {
        (d, p, tuple(dup))
        for d, p, dup in zip(
            documents["doc_id"].to_pylist(), documents["source_path"].to_pylist(), documents["duplicate_paths"].to_pylist()
        )
    }
    return before == {(s.doc_id, s.source_path, s.duplicate_paths) for s in sources}


def _refresh_paths(documents: pa.Table, sources: list[SourceDocument]) -> pa.Table:
    """Reused documents rows get the paths the files have now (a file may have been renamed)."""
    by_id = {s.doc_id: s for s in sources}
    ids = documents["doc_id"].to_pylist()
    paths = pa.array([by_id[i].source_path for i in ids], pa.string())
    dups = pa.array([list(by_id[i].duplicate_paths) for i in ids], pa.list_(pa.string()))
    documents = documents.set_column(documents.schema.get_field_index("source_path"), TABLES["documents"].field("source_path"), paths)
    return documents.set_column(documents.schema.get_field_index("duplicate_paths"), TABLES["documents"].field("duplicate_paths"), dups)
