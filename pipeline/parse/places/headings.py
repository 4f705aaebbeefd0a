"""Commune lists under a heading: "Communes du Rhône : A, B, C", "Les 30 communes de la CPTS X :" then lines of
names, "Nos communes" then a column of at least three names, a flattened table "Commune | Population" then
"A | 1 234".

Kind ``commune``, role ``territory``, one ``list_id`` per list, the
heading's département as ``dept_hint``; ``rule`` is the id of the heading
word's ``list_heading`` row.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.parse.places.regexes import dept_hint, regexes
from pipeline.parse.places.shapes import APOS, BULLET, DEPT_NUMBER, FINAL_ET, LOW, UP, Claims, lines
from pipeline.parse.places.vocab import cue_id, cues, epci_type, has_not_commune_word, window
from pipeline.records import PlaceMention
from pipeline.textnorm import fold

_ITEM_SPLIT = re.compile(r"\s*[,;/•]\s*|\s+[-–]\s+")
_ITEM_CHARS = re.compile(rf"^(?:[Ll][{APOS}] ?)?[{UP}][{LOW}{UP}{APOS} .-]*$")
_POPULATION_CELL = re.compile(
    r"\s*(?:[|:\t]\s*[\d .]+(?:\s*hab(?:itants|\.)?)?|\(\s*[\d .]+\s*hab(?:itants|\.)?\s*\))\s*$"
)
"""A population after a commune name: the second cell of a flattened table ("| 1 234") or "(1 234 hab.)"."""


class Heading(NamedTuple):
    """A commune-list heading line: its département hint, whether items must all be names, the offset after its
    last colon, whether it heads bullet lines only, and the id of its heading word's row."""

    hint: str | None
    strict: bool
    rest: int
    bullets_only: bool
    rule: str


def heading_lists(text: str, claims: Claims) -> list[PlaceMention]:
    """Lists under a heading: the heading's own line after its colon, then the following name lines."""
    rows = lines(text)
    out: list[PlaceMention] = []
    list_id = 0
    i = 0
    while i < len(rows):
        start, line = rows[i]
        heading = heading_of(line, allow_bare=True)
        if heading is None:
            i += 1
            continue
        i += 1
        if line[heading.rest :].strip():
            found = _items(line[heading.rest :], start + heading.rest, heading, list_id + 1) or []
        else:
            i, found = _following_lines(rows, i, heading, list_id + 1)
        if heading.strict and len(found) < 2:
            found = []
        if found:
            list_id += 1
        for place in found:
            claims.claim(place.char_start, place.char_end)
        out += found
    return out


def _following_lines(
    rows: list[tuple[int, str]], i: int, heading: Heading, list_id: int
) -> tuple[int, list[PlaceMention]]:
    """Names on the lines after a heading, up to the first line that is not part of the list.

    Sub-headings ("Commune de la Loire :") change the département hint. A line
    holding one name continues the list only right after a heading, as a
    bullet, or with no blank line since the previous list line, so a section
    title after the list is not read as a commune. Returns the next line index.
    """
    found: list[PlaceMention] = []
    after_heading, blank = True, False
    while i < len(rows):
        start, line = rows[i]
        if not line.strip():
            blank = True
            i += 1
            continue
        sub = heading_of(line, allow_bare=False)
        if sub is not None:
            heading = heading._replace(hint=sub.hint or heading.hint)
            rest = line[sub.rest :]
            if rest.strip():
                found += _items(rest, start + sub.rest, heading, list_id) or []
            after_heading, blank = True, False
            i += 1
            continue
        if line.rstrip().endswith(":"):
            break
        if heading.bullets_only and not BULLET.match(line):
            if not after_heading:
                break
            column = _column(rows, i, heading, list_id)
            found += [place for _, items in column for place in items]
            i = column[-1][0] + 1 if column else i
            break
        items = _items(line, start, heading, list_id)
        lone = items is not None and len(items) == 1 and not BULLET.match(line)
        if items is None or (lone and blank and not after_heading):
            break
        found += items
        after_heading, blank = False, False
        i += 1
    return i, found


def _column(
    rows: list[tuple[int, str]], i: int, heading: Heading, list_id: int
) -> list[tuple[int, list[PlaceMention]]]:
    """A column of names right under a heading without colon ("Nos communes" then one name per line).

    Without bullets, only a block of at least ``heading_column_lines`` lines of one name
    each, with no blank line and no other heading inside, is a list: a lone
    line under a title is more likely a subtitle or a sentence, and lines
    with figures ("Habitants | 41 200") are a table of key figures. Returns
    ``(line index, [place])`` per line, or nothing.
    """
    block = []
    while i < len(rows) and rows[i][1].strip() and heading_of(rows[i][1], allow_bare=True) is None:
        start, line = rows[i]
        items = _items(line, start, heading, list_id)
        if items is None or len(items) != 1 or line.rstrip().endswith((".", ":")) or re.search(r"[\d|]", line):
            break
        block.append((i, items))
        i += 1
    return block if len(block) >= window("heading_column_lines") else []


