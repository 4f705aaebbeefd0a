"""Regression guard on the u1 communiqués written to test generalisation (tests/unseen/raw/u1_*.txt).

Six releases from regions and writers the shipped texts do not cover: a CPAM
page with a dateline (Bretagne), an ARS page with a "Chiffres clés" box and
bullet lists (Occitanie), a local newspaper article (Hauts-de-France), a
CPTS's own site with no year anywhere (Grand Est), a prefecture newsletter
about three CPTS with tables flattened to "Label | value" lines
(Île-de-France) and a joint ARS/CGSS release (La Réunion). They exercise the
rules of amounts, dates, CPTS names and the president.

This runs the parse stage and the normalisation's row building (with an
empty territory: the commune resolution is scored elsewhere) and scores the
rows with ``pipeline.evaluate.score``, the evaluator of ``make eval``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate import score
from pipeline.ingest import doc_id, normalise_text
from pipeline.normalise import normalise
from pipeline.parse import parse_documents
from pipeline.records import SourceDocument, Territory

UNSEEN = Path(__file__).resolve().parent / "unseen"
GOLDS = sorted((UNSEEN / "gold").glob("u1_*.json"))

F1_REACHED = {"cpts": 1.0, "fundings": 1.0, "dates": 1.0}
"""Per-table F1 over the u1 set when these tests were written; a rule change that lowers it fails."""

FIELDS_REACHED = {"president": 1.0, "signature_date": 1.0}
"""Accuracy of the cpts fields these rules decide, over the same set."""


def _no_territory(places, *, year, title, text) -> Territory:
    return Territory(communes=[], departement_codes=[], region_code=None, communes_resolved=0,
                     population_reference=None, cog_year=year or 2024)


@pytest.fixture(scope="module")
def report():
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in GOLDS]
    sources = []
    for gold in golds:
        raw = (UNSEEN / "raw" / gold["doc"]).read_bytes()
        sources.append(SourceDocument(doc_id=doc_id(raw), source_path=gold["doc"], source_format="txt",
                                      text=normalise_text(raw.decode("utf-8"))))
    rows: dict[str, list[dict]] = {}
    now = datetime.now(UTC)
    for parsed in parse_documents(sources, n_process=1):
        tables = normalise(parsed, resolve_territory=_no_territory, version="test", now=now).tables
        for name, table_rows in tables.items():
            rows.setdefault(name, []).extend(table_rows)
    columns = {"communes": ["doc_id", "role", "method", "insee_code", "epci_siren"]}
    tables = {name: pd.DataFrame(rows.get(name, []), columns=columns.get(name)) for name in
              ("documents", "cpts", "communes", "fundings", "dates", "headcounts", "missions")}
    for name, frame in tables.items():
        if "doc_id" not in frame:
            tables[name] = pd.DataFrame(columns=["doc_id"])
    return score(tables, golds)


def test_there_are_six_u1_documents():
    assert len(GOLDS) == 6


@pytest.mark.parametrize("table", sorted(F1_REACHED))
def test_f1_does_not_regress(report, table):
    s = report.tables[table]
    assert s.f1 >= F1_REACHED[table], s.misses + s.extras


@pytest.mark.parametrize("field", sorted(FIELDS_REACHED))
def test_cpts_fields_do_not_regress(report, field):
    ok, total = report.fields[field]
    assert total and ok / total >= FIELDS_REACHED[field], [m for m in report.field_misses if field in m]
