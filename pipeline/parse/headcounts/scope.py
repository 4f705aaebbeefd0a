"""Quantities and the text windows around them, in which the cues of ``count_cues.jsonl`` are searched.

A quantity is a number in digits ("5 000") or words ("deux cents"), or a
collective noun ("une centaine de", "une petite centaine de"), possibly with
a quantifier of ``patterns/quantifiers.jsonl`` before it ("près de" ->
approx, "plus de" -> at_least, "jusqu'à" -> at_most) or after its noun
("120 adhérents environ").

Every window is a slice of the folded text (same offsets as the text) cut
around an *anchor*, the span of a count: its number and, when it has one,
its noun. The names a cue row's ``window`` may hold are the keys of
``WINDOWS``; they are the only places context is read from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, NamedTuple

from spacy.tokens import Doc

from pipeline import patterns
from pipeline.parse.numbers import (
    NUMBER_PATTERN,
    approx_nouns,
    collective_adjectives,
    number_words,
    parse_approx_noun,
    parse_number,
)
from pipeline.parse.segment import doc_text, folded_text, sentence_bounds
from pipeline.records import Qualifier
from pipeline.textnorm import fold

Doc.set_extension("count_scope", default=None, force=True)


class Quantity(NamedTuple):
    """A number found in folded text: ``start`` includes its quantifier, ``end`` is where its noun may begin."""

    start: int
    end: int
    value: int
    qualifier: Qualifier


def _phrase_regex(phrase: str, sep: str) -> str:
    """A folded phrase as a regex followed by ``sep``: '-' or ' ' match any spacing; a final ' de' also matches "d'"."""
    folded = fold(phrase)
    elided = folded.endswith(" de")
    if elided:
        folded = folded[: -len(" de")]
    body = "[ -]+".join(re.escape(w) for w in re.split(r"[ -]+", folded))
    return body + (r"(?: +de +| +d')" if elided else sep)


def _quantifier_groups(rows: list[dict], sep: str) -> str:
    """One named group per qualifier (``q_approx``...), its phrases longest first, each followed by ``sep``."""
    by_qualifier: dict[str, list[str]] = {}
    for row in rows:
        by_qualifier.setdefault(row["qualifier"], []).append(_phrase_regex(row["phrase"], sep))
    return "|".join(f"(?P<q_{q}>{'|'.join(sorted(alts, key=len, reverse=True))})" for q, alts in by_qualifier.items())


def _qualifier_of(m: re.Match) -> Qualifier | None:
    return next((k[2:] for k, v in m.groupdict().items() if k.startswith("q_") and v), None)


@lru_cache(maxsize=1)
def _quantity_regex() -> re.Pattern:
    quantifier = _quantifier_groups([row for row in patterns.load("quantifiers") if not row.get("after")], " +")
    words = sorted(number_words(), key=len, reverse=True)
    starts = "|".join(w for w in words if w not in ("un", "une", "zero"))
    anyword = "|".join(words)
    in_words = rf"(?:{starts})(?:[ -](?:et[ -])?(?:{anyword}))*(?![a-z])"
    collective = "|".join(sorted(approx_nouns(), key=len, reverse=True))
    adjective = "|".join(sorted(collective_adjectives(), key=len, reverse=True))
    approx = rf"(?P<approx>une? +(?:(?:{adjective}) +)?(?:{collective}))(?: +de +| +d'|(?= *[.;]? *(?:\n|$)))"
    digits = rf"(?<![\d.,])(?P<digits>{NUMBER_PATTERN})(?![\d])"
    return re.compile(rf"(?<!\w)(?:{quantifier})?(?:{approx}|{digits}|(?P<words>{in_words}))")


def find_quantities(folded: str) -> list[Quantity]:
    """Every whole, positive quantity of ``folded`` (see ``fold_same_length``), in order."""
    found = []
    for m in _quantity_regex().finditer(folded):
        if m.group("approx"):
            value = parse_approx_noun(m.group("approx"))
        else:
            value = parse_number(m.group("digits") or m.group("words"))
        if not value or value != int(value):
            continue
        qualifier = _qualifier_of(m)
        if qualifier is None:
            qualifier = "approx" if m.group("approx") else "exact"
        found.append(Quantity(m.start(), m.end(), int(value), qualifier))
    return found


_ASIDE = re.compile(r"\([^()\n]*\)")
"""A parenthesised aside inside a clause."""

_CLAUSE_BREAK = re.compile(r"[;:]|,(?!\d)")
"""Where a clause ends: ; : or a comma that is not a decimal comma ("9,6 %")."""

_LIST_GLUE = re.compile(r"\s*(?:(?:et|ou|ainsi que|puis)\s+)?(?:(?:les|des|de|d'|la|le)\s*)?")
"""What may stand between a comma and the next count of the same list (", et les 4 ...")."""


@dataclass
class Scope:
    """A document's text, its folded copy (same offsets), sentences and quantities: the windows cues are searched in."""

    text: str
    folded: str
    sentences: list[tuple[int, int]]
    quantities: list[Quantity]

    @classmethod
    def of(cls, doc: Doc) -> Scope:
        """The scope of ``doc``, built once per Doc: figures and headcounts both read it."""
        if doc._.count_scope is None:
            folded = folded_text(doc)
            doc._.count_scope = cls(doc_text(doc), folded, sentence_bounds(doc), find_quantities(folded))
        return doc._.count_scope

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, (pos, len(self.text) + 1)) - 1
        return self.sentences[max(i, 0)]

    def before(self, pos: int) -> str:
        """From the end of the previous quantity (or the sentence start) to ``pos``."""
        start = self.sentence(pos)[0]
        ends = [q.end for q in self.quantities if start <= q.start and q.end <= pos]
        return self.folded[max([start, *ends]) : pos]

    def at(self, pos: int) -> str:
        """The rest of the sentence from ``pos``, for the cues anchored right after a number (``^``)."""
        return self.folded[pos : self.sentence(pos)[1]]

    def sentence_before(self, pos: int) -> str:
        return self.folded[self.sentence(pos)[0] : pos]

    def subject(self, pos: int) -> str:
        """The sentence before ``pos`` from its last ";": where the subject of the count's clause stands."""
        return self.sentence_before(pos).split(";")[-1]

    def clause_before(self, pos: int) -> str:
        """From the last , ; or : of the sentence (not a decimal comma) to ``pos``."""
        return _CLAUSE_BREAK.split(self.sentence_before(pos))[-1]

    def clause_after(self, pos: int) -> str:
        """From ``pos`` to the end of its clause: , ; : . or the next quantity, neither counted inside a
        parenthesised aside ("300 professionnels (dont 40 % de médecins) y exercent" goes on to its verb)."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        masked = _ASIDE.sub(lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", text)
        outside = [q.start - pos for q in self.quantities if pos <= q.start < end and masked[q.start - pos] != "_"]
        cut = min([len(text), *outside])
        stop = re.search(r"[,;:.]", masked[:cut])
        return text[: stop.start() if stop else cut]

    def list_after(self, pos: int) -> str:
        """From ``pos`` to the end of its clause, running on through a list of further counts."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        starts = [q.start - pos for q in self.quantities if pos <= q.start < end]
        for boundary in re.finditer(r"[,;:.]", text):
            following = next((s for s in starts if s >= boundary.end()), None)
            if following is None or not _LIST_GLUE.fullmatch(text[boundary.end() : following]):
                return text[: boundary.start()]
        return text


