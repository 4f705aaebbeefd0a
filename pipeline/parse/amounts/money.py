"""Sums of money written in a communiqué: a number and a currency, possibly through a magnitude.

A sum is a number in digits ("116 250", "1.050.000", "1,5") or words ("deux
millions") followed by a currency ("€", "euros", "EUR"), possibly through a
magnitude ("250 k€", "1,5 M€", "1,2 million d'euros"); rarely the currency
comes first ("€ 50 000"). Units are data (``patterns/money_units.jsonl``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import patterns
from pipeline.parse.numbers import NUMBER_PATTERN, number_words, parse_number


@dataclass(frozen=True, slots=True)
class Money:
    """A sum found in the folded text, its value in euros (rounded)."""

    start: int
    end: int
    value: int


def _word(form: str) -> str:
    """A literal form that, ending in a letter, must end a word ("k" of "k€", not of "kilomètres")."""
    return re.escape(form) + (r"(?![a-z])" if form[-1:].isalpha() else "")


@lru_cache(maxsize=1)
def _units() -> tuple[str, dict[str, int]]:
    """Currency alternation and magnitude factors from ``money_units.jsonl``."""
    rows = patterns.load("money_units")
    currency = [form for row in rows if row["kind"] == "currency" for form in row["forms"]]
    factors = {form: row["factor"] for row in rows if row["kind"] == "magnitude" for form in row["forms"]}
    return patterns.alternation(currency, _word), factors


@lru_cache(maxsize=1)
def _money_regex() -> re.Pattern[str]:
    """Number (digits, magnitude or words) then currency; or currency then digits.

    Before a magnitude a point with one or two digits is a decimal point ("1.2 million d'euros", "1.5 M€"),
    not a thousands separator; number words right after digits the regex could not read ("1.2 million")
    are not a sum on their own.
    """
    currency, factors = _units()
    magnitude = patterns.alternation(factors, _word)
    word = patterns.alternation(number_words(), _word)
    words = rf"(?:{word})(?:[ -](?:et[ -])?(?:{word}))*"
    decimal_point = rf"\d+\.\d{{1,2}}(?=\s*(?:{magnitude})\s*(?:{currency})|\s+(?:millions?|milliards?)(?![a-z]))"
    return re.compile(
        rf"(?<![\w,.])(?:(?P<digits>{decimal_point}|{NUMBER_PATTERN})"
        rf"(?:\s*(?P<mag>{magnitude})|\s+(?P<magw>millions?|milliards?|mille)(?![a-z]))?"
        rf"|(?<![\d.,]\s)(?P<words>{words}))\s*(?:d')?\s*(?:{currency})"
        rf"|(?<!\w)(?:€|eur(?![a-z]))\s?(?P<after>{NUMBER_PATTERN})(?![\d,.]|\s*(?:\d|{magnitude}|{currency}|mill))"
    )


def find_money(folded: str) -> list[Money]:
    """Every sum of money written in the text, with its value in euros (rounded)."""
    _, factors = _units()
    found = []
    for match in _money_regex().finditer(folded):
        digits = match["digits"]
        if digits and re.fullmatch(r"\d+\.\d{1,2}", digits):
            digits = digits.replace(".", ",")
        if match["after"]:
            value = parse_number(match["after"])
        elif match["words"]:
            value = parse_number(match["words"])
        elif match["mag"]:
            head = parse_number(digits)
            value = head * factors[match["mag"]] if head is not None else None
        elif match["magw"]:
            value = parse_number(f"{digits} {match['magw']}")
        else:
            value = parse_number(digits)
        if value is not None:
            found.append(Money(match.start(), match.end(), round(value)))
    return found


