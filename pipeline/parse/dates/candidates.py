"""Date candidates: the date-shaped spans of a text and the value each span gives on its own.

Candidates are regular expressions over the folded text built from the calendar words of
``patterns/dates_calendar.jsonl``: a day and month with optional weekday and year ("lundi 5
octobre 2020", "1er mars", "ce 07 décembre"), a numeric date ("05/10/2020"), a month and year
("septembre 2019"), a month without a year after "en", "fin", "début"... ("en juin dernier", "signé
fin mars"; not "en mars prochain"), a season and year after an
article ("l'été 2019"), and a bare year only after a word that introduces one ("en 2019", "d'ici
2025"). Times ("14 h"), durations ("sur 5
ans"), phone numbers, amounts, counts and programme names ("Ma Santé 2022") never fit these
shapes. Days named from the publication ("hier", "aujourd'hui") are candidates with an offset, a
past weekday ("mardi dernier", or a bare one right after a past signing verb: "a signé lundi") with its
weekday: all are placed against the publication day.

Values: spans with a month are converted by dateparser on the span alone, with explicit
settings (French, DMY, first day of the month, ``RELATIVE_BASE``, ``REQUIRE_PARTS``) so that
neither today's date nor the local timezone can leak in. Seasons (first month of the season)
and bare years (1 January) come from the table: dateparser knows no seasons and adds nothing
to a four-digit year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

import dateparser

from pipeline.parse.dates.grammar import Grammar, grammar
from pipeline.records import DatePrecision

NO_BASE = datetime(1900, 1, 1)
"""RELATIVE_BASE when the document has no publication date: far from any real date, never today."""
_LEAP_YEAR = 2000
"""Year used only to check that a year-less day and month exist (29 février included)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A date-shaped span (``span`` is its folded text); ``value`` is None until a year is known."""

    start: int
    end: int
    span: str
    precision: DatePrecision
    value: date | None
    day_month: date | None = None
    """For a year-less day and month: that day in ``_LEAP_YEAR``, to validate and deduplicate it."""
    past: bool = False
    """A year-less date marked as past ("le 15 décembre dernier"): the last such day before publication."""
    offset: int | None = None
    """For a day named relative to the publication ("hier", "aujourd'hui"): days after it."""
    month: int | None = None
    """For a month without a year: its number, placed in the last such month before the publication's month
    ("en juin dernier", ``past``), or in the publication's year when not after its month ("signé fin mars")."""
    weekday: int | None = None
    """For a weekday marked as past ("mardi dernier"): its number (Monday 0), placed on the last such day
    before the publication day."""
    label_only: bool = False
    """A numeric year and month ("2021-07"): a date only as a publication label, else a reference or a range."""


def parse_span(span: str, parts: list[str], base: datetime) -> date | None:
    """dateparser on one candidate span, with every setting explicit (never now, never the local zone)."""
    return _parse_span(span, tuple(parts), base)


@lru_cache(maxsize=4096)
def _parse_span(span: str, parts: tuple[str, ...], base: datetime) -> date | None:
    """``parse_span``, remembered: its value depends on its arguments alone, and the same spans ("1er mars
    2023") come back in document after document, where dateparser costs about 3 ms a span."""
    parsed = dateparser.parse(
        span,
        languages=["fr"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_DATES_FROM": "current_period",
            "RELATIVE_BASE": base,
            "REQUIRE_PARTS": list(parts),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def find_candidates(text: str, folded: str) -> list[Candidate]:
    """Every date-shaped span with its value when the span alone gives one; invalid dates are left out.

    A year after "des" is a year only where the text writes "dès" ("fondée dès 2019"): the
    article "des" never introduces one.
    """
    rules = grammar()
    taken: list[tuple[int, int]] = []
    found: list[Candidate] = []

    def free(start: int, end: int) -> bool:
        return not any(start < other_end and other_start < end for other_start, other_end in taken)

    for precision, shape in rules.shapes:
        for match in shape.finditer(folded):
            start, end = match.span("span" if "span" in shape.groupindex else 0)
            if precision == "year" and _without_accent_des(text, match.start(), start):
                continue
            if not free(start, end):
                continue
            taken.append((start, end))  # even when invalid: "31 février 2021" must not become "février 2021"
            candidate = _candidate(precision, match, start, end, rules)
            if candidate is not None and candidate.precision == "no_year" and rules.past_marker.match(folded, end):
                candidate = replace(candidate, past=True)
            if candidate is not None:
                found.append(candidate)
    for match in rules.relative_day.finditer(folded):
        if free(*match.span()):
            offset = rules.relative_days[re.sub(r"\s+", " ", match.group())]
            found.append(Candidate(match.start(), match.end(), match.group(), "day", None, offset=offset))
    for match in rules.past_weekday.finditer(folded):
        if free(*match.span()):
            weekday = rules.weekday_numbers[match["weekday"]]
            found.append(Candidate(match.start(), match.end(), match.group(), "day", None, weekday=weekday))
            taken.append(match.span())
    for match in rules.done_on_weekday.finditer(folded):
        start, end = match.span("weekday")
        if free(start, end):
            weekday = rules.weekday_numbers[match["weekday"]]
            found.append(Candidate(start, end, match["weekday"], "day", None, weekday=weekday))
    return sorted(found, key=lambda c: c.start)


def _candidate(precision: str, match: re.Match[str], start: int, end: int, rules: Grammar) -> Candidate | None:
    """The candidate for one match, with the value its span gives on its own; None for an impossible date."""
    span, year = match.string[start:end], match.groupdict().get("year")
    if precision == "season":
        return Candidate(start, end, span, "season", date(int(year), rules.season_months[match["season"]], 1))
    if precision == "year":
        return Candidate(start, end, span, "year", date(int(year), 1, 1))
    if precision in ("past_month", "year_less_month"):
        month = parse_span(f"1 {span.split()[0]} {_LEAP_YEAR}", ["day", "month", "year"], NO_BASE)
        past = precision == "past_month"
        return Candidate(start, end, span, "no_year", None, month, past=past, month=month.month) if month else None
    if precision == "iso_month":
        return Candidate(start, end, span, "month", date(int(year), int(match["month"]), 1), label_only=True)
    if year is None:
        day_month = parse_span(f"{span} {_LEAP_YEAR}", ["day", "month", "year"], NO_BASE)
        return Candidate(start, end, span, "no_year", None, day_month) if day_month else None
    value = parse_span(span, ["day", "month", "year"] if precision == "day" else ["month", "year"], NO_BASE)
    return Candidate(start, end, span, precision, value) if value else None


def _without_accent_des(text: str, intro_start: int, year_start: int) -> bool:
    """The word before a year is the article "des", not "dès"."""
    return text[intro_start:year_start].strip().lower() == "des"
