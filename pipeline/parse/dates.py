"""Dated events: signature, publication, creation, deadlines.

How a date is read
------------------
1. **Candidates** are regular expressions over ``fold_same_length(doc.text)``
   (same offsets as ``doc.text``, case and accents folded), built from the
   calendar words of ``patterns/dates_calendar.jsonl``: a day and month with
   optional weekday and year ("lundi 5 octobre 2020", "1er mars", "ce 07
   décembre"), a numeric date ("05/10/2020"), a month and year ("septembre
   2019"), a season and year after an article ("l'été 2019"), and a bare year
   only after a word that introduces one ("en 2019", "d'ici 2025"). Times
   ("14 h"), durations ("sur 5 ans"), phone numbers, amounts, counts and
   programme names ("Ma Santé 2022") never fit these shapes.
2. **Values**: spans with a month are converted by dateparser on the span
   alone, with explicit settings (French, DMY, first day of the month,
   ``RELATIVE_BASE`` = the publication date or 1900-01-01, ``REQUIRE_PARTS``)
   so that neither today's date nor the local timezone can leak in. Seasons
   (first month of the season) and bare years (1 January) come from the table:
   dateparser knows no seasons and adds nothing to a four-digit year.
3. **Roles** come from ``patterns/dates_cues.jsonl``. A signature or creation
   cue ("signé", "contractualisé", "née", "créée") anywhere in the sentence is
   claimed by the nearest date within ``_CUE_REACH`` characters, so in "créée
   en 2019, elle a signé le 5 mars 2021" each cue finds its own date; a date
   both cues claim gets both rows; a date that opens its sentence ("Le 29 septembre
   2022, ...") is claimed however far the cue. "Depuis la signature" only claims a
   date right after it; "hier", "aujourd'hui" count only right after a cue ("a signé
   hier") and take their value from the publication date. A date in a table row
   ("a | b | c" lines) takes the role of its column's header; the date nearest to
   "avenant" is an amendment's signature, "other". A deadline cue ("d'ici", "avant la fin
   de") must stand right before the date and then overrides the sentence cues
   (a target is not yet an event). A date is the publication date when it
   stands alone on a line or as a dateline ("Lyon, le 3 mars 2022") among the
   first ``_HEADER_LINES`` lines, or after a publication cue on its line
   ("Publié le", "Communiqué de presse du"); only a full date (day precision)
   is a publication date, so it can bound the other dates. A date no cue
   claims is "other" when its sentence speaks of this CPTS ("la CPTS", its
   name), and dropped when it only dates background (the national ACI "depuis
   l'été 2019").
4. **Dropped**: a date in the same clause after the name of a legal text ("loi
   de modernisation du système de santé de janvier 2016", "décret du ...") is
   part of that text's name, not an event of the CPTS.
5. **The publication date** is the first stated one, else
   ``doc._.published_hint`` (HTML metadata). A day and month without a year
   take its year; without a publication date their value is None
   (``no_year``): the year is never taken from today. No date may fall after
   the publication date: a year-less date that would is nulled (``no_year``,
   as "ce 7 décembre" in a release of 11 février cannot be placed), and a
   stated date that does is dropped unless it is a deadline (targets are in
   the future by nature).
6. The same date with the same role and precision stated twice is one row
   (the first); "septembre 2021" and "l'automne 2021" stay two rows. In a
   release about several CPTS this holds for each CPTS (its section and the
   shared introduction, ``pipeline.normalise.owners``): each section keeps its
   own signature date unless the introduction already gave it to all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.normalise.owners import Owners
from pipeline.patterns import load
from pipeline.records import DateFact, DatePrecision, DateRole
from pipeline.parse.segment import folded_text, sentence_bounds

Doc.set_extension("dates", default=None, force=True)

_NO_BASE = datetime(1900, 1, 1)
"""RELATIVE_BASE when the document has no publication date: far from any real date, never today."""
_LEAP_YEAR = 2000
"""Year used only to check that a year-less day and month exist (29 février included)."""
_HEADER_LINES = 15
"""A date alone on one of the first non-empty lines is the release's date line."""
_CUE_REACH = 150
"""Farthest a signature or creation cue may be from the date it qualifies, in characters."""
_LEGAL_REACH = 80
"""How far back, within the clause, a legal text's name makes a date part of that name."""
_ROLE_ORDER: tuple[DateRole, ...] = ("publication", "signature", "creation", "deadline", "other")
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\w|[-/.,]\d)"
_OF_DATE = re.compile(r"(?:\bdu|\bde|\bd'|\ben date du)\s*(?:(?:le|la|l')\s*)?$")
"""What ties a date to a legal text's name: "loi du 24 juillet 2019", "décret n° 2019-1234 du ..."."""
_CLAUSE_END = re.compile(r"[,;:()«».!?\n]")
_DATELINE_PLACE = re.compile(r"[A-ZÀ-Ý][\w'’ -]{1,40},\s*(?:le\s+)?")
_AFTER_DATELINE = re.compile(r"\s*(?:[.–—-].*)?")
_MASTHEAD = re.compile(r"[A-ZÀ-Ý0-9][^\n|]{1,60}?\s[–—-]\s+(?:le\s+)?")
"""A newspaper's or bulletin's name, then a dash and the issue's date ("La Voix du Marmandais – 12 mai 2022")."""


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The compiled candidate shapes and cue patterns, built once from the pattern files."""

    shapes: tuple[tuple[str, re.Pattern[str]], ...]
    """(precision, regex) in priority order: an earlier shape wins an overlap."""
    season_months: dict[str, int]
    past_marker: re.Pattern[str]
    sentence_cues: tuple[tuple[DateRole, re.Pattern[str]], ...]
    deadline_before: re.Pattern[str]
    publication_before: re.Pattern[str]
    legal_name: re.Pattern[str]
    amendment: re.Pattern[str]
    relative_days: dict[str, int]
    relative_day: re.Pattern[str]
    event_reference: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Candidate:
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


def _alternation(forms: list[str]) -> str:
    """Regex alternation of folded words or phrases, longest first; a space matches any run of spaces."""
    longest_first = sorted(set(forms), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in form.split()) for form in longest_first)


def _forms(rows: tuple[dict, ...], key: str, value: str) -> list[str]:
    """The ``forms`` of every pattern row whose ``key`` is ``value``."""
    return [form for row in rows if row[key] == value for form in row["forms"]]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """Compile the shapes and cues of ``dates_calendar.jsonl`` and ``dates_cues.jsonl``."""
    calendar = load("dates_calendar")
    cues = load("dates_cues")
    months = _alternation(_forms(calendar, "kind", "month"))
    weekdays = _alternation(_forms(calendar, "kind", "weekday"))
    season_months = {row["form"]: row["month"] for row in calendar if row["kind"] == "season"}
    relative_days = {row["form"]: row["offset"] for row in calendar if row["kind"] == "relative_day"}
    seasons = _alternation(list(season_months))
    deadline_words = _forms(cues, "cue", "deadline")
    year_intros = _alternation(_forms(calendar, "kind", "year_intro") + deadline_words)
    day = r"[0-3]?\d(?:\s?(?:er|re|ere))?"
    shapes = (
        ("day", rf"(?<![\w/.,-])(?:(?:{weekdays})\s+)?{day}\s+(?:{months})(?!\w)(?:\s+{_YEAR})?"),
        ("day", rf"(?<![\w/.,-])(?P<year>(?:19|20)\d{{2}})-[01]?\d-[0-3]?\d(?![\w-]|[.,]\d)"),
        ("day", rf"(?<![\w/.,-])[0-3]?\d(?P<sep>[/.-])[01]?\d(?P=sep){_YEAR}"),
        ("day", rf"(?<![\w/.,-])[0-3]?\d(?P<sep>[/.])[01]?\d(?P=sep)(?P<year>\d{{2}})(?![\w/]|[.,-]\d|\s\d\d\b)"),
        ("season", rf"(?<![\w'])(?:l'|au\s|en\s|cet?\s|le\s)\s*(?P<span>(?P<season>{seasons})\s+{_YEAR})"),
        ("month", rf"(?<![\w'])(?:{months})\s+{_YEAR}"),
        ("year", rf"(?<![\w'])(?:{year_intros})\s+(?P<span>{_YEAR})"),
    )
    sentence_cues = tuple(
        (row["cue"], re.compile(rf"(?<![\w'])(?:{_alternation(row['forms'])})(?!\w)"))
        for row in cues
        if row["scope"] == "sentence"
    )
    before = r"(?:(?:la\s+)?(?:fin|debut|mi)(?:\s+|-)(?:de\s+|d'|du\s+)?)?(?:(?:l'annee|le|la|en|au|a|ce|cet)\s+|l')?$"
    return _Grammar(
        shapes=tuple((precision, re.compile(shape)) for precision, shape in shapes),
        season_months=season_months,
        past_marker=re.compile(rf"\s+(?:{_alternation(_forms(calendar, 'kind', 'past_marker'))})(?!\w)"),
        sentence_cues=sentence_cues,
        deadline_before=re.compile(rf"(?<![\w'])(?:{_alternation(deadline_words)})\s+{before}"),
        publication_before=re.compile(
            rf"(?<![\w'])(?:{_alternation(_forms(cues, 'cue', 'publication'))})\s*[:,–—-]?\s*(?:le\s+)?$"
        ),
        legal_name=re.compile(rf"(?<![\w'])(?:{_alternation(_forms(cues, 'cue', 'legal_name'))})(?!\w)"),
        amendment=re.compile(rf"(?<![\w'])(?:{_alternation(_forms(cues, 'cue', 'amendment'))})(?!\w)"),
        relative_days=relative_days,
        relative_day=re.compile(rf"(?<![\w'-])(?:{_alternation(list(relative_days))})(?![\w'-])"),
        event_reference=re.compile(
            rf"(?<![\w'])(?:{_alternation(_forms(cues, 'cue', 'event_reference'))})\s+(?:la|sa|leur|cette)\s+$"
        ),
    )


def _parse(span: str, parts: list[str], base: datetime) -> date | None:
    """dateparser on one candidate span, with every setting explicit (never now, never the local zone)."""
    parsed = dateparser.parse(
        span,
        languages=["fr"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_DATES_FROM": "current_period",
            "RELATIVE_BASE": base,
            "REQUIRE_PARTS": parts,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _candidates(folded: str) -> list[_Candidate]:
    """Every date-shaped span with its value when the span alone gives one; invalid dates are left out."""
    grammar = _grammar()
    taken: list[tuple[int, int]] = []
    found: list[_Candidate] = []
    for precision, shape in grammar.shapes:
        for match in shape.finditer(folded):
            start, end = match.span("span" if "span" in shape.groupindex else 0)
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))  # even when invalid: "31 février 2021" must not become "février 2021"
            candidate = _candidate(precision, match, start, end, grammar)
            if candidate is not None and candidate.precision == "no_year" and grammar.past_marker.match(folded, end):
                candidate = replace(candidate, past=True)
            if candidate is not None:
                found.append(candidate)
    for match in grammar.relative_day.finditer(folded):
        if not any(match.start() < other_end and other_start < match.end() for other_start, other_end in taken):
            offset = grammar.relative_days[re.sub(r"\s+", " ", match.group())]
            found.append(_Candidate(match.start(), match.end(), match.group(), "day", None, offset=offset))
    return sorted(found, key=lambda c: c.start)


def _candidate(precision: str, match: re.Match[str], start: int, end: int, grammar: _Grammar) -> _Candidate | None:
    """The candidate for one match, with the value its span gives on its own; None for an impossible date."""
    span, year = match.string[start:end], match["year"]
    if precision == "season":
        return _Candidate(start, end, span, "season", date(int(year), grammar.season_months[match["season"]], 1))
    if precision == "year":
        return _Candidate(start, end, span, "year", date(int(year), 1, 1))
    if year is None:
        day_month = _parse(f"{span} {_LEAP_YEAR}", ["day", "month", "year"], _NO_BASE)
        return _Candidate(start, end, span, "no_year", None, day_month) if day_month else None
    value = _parse(span, ["day", "month", "year"] if precision == "day" else ["month", "year"], _NO_BASE)
    return _Candidate(start, end, span, precision, value) if value else None


def _units(doc: Doc, candidates: list[_Candidate]) -> list[tuple[int, int, list[_Candidate]]]:
    """Candidates grouped by sentence.

    A span across a sentence break ("févr. 2022") joins both sentences; a label line
    ("Date de signature :") joins the value on the next line. The other sentences of the
    date's paragraph stay out: "... suit la signature. Le reste ... l'ARS avait accordé
    20 000 € en 2020" does not date the signature.
    """
    bounds = _wrapped_sentences(doc)
    text = doc.text
    units: list[tuple[int, int, list[_Candidate]]] = []
    for candidate in candidates:
        lo = next((s for s, e in bounds if s <= candidate.start < e), candidate.start)
        if _context_start(text, candidate) < _line(text, candidate.start, candidate.end)[0]:
            lo = min(lo, _context_start(text, candidate))
        hi = next((e for s, e in bounds if s < candidate.end <= e), candidate.end)
        if units and lo < units[-1][1]:
            start, end, members = units[-1]
            units[-1] = (start, max(end, hi), [*members, candidate])
        else:
            units.append((lo, hi, [candidate]))
    return units


def _wrapped_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans, a sentence that starts a line in lower case joined to the one above: hard-wrapped
    text breaks lines inside sentences ("ont signé" / "le 12 décembre 2022 l'accord")."""
    bounds: list[tuple[int, int]] = []
    text = doc.text
    for start, end in sentence_bounds(doc):
        before = text[bounds[-1][0] : start].rstrip(" ") if bounds else ""
        if text[start : start + 1].islower() and before.endswith("\n") and before.strip() and before[-2:] != "\n\n":
            bounds[-1] = (bounds[-1][0], end)
        else:
            bounds.append((start, end))
    return bounds


