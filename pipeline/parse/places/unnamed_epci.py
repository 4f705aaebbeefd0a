"""An intercommunalité the text covers without naming it: "couvre les 38 communes de l'agglomération",
"l'ensemble de la communauté de communes".

A CPTS named after its intercommunalité ("CPTS du Grand Chambéry", the CA
du Grand Chambéry) often states its territory so, the name being said
once already. Kind ``epci``, name empty, ``rule`` ``places_epci_unnamed``,
role ``territory`` when a territory word comes before it in its sentence,
else ``mentioned``; ``pipeline.normalise.communes`` resolves it by the
CPTS's own name, only to an intercommunalité of exactly that name and, when
the phrase counts communes, of exactly that many members.
"""

from __future__ import annotations

import re

from pipeline.parse.places.context import partial, territory_cue
from pipeline.parse.places.shapes import APOS, Claims
from pipeline.parse.places.vocab import UNNAMED_EPCI_RULE
from pipeline.records import PlaceMention, PlaceRole

_FORMS = {
    "CC": r"la communauté de communes",
    "CA": rf"l[{APOS}] ?agglom[ée]ration|l[{APOS}] ?agglo|la communauté d[{APOS}] ?agglom[ée]ration",
    "CU": r"la communauté urbaine",
    "METRO": r"la métropole",
}
_UNNAMED = re.compile(
    rf"(?i:les (?P<count>\d+) communes de |l[{APOS}]ensemble (?:des communes )?de |toute |la totalité de )"
    rf"(?P<form>{'|'.join(f'(?P<{kind}>{form})' for kind, form in _FORMS.items())})"
    r"(?=\s*(?:[.,;:)]|$|\s(?:et|qui|soit|ainsi|avec|dont)\s))"
)
"""The whole of an intercommunalité, its legal form followed by no name (a full stop, a comma, "et", "soit")."""


def unnamed_epcis(text: str, sentence_starts: list[int], claims: Claims) -> list[PlaceMention]:
    """The intercommunalités covered without their name (see the module docstring)."""
    out = []
    for m in _UNNAMED.finditer(text):
        kind = next(k for k in _FORMS if m[k])
        cue = territory_cue(text, sentence_starts, m.start(), [])
        role: PlaceRole = "territory" if cue and not partial(text, m.start()) else "mentioned"
        place = claims.mention(
            text, m.start(), m.end(), name="", kind="epci", role=role, epci_type=kind, rule=UNNAMED_EPCI_RULE
        )
        if place is not None:
            out.append(place)
    return out
