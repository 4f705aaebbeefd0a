"""Who pays a sum and what for: payers, purpose cues and flags found around it.

Read from the narrowest place that says it: the sum's sub-clause ("60 000 €
par l'ARS et 15 000 € par l'Assurance Maladie"), then its sentence (a cue
belongs to the nearest sum), then the heading above it. A body named in the
clause is its payer when the clause marks it so ("par l'ARS", "aide de
l'ARS", "l'ARS a versé"); an unmarked name counts only when it is the only
body named there. Vocabularies: ``patterns/funders.jsonl``,
``patterns/funding_purposes.jsonl``, ``patterns/amount_cues.jsonl``; every cue
keeps its row ``id``, which becomes the amount's ``rule``. The cues of
``amount_cues.jsonl`` are read by the one contextual matcher
(``pipeline.parse.context``) around the sum, in a segment whose sentence is
the sum's, whose stops are the other sums of that sentence and whose heading
is the line above; the payer cues around a body's name, in a segment whose
sentence is the span the body is named in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pipeline import patterns
from pipeline.parse.amounts.money import Money
from pipeline.parse.context import Matcher, Segment, matcher
from pipeline.parse.numbers import parse_number

CO_PAYERS = re.compile(
    r"(?:\s+(?:de la|de l'|du|des|d')\s*[\w' -]{1,30}?)?(?:\s*,\s*|\s+et\s+|\s+ainsi que\s+)(?:l'|la |le |les )?$"
)
"""What lies between two payers named together: an optional short complement, then a conjunction."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word found in the text: a purpose, a ceiling, a condition..."""

    start: int
    end: int
    kind: str
    rank: int = 0
    years: int | None = None
    funder: str | None = None
    """For a purpose cue: the payer it requires, if any."""
    id: str = ""
    """The pattern row that found it."""


@dataclass(frozen=True, slots=True)
class Payer:
    start: int
    end: int
    funder: str
    strong: bool
    """The clause marks the body as the payer ("par l'ARS", "l'ARS a versé")."""


@dataclass(frozen=True, slots=True)
class Place:
    """The spans a sum's roles are read from."""

    sentence: tuple[int, int]
    heading: tuple[int, int] | None
    subclause: tuple[int, int]
    """The piece of the sentence holding the sum."""
    clauses: list[tuple[int, int]]
    """All pieces of the sentence, cut at ";", ", ", "et", "puis"..."""
    segment: Segment
    """The sentence, its sums and the heading, as the contextual matcher reads them."""


def _compiled(rows: tuple[dict, ...]) -> list[tuple[re.Pattern[str], dict]]:
    return [(re.compile(row["pattern"]), row) for row in rows]


@lru_cache(maxsize=1)
def _funders() -> list[tuple[re.Pattern[str], dict]]:
    return _compiled(patterns.load("funders"))


@lru_cache(maxsize=1)
def _purposes() -> list[tuple[re.Pattern[str], dict]]:
    return _compiled(patterns.load("funding_purposes"))


def _cues() -> Matcher:
    return matcher("amount_cues")


def said(name: str, segment: Segment, money: Money) -> bool:
    """Whether cue ``name`` is found in one of the windows its row names around ``money``."""
    return _cues().fires(segment, name, money.start, money.end)


def inside(money: Money, span: tuple[int, int]) -> bool:
    return span[0] <= money.start < span[1]


def _distance(cue: Cue | Payer, money: Money) -> int:
    return max(0, cue.start - money.end, money.start - cue.end)


def payers(folded: str, span: tuple[int, int], clause: tuple[int, int]) -> list[Payer]:
    """Bodies named in ``span`` that may be the payer; strength is judged within ``clause``."""
    around = Segment(folded, [clause])
    found = []
    for pattern, row in _funders():
        for match in pattern.finditer(folded, span[0], span[1]):
            strong = _cues().fires(around, "payer_before", *match.span()) or _cues().fires(
                around, "payer_after", *match.span()
            )
            if strong or row.get("weak", True):
                found.append(Payer(match.start(), match.end(), row["funder"], strong))
    return found


