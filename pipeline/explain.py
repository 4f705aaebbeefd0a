"""``python -m pipeline explain "text"``: which rule made each fact, and what looked like a fact but gave none.

It runs the very pipeline of ``extract`` on one text (ingest, parse,
territory resolution against the commune reference, row building) and lists:

- every fact of every table with its value, its span in the normalised text
  and the ``rule`` that produced it (``pipeline/patterns/*.jsonl`` ids or rule
  names), plus what the parse stage read before the tables (declared figures,
  the president, every CPTS mention);
- the spans that look like a fact but that no fact covers (a sum in euros, a
  number before "communes" or "adhérents", a date, a capitalised name the
  commune reference knows), each with the candidate rule that spotted it and
  why such spans are usually refused (``pipeline/patterns/explain_candidates.jsonl``);
  a count the headcount rules saw and turned down names the very rule that did.

It is the first tool to reach for when a figure is missing: the candidate
list says where to look, the docstring of the module that owns the fact kind
says which rule decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from pipeline import patterns
from pipeline.catalog import REFERENCE_DIR
from pipeline.ingest import ingest
from pipeline.normalise import normalise
from pipeline.parse import parse_documents

_VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "communes": ("role", "insee_code", "commune_name", "method", "epci_siren"),
    "fundings": ("amount_eur", "funder", "purpose", "period_years", "is_maximum", "conditional"),
    "dates": ("date", "precision", "role"),
    "headcounts": ("category", "count", "qualifier"),
    "missions": ("mission", "status"),
    "themes": ("theme", "mission"),
}
"""Per fact table: the columns shown as the fact's value."""

_CAPITALISED = re.compile(
    r"\b[A-ZÀ-Ý][^\W\d_]*(?:(?:[ -](?:sur|sous|en|lès|les|le|la|de|du|des|aux|au|et))*(?:[ -]|[ -](?:d|l)['’])[A-ZÀ-Ý][^\W\d_]*)*"
)
"""A capitalised name, compound communes included ("Aire-sur-la-Lys", "Saint-Martin-d’Hères")."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the explanation: a fact (``found``) or a candidate no fact covers."""

    found: bool
    kind: str
    char_start: int
    char_end: int
    text: str
    value: str
    rule: str
    why: str = ""

    def render(self) -> str:
        head = "FACT" if self.found else "NONE"
        tail = f"  rule={self.rule or '?'}" + (f"\n      why: {self.why}" if self.why else "")
        return f"{head}  {self.kind:<11} [{self.char_start}:{self.char_end}] {self.text!r} -> {self.value}{tail}"


@dataclass(frozen=True, slots=True)
class Explanation:
    status: str
    cpts: list[str]
    lines: list[Line]

    def render(self) -> str:
        head = [f"status: {self.status}", *(f"cpts: {c}" for c in self.cpts)]
        return "\n".join([*head, *(line.render() for line in sorted(self.lines, key=_order))])


def _order(line: Line) -> tuple:
    return (line.char_start, not line.found, line.kind)


def _value(row: dict, columns: tuple[str, ...]) -> str:
    return " ".join(f"{c}={row[c]}" for c in columns if row.get(c) not in (None, False))


def _fact_lines(tables: dict[str, list[dict]]) -> list[Line]:
    lines = []
    for table, columns in _VALUE_COLUMNS.items():
        for row in tables.get(table, []):
            if row.get("char_start") is None:
                continue
            text = row.get("text") or row.get("label") or row.get("mention") or ""
            lines.append(Line(True, table, row["char_start"], row["char_end"], text, _value(row, columns), row.get("rule", "")))
    return lines


def _parse_lines(parsed) -> list[Line]:
    """What the parse stage read that the fact tables do not show with offsets."""
    lines = [Line(True, f"figure:{f.kind}", f.char_start, f.char_end, f.text, f"value={f.value} qualifier={f.qualifier}", f.rule) for f in parsed.figures]
    lines += [Line(True, "president", p.char_start, p.char_end, p.text, p.name, p.rule) for p in parsed.people]
    lines += [Line(True, "cpts_name", c.char_start, c.char_end, c.text, f"key={c.key} source={c.source}", c.rule) for c in parsed.cpts_mentions]
    return lines


def _refused_counts(source) -> list[Line]:
    """Counts the headcount rules saw and turned down, each with the id of the rule that did (``rejected_counts``)."""
    from pipeline.parse.headcounts import rejected_counts
    from pipeline.parse.nlp import build_nlp

    nlp = build_nlp()
    doc = nlp.make_doc(source.text)
    doc._.published_hint = source.published_hint
    for _, component in nlp.pipeline:
        doc = component(doc)
    return [
        Line(False, "headcount", r.start, r.end, source.text[r.start : r.end], "no fact", r.rule,
             f"the headcount rule {r.rule!r} turned it down (pipeline/patterns/count_rules.jsonl)")
        for r in rejected_counts(doc)
    ]


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _candidates(text: str, facts: list[Line], year: int | None, reference) -> list[Line]:
    spans = [(f.char_start, f.char_end) for f in facts]
    out = []
    for row in patterns.load("explain_candidates"):
        for m in re.finditer(row["pattern"], text, flags=re.IGNORECASE):
            if not _covered(spans, m.start(), m.end()):
                out.append(Line(False, row["kind"], m.start(), m.end(), m.group(), "no fact", row["id"], row["why"]))
    if reference is not None:
        cog_year = reference.cog_year(year)
        for m in _CAPITALISED.finditer(text):
            name = m.group()
            if len(name) > 2 and not _covered(spans, m.start(), m.end()) and reference.lookup(name, cog_year):
                out.append(Line(False, "commune", m.start(), m.end(), name, "a name the commune reference knows",
                                "candidate_commune_name",
                                "not in a list, a territory cue or a count of communes that a places rule accepts"))
    return out


def explain(text: str, *, source_format: str = "txt", with_reference: bool = True) -> Explanation:
    """Run the pipeline on ``text`` and explain what it found and what it left."""
    from pipeline.normalise.cog import load_reference
    from pipeline.normalise.communes import resolve_territory

    source = ingest(text.encode("utf-8"), source_path="<explain>", source_format=source_format)
    if source.status != "ok":
        return Explanation(f"rejected: {source.error}", [], [])
    parsed = next(iter(parse_documents([source], n_process=1)))
    reference = load_reference(REFERENCE_DIR) if with_reference else None
    resolver = partial(resolve_territory, reference=reference) if reference else _no_territory
    tables = normalise(parsed, resolve_territory=resolver, version="explain", now=datetime.now(UTC)).tables
    document = tables["documents"][0]
    facts = [*_fact_lines(tables), *_parse_lines(parsed)]
    year = next((r["signature_date"].year for r in tables.get("cpts", []) if r["signature_date"]), None)
    year = year or (parsed.published_on.year if parsed.published_on else None)
    refused = _refused_counts(source)
    lines = facts + refused + _candidates(source.text, facts + refused, year, reference)
    status = document["status"] + (f" ({document['error']})" if document["error"] else "")
    cpts = [f"{r['cpts_key']} ({r['cpts_name']}, {r['name_source']})" for r in tables.get("cpts", [])]
    return Explanation(status, cpts, lines)


def _no_territory(places, *, year, title, text, **_):
    from pipeline.records import Territory

    return Territory(communes=[], departement_codes=[], region_code=None, communes_resolved=0,
                     population_reference=None, cog_year=year or 2024)
