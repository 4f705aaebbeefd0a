"""Missions listed under a heading line or after a short label on the same line.

- A list introduced by a heading line ending with ":" that names missions,
  objectives, axes, working groups ("Missions optionnelles :"), or by such a
  short heading without a colon right above bullets ("Les priorités du
  projet de santé"); the heading gives the status; a long bullet is read in
  its first clause. Rule ``mission_list``.
- A box line whose short label names them, its items on the same line
  ("Priorités : accès à un médecin traitant, santé mentale", "Priorité |
  ..." in a flattened table, "Deuxième chantier : les soins non programmés.").
  Rule ``mission_inline_label``.
- The rows of a table flattened to lines whose header's first cell is such
  a label ("Mission | Engagements de la CPTS", then "Accès aux soins |
  Recherche d'un médecin traitant ..."): the first cell of each row names
  its mission. Rule ``mission_table``.

A list about CPTS in general ("Une CPTS a pour missions de :") or under a
line where another body commits ("L'ARS s'engage à :") assigns nothing, and
its items are silenced for the heading and sentence rules too.
"""

from __future__ import annotations

import re

from pipeline.parse.missions.commitment import commitment
from pipeline.parse.missions.context import commitment_matcher
from pipeline.parse.missions.reading import Reading, is_generic, missions_in, status_of
from pipeline.parse.missions.shapes import (
    MAX_HEADING_WORDS,
    MAX_ITEM_WORDS,
    NUMBERED_LABEL,
    SENTENCE_END,
    ends_section,
    list_item,
    n_words,
    next_line,
    strip,
    unbullet,
)
from pipeline.parse.missions.vocabulary import vocabulary

_LABEL_SEPARATOR = re.compile(r"[:|]")
"""A box line's label ends at ':' or, in a table flattened to lines, at '|'."""
_MAX_LABEL_WORDS = 6
"""In "Priorités : accès à un médecin traitant, santé mentale", the label before ':' is this short."""
_ITEM = re.compile(r"[^,;]+")


def read_lists(reading: Reading) -> set[int]:
    """Both kinds of lists; returns the indices of the lines they consumed (the heading rule skips them)."""
    return _lists(reading) | _inline_lists(reading) | _table_rows(reading)


def _lists(reading: Reading) -> set[int]:
    """Items under a "Missions socles :" / "Les objectifs de la CPTS sont :" heading line, or under a
    short heading without a colon ("Les priorités du projet de santé") whose next line is a bullet."""
    folded, spans, consumed = reading.folded, reading.lines, set()
    for i, (start, end) in enumerate(spans):
        line = folded[start:end].rstrip()
        if n_words(line) > MAX_HEADING_WORDS or not (line.endswith(":") or _heads_bullets(reading, i)):
            continue
        by_other = line.endswith(":") and _another_body_commits(folded, start, end)
        if not by_other and not vocabulary().list_cue.search(line):
            continue
        generic = by_other or is_generic(line)
        status = status_of(folded, start, end)
        bulleted = blank = False
        for j in range(i + 1, len(spans)):
            item_start, item_end = strip(folded, *spans[j])
            if item_start == item_end:
                blank = True
                continue
            if folded[slice(*spans[j])].rstrip().endswith(":") or _after_the_bullets(folded, item_start, item_end, bulleted, blank):
                break
            bulleted = bulleted or unbullet(folded, item_start, item_end)[1]
            item = list_item(folded, item_start, item_end)
            if item is None or not missions_in(folded, *item, headings=True):
                break
            item_start, item_end = item
            consumed.add(j)
            if generic:
                reading.silenced.append((item_start, item_end))
                continue
            reading.emit(item_start, item_end, status, headings=True, context="mission_list")
            reading.theme_spans.append((item_start, item_end))
    return consumed


def _another_body_commits(folded: str, start: int, end: int) -> bool:
    """The last sentence of a heading line commits another body to the items below ("De son côté, l'ARS
    s'engage à :", "Le département financera :"): they are its actions, not this CPTS's missions."""
    if not commitment_matcher().pattern("body.other_body").search(folded, start, end):
        return False  # most heading lines name no other body: no commitment to decide
    last = max((m.end() for m in SENTENCE_END.finditer(folded, start, end)), default=start)
    decided = commitment(folded, last, end, None, True)  # "Elle s'engage sur :" continues on this CPTS
    return decided is not None and decided.rule.anchor == "commit_other_body"


