"""The warnings, the completeness panel and the filter choices of the review page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import zip_longest
from dataclasses import dataclass

from pipeline.report.labels import label

Rows = list[dict]


@dataclass
class WarningLine:
    """One line of the warnings panel: where (a link to the document) and what, already escaped by the template."""

    doc_id: str
    where: str
    what: str
    strong: str = ""


def warning_groups(tables: Mapping[str, Rows], offset_problems: Mapping[str, list[str]]) -> list[tuple[str, list[WarningLine]]]:
    """The warnings worth a look, by group, in French."""
    sources = {d["doc_id"]: d["source_path"] for d in tables["documents"]}

    def at(row: dict, what: str, strong: str = "") -> WarningLine:
        key = f" · {row['cpts_key']}" if row.get("cpts_key") else ""
        return WarningLine(row["doc_id"], sources.get(row["doc_id"], row["doc_id"]) + key, what, strong)

    documents = tables["documents"]
    return [
        ("Contrôles croisés (déclaré / dérivé)", [at(c, c["message"], c["check"]) for c in tables["checks"]]),
        ("Dates sans année", [at(d, f"« {d['text']} » ({label('date_role', d['role'])})") for d in tables["dates"] if d["precision"] == "no_year"]),
        (
            "Communes non résolues ou ambiguës",
            [at(c, f"« {c['mention']} » {label('method', c['method'])} ({label('role', c['role'])})")
             for c in tables["communes"] if c["method"] in ("unresolved", "ambiguous")],
        ),  # fmt: skip
        ("Problèmes de lecture (texte réparé)", [at(d, w) for d in documents for w in d.get("warnings") or []]),
        ("Quasi-doublons (comptés une fois)", [at(d, f"copie de {sources.get(d['same_as'], d['same_as'])}") for d in documents if d.get("same_as")]),
        (
            "Documents non extraits (rejetés, ou sans CPTS)",
            [at(d, d["error"] or "", label("status", d["status"])) for d in documents if d["status"] != "ok"],
        ),
        (
            "Faits dont l'extrait n'est pas à ses positions (non surlignés)",
            [at({"doc_id": doc_id}, p) for doc_id, problems in offset_problems.items() for p in problems],
        ),
    ]


def warnings_per_cpts(tables: Mapping[str, Rows]) -> Counter:
    """Warnings of each (doc_id, cpts_key): checks, dates without a year, unresolved or ambiguous communes."""
    count: Counter = Counter()
    for c in tables["checks"]:
        count[(c["doc_id"], c["cpts_key"])] += 1
    for d in tables["dates"]:
        count[(d["doc_id"], d["cpts_key"])] += d["precision"] == "no_year"
    for c in tables["communes"]:
        count[(c["doc_id"], c["cpts_key"])] += c["method"] in ("unresolved", "ambiguous")
    return count


_FIELDS = (
    ("région", lambda c, _: c["region_code"]),
    ("départements", lambda c, _: c["departement_codes"]),
    ("date de signature", lambda c, _: c["signature_date"]),
    ("population déclarée", lambda c, _: c["population_declared"] is not None),
    ("communes déclarées", lambda c, _: c["communes_declared"] is not None),
    ("au moins une commune résolue", lambda c, _: c["communes_resolved"]),
    ("adhérents", lambda c, _: c["members_declared"] is not None),
    ("président·e", lambda c, _: c["president"]),
    ("un financement", lambda c, has: "fundings" in has),
    ("une mission", lambda c, has: "missions" in has),
)


def completeness(tables: Mapping[str, Rows], copies: set[str]) -> dict:
    """Share of CPTS (copies left out) with each field, and how territory communes were resolved."""
    cpts = [c for c in tables["cpts"] if c["doc_id"] not in copies]
    has: dict[tuple[str, str], set[str]] = {}
    for table in ("fundings", "missions"):
        for row in tables[table]:
            has.setdefault((row["doc_id"], row["cpts_key"]), set()).add(table)
    fields = []
    for name, test in _FIELDS:
        n = sum(bool(test(c, has.get((c["doc_id"], c["cpts_key"]), set()))) for c in cpts)
        fields.append({"name": name, "n": n, "share": round(100 * n / len(cpts)) if cpts else 0})
    methods = Counter(c["method"] for c in tables["communes"] if c["doc_id"] not in copies and c["role"] == "territory")
    total = sum(methods.values())
    return {
        "n_cpts": len(cpts),
        "fields": fields,
        "methods": [{"name": label("method", m), "code": m, "n": n, "share": round(100 * n / total)} for m, n in methods.most_common()],
    }


def filter_options(tables: Mapping[str, Rows]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of each filter: régions, départements and signature years found among the CPTS."""
    regions, departements, years = {}, {}, set()
    for c in tables["cpts"]:
        if c["region_code"]:
            regions[c["region_code"]] = f"{c.get('region_name') or c['region_code']} ({c['region_code']})"
        for code, name in zip_longest(c["departement_codes"] or [], c.get("departement_names") or []):
            departements[code] = f"{name or code} ({code})"
        if c["signature_date"]:
            years.add(str(c["signature_date"].year))
    return {
        "region": sorted(regions.items(), key=lambda kv: kv[1]),
        "departement": sorted(departements.items()),
        "year": [(y, y) for y in sorted(years)],
    }
