"""The date grammar: candidate shapes and cue patterns compiled once from the pattern files.

Every pattern is matched on the folded text (``fold_same_length``: lower case, no accents,
same offsets as ``doc.text``), so the pattern files are written folded too. Each cue keeps
the ``id`` of its pattern row: a date's ``rule`` says which row decided its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.patterns import alternation, load
from pipeline.records import DateRole

YEAR = r"(?P<year>(?:19|20)\d{2})(?!\w|[-/.,]\d)"
"""A four-digit year of this century or the last, not the start of a longer number or a numeric date."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A compiled cue and the ``id`` of the pattern row it comes from."""

    id: str
    role: DateRole
    pattern: re.Pattern[str]
    subject: re.Pattern[str] | None = None
    """For a weak cue ("lancée"): what its sentence must open on, if the cue itself does not open it; the
    cue then claims only a date right after it ("La communauté a été lancée le 5 mars", not "La campagne
    lancée le 3 octobre")."""


@dataclass(frozen=True, slots=True)
class Grammar:
    """The compiled candidate shapes and cue patterns."""

    shapes: tuple[tuple[str, re.Pattern[str]], ...]
    """(precision, regex) in priority order: an earlier shape wins an overlap."""
    season_months: dict[str, int]
    past_marker: re.Pattern[str]
    sentence_cues: tuple[Cue, ...]
    next_sentence: Cue
    """A sentence opening with it ("En paraphant cette convention, ...") names the event of the one before."""
    publication_before: Cue
    publication_periodical: Cue
    """Before the date on its line ("paru dans Le Journal n° 12, mars 2019")."""
    publication_label: Cue
    """A header line that is only this label and a date ("date 2021-07")."""
    own_time: re.Pattern[str]
    """Right after a cue, the event's own undated time ("a vu le jour il y a deux ans")."""
    amendment: re.Pattern[str]
    relative_days: dict[str, int]
    relative_day: re.Pattern[str]
    past_weekday: re.Pattern[str]
    """A weekday marked as past ("mardi dernier"): group ``weekday`` is a key of ``weekday_numbers``."""
    done_on_weekday: re.Pattern[str]
    """A bare weekday right after a signing or founding verb in a past tense ("a officiellement signé lundi"):
    group ``weekday`` as in ``past_weekday``."""
    weekday_numbers: dict[str, int]
    """Each weekday's number, Monday 0 as ``date.weekday()``: its place in the calendar row."""


def _rows(rows: tuple[dict, ...], key: str, value: str) -> list[dict]:
    return [row for row in rows if row.get(key) == value]


def _forms(rows: tuple[dict, ...], key: str, value: str) -> list[str]:
    """The ``forms`` of every pattern row whose ``key`` is ``value``."""
    return [form for row in _rows(rows, key, value) for form in row["forms"]]


def _words(forms: list[str]) -> str:
    """The forms as whole words, an elided article before them allowed ("l'adhésion à l'ACI"): the
    ``word_start`` piece of ``dates_cues.jsonl``."""
    word_start = next(row["piece"] for row in load("dates_cues") if row.get("id") == "word_start")
    return rf"(?:{word_start})(?:{alternation(forms)})(?!\w)"


def _subject(row: dict) -> re.Pattern[str] | None:
    if row["scope"] != "right_after":
        return None
    return re.compile(rf"\s*(?:(?:{alternation(row['forms'])})|(?:{alternation(row['subject'])}))(?!\w)")