def unmarked_body(folded: str, span: tuple[int, int]) -> tuple[int, int, str] | None:
    """The first body of a ``weak: false`` row named in ``span`` ("la région", "la commune"), as (start, end,
    row id): such a body pays only when its clause marks it as the payer. For ``explain``."""
    found = [
        (match.start(), match.end(), row["id"])
        for pattern, row in _funders()
        if not row.get("weak", True)
        for match in [pattern.search(folded, span[0], span[1])]
        if match
    ]
    return min(found) if found else None


def _purpose_cues(folded: str, span: tuple[int, int]) -> list[Cue]:
    found = []
    for pattern, row in _purposes():
        for match in pattern.finditer(folded, span[0], span[1]):
            years = match.groupdict().get("years")
            found.append(
                Cue(match.start(), match.end(), row["purpose"], row["rank"], _years(years), row.get("funder"), row["id"])
            )
    return found


def _years(word: str | None) -> int | None:
    value = parse_number(word) if word else None
    return int(value) if value else None


def compared(segment: Segment, money: Money) -> bool:
    """A sum given only as a point of comparison ("contre 250 K€ lors du précédent contrat").

    It is not paid under this contract, and it must not take the cue words of the sentence
    ("..., en fonction de l'atteinte des objectifs") from the sum it is compared with.
    """
    return said("comparison_before", segment, money) or said("comparison_after", segment, money)


def _nearest(cues: list, money: Money, sums: list[Money]) -> list:
    """The cues of a sentence that lie nearer to ``money`` than to any other sum in it."""
    return [cue for cue in cues if min(sums, key=lambda other: _distance(cue, other)) == money]


def _pick_funder(payers: list[Payer], money: Money) -> str | None:
    """The payer among bodies named in one span: the only one marked as payer, else the only one named."""
    strong = [p for p in payers if p.strong]
    kinds = {p.funder for p in (strong or payers)}
    if len(kinds) == 1:
        return kinds.pop()
    if strong:
        return min(strong, key=lambda p: _distance(p, money)).funder
    return None


def co_funded(folded: str, payers: list[Payer]) -> bool:
    """Two different bodies marked as payers and joined as co-subjects ("l'ARS et la CPAM financent")."""
    strong = sorted((p for p in payers if p.strong), key=lambda p: p.start)
    return any(
        first.funder != second.funder and CO_PAYERS.match(folded[first.end : second.start])
        for first, second in zip(strong, strong[1:])
    )


def _pick_purpose(cues: list[Cue], funder: str | None) -> Cue | None:
    usable = [c for c in cues if c.funder is None or c.funder == funder]
    return min(usable, key=lambda c: c.rank) if usable else None


def payer_named(folded: str, money: Money, place: Place, sentence_payers: list[Payer]) -> str | None:
    """The payer the text names for a sum: in its sub-clause, else its sentence, else its heading."""
    own = place.subclause
    heading_payers = payers(folded, place.heading, place.heading) if place.heading else []
    return (
        _pick_funder([p for p in sentence_payers if own[0] <= p.start < own[1]], money)
        or _pick_funder(sentence_payers, money)
        or _pick_funder(heading_payers, money)
    )


def purpose_cue(
    folded: str, money: Money, place: Place, sums: list[Money], sentence_payers: list[Payer], named: str | None
) -> Cue | None:
    """The purpose cue of a sum: in its sub-clause, else its sentence, else its heading.

    Sentence cues in a sub-clause where another body is the payer ("l'ARS finance la rédaction du
    projet") belong to that body's money, not to this sum.
    """
    foreign = [
        clause
        for clause in place.clauses
        if any(p.strong and p.funder != named and clause[0] <= p.start < clause[1] for p in sentence_payers)
    ]
    in_sentence = [c for c in _purpose_cues(folded, place.sentence) if not any(f[0] <= c.start < f[1] for f in foreign)]
    levels = [_purpose_cues(folded, place.subclause), _nearest(in_sentence, money, sums)]
    if place.heading:
        levels.append(_purpose_cues(folded, place.heading))
    return next((cue for cues in levels if (cue := _pick_purpose(cues, named))), None)
