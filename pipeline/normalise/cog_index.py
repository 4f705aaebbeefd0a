"""The commune reference as look-up indexes, one view per millésime, and the keys both sides of a look-up use.

Apart from ``pipeline.normalise.cog`` (which loads the tables, follows codes
through mergers and answers look-ups) because building an index is its own
concern: names are keyed once for every millésime, rows become Python objects
only when a look-up returns them, shared between millésimes, and names become
keys through ``pipeline.parse.places.gazetteer.name_words``, so the text side
and the reference side read a name the same way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NewType, TypeVar

import numpy
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.parse.places.gazetteer import epci_name_key, name_key, reference_name_keys

PlaceKey = NewType("PlaceKey", str)
"""A commune name folded to lower-case letters and digits only: "Saint-Genis- L'Argentière",
"St Genis l'Argentiere" and "SAINT-GENIS-L'ARGENTIÈRE" share ``saintgenislargentiere``."""

EpciKey = NewType("EpciKey", str)
"""An EPCI name without its legal form and small words: "CC du Pays d'Urfé" -> ``pays urfe``."""

T = TypeVar("T")

LOOKUP_CACHE = 20_000
"""Look-ups remembered per millésime and kind: more than the distinct names of thousands of communiqués."""

ROW_CACHE = 16_384
"""Reference rows held as ``Commune`` objects at most. Beyond, they and every millésime's remembered look-ups
(which hold them) are dropped and made again on use: kept for the whole run, they made the main process grow by
some 30 MB from 500 to 2,000 communiqués."""

@lru_cache(maxsize=200_000)
def place_key(name: str) -> PlaceKey:
    """The look-up key of a commune name (see ``PlaceKey``): the gazetteer's words of the name, joined.

    "Bessat (Le)" is read as "Le Bessat"; "St"/"Ste" as "Saint"/"Sainte"; "s/" as "sur".
    """
    return PlaceKey(name_key(name))


@lru_cache(maxsize=20_000)
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

    def __reduce__(self):
        """Unpickled through ``__init__``: a frozen dataclass's default ``__setstate__`` costs four times as much,
        and each millésime's 1,200 EPCIs are read from the disk cache (``pipeline.disk_cache``) by every run."""
        return Epci, (self.year, self.siren, self.nom, self.type, self.population, self.membres, self.departements)



Keep = Callable[[str, Callable[[], T]], T]
"""How an index keeps what it derives from the reference: ``keep(name, build)`` is ``build()``, or its value kept
from an earlier process (``pipeline.disk_cache``, for the shipped reference)."""


class CommuneIndex:
    """Every millésime's communes keyed once: postings (key, row) sorted by key, filtered by year when asked.

    The reference holds about 300,000 rows (eight millésimes) but only 35,000
    distinct names, so names are keyed once per name, and a row becomes a
    ``Commune`` only when a look-up returns it (``shared``: equal rows of
    different millésimes are one object). A run that resolves the places of
    five communiqués spanning five millésimes used to build five full
    dict indexes (about 0.4 s each); now each millésime costs a filter of
    the postings of the names looked up. The postings themselves (about
    0.4 s CPU) are built once per machine (``keep``).
    """

    def __init__(self, communes_table: pa.Table, shared: dict[tuple, Commune], keep: Keep) -> None:
        table = communes_table.combine_chunks()
        self.table = table
        self.shared = shared
        self.keep = keep
        self.years = table["year"].to_numpy()
        self._cache: dict[int, Commune] = {}
        self.memos: list = []
        """The look-up memos of every ``YearIndex`` over this index, emptied with ``_cache``."""
        keyed = keep("cog-names", lambda: _NameIndex.build(table))
        self.ids, self.code_ids = keyed.ids, keyed.code_ids
        self.by_key, self.without_article, self.by_code = keyed.by_key, keyed.without_article, keyed.by_code
        self.keys = list(self.ids)
        self.departement_of_row = pc.dictionary_encode(pc.fill_null(table["departement"].chunk(0), ""))

    def communes(self, rows: numpy.ndarray) -> tuple[Commune, ...]:
        """The rows as ``Commune``s, made on first use and shared with every equal row (``ROW_CACHE`` at most)."""
        if len(self._cache) >= ROW_CACHE:
            self._cache.clear()
            self.shared.clear()
            for memo in self.memos:
                memo.cache_clear()
        missing = [int(r) for r in rows if r not in self._cache]
        if missing:
            taken = self.table.take(pa.array(missing, pa.int64()))
            for row, values in zip(missing, zip(*(taken[c].to_pylist() for c in Commune.__slots__), strict=True), strict=True):
                commune = self.shared.get(values)
                if commune is None:
                    commune = self.shared[values] = Commune(*values)
                self._cache[row] = commune
        return tuple(self._cache[int(r)] for r in rows)


