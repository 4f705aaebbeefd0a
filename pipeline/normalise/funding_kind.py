"""What a funding amount measures, so that an analyst adds only amounts that can be added.

A communiqué typically states a payment at signature, a yearly amount or
ceiling, and a ceiling over the five years of the contract: summing them
gives a figure nobody paid. ``kind`` says which of these a row is, in words
an analyst can filter on, and ``annual_eur`` brings every amount whose period
is known to euros per year (a total over N years divided by N), the one
figure comparable across CPTS. One-off payments and amounts whose period the
text does not give have no ``annual_eur``: dividing them would be a guess.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from pipeline.records import Amount, Purpose

FundingKind = Literal[
    "paid_once", "annual", "annual_ceiling", "total_over_period", "total_ceiling_over_period", "period_unknown"
]
"""The closed list of ``fundings.kind``:

- ``paid_once``: a one-off payment (at signature, an advance, the grant for writing the projet de santé);
- ``annual``: an amount for one year (each year, or the first year);
- ``annual_ceiling``: the most the CPTS can get in one year ("pouvant atteindre ... par an");
- ``total_over_period``: a total over ``period_years`` years;
- ``total_ceiling_over_period``: the most the CPTS can get over ``period_years`` years;
- ``period_unknown``: funding whose period the text does not give.
"""

_ONE_OFF: frozenset[Purpose] = frozenset({"signature_payment", "health_project"})
_YEARLY: frozenset[Purpose] = frozenset({"annual", "first_year"})


class FundingMeasure(TypedDict):
    """The two derived columns of a ``fundings`` row."""

    kind: FundingKind
    annual_eur: int | None
    """Euros per year, rounded; None when the period is not known or the payment is one-off."""


def funding_measure(amount: Amount) -> FundingMeasure:
    """What ``amount`` measures and its value per year, from its purpose, period and ceiling flag."""
    if amount.purpose in _ONE_OFF:
        return {"kind": "paid_once", "annual_eur": None}
    period = amount.period_years
    if period == 1 or (period is None and amount.purpose in _YEARLY):
        return {"kind": "annual_ceiling" if amount.is_maximum else "annual", "annual_eur": amount.value}
    if period or amount.purpose == "multi_year":
        kind: FundingKind = "total_ceiling_over_period" if amount.is_maximum else "total_over_period"
        return {"kind": kind, "annual_eur": round(amount.value / period) if period else None}
    return {"kind": "period_unknown", "annual_eur": None}
