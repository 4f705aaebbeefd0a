"""Ingest stage: read a raw file, decode it, normalise its text, hash its bytes.

The normalised text is what every character offset of every table points
into; ``normalise_text`` is deterministic and documented so anyone can
reproduce it (the ``documents`` table also stores it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date

from pipeline.records import DocId, SourceDocument

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\u200b": ""})
_EMPHASIS = re.compile(r"(?<![*\w])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![*\w])|\*{2,3}")


def doc_id(raw: bytes) -> DocId:
    """First 16 hex digits of the SHA-256 of the raw bytes (the contract's ``doc_id``)."""
    return DocId(hashlib.sha256(raw).hexdigest()[:16])


def normalise_text(text: str) -> str:
    """The text every offset refers to.

    Unicode NFC; no BOM; ``\\n`` line ends; non-breaking, narrow and thin
    spaces become plain spaces (so "116 250 €" reads one way); Markdown
    emphasis markers (``**``) become a space; runs of spaces collapse; lines
    are stripped; at most one blank line in a row. Apostrophes (' and ’) and
    bullets (•) are kept as written: extractors accept both apostrophes.
    """
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACES)
    text = _EMPHASIS.sub(" ", text)
    text = re.sub(r" {2,}", " ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


class IngestError(ValueError):
    """A raw file that cannot be turned into text; ``reason`` goes to the ``documents.error`` column."""

    def __init__(self, source_path: str, reason: str):
        super().__init__(f"{source_path}: {reason}")
        self.source_path = source_path
        self.reason = reason


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_LEGACY_CHARSETS = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "utf_16")
"""Charsets French text files come in besides UTF-8; detection picks among them, so a
short French text is not mistaken for, say, Arabic."""


def decode_text(raw: bytes, source_path: str) -> str:
    """Bytes of a text file to str: UTF-8 (with or without BOM) first, else the detected legacy charset.

    cp1252 / latin-1 are detected with charset-normalizer among ``_LEGACY_CHARSETS``, not assumed: a
    file that is not text in any charset (binary garbage, an image) is an
    ``IngestError``, as is an empty one, and so is a UTF-8 file with invalid
    bytes in it (decoding it as cp1252 would turn every accent into mojibake).
    """
    if not raw.strip():
        raise IngestError(source_path, "empty file")
    if b"\x00" in raw[:4096]:
        raise IngestError(source_path, "binary file (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _UTF8_MULTIBYTE.search(raw):
        raise IngestError(source_path, f"invalid UTF-8 bytes at offset {utf8_error.start} in an otherwise UTF-8 file")
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(_LEGACY_CHARSETS)).best()
    if best is None or best.encoding in ("utf_8", "utf_8_sig") or best.chaos > 0.2:
        raise IngestError(
            source_path, f"not decodable text: invalid UTF-8 at byte {utf8_error.start} and no other charset fits"
        )
    return str(best)


def _control_ratio(text: str) -> float:
    bad = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t")
    return bad / max(len(text), 1)


def ingest(raw: bytes, *, source_path: str, source_format: str) -> SourceDocument:
    """Decode and normalise one raw file. Never raises: a bad file becomes a ``rejected`` document."""
    ident = doc_id(raw)
    try:
        text, title, published = _READERS[source_format](raw, source_path)
        text = normalise_text(text)
        if not text:
            raise IngestError(source_path, "no text after cleaning")
        if _control_ratio(text) > 0.01:
            raise IngestError(source_path, "binary content: too many control characters for text")
    except IngestError as exc:
        return SourceDocument(
            doc_id=ident, source_path=source_path, source_format=source_format, text="", status="rejected", error=exc.reason
        )
    return SourceDocument(
        doc_id=ident,
        source_path=source_path,
        source_format=source_format,
        text=text,
        title=title,
        published_hint=published,
    )


def _read_text(raw: bytes, source_path: str) -> tuple[str, str | None, date | None]:
    return decode_text(raw, source_path), None, None


_READERS: dict[str, Callable[[bytes, str], tuple[str, str | None, date | None]]] = {
    "txt": _read_text,
    "md": _read_text,
}
"""One reader per ``source_format``: raw bytes to (text, title, published date)."""
