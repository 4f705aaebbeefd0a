"""Who pays a sum and what for: payers, purpose cues and flags found around it.

Where each is looked for is data, read by the one contextual matcher
(``pipeline.parse.context``) around the sum, in a segment whose sentence is
the sum's, whose stops are the other sums of that sentence and whose heading
is the line above (``Place.segment``):

- ``patterns/funding_cues.jsonl`` row ``funder``: the windows a payer is
  looked for in, in the order they are tried: the sum's ``subclause`` ("60
  000 € par l'ARS et 15 000 € par l'Assurance Maladie"), its ``sentence``,
  the ``heading`` above it. The first window where one payer stands out
  decides (``_pick_funder``: the only body marked as paying, else the only
  one named, else the marked one nearest the sum).
- row ``purpose``: likewise ``subclause``, ``sentence_nearest`` (of two sums
  in a sentence, a cue belongs to the nearer), ``heading``; in a window, the
  cue of lowest ``rank`` whose required payer (``funder``) is the sum's.
- ``patterns/funding_rules.jsonl``: whether a body named in the sentence (or
  heading) is a payer, from its ``kind`` in ``funders.jsonl`` and the cues
  ``payer_before`` ("par l'ARS", "aide de l'ARS") and ``payer_after``
  ("l'ARS a versé") around its name: marked, it pays; a common noun unmarked
  ("le conseil départemental a voté un budget de ...") does not; a name
  unmarked (ARS, CPAM) pays when it is the only body named in the window.
  The marks are read in the whole sentence (or heading) the body is named
  in, whichever window finds it ("la CPAM, qui verse 50 000 €").

The vocabularies stay vocabularies: which bodies (``funders.jsonl``) and
purposes (``funding_purposes.jsonl``), their ids and values. Their
alternations are the pieces ``{funders}`` and ``{purposes}`` of the reach
rows, which say whether a window names any; the vocabulary is then read row
by row, each match keeping its row ``id`` (a purpose's becomes the amount's
``rule``). The flags of ``amount_cues.jsonl`` (ceiling, condition, rate...)
are read by the matcher around the sum.

Kept as code, because they are no window of the matcher:

- ``subclause``: a layout of this package (``layout.SUBCLAUSE_BREAK``),
  declared to the matcher as such. The matcher's ``clause_before`` runs back
  over the previous sum ("... par l'ARS et 15 000 €" would give the second sum the
  ARS) and no clause window cuts at "et" or "puis".
- which vocabulary match of a sentence lies nearest to this sum rather than
  another (``_nearest``, the measure of ``sentence_nearest``): the matcher
  says whether a pattern matches nearest, not which row does.
- in ``sentence_nearest``, the cues of a sub-clause where another body is
  marked as paying ("l'ARS finance la rédaction du projet") are that body's
  sum's: this depends on the payers found, not on the text around the sum.
- two payers named together (``CO_PAYERS``): the text between two bodies'
  names, not around either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import patterns
from pipeline.parse.amounts.money import Money
from pipeline.parse.context import Matcher, Rule, Segment, matcher, window_span
from pipeline.parse.numbers import parse_number

Span = tuple[int, int]

CO_PAYERS = re.compile(
    r"(?:\s+(?:de la|de l'|du|des|d')\s*[\w' -]{1,30}?)?(?:\s*,\s*|\s+et\s+|\s+ainsi que\s+)(?:l'|la |le |les )?$"
)
"""What lies between two payers named together: an optional short complement, then a conjunction."""

_SUBCLAUSE = "subclause"
"""The window of the reach rows that this package cuts (``layout.SUBCLAUSE_BREAK``), not the matcher."""
_NEAREST = "sentence_nearest"
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


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
    """A body of ``funders.jsonl`` named in a sentence or heading, and the ``funding_rules.jsonl`` row that
    decided whether it pays (None: no row did, it does not)."""

    start: int
    end: int
    funder: str
    row: str
    """The ``funders.jsonl`` row that found it."""
    rule: Rule | None

    @property
    def strong(self) -> bool:
        """The clause marks the body as the payer ("par l'ARS", "l'ARS a versé")."""
        return self.rule is not None and self.rule.assign == "payer"

    @property
    def decided_by(self) -> str:
        """The id of the ``funding_rules.jsonl`` row that decided, for ``explain``."""
        return self.rule.id if self.rule else "none"

    @property
    def counted(self) -> bool:
        """The body may be the payer: marked, or a name that pays when it is the only body named."""
        return self.rule is not None and self.rule.assign is not None


@dataclass(frozen=True, slots=True)
class Place:
    """The spans a sum's roles are read from."""

    sentence: Span
    heading: Span | None
    subclause: Span
    """The piece of the sentence holding the sum."""
    clauses: list[Span]
    """All pieces of the sentence, cut at ";", ", ", "et", "puis"..."""
    segment: Segment
    """The sentence, its sums and the heading, as the contextual matcher reads them."""


@lru_cache(maxsize=None)
def _vocabulary(name: str) -> list[tuple[re.Pattern[str], dict]]:
    return [(re.compile(row["pattern"]), row) for row in patterns.load(name)]


def _alternation(name: str) -> str:
    """Every pattern of vocabulary ``name`` as one alternative (named groups made plain, as two rows share one)."""
    return "|".join(f"(?:{_NAMED_GROUP.sub('(?:', row['pattern'])})" for row in patterns.load(name))


