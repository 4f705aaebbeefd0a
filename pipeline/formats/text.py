"""Reader of plain-text communiqués (.txt, .md): decode, repair, rejoin broken words.

Text pasted from web pages and PDFs arrives damaged in two common ways:

- mojibake: UTF-8 bytes read once as cp1252 and saved again ("Ã©" for "é",
  "â‚¬" for "€"). ``ftfy.fix_encoding`` undoes exactly that, and leaves
  text that is not mojibake alone;
- hard-wrapped lines with words broken at a hyphen ("an-" / "nées"),
  rejoined with the same rules as PDFs (``pipeline.formats.hyphens``).
"""

from __future__ import annotations

from datetime import date

import ftfy

from pipeline.formats import hyphens
from pipeline.ingest import decode_text


def read_text(raw: bytes, source_path: str) -> tuple[str, str | None, date | None]:
    """The text of a plain-text file; a text file states no title or date apart from its text."""
    text = ftfy.fix_encoding(decode_text(raw, source_path))
    return _rejoin_broken_words(text), None, None


def _rejoin_broken_words(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    words = hyphens.vocabulary(lines)
    out: list[str] = []
    for line in lines:
        tail = line.lstrip()
        if out and hyphens.is_broken(out[-1], tail):
            out[-1] = hyphens.join(out[-1], tail, words)
        else:
            out.append(line)
    return "\n".join(out)
