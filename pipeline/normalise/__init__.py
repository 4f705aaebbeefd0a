"""Normalisation stage: from what the text says to the rows of the output tables.

``normalise`` takes one ``ParsedDocument`` and returns its rows, table by
table, as plain dicts in the column order of ``schemas/tables.py``. It picks
the CPTS each fact belongs to, resolves the territory against the commune
reference of the document's year, and sets declared figures against the
derived ones (the ``checks`` table).

``cpts.signature_date`` is a signature date given to the day: a month or a
season would show on a dashboard as a made-up first of the month. Of several,
the earliest: a ceremony or a renewal comes after the contract was signed
(an amendment's date is no signature, ``pipeline.parse.dates``).

Which CPTS a fact belongs to is decided by ``pipeline.parse.owners.Owners``: every fact
when the document is about one CPTS; by section, with shared introductions,
when it is about several.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from pipeline.parse.owners import Owners
from pipeline.records import CptsKey, ParsedDocument, Territory

Rows = dict[str, list[dict]]
TerritoryResolver = Callable[..., Territory]


@dataclass(frozen=True)
class DocumentRows:
    """The rows one document contributes to each table."""

    doc_id: str
    tables: Rows = field(default_factory=dict)


def document_row(parsed: ParsedDocument, *, status: str, error: str | None, version: str, now: datetime) -> dict:
    """The ``documents`` row of a parsed or rejected document."""
    from pipeline.neardup import signature  # datasketch imports scipy: ~1 s that importing schemas must not cost

    source = parsed.source
    return {
        "doc_id": source.doc_id,
        "source_path": source.source_path,
        "source_format": source.source_format,
        "title": parsed.title,
        "published_on": parsed.published_on,
        "status": status,
        "error": error,
        "n_chars": len(source.text),
        "pipeline_version": version,
        "extracted_at": now,
        "duplicate_paths": list(source.duplicate_paths),
        "text": source.text,
        "encoding": source.encoding,
        "warnings": list(source.warnings),
        "same_as": None,
        "text_minhash": signature(source.text) if status != "rejected" else None,
    }


def _year(parsed: ParsedDocument, signature: date | None) -> int | None:
    day = signature or parsed.published_on
    return day.year if day else None


def normalise(
    parsed: ParsedDocument, *, resolve_territory: TerritoryResolver, version: str, now: datetime
) -> DocumentRows:
    """All rows of one document. A document naming no CPTS is ``not_cpts`` with only its documents row."""
    from pipeline.normalise.checks import cpts_checks
    from pipeline.normalise.communes import territory_checks
    from pipeline.normalise.funding_kind import funding_measure
    from pipeline.normalise.territory import place_names, territory_rows
    from pipeline.normalise.figures import declared_figure

    source = parsed.source
    if source.status != "ok":
        row = document_row(parsed, status=source.status, error=source.error, version=version, now=now)
        return DocumentRows(source.doc_id, {"documents": [row]})
    if not parsed.cpts:
        row = document_row(parsed, status="not_cpts", error="no CPTS named in the text", version=version, now=now)
        return DocumentRows(source.doc_id, {"documents": [row]})

    owners = Owners(parsed.cpts, parsed.cpts_mentions, source.text)
    tables: Rows = {"documents": [document_row(parsed, status="ok", error=None, version=version, now=now)]}

    def keyed(key: CptsKey, **values) -> dict:
        return {"doc_id": source.doc_id, "cpts_key": key, **values}

    def evidence(fact) -> dict:
        return {"char_start": fact.char_start, "char_end": fact.char_end, "text": fact.text, "rule": fact.rule}

    for cpts in parsed.cpts:
        key = cpts.key

        def mine(facts: list) -> list:
            return [f for f in facts if key in owners(f.char_start)]

        dates = mine(parsed.dates)
        signatures = [d for d in dates if d.role == "signature"]
        signature = min((d.value for d in signatures if d.value and d.precision == "day"), default=None)
        territory = resolve_territory(
            mine(parsed.places),
            year=_year(parsed, signature),
            title=parsed.title,
            text=source.text,
            document_places=parsed.places,
            title_places=parsed.title_places,
            name=cpts.name,
        )
        figures = mine(parsed.figures)
        population = declared_figure(figures, "population")
        communes = declared_figure(figures, "communes")
        members = declared_figure(figures, "members")
        president = next(iter(mine(parsed.people)), None)
        names = place_names(territory.cog_year)

        tables.setdefault("cpts", []).append(
            keyed(
                key,
                cpts_name=cpts.name,
                departement_codes=territory.departement_codes,
                region_code=territory.region_code,
                signature_date=signature,
                population_declared=population.value if population else None,
                population_qualifier=population.qualifier if population else None,
                communes_declared=communes.value if communes else None,
                communes_resolved=territory.communes_resolved,
                population_reference=territory.population_reference,
                members_declared=members.value if members else None,
                president=president.name if president else None,
                cog_year=territory.cog_year,
                name_source=cpts.source,
                region_name=names.region(territory.region_code),
                departement_names=[names.departement(d) for d in territory.departement_codes],
            )
        )
        tables.setdefault("territory", []).extend(keyed(key, **row) for row in territory_rows(territory.communes, names))
        tables.setdefault("cpts_evidence", []).extend(
            keyed(key, field=name, value=str(fact.name if name == "president" else fact.value), **evidence(fact))
            for name, fact in (
                ("population_declared", population), ("communes_declared", communes),
                ("members_declared", members), ("president", president),
            )
            if fact
        )
        tables.setdefault("communes", []).extend(
            keyed(
                key,
                role=row.role,
                mention=row.mention,
                insee_code=row.insee_code,
                commune_name=row.commune_name,
                departement_code=row.departement_code,
                population=row.population,
                method=row.method,
                score=row.score,
                epci_siren=row.epci_siren,
                cog_year=row.cog_year,
                char_start=row.char_start,
                char_end=row.char_end,
                cog_code=row.cog_code,
                rule=row.rule,
            )
            for row in territory.communes
        )
        tables.setdefault("fundings", []).extend(
            keyed(
                key,
                amount_eur=a.value,
                funder=a.funder,
                purpose=a.purpose,
                period_years=a.period_years,
                is_maximum=a.is_maximum,
                conditional=a.conditional,
                **evidence(a),
                **funding_measure(a),
            )
            for a in mine(parsed.amounts)
        )
        tables.setdefault("dates", []).extend(
            keyed(key, date=d.value, precision=d.precision, role=d.role, **evidence(d)) for d in dates
        )
        tables.setdefault("headcounts", []).extend(
            keyed(key, category=h.category, count=h.count, qualifier=h.qualifier, **evidence(h))
            for h in mine(parsed.headcounts)
        )
        tables.setdefault("missions", []).extend(
            keyed(key, mission=m.mission, status=m.status, label=m.text, char_start=m.char_start, char_end=m.char_end, rule=m.rule)
            for m in mine(parsed.missions)
        )
        tables.setdefault("themes", []).extend(
            keyed(key, theme=t.theme, mission=t.mission, label=t.text, char_start=t.char_start, char_end=t.char_end, rule=t.rule)
            for t in mine(parsed.themes)
        )
        cpts_row = tables["cpts"][-1]
        own_checks = cpts_checks(
            cpts_row, dates=dates, headcounts=mine(parsed.headcounts), amounts=mine(parsed.amounts)
        )
        tables.setdefault("checks", []).extend(
            keyed(key, check=c.check, declared=c.declared, derived=c.derived, message=c.message)
            for c in [*territory_checks(figures, territory), *own_checks]
        )
    return DocumentRows(source.doc_id, tables)