@dataclass(frozen=True, slots=True)
class _NameIndex:
    """The key ids of every name and code of the reference, and their postings: what a ``CommuneIndex`` keeps."""

    ids: dict[str, int]
    by_key: _Postings
    without_article: _Postings
    code_ids: dict[str, int]
    by_code: _Postings

    @staticmethod
    def build(table: pa.Table) -> _NameIndex:
        ids: dict[str, int] = {}

        def key_id(key: str) -> int:
            return ids.setdefault(key, len(ids))

        names = pc.dictionary_encode(table["nom"].chunk(0))
        row_name = names.indices.to_numpy()
        name_keys = [reference_name_keys(nom, False)[0] for nom in names.dictionary.to_pylist()]
        key_of_name = numpy.array([key_id(key) for key, _ in name_keys], dtype=numpy.int64)
        bare_of_name = numpy.array([key_id(bare) for _, bare in name_keys], dtype=numpy.int64)
        rows = numpy.arange(table.num_rows, dtype=numpy.int64)
        key_posts = [(key_of_name[row_name], rows, numpy.zeros_like(rows))]
        bare = bare_of_name[row_name] != key_of_name[row_name]
        bare_posts = [(bare_of_name[row_name][bare], rows[bare], numpy.zeros_like(rows[bare]))]
        arrondissements = numpy.flatnonzero(pc.equal(table["type"], "arrondissement-municipal").to_numpy(zero_copy_only=False))
        for row, nom in zip(arrondissements, table["nom"].take(arrondissements).to_pylist(), strict=True):
            for position, (key, without_article) in enumerate(reference_name_keys(nom, True)[1:], start=1):
                key_posts.append(_posting(key_id(key), row, position))
                if without_article != key:
                    bare_posts.append(_posting(key_id(without_article), row, position))
        codes = pc.dictionary_encode(table["code"].chunk(0))
        code_ids = {code: i for i, code in enumerate(codes.dictionary.to_pylist())}
        return _NameIndex(
            ids=ids,
            by_key=_Postings(*map(numpy.concatenate, zip(*key_posts, strict=True)), len(ids)),
            without_article=_Postings(*map(numpy.concatenate, zip(*bare_posts, strict=True)), len(ids)),
            code_ids=code_ids,
            by_code=_Postings(codes.indices.to_numpy().astype(numpy.int64), rows, numpy.zeros_like(rows), len(code_ids)),
        )


