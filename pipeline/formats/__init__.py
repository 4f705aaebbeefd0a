"""Readers of container formats: HTML pages and PDF files to plain text.

Each reader takes the raw bytes and the file's path (for messages) and
returns a ``Reading`` (text, title, published date, charset, warnings); ``pipeline.ingest`` registers them
by ``source_format`` and normalises the text. A reader raises ``IngestError``
(defined here, below the readers, and re-exported by ``pipeline.ingest``) with
a reason a person can act on ("no text layer (scanned?)", "a PNG image, not a
PDF"); it never lets a library's own exception escape. No reader imports
``pipeline.ingest``.

``sniff`` names what a file really is from its first bytes, so that a file
with the wrong ending is rejected for what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.patterns import load


class IngestError(ValueError):
    """A raw file that cannot be turned into text; ``reason`` goes to the ``documents.error`` column."""

    def __init__(self, source_path: str, reason: str):
        super().__init__(f"{source_path}: {reason}")
        self.source_path = source_path
        self.reason = reason


@dataclass(frozen=True)
class Reading:
    """What a reader got from a file, before ``pipeline.ingest.normalise_text``."""

    text: str
    title: str | None = None
    published: date | None = None
    encoding: str | None = None
    """The charset the bytes were decoded from; None when a library decoded them (PDF)."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    """A file format recognised by its magic number."""

    name: str
    """What the file is, as a phrase: "a PNG image"."""
    format: str | None
    """The pipeline's ``source_format`` for it, if the pipeline reads it."""


@lru_cache(maxsize=1)
def _signatures() -> tuple[tuple[int, bytes, Signature], ...]:
    return tuple(
        (row.get("offset", 0), bytes.fromhex(row["hex"]), Signature(row["name"], row.get("format")))
        for row in load("file_signatures")
    )


def sniff(raw: bytes) -> Signature | None:
    """The format the bytes start with (``file_signatures.jsonl``), or None for text and unknown formats."""
    for offset, magic, signature in _signatures():
        if raw[offset : offset + len(magic)] == magic:
            return signature
    return None
