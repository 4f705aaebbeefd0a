"""One run at a time per output folder, and no endless wait for it.

The lock is an ``flock`` on ``<out>/.lock``, released by the kernel when its
holder exits, even when killed: no stale lock to clean up. The file holds the
holder's process id, for the waiting run's message. A second run waits at
most ``wait`` seconds (``extract --wait``), then gives up with ``LockTimeout``
(exit code 5). ``flock`` is POSIX: the pipeline runs on Linux and macOS.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 600.0
"""How long a run waits for another run on the same output folder: longer than a cold run of 2,000 documents."""
_POLL_SECONDS = 0.2


class LockTimeout(Exception):
    """Another run held the output folder for longer than this run was allowed to wait."""


@contextmanager
def locked(out_dir: Path, lock: Path, *, wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
    """Hold ``lock`` (in ``out_dir``, created if needed) for the block, waiting at most ``wait`` seconds for it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as handle:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "?"
            log.warning("another extraction (process %s) is writing to %s: waiting for it to finish", holder, out_dir)
            deadline = time.monotonic() + wait
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another extraction (process {holder}) is still writing to {out_dir} after {wait:g} s:"
                        " try again later, or give it more time with --wait SECONDS"
                    )
                time.sleep(_POLL_SECONDS)
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
