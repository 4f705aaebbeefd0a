"""The commune reference of one millésime as look-up indexes, and the keys both sides of a look-up use.

Apart from ``pipeline.normalise.cog`` (which loads the tables, follows codes
through mergers and answers look-ups) because building an index is its own
concern: rows become Python objects once, shared between millésimes, and
names become keys through ``pipeline.parse.places.gazetteer.name_words``, so
the text side and the reference side read a name the same way.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NewType

import pyarrow as pa

from pipeline.parse.places.gazetteer import epci_name_key, name_key, reference_name_keys

PlaceKey = NewType("PlaceKey", str)
"""A commune name folded to lower-case letters and digits only: "Saint-Genis- L'Argentière",
"St Genis l'Argentiere" and "SAINT-GENIS-L'ARGENTIÈRE" share ``saintgenislargentiere``."""

EpciKey = NewType("EpciKey", str)
"""An EPCI name without its legal form and small words: "CC du Pays d'Urfé" -> ``pays urfe``."""

@lru_cache(maxsize=200_000)
def place_key(name: str) -> PlaceKey:
    """The look-up key of a commune name (see ``PlaceKey``): the gazetteer's words of the name, joined.

    "Bessat (Le)" is read as "Le Bessat"; "St"/"Ste" as "Saint"/"Sainte"; "s/" as "sur".
    """
    return PlaceKey(name_key(name))


def epci_key(name: str) -> EpciKey:
    """The look-up key of an EPCI name (see ``EpciKey``), the one the places gazetteer reads names with."""
    return EpciKey(epci_name_key(name))


@dataclass(frozen=True, slots=True)
class Commune:
    """One commune (or delegated commune, or municipal arrondissement) as one or more millésimes describe it.

    It has no year: a row that did not change from one millésime to the next
    is one shared object, so indexing eight millésimes does not hold eight
    copies of every commune.
    """

    code: str
    nom: str
    type: str
    departement: str | None
    region: str | None
    population: int | None
    chef_lieu: str | None
    epci_siren: str | None
    commune_parent: str | None


@dataclass(frozen=True, slots=True)
class Epci:
    """One EPCI à fiscalité propre of one millésime; ``departements`` of its members."""

    year: int
    siren: str
    nom: str
    type: str
    population: int | None
    membres: tuple[str, ...]
    departements: frozenset[str]



@dataclass(slots=True)
class YearIndex:
    communes: dict[str, list[Commune]]
    by_key: dict[PlaceKey, list[Commune]]
    by_key_without_article: dict[PlaceKey, list[Commune]]
    keys_by_departement: dict[str, list[PlaceKey]]
    keys_by_prefix: dict[str, list[PlaceKey]]
    epci_by_key: dict[EpciKey, list[Epci]]
    regions: dict[str, str | None]
    """Département code -> région code."""



def index_year(
    communes_table: pa.Table, departements_table: pa.Table, epci_table: pa.Table, year: int, shared: dict[tuple, Commune]
) -> YearIndex:
    """Name indexes of one millésime from its rows of the three reference tables.

    Rows unchanged since an indexed millésime are reused (``shared``, keyed by
    the row's values) and the keys of a name are computed once for all
    millésimes (``_name_keys``).
    """
    with _collector_paused():
        return _index_year(communes_table, departements_table, epci_table, year, shared)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off meanwhile: an index is hundreds of thousands of new objects, none in a
    cycle, and each collection they trigger re-scanned all of them (about 40% of the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _index_year(
    communes_table: pa.Table, departements_table: pa.Table, epci_table: pa.Table, year: int, shared: dict[tuple, Commune]
) -> YearIndex:
    communes: dict[str, list[Commune]] = defaultdict(list)
    by_key: dict[PlaceKey, list[Commune]] = defaultdict(list)
    without_article: dict[PlaceKey, list[Commune]] = defaultdict(list)
    by_departement: dict[str, set[PlaceKey]] = defaultdict(set)
    by_prefix: dict[str, set[PlaceKey]] = defaultdict(set)
    for values in zip(*(communes_table[c].to_pylist() for c in Commune.__slots__), strict=True):
        row = shared.get(values)
        if row is None:
            row = shared[values] = Commune(*values)
        communes[row.code].append(row)
        for key, bare in _name_keys(row.nom, row.type == "arrondissement-municipal"):
            by_key[key].append(row)
            by_departement[row.departement or ""].add(key)
            by_prefix[key[:3]].add(key)
            if bare != key:
                without_article[bare].append(row)
    regions = {r["code"]: r["region"] for r in departements_table.to_pylist()}
    epci_by_key: dict[EpciKey, list[Epci]] = defaultdict(list)
    for r in epci_table.to_pylist():
        members = tuple(r["membres"])
        epci = Epci(
            year=year,
            siren=r["siren"],
            nom=r["nom"],
            type=r["type"],
            population=r["population"],
            membres=members,
            departements=frozenset(
                rows[0].departement for m in members if (rows := communes.get(m)) and rows[0].departement
            ),
        )
        epci_by_key[epci_key(epci.nom)].append(epci)
    return YearIndex(
        communes=dict(communes),
        by_key=dict(by_key),
        by_key_without_article=dict(without_article),
        keys_by_departement={d: sorted(k) for d, k in by_departement.items()},
        keys_by_prefix={p: sorted(k) for p, k in by_prefix.items()},
        epci_by_key=dict(epci_by_key),
        regions=regions,
    )



@cache
def _name_keys(nom: str, arrondissement: bool) -> tuple[tuple[PlaceKey, PlaceKey], ...]:
    """``reference_name_keys`` as ``PlaceKey``s, computed once per name for all millésimes."""
    return tuple((PlaceKey(key), PlaceKey(bare)) for key, bare in reference_name_keys(nom, arrondissement))


def starting_with(keys: list[PlaceKey], prefix: str) -> list[PlaceKey]:
    """The keys of the sorted list ``keys`` that begin with ``prefix``: one contiguous run, found by bisection
    (the prefix group of "saint" holds thousands of keys; scanning it for every name cost seconds per run)."""
    start = bisect_left(keys, prefix)
    end = start
    while end < len(keys) and keys[end].startswith(prefix):
        end += 1
    return keys[start:end]