def _distance(candidate: _Candidate, start: int, end: int) -> int:
    return max(candidate.start - end, start - candidate.end, 0)


_LINK = re.compile(
    r"\s*(?:(?:a ete|ont ete|est|sera)\s+)?"
    r"(?:(?:son|sa|ses|leur|leurs|le|la|les|l'|un|une|ce|cet|cette)\s*[^,.;:()\n]{0,60}?\s+)?"
    r"(?:le|en|au|ce|cet|cette|depuis|des|du|courant)?\s*"
)
"""Between a cue and the date it governs: "signé le", "créée en", "a signé son contrat ACI le"."""


def _cue_distance(folded: str, candidate: _Candidate, start: int, end: int) -> tuple[int, bool]:
    """How far a cue is from a date, for choosing the date it qualifies.

    A date right after the cue, its object and a link word ("signé le 4 avril", "créée en 2019", "a signé son
    contrat le 4 avril") is at distance 0;
    on a tie the date after the cue wins, so in "lancée en juin 2020, a signé le 4 avril 2022" the
    signature is the April date.
    """
    after = candidate.start >= end
    if after and _LINK.fullmatch(folded, end, candidate.start):
        return 0, False
    return _distance(candidate, start, end), not after


def _cue_roles(doc: Doc, folded: str, candidates: list[_Candidate]) -> dict[int, set[DateRole]]:
    """Signature and creation roles: each cue goes to the date of its sentence it claims (``_claimed``).

    A date in a table row takes the role its column's header says ("Date de signature"). A
    signature that an "avenant" claims (the nearest date to that word) is the amendment's, not
    the contract's: it is "other", so ``cpts.signature_date`` stays the contract's own date.
    """
    roles: dict[int, set[DateRole]] = {c.start: set() for c in candidates}
    amended: set[int] = set()
    for lo, hi, members in _units(doc, candidates):
        for role, cue in _grammar().sentence_cues:
            for match in cue.finditer(folded, lo, hi):
                claimed = _claimed(folded, members, match, lo)
                if claimed is not None:
                    roles[claimed.start].add(role)
        for match in _grammar().amendment.finditer(folded, lo, hi):
            nearest = min(members, key=lambda c: _distance(c, match.start(), match.end()))
            if _distance(nearest, match.start(), match.end()) <= _CUE_REACH:
                amended.add(nearest.start)
    text = doc.text
    for candidate in candidates:
        header = _column_header(text, candidate)
        for role, cue in _grammar().sentence_cues if header else ():
            if cue.search(folded, *header):
                roles[candidate.start].add(role)
    for start in amended:
        roles[start].discard("signature")
    return roles


