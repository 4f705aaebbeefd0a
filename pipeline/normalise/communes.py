"""Territory resolution: place mentions -> COG communes, EPCIs, départements, région.

A name is looked up exactly, then up to case/accents/hyphens/"St" (``normalized``),
then as a bounded typo (``fuzzy``). When it names several communes
(homonyms), context narrows them, strongest first: the département of its
list heading or its "(NN)", the départements of the other names of the same
list that are not homonyms, those of the whole territory list, the
départements the text states ("(42)", "dans la Loire", the CPAM's), then the
régions of all these. One survivor -> method ``context``; several ->
``ambiguous`` with no code; none found at all -> ``unresolved``. Nothing is
ever guessed. A short name whose own communes lie outside that context
may stand for a longer name inside it ("centre hospitalier de Lagny" in a
Seine-et-Marne text is Lagny-sur-Marne, not Lagny in the Oise).

EPCIs named as the territory are expanded into their member communes
(method ``epci``, ``epci_siren`` set, no offsets), but for those named as left
out right after it ("Lorient Agglomération, à l'exception de Groix et
Gâvres"), so the territory EPCIs are
the distinct ``epci_siren`` of ``epci`` rows and the territory communes named
one by one are the codes of the other territory rows. An EPCI that cannot be
resolved to one SIREN gives one ``unresolved``/``ambiguous`` row with its
offsets; an EPCI only mentioned gives no row.

When the text gives no territory at all and the CPTS is named after one town
with no qualifier ("CPTS de Pantin"), that town is its territory (rule
``places_cpts_named_after_town``): a CPTS named after a town covers it.

When no territory commune resolves, ``departement_codes`` come from the other
clues the text gives, strongest first (see ``departements``): départements
stated as the territory's, the CPTS's own name, the signing caisse, a
région's only département, the town the title opens with. The région is that
of the départements, else the one région named ("ARS Occitanie").

Codes are current codes (mergers followed to the newest millésime, the one
in the millésime used is ``cog_code``); names and départements are those of
the current commune. Populations are those of the millésime used, so that
``population_reference`` compares like with like against a population the
communiqué declared that year (mergers since do not change it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pipeline.normalise.cog import Candidate, Reference
from pipeline.normalise.figures import declared_figure
from pipeline.normalise.departements import clues, town_named
from pipeline.normalise.epcis import LEFT_OUT_RULE, epci_rows
from pipeline.parse.places.gazetteer import name_key
from pipeline.records import Check, CommuneRow, Figure, PlaceMention, Territory

POPULATION_TOLERANCE = 0.10
"""Relative gap between declared and reference population above which a check is raised."""

SHORT_NAME_SCORE = 0.8
"""Confidence of a longer commune name read from its short form ("Lagny" for Lagny-sur-Marne)."""

_Level = Callable[[Candidate], bool]


def resolve_territory(
    places: list[PlaceMention],
    *,
    year: int | None,
    title: str | None,
    text: str,
    reference: Reference,
    document_places: list[PlaceMention] | None = None,
    name: str | None = None,
    title_places: list[PlaceMention] = (),
) -> Territory:
    """The territory that ``places`` describe, resolved against the COG of ``year`` (None -> newest).

    ``places`` are this CPTS's mentions, ``document_places`` all of the
    document's (default: ``places``), ``name`` the CPTS's name: the other
    clues to its départements (``departements.clues``), ``title_places`` those of a title that is
    not in the text (``ParsedDocument.title_places``)."""
    cog_year = reference.cog_year(year)
    found_clues = clues(
        places,
        places if document_places is None else document_places,
        title=title,
        text=text,
        name=name,
        year=cog_year,
        reference=reference,
        title_places=list(title_places),
    )
    stated_any = found_clues.context
    stated_regions = found_clues.regions

    communes = _rejoin([p for p in places if p.kind == "commune"], text, cog_year, reference)
    found = {id(p): reference.lookup(p.name, cog_year) for p in communes}
    list_depts: dict[int | None, set[str]] = {}
    for p in communes:
        if p.role == "territory" and len(found[id(p)]) == 1:
            list_depts.setdefault(p.list_id, set()).add(found[id(p)][0].departement or "")
    territory_depts = set().union(*list_depts.values()) if list_depts else set()

    rows: list[tuple[int, CommuneRow]] = []
    for p in communes:
        own = list_depts.get(p.list_id, set()) if p.list_id is not None else set()
        depts = [{p.dept_hint} if p.dept_hint else set(), own, territory_depts, stated_any]
        if not found[id(p)]:
            context = next((d for d in depts if d), None)
            found[id(p)] = reference.fuzzy(p.name, cog_year, context)
        regions = {reference.region_of(d) for d in set().union(*depts)} - {None}
        levels: list[_Level] = [(lambda c, d=d: c.departement in d) for d in depts if d]
        if regions:
            levels.append(lambda c: reference.region_of(c.departement or "") in regions)
        candidates = _with_longer_names(p, found[id(p)], levels, cog_year, reference)
        rows.append((p.char_start, _commune_row(p, candidates, levels, cog_year, reference)))

    epcis = _rejoin_epcis([p for p in places if p.kind == "epci"], text, cog_year, reference)
    left_out = [(row.char_start, row.insee_code or name_key(row.mention)) for _, row in rows if row.rule == LEFT_OUT_RULE]
    rows += epci_rows(epcis, cog_year, stated_any | territory_depts, reference, left_out, name)
    if not any(row.role == "territory" and (row.insee_code or row.epci_siren) for _, row in rows):
        rows += _named_town(name, text, cog_year, stated_any, reference)
    ordered = [row for _, row in sorted(rows, key=lambda r: r[0])]
    return _territory(ordered, found_clues.departements(), stated_regions, cog_year, reference)


NAMED_TOWN_RULE = "places_cpts_named_after_town"


def _named_town(
    name: str | None, text: str, year: int, context: set[str], reference: Reference
) -> list[tuple[int, CommuneRow]]:
    """The commune a CPTS is named after ("CPTS de Pantin"), as its territory when nothing else gives one: a
    CPTS named after one town covers it. Its first mention in the text is the evidence."""
    town = town_named(name)
    at = text.find(town) if town else -1
    if town is None or at < 0:
        return []
    candidates = reference.lookup(town, year)
    levels: list[_Level] = [lambda c: c.departement in context] if context else []
    place = PlaceMention(text=town, char_start=at, char_end=at + len(town), name=town, rule=NAMED_TOWN_RULE)
    row = _commune_row(place, candidates, levels, year, reference)
    return [(at, row)] if row.insee_code else []


def territory_checks(figures: list[Figure], territory: Territory) -> list[Check]:
    """Declared figures that disagree with the resolved territory.

    ``communes_count``: the declared number of communes differs from the
    number resolved (only when some were resolved). ``population_vs_reference``:
    the declared population is more than 10 % away from the reference
    population of the resolved communes.
    """
    checks = []
    communes = declared_figure(figures, "communes")
    if communes and territory.communes_resolved and communes.value != territory.communes_resolved:
        checks.append(
            Check(
                check="communes_count",
                declared=float(communes.value),
                derived=float(territory.communes_resolved),
                message=f"{communes.value} communes declared, {territory.communes_resolved} resolved",
            )
        )
    population = declared_figure(figures, "population")
    reference = territory.population_reference
    if population and reference and abs(population.value - reference) > POPULATION_TOLERANCE * reference:
        checks.append(
            Check(
                check="population_vs_reference",
                declared=float(population.value),
                derived=float(reference),
                message=(
                    f"declared population {population.value} is {population.value / reference - 1:+.0%} "
                    f"from the reference population {reference} of the resolved communes"
                ),
            )
        )
    return checks


def _rejoin(places: list[PlaceMention], text: str, year: int, reference: Reference) -> list[PlaceMention]:
    """Joins list items that the list splitter cut at " et " when together they name one commune ("Thue et Mue")."""
    out: list[PlaceMention] = []
    for place in places:
        previous = out[-1] if out else None
        if (
            previous is not None
            and place.list_id is not None
            and previous.list_id == place.list_id
            and text[previous.char_end : place.char_start] == " et "
        ):
            joined = text[previous.char_start : place.char_end]
            parts_known = reference.lookup(previous.name, year) and reference.lookup(place.name, year)
            if not parts_known and reference.lookup(joined, year):
                out[-1] = replace(previous, text=joined, name=joined, char_end=place.char_end)
                continue
        out.append(place)
    return out


def _rejoin_epcis(epcis: list[PlaceMention], text: str, year: int, reference: Reference) -> list[PlaceMention]:
    """Joins two intercommunalités cut at " et " when only together they name one ("Lodévois et Larzac")."""
    out: list[PlaceMention] = []
    for place in epcis:
        previous = out[-1] if out else None
        if previous is not None and text[previous.char_end : place.char_start] == " et ":
            joined = text[previous.char_start : place.char_end]
            parts = [reference.lookup_epci(p.name, year, kind=p.epci_type) for p in (previous, place)]
            if not all(len(found) == 1 for found in parts) and len(reference.lookup_epci(joined, year)) == 1:
                out[-1] = replace(previous, text=joined, name=joined, char_end=place.char_end)
                continue
        out.append(place)
    return out


def _with_longer_names(
    place: PlaceMention, candidates: list[Candidate], levels: list[_Level], year: int, reference: Reference
) -> list[Candidate]:
    """The candidates of a name that may be the short form of a longer one ("centre hospitalier de Lagny").

    Context levels are tried strongest first (the département of the list,
    of the territory, those the text states, then their régions): at the
    first level that holds a commune of that very name, the name stands; at
    the first that holds only longer names beginning with it ("Lagny-sur-Marne"
    in a Seine-et-Marne text), those stand in for it. With no context at all,
    a mentioned town keeps both readings and stays ambiguous; a territory
    list item keeps its own name.
    """
    if levels and any(levels[0](c) for c in candidates):
        return candidates
    longer = [replace(c, method="context", score=SHORT_NAME_SCORE) for c in reference.longer_names(place.name, year)]
    for keep in levels:
        if any(keep(c) for c in candidates):
            return candidates
        if near := [c for c in longer if keep(c)]:
            return near
    return candidates + longer if candidates and place.role == "mentioned" and not levels else candidates


def _commune_row(
    place: PlaceMention, candidates: list[Candidate], levels: list[_Level], cog_year: int, reference: Reference
) -> CommuneRow:
    chosen, method = _choose(candidates, levels)
    current = reference.commune(chosen.code) if chosen else None
    of_year = reference.commune(chosen.cog_code, cog_year) if chosen else None
    return CommuneRow(
        role=place.role,
        mention=place.text,
        insee_code=chosen.code if chosen else None,
        commune_name=current.nom if current else None,
        departement_code=(current.departement if current else chosen.departement) if chosen else None,
        population=(of_year or current).population if chosen and (of_year or current) else None,
        method=method,
        score=chosen.score if chosen else 0.0,
        epci_siren=None,
        cog_year=cog_year,
        char_start=place.char_start,
        char_end=place.char_end,
        cog_code=chosen.cog_code if chosen else None,
        rule=place.rule,
    )


def _choose(candidates: list[Candidate], levels: list[_Level]) -> tuple[Candidate | None, str]:
    """The one candidate left after the context levels, with the method that names how it was found."""
    if not candidates:
        return None, "unresolved"
    if len(candidates) == 1:
        return candidates[0], candidates[0].method
    narrowed = candidates
    for keep in levels:
        kept = [c for c in narrowed if keep(c)]
        narrowed = kept or narrowed
        if len(narrowed) == 1:
            return narrowed[0], "context"
    return None, "ambiguous"


def _territory(
    rows: list[CommuneRow], stated: set[str], regions: set[str], cog_year: int, reference: Reference
) -> Territory:
    """Totals over the distinct territory communes; départements from them, else as stated.

    The région is that of the départements, else the one région the text
    names ("ARS Occitanie"). The population sums the distinct communes of
    the millésime used (two communes merged since then both count).
    """
    codes: dict[str, CommuneRow] = {}
    of_year: dict[str, CommuneRow] = {}
    for row in rows:
        if row.role == "territory" and row.insee_code:
            codes.setdefault(row.insee_code, row)
            of_year.setdefault(row.cog_code or row.insee_code, row)
    departements = sorted({r.departement_code for r in codes.values() if r.departement_code}) or sorted(stated)
    regions = {reference.region_of(d) for d in departements} - {None} if departements else set(regions)
    populations = [r.population for r in of_year.values() if r.population is not None]
    return Territory(
        communes=rows,
        departement_codes=departements,
        region_code=regions.pop() if len(regions) == 1 else None,
        communes_resolved=len(codes),
        population_reference=sum(populations) if populations else None,
        cog_year=cog_year,
    )
