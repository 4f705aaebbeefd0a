"""The review page: one self-contained HTML file over the extracted tables.

An analyst opens ``report.html`` to judge the extraction before trusting a
figure: a summary row per CPTS, two charts, the warnings worth a look, and
each communiqué with every extracted fact highlighted where it was read
(like spaCy's displaCy, but for our facts), its normalised value in a
tooltip.

The page must work offline and from an e-mail attachment, so there is no
network, no CDN and no JavaScript: CSS is inline, charts are inline SVG
drawn here, and the kind filters are CSS-only checkboxes. A Content Security
Policy forbids scripts altogether. Document text is untrusted: every string
goes through ``html.escape`` before it reaches the page.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.catalog import OutputCatalog
from schemas import TABLES

Rows = list[dict]

REPORT_NAME = "report.html"


class MissingTablesError(ValueError):
    """The output folder lacks tables: the extraction has not been run there."""


@dataclass(frozen=True)
class Span:
    """One fact to highlight: where it is, its kind and the tooltip text."""

    start: int
    end: int
    fact_id: str
    kind: str
    tooltip: str
    extra_class: str = ""


@dataclass(frozen=True)
class Series:
    """One coloured series of a bar chart; ``notes`` become per-bar tooltips."""

    name: str
    color: str
    values: Sequence[float | None]
    notes: Sequence[str] | None = None


def _e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _n(value: float | None, unit: str = "") -> str:
    """A number the French way (narrow no-break space between thousands), or a dash when unknown."""
    if value is None:
        return "—"
    text = f"{round(value):,}".replace(",", "\u202f")
    return f"{text}\u00a0{unit}" if unit else text


def _fmt_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


# --- facts: one entry per highlighted kind --------------------------------------------------------


def _funding_tip(row: dict) -> str:
    parts = [_n(row["amount_eur"], "€"), row["funder"], row["purpose"]]
    if row.get("period_years"):
        parts.append(f"over {row['period_years']} years")
    if row.get("is_maximum"):
        parts.append("maximum")
    if row.get("conditional"):
        parts.append("conditional on objectives")
    return " · ".join(parts)


def _date_tip(row: dict) -> str:
    return f"{_fmt_date(row['date']) if row['date'] else 'year unknown'} · {row['precision']} · {row['role']}"


def _headcount_tip(row: dict) -> str:
    return f"{row['category']} = {_n(row['count'])} ({row['qualifier']})"


def _mission_tip(row: dict) -> str:
    return f"{row['mission']} · {row['status'] or 'status not stated'}"


def _theme_tip(row: dict) -> str:
    return f"{row['theme']} · mission {row['mission'] or 'none'}"


def _commune_tip(row: dict) -> str:
    if not row["insee_code"]:
        return f"{row['role']} · {row['method']} (no INSEE code)"
    return (
        f"{row['role']} · {row['commune_name']} ({row['insee_code']}, dép. {row['departement_code']}) · "
        f"{row['method']} {row['score']:.2f} · population {_n(row['population'])}"
    )


def _commune_class(row: dict) -> str:
    if row["method"] in ("unresolved", "ambiguous"):
        return "unresolved"
    return "mentioned" if row["role"] == "mentioned" else ""


@dataclass(frozen=True)
class FactKind:
    """How the rows of one table become highlights."""

    table: str
    label: str
    evidence: str
    """The column holding the snippet as written (``text``, ``label`` or ``mention``)."""
    tooltip: Callable[[dict], str]
    extra_class: Callable[[dict], str] = lambda row: ""


FACT_KINDS: tuple[FactKind, ...] = (
    FactKind("fundings", "fundings", "text", _funding_tip),
    FactKind("dates", "dates", "text", _date_tip),
    FactKind("headcounts", "headcounts", "text", _headcount_tip),
    FactKind("missions", "missions", "label", _mission_tip),
    FactKind("themes", "themes", "label", _theme_tip),
    FactKind("communes", "communes", "mention", _commune_tip, _commune_class),
)


def fact_spans(rows: Mapping[str, Rows], text: str) -> tuple[list[Span], list[str]]:
    """Every fact of one document that can be highlighted, and a warning per fact whose offsets do not match the text.

    ``rows`` are the document's own rows, by table.
    A fact whose snippet is not at its offsets is not highlighted: showing it
    somewhere else would mislead the reader more than showing nothing.
    """
    spans, problems = [], []
    for kind in FACT_KINDS:
        for i, row in enumerate(rows.get(kind.table, [])):
            start, end = row.get("char_start"), row.get("char_end")
            if start is None or end is None:
                continue
            written = row[kind.evidence]
            if not 0 <= start < end <= len(text) or text[start:end] != written:
                problems.append(f"{kind.table} “{written}” is not at offsets {start}–{end} of the text")
                continue
            tip = f"{kind.label}: {kind.tooltip(row)}"
            spans.append(Span(start, end, f"{kind.table}-{i}", kind.table, tip, kind.extra_class(row)))
    return spans, problems


def highlight(text: str, spans: Sequence[Span]) -> str:
    """The escaped text with a ``<mark>`` per span, nested when spans overlap.

    Spans that contain one another nest. A span that crosses the end of an
    enclosing one is split: the part after the boundary is reopened as a
    continuation (class ``cont``) with the same ``data-fact``, so the markup
    stays well formed and every fact keeps exactly one element without that
    class.
    """
    starting: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        starting[span.start].append(span)
    boundaries = sorted({s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[Span] = []
    pos = 0
    for point in boundaries:
        out.append(_e(text[pos:point]))
        pos = point
        ending = [i for i, s in enumerate(stack) if s.end == point]
        if ending:
            first = ending[0]
            reopen = [s for s in stack[first:] if s.end != point]
            out.append("</mark>" * (len(stack) - first))
            del stack[first:]
            for span in reopen:
                out.append(_open_mark(span, continued=True))
                stack.append(span)
        for span in sorted(starting.get(point, []), key=lambda s: -s.end):
            out.append(_open_mark(span, continued=False))
            stack.append(span)
    out.append(_e(text[pos:]))
    return "".join(out)


def _open_mark(span: Span, *, continued: bool) -> str:
    classes = " ".join(c for c in ("fact", f"k-{span.kind}", span.extra_class, "cont" if continued else "") if c)
    return f'<mark class="{classes}" data-fact="{_e(span.fact_id)}" title="{_e(span.tooltip)}">'


# --- charts ---------------------------------------------------------------------------------------


def bar_chart_svg(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "") -> str:
    """A horizontal grouped bar chart as inline SVG: one group per label, one bar per series.

    A missing value draws no bar and prints a dash, so "not stated" never
    looks like zero.
    """
    bar, gap, label_w, plot_w, value_w, top = 14, 12, 300, 480, 130, 46
    group_h = bar * len(series) + gap
    height = top + group_h * len(labels) + 10
    width = label_w + plot_w + value_w
    peak = max((v for s in series for v in s.values if v is not None), default=0) or 1
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12" role="img" '
        f'aria-label="{_e(title)}">',
        f'<text x="0" y="16" class="chart-title">{_e(title)}</text>',
    ]
    x = label_w
    for s in series:
        parts.append(f'<rect x="{x}" y="26" width="12" height="12" fill="{_e(s.color)}"/>')
        parts.append(f'<text x="{x + 16}" y="36" class="legend">{_e(s.name)}</text>')
        x += 24 + 8 * len(s.name)
    for g, label in enumerate(labels):
        y0 = top + g * group_h
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2}" text-anchor="end" class="label">'
            f"<title>{_e(label)}</title>{_e(short)}</text>"
        )
        for k, s in enumerate(series):
            value = s.values[g]
            y = y0 + k * bar
            note = s.notes[g] if s.notes else ""
            tip = f"{label} · {s.name}: {_n(value, unit)}" + (f" ({note})" if note else "")
            if value is not None:
                w = max(1.0, plot_w * value / peak)
                parts.append(
                    f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                    f'fill="{_e(s.color)}"><title>{_e(tip)}</title></rect>'
                )
            else:
                w = 0
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}" class="value">{_e(_n(value, unit))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- page sections --------------------------------------------------------------------------------

FUNDERS = {
    "assurance_maladie": ("Assurance Maladie", "#2f6db5"),
    "ars": ("ARS", "#d9822b"),
    "other": ("other", "#8a8a8a"),
}
"""Funder code -> name and colour, in the order of the summary columns and chart series."""


def _by_cpts(rows: Rows) -> dict[tuple[str, str], Rows]:
    grouped: dict[tuple[str, str], Rows] = defaultdict(list)
    for row in rows:
        grouped[(row["doc_id"], row["cpts_key"])].append(row)
    return grouped


def _funding_totals(fundings: Rows) -> dict[str, tuple[int, str]]:
    """Per funder: the sum of the distinct amounts stated, and their breakdown by purpose."""
    totals: dict[str, tuple[int, str]] = {}
    for funder in FUNDERS:
        mine = [f for f in fundings if f["funder"] == funder]
        if mine:
            breakdown = "; ".join(f"{_n(f['amount_eur'], '€')} {f['purpose']}" for f in mine)
            totals[funder] = (sum(f["amount_eur"] for f in mine), breakdown)
    return totals


def _ratio(declared: int | None, derived: int | None) -> str:
    if not declared or derived is None:
        return "—"
    return f"{100 * derived / declared:.0f}\u00a0%"


def _summary(tables: Mapping[str, Rows]) -> str:
    fundings = _by_cpts(tables["fundings"])
    sources = {d["doc_id"]: d["source_path"] for d in tables["documents"]}
    head = (
        '<tr><th rowspan="2">CPTS</th><th rowspan="2">signature</th><th colspan="3">population</th>'
        '<th colspan="2">communes</th><th rowspan="2">members</th><th rowspan="2">president</th>'
        f'<th colspan="{len(FUNDERS)}">funding, Σ stated</th></tr>'
        "<tr><th>declared</th><th>reference</th><th>ref / decl.</th><th>declared</th><th>resolved</th>"
        + "".join(f"<th>{_e(name)}</th>" for name, _ in FUNDERS.values())
        + "</tr>"
    )
    body = []
    for c in tables["cpts"]:
        totals = _funding_totals(fundings.get((c["doc_id"], c["cpts_key"]), []))
        qualifier = f" ({c['population_qualifier']})" if c["population_qualifier"] not in (None, "exact") else ""
        cells = [
            f'<a href="#doc-{_e(c["doc_id"])}">{_e(c["cpts_name"])}</a><br>'
            f'<span class="meta">{_e(c["cpts_key"])} · {_e(sources.get(c["doc_id"], c["doc_id"]))}</span>',
            _e(_fmt_date(c["signature_date"])),
            _e(_n(c["population_declared"]) + qualifier),
            _e(_n(c["population_reference"])),
            _e(_ratio(c["population_declared"], c["population_reference"])),
            _e(_n(c["communes_declared"])),
            _e(_n(c["communes_resolved"])),
            _e(_n(c["members_declared"])),
            _e(c["president"] or "—"),
        ]
        for funder in FUNDERS:
            total, breakdown = totals.get(funder, (None, ""))
            cells.append(f'<span title="{_e(breakdown)}">{_e(_n(total, "€"))}</span>')
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{9 + len(FUNDERS)}">no CPTS extracted</td></tr>')
    return (
        '<section id="summary"><h2>CPTS</h2><div class="scroll"><table class="summary">'
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table></div>"
        '<p class="note">Σ stated: the sum of the distinct amounts the communiqué states for that funder. '
        "Amounts can overlap (an advance paid at signature is usually part of the first year), so hover a total for its "
        "breakdown before quoting it.</p></section>"
    )


def _charts(tables: Mapping[str, Rows]) -> str:
    cpts = tables["cpts"]
    if not cpts:
        return '<section id="charts"><h2>Charts</h2><p>no CPTS extracted</p></section>'
    names = Counter(c["cpts_name"] for c in cpts)
    sources = {d["doc_id"]: d["source_path"] for d in tables["documents"]}
    labels = [
        c["cpts_name"] if names[c["cpts_name"]] == 1 else f"{c['cpts_name']} ({sources.get(c['doc_id'], c['doc_id'])})"
        for c in cpts
    ]
    fundings = _by_cpts(tables["fundings"])
    totals = [_funding_totals(fundings.get((c["doc_id"], c["cpts_key"]), [])) for c in cpts]
    funding_series = []
    for funder, (name, color) in FUNDERS.items():
        values = [t[funder][0] if funder in t else None for t in totals]
        if any(v is not None for v in values):
            funding_series.append(Series(name, color, values, [t[funder][1] if funder in t else "" for t in totals]))
    population_series = [
        Series("declared", "#5b8c5a", [c["population_declared"] for c in cpts]),
        Series("reference (resolved communes)", "#9c6ade", [c["population_reference"] for c in cpts]),
    ]
    return (
        '<section id="charts"><h2>Charts</h2>'
        + (
            bar_chart_svg("Funding per CPTS (Σ of stated amounts, by funder)", labels, funding_series, unit="€")
            if funding_series
            else "<p>no funding extracted</p>"
        )
        + bar_chart_svg("Population per CPTS: declared vs reference", labels, population_series)
        + "</section>"
    )


_OPEN_WARNINGS = 15
"""A warning group longer than this starts folded, so the page stays readable."""


def _warnings(tables: Mapping[str, Rows], offset_problems: Mapping[str, list[str]]) -> str:
    sources = {d["doc_id"]: d["source_path"] for d in tables["documents"]}

    def where(row: dict) -> str:
        key = f" · {row['cpts_key']}" if row.get("cpts_key") else ""
        return f'<a href="#doc-{_e(row["doc_id"])}">{_e(sources.get(row["doc_id"], row["doc_id"]))}</a>{_e(key)}'

    groups: list[tuple[str, list[str]]] = [
        ("Cross-checks", [f"{where(c)}: <b>{_e(c['check'])}</b> {_e(c['message'])}" for c in tables["checks"]]),
        (
            "Dates without a year",
            [
                f"{where(d)}: “{_e(d['text'])}” ({_e(d['role'])})"
                for d in tables["dates"]
                if d["precision"] == "no_year"
            ],
        ),
        (
            "Unresolved or ambiguous communes",
            [
                f"{where(c)}: “{_e(c['mention'])}” {_e(c['method'])} ({_e(c['role'])})"
                for c in tables["communes"]
                if c["method"] in ("unresolved", "ambiguous")
            ],
        ),
        (
            "Documents not extracted (rejected, or not about a CPTS)",
            [
                f"{where(d)}: <b>{_e(d['status'])}</b> {_e(d['error'] or '')}"
                for d in tables["documents"]
                if d["status"] != "ok"
            ],
        ),
        (
            "Facts whose evidence is not at its offsets (not highlighted)",
            [f"{where({'doc_id': doc_id})}: {_e(p)}" for doc_id, problems in offset_problems.items() for p in problems],
        ),
    ]
    parts = ['<section id="warnings"><h2>Warnings</h2>']
    for heading, items in groups:
        title = f'<h3>{_e(heading)} <span class="count">{len(items)}</span></h3>'
        if items:
            listing = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            state = " open" if len(items) <= _OPEN_WARNINGS else ""
            parts.append(f"<details{state}><summary>{title}</summary>{listing}</details>")
        else:
            parts.append(f'<div>{title} <span class="none">none</span></div>')
    parts.append("</section>")
    return "".join(parts)


def _documents(tables: Mapping[str, Rows], spans_by_doc: Mapping[str, list[Span]]) -> str:
    toggles = "".join(f'<input type="checkbox" id="show-{k.table}" checked>' for k in FACT_KINDS)
    legend = "".join(
        f'<label for="show-{k.table}" class="legend-item k-{k.table}">{_e(k.label)}</label>'
        for k in FACT_KINDS
    )
    docs = []
    for d in tables["documents"]:
        spans = spans_by_doc.get(d["doc_id"], [])
        counts = Counter(s.kind for s in spans)
        facts = ", ".join(f"{k.label} {counts[k.table]}" for k in FACT_KINDS if counts[k.table])
        body = (
            f'<div class="text">{highlight(d["text"], spans)}</div>'
            if d["text"]
            else f'<p class="none">no text: {_e(d["error"] or "")}</p>'
        )
        published = f" · published {_e(_fmt_date(d['published_on']))}" if d["published_on"] else ""
        docs.append(
            f'<details class="doc" id="doc-{_e(d["doc_id"])}"{" open" if d["status"] == "ok" else ""}>'
            f'<summary><b>{_e(d["title"] or d["source_path"])}</b> <span class="meta">{_e(d["source_path"])} · '
            f'{_e(d["doc_id"])} · {_e(d["status"])}{published} · {_e(facts or "no fact highlighted")}</span>'
            f"</summary>{body}</details>"
        )
    return (
        '<section id="documents"><h2>Communiqués</h2>'
        f'{toggles}<p class="legend">Show: {legend} <span class="meta">(hover a highlight for its value; '
        "communes: dotted = mentioned, not territory; red = unresolved or ambiguous)</span></p>"
        f'<div class="docs">{"".join(docs)}</div></section>'
    )


_KIND_COLORS = {
    "fundings": "#b6e3b0",
    "dates": "#b9d4f5",
    "headcounts": "#fbd39a",
    "missions": "#dcc6f2",
    "themes": "#f6c1d9",
    "communes": "#a9e4e0",
}

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0 auto; max-width: 1240px; padding: 0 20px 40px; }
h1 { font-size: 22px; margin: 18px 0 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin: 14px 0 4px; display: inline-block; }
nav a { margin-right: 14px; }
.meta, .note, .none { color: #666; font-size: 12px; }
.count { background: #eee; border-radius: 8px; padding: 0 7px; font-size: 12px; }
.scroll { overflow-x: auto; }
table.summary { border-collapse: collapse; font-size: 13px; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; }
table.summary th { background: #f4f4f4; text-align: left; }
table.summary td { text-align: right; white-space: nowrap; }
table.summary td:first-child, table.summary td:nth-child(9) { text-align: left; white-space: normal; }
svg.chart { display: block; margin: 12px 0; }
svg.chart .chart-title { font-weight: 600; font-size: 14px; }
#warnings summary { cursor: pointer; }
#warnings ul { margin-top: 0; }
.doc { border: 1px solid #ddd; border-radius: 6px; margin: 10px 0; padding: 6px 12px; }
.doc summary { cursor: pointer; }
.text { white-space: pre-wrap; font-size: 13.5px; line-height: 1.9; margin-top: 8px; }
mark.fact { background: var(--c); color: inherit; border-bottom: 2px solid rgba(0, 0, 0, .25);
            border-radius: 3px; padding: 1px 0; }
mark.fact mark.fact { padding: 0; border-bottom-width: 3px; }
mark.fact.mentioned { border-bottom: 2px dotted #555; }
mark.fact.unresolved { outline: 2px solid #d33; }
.legend { position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 1; }
.legend-item { margin-right: 6px; cursor: pointer; background: var(--c); border-radius: 3px; padding: 1px 6px; }
#documents > input { position: absolute; opacity: 0; }
"""


