"""Territory coverage: which communes the CPTS of a run cover, and which no CPTS covers.

The ``coverage`` table has one row per (current INSEE commune, registry CPTS)
for every resolved territory commune of every document about that CPTS, with
the commune's name, département, région and population in the run's newest
millésime (the reference of ``raw/reference/communes.parquet``, read-only).
A commune claimed by two CPTS or more is flagged ``overlap``.

The per-département summary counts communes (``commune-actuelle`` rows of the
newest millésime) and their population covered by at least one CPTS, by two
or more, and by none. A commune with municipal arrondissements (Paris, Lyon,
Marseille) is covered by every CPTS of any of its arrondissements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.tables import DERIVED_TABLES

METHOD_ORDER = ("exact", "normalized", "context", "epci", "fuzzy")
"""The most direct resolution first: a commune named exactly by one document is ``exact`` in coverage."""


@dataclass(frozen=True)
class RefCommune:
    name: str
    departement: str | None
    region: str | None
    population: int | None
    kind: str
    parent: str | None


_COLUMNS = {"code": "code", "nom": "commune_name", "departement": "departement_code", "region": "region_code",
            "population": "population", "type": "kind", "commune_parent": "parent"}
"""Columns of ``communes.parquet`` the reference keeps, and their names in ``CommuneReference.rows``."""


class CommuneReference:
    """The communes of one millésime, by code: one Arrow table (``rows``), as Python objects (``communes``) only
    when a summary asks, so that a run's derive step holds 2 MB of columns, not 37,000 objects (some 45 MB)."""

    def __init__(self, year: int | None, communes: dict[str, RefCommune] | None = None, *, rows: pa.Table | None = None):
        self.year = year
        if rows is None:
            values = list((communes or {}).values())
            rows = pa.table({
                "code": pa.array(list(communes or {}), pa.string()),
                **{column: pa.array([getattr(c, attr) for c in values], pa.int64() if attr == "population" else pa.string())
                   for column, attr in (("commune_name", "name"), ("departement_code", "departement"),
                                        ("region_code", "region"), ("population", "population"),
                                        ("kind", "kind"), ("parent", "parent"))},
            })
        self.rows = rows

    @cached_property
    def communes(self) -> dict[str, RefCommune]:
        names = ("commune_name", "departement_code", "region_code", "population", "kind", "parent")
        return {code: RefCommune(*rest) for code, *rest in zip(*(self.rows[c].to_pylist() for c in ("code", *names)))}

    def table(self) -> pa.Table:
        """The communes as an Arrow table keyed by ``code``, for joins."""
        return self.rows.select(["code", "commune_name", "departement_code", "region_code", "population"])

    def population(self) -> dict[str, int | None]:
        return dict(zip(self.rows["code"].to_pylist(), self.rows["population"].to_pylist()))


def load_commune_reference(ref_dir: Path) -> CommuneReference:
    """The newest millésime of ``<ref_dir>/communes.parquet``; an empty reference when the file is missing.

    A code with several rows (a commune déléguée sharing its chef-lieu's code)
    is its last ``commune-actuelle`` row, else its first row; codes keep the
    order of their first row.
    """
    path = ref_dir / "communes.parquet"
    if not path.exists():
        return CommuneReference(None, {})
    newest = pc.max(pq.read_table(path, columns=["year"])["year"]).as_py()
    with pq.ParquetFile(path) as handle:  # batch by batch: the eight millésimes are never decoded at once
        batches = [batch.filter(pc.equal(batch["year"], newest))
                   for batch in handle.iter_batches(batch_size=32_768, columns=["year", *_COLUMNS])]
    table = pa.Table.from_batches(batches).select(list(_COLUMNS)).rename_columns(list(_COLUMNS.values()))
    table = table.append_column("row", pa.array(range(table.num_rows), pa.int64()))
    actual = pc.equal(table["kind"], "commune-actuelle").fill_null(False)
    first = table.group_by("code", use_threads=False).aggregate([("row", "min")])
    last_actual = table.filter(actual).group_by("code", use_threads=False).aggregate([("row", "max")])
    keep = first.join(last_actual, "code", join_type="left outer", use_threads=False).sort_by("row_min")
    picked = pc.coalesce(keep["row_max"], keep["row_min"])
    return CommuneReference(newest, rows=table.take(picked).drop_columns(["row"]))


SLICE_ROWS = 8_192
"""(commune, CPTS) pairs joined at a time by ``build_coverage`` (cut between two INSEE codes only)."""


