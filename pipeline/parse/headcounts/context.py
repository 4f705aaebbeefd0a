"""The counts' context rules: the cues of ``count_cues.jsonl`` and the rows of ``count_rules.jsonl``, read by the
one contextual matcher (``pipeline.parse.context``: row schema, window names).

The anchor is a count's span (its number and noun); the stops are the other
quantities of the text, so ``before`` starts after the previous number of a
list and ``clause_after`` ends at the next. A pattern may use the pieces of
the same file and ``{structures}``, the structure nouns of
``structures.jsonl``. Cues whose window is a layout, not a span around a
count (``label_lines``, ``between``, ``box_heading``, ``table_cell``), are
read by ``labels`` through ``cue``. A rule row's id becomes the record's
``rule``, so a reader finds the row that decided.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.lines import BULLET_CLASS
from pipeline.parse.context import ContextRuleError, Matcher, Rule, Segment, matcher
from pipeline.parse.headcounts.vocabulary import structure_alternation

__all__ = ["ContextRuleError", "Rule", "cue", "decide", "fires", "is_target"]

LAYOUTS = ("label_lines", "between", "box_heading", "table_cell")
"""The windows of count cues read by ``labels``, which knows those layouts."""


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    return matcher("count_cues", "count_rules", (("structures", structure_alternation()), ("bullet", BULLET_CLASS)), LAYOUTS)


def cue(name: str) -> re.Pattern:
    """The compiled pattern of cue ``name``, for the layouts (labels, boxes, tables) read outside ``fires``."""
    return _matcher().pattern(name)


def fires(scope: Segment, name: str, start: int, end: int) -> bool:
    """Whether cue ``name`` is found in one of its windows around the anchor ``start:end``."""
    return _matcher().fires(scope, name, start, end)


def is_target(scope: Segment, start: int, end: int, cue_name: str = "target") -> bool:
    """True when the count at ``start:end`` is a plan: a target cue fires in its windows.

    ``target`` runs through a list of counts ("3 médecins et 2 infirmiers seront
    recrutés"); ``target_own_clause`` reads only the count's clause, for a count
    that carries its own predicate ("4 200 patients n'ont plus de médecin traitant,
    et 4 médecins partiront").
    """
    return _matcher().fires(scope, cue_name, start, end)


def decide(scope: Segment, kind: str, start: int, end: int) -> Rule | None:
    """The first rule for a count of noun ``kind`` at ``start:end`` whose cues all fire, or None."""
    return _matcher().decide(scope, kind, start, end)
