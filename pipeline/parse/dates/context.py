"""The context windows of a date: its sentence, its line, the label above it, its table column."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from pipeline.parse.dates.candidates import Candidate
from pipeline.parse.segment import doc_text, sentence_bounds

Unit = tuple[int, int, list[Candidate]]
"""A sentence (start, end) and the candidates in it."""


def units(doc: Doc, candidates: list[Candidate]) -> list[Unit]:
    """Candidates grouped by sentence.

    A span across a sentence break ("févr. 2022") joins both sentences; a label line
    ("Date de signature :") joins the value on the next line. The other sentences of the
    date's paragraph stay out: "... suit la signature. Le reste ... l'ARS avait accordé
    20 000 € en 2020" does not date the signature.
    """
    bounds = _wrapped_sentences(doc)
    text = doc_text(doc)
    found: list[Unit] = []
    for candidate in candidates:
        lo = next((s for s, e in bounds if s <= candidate.start < e), candidate.start)
        if context_start(text, candidate) < line(text, candidate.start, candidate.end)[0]:
            lo = min(lo, context_start(text, candidate))
        hi = next((e for s, e in bounds if s < candidate.end <= e), candidate.end)
        if found and lo < found[-1][1]:
            start, end, members = found[-1]
            found[-1] = (start, max(end, hi), [*members, candidate])
        else:
            found.append((lo, hi, [candidate]))
    return found


def _wrapped_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans, a sentence that starts a line in lower case joined to the one above: hard-wrapped
    text breaks lines inside sentences ("ont signé" / "le 12 décembre 2022 l'accord")."""
    bounds: list[tuple[int, int]] = []
    text = doc_text(doc)
    for start, end in sentence_bounds(doc):
        before = text[bounds[-1][0] : start].rstrip(" ") if bounds else ""
        if text[start : start + 1].islower() and before.endswith("\n") and before.strip() and before[-2:] != "\n\n":
            bounds[-1] = (bounds[-1][0], end)
        else:
            bounds.append((start, end))
    return bounds


def distance(candidate: Candidate, start: int, end: int) -> int:
    """Characters between a date and a span (0 when they touch or overlap)."""
    return max(candidate.start - end, start - candidate.end, 0)


def line(text: str, start: int, end: int) -> tuple[int, int]:
    """The line holding ``text[start:end]``."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def context_start(text: str, candidate: Candidate) -> int:
    """Start of the date's line, or of the line before when that one is a label ("Date de signature :")."""
    line_start = text.rfind("\n", 0, candidate.start) + 1
    previous = text[:line_start].rstrip()
    return previous.rfind("\n") + 1 if previous.endswith(":") else line_start


def column_header(text: str, candidate: Candidate) -> tuple[int, int] | None:
    """The header cell above a date in a table flattened to "a | b | c" lines, if any.

    The header is the first line of the block of adjacent lines with as many "|" as the date's
    line; its cell in the date's column must hold no digit (a data row is not a header).
    """
    line_start, line_end = line(text, candidate.start, candidate.end)
    bars = text.count("|", line_start, line_end)
    if not bars:
        return None
    header = line_start
    while header > 0:
        above = text.rfind("\n", 0, header - 1) + 1
        if not text[above : header - 1].strip() or text.count("|", above, header - 1) != bars:
            break
        header = above
    if header == line_start:
        return None
    column = text.count("|", line_start, candidate.start)
    cells = [m.span() for m in re.finditer(r"[^|\n]+", text[header : text.find("\n", header)])]
    if len(cells) != bars + 1 or re.search(r"\d", text[header + cells[column][0] : header + cells[column][1]]):
        return None
    return header + cells[column][0], header + cells[column][1]
