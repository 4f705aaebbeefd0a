"""What one row of each table is, the columns that identify it, and how the tables join.

Written down as dbt docs do, because the commonest analyst error is summing at
the wrong grain (a commune named twice counted twice, a five-year ceiling
added to a yearly one). The data dictionary prints it, and a test checks the
keys are unique on a real extraction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grain:
    """One table's grain, its unique key and its joins."""

    grain: str
    key: tuple[str, ...]
    joins: tuple[str, ...] = ()
    sums: str = ""
    """What can be added up, and what cannot."""


_CPTS_JOIN = "`cpts` on (doc_id, cpts_key)"

GRAINS: dict[str, Grain] = {
    "documents": Grain(
        "one row per distinct raw file (identical bytes under several names are one row, see duplicate_paths)",
        ("doc_id",),
        ("every other table on doc_id",),
        "count CPTS once: a document whose `same_as` is set is a near-duplicate of another, when that column is present",
    ),
    "cpts": Grain(
        "one row per CPTS a document is about",
        ("doc_id", "cpts_key"),
        ("`documents` on doc_id", "the tables below on (doc_id, cpts_key)", "the same CPTS across communiqués shares cpts_key"),
        "one CPTS published several times has one row per document: deduplicate on cpts_key (or documents.same_as) before counting",
    ),
    "communes": Grain(
        "one row per commune or EPCI mention, and per member commune of an EPCI named as territory (method epci)",
        ("doc_id", "cpts_key", "role", "mention", "char_start", "insee_code"),
        (_CPTS_JOIN,),
        "do not sum `population` here (a commune named twice is two rows): use `territory`",
    ),
    "fundings": Grain(
        "one row per distinct amount of money (the same amount for the same purpose stated twice is one row)",
        ("doc_id", "cpts_key", "amount_eur", "funder", "purpose"),
        (_CPTS_JOIN,),
        "rows of one CPTS often state the same money several ways (a yearly ceiling and a five-year one): never add "
        "kinds together; to compare CPTS take one `annual_eur` per CPTS (e.g. the largest), and add `amount_eur` only "
        "within `paid_once`",
    ),
    "dates": Grain(
        "one row per dated event (a date read twice for two roles is two rows)",
        ("doc_id", "cpts_key", "char_start", "role"),
        (_CPTS_JOIN,),
    ),
    "headcounts": Grain(
        "one row per count read in the text",
        ("doc_id", "cpts_key", "char_start", "category"),
        (_CPTS_JOIN,),
    ),
    "missions": Grain(
        "one row per ACI mission a passage assigns to the CPTS",
        ("doc_id", "cpts_key", "char_start", "mission"),
        (_CPTS_JOIN,),
    ),
    "themes": Grain(
        "one row per theme a passage names",
        ("doc_id", "cpts_key", "char_start", "theme"),
        (_CPTS_JOIN,),
    ),
    "territory": Grain(
        "one row per territory commune of a CPTS resolved to an INSEE code (mentions merged)",
        ("doc_id", "cpts_key", "insee_code"),
        (_CPTS_JOIN, "`communes` on (doc_id, cpts_key, insee_code) with role territory for the mentions"),
        "`population` sums to cpts.population_reference",
    ),
    "cpts_evidence": Grain(
        "one row per declared figure of `cpts` (population, communes, members, president): where the text gives it",
        ("doc_id", "cpts_key", "field"),
        (_CPTS_JOIN,),
    ),
    "checks": Grain(
        "one row per discrepancy between a declared and a derived figure",
        ("doc_id", "cpts_key", "check"),
        (_CPTS_JOIN,),
    ),
}

DERIVED_GRAINS: dict[str, Grain] = {
    "registry": Grain(
        "one row per CPTS across every ok document of the run (the same CPTS under several names is one row, see merge_reason)",
        ("cpts_key",),
        ("the per-document tables on (doc_id, cpts_key) in `sources`", "`coverage` on cpts_key"),
        "figures are each one document's (see *_doc_id); `fundings` totals count a payment quoted by several documents once",
    ),
    "coverage": Grain(
        "one row per (current INSEE commune, registry CPTS) of every territory commune",
        ("insee_code", "cpts_key"),
        ("`registry` on cpts_key",),
        "a commune of two CPTS is two rows (overlap = true): count distinct insee_code for the communes covered",
    ),
    "corrections": Grain(
        "one row per line of the raw folder's corrections.csv",
        ("line",),
        ("the corrected table on doc_id, cpts_key and char_start",),
    ),
}
"""The tables built from the per-document tables after every run (``schemas.tables.DERIVED_TABLES``)."""
