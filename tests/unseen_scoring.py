"""Scores the parse and normalise stages on the communiqués of ``tests/unseen/`` against their gold.

Territory resolution is left out (an empty territory) so these checks of the
fact extractors stay fast; ``tests/test_unseen_places.py`` scores territories.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline.evaluate import Report, score
from pipeline.ingest import ingest
from pipeline.normalise import normalise
from pipeline.parse import parse_documents
from pipeline.records import Territory

UNSEEN = Path(__file__).resolve().parent / "unseen"
_TABLES = ("documents", "cpts", "communes", "fundings", "dates", "headcounts", "missions")


def unseen_golds(prefix: str) -> list[dict]:
    """The gold documents whose file names start with ``prefix`` (u1_, u4_...)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((UNSEEN / "gold").glob(f"{prefix}*.json"))]


def _no_territory(places, *, year, title, text, **_) -> Territory:
    return Territory(communes=[], departement_codes=[], region_code=None, communes_resolved=0,
                     population_reference=None, cog_year=year or 2024)


def unseen_report(golds: list[dict]) -> Report:
    """Ingest, parse and normalise the raw texts of ``golds`` and score the rows."""
    sources = [
        ingest((UNSEEN / "raw" / gold["doc"]).read_bytes(), source_path=gold["doc"], source_format="txt")
        for gold in golds
    ]
    rows: dict[str, list[dict]] = {}
    now = datetime.now(UTC)
    for parsed in parse_documents(sources, n_process=1):
        tables = normalise(parsed, resolve_territory=_no_territory, version="test", now=now).tables
        for name, table_rows in tables.items():
            rows.setdefault(name, []).extend(table_rows)
    columns = {"communes": ["doc_id", "role", "method", "insee_code", "epci_siren"]}
    tables = {name: pd.DataFrame(rows.get(name, []), columns=columns.get(name)) for name in _TABLES}
    for name, frame in tables.items():
        if "doc_id" not in frame:
            tables[name] = pd.DataFrame(columns=["doc_id"])
    return score(tables, golds)


def assert_f1_at_least(report: Report, table: str, floor: float) -> None:
    """The table's F1 has not dropped below ``floor``; the message lists what was missed or added."""
    s = report.tables[table]
    assert s.f1 >= floor, s.misses + s.extras


def assert_accuracy_at_least(report: Report, field: str, floor: float) -> None:
    """The cpts field's accuracy has not dropped below ``floor``; the message lists the wrong values."""
    ok, total = report.fields[field]
    assert total and ok / total >= floor, [m for m in report.field_misses if field in m]
