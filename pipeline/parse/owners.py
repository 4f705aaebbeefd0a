"""Which CPTS a fact belongs to, in a communiqué that may be about several.

A document about one CPTS gives it every fact. A document about several
(see ``pipeline.parse.names.main_cpts``) is read as sections: a fact belongs
to the CPTS its own sentence names (the last named before it in the
sentence, else the first after it: "Anne Roux, présidente de la CPTS Sud
Lys, ..."), else to the CPTS named last before it. Two cases are shared by
all of them:

- a fact before the first CPTS is named (the introduction: "Le 17 novembre,
  l'ARS et la CPAM ont signé les contrats de trois nouvelles CPTS"),
- a fact in a sentence that speaks of them together ("les trois CPTS",
  "chacune des communautés"; ``patterns/ownership.jsonl``).

A sentence that states a total for all of them ("au total, 1,5 million
d'euros par an aux trois communautés") belongs to none: the total of several
CPTS is no one CPTS's figure, and splitting it would be a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from pipeline import patterns
from pipeline.records import CptsKey, CptsName
from pipeline.textnorm import fold_same_length

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    by_kind: dict[str, list[str]] = {}
    for row in patterns.load("ownership"):
        by_kind.setdefault(row["kind"], []).append(row["regex"])
    return {kind: re.compile("|".join(f"(?:{r})" for r in regexes)) for kind, regexes in by_kind.items()}


class Owners:
    """``owners(offset)`` is the tuple of CPTS keys a fact at ``offset`` belongs to."""

    def __init__(self, main: list[CptsName], mentions: list[CptsName], text: str):
        keys = {m.key for m in main}
        own = sorted((m.char_start, m.key) for m in mentions if m.key in keys)
        self._all = tuple(dict.fromkeys(m.key for m in main))
        self._starts = [start for start, _ in own]
        self._keys = [key for _, key in own]
        self._sentences = self._shared_sentences(text) if len(self._all) > 1 else []
        self._sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)] if len(self._all) > 1 else []

    @staticmethod
    def _shared_sentences(text: str) -> list[tuple[int, int, bool]]:
        """(start, end, is_total) of every sentence that speaks of several CPTS together."""
        folded = fold_same_length(text)
        cues = _cues()
        found = []
        start = 0
        for end in [m.end() for m in _SENTENCE_END.finditer(folded)] + [len(folded)]:
            sentence = folded[start:end]
            if cues["shared"].search(sentence):
                found.append((start, end, bool(cues["total"].search(sentence))))
            start = end
        return found

    def __call__(self, offset: int | None) -> tuple[CptsKey, ...]:
        if len(self._all) == 1 or offset is None:
            return self._all
        for start, end, is_total in self._sentences:
            if start <= offset < end:
                return () if is_total else self._all
        i = bisect_right(self._starts, offset)
        sentence_start, sentence_end = self._sentence_around(offset)
        if not (i and self._starts[i - 1] >= sentence_start) and i < len(self._starts):
            if self._starts[i] < sentence_end:
                return (self._keys[i],)
        return (self._keys[i - 1],) if i else self._all

    def _sentence_around(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence or line holding ``offset``."""
        j = bisect_right(self._sentence_ends, offset)
        start = self._sentence_ends[j - 1] if j else 0
        end = self._sentence_ends[j] if j < len(self._sentence_ends) else 1 << 31
        return start, end
