"""One explicit Arrow schema per output table.

The columns of ``../shared/docs/output-contract.md`` come first, with their
exact names and types; columns this project adds come after them. Each field
carries its meaning (and, for closed lists, the allowed values) in its
metadata, from which ``schemas/README.md`` is generated
(``python -m pipeline schemas``) and checked by a test.
"""

from __future__ import annotations

from typing import get_args

import pyarrow as pa

from pipeline import records
from pipeline.catalog import INPUT_SUFFIXES
from pipeline.normalise.funding_kind import FundingKind

_ENUMS: dict[str, tuple[str, ...]] = {
    "status": get_args(records.Status),
    "source_format": tuple(dict.fromkeys(INPUT_SUFFIXES.values())),
    "qualifier": get_args(records.Qualifier),
    "funder": get_args(records.Funder),
    "purpose": get_args(records.Purpose),
    "precision": get_args(records.DatePrecision),
    "date_role": get_args(records.DateRole),
    "mission": get_args(records.MissionCode),
    "mission_status": get_args(records.MissionStatus),
    "commune_role": get_args(records.PlaceRole),
    "method": get_args(records.CommuneMethod),
    "headcount_category": get_args(records.HeadcountCategory),
    "name_source": get_args(records.NameSource),
    "funding_kind": get_args(FundingKind),
    "cpts_evidence_field": ("population_declared", "communes_declared", "members_declared", "president"),
}
"""The closed value lists, taken from the ``Literal`` types of ``pipeline.records``."""


def _f(name: str, type_: pa.DataType, meaning: str, *, nullable: bool = False, enum: str | None = None) -> pa.Field:
    metadata = {"meaning": meaning}
    if enum:
        metadata["values"] = ",".join(_ENUMS[enum])
    return pa.field(name, type_, nullable=nullable, metadata=metadata)


def _keys() -> list[pa.Field]:
    return [
        _f("doc_id", pa.string(), "first 16 hex digits of the SHA-256 of the raw file's bytes"),
        _f("cpts_key", pa.string(), "slug of the CPTS territory name, joins the tables"),
    ]


def _evidence(*, nullable: bool = False) -> list[pa.Field]:
    return [
        _f("char_start", pa.int32(), "start offset of the evidence in the normalised text", nullable=nullable),
        _f("char_end", pa.int32(), "end offset (exclusive) of the evidence in the normalised text", nullable=nullable),
        _f("text", pa.string(), "the snippet the fact was read from", nullable=nullable),
        _rule(),
    ]


def _rule() -> pa.Field:
    return _f("rule", pa.string(), "id of the rule that produced the fact (pattern row id in pipeline/patterns/, or rule name)")


DOCUMENTS = pa.schema(
    [
        _keys()[0],
        _f("source_path", pa.string(), "path relative to the raw folder"),
        _f("source_format", pa.string(), "input format", enum="source_format"),
        _f("title", pa.string(), "the communiqué's title", nullable=True),
        _f("published_on", pa.date32(), "publication date when the document states it", nullable=True),
        _f("status", pa.string(), "ok, not_cpts (readable but not about a CPTS), rejected (unreadable)", enum="status"),
        _f("error", pa.string(), "why, when rejected or not_cpts", nullable=True),
        _f("n_chars", pa.int32(), "length of the normalised text"),
        _f("pipeline_version", pa.string(), "version of the code that produced the row"),
        _f("extracted_at", pa.timestamp("us", tz="UTC"), "when the row was produced"),
        _f("duplicate_paths", pa.list_(pa.string()), "other paths with the very same bytes (processed once)"),
        _f("text", pa.string(), "the normalised text all offsets point into"),
        _f("encoding", pa.string(), "charset the bytes were decoded from (utf-8, cp1252, ...); null when the format's reader decodes", nullable=True),
        _f("warnings", pa.list_(pa.string()), "problems that did not stop extraction (invalid bytes replaced, ...)"),
        _f("same_as", pa.string(), "doc_id of the canonical copy when this document is a near-duplicate of it (same communiqué as text, HTML, PDF or with another header); count such documents once", nullable=True),
        _f("text_minhash", pa.list_(pa.uint32()), "MinHash signature of the text (64 values) that near-duplicate detection compares; computed once per document, so a run with a few new files does not cut every text into shingles again", nullable=True),
    ]
)

