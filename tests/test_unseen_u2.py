"""Regression guard on the u2 communiqués written to test generalisation (tests/unseen/raw/u2_*.txt).

They come from other regions and writers than the shipped texts (an ARS page,
a CPAM page with a figures box, a local newspaper, a prefecture newsletter
with three CPTS, a CPTS's own site with tables flattened to "label | value"
lines, an ARS de Corse release). This runs the parse stage only and scores
the tables the rules of headcounts, figures and missions produce against the
hand-checked gold (tests/unseen/gold/u2_*.json), with the evaluator's rule:
multisets of keys, optional gold items neither rewarded nor penalised.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.normalise.figures import declared_figure
from pipeline.parse.nlp import build_nlp

UNSEEN = Path(__file__).resolve().parent / "unseen"
GOLDS = sorted((UNSEEN / "gold").glob("u2_*.json"))

F1_REACHED = {"headcounts": 1.0, "missions": 1.0}
"""Per-table F1 over the u2 set when these tests were written; a rule change that lowers it fails."""


@pytest.fixture(scope="module")
def parsed():
    nlp = build_nlp()
    docs = {}
    for path in GOLDS:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (UNSEEN / "raw" / gold["doc"]).read_text(encoding="utf-8")
        docs[gold["doc"]] = (gold, nlp(normalise_text(text)))
    return docs


def _keys(table: str, item: dict) -> tuple:
    if table == "headcounts":
        return item["category"], item["count"], item.get("qualifier", "exact")
    return item["mission"], item.get("status")


def _predicted(table: str, doc) -> list[tuple]:
    if table == "headcounts":
        return [(h.category, h.count, h.qualifier) for h in doc._.headcounts]
    return [(m.mission, m.status) for m in doc._.missions]


def _score(table: str, docs) -> tuple[float, list[str]]:
    tp = fp = fn = 0
    errors = []
    for name, (gold, doc) in docs.items():
        required = Counter(_keys(table, g) for g in gold[table] if not g.get("optional"))
        optional = Counter(_keys(table, g) for g in gold[table] if g.get("optional"))
        for key in _predicted(table, doc):
            if required[key] > 0:
                required[key] -= 1
                tp += 1
            elif optional[key] > 0:
                optional[key] -= 1
            else:
                fp += 1
                errors.append(f"extra {name} {key}")
        for key, n in required.items():
            fn += n
            errors.extend([f"miss {name} {key}"] * n)
    return (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0), errors


def test_there_are_u2_documents():
    assert len(GOLDS) >= 6


@pytest.mark.parametrize("table", sorted(F1_REACHED))
def test_f1_does_not_regress(parsed, table):
    f1, errors = _score(table, parsed)
    assert f1 >= F1_REACHED[table], errors


_FIELDS = {"population": "population_declared", "communes": "communes_declared", "members": "members_declared"}


@pytest.mark.parametrize("kind", sorted(_FIELDS))
def test_declared_figures_of_single_cpts_documents(parsed, kind):
    for name, (gold, doc) in parsed.items():
        if len(gold["cpts"]) != 1:
            continue
        figure = declared_figure(doc._.figures, kind)
        assert (figure.value if figure else None) == gold["cpts"][0][_FIELDS[kind]], name


def test_each_cpts_of_a_multi_cpts_release_keeps_its_own_figures(parsed):
    """Three boxes of "Population :", "Territoire :", "Adhérents :": every value is read, labelled, none is lost."""
    for name, (gold, doc) in parsed.items():
        if len(gold["cpts"]) < 2:
            continue
        for kind, field in _FIELDS.items():
            labelled = sorted(f.value for f in doc._.figures if f.kind == kind and f.labelled)
            assert labelled == sorted(c[field] for c in gold["cpts"]), (name, kind)


def test_population_qualifiers(parsed):
    for name, (gold, doc) in parsed.items():
        if len(gold["cpts"]) == 1:
            figure = declared_figure(doc._.figures, "population")
            assert figure.qualifier == gold["cpts"][0]["population_qualifier"], name
