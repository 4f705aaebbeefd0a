"""The facts of one communiqué as highlights: where each is, its kind, its anchor and its tooltip.

Every fact gets an anchor ``f-<doc_id>-<n>`` (``n`` counts the document's
facts in the order of ``FACT_KINDS``), so a cell of the summary can link to
the words a figure was read from. The tooltip gives the normalised value in
French and the id of the rule that produced it (the ``rule`` column).

Document text is untrusted: ``highlight`` builds its markup with
``markupsafe`` (Jinja2's escaping), so every piece of text is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.report.labels import day, label, number

Rows = list[dict]


@dataclass(frozen=True)
class Span:
    """One fact to highlight: where it is, its anchor id, its kind and the tooltip text."""

    start: int
    end: int
    fact_id: str
    kind: str
    tooltip: str
    extra_class: str = ""


def _funding_tip(row: dict) -> str:
    parts = [number(row["amount_eur"], "€"), label("funder", row["funder"]), label("purpose", row["purpose"])]
    if row.get("kind"):
        parts.append(label("kind", row["kind"]))
    if row.get("period_years"):
        parts.append(f"sur {row['period_years']} ans")
    if row.get("annual_eur") is not None:
        parts.append(f"soit {number(row['annual_eur'], '€')}/an")
    if row.get("is_maximum"):
        parts.append("maximum")
    if row.get("conditional"):
        parts.append("sous conditions d'objectifs")
    return " · ".join(parts)


def _date_tip(row: dict) -> str:
    return f"{day(row['date']) if row['date'] else 'année inconnue'} · {label('precision', row['precision'])} · {label('date_role', row['role'])}"


def _headcount_tip(row: dict) -> str:
    return f"{label('category', row['category'])} = {number(row['count'])} ({label('qualifier', row['qualifier'])})"


def _mission_tip(row: dict) -> str:
    return f"{label('mission', row['mission'])} · {label('mission_status', row['status']) if row['status'] else 'statut non précisé'}"


def _theme_tip(row: dict) -> str:
    return f"{row['theme']} · mission {label('mission', row['mission']) if row['mission'] else 'aucune'}"


def _commune_tip(row: dict) -> str:
    if not row["insee_code"]:
        return f"{label('role', row['role'])} · {label('method', row['method'])} (sans code INSEE)"
    return (
        f"{label('role', row['role'])} · {row['commune_name']} ({row['insee_code']}, dép. {row['departement_code']}) · "
        f"{label('method', row['method'])} {row['score']:.2f} · population {number(row['population'])}"
    )


def _figure_tip(row: dict) -> str:
    value = row["value"] if row["field"] == "president" else number(int(row["value"]))
    return f"{label('field', row['field'])} = {value}"


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
    FactKind("cpts_evidence", "chiffres clés", "text", _figure_tip),
    FactKind("fundings", "financements", "text", _funding_tip),
    FactKind("dates", "dates", "text", _date_tip),
    FactKind("headcounts", "effectifs", "text", _headcount_tip),
    FactKind("missions", "missions", "label", _mission_tip),
    FactKind("themes", "thèmes", "label", _theme_tip),
    FactKind("communes", "communes", "mention", _commune_tip, _commune_class),
)


def fact_spans(rows: Mapping[str, Rows], text: str, doc_id: str = "") -> tuple[list[Span], list[str]]:
    """Every fact of one document that can be highlighted, and a warning per fact whose offsets do not match the text.

    ``rows`` are the document's own rows, by table. A span's ``fact_id`` is
    ``f-<doc_id>-<n>``; ``anchors`` gives it for a row (see ``anchor_of``).
    A fact whose snippet is not at its offsets is not highlighted: showing it
    somewhere else would mislead the reader more than showing nothing.
    """
    spans, problems = [], []
    for kind, row, fact_id in _numbered(rows, doc_id):
        start, end = row["char_start"], row["char_end"]
        written = row[kind.evidence]
        if not 0 <= start < end <= len(text) or text[start:end] != written:
            problems.append(f"{kind.label} « {written} » n'est pas aux positions {start}–{end} du texte")
            continue
        tip = f"{kind.label} : {kind.tooltip(row)} · règle {row.get('rule') or '—'}"
        spans.append(Span(start, end, fact_id, kind.table, tip, kind.extra_class(row)))
    return spans, problems


def _numbered(rows: Mapping[str, Rows], doc_id: str):
    n = 0
    for kind in FACT_KINDS:
        for row in rows.get(kind.table, []):
            if row.get("char_start") is None or row.get("char_end") is None:
                continue
            n += 1
            yield kind, row, f"f-{doc_id}-{n}"


def anchors(rows: Mapping[str, Rows], doc_id: str) -> dict[int, str]:
    """The anchor id of each highlightable row of one document, keyed by ``id(row)``."""
    return {id(row): fact_id for _, row, fact_id in _numbered(rows, doc_id)}


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """The escaped text with a ``<mark>`` per span, nested when spans overlap.

    Spans that contain one another nest. A span that crosses the end of an
    enclosing one is split: the part after the boundary is reopened as a
    continuation (class ``cont``) with the same ``data-fact``, so the markup
    stays well formed and every fact keeps exactly one element without that
    class, the one that carries its anchor ``id``.
    """
    starting: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        starting[span.start].append(span)
    boundaries = sorted({s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[Span] = []
    anchored: set[str] = set()
    pos = 0
    for point in boundaries:
        out.append(escape(text[pos:point]))
        pos = point
        ending = [i for i, s in enumerate(stack) if s.end == point]
        if ending:
            first = ending[0]
            reopen = [s for s in stack[first:] if s.end != point]
            out.append(Markup("</mark>") * (len(stack) - first))
            del stack[first:]
            for span in reopen:
                out.append(_open_mark(span, continued=True, anchored=anchored))
                stack.append(span)
        for span in sorted(starting.get(point, []), key=lambda s: -s.end):
            out.append(_open_mark(span, continued=False, anchored=anchored))
            stack.append(span)
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _open_mark(span: Span, *, continued: bool, anchored: set[str]) -> Markup:
    classes = " ".join(c for c in ("fact", f"k-{span.kind}", span.extra_class, "cont" if continued else "") if c)
    if continued or span.fact_id in anchored:
        return Markup('<mark class="{}" data-fact="{}" title="{}">').format(classes, span.fact_id, span.tooltip)
    anchored.add(span.fact_id)
    return Markup('<mark id="{}" class="{}" data-fact="{}" title="{}">').format(span.fact_id, classes, span.fact_id, span.tooltip)
