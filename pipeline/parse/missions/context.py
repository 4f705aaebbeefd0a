"""The mission commitments' context rules: the cues of ``mission_cues.jsonl`` and the rows of
``mission_rules.jsonl``, read by the one contextual matcher (``pipeline.parse.context``: row schema, window names).

Two kinds of anchor are decided there: a body a sentence names (does it act,
or is it the object of a preposition?), then a commitment cue's match (does
this CPTS act for it?). A commitment cue's id (``commit.*``, in file order)
is the context part of the rule of the missions it assigns. The cues are
compiled ``Prefiltered``: every sentence about this CPTS is searched for each
of them and most hold few.

``sentence_part`` is a layout, no span around an anchor: the part of a
sentence before or after a commitment cue, where ``acting`` finds the bodies
(cues ``body.other_body``, ``body.relative_pronoun``) through ``Matcher.pattern``.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.parse.context import Matcher, matcher
from pipeline.parse.prefilter import Prefiltered

__all__ = ["Matcher", "commit_cues", "commitment_matcher"]

COMMIT_PREFIX = "commit."
"""The cues whose match commits a body to something ("s'engage", "a retenu", "travaille sur")."""
LAYOUTS = ("sentence_part",)


@lru_cache(maxsize=1)
def commitment_matcher() -> Matcher:
    """The matcher of mission commitments, built once per process."""
    return matcher("mission_cues", "mission_rules", layouts=LAYOUTS, prefiltered=True)


@lru_cache(maxsize=1)
def commit_cues() -> tuple[tuple[str, Prefiltered], ...]:
    """(id, pattern) of the commitment cues in file order: their window is the sentence, searched whole (every
    sentence about this CPTS asks whether one fires, so without cutting a window per cue)."""
    rules = commitment_matcher()
    return tuple((name, rules.pattern(name)) for name in rules.cues if name.startswith(COMMIT_PREFIX))  # type: ignore[misc]
