"""How a line looks: where each line of a text is, and which glyphs open a list item.

Readers (PDF lines joined into paragraphs, hard-wrapped text unwrapped) and
parse components (commune lists, mission lists) all ask "is this line a list
item?"; they used to answer with four different character sets, so a list
bulleted with "●" was a list for one stage and prose for the next. The glyphs
are one data file, ``patterns/bullets.jsonl``; each stage composes its own
item pattern (a number "1.", a label "Axe 2 :") around ``BULLET_CLASS``.
"""

from __future__ import annotations

import re

from pipeline.patterns import load

BULLET_GLYPHS = "".join(row["glyph"] for row in load("bullets"))
BULLET_CLASS = f"[{re.escape(BULLET_GLYPHS)}]"
"""A regex character class matching any one bullet glyph."""


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text``, blank lines included, ends excluding the line break."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans
