"""Flattened tables ("Commune | Habitants" then "Arcachon | 11 600"): the column a commune list fills.

A web page's or a PDF's table reaches the text one row a line, its cells
joined by "|". A column headed "Commune" is a list of communes whatever
the other cells hold (a référent's name, a postcode); ``lists`` joins its
rows into one run.
"""

from __future__ import annotations

from pipeline.textnorm import fold


def same_commune_column(text: str, start: int, end: int, next_start: int, next_end: int) -> bool:
    """True when two names (``start:end``, then ``next_start:next_end``) fill the same cell of consecutive rows
    of a flattened table whose header names that column "Commune" ("Commune | Référent" then "Arcachon | Dr
    Martin", "Lanton | Dr Durand"): the column is the list, whatever the other cells hold. Without that header a
    column may be the towns of establishments ("Structure | Ville")."""
    row_start = text.rfind("\n", 0, start) + 1
    row_end = text.find("\n", end)
    if row_end < 0 or text.find("\n", row_end + 1, next_start) >= 0 or next_start <= row_end:
        return False
    last = text.find("\n", next_end)
    rows = [text[row_start:row_end], text[row_end + 1 : last if last >= 0 else len(text)]]
    cells = [
        _cell(rows[0], start - row_start, end - row_start),
        _cell(rows[1], next_start - row_end - 1, next_end - row_end - 1),
    ]
    if None in cells or cells[0] != cells[1]:
        return False
    header_start = row_start
    while header_start > 0 and "|" in text[text.rfind("\n", 0, header_start - 1) + 1 : header_start - 1]:
        header_start = text.rfind("\n", 0, header_start - 1) + 1
    header = text[header_start : text.find("\n", header_start)].split("|")
    return len(header) > cells[0] and fold(header[cells[0]]).strip().startswith(("commune", "nom de la commune"))


def _cell(row: str, start: int, end: int) -> int | None:
    """The index of the "|" cell of ``row`` that holds ``row[start:end]`` and nothing else, if any."""
    if "|" not in row:
        return None
    index = row.count("|", 0, start)
    cell_start = row.rfind("|", 0, start) + 1
    cell_end = row.find("|", end)
    cell = row[cell_start : cell_end if cell_end >= 0 else len(row)]
    return index if cell.strip() == row[start:end] else None
