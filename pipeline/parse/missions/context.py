"""The mission commitments' context rules: the cues of ``mission_cues.jsonl`` and the rows of
``mission_rules.jsonl``, read by the one contextual matcher (``pipeline.parse.context``: row schema, window names).

Two kinds of anchor are decided there: a body a sentence names (does it act,
or is it the object of a preposition?), then a commitment cue's match (does
this CPTS act for it?). A commitment cue's id (``commit.*``, in file order)
is the context part of the rule of the missions it assigns. The cues are
compiled ``Prefiltered``: every sentence about this CPTS is searched for each
of them and most hold few.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.parse.context import Matcher, matcher

__all__ = ["Matcher", "commitment_matcher"]

COMMIT_PREFIX = "commit."
"""The cues whose match commits a body to something ("s'engage", "a retenu", "travaille sur")."""


@lru_cache(maxsize=1)
def commitment_matcher() -> Matcher:
    """The matcher of mission commitments, built once per process."""
    return matcher("mission_cues", "mission_rules", prefiltered=True)
