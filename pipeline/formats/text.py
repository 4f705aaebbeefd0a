"""Reader of plain-text communiqués (.txt, .md): decode, repair, unwrap.

Text pasted from web pages and PDFs arrives damaged in three common ways:

- mojibake: UTF-8 bytes read once as cp1252 and saved again ("Ã©" for "é",
  "â‚¬" for "€"). ``ftfy.fix_encoding`` undoes exactly that, and leaves
  text that is not mojibake alone (``pipeline.formats.mojibake`` spares it
  the cost on text it would leave alone);
- words broken at a hyphen at a line end ("an-" / "nées"), rejoined with
  the same rules as PDFs (``pipeline.formats.hyphens``);
- hard-wrapped lines: every line cut at a fixed width, so one sentence runs
  over several lines, while the extractors read a line as a sentence. A
  document is hard-wrapped when its lines are short and even (the longest
  is at most ``_WRAP_SPREAD`` times the 90th percentile, itself between
  ``_WRAP_MIN`` and ``_WRAP_MAX`` characters); a line is then joined to the
  one before when that one does not end a sentence or a label (. ! ? : »)
  and either the line starts in lower case or the line before fills the
  width (``_FULL`` of it). That tells the writer's own breaks (headings,
  list items, short label lines) from the width's; a table row ("a | b |
  c") is never joined, nor joined to. Text that is not
  hard-wrapped (the usual one line per paragraph) is left as it is.
"""

from __future__ import annotations

import re

from pipeline.formats import Reading, hyphens, mojibake
from pipeline.formats.charset import decode_text
from pipeline.lines import BULLET_CLASS

_WRAP_MIN, _WRAP_MAX, _WRAP_SPREAD = 40, 100, 1.5
_MIN_LINES = 8
_FULL = 0.8
_ENDS = (".", "!", "?", ":", "»", ";")
_ITEM = re.compile(rf"\s*(?:{BULLET_CLASS}|\d+[.)])\s")


def read_text(raw: bytes, source_path: str) -> Reading:
    """The text of a plain-text file; a text file states no title or date apart from its text."""
    decoded = decode_text(raw, source_path)
    text = mojibake.fix_encoding(decoded.text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return Reading("\n".join(_rejoin(lines, _wrap_width(lines))), encoding=decoded.encoding, warnings=decoded.warnings)


def _wrap_width(lines: list[str]) -> int | None:
    """The width the lines were wrapped at, or None when the text is not hard-wrapped."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not _WRAP_MIN <= width <= _WRAP_MAX or lengths[-1] > _WRAP_SPREAD * width:
        return None
    return width


def _rejoin(lines: list[str], width: int | None) -> list[str]:
    """Lines with broken words rejoined and, in hard-wrapped text, wrapped lines unwrapped."""
    words = hyphens.vocabulary(lines)
    out: list[str] = []
    physical = ""
    for line in lines:
        tail = line.lstrip()
        if out and hyphens.is_broken(out[-1], tail):
            out[-1] = hyphens.join(out[-1], tail, words)
        elif out and width and _wrapped(physical, tail, width) and not _ITEM.match(line):
            out[-1] += " " + tail
        else:
            out.append(line)
        physical = line
    return out


def _wrapped(before: str, line: str, width: int) -> bool:
    """In hard-wrapped text, whether the break between ``before`` and ``line`` is the width's."""
    if not before.strip() or not line or before.endswith(_ENDS) or "|" in before or "|" in line:
        return False  # a table row ("a | b | c") is one line by nature, whatever its length
    return line[:1].islower() or len(before) >= _FULL * width
