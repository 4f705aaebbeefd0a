"""Where a sum's roles are read: logical lines, sentences, sub-clauses and the heading above.

Sentences are cut inside *logical lines*: a line that starts in lower case
continues the previous one, because communiqués wrap short lines ("15 000 €" /
"par l'ARS" / "pour l'écriture du" / "projet de santé."). The heading above a
sum is the nearest line ending with ":" or short title-like line, walking up
over the sibling lines of the same list ("Sommes versées à la signature :"
above "116 250 €").
"""

from __future__ import annotations

import re

TITLE_MAX_CHARS = 100
"""A line this short without final punctuation is read as a title."""
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ý0-9«\"“])")
SUBCLAUSE_BREAK = re.compile(r"\s*;\s*|,\s+|\s+(?:et|puis|ainsi que|tandis que|alors que)\s+")


def logical_lines(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines; a line starting in lower case is joined to the line just above."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        if spans and match.group()[:1].islower() and text[spans[-1][1] : match.start()] == "\n":
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans


def pieces(text: str, span: tuple[int, int], breaks: re.Pattern[str]) -> list[tuple[int, int]]:
    start, end = span
    cuts = [(m.start(), m.end()) for m in breaks.finditer(text, start, end)]
    bounds = [start] + [c for cut in cuts for c in cut] + [end]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


def heading(text: str, lines: list[tuple[int, int]], index: int, money_lines: set[int]) -> tuple[int, int] | None:
    """The heading above line ``index``: the first line above without a sum, when it reads as a heading.

    The walk goes up over sibling lines that hold a sum, however many (the eighth row of a table,
    "CPTS du Vimeu | 22/06/2023 | 43 500 €", still finds its column header), as long as no blank line
    parts them: a paragraph after a table or list is not one of its rows.
    """
    above = index - 1
    while above in money_lines and "\n\n" not in text[lines[above][1] : lines[above + 1][0]]:
        above -= 1
    if above < 0 or above in money_lines:
        return None
    line = text[lines[above][0] : lines[above][1]].rstrip()
    if line.endswith(":") or (len(line) <= TITLE_MAX_CHARS and not line.endswith((".", "!", "?", ";", ",", "…"))):
        return lines[above]
    return None