def _claimed(folded: str, members: list[_Candidate], cue: re.Match[str], lo: int) -> _Candidate | None:
    """The date of a sentence (starting at ``lo``) that a signature or creation cue qualifies, if any.

    The nearest date within ``_CUE_REACH``, or a date that opens the sentence ("Le 29 septembre
    2022, la CPAM, l'ARS et la CPTS ... ont signé") however long the subject. A cue after "depuis
    la", "dès la", "avant la"... names the event as a point in time ("Depuis la signature, la CPTS
    a orienté 6 500 patients en 2022"): it claims only a date right after it ("dès la signature,
    le 3 mars"). So does any cue for a day named from the publication ("a signé hier"; not "qui
    compte aujourd'hui 80 membres, a signé").
    """
    claimable = [c for c in members if c.offset is None or _right_after(folded, c, cue)]
    if not claimable:
        return None
    nearest = min(claimable, key=lambda c: _cue_distance(folded, c, cue.start(), cue.end()))
    if _grammar().event_reference.search(folded, lo, cue.start()):
        return nearest if _right_after(folded, nearest, cue) else None
    if _distance(nearest, cue.start(), cue.end()) <= _CUE_REACH or _opens(folded, nearest, lo):
        return nearest
    return None


_APPOSED = re.compile(r"\s*,\s*(?:(?:le|en|au|a|a l'|l')\s*)?")


