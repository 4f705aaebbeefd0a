"""One document never takes down a run: the guard around each stage of each document.

Every stage (reading, parsing, normalising, building rows) runs one document
inside ``guarded``: an exception that is not the document's own fault (a bug)
becomes a ``rejected`` document whose error says ``internal error while
<stage>: <ExceptionType>: <message>``, and the traceback goes to the log at
``-v``; the run goes on with the next document.

Reading and parsing one document also have a time budget
(``DOC_TIMEOUT_SECONDS``): a hostile PDF or a text that sends a regex into
catastrophic backtracking is rejected with ``timeout after N s``. The budget
is a ``SIGALRM`` timer (``signal.setitimer``), which interrupts Python code,
regexes included, at the next bytecode or ``re`` step. Its limits:

- it needs the main thread of a POSIX process: the serial path run from
  another thread (a library caller's thread) and Windows run without a
  budget (the worker processes of the parse pool parse in their main
  thread, so they always have it);
- C code that never returns to the interpreter (one huge allocation inside
  a library) is only interrupted when it returns.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from pipeline.records import SourceDocument

log = logging.getLogger(__name__)

DOC_TIMEOUT_SECONDS = 60.0
"""Budget to read one file or parse one document: a communiqué takes milliseconds, a 60-page PDF a few seconds."""

INTERNAL_ERROR = "internal error while "
TIMEOUT = "timeout after "
"""Prefixes of ``documents.error`` that tell a bug or a timeout from a bad input (the summary counts them apart)."""

FAULT_ENV = "CPTS_EXTRACT_TEST_FAULT"
"""Test hook, read by ``inject_fault``: ``raise:MARKER``, ``exit:MARKER`` or ``hang:MARKER`` (comma-separated) makes
the parse of any document containing MARKER raise, kill its process or hang. An environment variable, because spawned parse
workers inherit the environment but not a monkeypatch. Unset in real runs, where it costs one lookup per document."""


class DocumentTimeout(Exception):
    """A document's stage ran out of its time budget (raised by the timer, caught by ``guarded``)."""

    def __init__(self, seconds: float):
        super().__init__(f"{TIMEOUT}{seconds:g} s")


def rejected(source: SourceDocument, error: str) -> SourceDocument:
    """``source`` turned into a rejected document; its text is kept for the review page."""
    return replace(source, status="rejected", error=error)


def internal_error(stage: str, exc: BaseException) -> str:
    """The ``documents.error`` of a bug met while ``stage`` ("parsing") ran on one document."""
    return f"{INTERNAL_ERROR}{stage}: {type(exc).__name__}: {exc}"


def is_internal(error: str | None) -> bool:
    return bool(error) and error.startswith(INTERNAL_ERROR)


def is_timeout(error: str | None) -> bool:
    return bool(error) and error.startswith(TIMEOUT)


_REARM_SECONDS = 0.5
"""The timer fires again after this while the block runs on: an exception raised inside a ``__del__`` is ignored
by Python, so one alarm could be lost."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in the block after ``seconds``; no limit outside the main thread or without SIGALRM."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds, _REARM_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # a timer of the caller's was running: give it back what is left of it
            left = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


class Guarded:
    """What ``guarded`` caught: ``error`` for the documents row and ``trace`` for the log; both None when all went well."""

    error: str | None = None
    trace: str | None = None


@contextmanager
def guarded(stage: str, *, seconds: float | None = None) -> Iterator[Guarded]:
    """Run one document's ``stage``; a bug or a timeout is recorded on the yielded ``Guarded`` instead of raised.

    The traceback is formatted here, not logged: a worker process sends it
    back as text (its own log is not configured) and the main process logs it
    with ``log_trace``.
    """
    outcome = Guarded()
    try:
        with time_limit(seconds):
            yield outcome
    except DocumentTimeout as exc:
        outcome.error = str(exc)
    except Exception as exc:  # the point of the guard: any bug in one document's stage
        outcome.error = internal_error(stage, exc)
        outcome.trace = traceback.format_exc()


def log_trace(source_path: str, error: str, trace: str | None) -> None:
    """A rejected document's reason as a warning; the traceback of a bug at ``-v``."""
    log.warning("%s rejected: %s", source_path, error)
    if trace:
        log.info("traceback of %s:\n%s", source_path, trace)


def inject_fault(text: str) -> None:
    """The test hook of ``FAULT_ENV`` (see there); several faults are separated by commas."""
    for spec in filter(None, os.environ.get(FAULT_ENV, "").split(",")):
        kind, _, marker = spec.partition(":")
        if marker and marker in text:
            if kind == "raise":
                raise RuntimeError(f"injected fault on {marker}")
            if kind == "exit":
                os._exit(137)
            if kind == "hang":
                time.sleep(3600)
