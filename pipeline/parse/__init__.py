"""Parse stage: a spaCy pipeline of rule components reads every fact kind.

``parse_documents`` streams ``SourceDocument``s through ``nlp.pipe`` and
yields one ``ParsedDocument`` each, in input order.

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
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from pipeline.records import ParsedDocument, SourceDocument

BATCH_SIZE = 32
"""Small batches keep memory flat: spaCy's default (1000) holds far more docs than rules need."""

CHUNK_SIZE = 16
"""Documents per task sent to a worker: large enough to amortise pickling, small enough to balance the load."""

PARALLEL_MIN_DOCS = 120
"""Below this many documents one process is faster: a worker needs about 3 s to load spaCy and the model."""


def default_processes(n_docs: int) -> int:
    """Worker processes for ``n_docs`` documents: one per available core, or none for a small run."""
    if n_docs < PARALLEL_MIN_DOCS:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def parse_documents(sources: Iterable[SourceDocument], *, n_process: int | None = None) -> Iterator[ParsedDocument]:
    """Run the rule pipeline over readable documents and collect their facts, in input order.

    ``n_process`` defaults to ``default_processes(len(sources))``, which reads
    ``sources`` into a list; given ``n_process``, ``sources`` is read only as
    documents are sent to the parser, so a long stream is never held whole.
    1 parses in this process. Worker processes start before this returns, so
    they load spaCy while the caller prepares the next stage.
    """
    if n_process is None:
        sources = list(sources)
        n_process = default_processes(len(sources))
    if n_process <= 1:
        return _parse_serial(sources)
    return _parse_parallel(sources, n_process)


def _parse_serial(sources: Iterable[SourceDocument]) -> Iterator[ParsedDocument]:
    from pipeline.parse.nlp import build_nlp

    nlp = build_nlp()

    def docs():
        for source in sources:
            doc = nlp.make_doc(source.text)
            doc._.published_hint = source.published_hint
            doc.user_data["source"] = source
            yield doc

    for doc in nlp.pipe(docs(), batch_size=BATCH_SIZE):
        yield _parsed(doc, doc.user_data.pop("source"))


def _parse_chunk(sources: list[SourceDocument]) -> list[ParsedDocument]:
    """A worker's task: one chunk of documents through this process's pipeline."""
    return list(_parse_serial(sources))


def _chunks(sources: Iterable[SourceDocument]) -> Iterator[list[SourceDocument]]:
    iterator = iter(sources)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        yield chunk


def _parse_parallel(sources: Iterable[SourceDocument], n_process: int) -> Iterator[ParsedDocument]:
    """Start the pool with its first chunks now; the results come as the caller iterates."""
    pool = ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context("spawn"))
    chunks = _chunks(sources)
    pending = deque(pool.submit(_parse_chunk, chunk) for chunk in islice(chunks, 2 * n_process))
    return _results(pool, pending, chunks)


def _results(
    pool: ProcessPoolExecutor, pending: deque[Future[list[ParsedDocument]]], chunks: Iterator[list[SourceDocument]]
) -> Iterator[ParsedDocument]:
    """Results in order, one more chunk sent as each one comes back: at most two per worker in flight, so memory
    does not grow with the run."""
    with pool:
        while pending:
            done = pending.popleft()
            for chunk in islice(chunks, 1):
                pending.append(pool.submit(_parse_chunk, chunk))
            yield from done.result()


def _parsed(doc, source: SourceDocument) -> ParsedDocument:
    """The facts the components left under ``doc._``."""
    from pipeline.parse.dates import publication_date
    from pipeline.parse.title import extract_title

    dates = doc._.dates or []
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
        title=source.title or extract_title(source.text),
    )
