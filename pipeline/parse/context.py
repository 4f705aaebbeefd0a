"""One contextual matcher: cues searched in named windows around an anchor, and rules that assign or exclude.

Modelled on edsnlp's contextual matcher (an anchor span, then ``assign`` /
``exclude`` patterns each searched in a ``window`` around it), with windows
cut along the units French communiqués put their context in (sentence,
clause, a list of counts, the heading line above) rather than token counts:
"regroupe 80 professionnels", "60 000 € par l'ARS" hold their cue in the
clause, however many words it takes. Every fact kind that needs context reads
it here, so the same window name means the same text for counts and sums.

Rows of ``pipeline/patterns/<file>.jsonl`` (each with an ``id``):

- cue ``{id, window: [names], pattern, max_chars?, max_words?}``: a regex on
  folded text (lower case, no accents, ``'`` for apostrophes) searched in each
  window named around the anchor; ``max_chars`` keeps the characters of the
  window nearest the anchor (required by ``chars_before``/``chars_after``),
  then ``max_words`` the words (runs of a-z) nearest it. A window named in the
  ``layouts`` a fact kind declares (a table cell, a label line...) is no span
  around an anchor: the module that knows that layout reads the cue's pattern
  through ``Matcher.pattern``.
  A row may list ``forms`` (folded words or phrases, a space matching any
  run of spaces): its pattern writes their alternation ``{forms}``.
- piece ``{id, piece}`` or ``{id, alternatives: [...]}`` (one regex per
  item, joined by ``|``: a list a reviewer edits item by item): a named
  part of a long alternation, written ``{id}`` in a pattern (or a later
  piece) of the same file and composed when the file is loaded; a fact
  kind may add pieces from its other vocabularies.
- rule ``{id, anchor, when?: [cue ids], assign | exclude: true}``: for an
  anchor of kind ``anchor`` ("*" for any), the first row whose ``when`` cues
  all fire (no ``when``: always) decides; its ``id`` and ``when`` say which
  row and cues decided, for ``explain``.

Windows (``WINDOWS``), around the anchor ``start:end`` in a ``Segment``:

- ``sentence``: the anchor's sentence;
- ``sentence_before`` / ``sentence_after``: the sentence up to the anchor /
  from its end (patterns read right after the anchor start with ``^``);
- ``before``: from the end of the previous stop (another anchor of the same
  kind: the previous number of a list of counts) or the sentence start;
- ``subject``: ``sentence_before`` from its last ";";
- ``clause_before``: from the last , ; : (not a decimal comma);
- ``clause_after``: to the end of the clause or the next stop, a
  parenthesised aside not cutting it;
- ``list_after``: ``clause_after`` running on through a list of stops
  ("3 médecins, 2 infirmiers et 4 pharmaciens ...");
- ``sentence_nearest``: the sentence, for the stop each match is nearest to
  (of two sums in a sentence, "plafonné" qualifies the nearer one);
- ``heading``: the heading line above the anchor, if the segment has one;
- ``chars_before`` / ``chars_after``: the ``max_chars`` characters before /
  after the anchor, across sentences (the few words around a place name).

A segment's text is folded with the same offsets as the original (counts,
sums), or it is the original text with a ``fold`` that each window goes
through once cut (places: "cœur" folds to one word "coeur").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, NamedTuple, Protocol, Sequence

from pipeline import patterns
from pipeline.parse.prefilter import Prefiltered, compile_prefiltered

Span = tuple[int, int]


class ContextRuleError(ValueError):
    """A pattern row names a window, piece or cue that does not exist."""


class Stop(Protocol):
    start: int
    end: int


_ASIDE = re.compile(r"\([^()\n]*\)")
"""A parenthesised aside inside a clause."""

_CLAUSE_BREAK = re.compile(r"[;:]|,(?!\d)")
"""Where a clause ends: ; : or a comma that is not a decimal comma ("9,6 %")."""

_LIST_GLUE = re.compile(r"\s*(?:(?:et|ou|ainsi que|puis)\s+)?(?:(?:les|des|de|d'|la|le)\s*)?")
"""What may stand between a comma and the next count of the same list (", et les 4 ...")."""

_PHRASE_BREAK = re.compile(r"[,;:()«».!?\n]")
"""Where a phrase ends for ``phrase_before``: any punctuation mark, a parenthesis or quote, a line break."""


@dataclass
class Segment:
    """The text a fact kind reads (folded, or original with its ``fold``), its sentences (sorted spans), the
    anchors of its kind (``stops``, in text order) and the heading line above, when the kind has one.

    ``in_place``: each window is searched in place in the whole text (``pattern.search(text, lo, hi)``), so a
    look-behind sees the character before the window; otherwise in the window cut out as a string, whose
    start is a text start (``^``). Dates write their word starts as look-behinds; counts anchor with ``^``.
    """

    folded: str
    sentences: list[Span]
    stops: Sequence[Stop] = field(default_factory=tuple)
    heading: Span | None = None
    fold: Callable[[str], str] | None = None
    in_place: bool = False

    def sentence(self, pos: int) -> Span:
        i = bisect.bisect_right(self.sentences, (pos, len(self.folded) + 1)) - 1
        return self.sentences[max(i, 0)]

    def before(self, pos: int) -> Span:
        """From the end of the previous stop (or the sentence start) to ``pos``."""
        start = self.sentence(pos)[0]
        ends = [q.end for q in self.stops if start <= q.start and q.end <= pos]
        return max([start, *ends]), pos

    def at(self, pos: int) -> str:
        """The rest of the sentence from ``pos``, for the cues anchored right after it (``^``)."""
        return self.folded[pos : self.sentence(pos)[1]]

    def subject(self, pos: int) -> Span:
        """The sentence before ``pos`` from its last ";": where the subject of the anchor's clause stands."""
        start = self.sentence(pos)[0]
        semicolon = self.folded.rfind(";", start, pos)
        return (semicolon + 1 if semicolon >= 0 else start), pos

    def clause_before(self, pos: int) -> Span:
        """From the last , ; or : of the sentence (not a decimal comma) to ``pos``."""
        start = self.sentence(pos)[0]
        return pos - len(_CLAUSE_BREAK.split(self.folded[start:pos])[-1]), pos

    def clause_after(self, pos: int) -> Span:
        """From ``pos`` to the end of its clause: , ; : . or the next stop, neither counted inside a
        parenthesised aside ("300 professionnels (dont 40 % de médecins) y exercent" goes on to its verb)."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        masked = _ASIDE.sub(lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", text)
        outside = [q.start - pos for q in self.stops if pos <= q.start < end and masked[q.start - pos] != "_"]
        cut = min([len(text), *outside])
        stop = re.search(r"[,;:.]", masked[:cut])
        return pos, pos + (stop.start() if stop else cut)

    def list_after(self, pos: int) -> Span:
        """From ``pos`` to the end of its clause, running on through a list of further stops."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        starts = [q.start - pos for q in self.stops if pos <= q.start < end]
        for boundary in re.finditer(r"[,;:.]", text):
            following = next((s for s in starts if s >= boundary.end()), None)
            if following is None or not _LIST_GLUE.fullmatch(text[boundary.end() : following]):
                return pos, pos + boundary.start()
        return pos, end

    def phrase_before(self, pos: int, reach: int) -> Span:
        """The ``reach`` characters before ``pos`` from the last punctuation mark or line break among them."""
        start = max(0, pos - reach)
        return max([start, *(m.end() for m in _PHRASE_BREAK.finditer(self.folded, start, pos))]), pos

    def nearest(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """A match of ``pattern`` in the sentence of ``start`` lies nearer to ``start:end`` than to any other stop."""
        lo, hi = self.sentence(start)
        for m in pattern.finditer(self.folded, lo, hi):
            first = min(self.stops, key=lambda q: max(0, m.start() - q.end, q.start - m.end()))
            if (first.start, first.end) == (start, end):
                return True
        return False


WINDOWS: dict[str, Callable[[Segment, int, int, int], Span]] = {
    "before": lambda s, start, end, n: s.before(start),
    "sentence_before": lambda s, start, end, n: (s.sentence(start)[0], start),
    "subject": lambda s, start, end, n: s.subject(start),
    "clause_before": lambda s, start, end, n: s.clause_before(start),
    "clause_after": lambda s, start, end, n: s.clause_after(end),
    "list_after": lambda s, start, end, n: s.list_after(end),
    "sentence_after": lambda s, start, end, n: (end, s.sentence(end)[1]),
    "sentence": lambda s, start, end, n: s.sentence(start),
    "heading": lambda s, start, end, n: s.heading or (start, start),
    "line_before": lambda s, start, end, n: (s.folded.rfind("\n", 0, start) + 1, start),
    "phrase_before": lambda s, start, end, n: s.phrase_before(start, n),
    "chars_before": lambda s, start, end, n: (max(0, start - n), start),
    "chars_after": lambda s, start, end, n: (end, end + n),
}
"""The windows around an anchor ``start:end`` a cue row may name, as spans of the segment's text
(``sentence_nearest`` aside: it is no span); ``n`` is the row's ``max_chars``, which the windows that reach
across sentences (``phrase_before``, ``chars_``) need to cut their span."""

_NEAREST = "sentence_nearest"
_BEFORE_WINDOWS = frozenset(
    {"before", "sentence_before", "subject", "clause_before", "line_before", "phrase_before", "chars_before"}
)
_REACH_WINDOWS = frozenset({"phrase_before", "chars_before", "chars_after"})
_WORD = re.compile(r"[a-z]+")


def window_span(segment: Segment, name: str, start: int, end: int, max_chars: int | None = None) -> Span:
    """The span of window ``name`` around the anchor, cut to the ``max_chars`` nearest the anchor."""
    lo, hi = WINDOWS[name](segment, start, end, max_chars or 0)
    if max_chars is not None:
        if name in _BEFORE_WINDOWS:
            lo = max(lo, hi - max_chars)
        else:
            hi = min(hi, lo + max_chars)
    return lo, hi


def _word_cut(text: str, max_words: int, before: bool) -> Span:
    """The part of ``text`` holding its ``max_words`` words (runs of a-z) nearest the anchor."""
    words = list(_WORD.finditer(text))
    if len(words) <= max_words:
        return 0, len(text)
    return (words[-max_words].start(), len(text)) if before else (0, words[max_words - 1].end())


def window_text(
    segment: Segment, name: str, start: int, end: int, max_chars: int | None = None, max_words: int | None = None
) -> str:
    """The text of window ``name`` around the anchor, cut to the ``max_chars`` nearest the anchor, folded, then
    cut to the ``max_words`` words (runs of a-z) nearest the anchor."""
    lo, hi = window_span(segment, name, start, end, max_chars)
    text = segment.folded[lo:hi]
    if segment.fold is not None:
        text = segment.fold(text)
    if max_words is None:
        return text
    cut = _word_cut(text, max_words, name in _BEFORE_WINDOWS)
    return text[cut[0] : cut[1]]


class Cue(NamedTuple):
    id: str
    pattern: re.Pattern[str] | Prefiltered
    windows: tuple[str, ...]
    max_chars: int | None
    max_words: int | None


class Rule(NamedTuple):
    id: str
    anchor: str
    when: tuple[str, ...]
    assign: str | None
    """None: the row excludes the anchor."""


class Matcher:
    """The cue rows (and rule rows, if any) of one fact kind, compiled once.

    ``prefiltered``: cue patterns are compiled ``Prefiltered`` (``pipeline.parse.prefilter``), for a kind that
    searches many cues in every sentence and finds none in most (mission commitments); same matches.
    """

    def __init__(
        self, cue_file: str, rule_file: str | None, pieces: dict[str, str], layouts: frozenset[str], prefiltered: bool = False
    ) -> None:
        rows = patterns.load(cue_file)
        pieces = dict(pieces)
        compile_cue = compile_prefiltered if prefiltered else re.compile
        for row in rows:
            if "piece" in row or "alternatives" in row:
                piece = row["piece"] if "piece" in row else "|".join(row["alternatives"])
                pieces[row["id"]] = patterns.compose(piece, pieces, f"{cue_file} piece {row['id']!r}")
        self.cues: dict[str, Cue] = {}
        for row in rows:
            if "pattern" not in row:
                continue
            unknown = set(row["window"]) - set(WINDOWS) - {_NEAREST} - layouts
            if unknown or not row["window"] or (_REACH_WINDOWS & set(row["window"]) and not row.get("max_chars")):
                raise ContextRuleError(f"{cue_file} row {row['id']!r}: unknown windows {sorted(unknown)} or no max_chars")
            own = {**pieces, "forms": patterns.alternation(row["forms"])} if "forms" in row else pieces
            pattern = compile_cue(patterns.compose(row["pattern"], own, f"{cue_file} row {row['id']!r}"))
            window = tuple(row["window"])
            self.cues[row["id"]] = Cue(row["id"], pattern, window, row.get("max_chars"), row.get("max_words"))
        self.layouts = layouts
        self.rules = tuple(self._rule(row) for row in patterns.load(rule_file)) if rule_file else ()

    def _rule(self, row: dict) -> Rule:
        when = tuple(row.get("when", ()))
        unknown = [name for name in when if name not in self.cues]
        if unknown or ("assign" in row) == bool(row.get("exclude")):
            raise ContextRuleError(f"rule {row['id']!r}: unknown cues {unknown} or not one of assign/exclude")
        return Rule(row["id"], row["anchor"], when, row.get("assign"))

    def pattern(self, name: str) -> re.Pattern[str] | Prefiltered:
        """The compiled pattern of cue ``name``, for a layout (label line, table cell) read by its own module."""
        try:
            return self.cues[name].pattern
        except KeyError:
            raise ContextRuleError(f"no cue {name!r}") from None

    def fires(self, segment: Segment, name: str, start: int, end: int) -> bool:
        """Whether cue ``name`` is found in one of its windows around the anchor ``start:end``."""
        cue = self.cues[name]
        for window in cue.windows:
            if window == _NEAREST:
                if segment.nearest(cue.pattern, start, end):
                    return True
            elif window in self.layouts:
                raise ContextRuleError(f"cue {name!r} is not read around an anchor (window {window!r})")
            elif segment.in_place:
                if self._in_place(segment, cue, window, start, end):
                    return True
            elif cue.pattern.search(window_text(segment, window, start, end, cue.max_chars, cue.max_words)):
                return True
        return False

    @staticmethod
    def _in_place(segment: Segment, cue: Cue, window: str, start: int, end: int) -> bool:
        lo, hi = window_span(segment, window, start, end, cue.max_chars)
        if cue.max_words is not None:
            cut = _word_cut(segment.folded[lo:hi], cue.max_words, window in _BEFORE_WINDOWS)
            lo, hi = lo + cut[0], lo + cut[1]
        return cue.pattern.search(segment.folded, lo, hi) is not None

    def spans(self, segment: Segment, name: str, start: int, end: int) -> list[Span]:
        """Where cue ``name`` matches in its windows around the anchor, in text offsets, for a rule that weighs a
        cue's position ("the last CPTS named before the date"); a segment with the text's offsets, no ``max_words``."""
        cue = self.cues[name]
        if segment.fold is not None or cue.max_words is not None or _NEAREST in cue.windows:
            raise ContextRuleError(f"cue {name!r}: no text offsets for its matches")
        found: list[Span] = []
        for window in cue.windows:
            lo, hi = window_span(segment, window, start, end, cue.max_chars)
            if segment.in_place:
                found += [m.span() for m in cue.pattern.finditer(segment.folded, lo, hi)]
            else:
                found += [(lo + m.start(), lo + m.end()) for m in cue.pattern.finditer(segment.folded[lo:hi])]
        return found

    def decide(self, segment: Segment, kind: str, start: int, end: int) -> Rule | None:
        """The first rule for an anchor of kind ``kind`` at ``start:end`` whose cues all fire, or None."""
        for rule in self.rules:
            if rule.anchor in ("*", kind) and all(self.fires(segment, name, start, end) for name in rule.when):
                return rule
        return None


@lru_cache(maxsize=None)
def matcher(
    cue_file: str,
    rule_file: str | None = None,
    pieces: tuple[tuple[str, str], ...] = (),
    layouts: tuple[str, ...] = (),
    prefiltered: bool = False,
) -> Matcher:
    """The matcher of one fact kind: the cues of ``cue_file``, the rules of ``rule_file``, extra named ``pieces``
    from the kind's other vocabularies, the ``layouts`` its own modules read, and whether its cues are compiled
    ``Prefiltered``. Built once per process."""
    return Matcher(cue_file, rule_file, dict(pieces), frozenset(layouts), prefiltered)
