"""What, right before a list of known names, says they are named for another reason than the territory.

An establishment ("les hôpitaux de A et B"), one person's place ("médecin à
A et B"), "CPTS" ("les CPTS de A, B et C") or a person's title ("les Drs
Laval, Vienne et Bar") in the list's clause: the towns are named for what
stands in them, are other CPTS's names, or are no towns. Where the members
or the territory's professionals work ("80 professionnels exerçant à A, B et
C") is no one person's place. Read by ``lists``.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.parse.places.shapes import alternation
from pipeline.parse.places.vocab import cue_regex, cues, window


def vetoed(text: str, at: int) -> bool:
    """True when an establishment, a person's place, "CPTS" or a person's title comes right before the run in
    its clause ("les hôpitaux de A et B", "médecin à A et B", "les CPTS de A, B et C", "les Drs Laval, Vienne
    et Bar"): the towns are named for what stands in them, are the names of other CPTS, or are no towns."""
    before = text[max(0, at - window("veto_chars")) : at]
    clause = re.split(r"[.;:\n]", before)[-1]
    return bool(_veto().search(clause)) and not _members_place().search(clause)


@cache
def _members_place() -> re.Pattern[str]:
    """The members' or professionals' places, no one person's: "80 professionnels exerçant à", "les soignants
    installés à" (``members_of_place`` then a person_place row marked ``of_members``): the towns after it are
    where the CPTS's professionals work, which the evidence of ``lists`` then decides on."""
    plural = alternation([e["text"] for e in cues()["person_place"] if e.get("of_members")])
    return re.compile(
        rf"{cue_regex('members_of_place')}\s+(?:qui\s+)?(?i:{plural})(?:\s+[\w'’-]+){{0,3}}?\s+(?:à|dans|sur)(?:\s+les\s+communes\s+de)?\s*$"
    )


@cache
def _veto() -> re.Pattern[str]:
    heads = f"{cue_regex('establishment')}|{cue_regex('person_place')}"
    cpts = r"(?<![\w-])(?:CPTS|(?i:communautés?\s+professionnelles?\s+territoriales?\s+de\s+santé))"
    titles = r"(?<![\w-])(?:Drs?|Docteurs?|Pr|Professeur|Mmes?|Madame|Monsieur|M|MM)\.?"
    return re.compile(
        rf"(?:(?:{heads})(?:\s+[\w'’-]+){{0,3}}?\s+(?:de|d['’]|du|des|à)|{cpts}(?:\s+(?:de|d['’]|du|des))?|{titles})\s*$"
    )
