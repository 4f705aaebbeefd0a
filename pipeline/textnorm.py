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


def fold_same_length(text: str) -> str:
    """Like ``fold`` but one output character per input character (œ -> o).

    Use it to run accent-insensitive regexes whose match offsets must be valid
    in the original text.
    """
    out = []
    for c in text:
        base = unicodedata.normalize("NFKD", c.translate(_APOSTROPHES))
        base = "".join(b for b in base if not unicodedata.combining(b)) or c
        out.append(base[0].lower() if len(base[0].lower()) == 1 else c)
    return "".join(out)


def words(text: str) -> list[str]:
    """Folded alphanumeric words of ``text`` (punctuation and apostrophes separate)."""
    return re.findall(r"[a-z0-9]+", fold(text))
