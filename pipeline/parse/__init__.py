"""Parse stage: a spaCy pipeline of rule components reads every fact kind.

``parse_documents`` streams ``SourceDocument``s through the pipeline's
components and yields one ``ParsedDocument`` each, in input order; a
document whose parse fails comes back ``rejected`` instead of stopping the
others (``pipeline.guard``).

Large runs use every core through a pool of worker processes, each with its
own pipeline, fed chunks of documents. spaCy's own ``nlp.pipe(n_process=)``
cannot be used: it sends each ``Doc`` back with ``Doc.to_bytes``, whose
msgpack cannot serialise our records (frozen dataclasses) under ``Doc._``;
a worker here returns ``ParsedDocument``s, which pickle. Workers are
spawned, not forked, so they inherit no threads or locks from the parent
(pyarrow's thread pool, tqdm), and they stay idle below
``PARALLEL_MIN_DOCS``, where loading a pipeline per worker costs more than
it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from itertools import islice

from pipeline.catalog import CACHE_DIR
from pipeline.guard import DOC_TIMEOUT_SECONDS, guarded, inject_fault, internal_error, log_trace, rejected
from pipeline.parse.regex_cache import remember_startup_patterns, seed_startup_patterns
from pipeline.records import DocId, ParsedDocument, SourceDocument

seed_startup_patterns(CACHE_DIR)  # before any component module compiles its patterns (pipeline.parse.regex_cache)

CHUNK_SIZE = 16
"""Documents per task sent to a worker: large enough to amortise pickling, small enough to balance the load."""

PARALLEL_MIN_DOCS = 120
"""Below this many documents one process is faster: a worker needs about 3 s to load spaCy and the model."""

WARM_UP = (
    "La CPTS du Val Fleuri a signé son contrat le 3 mars 2023.\n"
    "Présidée par le Dr Anne Martin, elle réunit 40 adhérents, dont 12 médecins, sur 6 communes "
    "(Marboz, Jayat, Foissiat) et 21 000 habitants.\nElle reçoit 50 000 € de l'Assurance Maladie.\n"
    "Missions socles : accès aux soins, prévention."
)
"""Parsed once per process before the first document, with no time limit: the components compile their patterns
and load their vocabularies on first use, which must not count against the first document's time budget."""

_Result = tuple[ParsedDocument, str | None]
"""A parsed (or rejected) document and the traceback of the bug that rejected it, logged by the main process."""


class WorkerDied(Exception):
    """The worker process parsing a document died (killed, out of memory, a crash in C code)."""

    def __init__(self) -> None:
        super().__init__("the worker process parsing it died (killed or out of memory)")


def default_processes(n_docs: int) -> int:
    """Worker processes for ``n_docs`` documents: one per available core, or none for a small run."""
    if n_docs < PARALLEL_MIN_DOCS:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def parse_documents(
    sources: Iterable[SourceDocument], *, n_process: int | None = None, timeout: float | None = DOC_TIMEOUT_SECONDS
) -> Iterator[ParsedDocument]:
    """Run the rule pipeline over readable documents and collect their facts, in input order.

    ``n_process`` defaults to ``default_processes(len(sources))``, which reads
    ``sources`` into a list; given ``n_process``, ``sources`` is read only as
    documents are sent to the parser, so a long stream is never held whole.
    1 parses in this process. Worker processes start before this returns, so
    they load spaCy while the caller prepares the next stage.

    A document whose parse raises or takes more than ``timeout`` seconds
    comes back ``rejected`` with the reason (``pipeline.guard``), and the
    others are parsed as usual; a worker that dies loses only its chunk,
    which is parsed again one document at a time.
    """
    if n_process is None:
        sources = list(sources)
        n_process = default_processes(len(sources))
    results = _parse_serial(sources, timeout) if n_process <= 1 else _parse_parallel(sources, n_process, timeout)
    return _logged(results)


def _logged(results: Iterator[_Result]) -> Iterator[ParsedDocument]:
    for parsed, trace in results:
        if parsed.source.status == "rejected":
            log_trace(parsed.source.source_path, parsed.source.error or "", trace)
        yield parsed


def _parse_serial(sources: Iterable[SourceDocument], timeout: float | None) -> Iterator[_Result]:
    """Each document through the components, one at a time, each under ``guarded``.

    The components are plain functions, so this is what ``nlp.pipe`` does,
    minus its batching, which would let one document's exception end the
    whole stream.
    """
    from pipeline.parse.nlp import build_nlp

    nlp = build_nlp()
    _warm_up(nlp)
    for source in sources:
        with guarded("parsing", seconds=timeout) as outcome:
            inject_fault(source.text)
            doc = nlp.make_doc(source.text)
            doc._.published_hint = source.published_hint
            for _, component in nlp.pipeline:
                doc = component(doc)
            parsed = _parsed(doc, source)
        yield (ParsedDocument(source=rejected(source, outcome.error)) if outcome.error else parsed), outcome.trace