def _right_after(folded: str, candidate: _Candidate, cue: re.Match[str]) -> bool:
    """The date follows the cue with only a link or an apposition between ("signé le 4 avril", "a signé
    hier", "depuis sa création, à l'automne 2020")."""
    return _cue_distance(folded, candidate, cue.start(), cue.end()) == (0, False) or (
        candidate.start >= cue.end() and bool(_APPOSED.fullmatch(folded, cue.end(), candidate.start))
    )


_OPENING = re.compile(r"\s*(?:(?:le|ce|des le|depuis le)\s+)?")


def _opens(folded: str, candidate: _Candidate, lo: int) -> bool:
    """The date opens its sentence, set off by a comma: "Le 29 septembre 2022, ..."."""
    return bool(_OPENING.fullmatch(folded, lo, candidate.start)) and folded[candidate.end : candidate.end + 1] == ","


def _column_header(text: str, candidate: _Candidate) -> tuple[int, int] | None:
    """The header cell above a date in a table flattened to "a | b | c" lines, if any.

    The header is the first line of the block of adjacent lines with as many "|" as the date's
    line; its cell in the date's column must hold no digit (a data row is not a header).
    """
    line_start, line_end = _line(text, candidate.start, candidate.end)
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


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def _context_start(text: str, candidate: _Candidate) -> int:
    """Start of the date's line, or of the line before when that one is a label ("Date de signature :")."""
    line_start = text.rfind("\n", 0, candidate.start) + 1
    previous = text[:line_start].rstrip()
    return previous.rfind("\n") + 1 if previous.endswith(":") else line_start


