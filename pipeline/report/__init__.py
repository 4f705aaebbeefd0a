"""The review page: one self-contained HTML file over the extracted tables.

An analyst opens ``report.html`` to judge the extraction before trusting a
figure: totals that only add comparable amounts, a sortable and filterable
row per CPTS whose every extracted figure links to the words it was read
from, a completeness panel, two charts, the warnings worth a look, and each
communiqué with every extracted fact highlighted where it was read (like
spaCy's displaCy, for our facts), its value and rule in a tooltip.

The page must work offline and from an e-mail attachment: no network, no
CDN; CSS inline, charts inline SVG. The HTML comes from Jinja2 templates
(``templates/``) with autoescaping on, so document text (untrusted) is
always escaped. The one inline script (sorting, filters, opening the
communiqué a fact link points into) is allowed by its SHA-256 in the
Content Security Policy and no other script can run; without it the page
still reads, unsorted and unfiltered. Labels are French, the readers' language.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.catalog import OutputCatalog
from pipeline.report.charts import Series, bar_chart
from pipeline.report.facts import FACT_KINDS, Span, anchors, fact_spans, highlight
from pipeline.report.labels import day, label, number
from pipeline.report.panels import completeness, filter_options, warning_groups, warnings_per_cpts
from pipeline.report.registry import REGISTRY_COLUMNS, correction_rows, coverage_rows, registry_rows, review_sections
from pipeline.report.summary import COLUMNS, OUTLIER_RATIO, cpts_rows, totals
from schemas import TABLES

__all__ = [
    "FACT_KINDS", "MissingTablesError", "Series", "Span", "bar_chart_svg", "fact_spans", "highlight", "load_tables",
    "render_report", "write_report",
]  # fmt: skip

Rows = list[dict]

REPORT_NAME = "report.html"
OPEN_DOCUMENTS = 20
"""With more communiqués than this, they start folded (a fact link opens its own)."""
OPEN_WARNINGS = 15
"""A warning group longer than this starts folded."""

KIND_COLORS = {
    "cpts_evidence": "#ffe08a",
    "fundings": "#b6e3b0",
    "dates": "#b9d4f5",
    "headcounts": "#fbd39a",
    "missions": "#dcc6f2",
    "themes": "#f6c1d9",
    "communes": "#a9e4e0",
}
FUNDER_COLORS = {"assurance_maladie": "#2f6db5", "ars": "#d9822b", "other": "#8a8a8a"}
_TEXT_COLUMNS = {"region", "departements", "signature", "president"}
"""Columns sorted as text (the others as numbers); all but the ISO date wrap."""


class MissingTablesError(ValueError):
    """The output folder lacks tables: the extraction has not been run there."""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline.report", "templates"), autoescape=select_autoescape(default=True))


def _asset(name: str) -> str:
    return (Path(__file__).parent / "templates" / name).read_text("utf-8")


def _script() -> tuple[Markup, str]:
    """The inline script (trusted, from this package) and its CSP source expression."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return Markup(script), f"sha256-{digest}"


def bar_chart_svg(title: str, labels: list[str], series: list[Series], *, unit: str = "") -> str:
    """A horizontal grouped bar chart as a standalone SVG string (the page's own charts, for notebooks)."""
    return str(_environment().get_template("chart.svg.j2").module.svg(bar_chart(title, labels, series, unit=unit)))


def _charts(tables: Mapping[str, Rows], rows, copies: set[str]) -> list:
    counted = [r for r in rows if not r.copy_of]
    if not counted:
        return []
    names = Counter(r.name for r in counted)
    labels = [r.name if names[r.name] == 1 else f"{r.name} ({r.source})" for r in counted]
    funding = [
        Series(label("funder", funder), color, [r.annual.get(funder) for r in counted])
        for funder, color in FUNDER_COLORS.items()
        if any(funder in r.annual for r in counted)
    ]
    cpts = [c for c in tables["cpts"] if c["doc_id"] not in copies]
    population = [
        Series("déclarée", "#5b8c5a", [c["population_declared"] for c in cpts]),
        Series("référence (communes résolues)", "#9c6ade", [c["population_reference"] for c in cpts]),
    ]
    charts = [bar_chart("Financement annuel par CPTS (€/an, le plus élevé des montants annuels énoncés, par financeur)", labels, funding, unit="€")] if funding else []
    return charts + [bar_chart("Population par CPTS : déclarée et de référence", labels, population)]