def heading_of(line: str, *, allow_bare: bool) -> Heading | None:
    """The commune-list heading ``line`` is, if any.

    Headings may be chained ("Les 30 communes de la CPTS : Communes du Rhône :").
    With ``allow_bare``, a heading without a colon ("Communes du territoire")
    is accepted too, and then heads bullet lines only, unless it is the
    header row of a flattened table ("Commune | Population").
    """
    patterns = regexes()
    body = BULLET.sub("", line)
    offset = len(line) - len(body)
    hint: str | None = None
    strict = True
    rule = ""
    pos = 0
    found = False
    while (colon := body.find(":", pos)) >= 0:
        segment = body[pos:colon].strip()
        heading = patterns["heading"].match(segment)
        dept_only = patterns["dept_heading"].match(segment)
        if len(segment) > 120 or "." in segment or not (heading or dept_only):
            break
        found = True
        hint = dept_hint(segment) or hint
        if heading:
            strict = strict and _is_strict(heading["word"])
            rule = rule or cue_id("list_heading", heading["word"])
        pos = colon + 1
    if found:
        return Heading(hint, strict, offset + pos, False, rule or "places_list_heading_departement")
    stripped = body.strip()
    heading = patterns["heading"].match(stripped)
    if allow_bare and heading and ":" not in stripped and not stripped.endswith(".") and len(stripped.split()) <= 12:
        return Heading(
            dept_hint(stripped),
            _is_strict(heading["word"]),
            len(line),
            not _is_table_header(stripped),
            cue_id("list_heading", heading["word"]),
        )
    return None


def _is_table_header(line: str) -> bool:
    """A flattened table's header row ("Commune | Population"): every cell has words; "Communes | 54" is a figure."""
    cells = line.split("|")
    return len(cells) > 1 and all(re.search(rf"[{LOW}{UP}]", cell) for cell in cells)


def _is_strict(word: str) -> bool:
    return any(fold(e["text"]) == fold(word) and e.get("strict") for e in cues()["list_heading"])


def _items(segment: str, offset: int, heading: Heading, list_id: int) -> list[PlaceMention] | None:
    """The names of one list line, or None when the line is not a list of names (prose, figures)."""
    body = BULLET.sub("", segment)
    offset += len(segment) - len(body)
    pieces = _split_items(body.rstrip(" .;"))
    out = []
    for start, end in pieces:
        place = _item(body[start:end], offset + start, heading, list_id)
        if place is not None:
            out.append(place)
    if not out or len(out) * 2 < len(pieces) or (heading.strict and len(out) != len(pieces)):
        return None
    return out


def _split_items(body: str) -> list[tuple[int, int]]:
    """Item spans of a list line: separated by , ; / • or a spaced dash, the last one also by "et"."""
    spans = []
    pos = 0
    for sep in _ITEM_SPLIT.finditer(body):
        spans.append((pos, sep.start()))
        pos = sep.end()
    spans.append((pos, len(body)))
    last_start, last_end = spans[-1]
    final_et = FINAL_ET.search(body, last_start, last_end)
    if final_et:
        spans[-1:] = [(last_start, final_et.start()), (final_et.end(), last_end)]
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _item(piece: str, start: int, heading: Heading, list_id: int) -> PlaceMention | None:
    """One list item as a commune (or an intercommunalité written with its legal form), if it looks like a name.

    A population after the name ("A | 1 234", "A (1 234 hab.)") is dropped."""
    hint = heading.hint
    cell = _POPULATION_CELL.search(piece)
    if cell:
        piece = piece[: cell.start()]
    number = DEPT_NUMBER.search(piece)
    if number:
        hint = number["code"].upper()
        piece = piece[: number.start()]
    stripped = piece.strip()
    start += len(piece) - len(piece.lstrip())
    end = start + len(stripped)
    epci = regexes()["epci_head"].match(stripped)
    if epci:
        return PlaceMention(
            text=stripped,
            char_start=start,
            char_end=end,
            name=stripped,
            kind="epci",
            list_id=list_id,
            epci_type=epci_type(epci.group()),
            rule=heading.rule,
        )
    words = stripped.split()
    if (
        not _ITEM_CHARS.match(stripped)
        or len(words) > window("heading_item_words")
        or (stripped.isupper() and len(words) > 3)
        or has_not_commune_word(stripped)
    ):
        return None
    return PlaceMention(
        text=stripped,
        char_start=start,
        char_end=end,
        name=stripped,
        dept_hint=hint,
        list_id=list_id,
        rule=heading.rule,
    )
