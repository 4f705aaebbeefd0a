"""Compiled regexes that skip, with one ``str.find``, the spans they cannot match.

Why: the mission, theme and status rules search some 60 patterns in every
sentence, and most sentences hold none of them. A pattern that opens on
``\\b`` gives ``re`` no literal prefix to jump to, so each search tries the
pattern at every character of the span: some microseconds per sentence and
pattern, most of the missions component's time. A plain substring test is
some fifty times cheaper.

How: ``required_strings`` reads a pattern's parse tree for strings one of
which every match must contain ("prevention" for ``\\bprevention\\b``,
"crise" or "pandemie" for ``\\b(?:crises?|pandemies?)\\b``); ``Prefiltered``
runs the regex only on a span holding one of them. The test is exact, never
heuristic: a match consumes its required string inside ``pos:endpos``, so a
span without any cannot match, and results are the regex's own. Lookarounds,
``\\b``, character classes and optional parts require nothing; a pattern
with no required string, or too many to be worth testing, is always run.
A pattern that ignores case is tested on the text's ``str.lower()``, its
ASCII letters lowered ("communes de" for ``(?i)communes de``).
The rules themselves stay the rows of ``pipeline/patterns``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as sre  # the parse tree's opcodes (stable since Python 3.11)
from re import _parser

_MAX_STRINGS = 16
"""Past this many alternatives, testing each costs about what the regex itself does."""
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})
_MIN_HOP = 4
_ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})
_INLINE_IGNORECASE = re.compile(r"\(\?[a-zA-Z]*i")
CASE_TRAPS = frozenset("\u0130\u0131\u017f")
"""İ, ı, ſ: ``re`` matches them to i, I, s ignoring case, while ``str.lower()`` keeps them or turns İ into two
characters (the only such characters: ``tests/test_prefilter.py`` checks every code point)."""

Strings = tuple[str, ...]


def _char(op, arg, ignore_case: bool, lowered: bool) -> str | None:
    """The character a plain literal item matches in the searched text (lower-cased when ``lowered``), or None
    for any other item and for a letter matched ignoring case that ``lowered`` cannot vouch for."""
    if op is not sre.LITERAL or ignore_case and not (lowered and chr(arg).isascii()):
        return None
    return chr(arg).lower() if lowered else chr(arg)


def _group_case(arg: tuple, ignore_case: bool) -> bool:
    """Whether a group ``(?i:...)``/``(?-i:...)`` (``arg`` of a SUBPATTERN item) matches ignoring case."""
    _, add_flags, del_flags, _ = arg
    return (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE


def _required(items: list, ignore_case: bool, lowered: bool) -> Strings | None:
    """The most selective requirement of a sequence: a run of literal characters, or that of one of its items.

    ``lowered``: the strings are for ``str.lower()`` of the text, so a letter matched ignoring case counts
    too, when ASCII (``_lowered`` says why the others do not).
    """
    candidates: list[Strings] = []
    run = ""
    for op, arg in items:
        char = _char(op, arg, ignore_case, lowered)
        if char is not None:
            run += char
            continue
        if run:
            candidates.append((run,))
            run = ""
        found: Strings | None = None
        if op is sre.SUBPATTERN:
            found = _required(arg[3], _group_case(arg, ignore_case), lowered)
        elif op is sre.ATOMIC_GROUP:
            found = _required(arg, ignore_case, lowered)
        elif op is sre.BRANCH:
            branches = [_required(branch, ignore_case, lowered) for branch in arg[1]]
            if all(b is not None for b in branches):
                found = tuple(sorted({s for b in branches for s in b}))  # type: ignore[union-attr]
        elif op in _REPEATS and arg[0] >= 1:
            found = _required(arg[2], ignore_case, lowered)
        if found is not None:
            candidates.append(found)
    if run:
        candidates.append((run,))
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _leading(items: list, ignore_case: bool, lowered: bool) -> Strings | None:
    """Strings one of which every match of the sequence starts with (after zero-width ``\\b`` or lookarounds),
    read like ``_required``'s, or None."""
    run = ""
    for op, arg in items:
        char = _char(op, arg, ignore_case, lowered)
        if char is not None:
            run += char
            continue
        if run:
            return (run,)
        if op in _ZERO_WIDTH:
            continue
        if op is sre.SUBPATTERN:
            return _leading(arg[3], _group_case(arg, ignore_case), lowered)
        if op is sre.BRANCH:
            branches = [_leading(branch, ignore_case, lowered) for branch in arg[1]]
            if any(b is None for b in branches):
                return None
            return tuple(sorted({s for b in branches for s in b}))  # type: ignore[union-attr]
        if op in _REPEATS and arg[0] >= 1:
            return _leading(arg[2], ignore_case, lowered)
        return None
    return (run,) if run else None


