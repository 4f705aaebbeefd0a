"""The release's own date: a date line, a byline or masthead, or a date after a publication cue.

A date is the publication date when it stands alone on a line or as a dateline ("Lyon, le 3
mars 2022") among the first ``_HEADER_LINES`` lines, closes a masthead line ("La Voix du
Marmandais – 12 mai 2022"), or follows a publication cue on its line ("Publié le", "Communiqué
de presse du", "Mis à jour le"); a time after it changes nothing ("le 3 mai 2023 à 18h32").
These are full dates (day precision), so they can bound the other dates. A month is a
publication date only where the text says so: a header line that is a date label and a date
("date 2021-07") or a periodical's issue in the first or last lines ("paru dans Le Mag n° 48,
mars 2019"; further down, "paru dans" cites another text).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pipeline.parse.dates.candidates import Candidate
from pipeline.parse.dates.context import context_start, line
from pipeline.parse.dates.grammar import grammar
from pipeline.records import DateFact

_HEADER_LINES = 15
"""A date alone on one of the first non-empty lines is the release's date line."""
_DATELINE_PLACE = re.compile(r"(?:[^\n]{1,60}?\s[|–—-]\s+)?[A-ZÀ-Ý][\w'’ -]{1,40},\s*(?:le\s+)?")
"""A place and a comma, after a heading and a dash or bar if any ("Communiqué de presse – Rennes, le")."""
_BYLINE = re.compile(r"[Pp]ar\s+[A-ZÀ-Ý][^\n,|]{1,50}?(?:,|\s[|–—-])?\s*(?:le\s+)?")
"""An author before the date: "Par Julie Martin le", "Par la rédaction, le"."""
_AUTHOR_AFTER = re.compile(r"\s*(?:[,|–—-]\s*)?par\s+\S[^\n]{0,60}")
"""An author after the date: "Le 12/03/2022 par la rédaction"."""
_AFTER_DATELINE = re.compile(r"\s*(?:\([^()\n]{1,30}\)\s*)?(?:[.–—-].*)?")
"""After a dateline's date: an agency's tag if any ("(AFP)", "(APMnews)"), then a dash and the text, or nothing."""
_TIME = re.compile(r"\s*(?:,|a|-|–)?\s*[012]?\d\s*(?:h|:)\s*(?:[0-5]\d)?(?:\s*min)?")
"""A time after a date ("à 18h32", "- 09:15")."""
_LINE_END = re.compile(r"\s*[.)]?\s*")
_MASTHEAD = re.compile(r"[A-ZÀ-Ý0-9][^\n|]{1,60}?\s[|–—-]\s+(?:le\s+)?")
"""A newspaper's or bulletin's name, then a dash or a bar and the issue's date ("La Voix du Marmandais – 12 mai
2022", "Actualités | 12.03.2022"); a bar only on a line that is no table row."""

RULE_DATELINE = "date_publication_dateline"
RULE_ALONE = "date_publication_header_line"
RULE_MASTHEAD = "date_publication_masthead"
RULE_BYLINE = "date_publication_byline"


def publication_rule(text: str, folded: str, candidate: Candidate) -> str | None:
    """The rule that makes a date the publication date, if one does."""
    line_start, line_end = line(text, candidate.start, candidate.end)
    in_header = _lines_within(text[:line_start])
    closes_line = _closes_line(folded, candidate.end, line_end)
    rules = grammar()
    if candidate.precision in ("day", "month") and closes_line:
        label = rules.publication_label
        if in_header and label.pattern.fullmatch(folded, line_start, candidate.start):
            return label.id
        periodical = rules.publication_periodical
        cited = periodical.pattern.search(folded, line_start, candidate.start)
        if cited and (in_header or _lines_within(text[line_end:])):
            return periodical.id
    if candidate.precision != "day" or candidate.label_only:
        return None
    label_start = context_start(text, candidate)
    if rules.publication_before.pattern.search(folded, label_start, candidate.start):
        return rules.publication_before.id
    if label_start < line_start or not in_header:
        return None
    before, after = text[line_start : candidate.start], text[candidate.end : line_end]
    if folded[line_start : candidate.start].strip() in ("", "le", "ce") and (
        closes_line or _AUTHOR_AFTER.fullmatch(folded, candidate.end, line_end)
    ):
        return RULE_ALONE
    if _BYLINE.fullmatch(before) is not None and closes_line:
        return RULE_BYLINE
    if _DATELINE_PLACE.fullmatch(before) is not None and _AFTER_DATELINE.fullmatch(after) is not None:
        return RULE_DATELINE
    if "|" in before and _next_to_a_table_row(text, line_start, line_end):
        return None
    return RULE_MASTHEAD if _is_masthead(folded, before, after, line_start, candidate) else None


def _next_to_a_table_row(text: str, line_start: int, line_end: int) -> bool:
    """The line above or below holds a "|": the date's line is a table row, not a masthead."""
    above = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
    below_end = text.find("\n", line_end + 1)
    return "|" in above or "|" in text[line_end + 1 : below_end if below_end >= 0 else len(text)]


def _lines_within(text: str) -> bool:
    """``text`` has fewer than ``_HEADER_LINES`` non-empty lines: a date before or after it is in a header or a
    footer."""
    return sum(1 for row in text.split("\n") if row.strip()) < _HEADER_LINES


def _closes_line(folded: str, end: int, line_end: int) -> bool:
    """Nothing but a time or a full stop follows the date on its line."""
    time = _TIME.match(folded, end, line_end)
    return _LINE_END.fullmatch(folded, time.end() if time else end, line_end) is not None


def _is_masthead(folded: str, before: str, after: str, line_start: int, candidate: Candidate) -> bool:
    """The date closes a title line after a dash, with nothing after it, and the title names no event.

    "Signature du contrat – 14 mars 2023" dates the signature, not the page: a sentence cue in
    the title rules the masthead reading out.
    """
    if _MASTHEAD.fullmatch(before) is None or after.strip(" ."):
        return False
    return not any(cue.pattern.search(folded, line_start, candidate.start) for cue in grammar().sentence_cues)


def as_date(hint: object) -> date | None:
    """``published_hint`` as a plain date (a datetime would not compare with dates)."""
    if isinstance(hint, datetime):
        return hint.date()
    return hint if isinstance(hint, date) else None


def publication_date(dates: list[DateFact], hint: date | None = None) -> date | None:
    """The document's publication date: the first stated one given to the day, else ``hint`` (HTML metadata).

    A month ("paru en mars 2019") is a ``dates`` row but no ``published_on``: a made-up first of
    the month would pass for a stated day.
    """
    stated = (d.value for d in dates if d.role == "publication" and d.value is not None and d.precision == "day")
    return next(stated, None) or as_date(hint)
