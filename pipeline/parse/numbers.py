"""French numbers as written in press releases: digits and words.

``parse_number`` turns "116 250", "1.050.000", "1,2", "deux cents",
"quatre-vingt-dix" or "1,2 million" into a value; ``parse_approx_noun``
reads the collective nouns "une centaine", "une petite cinquantaine". Both return
None rather than guess. ``NUMBER_PATTERN`` is the regex (on folded text) that
finds a number written in digits, with spaces, dots or non-breaking spaces
as thousands separators and a decimal comma.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import patterns
from pipeline.textnorm import fold

NUMBER_PATTERN = r"\d{1,3}(?:[  .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
"""Digits with optional thousands groups ("1 050 000", "1.050.000") and a decimal comma."""

_DIGITS = re.compile(rf"^(?:{NUMBER_PATTERN})$")


@lru_cache(maxsize=1)
def _words() -> dict[str, dict]:
    return {row["word"]: row for row in patterns.load("number_words")}


def number_words() -> frozenset[str]:
    """Every cardinal number word (folded), for building regexes and matchers."""
    return frozenset(w for w, row in _words().items() if not row.get("approx") and not row.get("adjective"))


def collective_adjectives() -> frozenset[str]:
    """Adjectives that may qualify a collective noun ("une petite centaine"): still approximate."""
    return frozenset(w for w, row in _words().items() if row.get("adjective"))


def approx_nouns() -> frozenset[str]:
    """The collective nouns that mean "about N" (dizaine, centaine, millier...)."""
    return frozenset(w for w, row in _words().items() if row.get("approx"))


def _parse_digits(text: str) -> float | None:
    text = text.strip()
    if not _DIGITS.match(text):
        return None
    integer, _, decimals = text.partition(",")
    integer = re.sub(r"[  .]", "", integer)
    return float(f"{integer}.{decimals}") if decimals else float(integer)


def _parse_words(tokens: list[str]) -> float | None:
    """Cardinal words: "deux cent cinquante mille", "quatre vingt dix", "vingt et un"."""
    table = _words()
    total = 0.0
    current = 0.0
    seen = False
    for token in tokens:
        if token == "et":
            continue
        row = table.get(token)
        if row is None or row.get("approx"):
            return None
        value = row["value"]
        seen = True
        if value == 100:
            current = (current or 1) * 100
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        elif value == 20 and current and current % 100 in (4,):
            current = current - 4 + 80
        else:
            current += value
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, words, or digits followed by a magnitude word.

    >>> parse_number("1 050 000"), parse_number("1,2 million"), parse_number("deux cents")
    (1050000.0, 1200000.0, 200.0)
    """
    folded = fold(text).strip()
    if not folded:
        return None
    direct = _parse_digits(folded)
    if direct is not None:
        return direct
    tokens = [t for t in re.split(r"[\s\-]+", folded) if t]
    head = _parse_digits(tokens[0])
    if head is not None:
        rest = _parse_words(tokens[1:])
        if rest is None or rest < 1000 or len(tokens) > 3:
            return None
        return head * rest
    return _parse_words(tokens)


def parse_approx_noun(text: str) -> float | None:
    """ "une centaine" -> 100, "une petite centaine" -> 100, "plusieurs dizaines" -> None (no count given)."""
    tokens = fold(text).split()
    if len(tokens) == 3 and tokens[1] in collective_adjectives():
        tokens = [tokens[0], tokens[2]]
    if len(tokens) != 2 or tokens[0] not in ("une", "un"):
        return None
    row = _words().get(tokens[1])
    return float(row["value"]) if row and row.get("approx") and not row.get("plural") else None
