"""Context rules as data: the cues of ``count_cues.jsonl`` and the decision rows of ``count_rules.jsonl``.

A cue row is ``{id, window, pattern}`` (optionally ``max_chars``): a regex on
folded text, searched only in the windows it names (``scope.WINDOWS``) around
the anchor a caller gives (a count's number and noun). A pattern may use named
pieces written ``{name}``: the ``piece`` rows of the same file, and
``{structures}``, the structure nouns of ``structures.jsonl``. Cues whose
window is not a span around a count (a label line, a box heading, a table
cell) are read by the module that knows that layout, through ``cue``.

A rule row is ``{id, anchor, when, assign | exclude}``: for a count whose noun
is of kind ``anchor`` ("*" for any), the first row whose ``when`` cues all fire
(no ``when``: always) decides: ``assign`` gives the headcount category,
``exclude`` says it is not a headcount. The row's id becomes the record's
``rule``, so a reader finds the row that decided.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline import patterns
from pipeline.parse.headcounts.scope import WINDOWS, Scope, window_text
from pipeline.parse.headcounts.vocabulary import structure_alternation


class ContextRuleError(ValueError):
    """A pattern row names a window, piece or cue that does not exist."""


class _Cue(NamedTuple):
    pattern: re.Pattern
    windows: tuple[str, ...]
    max_chars: int | None


@lru_cache(maxsize=1)
def _cues() -> dict[str, _Cue]:
    rows = patterns.load("count_cues")
    pieces = {row["id"]: row["piece"] for row in rows if "piece" in row}
    pieces["structures"] = structure_alternation()
    cues = {}
    for row in rows:
        if "pattern" not in row:
            continue
        try:
            pattern = re.compile(re.sub(r"\{([a-z_]+)\}", lambda m: f"(?:{pieces[m.group(1)]})", row["pattern"]))
        except KeyError as missing:
            raise ContextRuleError(f"count cue {row['id']!r}: unknown piece {missing}") from None
        cues[row["id"]] = _Cue(pattern, tuple(row["window"]), row.get("max_chars"))
    return cues


def cue(name: str) -> re.Pattern:
    """The compiled pattern of cue ``name``, for the layouts (labels, boxes, tables) read outside ``fires``."""
    try:
        return _cues()[name].pattern
    except KeyError:
        raise ContextRuleError(f"no count cue {name!r}") from None


def fires(scope: Scope, name: str, start: int, end: int) -> bool:
    """Whether cue ``name`` is found in one of its windows around the anchor ``start:end``."""
    c = _cues()[name]
    for window in c.windows:
        if window not in WINDOWS:
            raise ContextRuleError(f"count cue {name!r} is not read around a count (window {window!r})")
        if c.pattern.search(window_text(scope, window, start, end, c.max_chars)):
            return True
    return False


def is_target(scope: Scope, start: int, end: int, cue_name: str = "target") -> bool:
    """True when the count at ``start:end`` is a plan: a target cue fires in its windows.

    ``target`` runs through a list of counts ("3 médecins et 2 infirmiers seront
    recrutés"); ``target_own_clause`` reads only the count's clause, for a count
    that carries its own predicate ("4 200 patients n'ont plus de médecin traitant,
    et 4 médecins partiront").
    """
    return fires(scope, cue_name, start, end)


class Rule(NamedTuple):
    id: str
    anchor: str
    when: tuple[str, ...]
    assign: str | None


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    rules = []
    for row in patterns.load("count_rules"):
        when = tuple(row.get("when", ()))
        unknown = [name for name in when if name not in _cues()]
        if unknown or ("assign" in row) == bool(row.get("exclude")):
            raise ContextRuleError(f"count rule {row['id']!r}: unknown cues {unknown} or not one of assign/exclude")
        rules.append(Rule(row["id"], row["anchor"], when, row.get("assign")))
    return tuple(rules)


def decide(scope: Scope, kind: str, start: int, end: int) -> Rule | None:
    """The first rule for a count of noun ``kind`` at ``start:end`` whose cues all fire, or None."""
    for rule in _rules():
        if rule.anchor in ("*", kind) and all(fires(scope, name, start, end) for name in rule.when):
            return rule
    return None
