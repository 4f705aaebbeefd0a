"""Small text helpers shared by every stage: accent folding and word splitting.

They keep string lengths where it matters (``fold_same_length``) so offsets
found on a folded copy still point into the original text.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


class _Folding(dict):
    """``str.translate`` table of ``fold``: folds a character the first time it is seen, then remembers it.

    Folding is per character (a ligature expands, an accent goes, the rest is
    lower-cased), so a table filled on demand gives what folding the whole
    string gives, in C: a generator over every character of a document cost
    seconds per thousand documents in near-duplicate detection alone.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code).translate(_LIGATURES).translate(_APOSTROPHES)
        decomposed = unicodedata.normalize("NFKD", char)
        self[code] = folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        return folded


_FOLDING = _Folding()


def fold(text: str) -> str:
    """Lower-case, strip accents, expand ligatures (Cœur -> coeur) and unify apostrophes."""
    return text.translate(_FOLDING)


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


_DASHES_AND_SPACES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def vocab_key(text: str) -> str:
    """The key every vocabulary lookup uses on both sides: folded, dashes and spaces as one space.

    "Côte-d’Or", "Cote d'Or", "CÔTE‑D'OR" all give "cote d'or", so a name a
    regex matched in any spelling finds its entry (a lookup keyed by the raw
    match once crashed a whole run on a typographic apostrophe).
    """
    return _DASHES_AND_SPACES.sub(" ", fold(text)).strip()


class VocabDict(dict):
    """A dict keyed by ``vocab_key``: built from official names, looked up with any spelling."""

    def __init__(self, items=()):
        super().__init__((vocab_key(k), v) for k, v in dict(items).items())

    def __getitem__(self, name: str):
        return super().__getitem__(vocab_key(name))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(vocab_key(name))

    def get(self, name: str, default=None):
        return super().get(vocab_key(name), default)


def words(text: str) -> list[str]:
    """Folded alphanumeric words of ``text`` (punctuation and apostrophes separate)."""
    return re.findall(r"[a-z0-9]+", fold(text))
