"""Whether a sentence about this CPTS commits it to the missions it names, and by which cue.

A commitment cue (``commit.*`` rows of ``mission_cues.jsonl``: "s'engage",
"a retenu", "souhaite", "compte accueillir", "travaille sur", "objectifs"...)
commits the body acting for it. Each match of each cue, in file order, is an
anchor whose kind says who acts for it (``commit_this_cpts``,
``commit_other_body``, ``commit_nobody``), and the rows of
``mission_rules.jsonl`` decide: the first match they assign gives the
decision, its cue id the context part of the missions' rule ("L'ARS
s'engage, aux côtés de la CPTS, à ..." gives nothing; "Avec l'appui de
l'ARS, la CPTS s'engage à ..." gives the missions, rule ``commit.engage``).
A negated commitment assigns nothing ("La CPTS ne souhaite pas ...", "n'a
pas retenu ...") and neither does a dropped project ("Le projet de ... a été
abandonné"). Another cue of the sentence may still commit it, but not to what
the negation governs: the missions named after a negated commitment, up to
the end of its reach (``negation.reach_end``: ":", ";", "mais", "en
revanche"...), are refused ("elle n'a pas retenu la mission
d'accompagnement": "mission" is a commitment cue too, and it used to assign
what the negated verb refuses). ``Commitment.negated`` says where.

Who acts for a cue is the nearest acting body (``acting``) before it or, when
none precedes it (a fronted clause: "Pour améliorer l'accès aux soins, l'ARS
soutient ..."), the first after it. It stays code: "nearest" is an ordering
of the bodies found, not a window a cue is searched in, and the bodies depend
on the pronouns and quotations resolved there.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.parse.context import Rule, Segment
from pipeline.parse.missions.acting import acting_bodies
from pipeline.parse.missions.context import commit_cues, commitment_matcher


_MAY_NEGATE = re.compile(r"\bne\b|\bn'|abandonn|ecart|renon")
"""Words without which no rule of ``mission_rules.jsonl`` negates a commitment (negation.*: "ne", "n'", a dropped
project): a sentence without them is decided at its first assignment."""


class Negation(NamedTuple):
    """A negated commitment of this CPTS: the rule row that excluded it, its cue, and the span it governs."""

    rule: Rule
    cue: str
    start: int
    end: int


class Commitment(NamedTuple):
    """The rule row that decided and the commitment cue it decided on; ``negated``: the first negated
    commitment of this CPTS in the sentence, if any."""

    rule: Rule
    cue: str
    negated: Negation | None = None

    @property
    def assigns(self) -> bool:
        return self.rule.assign is not None


def commitment(folded: str, start: int, end: int, speaker: str | None, pronoun_is_ours: bool) -> Commitment | None:
    """The first commitment of the sentence ``start:end`` a rule assigns, else the first one excluded, else None
    (no commitment cue in the sentence).

    ``speaker`` and ``pronoun_is_ours`` say who "nous" and "elle" are (``acting``).
    """
    rules = commitment_matcher()
    segment = Segment(folded, [(start, end)])
    assigned: Commitment | None = None
    excluded: Commitment | None = None
    negated: Negation | None = None
    may_negate = _MAY_NEGATE.search(folded, start, end) is not None
    for cue, pattern in commit_cues():
        if assigned is not None and not may_negate:
            break  # nothing after the first assignment can change the decision
        for match in pattern.finditer(folded, start, end):
            at = match.start()
            kind = _who_acts(folded, start, at, end, speaker, pronoun_is_ours)
            rule = rules.decide(segment, kind, at, at)
            if rule is None:
                continue
            if rule.assign is not None:
                assigned = assigned or Commitment(rule, cue)
                continue
            excluded = excluded or Commitment(rule, cue)
            if kind != "commit_other_body" and (negated is None or at < negated.start):
                negated = Negation(rule, cue, at, _reach_end(folded, at, end))
    decided = assigned or excluded
    return None if decided is None else decided._replace(negated=negated)


def _reach_end(folded: str, at: int, end: int) -> int:
    """Where the negation of the commitment at ``at`` stops governing: the next ``negation.reach_end``."""
    stop = commitment_matcher().pattern("negation.reach_end").search(folded, at, end)
    return stop.start() if stop else end


def _who_acts(folded: str, start: int, cue: int, end: int, speaker: str | None, pronoun_is_ours: bool) -> str:
    """The anchor kind of a commitment cue at ``cue``: who acts for it."""
    before = acting_bodies(folded, start, cue, speaker, pronoun_is_ours)
    acting = max(before) if before else min(acting_bodies(folded, cue, end, speaker, pronoun_is_ours), default=None)
    if acting is None:
        return "commit_nobody"
    return "commit_this_cpts" if acting[1] else "commit_other_body"
