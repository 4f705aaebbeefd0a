"""Values derived from files, slow to build and the same on every run, kept pickled in ``CACHE_DIR``.

Why: every process that parses or resolves places derives the same
structures from the commune reference (the words of its 35,000 names, the
gazetteer, the resolver's index): about 2 s CPU per process on the 2-vCPU
machine, for a run that may then read five communiqués. Read back from a
pickle they cost some hundredths of a second.

How: a value is filed under the SHA-256 of its inputs, the data files it is
built from and the source files of the code that builds it, so editing either
rebuilds it. The file is written to a temporary file then renamed (parallel
workers and concurrent runs never read half a file; two writers of one key
write equal values) and holds the digest of its payload: a file that is
damaged, truncated, or unreadable by this Python is rebuilt and replaced,
never an error. A read-only cache folder only costs each run the build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from pipeline.catalog import CACHE_DIR

log = logging.getLogger(__name__)

T = TypeVar("T")

_DIGEST = 32
"""Bytes of the SHA-256 of the payload that open a cache file."""


def cached(name: str, inputs: Iterable[Path], build: Callable[[], T], *, cache_dir: Path | None = None) -> T:
    """``build()``, or the value an earlier process built from the same ``inputs`` (files whose bytes decide it:
    the data it reads and the source of the code that derives it), read from ``cache_dir`` (default ``CACHE_DIR``)."""
    path = cache_path(name, inputs, cache_dir)
    try:
        return load(path)
    except Exception as exc:  # missing, damaged, or from another Python: built again below
        if not isinstance(exc, FileNotFoundError):
            log.warning("cache %s unusable (%s: %s): rebuilding it", path.name, type(exc).__name__, exc)
    value = build()
    store(path, value)
    return value


def cache_path(name: str, inputs: Iterable[Path], cache_dir: Path | None = None) -> Path:
    """Where the value ``name`` built from ``inputs`` is kept: its name and the SHA-256 of the inputs' bytes."""
    digest = hashlib.sha256(f"{sys.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return (CACHE_DIR if cache_dir is None else cache_dir) / f"{name}-{digest.hexdigest()[:16]}.pickle"


def load(path: Path) -> object:
    """The value kept under ``path``; raises when the file is missing, damaged or unreadable by this Python."""
    data = path.read_bytes()
    if hashlib.sha256(data[_DIGEST:]).digest() != data[:_DIGEST]:
        raise ValueError("payload does not match its digest")
    return pickle.loads(data[_DIGEST:])


def store(path: Path, value: object) -> None:
    """The value under ``path``, replacing the files of older keys of the same name."""
    temporary = None
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            temporary = Path(handle.name)
            handle.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.pickle"):
            if old != path and len(old.name) == len(path.name):
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full cache folder only costs the next run the build
        log.debug("%s not cached (%s)", path.name, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