def _after_the_bullets(folded: str, start: int, end: int, bulleted: bool, blank: bool) -> bool:
    """An unbulleted line after a blank line closes a list of bullets: it is the prose after it ("La mission
    de crise sera ajoutée par avenant." under "Missions complémentaires :" and its numbered items has no status)."""
    return bulleted and blank and not unbullet(folded, start, end)[1]


def _table_rows(reading: Reading) -> set[int]:
    """The rows under a table header "Mission | ..." (see the module docstring), up to the first line that is
    no row; the header gives the status ("Missions socles | Actions")."""
    folded, spans, consumed = reading.folded, reading.lines, set()
    for i, (start, end) in enumerate(spans):
        bar = folded.find("|", start, end)
        if bar < 0 or not vocabulary().inline_label.fullmatch(folded, *strip(folded, start, bar)):
            continue
        generic, status = is_generic(folded[start:end]), status_of(folded, start, bar)
        for j in range(i + 1, len(spans)):
            row_start, row_end = spans[j]
            cell_end = folded.find("|", row_start, row_end)
            if cell_end < 0:
                break
            cell = strip(folded, row_start, cell_end)
            if generic or not missions_in(folded, *cell, headings=True):
                continue
            consumed.add(j)
            reading.emit(*cell, status, headings=True, context="mission_table")
            reading.theme_spans.append((row_start, row_end))
    return consumed


def _heads_bullets(reading: Reading, i: int) -> bool:
    """Line ``i`` is a short heading (see ``ends_section``) and the next non-blank line a bullet."""
    folded = reading.folded
    if not ends_section(folded, *reading.lines[i]):
        return False
    following = next_line(folded, reading.lines, i)
    return following is not None and unbullet(folded, *following)[1]


def _inline_lists(reading: Reading) -> set[int]:
    """A box line "Priorités : accès à un médecin traitant, santé mentale, prévention des chutes".

    A short label that names missions, objectives or priorities ("Priorité |"
    in a flattened table), then its items up to the end of the sentence,
    separated by commas or semicolons. The label opens a line, or a sentence
    of it when numbered: prose runs numbered labels on ("... autour de quatre
    axes. Axe 1 : faciliter l'accès aux soins. Axe 2 : ..."), while an
    unnumbered one in mid-paragraph may belong to whatever the previous
    sentence is about ("Le département a voté son budget. Ses priorités : ...").
    """
    folded, consumed = reading.folded, set()
    for i, (start, end) in enumerate(reading.lines):
        sentences = (m.end() for m in SENTENCE_END.finditer(folded, start, end))
        numbered = [s for s in sentences if NUMBERED_LABEL.match(folded, s)]
        named = [_inline_list(reading, s, end) for s in [start, *numbered] if s < end]
        if any(named):
            consumed.add(i)
    return consumed


def _inline_list(reading: Reading, start: int, end: int) -> bool:
    """Read the labelled list that starts at ``start`` (see ``_inline_lists``); True when it names a mission."""
    folded = reading.folded
    separator = _LABEL_SEPARATOR.search(folded, start, end)
    if separator is None:
        return False
    colon = separator.start()
    label_start, label_end = strip(folded, unbullet(folded, start, colon)[0], colon)
    if SENTENCE_END.search(folded, label_start, label_end):
        return False
    sentence_end = SENTENCE_END.search(folded, colon, end)
    end = sentence_end.start() if sentence_end else end
    if not folded[colon + 1 : end].strip() or n_words(folded[start:colon]) > _MAX_LABEL_WORDS:
        return False
    labelled = vocabulary().inline_label.fullmatch(folded, label_start, label_end)
    if not labelled or is_generic(folded[start:end]):
        return False
    status = status_of(folded, start, colon)
    spans = [strip(folded, colon + 1 + m.start(), colon + 1 + m.end()) for m in _ITEM.finditer(folded[colon + 1 : end])]
    if any(n_words(folded[a:b]) > MAX_ITEM_WORDS for a, b in spans):
        return False
    named = False
    for item_start, item_end in spans:
        if missions_in(folded, item_start, item_end, headings=True):
            named = True
            reading.emit(item_start, item_end, status, headings=True, context="mission_inline_label")
        reading.theme_spans.append((item_start, item_end))
    return named
