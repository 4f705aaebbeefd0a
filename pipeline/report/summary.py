"""One summary row per CPTS, with the evidence behind each figure and what a filter needs.

Each cell that shows an extracted figure links to the words it was read from
(``#f-<doc>-<n>``). A figure with no offsets in the tables
(``population_reference``, ``communes_resolved`` are derived) links nowhere.

Funding: a communiqué states a payment at signature, a yearly amount, a
five-year ceiling... Adding them gives a figure nobody paid. The summary
shows two comparable amounts: the sum of the one-off payments
(``kind = paid_once``, distinct payments) and the largest amount per year
the communiqué gives (``annual_eur``: yearly amounts as they are, totals over
N years divided by N). Their breakdown is in the cell's tooltip.

A CPTS whose document is a near-duplicate of another (``documents.same_as``)
is listed, marked as a copy, and left out of every total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.report.labels import day, label, number

Rows = list[dict]

OUTLIER_RATIO = 0.10
"""Declared and derived figures further apart than this (relative to the declared one) are coloured."""


@dataclass
class Cell:
    """One table cell: what it shows, its sort value, where its evidence is, its tooltip and class."""

    text: str
    sort: str | int | float | None = None
    href: str | None = None
    tip: str = ""
    css: str = ""


@dataclass
class CptsRow:
    doc_id: str
    cpts_key: str
    name: str
    source: str
    copy_of: str | None
    region: str
    departements: list[str]
    year: str
    warnings: int
    cells: dict[str, Cell] = field(default_factory=dict)
    one_off: int | None = None
    annual: dict[str, int] = field(default_factory=dict)
    """Largest ``annual_eur`` per funder."""


COLUMNS: tuple[tuple[str, str], ...] = (
    ("region", "Région"),
    ("departements", "Département(s)"),
    ("signature", "Signature"),
    ("population_declared", "Population déclarée"),
    ("population_reference", "Population de référence"),
    ("population_gap", "Écart réf./décl."),
    ("communes_declared", "Communes déclarées"),
    ("communes_resolved", "Communes résolues"),
    ("members", "Adhérents"),
    ("president", "Président·e"),
    ("one_off", "Versements ponctuels (Σ)"),
    ("annual", "Montant annuel (€/an, le plus élevé)"),
    ("warnings", "Alertes"),
)
"""Columns after the CPTS name: (key, French header)."""


def _gap(declared: int | None, derived: int | None) -> Cell:
    if not declared or derived is None:
        return Cell("—")
    share = (derived - declared) / declared
    css = "outlier" if abs(share) > OUTLIER_RATIO else ""
    percent = round(100 * share)
    return Cell(f"{percent:+d}\u00a0%" if percent else "0\u00a0%", round(share, 4), tip="référence comparée au chiffre déclaré", css=css)


def _linked(value: str, sort, anchor: str | None, tip: str = "", css: str = "") -> Cell:
    return Cell(value, sort, f"#{anchor}" if anchor else None, tip, css)


def cpts_rows(tables: Mapping[str, Rows], anchors: Mapping[int, str], warnings: Mapping[tuple[str, str], int]) -> list[CptsRow]:
    """The summary rows, in the order of the ``cpts`` table. ``anchors``: ``id(row)`` -> fact anchor."""
    documents = {d["doc_id"]: d for d in tables["documents"]}
    by_cpts: dict[tuple[str, str], dict[str, Rows]] = {}
    for table in ("cpts_evidence", "dates", "fundings"):
        for row in tables.get(table, []):
            by_cpts.setdefault((row["doc_id"], row["cpts_key"]), {}).setdefault(table, []).append(row)
    out = []
    for c in tables["cpts"]:
        key = (c["doc_id"], c["cpts_key"])
        mine = by_cpts.get(key, {})
        evidence = {r["field"]: r for r in mine.get("cpts_evidence", [])}
        document = documents.get(c["doc_id"], {})
        signature = c["signature_date"]
        row = CptsRow(
            doc_id=c["doc_id"], cpts_key=c["cpts_key"], name=c["cpts_name"],
            source=document.get("source_path", c["doc_id"]), copy_of=document.get("same_as"),
            region=c["region_code"] or "", departements=list(c["departement_codes"] or []),
            year=str(signature.year) if signature else "", warnings=warnings.get(key, 0),
        )  # fmt: skip

        def anchor(field_name: str) -> str | None:
            fact = evidence.get(field_name)
            return anchors.get(id(fact)) if fact else None

        sig_fact = next((d for d in mine.get("dates", []) if d["role"] == "signature" and signature and d["date"] == signature), None)
        qualifier = c["population_qualifier"]
        shown_qualifier = f" ({label('qualifier', qualifier)})" if qualifier not in (None, "exact") else ""
        names = dict(zip(c["departement_codes"] or [], c.get("departement_names") or []))
        row.cells = {
            "region": Cell(c.get("region_name") or c["region_code"] or "—", c.get("region_name") or "", tip=c["region_code"] or ""),
            "departements": Cell(", ".join(f"{names.get(d) or d} ({d})" for d in row.departements) or "—", ",".join(row.departements)),
            "signature": _linked(day(signature), day(signature) if signature else None, anchors.get(id(sig_fact)) if sig_fact else None),
            "population_declared": _linked(number(c["population_declared"]) + shown_qualifier, c["population_declared"], anchor("population_declared")),
            "population_reference": Cell(number(c["population_reference"]), c["population_reference"], tip="somme des populations de référence des communes résolues"),
            "population_gap": _gap(c["population_declared"], c["population_reference"]),
            "communes_declared": _linked(number(c["communes_declared"]), c["communes_declared"], anchor("communes_declared")),
            "communes_resolved": Cell(number(c["communes_resolved"]), c["communes_resolved"],
                                      css="outlier" if _gap(c["communes_declared"], c["communes_resolved"]).css else ""),
            "members": _linked(number(c["members_declared"]), c["members_declared"], anchor("members_declared")),
            "president": _linked(c["president"] or "—", c["president"], anchor("president")),
        }  # fmt: skip
        _funding_cells(row, mine.get("fundings", []), anchors)
        row.cells["warnings"] = Cell(str(row.warnings) if row.warnings else "—", row.warnings, "#warnings" if row.warnings else None,
                                     css="has-warnings" if row.warnings else "")  # fmt: skip
        out.append(row)
    return out


def _funding_cells(row: CptsRow, fundings: Rows, anchors: Mapping[int, str]) -> None:
    one_off = [f for f in fundings if f.get("kind") == "paid_once"]
    yearly = [f for f in fundings if f.get("annual_eur") is not None]
    row.one_off = sum(f["amount_eur"] for f in one_off) if one_off else None
    for f in yearly:
        row.annual[f["funder"]] = max(row.annual.get(f["funder"], 0), f["annual_eur"])
    top = max(yearly, key=lambda f: f["annual_eur"], default=None)

    def breakdown(rows: Rows) -> str:
        return "; ".join(
            f"{number(f['amount_eur'], '€')} {label('funder', f['funder'])}, {label('purpose', f['purpose'])}, "
            f"{label('kind', f.get('kind'))}" + (f" = {number(f['annual_eur'], '€')}/an" if f.get("annual_eur") is not None else "")
            for f in rows
        )

    row.cells["one_off"] = _linked(number(row.one_off, "€"), row.one_off, anchors.get(id(one_off[0])) if one_off else None, breakdown(one_off))
    row.cells["annual"] = _linked(
        number(top["annual_eur"], "€") if top else "—", top["annual_eur"] if top else None,
        anchors.get(id(top)) if top else None, breakdown(yearly),
    )  # fmt: skip


def totals(rows: list[CptsRow]) -> dict[str, str]:
    """Totals over distinct CPTS (by ``cpts_key``, copies left out, the first communiqué of each): the one-off
    payments, and one yearly amount per CPTS (its largest)."""
    first: dict[str, CptsRow] = {}
    for r in rows:
        if not r.copy_of:
            first.setdefault(r.cpts_key, r)
    one_off = [r.one_off for r in first.values() if r.one_off is not None]
    annual = [max(r.annual.values()) for r in first.values() if r.annual]
    return {
        "cpts": number(len(first)),
        "one_off": f"{number(sum(one_off), '€')} ({len(one_off)} CPTS)" if one_off else "—",
        "annual": f"{number(sum(annual), '€')}/an ({len(annual)} CPTS)" if annual else "—",
    }
