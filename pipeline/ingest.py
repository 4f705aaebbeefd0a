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

from pipeline.formats import IngestError, Reading, sniff  # IngestError stays importable from here
from pipeline.records import DocId, SourceDocument

_SPACES = str.maketrans(
    {
        **dict.fromkeys("\u00a0\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f\u3000\t", " "),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f", ""),
        **dict.fromkeys("\u2028\u2029\x0b\x0c", "\n"),
        **dict.fromkeys("\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06e\uf0a8", "•"),
    }
)
"""Spaces of every width become one space; invisible characters (zero-width spaces and joiners, BOMs, soft
hyphens, the text/emoji presentation selectors that follow "➡️" or "▶️" bullets) disappear; line and page separators become line ends; the private-use bullets of Word's Symbol and
Wingdings fonts, which survive copy-paste, become •."""
_SPACES_FOUND = re.compile("[" + "".join(re.escape(chr(c)) for c in _SPACES) + "]")
"""The characters ``_SPACES`` maps, replaced where they stand: the same text as ``str.translate(_SPACES)``, which
looks every character of the text up in the dict (its fast path is for ASCII-only maps), ten times slower."""
_EMPHASIS = re.compile(r"(?<![*\w])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![*\w])|\*{2,3}")


def doc_id(raw: bytes) -> DocId:
    """First 16 hex digits of the SHA-256 of the raw bytes (the contract's ``doc_id``)."""
    return DocId(hashlib.sha256(raw).hexdigest()[:16])


_DOTTED_CPTS = re.compile(r"\bC\.[ ]?P\.[ ]?T\.[ ]?S\b(?:\.(?![ ]*(?:\n|$)))?")
"""The acronym written with dots ("la C.P.T.S. du Pays de Retz"); a final dot that ends a line stays a full stop."""


def normalise_text(text: str) -> str:
    """The text every offset refers to.

    Unicode NFC; no BOM; ``\\n`` line ends; non-breaking, narrow, thin and
    other typographic spaces become plain spaces (so "116 250 €" reads one
    way); soft hyphens and zero-width characters go; Markdown
    emphasis markers (``**``) become a space; runs of spaces collapse; lines
    are stripped; at most one blank line in a row. Apostrophes (' and ’) and
    bullets (•) are kept as written: extractors accept both apostrophes. The acronym written with
    dots ("C.P.T.S.") is written "CPTS", as every rule reads it.
    """
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES_FOUND.sub(lambda found: _SPACES[ord(found.group())], text)
    if "*" in text:  # every emphasis marker is one
        text = _EMPHASIS.sub(" ", text)
    text = re.sub(r" {2,}", " ", text)
    if "C." in text:
        text = _DOTTED_CPTS.sub("CPTS", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _control_ratio(text: str) -> float:
    """Share of control, private-use and unassigned characters (line ends and tabs aside).

    A printable text has none: ``str.isprintable`` tells in C, so the
    per-character count runs only on the rare text that has some.
    """
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return 0.0
    bad = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t")
    return bad / max(len(text), 1)


MAX_INPUT_BYTES = 20 * 2**20
"""Largest raw file read (20 MiB): a communiqué is a few kB of text, a few MB as a PDF with pictures.
``pipeline.run`` checks it with ``stat`` before reading, so a huge file is never loaded."""
MAX_TEXT_CHARS = 300_000
"""Longest normalised text parsed: about 50 pages, ten times the longest communiqué seen (a longer text
is a report or a concatenation, and would exceed spaCy's ``max_length``)."""


def too_large(size: int) -> str:
    """The ``documents.error`` reason for a file of ``size`` bytes over ``MAX_INPUT_BYTES``."""
    return f"file too large for a communiqué: {size:,} bytes (limit {MAX_INPUT_BYTES:,})".replace(",", " ")


def ingest(raw: bytes, *, source_path: str, source_format: str) -> SourceDocument:
    """Decode and normalise one raw file. Never raises: a bad file becomes a ``rejected`` document."""
    ident = doc_id(raw)
    try:
        if len(raw) > MAX_INPUT_BYTES:
            raise IngestError(source_path, too_large(len(raw)))
        kind = sniff(raw)
        if kind is not None and kind.format != source_format:
            raise IngestError(source_path, f"{kind.name}, not a {source_format} file")
        reading = _READERS[source_format](raw, source_path)
        text = normalise_text(reading.text)
        if not text:
            raise IngestError(source_path, "no text after cleaning")
        if len(text) > MAX_TEXT_CHARS:
            reason = f"text too long for a communiqué: {len(text)} characters (limit {MAX_TEXT_CHARS})"
            raise IngestError(source_path, reason)
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
        title=reading.title,
        published_hint=reading.published,
        encoding=reading.encoding,
        warnings=reading.warnings,
    )


def _read_text(raw: bytes, source_path: str) -> Reading:
    from pipeline.formats.text import read_text  # on use, like the other readers

    return read_text(raw, source_path)


def _read_html(raw: bytes, source_path: str) -> Reading:
    from pipeline.formats.html import read_html  # on use: trafilatura is slow to load

    return read_html(raw, source_path)


def _read_pdf(raw: bytes, source_path: str) -> Reading:
    from pipeline.formats.pdf import read_pdf  # on use: pdfminer is slow to load

    return read_pdf(raw, source_path)


_READERS: dict[str, Callable[[bytes, str], Reading]] = {
    "txt": _read_text,
    "md": _read_text,
    "html": _read_html,
    "pdf": _read_pdf,
}
"""One reader per ``source_format``: raw bytes to text, title, published date, charset and warnings."""