def _posting(key: int, row: int, position: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    return numpy.array([key], numpy.int64), numpy.array([row], numpy.int64), numpy.array([position], numpy.int64)


class _Postings:
    """``(key id, row)`` pairs sorted by key, then row (table order), then the name's position in the row."""

    def __init__(self, keys: numpy.ndarray, rows: numpy.ndarray, positions: numpy.ndarray, n_keys: int) -> None:
        order = numpy.lexsort((positions, rows, keys))
        self.keys, self.rows = keys[order], rows[order]
        ids = numpy.arange(n_keys)
        self.starts = numpy.searchsorted(self.keys, ids, "left")
        self.ends = numpy.searchsorted(self.keys, ids, "right")

    def rows_of(self, key_id: int | None) -> numpy.ndarray:
        if key_id is None:
            return self.rows[:0]
        return self.rows[self.starts[key_id] : self.ends[key_id]]


@dataclass(frozen=True, slots=True)
class _YearKeys:
    """What a millésime's fuzzy and longer-name look-ups and its EPCI look-ups scan: built once per machine."""

    by_prefix: dict[str, list[PlaceKey]]
    by_departement: dict[str, list[PlaceKey]]
    epci_by_key: dict[EpciKey, list[Epci]]


class YearIndex:
    """The look-ups of one millésime over a ``CommuneIndex``; the sorted key lists and the EPCIs are read or made
    on first use (a run that resolves every name exactly never needs them)."""

    def __init__(self, index: CommuneIndex, departements_table: pa.Table, epci_table: pa.Table, year: int) -> None:
        self.index = index
        self.year = year
        # A communiqué's names recur (in its lists, its title, the next communiqué of the same area): each
        # look-up is a few numpy slices (~90 us), a remembered one a dict hit. Bounded, so memory does not
        # grow with the corpus.
        self.rows = lru_cache(maxsize=LOOKUP_CACHE)(self.rows)
        self.rows_without_article = lru_cache(maxsize=LOOKUP_CACHE)(self.rows_without_article)
        self.communes = lru_cache(maxsize=LOOKUP_CACHE)(self.communes)
        index.memos += [self.rows, self.rows_without_article, self.communes]
        self._epci_table = epci_table
        self.regions: dict[str, str | None] = {r["code"]: r["region"] for r in departements_table.to_pylist()}
        """Département code -> région code."""

    def _in_year(self, rows: numpy.ndarray) -> numpy.ndarray:
        return rows[self.index.years[rows] == self.year]

    def rows(self, key: str) -> tuple[Commune, ...]:
        """The rows named ``key``, in table order."""
        index = self.index
        return index.communes(self._in_year(index.by_key.rows_of(index.ids.get(key))))

    def rows_without_article(self, key: str) -> tuple[Commune, ...]:
        """The rows whose name without its leading article is ``key`` (and differs from the name's key)."""
        index = self.index
        return index.communes(self._in_year(index.without_article.rows_of(index.ids.get(key))))

    def communes(self, code: str) -> tuple[Commune, ...]:
        """The rows of ``code`` (a commune and its delegated communes may share one), in table order."""
        index = self.index
        return index.communes(self._in_year(index.by_code.rows_of(index.code_ids.get(code))))

    @property
    def keys_by_prefix(self) -> dict[str, list[PlaceKey]]:
        """The keys of the millésime by their first three letters, sorted."""
        return self._keys.by_prefix

    @property
    def keys_by_departement(self) -> dict[str, list[PlaceKey]]:
        """The keys of the millésime's rows by département ("" for none), sorted."""
        return self._keys.by_departement

    @property
    def epci_by_key(self) -> dict[EpciKey, list[Epci]]:
        """The EPCIs of the millésime by ``epci_key``, each with the départements of its members."""
        return self._keys.epci_by_key

    @cached_property
    def _keys(self) -> _YearKeys:
        return self.index.keep(f"cog-{self.year}", self._build_keys)

    def _build_keys(self) -> _YearKeys:
        postings = self.index.by_key
        mask = self.index.years[postings.rows] == self.year
        keys, rows = postings.keys[mask], postings.rows[mask]
        return _YearKeys(self._by_prefix(keys), self._by_departement(keys, rows), self._epci_by_key())

    def _by_prefix(self, keys: numpy.ndarray) -> dict[str, list[PlaceKey]]:
        by_prefix: dict[str, list[PlaceKey]] = defaultdict(list)
        for key in sorted(self.index.keys[k] for k in numpy.unique(keys)):
            by_prefix[key[:3]].append(PlaceKey(key))
        return dict(by_prefix)

    def _by_departement(self, keys: numpy.ndarray, rows: numpy.ndarray) -> dict[str, list[PlaceKey]]:
        departements = self.index.departement_of_row
        pairs = numpy.unique(numpy.stack([departements.indices.to_numpy()[rows].astype(numpy.int64), keys]), axis=1)
        names = departements.dictionary.to_pylist()
        by_departement: dict[str, list[PlaceKey]] = defaultdict(list)
        for departement, key in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
            by_departement[names[departement]].append(PlaceKey(self.index.keys[key]))
        return {d: sorted(k) for d, k in by_departement.items()}

    def _epci_by_key(self) -> dict[EpciKey, list[Epci]]:
        rows = numpy.flatnonzero(self.index.years == self.year)
        year_rows = self.index.table.take(pa.array(rows)).select(["code", "departement"])
        departement_of: dict[str, str | None] = {}
        for code, departement in zip(year_rows["code"].to_pylist(), year_rows["departement"].to_pylist(), strict=True):
            departement_of.setdefault(code, departement)
        epci_by_key: dict[EpciKey, list[Epci]] = defaultdict(list)
        for r in self._epci_table.to_pylist():
            members = tuple(r["membres"])
            epci = Epci(
                year=self.year,
                siren=r["siren"],
                nom=r["nom"],
                type=r["type"],
                population=r["population"],
                membres=members,
                departements=frozenset(d for m in members if (d := departement_of.get(m))),
            )
            epci_by_key[epci_key(epci.nom)].append(epci)
        return dict(epci_by_key)


def starting_with(keys: list[PlaceKey], prefix: str) -> list[PlaceKey]:
    """The keys of the sorted list ``keys`` that begin with ``prefix``: one contiguous run, found by bisection
    (the prefix group of "saint" holds thousands of keys; scanning it for every name cost seconds per run)."""
    start = bisect_left(keys, prefix)
    end = start
    while end < len(keys) and keys[end].startswith(prefix):
        end += 1
    return keys[start:end]

