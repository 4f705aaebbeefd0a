"""Score extracted tables against the hand-checked gold (``tests/gold/*.json``).

For each fact table, gold items and extracted rows of a document are
compared as multisets of keys (the fields the gold gives, with the defaults
below for the fields it leaves out); precision, recall and F1 are summed over
all documents. Gold items marked ``"optional": true`` neither count for nor
against: an extracted row that matches one is ignored. The ``cpts`` table is
also scored field by field (accuracy over the gold CPTS found); a field the
gold object leaves out is not scored (the text is debatable), while ``null``
is scored. Territory items are plain codes or objects
(``{"insee_code": ..., "optional": true}``, ``{"siren": ...}``). A gold
marked ``"negative": true`` expects no ``cpts`` row: each one extracted is a
false positive. ``overall`` is the micro-average over every table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

_FACT_KEYS: dict[str, tuple[tuple[str, object], ...]] = {
    "fundings": (
        ("amount_eur", None),
        ("funder", None),
        ("purpose", None),
        ("period_years", None),
        ("is_maximum", False),
        ("conditional", False),
    ),
    "dates": (("date", None), ("role", None)),
    "headcounts": (("category", None), ("count", None), ("qualifier", "exact")),
    "missions": (("mission", None), ("status", None)),
}
"""Per table: the fields compared, with the value a gold item means when it leaves one out."""

CPTS_FIELDS = (
    "departement_codes",
    "region_code",
    "signature_date",
    "population_declared",
    "population_qualifier",
    "communes_declared",
    "members_declared",
    "president",
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    tables: dict[str, Score]
    fields: dict[str, tuple[int, int]]
    """cpts field -> (correct, total)."""
    field_misses: list[str]

    def render(self, *, verbose: bool = False) -> str:
        lines = [f"{'table':<20} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}"]
        for name, s in self.tables.items():
            lines.append(
                f"{name:<20} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.tp:>5} {s.precision:>6.2f} {s.recall:>6.2f} {s.f1:>6.2f}"
            )
        lines.append("")
        lines.append(f"{'cpts field':<22} {'accuracy':>8}")
        for name, (ok, total) in self.fields.items():
            lines.append(f"{name:<22} {ok / total if total else 1.0:>8.2f}  ({ok}/{total})")
        if verbose:
            lines.append("")
            for name, s in self.tables.items():
                lines.extend(f"MISS  {name}: {m}" for m in s.misses)
                lines.extend(f"EXTRA {name}: {e}" for e in s.extras)
            lines.extend(f"WRONG cpts: {m}" for m in self.field_misses)
        return "\n".join(lines)


def _norm(value: object) -> object:
    """Comparable form: dates as ISO strings, lists as sorted tuples, NaN/NA as None."""
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return tuple(sorted(str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _code_item(item: object, name: str) -> dict:
    """A territory item, given as a plain code or as an object with ``optional``."""
    if isinstance(item, dict):
        return {"c": item[name], "optional": bool(item.get("optional"))}
    return {"c": item}


def _compare(score: Score, label: str, gold: list[dict], pred: list[tuple], keys) -> None:
    """Multiset comparison of gold items and predicted key tuples, with optional gold items."""
    def key_of(item: dict) -> tuple:
        return tuple(_norm(item.get(name, default)) for name, default in keys)

    required = Counter(key_of(g) for g in gold if not g.get("optional"))
    optional = Counter(key_of(g) for g in gold if g.get("optional"))
    for key in pred:
        if required[key] > 0:
            required[key] -= 1
            score.tp += 1
        elif optional[key] > 0:
            optional[key] -= 1
        else:
            score.fp += 1
            score.extras.append(f"{label} {key}")
    for key, n in required.items():
        score.fn += n
        score.misses.extend([f"{label} {key}"] * n)


def score(tables: dict[str, pd.DataFrame], golds: list[dict]) -> Report:
    """Score the extracted ``tables`` (DataFrames by name) against the gold documents."""
    names = ["cpts", "territory_communes", "territory_epcis", *_FACT_KEYS]
    scores = {name: Score() for name in names}
    fields = {name: [0, 0] for name in CPTS_FIELDS}
    field_misses: list[str] = []
    documents = tables["documents"]
    for gold in golds:
        label = gold["doc"]
        matches = documents[documents["source_path"].map(lambda p: p.rsplit("/", 1)[-1]) == gold["doc"]]
        doc_ids = set(matches["doc_id"])

        def rows(name: str) -> pd.DataFrame:
            table = tables[name]
            return table[table["doc_id"].isin(doc_ids)]

        cpts = rows("cpts")
        _compare(scores["cpts"], label, gold.get("cpts", []), [(k,) for k in cpts["cpts_key"]], (("cpts_key", None),))
        by_key = {r["cpts_key"]: r for r in cpts.to_dict("records")}
        for expected in gold.get("cpts", []):
            got = by_key.get(expected["cpts_key"])
            if got is None:
                continue
            for name in CPTS_FIELDS:
                if name not in expected:
                    continue
                fields[name][1] += 1
                if _norm(got.get(name)) == _norm(expected[name]):
                    fields[name][0] += 1
                else:
                    field_misses.append(f"{label} {name}: got {_norm(got.get(name))!r}, gold {_norm(expected[name])!r}")

        communes = rows("communes")
        territory = communes[communes["role"] == "territory"]
        listed = territory[(territory["method"] != "epci") & territory["insee_code"].notna()]
        _compare(
            scores["territory_communes"], label, [_code_item(c, "insee_code") for c in gold.get("territory_communes", [])],
            [(c,) for c in sorted(set(listed["insee_code"]))], (("c", None),),
        )
        epcis = territory[(territory["method"] == "epci") & territory["epci_siren"].notna()]
        _compare(
            scores["territory_epcis"], label, [_code_item(e, "siren") for e in gold.get("territory_epcis", [])],
            [(e,) for e in sorted(set(epcis["epci_siren"]))], (("c", None),),
        )
        for name, keys in _FACT_KEYS.items():
            pred = [tuple(_norm(r.get(k)) for k, _ in keys) for r in rows(name).to_dict("records")]
            _compare(scores[name], label, gold.get(name, []), pred, keys)
    overall = Score(
        tp=sum(s.tp for s in scores.values()),
        fp=sum(s.fp for s in scores.values()),
        fn=sum(s.fn for s in scores.values()),
    )
    scores["overall"] = overall
    return Report(scores, {k: (v[0], v[1]) for k, v in fields.items()}, field_misses)
