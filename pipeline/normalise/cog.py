"""The commune reference (COG) in memory, indexed for fast name look-ups.

``load_reference`` reads the Parquet tables that ``pipeline.reference`` built
and returns a ``Reference``, cached per process. Each millésime is indexed on
first use: names go into dicts keyed by a normalised ``PlaceKey``, so resolving
a name is a dict look-up; fuzzy matching runs rapidfuzz on a small candidate
set (one département's communes, or the names sharing the first letters), never
on the 35,000 communes.

Codes change when communes merge (communes nouvelles): ``current_code`` follows
``anciens_codes`` and the ``chef_lieu`` of delegated/associated communes from
millésime to millésime up to the newest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rapidfuzz import fuzz, process

from pipeline import textnorm
from pipeline.catalog import REFERENCE_DIR
from pipeline.disk_cache import cached
from pipeline.normalise import cog_index
from pipeline.normalise.cog_index import (
    Commune,
    CommuneIndex,
    Epci,
    EpciKey,
    Keep,
    PlaceKey,
    YearIndex,
    epci_key,
    place_key,
    starting_with,
)
from pipeline.parse.places import gazetteer
from pipeline.parse.places.gazetteer import LEADING_ARTICLE, epci_type, name_words

FUZZY_MIN_SCORE = 88.0
"""Lowest rapidfuzz ratio (0-100) accepted for a misspelt name inside a known département."""
FUZZY_MIN_SCORE_NATIONWIDE = 92.0
"""Stricter floor when no département narrows the candidates."""
FUZZY_MARGIN = 4.0
"""The best name must beat the next different name by this much, or nothing is guessed."""
FUZZY_MIN_LENGTH = 6
"""Shorter names have too many one-letter neighbours to be fuzzy-matched."""

@dataclass(frozen=True, slots=True)
class Candidate:
    """A reference commune that a name may stand for, with how it matched.

    ``code`` is the current code (mergers followed), ``cog_code`` the code in
    the millésime that matched.
    """

    code: str
    cog_code: str
    departement: str | None
    method: str
    score: float


class Reference:
    """The COG of every millésime in ``ref_dir``; see the module docstring."""

    def __init__(self, ref_dir: Path) -> None:
        self.ref_dir = ref_dir
        self._tables = {
            name: pq.ParquetFile(ref_dir / f"{name}.parquet").read() for name in ("communes", "departements", "epci")
        }
        self.years: tuple[int, ...] = tuple(sorted(pc.unique(self._tables["communes"]["year"]).to_pylist()))
        self.newest = self.years[-1]
        self.current_code = lru_cache(maxsize=cog_index.LOOKUP_CACHE)(self._current_code)
        self._keep = _keeper(self.ref_dir)
        self._shared: dict[tuple, Commune] = {}
        """Rows of every indexed millésime by their values: a row unchanged since an earlier millésime is one
        object (keyed by the plain tuple, whose hash runs in C, not by the dataclass)."""

    def cog_year(self, year: int | None) -> int:
        """The millésime used for a communiqué of ``year`` (None -> newest; clamped to the range held)."""
        if year is None:
            return self.newest
        return min(max(year, self.years[0]), self.newest)

    def lookup(self, name: str, year: int) -> list[Candidate]:
        """Communes whose name is ``name`` up to case, accents, hyphens, spaces and "St", and up to a
        leading article missing on either side ("Abymes" for Les Abymes, "Le Foo" for Foo).

        Tries ``year`` first, then the newest millésime (a name given after a
        later merger). One candidate per current code.
        """
        key = place_key(name)
        bare = place_key(LEADING_ARTICLE.sub("", name))
        for y in dict.fromkeys((year, self.newest)):
            index = self._index(y)
            rows = index.rows(key) or index.rows_without_article(key) or index.rows(bare)
            if rows:
                return self._candidates(rows, name, y, score=None)
        return []

    def longer_names(self, name: str, year: int) -> list[Candidate]:
        """Communes whose name begins with the words of ``name`` and goes on ("Lagny" -> Lagny-sur-Marne,
        Lagny-le-Sec), which a text may shorten to ``name``. Municipal arrondissements ("Lyon 3e
        Arrondissement") are parts of the city, not other towns, and are left out."""
        wanted = name_words(name)
        if not wanted:
            return []
        key = place_key(name)
        for y in dict.fromkeys((year, self.newest)):
            index = self._index(y)
            rows = [
                row
                for k in starting_with(index.keys_by_prefix.get(key[:3], []), key)
                if k != key
                for row in index.rows(k)
                if row.type != "arrondissement-municipal" and name_words(row.nom)[: len(wanted)] == wanted
            ]
            if rows:
                return self._candidates(rows, name, y, score=None)
        return []

    def fuzzy(self, name: str, year: int, departements: set[str] | None = None) -> list[Candidate]:
        """Communes whose name is a near miss of ``name`` (a typo), never a wild guess.

        Candidates come from ``departements`` when given, else from the names
        sharing the first three letters. Returns the communes of the single
        best name when it scores at least the floor and beats the next name by
        ``FUZZY_MARGIN``; otherwise nothing.
        """
        key = place_key(name)
        if len(key) < FUZZY_MIN_LENGTH:
            return []
        index = self._index(year)
        if departements:
            choices = sorted({k for d in departements for k in index.keys_by_departement.get(d, [])})
            floor = FUZZY_MIN_SCORE
        else:
            choices = index.keys_by_prefix.get(key[:3], [])
            floor = FUZZY_MIN_SCORE_NATIONWIDE
        best = process.extract(key, choices, scorer=fuzz.ratio, limit=2, score_cutoff=floor - FUZZY_MARGIN)
        if not best or best[0][1] < floor:
            return []
        if len(best) > 1 and best[0][1] - best[1][1] < FUZZY_MARGIN:
            return []
        rows = index.rows(PlaceKey(best[0][0]))
        if departements:
            rows = [r for r in rows if r.departement in departements]
        return self._candidates(rows, name, year, score=best[0][1] / 100)

    def commune(self, code: str, year: int | None = None) -> Commune | None:
        """The commune-level row of ``code`` in ``year`` (default newest)."""
        rows = self._index(year or self.newest).communes(code)
        for wanted in ("commune-actuelle", "arrondissement-municipal"):
            for row in rows:
                if row.type == wanted:
                    return row
        return rows[0] if rows else None

    def lookup_epci(
        self, name: str, year: int, departements: set[str] | None = None, *, kind: str | None = None
    ) -> list[tuple[Epci, str, float]]:
        """EPCIs named ``name``: ``(epci, method, score)``; fuzzy (token ratio) only above the floor.

        The legal form (``kind``, else as written in ``name``: communauté de
        communes -> CC) filters homonyms; so do ``departements`` when they
        keep at least one.
        """
        key = epci_key(name)
        if not key:
            return []
        index = self._index(year)
        found = [(e, "normalized", 1.0) for e in index.epci_by_key.get(key, [])]
        if not found:
            best = process.extract(
                key, list(index.epci_by_key), scorer=fuzz.token_sort_ratio, limit=2, score_cutoff=FUZZY_MIN_SCORE
            )
            if best and (len(best) == 1 or best[0][1] - best[1][1] >= FUZZY_MARGIN):
                found = [(e, "fuzzy", best[0][1] / 100) for e in index.epci_by_key[EpciKey(best[0][0])]]
        kind = kind or epci_type(name)
        if kind:
            typed = [f for f in found if f[0].type.startswith(kind)]
            found = typed or found
        if departements:
            near = [f for f in found if f[0].departements & departements]
            found = near or found
        return found

    def epcis_of_town(self, name: str, year: int, kind: str | None) -> list[tuple[Epci, str, float]]:
        """The intercommunalité (of legal form ``kind``) that the commune ``name`` belongs to in ``year``:
        "l'agglomération de Bergerac" is the CA Bergerac is a member of. ``(epci, "context", 0.9)``, one per
        commune bearing the name (several for homonyms, so nothing is guessed)."""
        index = self._index(year)
        by_siren = {e.siren: e for epcis in index.epci_by_key.values() for e in epcis}
        out: dict[str, tuple[Epci, str, float]] = {}
        for candidate in self.lookup(name, year):
            for row in index.communes(candidate.cog_code):
                epci = by_siren.get(row.epci_siren or "")
                if epci is not None and (kind is None or epci.type.startswith(kind)):
                    out[epci.siren] = (epci, "context", 0.9)
        return list(out.values())

    def region_of(self, departement: str, year: int | None = None) -> str | None:
        """Région code of département ``departement``."""
        return self._index(year or self.newest).regions.get(departement)

    def sole_departement(self, region: str) -> str | None:
        """The département of a région that has only one (La Réunion -> 974), else None."""
        departements = [d for d, r in self._index(self.newest).regions.items() if r == region]
        return departements[0] if len(departements) == 1 else None

    def _candidates(self, rows: list[Commune], name: str, year: int, score: float | None) -> list[Candidate]:
        out: dict[str, Candidate] = {}
        for row in rows:
            code = self.current_code(_commune_level_code(row), year)
            current = self.commune(code)
            if score is None:
                method, value = ("exact", 1.0) if row.nom == name.strip() else ("normalized", 0.95)
            else:
                method, value = "fuzzy", score
            departement = current.departement if current else row.departement
            known = out.get(code)
            if known is None or value > known.score:
                out[code] = Candidate(code=code, cog_code=row.code, departement=departement, method=method, score=value)
        return list(out.values())

    def _current_code(self, code: str, year: int) -> str:
        """``code`` of ``year`` carried forward through every later millésime's mergers."""
        moves = self._moves
        for y in self.years:
            if y > year:
                code = moves[y].get(code, code)
        return code

    @cached_property
    def _moves(self) -> dict[int, dict[str, str]]:
        """Per millésime, the codes that are no commune-actuelle of it -> the commune holding them (kept between
        runs: about 0.1 s CPU per millésime)."""
        return self._keep("cog-moves", lambda: {year: self._year_moves(year) for year in self.years})

    def _year_moves(self, year: int) -> dict[str, str]:
        """Old or delegated codes of ``year`` that are no commune-actuelle of it -> the commune holding them.

        Only the rows that point somewhere (an actuelle with ``anciens_codes``,
        a delegated or associated commune) are read row by row, in table order:
        an old code claimed twice keeps its first holder.
        """
        table = self._year_table("communes", year)
        actuelle = pc.equal(table["type"], "commune-actuelle")
        pointing = pc.or_(
            pc.and_(actuelle, pc.greater(pc.list_value_length(table["anciens_codes"]), 0)),
            pc.is_in(table["type"], pa.array(["commune-deleguee", "commune-associee"])),
        )
        pointers = table.filter(pointing)
        successors: dict[str, str] = {}
        for code, kind, chef_lieu, anciens in zip(
            *(pointers[c].to_pylist() for c in ("code", "type", "chef_lieu", "anciens_codes")), strict=True
        ):
            if kind == "commune-actuelle":
                for old in anciens:
                    successors.setdefault(old, code)
            elif chef_lieu:
                successors.setdefault(code, chef_lieu)
        actuelles = set(table["code"].filter(actuelle).to_pylist())
        return {old: new for old, new in successors.items() if old not in actuelles}

    def _year_table(self, name: str, year: int) -> pa.Table:
        table = self._tables[name]
        return table.filter(pc.equal(table["year"], year))

    @cached_property
    def _communes(self) -> CommuneIndex:
        """The names of every millésime keyed once (``pipeline.normalise.cog_index``), on first use."""
        return CommuneIndex(self._tables["communes"], self._shared, self._keep)

    @cache  # noqa: B019 - one Reference per process (load_reference is cached)
    def _index(self, year: int) -> YearIndex:
        """The look-ups of one millésime (``pipeline.normalise.cog_index``), made on first use."""
        return YearIndex(self._communes, self._year_table("departements", year), self._year_table("epci", year), year)

def _commune_level_code(row: Commune) -> str:
    """The code of the commune a row belongs to in its own millésime."""
    if row.type in ("commune-deleguee", "commune-associee") and row.chef_lieu:
        return row.chef_lieu
    return row.code


def _keeper(ref_dir: Path) -> Keep:
    """How the indexes of the reference in ``ref_dir`` keep what they derive: on disk for the shipped reference,
    keyed by its files and the code that indexes them (``pipeline.disk_cache``); built each time for another
    (a test's small reference must not evict the shipped one's files)."""
    if ref_dir.resolve() != REFERENCE_DIR.resolve():
        return lambda name, build: build()
    sources = [
        *(ref_dir / f"{name}.parquet" for name in ("communes", "departements", "epci")),
        Path(__file__),
        *(Path(module.__file__) for module in (cog_index, gazetteer, textnorm)),
    ]
    return lambda name, build: cached(name, sources, build)


@cache
def load_reference(ref_dir: Path) -> Reference:
    """The reference in ``ref_dir`` (``raw/reference``), loaded once per process."""
    return Reference(Path(ref_dir))
