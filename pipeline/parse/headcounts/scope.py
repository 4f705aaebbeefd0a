"""Quantities and the text windows around them, in which the cues of ``count_cues.jsonl`` are searched.

A quantity is a number in digits ("5 000") or words ("deux cents"), or a
collective noun ("une centaine de", "une petite centaine de"), possibly with
a quantifier of ``patterns/quantifiers.jsonl`` before it ("près de" ->
approx, "plus de" -> at_least, "jusqu'à" -> at_most) or after its noun
("120 adhérents environ").

The windows cues are read in are those of the one contextual matcher
(``pipeline.parse.context``), cut around an *anchor*, the span of a count:
its number and, when it has one, its noun; the quantities are the stops
that end ``before`` and ``clause_after``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc

from pipeline import patterns
from pipeline.parse.context import Segment
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
    starts = patterns.alternation((w for w in number_words() if w not in ("un", "une", "zero")), str)
    anyword = patterns.alternation(number_words(), str)
    in_words = rf"(?:{starts})(?:[ -](?:et[ -])?(?:{anyword}))*(?![a-z])"
    collective = patterns.alternation(approx_nouns(), str)
    adjective = patterns.alternation(collective_adjectives(), str)
    # "une centaine de", or alone at a line's end, or before "à avoir rejoint" (the elided noun's predicate)
    approx = (
        rf"(?P<approx>une? +(?:(?:{adjective}) +)?(?:{collective}))"
        rf"(?: +de +| +d'|(?= *[.;]? *(?:\n|$))|(?= +a +(?:avoir|s'etre) ))"
    )
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


class Scope(Segment):
    """A document's text, its folded copy (same offsets), sentences and quantities: the segment count cues read,
    the quantities being its stops (``pipeline.parse.context``)."""

    def __init__(self, text: str, folded: str, sentences: list[tuple[int, int]], quantities: list[Quantity]) -> None:
        super().__init__(folded, sentences, quantities)
        self.text = text
        self.quantities = quantities

    @classmethod
    def of(cls, doc: Doc) -> Scope:
        """The scope of ``doc``, built once per Doc: figures and headcounts both read it."""
        if doc._.count_scope is None:
            folded = folded_text(doc)
            doc._.count_scope = cls(doc_text(doc), folded, sentence_bounds(doc), find_quantities(folded))
        return doc._.count_scope


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