def leading_strings(pattern: re.Pattern[str]) -> Strings | None:
    """Strings one of which every match of ``pattern`` starts with (lowered like ``required_strings``'), or None."""
    lowered = _ignores_case(pattern)
    found = _leading(list(_parser.parse(pattern.pattern, pattern.flags)), bool(pattern.flags & re.IGNORECASE), lowered)
    return found if found is not None and len(found) <= _MAX_STRINGS else None


def _ignores_case(pattern: re.Pattern[str]) -> bool:
    """The pattern matches some part ignoring case (its flags or an inline ``(?i)`` / ``(?i:...)``)."""
    return bool(pattern.flags & re.IGNORECASE or _INLINE_IGNORECASE.search(pattern.pattern))


def required_strings(pattern: re.Pattern[str]) -> Strings | None:
    """Strings one of which every match of ``pattern`` contains, or None when no short list is known; for a
    pattern that ignores case, strings that ``str.lower()`` of the text then contains."""
    lowered = _ignores_case(pattern)
    parsed = list(_parser.parse(pattern.pattern, pattern.flags))
    found = _required(parsed, bool(pattern.flags & re.IGNORECASE), lowered)
    return found if found is not None and len(found) <= _MAX_STRINGS else None


@lru_cache(maxsize=1)
def _lowered(text: str) -> str | None:
    """``text.lower()`` when it keeps every offset and every ASCII letter that ``re`` matches ignoring case, else
    None. It does unless the text holds one of ``CASE_TRAPS``, or a character that lowers to two."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) and CASE_TRAPS.isdisjoint(text) else None


class Prefiltered:
    """A compiled regex (same ``search`` / ``finditer`` / ``match`` / ``fullmatch``) run only on spans that hold
    one of its ``required_strings``, and from the first place one of its ``leading_strings`` stands: no match
    starts before it, and ``re`` reads the text before ``pos`` for ``\\b`` and look-behinds as it would
    have from ``pos``."""

    __slots__ = ("regex", "pattern", "needs", "leads", "lowered", "hops")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.needs = required_strings(regex)
        self.leads = leading_strings(regex)
        self.lowered = _ignores_case(regex)
        self.hops = self.leads is not None and min(map(len, self.leads)) >= _MIN_HOP
        """Whether ``search`` tries the regex only where a leading string stands: not for short, frequent ones
        ("le"), where ``re``'s own scan is cheaper than a try at each of their places."""

    def may_match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """False when ``text[pos:endpos]`` holds none of the required strings, so no match can be there."""
        return self._first_start(text, pos, endpos) is not None

    def _haystack(self, text: str) -> str | None:
        """The text the strings are looked for in: ``text``, its lowered form, or None when that cannot be used."""
        return _lowered(text) if self.lowered else text

    def _first_start(self, text: str, pos: int, endpos: int) -> int | None:
        """Where a match may first start in ``text[pos:endpos]``, None when no match can be there."""
        if self.needs is None and self.leads is None or (haystack := self._haystack(text)) is None:
            return pos
        if self.needs is not None:
            for needed in self.needs:  # a loop, not any(): this runs for every pattern and span
                if haystack.find(needed, pos, endpos) >= 0:
                    break
            else:
                return None
        return pos if self.leads is None else _next(haystack, self.leads, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """The regex's ``search``: its match at the first place a leading string stands where it matches."""
        start = self._first_start(text, pos, endpos)
        if start is None:
            return None
        if not self.hops or (haystack := self._haystack(text)) is None:
            return self.regex.search(text, start, endpos)
        at: int | None = start
        while at is not None:
            if (found := self.regex.match(text, at, endpos)) is not None:
                return found
            at = _next(haystack, self.leads, at + 1, endpos)  # type: ignore[arg-type]
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        start = self._first_start(text, pos, endpos)
        return iter(()) if start is None else self.regex.finditer(text, start, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos, endpos)


def _next(haystack: str, strings: Strings, pos: int, endpos: int) -> int | None:
    """The first place one of ``strings`` starts in ``haystack[pos:endpos]``, if any."""
    starts = [at for s in strings if (at := haystack.find(s, pos, endpos)) >= 0]
    return min(starts) if starts else None


def compile_prefiltered(pattern: str) -> Prefiltered:
    """``re.compile(pattern)``, prefiltered."""
    return Prefiltered(re.compile(pattern))
