"""Small text helpers shared by every stage: accent folding and word splitting.

They keep string lengths where it matters (``fold_same_length``) so offsets
found on a folded copy still point into the original text.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def fold(text: str) -> str:
    """Lower-case, strip accents, expand ligatures (Cœur -> coeur) and unify apostrophes."""
    text = text.translate(_LIGATURES).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class _SameLengthFolding(dict):
    """``str.translate`` table of ``fold_same_length``: folds a character the first time it is seen, then remembers it.

    Folding is the hottest text operation of the parse stage (several times per
    document); a per-character Python loop cost half of all parse time, a
    translate with this table runs in C for every character already seen.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFKD", char.translate(_APOSTROPHES))
        base = "".join(b for b in base if not unicodedata.combining(b)) or char
        lower = base[0].lower()
        self[code] = folded = lower if len(lower) == 1 else char
        return folded


_SAME_LENGTH = _SameLengthFolding()


def fold_same_length(text: str) -> str:
    """Like ``fold`` but one output character per input character (a ligature stays one: œ is kept, ﬁ -> f).

    Use it to run accent-insensitive regexes whose match offsets must be valid
    in the original text.
    """
    return text.translate(_SAME_LENGTH)


def words(text: str) -> list[str]:
    """Folded alphanumeric words of ``text`` (punctuation and apostrophes separate)."""
    return re.findall(r"[a-z0-9]+", fold(text))