@lru_cache(maxsize=1)
def _reach() -> Matcher:
    pieces = (("funders", _alternation("funders")), ("purposes", _alternation("funding_purposes")))
    return matcher("funding_cues", "funding_rules", pieces, (_SUBCLAUSE,))


def _cues() -> Matcher:
    return matcher("amount_cues")


def said(name: str, segment: Segment, money: Money) -> bool:
    """Whether cue ``name`` is found in one of the windows its row names around ``money``."""
    return _cues().fires(segment, name, money.start, money.end)


def inside(money: Money, span: Span) -> bool:
    return span[0] <= money.start < span[1]


def _distance(cue: Cue | Payer, money: Money) -> int:
    return max(0, cue.start - money.end, money.start - cue.end)


def bodies(folded: str, span: Span) -> list[Payer]:
    """Bodies named in ``span`` (a sentence or heading), each with the rule that decided, judged within ``span``."""
    around, rules = Segment(folded, [span]), _reach()
    found = []
    for pattern, row in _vocabulary("funders"):
        kind = row.get("kind", "name")
        for match in pattern.finditer(folded, span[0], span[1]):
            rule = rules.decide(around, kind, match.start(), match.end())
            found.append(Payer(match.start(), match.end(), row["funder"], row["id"], rule))
    return found


def unmarked_body(named: list[Payer]) -> Payer | None:
    """The first body a rule turned down as payer ("la région", "la commune" unmarked). For ``explain``."""
    return min((b for b in named if not b.counted), key=lambda b: (b.start, b.end, b.row), default=None)


def _purpose_cues(folded: str, span: Span) -> list[Cue]:
    found = []
    for pattern, row in _vocabulary("funding_purposes"):
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


def _nearest(found: list, money: Money, sums: list[Money]) -> list:
    """The matches of a sentence that lie nearer to ``money`` than to any other sum in it."""
    return [cue for cue in found if min(sums, key=lambda other: _distance(cue, other)) == money]


def _span(window: str, place: Place, money: Money) -> Span:
    """The span of a reach row's window around ``money`` (``subclause``: this package's layout)."""
    if window == _SUBCLAUSE:
        return place.subclause
    return window_span(place.segment, window, money.start, money.end)


def _pick_funder(payers: list[Payer], money: Money) -> str | None:
    """The payer among bodies named in one window: the only one marked as payer, else the only one named."""
    counted = [p for p in payers if p.counted]
    strong = [p for p in counted if p.strong]
    kinds = {p.funder for p in (strong or counted)}
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


def _bodies_in(window: str, folded: str, money: Money, place: Place, in_sentence: list[Payer]) -> list[Payer]:
    """The bodies named in ``window``: those of the sentence within it, or, out of the sentence (the heading),
    those of the window judged within it. A sub-clause cut at the "et" of a list of bodies ("a signé avec la
    CPAM du Val-d'Oise et l'ARS l'accord qui lui vaut 62 500 €") names them all: the cut is no frontier
    between two sums' payers there."""
    if window == _NEAREST:
        return _nearest(in_sentence, money, list(place.segment.stops))
    lo, hi = _span(window, place, money)
    if place.sentence[0] <= lo and hi <= place.sentence[1]:
        inside = [b for b in in_sentence if lo <= b.start < hi]
        if window == _SUBCLAUSE and inside:
            first = min(inside, key=lambda b: b.start).start
            inside += [b for b in in_sentence if b.start < lo and CO_PAYERS.match(folded[b.end : first])]
        return inside
    return bodies(folded, (lo, hi)) if _reach().cues["funder"].pattern.search(folded, lo, hi) else []


def payer_named(folded: str, money: Money, place: Place, in_sentence: list[Payer]) -> str | None:
    """The payer the text names for a sum: in the windows of the ``funder`` row, the first where one stands out.

    ``in_sentence``: the bodies of the sum's sentence (``bodies``)."""
    for window in _reach().cues["funder"].windows:
        if funder := _pick_funder(_bodies_in(window, folded, money, place, in_sentence), money):
            return funder
    return None


def _cues_in(window: str, folded: str, money: Money, place: Place, foreign: list[Span]) -> list[Cue]:
    lo, hi = place.sentence if window == _NEAREST else _span(window, place, money)
    if not _reach().cues["purpose"].pattern.search(folded, lo, hi):
        return []
    found = _purpose_cues(folded, (lo, hi))
    if window != _NEAREST:
        return found
    mine = [c for c in found if not any(f[0] <= c.start < f[1] for f in foreign)]
    return _nearest(mine, money, list(place.segment.stops))


def purpose_cue(folded: str, money: Money, place: Place, in_sentence: list[Payer], named: str | None) -> Cue | None:
    """The purpose cue of a sum: in the windows of the ``purpose`` row, the first that gives one.

    In ``sentence_nearest``, cues in a sub-clause where another body is the payer ("l'ARS finance la
    rédaction du projet") belong to that body's money, not to this sum.
    """
    foreign = [
        clause
        for clause in place.clauses
        if any(p.strong and p.funder != named and clause[0] <= p.start < clause[1] for p in in_sentence)
    ]
    for window in _reach().cues["purpose"].windows:
        if chosen := _pick_purpose(_cues_in(window, folded, money, place, foreign), named):
            return chosen
    return None
