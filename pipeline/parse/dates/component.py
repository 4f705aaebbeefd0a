"""The dates component: candidates, roles, then each row's value placed against the publication date.

The publication date is the first stated one, else ``doc._.published_hint`` (HTML metadata).
A day and month without a year take its year; without a publication date their value is None
(``no_year``): the year is never taken from today. No date may fall after the publication
date: a year-less date that would is nulled (``no_year``, as "ce 7 décembre" in a release of
11 février cannot be placed), and a stated date that does is dropped unless it is a deadline
(targets are in the future by nature). A publication stated to the month ("date 2021-07")
gives its year too and bounds by its last day ("ce mardi 6 juillet" is 2021-07-06); "en juin
dernier" is the last June before the publication's month, to the month, "fin mars" the March of the
publication's year (no row when that is after the publication: a plan, "signera en juin"); "mardi dernier" the
last Tuesday before the publication day (a week before when it is published on a Tuesday); a day
named from the publication ("hier", "mardi dernier") needs a publication day, and is dropped
without one.

The same date with the same role and precision stated twice is one row (the first);
"septembre 2021" and "l'automne 2021" stay two rows. In a release about several CPTS this
holds for each CPTS (its section and the shared introduction, ``pipeline.parse.owners``):
each section keeps its own signature date unless the introduction already gave it to all.

``rejected_dates(doc)`` lists the dates these rules found and kept no row for, each with the
rule that did (for ``python -m pipeline explain``): the cue rows of ``roles`` that leave a date
out, the publication's rule for a date after it (``published_hint`` when the bound is the HTML
metadata's), the role's own rule for a day named from a publication that is not stated, or for
the same date stated again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.owners import Owners
from pipeline.parse.dates.candidates import Candidate, find_candidates, parse_span
from pipeline.parse.dates.publication import as_date
from pipeline.parse.dates.roles import Roles, date_roles
from pipeline.parse.segment import doc_text, folded_text
from pipeline.records import DateFact, DatePrecision, DateRole, Rejected

Doc.set_extension("dates", default=None, force=True)

_ROLE_ORDER: tuple[DateRole, ...] = ("publication", "signature", "creation", "deadline", "other")


def _place(candidate: Candidate, role: DateRole, published: _Published) -> tuple[date | None, DatePrecision] | None:
    """Value and precision of one row, with the publication date's year and bound applied; None drops it."""
    day, bound = published
    if candidate.offset is not None:
        return (day + timedelta(days=candidate.offset), "day") if day else None
    if candidate.weekday is not None:
        return (day - timedelta(days=(day.weekday() - candidate.weekday) % 7 or 7), "day") if day else None
    if candidate.month is not None:
        if bound is None:
            return None, "no_year"
        if not candidate.past:  # after the publication's month it is a plan ("signera en juin"), no event: dropped
            return (date(bound.year, candidate.month, 1), "month") if candidate.month <= bound.month else None
        year = bound.year if candidate.month < bound.month else bound.year - 1
        return date(year, candidate.month, 1), "month"
    if candidate.precision == "no_year":
        if bound is None:
            return None, "no_year"
        base = datetime(bound.year, bound.month, bound.day)
        value = parse_span(f"{candidate.span} {bound.year}", ["day", "month", "year"], base)
        if value is not None and value > bound and candidate.past:
            value = parse_span(f"{candidate.span} {bound.year - 1}", ["day", "month", "year"], base)
        if value is None or value > bound:
            return None, "no_year"
        return value, "day"
    if bound is not None and candidate.value is not None and candidate.value > bound and role != "deadline":
        return None
    return candidate.value, candidate.precision


_Published = tuple[date | None, date | None]
"""The publication day when stated to the day, and the last day the publication can be."""


def _published(kept: list[Candidate], roles: Roles, hint: object) -> _Published:
    """The first stated publication date (else the HTML hint): its day, and its last day for a month."""
    stated = next((c for c in kept if "publication" in roles[c.start] and c.value is not None), None)
    if stated is None or stated.precision != "day":
        day = as_date(hint)
        if stated is None:
            return day, day
        next_month = (stated.value.replace(day=28) + timedelta(days=4)).replace(day=1)
        return day, min(day, next_month - timedelta(days=1)) if day else next_month - timedelta(days=1)
    return stated.value, stated.value


def extract_dates(doc: Doc, rejected: list[Rejected] | None = None) -> list[DateFact]:
    """Dated events of the document with their roles and rules, in text order.

    Given ``rejected``, each date found and kept no row is added to it with its rule (``rejected_dates``)."""
    text = doc_text(doc)
    folded = folded_text(doc)
    candidates = find_candidates(text, folded)
    roles = date_roles(doc, folded, candidates, rejected)
    kept = [c for c in candidates if c.start in roles]
    published = _published(kept, roles, doc._.published_hint)
    owners = Owners(doc._.cpts or [], doc._.cpts_mentions or [], text)
    facts: list[DateFact] = []
    seen: set[tuple[str, DateRole, DatePrecision, date | None, date | None]] = set()
    refusals: dict[int, Rejected] = {}
    for candidate in kept:
        holders = owners(candidate.start) or ("",)
        for role in _ROLE_ORDER:
            placed = _place(candidate, role, published) if role in roles[candidate.start] else None
            if placed is None:
                if rejected is not None and role in roles[candidate.start]:
                    rule = roles[candidate.start][role]
                    refusals.setdefault(candidate.start, _unplaced(candidate, rule, roles, kept, published))
                continue
            value, precision = placed
            day_month = candidate.day_month if value is None else None
            keys = {(holder, role, precision, value, day_month) for holder in holders}
            if keys <= seen:
                why = "the same date with the same role is stated before: one row, the first"
                refusal = Rejected(candidate.start, candidate.end, roles[candidate.start][role], why)
                refusals.setdefault(candidate.start, refusal)
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
                    rule=roles[candidate.start][role],
                )
            )
    if rejected is not None:
        rejected += [r for start, r in refusals.items() if all(f.char_start != start for f in facts)]
    return facts


def _unplaced(candidate: Candidate, rule: str, roles: Roles, kept: list[Candidate], published: _Published) -> Rejected:
    """Why ``_place`` dropped the row ``rule`` gave ``candidate``: a day named from an unstated publication, or
    a date after the publication (the publication's rule then)."""
    if candidate.offset is not None or candidate.weekday is not None:
        why = "a day named from the publication, whose day is not stated"
        return Rejected(candidate.start, candidate.end, rule, why)
    stated = next((roles[c.start]["publication"] for c in kept if "publication" in roles[c.start] and c.value), None)
    why = f"after the publication date ({published[1]}): no event is kept after it, deadlines aside"
    return Rejected(candidate.start, candidate.end, stated or "published_hint", why)


def rejected_dates(doc: Doc) -> list[Rejected]:
    """The dates the date rules found and kept no row for, each with the rule that turned it down, in text order.

    For ``python -m pipeline explain``; ``doc`` has been through the components."""
    rejected: list[Rejected] = []
    extract_dates(doc, rejected)
    return sorted(rejected)


@Language.component("cpts_dates")
def dates_component(doc: Doc) -> Doc:
    """Store ``extract_dates(doc)`` under ``doc._.dates``."""
    doc._.dates = extract_dates(doc)
    return doc
