"""Who acts in a part of a sentence: the bodies it names that are subjects, not objects.

A body is this CPTS (``singular_ref`` rows of ``missions.jsonl``: they stay
there, shared with lists, headings and themes, and guarded by ``not_after``,
which no cue row has), another body (cue ``body.other_body``), a pronoun
("elle", "ses actions") or, in a quotation, "nous"/"notre". Whether a body acts is a context rule
(``mission_rules.jsonl``, anchors ``body_this_cpts`` and ``body_other``): not
right after a preposition ("soutenue par l'ARS", "aux côtés de la CPTS"),
except this CPTS after "et" ("L'ARS et la CPTS s'engagent").

Two parts stay code because they are no window around the body:

- which body a pronoun stands for: "elle" is this CPTS only when the
  sentence before acted on it (``pronoun_is_ours``), and "nous" is this CPTS
  only in a quotation of one of its officers (``speaker``); both come from
  the sentences and quotations around, which ``prose`` reads in order;
- a relative pronoun ("la CPTS, dont l'activité porte sur ...") acts for the
  body named nearest before it, whether or not that body is a subject:
  anaphora, like the pronouns.

A part is read as the string ``folded[start:end]`` (layout
``sentence_part``): a body, a preposition or a relative pronoun is looked for
in it alone (the window ``sentence_before`` of a body is the part up to it).
"""

from __future__ import annotations

import re

from pipeline.parse.context import Segment
from pipeline.parse.missions.context import commitment_matcher
from pipeline.parse.missions.vocabulary import vocabulary

FIRST_PERSON = re.compile(r"\b(?:nous|notre|nos)\b")
"""The first person of a quotation or of a text written by this CPTS."""


def acting_bodies(folded: str, start: int, end: int, speaker: str | None, pronoun_is_ours: bool) -> list[tuple[int, bool]]:
    """(position, is this CPTS) of the bodies acting in ``folded[start:end]``; positions in the text.

    ``speaker`` is who "nous" is in a quotation: "ours" (an officer of this CPTS), "theirs" (anyone else), None
    outside quotations; ``pronoun_is_ours``: the sentence before acted on this CPTS.
    """
    vocab, rules = vocabulary(), commitment_matcher()
    text = folded[start:end]
    segment = Segment(folded, [(start, end)])
    ours = [m.start() + start for ref in (*vocab.singular, *vocab.weak_singular) for m in ref.finditer(text)]
    theirs = [m.start() + start for m in rules.pattern("body.other_body").finditer(text)]
    (ours if pronoun_is_ours else theirs).extend(m.start() + start for m in vocab.pronoun.finditer(text))
    if speaker is not None:
        (ours if speaker == "ours" else theirs).extend(m.start() + start for m in FIRST_PERSON.finditer(text))
    acting = [(pos, True) for pos in ours if _acts(segment, "body_this_cpts", pos)]
    acting += [(pos, False) for pos in theirs if _acts(segment, "body_other", pos)]
    for match in rules.pattern("body.relative_pronoun").finditer(text):
        relative = match.start() + start
        named = [(pos, True) for pos in ours if pos < relative] + [(pos, False) for pos in theirs if pos < relative]
        if named:
            acting.append((relative, max(named)[1]))
    return acting


def _acts(segment: Segment, kind: str, pos: int) -> bool:
    rule = commitment_matcher().decide(segment, kind, pos, pos)
    return rule is not None and rule.assign is not None