def _cue(row: dict, template: str) -> Cue:
    """A cue whose ``forms`` fill the ``{}`` of a regex template."""
    return Cue(row["id"], row["cue"], re.compile(template.format(alternation(row["forms"]))))


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """Compile the shapes and cues of ``dates_calendar.jsonl`` and ``dates_cues.jsonl``."""
    calendar = load("dates_calendar")
    cues = load("dates_cues")
    months = alternation(_forms(calendar, "kind", "month"))
    weekdays = alternation(_forms(calendar, "kind", "weekday"))
    season_months = {row["form"]: row["month"] for row in _rows(calendar, "kind", "season")}
    relative_days = {row["form"]: row["offset"] for row in _rows(calendar, "kind", "relative_day")}
    seasons = alternation(list(season_months))
    deadline_words = _forms(cues, "cue", "deadline")
    year_intros = alternation(_forms(calendar, "kind", "year_intro") + deadline_words)
    day = r"[0-3]?\d(?:\s?(?:er|re|ere))?"
    past_markers = alternation(_forms(calendar, "kind", "past_marker"))
    past_month = rf"(?:{months})\s+(?:{past_markers})(?!\w)"
    month_intros = "en|au mois d'|au mois de|courant|debut|fin|mi-"
    not_this_year = f"{past_markers}|prochain"
    shapes = (
        ("day", rf"(?<![\w/.,-])(?:(?:{weekdays})\s+)?{day}\s+(?:{months})(?!\w)(?:\s+{YEAR})?"),
        ("day", rf"(?<![\w/.,-])(?P<year>(?:19|20)\d{{2}})-[01]?\d-[0-3]?\d(?![\w-]|[.,]\d)"),
        ("day", rf"(?<![\w/.,-])[0-3]?\d(?P<sep>[/.-])[01]?\d(?P=sep){YEAR}"),
        ("day", rf"(?<![\w/.,-])[0-3]?\d(?P<sep>[/.])[01]?\d(?P=sep)(?P<year>\d{{2}})(?![\w/]|[.,-]\d|\s\d\d\b)"),
        ("season", rf"(?<![\w'])(?:l'|au\s|en\s|cet?\s|le\s)\s*(?P<span>(?P<season>{seasons})\s+{YEAR})"),
        ("month", rf"(?<![\w'])(?:{months})\s+{YEAR}"),
        ("past_month", rf"(?<![\w'])(?:{month_intros})\s*(?P<span>{past_month})"),
        (
            "year_less_month",
            rf"(?<![\w'])(?:{month_intros})\s*(?P<span>{months})(?![\w'])(?!\s+(?:\d|{not_this_year}))",
        ),
        ("iso_month", rf"(?<![\w/.,-])(?P<year>(?:19|20)\d{{2}})-(?P<month>0?[1-9]|1[0-2])(?![\w-]|[.,/]\d)"),
        ("year", rf"(?<![\w'])(?:{year_intros})\s+(?P<span>{YEAR})"),
    )
    scoped = {(row["cue"], row["scope"]): row for row in cues if "cue" in row}
    publication = scoped["publication", "before"]
    return Grammar(
        shapes=tuple((precision, re.compile(shape)) for precision, shape in shapes),
        season_months=season_months,
        past_marker=re.compile(rf"\s+(?:{past_markers})(?!\w)"),
        sentence_cues=tuple(
            Cue(row["id"], row["cue"], re.compile(_words(row["forms"])), _subject(row))
            for row in cues
            if row.get("scope") in ("sentence", "right_after")
        ),
        next_sentence=_cue(scoped["signature", "next_sentence"], r"\s*(?:{})(?!\w)"),
        publication_before=Cue(
            publication["id"],
            "publication",
            re.compile(rf"(?<![\w'])(?:{alternation(publication['forms'])})\s*[:,|–—-]?\s*(?:le\s+)?$"),
        ),
        publication_periodical=_cue(scoped["publication", "periodical"], r"(?<![\w'])(?:{})(?!\w)[^.!?\n]{{0,80}}$"),
        publication_label=_cue(scoped["publication", "header_label"], r"\s*(?:{})\s*[:,–—-]?\s*(?:le\s+|du\s+)?$"),
        own_time=re.compile(rf"\s*(?:{alternation(_forms(cues, 'cue', 'own_time'))})(?!\w)"),
        amendment=re.compile(_words(_forms(cues, "cue", "amendment"))),
        relative_days=relative_days,
        relative_day=re.compile(rf"(?<![\w'-])(?:{alternation(list(relative_days))})(?![\w'-])"),
        past_weekday=re.compile(rf"(?<![\w'-])(?P<weekday>{weekdays})\s+(?:{past_markers})(?!\w)"),
        done_on_weekday=re.compile(
            rf"(?<![\w'])(?:{alternation(_forms(calendar, 'kind', 'past_auxiliary'))})\s+(?:[a-z]+ment\s+)?"
            rf"(?:{alternation(_forms(calendar, 'kind', 'event_participle'))})\s+(?:ce\s+)?"
            rf"(?P<weekday>{weekdays})(?![\w'-])(?!\s+\d)"
        ),
        weekday_numbers={form: number for number, form in enumerate(_forms(calendar, "kind", "weekday"))},
    )