def _is_publication(text: str, folded: str, candidate: _Candidate) -> bool:
    """A full date on the release's date line, or after a publication cue on its line."""
    if candidate.precision != "day":
        return False
    line_start, line_end = _line(text, candidate.start, candidate.end)
    context_start = _context_start(text, candidate)
    if _grammar().publication_before.search(folded, context_start, candidate.start):
        return True
    if context_start < line_start or sum(1 for line in text[:line_start].split("\n") if line.strip()) >= _HEADER_LINES:
        return False
    before, after = text[line_start : candidate.start], text[candidate.end : line_end]
    alone = folded[line_start : candidate.start].strip() in ("", "le", "ce") and not after.strip(" .")
    dateline = _DATELINE_PLACE.fullmatch(before) is not None and _AFTER_DATELINE.fullmatch(after) is not None
    return alone or dateline or _is_masthead(folded, before, after, line_start, candidate)


def _is_masthead(folded: str, before: str, after: str, line_start: int, candidate: _Candidate) -> bool:
    """The date closes a title line after a dash, with nothing after it, and the title names no event.

    "Signature du contrat – 14 mars 2023" dates the signature, not the page: a sentence cue in
    the title rules the masthead reading out.
    """
    if _MASTHEAD.fullmatch(before) is None or after.strip(" ."):
        return False
    return not any(cue.search(folded, line_start, candidate.start) for _, cue in _grammar().sentence_cues)


def _is_legal_name(folded: str, candidate: _Candidate) -> bool:
    """The date closes the name of a law or decree in the same clause ("loi ... de janvier 2016").

    The date must hang on the name by "de", "du" or "en date du": in "constituée en association loi
    1901 en mars 2019" the law is named in full before a date of the CPTS's own.
    """
    window_start = max(0, candidate.start - _LEGAL_REACH)
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(folded, window_start, candidate.start)]
    names = list(_grammar().legal_name.finditer(folded, max([window_start, *clause_starts]), candidate.start))
    return bool(names) and _OF_DATE.search(folded, names[-1].end(), candidate.start) is not None


def _is_deadline(folded: str, candidate: _Candidate) -> bool:
    """A deadline cue ends right before the date ("d'ici", "avant la fin de l'année"); 60 characters hold any."""
    line_start = folded.rfind("\n", 0, candidate.start) + 1
    return _grammar().deadline_before.search(folded, max(line_start, candidate.start - 60), candidate.start) is not None


