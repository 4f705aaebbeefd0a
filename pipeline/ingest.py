"""Ingest stage: read a raw file, decode it, normalise its text, hash its bytes.

The normalised text is what every character offset of every table points
into; ``normalise_text`` is deterministic and documented so anyone can
reproduce it (the ``documents`` table also stores it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pipeline.records import DocId

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
