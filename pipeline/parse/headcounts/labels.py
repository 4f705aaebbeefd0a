"""Figures boxes and tables: a count read by its label, not by a sentence.

"Adhérents : 70", "• Adhérents : une centaine", "Professionnels de santé du
territoire | 612" (the value possibly on a following line), and "Médecins
généralistes | 19", "EHPAD : 6" (a profession or structure, its count alone
ending the line). A box whose heading states targets ("Objectifs 2025 :") is
not read. A table flattened to "a | b | c" lines, one row per CPTS, is read
by its column headers ("CPTS | Population couverte | Adhérents").
"""

from __future__ import annotations

import re

from pipeline.parse.headcounts.context import cue, is_target
from pipeline.parse.headcounts.scope import Quantity, Scope
from pipeline.parse.headcounts.vocabulary import BEDS, MEMBERS, noun_of, vocabulary
from pipeline.records import Headcount, Qualifier

_LABEL_VALUE = re.compile(r"[:|] *\S")
"""A line of a figures box: a label, then ':' or '|' and its value."""

_LABEL_REACH = 60
"""How many characters above a value its label may stand (the label line and a blank line or two)."""


_ROW_PER_COMMUNE = re.compile(r"(?:nom de la )?(?:commune|ville|localite)")
"""A first column headed by one commune ("Commune | CPTS | Habitants"): each row is a commune's, its figures too."""


def column_header(scope: Scope, q: Quantity) -> str | None:
    """The header of ``q``'s column when ``q`` fills a cell of a table of CPTS, else None.

    The table is flattened to "a | b | c" lines, one row per CPTS: a cell of
    the row names it ("CPTS du Perthois | Marne | 41 200 | 57", "Marne | CPTS
    du Perthois | 41 200 | 57"). Its header
    row is the first of the run of lines above with as many cells ("CPTS |
    Département | Population couverte | Adhérents"). A row per commune
    ("Allauch | 21 500" under "Commune | Habitants", or "Gien | CPTS
    Giennoise | 15 000" under "Commune | CPTS | Habitants") gives that
    commune's figures, not the CPTS's.
    """
    folded = scope.folded
    line_start = folded.rfind("\n", 0, q.start) + 1
    line_end = folded.find("\n", q.end)
    line_end = len(folded) if line_end == -1 else line_end
    line = folded[line_start:line_end]
    if "|" not in line:
        return None
    column = line.count("|", 0, q.start - line_start)
    cells = line.split("|")
    named = any(cue("cpts_row").search(cell) for i, cell in enumerate(cells) if i != column)
    if cells[column].strip() != folded[q.start : q.end].strip() or not named:
        return None
    header = None
    above = line_start
    while above > 0:
        previous = folded.rfind("\n", 0, above - 1) + 1
        row = folded[previous : above - 1]
        if row.count("|") != len(cells) - 1:
            break
        header, above = row, previous
    if header is None or _ROW_PER_COMMUNE.fullmatch(header.split("|")[0].strip()):
        return None
    return header.split("|")[column].strip()


def label_start(scope: Scope, q: Quantity, label: str) -> int | None:
    """Start of the label (cue ``label``, "Adhérents :") that introduces ``q``.

    The label opens ``q``'s line or a line above; or ``q`` is a whole cell of a
    table flattened to "a | b | c" lines and the label heads its column (then
    the evidence is the cell alone, so the label start is ``q.start``).
    """
    head = scope.folded[max(0, q.start - _LABEL_REACH) : q.start]
    m = cue(label).search(head)
    if not m:
        header = column_header(scope, q)
        return q.start if header is not None and cue(label).search(f"\n{header} :") else None
    return q.start - len(head) + m.start() + (1 if m.group(0).startswith("\n") else 0)


def box_heading(scope: Scope, pos: int) -> str:
    """The heading of the box of "label : value" lines that ``pos`` is in: the first line above without a value."""
    folded = scope.folded
    start = folded.rfind("\n", 0, pos) + 1
    while start > 0:
        above = folded.rfind("\n", 0, start - 1) + 1
        line = folded[above : start - 1]
        if line.strip() and not _LABEL_VALUE.search(line):
            return line
        start = above
    return ""


def in_target_box(scope: Scope, pos: int) -> bool:
    """Whether the box ``pos`` is in states targets ("Objectifs 2025 :"), cue ``box_target``."""
    return bool(cue("box_target").search(box_heading(scope, pos)))


def headcount(
    scope: Scope, category: str, count: int, qualifier: Qualifier, start: int, end: int, rule: str
) -> Headcount:
    return Headcount(
        category=category,
        count=count,
        qualifier=qualifier,
        text=scope.text[start:end],
        char_start=start,
        char_end=end,
        rule=rule,
    )


_LABELS = (("member_label", MEMBERS), ("pool_label", "professionals_on_territory"))
"""Label cues of a figures box and the category of the value they introduce."""


def generic_labels(scope: Scope) -> list[Headcount]:
    """ "Adhérents : 70", "• Professionnels de santé du territoire | 612"; the value may be on a following line."""
    found = []
    for q in scope.quantities:
        for label, category in _LABELS:
            start = label_start(scope, q, label)
            if start is not None and not in_target_box(scope, start):
                found.append(headcount(scope, category, q.value, q.qualifier, start, q.end, label))
                break
    return found


def noun_labels(scope: Scope) -> list[Headcount]:
    """A box or table line "Médecins généralistes | 19", "• EHPAD : 6": a profession or structure, its count alone.

    The count must end its line, so "Infirmiers : 12 à recruter" or a label
    followed by prose is not read; a line that states a plan is not either.
    """
    starts = {q.start: q for q in scope.quantities}
    found = []
    for m in vocabulary().label_noun.finditer(scope.folded):
        noun = noun_of(m.group(1))
        tail = cue("noun_label_tail").match(scope.folded, m.end())
        q = starts.get(tail.end()) if tail else None
        if q is None or noun.kind == BEDS or scope.folded[q.end :].split("\n", 1)[0].strip():
            continue
        if not is_target(scope, m.start(), q.end) and not in_target_box(scope, m.start()):
            found.append(headcount(scope, noun.category, q.value, q.qualifier, m.start(), q.end, "noun_label_tail"))
    return found
