"""Cross-checks of one CPTS's row against its own facts: what an analyst should look at twice.

``territory_checks`` (``communes.py``) compares declared figures with the
resolved territory; these compare the figures and dates of the row with each
other. A check never changes a value: it adds a ``checks`` row saying what
disagrees, so the dashboard can show a warning instead of a silent doubt.

- ``communes_unresolved``: communes declared, none resolved (the list was
  missed, or the text gives only the count).
- ``members_above_professionals``: more members declared than professionals
  said to practise on the territory (a members count can only be part of it).
- ``signature_before_creation``: the ACI signed before the CPTS was created.
- ``funding_per_inhabitant``: an annual ACI amount per declared inhabitant
  outside ``ANNUAL_EUR_PER_INHABITANT``. The ACI's grid (avenant 2 of 2021)
  pays a CPTS from about 50 000 € a year (smallest size, socle missions) to
  about 450 000 € (largest, every mission), for territories of under 40 000 to
  over 175 000 inhabitants: roughly 1 to 15 € per inhabitant and year. Beyond
  0.3-40 € the amount or the population was probably misread.
"""

from __future__ import annotations

from datetime import date

from pipeline.records import Amount, Check, DateFact, Headcount

ANNUAL_EUR_PER_INHABITANT = (0.3, 40.0)
"""Plausible range of an annual ACI amount per inhabitant; outside it, a warning."""

_ANNUAL_PURPOSES = ("annual", "first_year")


def _creation(dates: list[DateFact]) -> DateFact | None:
    return next((d for d in dates if d.role == "creation" and d.value), None)


def _before(signature: date, creation: DateFact) -> bool:
    """Strictly before, at the precision the creation date is given (a year, a month or a day)."""
    if creation.precision == "year":
        return signature.year < creation.value.year
    if creation.precision in ("month", "season"):
        return (signature.year, signature.month) < (creation.value.year, creation.value.month)
    return signature < creation.value


def cpts_checks(
    row: dict, *, dates: list[DateFact], headcounts: list[Headcount], amounts: list[Amount]
) -> list[Check]:
    """The checks of one ``cpts`` row (as built by ``normalise``) against the facts it was built from."""
    checks: list[Check] = []
    declared = row["communes_declared"]
    if declared and not row["communes_resolved"]:
        checks.append(Check(
            check="communes_unresolved", declared=float(declared), derived=0.0,
            message=f"{declared} communes declared, none resolved to an INSEE code",
        ))  # fmt: skip
    members = row["members_declared"]
    professionals = max((h.count for h in headcounts if h.category == "professionals_on_territory"), default=None)
    if members and professionals and members > professionals:
        checks.append(Check(
            check="members_above_professionals", declared=float(members), derived=float(professionals),
            message=f"{members} members declared but {professionals} professionals on the territory",
        ))  # fmt: skip
    creation = _creation(dates)
    signature = row["signature_date"]
    if signature and creation and _before(signature, creation):
        checks.append(Check(
            check="signature_before_creation", declared=None, derived=None,
            message=f"signed on {signature.isoformat()}, before its creation ({creation.text!r})",
        ))  # fmt: skip
    population = row["population_declared"]
    low, high = ANNUAL_EUR_PER_INHABITANT
    for amount in amounts:
        if population and amount.purpose in _ANNUAL_PURPOSES and amount.funder == "assurance_maladie":
            per_inhabitant = amount.value / population
            if not low <= per_inhabitant <= high:
                checks.append(Check(
                    check="funding_per_inhabitant", declared=float(amount.value), derived=round(per_inhabitant, 2),
                    message=(f"{amount.value} € a year for {population} inhabitants is {per_inhabitant:.2f} € per "
                             f"inhabitant, outside the ACI's usual {low}-{high} €"),
                ))  # fmt: skip
    return checks