CPTS = pa.schema(
    [
        *_keys(),
        _f("cpts_name", pa.string(), 'the name as written, e.g. "CPTS des Monts du Lyonnais"'),
        _f("departement_codes", pa.list_(pa.string()), "départements of its territory (resolved, else as stated)"),
        _f("region_code", pa.string(), "INSEE région code", nullable=True),
        _f("signature_date", pa.date32(), "date the ACI contract was signed; null when the year is not given", nullable=True),
        _f("population_declared", pa.int64(), "population covered, as stated", nullable=True),
        _f("population_qualifier", pa.string(), "how the population is stated", nullable=True, enum="qualifier"),
        _f("communes_declared", pa.int32(), "number of communes, as stated", nullable=True),
        _f("communes_resolved", pa.int32(), "distinct territory communes resolved to an INSEE code"),
        _f("population_reference", pa.int64(), "sum of reference populations of those communes, in the millésime cog_year", nullable=True),
        _f("members_declared", pa.int32(), "health professionals who are members (adhérents)", nullable=True),
        _f("president", pa.string(), "first and last name of the president, without title", nullable=True),
        _f("cog_year", pa.int16(), "millésime of the commune reference used", nullable=True),
        _f(
            "name_source",
            pa.string(),
            "how the CPTS was named: explicit (a written name), acronym (a name that is only an acronym), "
            "headline_place (the headline's place, the text never names it), territory_town (the seat town the text gives)",
            enum="name_source",
        ),
        _f("region_name", pa.string(), "official name of the région (reference of the millésime cog_year)", nullable=True),
        _f("departement_names", pa.list_(pa.string()), "official names of the départements, in the order of departement_codes"),
    ]
)

COMMUNES = pa.schema(
    [
        *_keys(),
        _f("role", pa.string(), "territory (part of the CPTS territory) or mentioned (named for another reason)", enum="commune_role"),
        _f("mention", pa.string(), "as written (the EPCI's name for an expansion row)"),
        _f("insee_code", pa.string(), "current INSEE code; null when unresolved", nullable=True),
        _f("commune_name", pa.string(), "official name", nullable=True),
        _f("departement_code", pa.string(), "département code", nullable=True),
        _f("population", pa.int64(), "reference population in the millésime cog_year", nullable=True),
        _f("method", pa.string(), "how the mention was resolved", enum="method"),
        _f("score", pa.float32(), "match confidence in [0, 1]"),
        _f("epci_siren", pa.string(), "SIREN of the EPCI for epci rows, or of an EPCI named as territory", nullable=True),
        _f("cog_year", pa.int16(), "millésime of the reference used"),
        _f("char_start", pa.int32(), "start offset of the mention; null for EPCI expansion rows", nullable=True),
        _f("char_end", pa.int32(), "end offset of the mention; null for EPCI expansion rows", nullable=True),
        _f("cog_code", pa.string(), "INSEE code in the millésime cog_year, before following mergers", nullable=True),
        _rule(),
    ]
)

FUNDINGS = pa.schema(
    [
        *_keys(),
        _f("amount_eur", pa.int64(), "amount in euros"),
        _f("funder", pa.string(), "who pays", enum="funder"),
        _f("purpose", pa.string(), "what for", enum="purpose"),
        _f("period_years", pa.int8(), "period of a multi-year amount (5 for 'sur 5 ans')", nullable=True),
        _f("is_maximum", pa.bool_(), "a ceiling: 'pouvant atteindre', 'maximale', 'pourra prétendre à'"),
        _f("conditional", pa.bool_(), "subject to objectives: 'sous réserve de l'atteinte des objectifs'"),
        *_evidence(),
        _f("kind", pa.string(), "what the amount measures: paid once, per year, a yearly ceiling, a total or a ceiling over period_years, or a period the text does not give; only amounts of one kind add up", enum="funding_kind"),
        _f("annual_eur", pa.int64(), "euros per year: the amount of an annual kind, a total over period_years divided by it; null for one-off payments and unknown periods", nullable=True),
    ]
)

DATES = pa.schema(
    [
        *_keys(),
        _f("date", pa.date32(), "first day of the period; null when the year is not known", nullable=True),
        _f("precision", pa.string(), "how precise the text is", enum="precision"),
        _f("role", pa.string(), "what the date is of", enum="date_role"),
        *_evidence(),
    ]
)

HEADCOUNTS = pa.schema(
    [
        *_keys(),
        _f("category", pa.string(), "members, professionals, a profession or a structure", enum="headcount_category"),
        _f("count", pa.int32(), "the count"),
        _f("qualifier", pa.string(), "exact, approx ('une centaine'), at_least ('plus de'), at_most", enum="qualifier"),
        *_evidence(),
    ]
)

MISSIONS = pa.schema(
    [
        *_keys(),
        _f("mission", pa.string(), "ACI mission", enum="mission"),
        _f("status", pa.string(), "socle, optionnelle, null when the text does not say", nullable=True, enum="mission_status"),
        _f("label", pa.string(), "the heading or phrase as written"),
        _f("char_start", pa.int32(), "start offset of the label"),
        _f("char_end", pa.int32(), "end offset of the label"),
        _rule(),
    ]
)

