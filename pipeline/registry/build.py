"""The ``registry`` table: one row per CPTS across every ``ok`` document of a run.

Sightings (``cpts`` rows of ``ok`` documents) are grouped by
``pipeline.registry.merge``; each group's values come from
``pipeline.registry.fields``. The registry's ``cpts_key`` is the key the most
documents use (ties: the most recent document's; an acronym key only when
there is no other); two CPTS with the same key (homonyms in two départements)
get their départements appended: ``val-d-allier--03``, ``val-d-allier--63``.
``sources`` lists every (doc_id, cpts_key) of the per-document tables the row
stands for, so facts join to it exactly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.registry.fields import dates_and_status, declared_fields, funding_totals
from pipeline.registry.merge import Cluster, Sighting, acronyms, cluster_sightings
from schemas.tables import DERIVED_TABLES

_SIGHTING_COLUMNS = ["doc_id", "cpts_key", "cpts_name", "departement_codes", "region_code", "signature_date",
                     "population_declared", "population_qualifier", "communes_declared", "members_declared", "president"]


def _ok_ids(documents: pa.Table) -> pa.Array:
    return documents.filter(pc.equal(documents["status"], "ok"))["doc_id"].combine_chunks()


def _by_doc_key(table: pa.Table, columns: list[str], ok: pa.Array) -> dict[tuple[str, str], list[dict]]:
    """Rows of ``table`` (only ``columns``) of ok documents, grouped by (doc_id, cpts_key)."""
    table = table.select(["doc_id", "cpts_key", *columns])
    rows = table.filter(pc.is_in(table["doc_id"], ok)).to_pylist()
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["doc_id"], row["cpts_key"])].append(row)
    return grouped


def territories(communes: pa.Table, ok: pa.Array | None = None) -> dict[tuple[str, str], frozenset[str]]:
    """(doc_id, cpts_key) -> INSEE codes of its resolved territory communes.

    Grouped in Arrow on the codes' dictionary indices, and turned into Python
    a thousand territories at a time: a code is one string object however
    many documents name it (2,000 communiqués have 100,000 territory rows but
    a few thousand distinct communes), and no list of every row is made.
    """
    mask = pc.and_(pc.equal(communes["role"], "territory"), pc.is_valid(communes["insee_code"]))
    if ok is not None:
        mask = pc.and_(mask, pc.is_in(communes["doc_id"], ok))
    rows = communes.select(["doc_id", "cpts_key", "insee_code"]).filter(mask)
    codes = pc.dictionary_encode(rows["insee_code"]).combine_chunks()
    names = codes.dictionary.to_pylist()
    groups = pa.table({"doc_id": rows["doc_id"], "cpts_key": rows["cpts_key"], "code": codes.indices})
    groups = groups.group_by(["doc_id", "cpts_key"], use_threads=False).aggregate([("code", "distinct")])
    out = {}
    for batch in groups.to_batches(max_chunksize=1024):
        for d, k, found in zip(*(batch[c].to_pylist() for c in ("doc_id", "cpts_key", "code_distinct"))):
            out[(d, k)] = frozenset(map(names.__getitem__, found))
    return out


def build_registry(tables: Mapping[str, pa.Table], population: Mapping[str, int | None] | None = None,
                   reference_year: int | None = None) -> pa.Table:
    """One row per CPTS (schema ``DERIVED_TABLES["registry"]``) from the per-document tables.

    ``population`` maps a current INSEE code to its population in the
    millésime ``reference_year`` (the run's newest); without it, or when one
    territory commune is missing from it, ``population_reference`` is null.
    """
    ok = _ok_ids(tables["documents"])
    docs = tables["documents"].select(["doc_id", "published_on"]).to_pylist()
    published = {d["doc_id"]: d["published_on"] for d in docs}
    cpts = tables["cpts"].select(_SIGHTING_COLUMNS)
    cpts_rows = {(r["doc_id"], r["cpts_key"]): r for r in cpts.filter(pc.is_in(cpts["doc_id"], ok)).to_pylist()}
    land = territories(tables["communes"], ok)
    sightings = [
        Sighting(doc_id=d, cpts_key=k, cpts_name=r["cpts_name"],
                 departements=frozenset(r["departement_codes"] or ()), communes=land.get((d, k), frozenset()),
                 recency=(published.get(d) or r["signature_date"] or date.min, d))
        for (d, k), r in cpts_rows.items()
    ]
    dates: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for key, rows in _by_doc_key(tables["dates"], ["date", "precision", "role"], ok).items():
        for row in rows:
            dates[key][row["role"]].append((row["date"], row["precision"]))
    fundings = _by_doc_key(tables["fundings"], ["amount_eur", "funder", "purpose", "period_years", "is_maximum", "conditional"], ok)

    clusters = cluster_sightings(sightings)
    keys = _registry_keys(clusters)
    rows = []
    for cluster, key in zip(clusters, keys):
        declared, conflicts = declared_fields(cluster.sightings, cpts_rows)
        events, date_conflicts = dates_and_status(cluster.sightings, cpts_rows, dates, fundings)
        codes = sorted(cluster.communes)
        populations = [population.get(c) for c in codes] if population else []
        known = bool(codes) and None not in populations  # one commune missing from the reference: no sum, not a smaller one
        named = sorted(cluster.sightings, key=lambda s: s.recency, reverse=True)
        canonical = [s for s in named if s.cpts_key == key.split("--")[0]] or named
        rows.append({
            "cpts_key": key,
            "cpts_name": canonical[0].cpts_name,
            "aliases": sorted({s.cpts_name for s in named} | cluster.keys),
            "doc_ids": sorted(cluster.doc_ids),
            "sources": [{"doc_id": s.doc_id, "cpts_key": s.cpts_key} for s in sorted(named, key=lambda s: s.recency)],
            "departement_codes": sorted(cluster.departements),
            **declared,
            **events,
            "communes_resolved": len(codes),
            "insee_codes": codes,
            "population_reference": sum(populations) if known else None,
            "reference_year": reference_year if known else None,
            "fundings": funding_totals(cluster.sightings, fundings),
            "conflicts": conflicts + date_conflicts,
            "merge_reason": "; ".join(dict.fromkeys(cluster.reasons)) or "one document",
        })
    rows.sort(key=lambda r: r["cpts_key"])
    schema = DERIVED_TABLES["registry"]
    return pa.Table.from_pylist([{**r, "corrected": False, "original_values": None} for r in rows], schema=schema)


def _preferred_key(cluster: Cluster) -> str:
    """The key most documents use (ties: the most recent), an acronym key only when there is no other."""
    counts = Counter(s.cpts_key for s in cluster.sightings)
    latest = {s.cpts_key: s.recency for s in cluster.sightings}
    initials = {a for k in counts for a in acronyms(k)}
    full = [k for k in counts if k not in initials] or list(counts)
    return max(full, key=lambda k: (counts[k], latest[k], len(k)))


def _registry_keys(clusters: list[Cluster]) -> list[str]:
    """A unique key per cluster: the preferred key, with the départements appended for homonyms."""
    preferred = [_preferred_key(c) for c in clusters]
    taken = Counter(preferred)
    keys = []
    for cluster, key in zip(clusters, preferred):
        if taken[key] > 1 and cluster.departements:
            key = f"{key}--{'-'.join(sorted(cluster.departements))}"
        keys.append(key)
    seen: Counter = Counter()
    unique = []
    for key in keys:
        seen[key] += 1
        unique.append(key if seen[key] == 1 else f"{key}--{seen[key]}")
    return unique
