"""The dates component: candidates, roles, then each row's value placed against the publication date.

The publication date is the first stated one, else ``doc._.published_hint`` (HTML metadata).
A day and month without a year take its year; without a publication date their value is None
(``no_year``): the year is never taken from today. No date may fall after the publication
date: a year-less date that would is nulled (``no_year``, as "ce 7 décembre" in a release of
11 février cannot be placed), and a stated date that does is dropped unless it is a deadline
(targets are in the future by nature).

The same date with the same role and precision stated twice is one row (the first);
"septembre 2021" and "l'automne 2021" stay two rows. In a release about several CPTS this
holds for each CPTS (its section and the shared introduction, ``pipeline.normalise.owners``):
each section keeps its own signature date unless the introduction already gave it to all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.normalise.owners import Owners
from pipeline.parse.dates.candidates import Candidate, find_candidates, parse_span
from pipeline.parse.dates.publication import as_date
from pipeline.parse.dates.roles import date_roles
from pipeline.parse.segment import folded_text
from pipeline.records import DateFact, DatePrecision, DateRole

Doc.set_extension("dates", default=None, force=True)

_ROLE_ORDER: tuple[DateRole, ...] = ("publication", "signature", "creation", "deadline", "other")


def _place(candidate: Candidate, role: DateRole, published: date | None) -> tuple[date | None, DatePrecision] | None:
    """Value and precision of one row, with the publication date's year and bound applied; None drops it."""
    if candidate.offset is not None:
        return (published + timedelta(days=candidate.offset), "day") if published else None
    if candidate.precision == "no_year":
        if published is None:
            return None, "no_year"
        base = datetime(published.year, published.month, published.day)
        value = parse_span(f"{candidate.span} {published.year}", ["day", "month", "year"], base)
        if value is not None and value > published and candidate.past:
            value = parse_span(f"{candidate.span} {published.year - 1}", ["day", "month", "year"], base)
        if value is None or value > published:
            return None, "no_year"
        return value, "day"
    if published is not None and candidate.value is not None and candidate.value > published and role != "deadline":
        return None
    return candidate.value, candidate.precision


def extract_dates(doc: Doc) -> list[DateFact]:
    """Dated events of the document with their roles and rules, in text order."""
    text = doc.text
    folded = folded_text(doc)
    candidates = find_candidates(folded)
    roles = date_roles(doc, folded, candidates)
    kept = [c for c in candidates if c.start in roles]
    stated = next((c.value for c in kept if "publication" in roles[c.start]), None)
    published = stated or as_date(doc._.published_hint)
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
                    rule=roles[candidate.start][role],
                )
            )
    return facts


@Language.component("cpts_dates")
def dates_component(doc: Doc) -> Doc:
    """Store ``extract_dates(doc)`` under ``doc._.dates``."""
    doc._.dates = extract_dates(doc)
    return doc
