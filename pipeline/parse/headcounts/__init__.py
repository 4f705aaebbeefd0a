"""Counts of members, professions and structures ("regroupe 70 adhérents", "7 MSP").

A count is a *quantity* (``scope``) directly followed by a counted noun
(``vocabulary``): a profession, a generic "professionnels de santé",
"adhérents" or "membres" (``patterns/professions.jsonl``), a structure or
EHPAD beds (``patterns/structures.jsonl``), or patients. Whatever else a
number counts (ages, durations, money, percentages, ordinals, "actes",
habitants, communes) never gets that far.

What the count means is decided by context rules as data (``context``):
the rows of ``patterns/count_rules.jsonl``, tried in order, each firing on
the cues of ``patterns/count_cues.jsonl`` in the windows they name. In short:

- a plan is not a headcount ("l'installation de 3 médecins est prévue",
  "recruter 2 infirmiers", "objectif de 50 patients"), nor the count of
  something else: a fraction, a sentence whose subject is a structure or a
  wider place ("Le département compte ..."), a density, a bureau or conseil;
- "adhérents"/"membres" are members;
- "N professionnels de santé" are professionals_on_territory when they are the
  pool the members come from or the territory counts them, members when said
  to be members or gathered by the CPTS; otherwise nothing ("35 professionnels
  ont participé à la réunion");
- a profession counts when it details a membership or the territory's count
  (``counts``); patients only as patients_without_gp; beds only next to an EHPAD.

Figures boxes and tables are read by their labels (``labels``). The record's
``rule`` is the id of the rule row or cue that decided it.

A span is read once. The same count of the same category stated twice is one row: the exact
statement if there is one ("200 professionnels" over a caption's "plus de
200"), else the first.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.headcounts.context import cue, fires, is_target
from pipeline.parse.headcounts.counts import (
    Rejected,
    decided_counts,
    elided_counts,
    patients_without_gp,
    sentence_counts,
    singular_items,
)
from pipeline.parse.headcounts.labels import generic_labels, in_target_box, label_start, noun_labels
from pipeline.parse.headcounts.scope import Quantity, Scope, find_quantities, postposed
from pipeline.patterns import load
from pipeline.records import Headcount

__all__ = [
    "Quantity",
    "Rejected",
    "Scope",
    "ceiling",
    "cue",
    "extract_headcounts",
    "find_quantities",
    "fires",
    "in_target_box",
    "is_target",
    "label_start",
    "postposed",
    "rejected_counts",
]

Doc.set_extension("headcounts", default=None, force=True)


def extract_headcounts(doc: Doc) -> list[Headcount]:
    """Counts of members, professions and structures, in document order, one row per (category, count)."""
    scope = Scope.of(doc)
    decided = decided_counts(scope)
    found = sentence_counts(scope, decided)
    found += generic_labels(scope) + noun_labels(scope) + elided_counts(scope)
    found += patients_without_gp(scope) + singular_items(scope, decided)
    return _dedupe([h for h in found if h.count <= ceiling("headcount")])


@lru_cache(maxsize=None)
def ceiling(kind: str) -> int:
    """The largest count of ``kind`` a communiqué can state about one CPTS (``patterns/count_ceilings.jsonl``):
    "3 000 000 000 adhérents" is a typo or a pasted code, not a figure to put on a dashboard."""
    return next(row["max"] for row in load("count_ceilings") if row["id"] == kind)


def rejected_counts(doc: Doc) -> list[Rejected]:
    """Counts of a counted noun that gave no record, each with the id of the rule that turned it down.

    For ``python -m pipeline explain``: "120 professionnels de santé" with
    ``pros_unclaimed`` says no cue told members from professionals of the
    territory; ``target`` says it is a plan; ``not_wider_place_setting`` says
    it is a wider place's.
    """
    scope = Scope.of(doc)
    rejected: list[Rejected] = []
    sentence_counts(scope, decided_counts(scope, rejected), rejected)
    return rejected


def _dedupe(found: list[Headcount]) -> list[Headcount]:
    """One row per span (the first reading, sentence counts before labels), then one per (category, count):
    the first exact statement, else the first."""
    by_span: dict[int, Headcount] = {}
    for h in found:
        by_span.setdefault(h.char_start, h)
    best: dict[tuple[str, int], Headcount] = {}
    for h in sorted(by_span.values(), key=lambda h: h.char_start):
        key = (h.category, h.count)
        if key not in best or (best[key].qualifier != "exact" and h.qualifier == "exact"):
            best[key] = h
    return sorted(best.values(), key=lambda h: h.char_start)


@Language.component("cpts_headcounts")
def headcounts_component(doc: Doc) -> Doc:
    doc._.headcounts = extract_headcounts(doc)
    return doc