def _css() -> str:
    rules = [_CSS]
    for kind, color in _KIND_COLORS.items():
        rules.append(f".k-{kind}{{--c:{color}}}")
        rules.append(
            f"#show-{kind}:not(:checked)~.docs mark.k-{kind}{{background:none;border-color:transparent;outline:none}}"
        )
        rules.append(f"#show-{kind}:not(:checked)~.legend label[for=show-{kind}]{{opacity:.35}}")
    return "\n".join(rules)


def render_report(tables: Mapping[str, Rows]) -> str:
    """The whole page from the rows of every table (dicts as ``pyarrow.Table.to_pylist`` gives them)."""
    rows_by_doc: dict[str, dict[str, Rows]] = defaultdict(lambda: defaultdict(list))
    for kind in FACT_KINDS:
        for row in tables[kind.table]:
            rows_by_doc[row["doc_id"]][kind.table].append(row)
    spans_by_doc, problems_by_doc = {}, {}
    for d in tables["documents"]:
        spans, problems = fact_spans(rows_by_doc[d["doc_id"]], d["text"] or "")
        spans_by_doc[d["doc_id"]] = spans
        if problems:
            problems_by_doc[d["doc_id"]] = problems
    statuses = Counter(d["status"] for d in tables["documents"])
    versions = sorted({d["pipeline_version"] for d in tables["documents"]})
    n_facts = sum(len(s) for s in spans_by_doc.values())
    overview = (
        f"{len(tables['documents'])} documents (ok {statuses['ok']}, not_cpts {statuses['not_cpts']}, "
        f"rejected {statuses['rejected']}) · {len(tables['cpts'])} CPTS · {n_facts} facts highlighted · "
        f"pipeline {', '.join(versions) or '—'}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>CPTS extraction report</title><style>{_css()}</style></head><body>"
        f'<h1>CPTS extraction report</h1><p class="meta">{_e(overview)}</p>'
        '<nav><a href="#summary">CPTS</a><a href="#charts">charts</a><a href="#warnings">warnings</a>'
        '<a href="#documents">communiqués</a></nav>'
        + _summary(tables)
        + _charts(tables)
        + _warnings(tables, problems_by_doc)
        + _documents(tables, spans_by_doc)
        + "</body></html>\n"
    )


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
    page = render_report(load_tables(out_dir))
    target = out_dir / REPORT_NAME
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, "utf-8")
    tmp.replace(target)
    return target