def render_report(tables: Mapping[str, Rows], sections: Mapping[str, Rows] | None = None) -> str:
    """The whole page from the rows of every table (dicts as ``pyarrow.Table.to_pylist`` gives them).

    ``sections``: the registry, coverage and corrections rows (``registry.review_sections``); without them the
    page has no registry section.
    """
    rows_by_doc: dict[str, dict[str, Rows]] = defaultdict(lambda: defaultdict(list))
    for kind in FACT_KINDS:
        for row in tables.get(kind.table, []):
            rows_by_doc[row["doc_id"]][kind.table].append(row)
    anchor_of: dict[int, str] = {}
    spans_by_doc: dict[str, list[Span]] = {}
    problems_by_doc: dict[str, list[str]] = {}
    for d in tables["documents"]:
        doc_rows = rows_by_doc[d["doc_id"]]
        spans, problems = fact_spans(doc_rows, d["text"] or "", d["doc_id"])
        spans_by_doc[d["doc_id"]] = spans
        anchor_of.update(anchors(doc_rows, d["doc_id"]))
        if problems:
            problems_by_doc[d["doc_id"]] = problems
    copies = {d["doc_id"] for d in tables["documents"] if d.get("same_as")}
    rows = cpts_rows(tables, anchor_of, warnings_per_cpts(tables))
    statuses = Counter(d["status"] for d in tables["documents"])
    versions = sorted({d["pipeline_version"] for d in tables["documents"]})
    overview = (
        f"{len(tables['documents'])} documents (extraits {statuses['ok']}, sans CPTS {statuses['not_cpts']}, "
        f"rejetés {statuses['rejected']}, quasi-doublons {len(copies)}) · {len(tables['cpts'])} lignes CPTS · "
        f"{sum(len(s) for s in spans_by_doc.values())} faits surlignés · pipeline {', '.join(versions) or '—'}"
    )
    script, script_hash = _script()
    return _environment().get_template("report.html.j2").render(
        css=Markup(_asset("report.css")), kind_colors=KIND_COLORS, script=script, script_hash=script_hash,
        overview=overview, totals=totals(rows), rows=rows, columns=COLUMNS, text_columns=_TEXT_COLUMNS,
        wrap_columns=_TEXT_COLUMNS - {"signature"},
        filters=filter_options(tables), outlier_pct=round(100 * OUTLIER_RATIO),
        completeness=completeness(tables, copies), charts=_charts(tables, rows, copies),
        warnings=warning_groups(tables, problems_by_doc), open_warnings=OPEN_WARNINGS,
        kinds=FACT_KINDS, documents=_documents(tables, spans_by_doc), registry_columns=REGISTRY_COLUMNS,
        registry=None if sections is None else {
            "registry": registry_rows(sections["registry"]), "coverage": coverage_rows(sections["coverage"]),
            "corrections": correction_rows(sections["corrections"]),
        },
    ) + "\n"  # fmt: skip


def _documents(tables: Mapping[str, Rows], spans_by_doc: Mapping[str, list[Span]]) -> list[dict]:
    fold = len(tables["documents"]) > OPEN_DOCUMENTS
    out = []
    for d in tables["documents"]:
        spans = spans_by_doc.get(d["doc_id"], [])
        counts = Counter(s.kind for s in spans)
        facts = ", ".join(f"{k.label} {counts[k.table]}" for k in FACT_KINDS if counts[k.table])
        published = f" · publié le {day(d['published_on'])}" if d["published_on"] else ""
        copy = f" · copie de {d['same_as']}" if d.get("same_as") else ""
        out.append({
            "doc_id": d["doc_id"], "title": d["title"] or d["source_path"], "error": d["error"] or "",
            "meta": f"{d['source_path']} · {d['doc_id']} · {label('status', d['status'])}{published}{copy} · {facts or 'aucun fait surligné'}",
            "body": highlight(d["text"], spans) if d["text"] else None, "open": d["status"] == "ok" and not fold,
        })  # fmt: skip
    return out


def load_tables(out_dir: Path) -> dict[str, Rows]:
    """The rows of every table of an output folder; MissingTablesError when one is absent."""
    catalog = OutputCatalog(out_dir)
    missing = [name for name in TABLES if not catalog.table(name).exists()]
    if missing:
        raise MissingTablesError(
            f"no extracted tables in {out_dir} (missing {', '.join(missing)}): run `make extract` first"
        )
    return {name: pq.read_table(catalog.table(name)).to_pylist() for name in TABLES}


def write_report(out_dir: Path) -> Path:
    """Render the tables of ``out_dir`` into ``out_dir/report.html``; returns its path."""
    page = render_report(load_tables(out_dir), review_sections(out_dir))
    target = out_dir / REPORT_NAME
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, "utf-8")
    tmp.replace(target)
    return target