@lru_cache(maxsize=1)
def _warm_up(nlp) -> None:
    """``WARM_UP`` through the components, once per process; a bug it meets is left to the documents that meet it.
    The patterns compiled up to here are then kept for the next process (``pipeline.parse.regex_cache``)."""
    with guarded("warming up"):
        doc = nlp.make_doc(WARM_UP)
        for _, component in nlp.pipeline:
            doc = component(doc)
        _parsed(doc, SourceDocument(doc_id=DocId("warm-up"), source_path="", source_format="txt", text=WARM_UP))
    remember_startup_patterns(CACHE_DIR)


def _parse_chunk(sources: list[SourceDocument], timeout: float | None) -> list[_Result]:
    """A worker's task: one chunk of documents through this process's pipeline."""
    return list(_parse_serial(sources, timeout))


def _chunks(sources: Iterable[SourceDocument]) -> Iterator[list[SourceDocument]]:
    iterator = iter(sources)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        yield chunk


def _pool(n_process: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context("spawn"))


def _parse_parallel(sources: Iterable[SourceDocument], n_process: int, timeout: float | None) -> Iterator[_Result]:
    """Start the pool with its first chunks now; the results come as the caller iterates."""
    pool = _pool(n_process)
    chunks = _chunks(sources)
    pending = deque((chunk, pool, pool.submit(_parse_chunk, chunk, timeout)) for chunk in islice(chunks, 2 * n_process))
    return _results(pool, pending, chunks, n_process, timeout)


_Pending = deque[tuple[list[SourceDocument], ProcessPoolExecutor, Future[list[_Result]]]]


def _results(
    pool: ProcessPoolExecutor, pending: _Pending, chunks: Iterator[list[SourceDocument]], n_process: int, timeout: float | None
) -> Iterator[_Result]:
    """Results in order, one more chunk sent as each one comes back: at most two per worker in flight, so memory
    does not grow with the run.

    When a worker dies, every chunk in flight fails with ``BrokenProcessPool``
    (which one killed it cannot be told): a new pool takes the next chunks,
    and each failed chunk is parsed again one document at a time, as is a
    chunk whose documents or results could not be sent between processes.
    """
    isolated = _OneByOne(timeout)
    try:
        while pending:
            chunk, owner, done = pending.popleft()
            try:
                results = done.result()
            except Exception as exc:  # a dead worker, or a chunk that could not travel (pickling): parse it again
                if isinstance(exc, BrokenProcessPool) and owner is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(n_process)
                results = [isolated.parse(source) for source in chunk]
            for chunk in islice(chunks, 1):
                pending.append((chunk, pool, pool.submit(_parse_chunk, chunk, timeout)))
            yield from results
    finally:
        pool.shutdown(cancel_futures=True)
        isolated.close()


class _OneByOne:
    """A one-worker pool that parses one document per task, so a worker that dies names the document that killed it."""

    def __init__(self, timeout: float | None):
        self.timeout = timeout
        self.pool: ProcessPoolExecutor | None = None

    def parse(self, source: SourceDocument) -> _Result:
        self.pool = self.pool or _pool(1)
        try:
            (result,) = self.pool.submit(_parse_chunk, [source], self.timeout).result()
            return result
        except BrokenProcessPool:
            self.close()
            return ParsedDocument(source=rejected(source, internal_error("parsing", WorkerDied()))), None
        except Exception as exc:  # the document or its result could not be sent between processes
            return ParsedDocument(source=rejected(source, internal_error("parsing", exc))), traceback.format_exc()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def _parsed(doc, source: SourceDocument) -> ParsedDocument:
    """The facts the components left under ``doc._``."""
    from pipeline.parse.dates import publication_date
    from pipeline.parse.places.admin import find_departements, find_regions
    from pipeline.parse.title import extract_title, title_in_text

    dates = doc._.dates or []
    title = source.title or extract_title(source.text)
    outside = title is not None and title_in_text(title, source.text) < 0
    return ParsedDocument(
        source=source,
        cpts=doc._.cpts or [],
        cpts_mentions=doc._.cpts_mentions or [],
        people=doc._.people or [],
        figures=doc._.figures or [],
        amounts=doc._.amounts or [],
        dates=dates,
        headcounts=doc._.headcounts or [],
        missions=doc._.missions or [],
        themes=doc._.themes or [],
        places=doc._.places or [],
        published_on=publication_date(dates) or source.published_hint,
        title=title,
        title_places=[*find_departements(title), *find_regions(title)] if outside else [],
    )
