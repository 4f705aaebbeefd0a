"""``python -m pipeline explain "text"``: which rule made each fact, and what looked like a fact but gave none.

It runs the very pipeline of ``extract`` on one text (ingest, parse,
territory resolution against the commune reference, row building) and lists:

- every fact of every table with its value, its span in the normalised text
  and the ``rule`` that produced it (``pipeline/patterns/*.jsonl`` ids or rule
  names), plus what the parse stage read before the tables (declared figures,
  the president, every CPTS mention);
- the spans a rule component saw and turned down (``NONE``), each with the id
  of the rule or cue that decided (``rule=``) and why in a few words
  (``why:``), as the component recorded it (``pipeline.records.Rejected``):

  - ``funding``: a sum the funding rules kept no row for (``rejected_amounts``):
    the ``amount_cues.jsonl`` row that fired (``rate``, ``not_contract``,
    ``range_before``, ``comparison_before``) or was missing (``funding``: no
    payment word); the ``funders.jsonl`` row of a body named but not as the
    payer (``other_departement``: "le département" is no payer unless the
    clause says it pays); the purpose row of a purpose that needs a payer
    named; ``payer_named_no_purpose`` when neither payer nor purpose is
    stated; ``amount_below_1000_eur``, ``amount_from_10m_eur``, ``co_funded``;
    the kept row's rule when the same sum is stated twice;
  - ``date``: a date the date rules kept no row for (``rejected_dates``): the
    ``dates_cues.jsonl`` row that left it out (``date_legal_name``,
    ``date_other_cpts``, ``date_national_framework``, ``date_this_cpts``: no
    role cue and a sentence not about this CPTS), the publication's rule for
    a date after the publication, a role's rule for a date stated twice;
  - ``commune``: a known name the places rules read and gave no mention
    (``rejected_places``): the ``places_windows.jsonl`` row of the list check
    that failed (``veto_chars``, ``bare_min_names``,
    ``second_departement_names``), or the establishment/profession cue a
    person's name followed; a name that became a ``mentioned`` place is a
    ``communes`` fact with ``role=mentioned`` and that cue as its rule;
  - ``headcount``: the ``count_rules.jsonl`` rule that turned a count down;
  - ``missions``: a mission named in a commitment sentence on this CPTS that
    the ``mission_rules.jsonl`` rule turned down (``commit_by_other_body``:
    "l'ARS s'engage à ..."; ``commit_negated``), with the commitment cue;
  - any of these in a sentence that states a total for several CPTS
    (``ownership_total_1``): a fact that belongs to none of them;
- the spans that look like a fact but that no fact and no refusal covers (a
  sum in euros, a number before "communes" or "adhérents", a date, a
  capitalised name the commune reference knows): no component saw them, so
  only the candidate rule that spotted them (``candidate_*``,
  ``pipeline/patterns/explain_candidates.jsonl``) and why such spans are
  usually refused are shown.

It is the first tool to reach for when a figure is missing: the candidate
list says where to look, the docstring of the module that owns the fact kind
says which rule decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pipeline import patterns
from pipeline.catalog import INPUT_SUFFIXES, REFERENCE_DIR
from pipeline.ingest import ingest
from pipeline.inputs import read_file
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


def _epci_lines(tables: dict[str, list[dict]], parsed) -> list[Line]:
    """One line per EPCI named as the territory: its communes rows have no offsets (the contract: an expansion row's
    evidence is the EPCI's name, ``mention``), so the name's span comes from the parse stage."""
    expanded: dict[str, tuple[str, int]] = {}
    for row in tables.get("communes", []):
        if row["method"] == "epci":
            siren, count = expanded.get(row["mention"], (row["epci_siren"], 0))
            expanded[row["mention"]] = (siren, count + 1)
    lines = []
    for place in parsed.places:
        if place.kind == "epci" and place.role == "territory":
            siren, count = expanded.get(place.text, (None, 0))
            unexpanded = "not expanded: no one EPCI of the reference, or no CPTS"
            value = f"epci_siren={siren} communes={count}" if siren else unexpanded
            lines.append(Line(True, "epci", place.char_start, place.char_end, place.text, value, place.rule))
    return lines


def _parse_lines(parsed) -> list[Line]:
    """What the parse stage read that the fact tables do not show with offsets."""
    lines = [Line(True, f"figure:{f.kind}", f.char_start, f.char_end, f.text, f"value={f.value} qualifier={f.qualifier}", f.rule) for f in parsed.figures]
    lines += [Line(True, "president", p.char_start, p.char_end, p.text, p.name, p.rule) for p in parsed.people]
    lines += [Line(True, "cpts_name", c.char_start, c.char_end, c.text, f"key={c.key} source={c.source}", c.rule) for c in parsed.cpts_mentions]
    return lines


def _refused(source) -> list[Line]:
    """What the components saw and turned down, each with the rule that did and why (``Rejected`` records)."""
    from pipeline.parse.amounts import rejected_amounts
    from pipeline.parse.dates import rejected_dates
    from pipeline.parse.headcounts import rejected_counts
    from pipeline.parse.nlp import build_nlp
    from pipeline.parse.missions import rejected_missions
    from pipeline.parse.places.component import rejected_places

    nlp = build_nlp()
    doc = nlp.make_doc(source.text)
    doc._.published_hint = source.published_hint
    for _, component in nlp.pipeline:
        doc = component(doc)
    by_kind = {"funding": rejected_amounts(doc), "date": rejected_dates(doc), "commune": rejected_places(doc)}
    by_kind["missions"] = rejected_missions(doc)
    by_kind["headcount"] = [
        r._replace(why=r.why or f"the headcount rule {r.rule!r} turned it down (pipeline/patterns/count_rules.jsonl)")
        for r in rejected_counts(doc)
    ]
    text = source.text
    return [
        Line(False, kind, r.start, r.end, text[r.start : r.end], "no fact", r.rule, r.why)
        for kind, rejected in by_kind.items()
        for r in rejected
    ]


_OWNED_FACTS = {"amounts": "funding", "dates": "date", "headcounts": "headcount", "places": "commune"}
"""The parsed facts that ``normalise`` gives to their CPTS, and the kind of their lines."""


def _unowned(parsed) -> list[Line]:
    """Facts read in a sentence that states a total for several CPTS: they belong to none (``pipeline.parse.owners``)."""
    from pipeline.parse.owners import Owners

    if len(parsed.cpts) < 2:
        return []
    text = parsed.source.text
    owners = Owners(parsed.cpts, parsed.cpts_mentions, text)
    rule = next(row["id"] for row in patterns.load("ownership") if row["kind"] == "total")
    why = "its sentence states a total for several CPTS: no one CPTS's figure, so no row"
    return [
        Line(False, kind, f.char_start, f.char_end, f.text, "no fact", rule, why)
        for field, kind in _OWNED_FACTS.items()
        for f in getattr(parsed, field)
        if not owners(f.char_start) and (field != "places" or f.kind == "commune")
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


class UnreadSuffixError(ValueError):
    """A file given to explain whose suffix ``extract`` does not read: the message names the suffixes it reads."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: not a file extract reads (suffixes: {', '.join(sorted(INPUT_SUFFIXES))})")