THEMES = pa.schema(
    [
        *_keys(),
        _f("theme", pa.string(), "prevention or care theme code (pipeline/patterns/themes.jsonl)"),
        _f("mission", pa.string(), "the ACI mission the theme belongs to", nullable=True, enum="mission"),
        _f("label", pa.string(), "the phrase as written"),
        _f("char_start", pa.int32(), "start offset of the label"),
        _f("char_end", pa.int32(), "end offset of the label"),
        _rule(),
    ]
)

CPTS_EVIDENCE = pa.schema(
    [
        *_keys(),
        _f("field", pa.string(), "the cpts column this passage gives", enum="cpts_evidence_field"),
        _f("value", pa.string(), "the value it gave, as text (the number, or the president's name)"),
        *_evidence(),
    ]
)

TERRITORY = pa.schema(
    [
        *_keys(),
        _f("insee_code", pa.string(), "current INSEE code of a territory commune (one row per code)"),
        _f("commune_name", pa.string(), "official name", nullable=True),
        _f("departement_code", pa.string(), "département code", nullable=True),
        _f("departement_name", pa.string(), "official name of the département", nullable=True),
        _f("region_code", pa.string(), "INSEE région code", nullable=True),
        _f("region_name", pa.string(), "official name of the région", nullable=True),
        _f("population", pa.int64(), "reference population in the millésime cog_year (communes merged into this code since are added); sums to cpts.population_reference", nullable=True),
        _f("methods", pa.list_(pa.string()), "how its mentions were resolved (communes.method), distinct, in text order"),
        _f("epci_siren", pa.string(), "SIREN of the EPCI it was reached through, when it was", nullable=True),
        _f("mentions", pa.int32(), "rows of communes merged into this one"),
        _f("cog_year", pa.int16(), "millésime of the reference used"),
    ]
)

