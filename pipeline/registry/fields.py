"""The values of one registry row, from the sightings of one CPTS: most recent stated value, conflicts shown.

Rules (the README's "One row per CPTS" section says the same):

- A declared figure (population, communes, members), the president and the
  région are **the most recent stated value**: the document with the latest
  publication date (else signature date) that states it; ``*_doc_id`` names it.
- **Conflicts**: when documents state values that disagree beyond a tolerance,
  the row lists them all (``conflicts``: field, values, doc_ids) instead of
  hiding them. Tolerances: population ``POPULATION_TOLERANCE`` (2 %: "près de
  70 000" and 70 412 agree, 70 000 and 73 500 do not); communes, members,
  région and president must be equal (members grow: the earlier figures stay
  visible); creation dates agree when equal at the coarser precision of the two
  (a season counts as its year); two signature dates less than
  ``RENEWAL_DAYS`` apart must be equal, further apart they are two contracts.
- **Dates**: ``signature_date`` is the latest signature when the contract was
  renewed, else the most recent document's; ``creation_date`` the most precise
  stated one, or the most recent document's when they conflict.
- **Status**: ``renewed`` when the signature days (``cpts.signature_date``)
  of two documents are ``RENEWAL_DAYS`` or more apart (an ACI contract runs
  five years; other dates near "signé" may be the national agreement's), else
  ``signed`` when any signature is dated (even without a year), else
  ``created`` when a creation is dated, else ``project`` when the only sign of
  life is a grant for writing the projet de santé; null when no document says.
- **Money**: the same payment quoted by several documents counts once. A
  payment is (funder, purpose, amount_eur, period_years): the CPAM's release and
  a newspaper both quoting "116 250 € à la signature" are one. Totals are per
  (funder, purpose); two genuinely distinct payments of the very same amount
  for the same purpose in two documents are counted once too (under-counting
  is preferred to double counting).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pipeline.registry.merge import Sighting
from pipeline.textnorm import fold

POPULATION_TOLERANCE = 0.02
"""Relative difference above which two declared populations conflict."""
RENEWAL_DAYS = 3 * 365
"""Two signatures this far apart are two contracts (a renewal), not a disagreement."""

_PRECISION_RANK = {"day": 4, "month": 3, "season": 2, "year": 1}
"""The most precise creation date wins when documents agree."""
_COMPARED_PARTS = {"day": 3, "month": 2}
"""(year, month, day) parts two dates of these precisions are compared on; a season or a year: the year only."""


def _stated(sightings: list[Sighting], rows: dict, field: str) -> list[tuple[Sighting, object]]:
    """(sighting, value) of every sighting whose ``cpts`` row states ``field``, most recent first."""
    out = []
    for s in sorted(sightings, key=lambda s: s.recency, reverse=True):
        value = rows[(s.doc_id, s.cpts_key)].get(field)
        if value is not None:
            out.append((s, value))
    return out


def _conflict(field: str, stated: list[tuple[Sighting, object]], agree) -> dict | None:
    """The conflict struct when two stated values do not ``agree``, else None."""
    values = [v for _, v in stated]
    if all(agree(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
        return None
    return {"field": field, "values": [str(v) for v in values], "doc_ids": [s.doc_id for s, _ in stated]}


def _population_agree(a: int, b: int) -> bool:
    return abs(a - b) <= POPULATION_TOLERANCE * max(a, b)


def _coarse(d: date, precision: str) -> tuple:
    return (d.year, d.month, d.day)[: _COMPARED_PARTS.get(precision, 1)]


def _dates_agree(a: tuple[date, str], b: tuple[date, str]) -> bool:
    common = min(len(_coarse(*a)), len(_coarse(*b)))
    return _coarse(*a)[:common] == _coarse(*b)[:common]


def _same_contract_agree(a: date, b: date) -> bool:
    """Two signature dates agree when equal, or when so far apart that they are two contracts."""
    return a == b or abs((a - b).days) >= RENEWAL_DAYS


def declared_fields(sightings: list[Sighting], cpts_rows: dict) -> tuple[dict, list[dict]]:
    """Figures, président and région: the most recent stated value of each, and the conflicts."""
    row: dict = {}
    conflicts = []
    checks = {
        "population_declared": _population_agree,
        "communes_declared": int.__eq__,
        "members_declared": int.__eq__,
        "president": lambda a, b: fold(a) == fold(b),
    }
    for field, agree in checks.items():
        stated = _stated(sightings, cpts_rows, field)
        latest = stated[0][0] if stated else None
        row[field] = stated[0][1] if stated else None
        row[f"{field}_doc_id"] = latest.doc_id if latest else None
        if field == "population_declared":
            row["population_qualifier"] = cpts_rows[(latest.doc_id, latest.cpts_key)].get("population_qualifier") if latest else None
        conflict = _conflict(field, stated, agree)
        if conflict:
            conflicts.append(conflict)
    regions = _stated(sightings, cpts_rows, "region_code")
    conflict = _conflict("region_code", regions, str.__eq__)
    row["region_code"] = None if conflict or not regions else regions[0][1]
    if conflict:
        conflicts.append(conflict)
    return row, conflicts


def dates_and_status(sightings: list[Sighting], cpts_rows: dict, dates: dict, fundings: dict) -> tuple[dict, list[dict]]:
    """``creation_date``, ``signature_date``, ``status`` and their conflicts."""
    conflicts = []
    signatures = _stated(sightings, cpts_rows, "signature_date")
    days = [v for _, v in signatures]  # each document's own signature day, not every date near "signé"
    renewed = bool(days) and (max(days) - min(days)).days >= RENEWAL_DAYS
    conflict = _conflict("signature_date", signatures, _same_contract_agree)
    if conflict:
        conflicts.append(conflict)
    if renewed:
        signature_date = max(days)
    else:
        signature_date = signatures[0][1] if signatures else None

    creations = []
    for s in sorted(sightings, key=lambda s: s.recency, reverse=True):
        for d, precision in dates.get((s.doc_id, s.cpts_key), {}).get("creation", []):
            if d is not None:
                creations.append((s, (d, precision)))
    conflict = _conflict("creation_date", creations, _dates_agree)
    if conflict:
        conflict["values"] = [f"{d.isoformat()} ({p})" for _, (d, p) in creations]
        conflicts.append(conflict)
        creation = creations[0][1]
    else:
        creation = max((c for _, c in creations), key=lambda c: _PRECISION_RANK.get(c[1], 0), default=None)

    events = {role for s in sightings for role in dates.get((s.doc_id, s.cpts_key), {})}
    purposes = {f["purpose"] for s in sightings for f in fundings.get((s.doc_id, s.cpts_key), [])}
    if renewed:
        status = "renewed"
    elif signatures or "signature" in events:
        status = "signed"
    elif "creation" in events:
        status = "created"
    elif purposes == {"health_project"}:
        status = "project"
    else:
        status = None
    return {
        "status": status,
        "signature_date": signature_date,
        "creation_date": creation[0] if creation else None,
        "creation_precision": creation[1] if creation else None,
    }, conflicts


def funding_totals(sightings: list[Sighting], fundings: dict) -> list[dict]:
    """Totals per (funder, purpose) of the distinct payments quoted by the documents (see the module docstring)."""
    payments: dict[tuple, dict] = {}
    for s in sightings:
        for f in fundings.get((s.doc_id, s.cpts_key), []):
            identity = (f["funder"], f["purpose"], f["amount_eur"], f["period_years"])
            payment = payments.setdefault(identity, {"docs": set(), "is_maximum": False, "conditional": False})
            payment["docs"].add(s.doc_id)
            payment["is_maximum"] |= bool(f["is_maximum"])
            payment["conditional"] |= bool(f["conditional"])
    totals: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"amount_eur": 0, "payments": 0, "is_maximum": False, "conditional": False, "doc_ids": set()})
    for (funder, purpose, amount, _), payment in payments.items():
        total = totals[(funder, purpose)]
        total["amount_eur"] += amount
        total["payments"] += 1
        total["is_maximum"] |= payment["is_maximum"]
        total["conditional"] |= payment["conditional"]
        total["doc_ids"] |= payment["docs"]
    return [
        {"funder": funder, "purpose": purpose, **{**t, "doc_ids": sorted(t["doc_ids"])}}
        for (funder, purpose), t in sorted(totals.items())
    ]