def build_coverage(registry: pa.Table, communes: pa.Table, reference: CommuneReference) -> pa.Table:
    """One row per (INSEE commune, registry CPTS) of every territory commune (schema ``DERIVED_TABLES["coverage"]``).

    Arrow joins and group-bys: a run of 2,000 documents has some 100,000
    territory rows. They are sorted and grouped into (commune, CPTS) pairs
    once; the pairs, in INSEE code order, are then counted, joined to the
    reference and laid out ``SLICE_ROWS`` at a time, each slice whole codes (a
    code's claims are counted in its slice): joined all at once, their copies
    made the main process's peak grow with the corpus. The slices come in code
    order, so their rows are the rows, in the order, of one join.
    """
    schema = DERIVED_TABLES["coverage"]
    sources = registry["sources"].combine_chunks()
    flat = pc.list_flatten(sources)
    owner = pa.table({
        "doc_id": pc.struct_field(flat, "doc_id"),
        "cpts_key": pc.struct_field(flat, "cpts_key"),
        "registry_key": pc.take(registry["cpts_key"], pc.list_parent_indices(sources)),
    })
    mask = pc.and_(pc.equal(communes["role"], "territory"), pc.is_valid(communes["insee_code"]))
    rows = communes.select(["doc_id", "cpts_key", "insee_code", "method"]).filter(mask)
    rows = rows.join(owner, keys=["doc_id", "cpts_key"], join_type="inner", use_threads=False)
    if rows.num_rows == 0:
        return schema.empty_table()
    rows = rows.append_column("rank", pc.index_in(rows["method"], pa.array(METHOD_ORDER)))
    rows = rows.sort_by([("insee_code", "ascending"), ("registry_key", "ascending"), ("doc_id", "ascending")])
    pairs = rows.group_by(["insee_code", "registry_key"], use_threads=False).aggregate([("doc_id", "distinct"), ("rank", "min")])
    del rows
    doc_ids = pairs["doc_id_distinct"]  # a join cannot carry a list column: joined rows take it back by index
    pairs = pairs.drop_columns(["doc_id_distinct"]).append_column("pair", pa.array(range(pairs.num_rows), pa.int64()))
    pairs = pairs.sort_by([("insee_code", "ascending"), ("registry_key", "ascending")])  # groups come in no set order
    starts = _code_slices(pairs["insee_code"].combine_chunks())
    return pa.concat_tables(
        _coverage_slice(pairs.slice(a, b - a), doc_ids, reference, schema) for a, b in zip(starts, starts[1:]))


def _code_slices(codes: pa.Array) -> list[int]:
    """Offsets cutting sorted ``codes`` into slices of about ``SLICE_ROWS`` rows, never inside one code's rows."""
    changes = pc.indices_nonzero(pc.not_equal(codes[1:], codes[:-1])).to_pylist()
    starts = [0]
    for change in changes:
        if change + 1 - starts[-1] >= SLICE_ROWS:
            starts.append(change + 1)
    return [*starts, len(codes)]


def _coverage_slice(pairs: pa.Table, doc_ids: pa.ChunkedArray, reference: CommuneReference, schema: pa.Schema) -> pa.Table:
    """The coverage rows of (insee_code, registry_key) pairs in that order, holding whole codes."""
    claims = pairs.group_by("insee_code").aggregate([("registry_key", "count")])
    pairs = pairs.join(claims, "insee_code", use_threads=False)
    ref = reference.table()
    ref = ref.filter(pc.and_(pc.greater_equal(ref["code"], pairs["insee_code"][0]), pc.less_equal(ref["code"], pairs["insee_code"][-1])))
    pairs = pairs.join(ref, keys="insee_code", right_keys="code", join_type="left outer", use_threads=False)
    pairs = pairs.sort_by([("insee_code", "ascending"), ("registry_key", "ascending")])
    known = pc.is_valid(pairs["departement_code"])
    n_cpts = pairs["registry_key_count"].cast(pa.int32())
    columns = {
        "insee_code": pairs["insee_code"],
        "cpts_key": pairs["registry_key"],
        "commune_name": pairs["commune_name"],
        "departement_code": pairs["departement_code"],
        "region_code": pairs["region_code"],
        "population": pairs["population"],
        "cog_year": pc.if_else(known, pa.scalar(reference.year, pa.int16()), pa.scalar(None, pa.int16())),
        "method": pc.take(pa.array(METHOD_ORDER), pairs["rank_min"]),
        "doc_ids": pc.take(doc_ids, pairs["pair"]),
        "n_cpts": n_cpts,
        "overlap": pc.greater(n_cpts, 1),
    }
    return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in schema], schema=schema)


def summarise(coverage: pa.Table, reference: CommuneReference, departements: Iterable[str] | None = None) -> list[dict]:
    """Per département: communes and population covered by one CPTS or more, by two or more, and by none.

    ``departements`` defaults to every département the coverage touches.
    """
    claims: dict[str, set[str]] = defaultdict(set)
    for code, cpts in zip(coverage["insee_code"].to_pylist(), coverage["cpts_key"].to_pylist()):
        ref = reference.communes.get(code)
        claims[ref.parent if ref and ref.kind != "commune-actuelle" and ref.parent else code].add(cpts)
    wanted = sorted(set(departements) if departements is not None else
                    {reference.communes[c].departement for c in claims if c in reference.communes} - {None})
    by_departement: dict[str, list[tuple[str, RefCommune]]] = defaultdict(list)
    for code, ref in reference.communes.items():
        if ref.kind == "commune-actuelle":
            by_departement[ref.departement].append((code, ref))
    summary = []
    for dep in wanted:
        row = {"departement_code": dep, "cog_year": reference.year}
        for label in ("communes", "covered", "covered_twice", "not_covered"):
            row[label] = 0
            row[f"{label}_population"] = 0
        for code, ref in by_departement.get(dep, ()):
            n, population = len(claims.get(code, ())), ref.population or 0
            for label, hit in (("communes", True), ("covered", n >= 1), ("covered_twice", n >= 2), ("not_covered", n == 0)):
                if hit:
                    row[label] += 1
                    row[f"{label}_population"] += population
        summary.append(row)
    return summary


def render_summary(summary: list[dict]) -> str:
    """The summary as a plain-text table, one line per département (populations in inhabitants)."""
    header = ["dept", "communes", "population", "covered", "pop.", "%", "by 2+", "pop.", "%", "not covered", "pop.", "%"]
    lines = [header]
    for r in summary:
        line = [r["departement_code"], str(r["communes"]), _number(r["communes_population"])]
        for label in ("covered", "covered_twice", "not_covered"):
            share = 100 * r[f"{label}_population"] / (r["communes_population"] or 1)
            line += [str(r[label]), _number(r[f"{label}_population"]), f"{share:.1f}"]
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
            for line in lines]
    if summary:
        text.append(f"communes and populations of the {summary[0]['cog_year']} millésime")
    return "\n".join(text)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")