def explain(text: str | Path, *, source_format: str = "txt", with_reference: bool = True) -> Explanation:
    """Run the pipeline on ``text`` and explain what it found and what it left.

    Given a ``Path``, the file is read as ``extract`` reads it (HTML, PDF, any charset it decodes, the same
    rejections with their reasons), so that explain shows what a run sees; ``source_format`` is then the
    file's own. A file whose suffix ``extract`` does not read is an ``UnreadSuffixError``.
    """
    from pipeline.normalise.cog import load_reference
    from pipeline.normalise.communes import resolve_territory

    if isinstance(text, Path):
        if text.suffix.lower() not in INPUT_SUFFIXES:
            raise UnreadSuffixError(text)
        source = read_file(text, text.parent)
    else:
        source = ingest(text.encode("utf-8"), source_path="<explain>", source_format=source_format)
    if source.status != "ok":
        return Explanation(f"rejected: {source.error}", [], [])
    parsed = next(iter(parse_documents([source], n_process=1)))
    reference = load_reference(REFERENCE_DIR) if with_reference else None
    resolver = partial(resolve_territory, reference=reference) if reference else _no_territory
    tables = normalise(parsed, resolve_territory=resolver, version="explain", now=datetime.now(UTC)).tables
    document = tables["documents"][0]
    facts = [*_fact_lines(tables), *_epci_lines(tables, parsed), *_parse_lines(parsed)]
    year = next((r["signature_date"].year for r in tables.get("cpts", []) if r["signature_date"]), None)
    year = year or (parsed.published_on.year if parsed.published_on else None)
    refused = _refused(source) + _unowned(parsed)
    lines = facts + refused + _candidates(source.text, facts + refused, year, reference)
    status = document["status"] + (f" ({document['error']})" if document["error"] else "")
    cpts = [f"{r['cpts_key']} ({r['cpts_name']}, {r['name_source']})" for r in tables.get("cpts", [])]
    return Explanation(status, cpts, lines)


def _no_territory(places, *, year, title, text, **_):
    from pipeline.records import Territory

    return Territory(communes=[], departement_codes=[], region_code=None, communes_resolved=0,
                     population_reference=None, cog_year=year or 2024)