def _roles(doc: Doc, folded: str, candidates: list[_Candidate]) -> dict[int, set[DateRole]]:
    """Every role of every kept candidate, keyed by its start; legal-text dates are left out."""
    roles = _cue_roles(doc, folded, candidates)
    units = {c.start: (lo, hi) for lo, hi, members in _units(doc, candidates) for c in members}
    kept: dict[int, set[DateRole]] = {}
    text = doc.text
    for candidate in candidates:
        if candidate.offset is not None:
            if roles[candidate.start]:
                kept[candidate.start] = roles[candidate.start]
            continue
        if _is_legal_name(folded, candidate):
            continue
        found = {"deadline"} if _is_deadline(folded, candidate) else roles[candidate.start]
        if _is_publication(text, folded, candidate):
            found = found | {"publication"}
        if not found and not _speaks_of_this_cpts(doc, folded, units[candidate.start]):
            continue
        kept[candidate.start] = found or {"other"}
    return kept


_THIS_CPTS = re.compile(r"\b(?:la|cette|notre|votre|sa) (?:cpts|communaute professionnelle)\b")


def _speaks_of_this_cpts(doc: Doc, folded: str, unit: tuple[int, int]) -> bool:
    """The sentence is about the CPTS itself ("la CPTS", its name), not background on CPTS in general.

    A date no cue claims is kept as "other" only in such a sentence: "Depuis
    l'été 2019, un accord conventionnel favorise leur déploiement" dates the
    national framework, not an event of this CPTS.
    """
    lo, hi = unit
    if _THIS_CPTS.search(folded, lo, hi):
        return True
    return any(lo <= m.char_start < hi for m in doc._.cpts_mentions or [])


def _as_date(hint: object) -> date | None:
    """``published_hint`` as a plain date (a datetime would not compare with dates)."""
    if isinstance(hint, datetime):
        return hint.date()
    return hint if isinstance(hint, date) else None


def _place(candidate: _Candidate, role: DateRole, published: date | None) -> tuple[date | None, DatePrecision] | None:
    """Value and precision of one row, with the publication date's year and bound applied; None drops it."""
    if candidate.offset is not None:
        return (published + timedelta(days=candidate.offset), "day") if published else None
    if candidate.precision == "no_year":
        if published is None:
            return None, "no_year"
        base = datetime(published.year, published.month, published.day)
        span_value = _parse(f"{candidate.span} {published.year}", ["day", "month", "year"], base)
        if span_value is not None and span_value > published and candidate.past:
            span_value = _parse(f"{candidate.span} {published.year - 1}", ["day", "month", "year"], base)
        if span_value is None or span_value > published:
            return None, "no_year"
        return span_value, "day"
    if published is not None and candidate.value is not None and candidate.value > published and role != "deadline":
        return None
    return candidate.value, candidate.precision


def extract_dates(doc: Doc) -> list[DateFact]:
    """Dated events of the document with their roles, in text order (see the module docstring)."""
    text = doc.text
    folded = folded_text(doc)
    candidates = _candidates(folded)
    roles = _roles(doc, folded, candidates)
    kept = [c for c in candidates if c.start in roles]
    stated = next((c.value for c in kept if "publication" in roles[c.start]), None)
    published = stated or _as_date(doc._.published_hint)
    owners = Owners(doc._.cpts or [], doc._.cpts_mentions or [], text)
    facts: list[DateFact] = []
    seen: set[tuple[str, DateRole, DatePrecision, date | None, date | None]] = set()
    for candidate in kept:
        holders = owners(candidate.start) or ("",)
        for role in _ROLE_ORDER:
            placed = _place(candidate, role, published) if role in roles[candidate.start] else None
            if placed is None:
                continue
            value, precision = placed
            keys = {(holder, role, precision, value, candidate.day_month if value is None else None) for holder in holders}
            if keys <= seen:
                continue
            seen |= keys
            facts.append(
                DateFact(
                    text=text[candidate.start : candidate.end],
                    char_start=candidate.start,
                    char_end=candidate.end,
                    value=value,
                    precision=precision,
                    role=role,
                )
            )
    return facts


def publication_date(dates: list[DateFact], hint: date | None = None) -> date | None:
    """The document's publication date: the first stated one, else ``hint`` (HTML metadata)."""
    return next((d.value for d in dates if d.role == "publication" and d.value is not None), None) or _as_date(hint)


@Language.component("cpts_dates")
def dates_component(doc: Doc) -> Doc:
    """Store ``extract_dates(doc)`` under ``doc._.dates``."""
    doc._.dates = extract_dates(doc)
    return doc