WINDOWS: dict[str, Callable[[Scope, int, int], str]] = {
    "before": lambda s, start, end: s.before(start),
    "sentence_before": lambda s, start, end: s.sentence_before(start),
    "subject": lambda s, start, end: s.subject(start),
    "clause_before": lambda s, start, end: s.clause_before(start),
    "after": lambda s, start, end: s.clause_after(end),
    "list_after": lambda s, start, end: s.list_after(end),
    "at": lambda s, start, end: s.at(end),
}
"""The windows around an anchor ``start:end`` a cue row may name; windows ending at the anchor come first."""

_BEFORE_WINDOWS = frozenset({"before", "sentence_before", "subject", "clause_before"})


def window_text(scope: Scope, name: str, start: int, end: int, max_chars: int | None = None) -> str:
    """The text of window ``name`` around the anchor, cut to the ``max_chars`` nearest the anchor."""
    text = WINDOWS[name](scope, start, end)
    if max_chars is None:
        return text
    return text[-max_chars:] if name in _BEFORE_WINDOWS else text[:max_chars]


@lru_cache(maxsize=1)
def _postposed_regex() -> re.Pattern:
    rows = [row for row in patterns.load("quantifiers") if row.get("after")]
    return re.compile(rf" +(?:{_quantifier_groups(rows, '')})(?![a-z])")


def postposed(scope: Scope, q: Quantity, end: int) -> tuple[Qualifier, int]:
    """The qualifier of ``q`` and the end of its evidence, with a quantifier after the noun ("120 adhérents environ")."""
    m = _postposed_regex().match(scope.folded, end)
    if q.qualifier != "exact" or not m:
        return q.qualifier, end
    return _qualifier_of(m) or q.qualifier, m.end()
