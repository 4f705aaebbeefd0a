"""The rows of the territory's intercommunalités: each resolved to one EPCI and expanded into its member communes.

An EPCI is found by its name (``lookup_epci``), by its main town ("l'agglomération de Bergerac"), or, covered
without its name ("les 38 communes de l'agglomération"), as the one the CPTS is named after. Communes named as
left out right after it ("Lorient Agglomération, à l'exception de Groix") are not expanded. Rows are
``method = epci``, with the EPCI's SIREN and no offsets; one that resolves to no single EPCI is one
``unresolved``/``ambiguous`` row with its offsets (``pipeline.normalise.communes`` explains the table).
"""

from __future__ import annotations

import re

from pipeline.normalise.cog import Reference
from pipeline.normalise.cog_index import Epci
from pipeline.parse.places.gazetteer import name_key
from pipeline.parse.places.vocab import AGGLOMERATION_RULE, UNNAMED_EPCI_RULE
from pipeline.records import CommuneRow, PlaceMention

LEFT_OUT_RULE = "excluded_before"
"""The rule of communes named as left out of the territory ("à l'exception de A et B", ``places_windows.jsonl``)."""
LEFT_OUT_REACH = 200
"""Characters after an intercommunalité's mention within which communes left out are taken out of it: "couvre
Lorient Agglomération, à l'exception de Groix et Gâvres" (the same sentence, in practice)."""


def epci_rows(
    epcis: list[PlaceMention],
    cog_year: int,
    depts: set[str],
    reference: Reference,
    left_out: list[tuple[int | None, str]] = (),
    name: str | None = None,
) -> list[tuple[int, CommuneRow]]:
    """The member communes of the territory's intercommunalités, but those ``left_out`` (offset, current code or,
    for a homonym the text did not narrow, name key: the intercommunalité narrows it) right after its mention."""
    rows: list[tuple[int, CommuneRow]] = []
    expanded: set[str] = set()
    for place in epcis:
        if place.role != "territory":
            continue
        if place.rule == AGGLOMERATION_RULE:
            found = reference.epcis_of_town(place.name, cog_year, place.epci_type)
        elif place.rule == UNNAMED_EPCI_RULE:
            found = _named_like_the_cpts(place, name, cog_year, depts, reference)
            if len(found) != 1:
                continue  # "l'agglomération" of a CPTS not named after one: nothing to resolve, nothing to report
        else:
            found = reference.lookup_epci(place.name, cog_year, depts, kind=place.epci_type)
        if len(found) != 1:
            method = "ambiguous" if found else "unresolved"
            rows.append((place.char_start, _unmatched_epci_row(place, method, cog_year)))
            continue
        epci, _, score = found[0]
        if epci.siren in expanded:
            continue
        expanded.add(epci.siren)
        outside = {code for at, code in left_out if at is not None and 0 <= at - place.char_end <= LEFT_OUT_REACH}
        for member in epci.membres:
            code = reference.current_code(member, epci.year)
            current = reference.commune(code)
            if code in outside or (current is not None and name_key(current.nom) in outside):
                continue
            of_year = reference.commune(member, epci.year) or current
            rows.append(
                (
                    place.char_start,
                    CommuneRow(
                        role="territory",
                        mention=place.text,
                        insee_code=code,
                        commune_name=current.nom if current else None,
                        departement_code=current.departement if current else None,
                        population=of_year.population if of_year else None,
                        method="epci",
                        score=score,
                        epci_siren=epci.siren,
                        cog_year=cog_year,
                        char_start=None,
                        char_end=None,
                        cog_code=member,
                        rule=place.rule,
                    ),
                )
            )
    return rows


_CPTS_WORDS = re.compile(r"(?i)\bCPTS\b|communauté professionnelle territoriale de santé")
_COUNTED = re.compile(r"(?i)les (\d+) communes")


def _named_like_the_cpts(
    place: PlaceMention, name: str | None, year: int, depts: set[str], reference: Reference
) -> list[tuple[Epci, str, float]]:
    """The intercommunalité a CPTS is named after ("CPTS du Grand Chambéry": the CA du Grand Chambéry), for
    one the text covers without naming it: only a name that is exactly its name up to legal form and small words,
    of the legal form the text gives and, when it counts communes ("les 38 communes de l'agglomération"), of
    exactly that many members."""
    core = _CPTS_WORDS.sub(" ", name or "").strip()
    if not core:
        return []
    found = [f for f in reference.lookup_epci(core, year, depts, kind=place.epci_type) if f[1] == "normalized"]
    if (count := _COUNTED.match(place.text)) is not None:
        found = [f for f in found if len(f[0].membres) == int(count[1])]
    return found


def _unmatched_epci_row(place: PlaceMention, method: str, cog_year: int) -> CommuneRow:
    return CommuneRow(
        role=place.role,
        mention=place.text,
        insee_code=None,
        commune_name=None,
        departement_code=None,
        population=None,
        method=method,
        score=0.0,
        epci_siren=None,
        cog_year=cog_year,
        char_start=place.char_start,
        char_end=place.char_end,
        rule=place.rule,
    )
