"""``ftfy.fix_encoding`` and ``ftfy.badness.is_bad``, answered without ftfy's big regex on text it cannot flag.

ftfy changes a text only when ``is_bad`` finds a match of ``BADNESS_RE`` (37
alternatives tried at every character: about 4 ms for a 9 kB communiqué).
Every alternative has a position that must be one character of a small set
(a currency sign, a C1 control, "Ã"...); the triggers (``_triggers``) are
the union of one such set per alternative, read from ftfy's own parsed
pattern, each chosen to hold as few ASCII, then usual French, characters as
possible. So a match holds a trigger, and lies within the pattern's widest
match of it: the regex runs only around the triggers (a few « » € É in a
communiqué). The pattern's sole assertion, ``^``, matches only at the start
of the text, as in a search from a later position. When the text may be
bad, ftfy itself decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ftfy
from ftfy.badness import BADNESS_RE

_FRENCH = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ’‘«»“”–—…€°•\xa0\u202f")
"""Characters of clean French text: after ASCII, the least preferred triggers (for speed only: any choice is exact)."""


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern, int] | None:
    """(a character class of the triggers, the widest match), or None when the pattern is not of the expected shape."""
    from re import _constants as c
    from re import _parser

    tree = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    if len(tree.data) != 1 or tree.data[0][0] is not c.BRANCH:
        return None
    chosen: set[str] = set()
    for branch in tree.data[0][1][1]:
        candidates = []
        for op, arg in branch.data:
            if op is c.AT and arg is not c.AT_BEGINNING:
                return None  # an assertion a windowed search could change
            if op is c.LITERAL:
                candidates.append({chr(arg)})
            elif op is c.IN and all(kind in (c.LITERAL, c.RANGE) for kind, _ in arg):
                chars = set()
                for kind, value in arg:
                    chars |= {chr(value)} if kind is c.LITERAL else set(map(chr, range(value[0], value[1] + 1)))
                candidates.append(chars)
            elif op not in (c.ANY, c.IN, c.MAX_REPEAT, c.AT):
                return None
        if not candidates:
            return None
        chosen |= min(candidates, key=lambda chars: (sum(map(str.isascii, chars)), len(chars & _FRENCH), len(chars)))
    widest = tree.getwidth()[1]
    return re.compile("[" + "".join(map(re.escape, sorted(chosen))) + "]"), widest


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, searching only near the characters a match must hold."""
    found = _triggers()
    if found is None:
        return ftfy.badness.is_bad(text)
    triggers, widest = found
    return any(BADNESS_RE.search(text, max(0, m.start() - widest), m.end() + widest) for m in triggers.finditer(text))


def fix_encoding(text: str) -> str:
    """``ftfy.fix_encoding(text)``: the text itself when ``is_bad`` finds nothing (ftfy then changes nothing)."""
    return ftfy.fix_encoding(text) if is_bad(text) else text