CHECKS = pa.schema(
    [
        *_keys(),
        _f("check", pa.string(), "what was compared (communes_count, population_vs_reference, ...)"),
        _f("declared", pa.float64(), "the figure the communiqué states", nullable=True),
        _f("derived", pa.float64(), "the figure the pipeline derived", nullable=True),
        _f("message", pa.string(), "the discrepancy in words"),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "cpts": CPTS,
    "communes": COMMUNES,
    "fundings": FUNDINGS,
    "dates": DATES,
    "headcounts": HEADCOUNTS,
    "missions": MISSIONS,
    "themes": THEMES,
    "territory": TERRITORY,
    "cpts_evidence": CPTS_EVIDENCE,
    "checks": CHECKS,
}


def table_schema(name: str) -> pa.Schema:
    """The schema of table ``name``; KeyError names the known tables."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None


# Derived tables: built from the per-document tables above on every run, after the incremental cache
# (pipeline.registry.derived_tables). They are not in TABLES: extraction never produces their rows.

_ENUMS["registry_status"] = ("project", "created", "signed", "renewed")
_ENUMS["correction_status"] = ("applied", "unmatched", "ambiguous", "invalid")

CORRECTABLE = ("cpts", "communes", "fundings", "dates", "headcounts", "missions", "themes")
"""Per-document tables a line of ``corrections.csv`` may correct (besides ``registry``)."""


def _correction_marks() -> list[pa.Field]:
    return [
        _f("corrected", pa.bool_(), "a line of the raw folder's corrections.csv changed this row"),
        _f("original_values", pa.string(), "JSON object {column: value as extracted} of the corrected columns", nullable=True),
    ]


def corrected_schema(name: str) -> pa.Schema:
    """The schema of table ``name`` once corrections are applied: ``corrected`` and ``original_values`` appended."""
    return pa.schema([*table_schema(name), *_correction_marks()])


_CONFLICT = pa.struct([("field", pa.string()), ("values", pa.list_(pa.string())), ("doc_ids", pa.list_(pa.string()))])
_FUNDING_TOTAL = pa.struct([
    ("funder", pa.string()), ("purpose", pa.string()), ("amount_eur", pa.int64()), ("payments", pa.int32()),
    ("is_maximum", pa.bool_()), ("conditional", pa.bool_()), ("doc_ids", pa.list_(pa.string())),
])
_SOURCE = pa.struct([("doc_id", pa.string()), ("cpts_key", pa.string())])

REGISTRY = pa.schema(
    [
        _f("cpts_key", pa.string(), "canonical key: the key most documents use; homonyms get their départements appended (val-d-allier--03)"),
        _f("cpts_name", pa.string(), "the name as the most recent document using the canonical key writes it"),
        _f("aliases", pa.list_(pa.string()), "every name and key the documents use for this CPTS"),
        _f("doc_ids", pa.list_(pa.string()), "the ok documents about this CPTS"),
        _f("sources", pa.list_(_SOURCE), "every (doc_id, cpts_key) of the per-document tables this row stands for, oldest first"),
        _f("departement_codes", pa.list_(pa.string()), "union of the départements of every document"),
        _f("population_declared", pa.int64(), "most recent stated population", nullable=True),
        _f("population_declared_doc_id", pa.string(), "document that states population_declared", nullable=True),
        _f("population_qualifier", pa.string(), "how that document states it", nullable=True, enum="qualifier"),
        _f("communes_declared", pa.int32(), "most recent stated number of communes", nullable=True),
        _f("communes_declared_doc_id", pa.string(), "document that states communes_declared", nullable=True),
        _f("members_declared", pa.int32(), "most recent stated number of members", nullable=True),
        _f("members_declared_doc_id", pa.string(), "document that states members_declared", nullable=True),
        _f("president", pa.string(), "most recent named president", nullable=True),
        _f("president_doc_id", pa.string(), "document that names the president", nullable=True),
        _f("region_code", pa.string(), "INSEE région code; null when documents disagree (see conflicts)", nullable=True),
        _f("status", pa.string(), "renewed (two signatures 3+ years apart), signed, created, project (only a health-project grant); null when no document says",
           nullable=True, enum="registry_status"),
        _f("signature_date", pa.date32(), "ACI signature: the latest when renewed, else the most recent document's", nullable=True),
        _f("creation_date", pa.date32(), "creation: the most precise stated date (the most recent document's on a conflict)", nullable=True),
        _f("creation_precision", pa.string(), "precision of creation_date", nullable=True, enum="precision"),
        _f("communes_resolved", pa.int32(), "distinct territory communes over every document (union)"),
        _f("insee_codes", pa.list_(pa.string()), "current INSEE codes of those communes"),
        _f("population_reference", pa.int64(), "sum of their populations in the millésime reference_year", nullable=True),
        _f("reference_year", pa.int16(), "millésime of population_reference (the run's newest)", nullable=True),
        _f("fundings", pa.list_(_FUNDING_TOTAL),
           "totals per (funder, purpose) of distinct payments: the same (funder, purpose, amount, period) in several documents counts once"),
        _f("conflicts", pa.list_(_CONFLICT), "fields on which documents disagree beyond the tolerance; values and doc_ids aligned, most recent first"),
        _f("merge_reason", pa.string(), "why these documents are one CPTS (same key, acronym, close names on the same territory)"),
        *_correction_marks(),
    ]
)

COVERAGE = pa.schema(
    [
        _f("insee_code", pa.string(), "current INSEE code of a territory commune"),
        _f("cpts_key", pa.string(), "registry key of the CPTS whose territory includes it"),
        _f("commune_name", pa.string(), "official name in the millésime cog_year", nullable=True),
        _f("departement_code", pa.string(), "département code", nullable=True),
        _f("region_code", pa.string(), "région code", nullable=True),
        _f("population", pa.int64(), "population in the millésime cog_year", nullable=True),
        _f("cog_year", pa.int16(), "millésime of the reference used (the run's newest)", nullable=True),
        _f("method", pa.string(), "the most direct way a document resolved it (exact, normalized, context, epci, fuzzy)", enum="method"),
        _f("doc_ids", pa.list_(pa.string()), "documents that put it in this CPTS's territory"),
        _f("n_cpts", pa.int32(), "CPTS whose territory includes this commune"),
        _f("overlap", pa.bool_(), "claimed by two CPTS or more"),
    ]
)

CORRECTIONS = pa.schema(
    [
        _f("line", pa.int32(), "line number in corrections.csv (the header is line 1)"),
        _f("doc_id", pa.string(), "document corrected, when the line names one", nullable=True),
        _f("cpts_key", pa.string(), "CPTS corrected, when the line names one", nullable=True),
        _f("table", pa.string(), "table corrected (registry or a per-document table)"),
        _f("field", pa.string(), "column corrected"),
        _f("char_start", pa.int32(), "char_start of the corrected fact, when the line gives one", nullable=True),
        _f("value", pa.string(), "the corrected value as written; empty means null", nullable=True),
        _f("comment", pa.string(), "the analyst's comment", nullable=True),
        _f("status", pa.string(), "applied, unmatched (nothing matches any more: the document changed?), ambiguous, invalid", enum="correction_status"),
        _f("rows", pa.int32(), "rows changed"),
        _f("message", pa.string(), "what happened, in words"),
    ]
)

DERIVED_TABLES: dict[str, pa.Schema] = {"registry": REGISTRY, "coverage": COVERAGE, "corrections": CORRECTIONS}
