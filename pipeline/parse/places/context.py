"""The context that gives a place its role: territory words, counts of communes, partitives, cues after a list.

Each window is a row of ``pipeline/patterns/places_windows.jsonl`` read here
once, so that every sub-rule reads the same context the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from pipeline.parse.places.vocab import cues, folded_cues, number_words, window
from pipeline.textnorm import fold


def sentence_start(sentence_starts: list[int], at: int) -> int:
    return sentence_starts[bisect_right(sentence_starts, at) - 1] if sentence_starts else 0


def territory_cue(text: str, sentence_starts: list[int], at: int, heads: list[re.Match[str]]) -> bool:
    """True when a territory word comes before ``at`` in its sentence (legal forms themselves excluded); an
    elided verb counts ("s'étend sur")."""
    start = sentence_start(sentence_starts, at)
    before = text[start:at]
    for head in heads:
        if start <= head.start() < at:
            before = before.replace(head.group(), " ")
    words = folded_cues("territory")
    return any(w.startswith(c) for w in re.findall(r"[a-z]+", fold(before)) for c in words)


def territory_after(text: str, at: int) -> bool:
    """True when the words right after a list at ``at`` tie it to the CPTS ("A, B et C font partie de la CPTS",
    "... composent son territoire"): the cue comes after the names, in the same clause."""
    after = fold(text[at : at + window("after_chars")])
    verbs = "|".join(re.escape(c["text"]) for c in cues()["territory_after"])
    return bool(re.match(rf"\s*(?:{verbs})\b[^.;:\n]{{0,{window('after_reach_chars')}}}?\b(?:cpts|territoire|communaute)\b", after))


def counted(text: str, at: int) -> bool:
    """True when a count stands right before ``at`` ("41 communes", "trois communautés de communes"):
    the communiqué is stating the make-up of the territory."""
    before = re.search(r"([\w'’]+)\s+$", text[max(0, at - window("count_chars")) : at])
    return bool(before) and (before[1].isdigit() or fold(before[1]) in number_words())


@lru_cache(maxsize=1)
def commune_counts(text: str) -> frozenset[int]:
    """The numbers of communes the text states ("41 communes", "les quatre communes comptent").

    A list of towns read in passing ("les soignants de A, B, C et D") that has
    exactly as many names as the text gives communes is the territory. Kept
    for the last text: ``prose`` and ``lists`` both ask.
    """
    numbers = number_words()
    out = set()
    for m in re.finditer(r"(?<![\w-])([\w]+)\s+communes(?![\w-])", text):
        word = fold(m[1])
        if word.isdigit() or word in numbers:
            out.add(int(word) if word.isdigit() else numbers[word])
    return frozenset(out)


def partial(text: str, at: int) -> bool:
    """True when the few words before ``at`` take only part of what follows ("une partie de la métropole",
    "certaines communes de la communauté de communes"): expanding it would add communes outside the territory."""
    before = re.findall(r"[a-z]+", fold(text[max(0, at - window("partial_chars")) : at]))[-window("partial_words") :]
    return bool(folded_cues("partial") & set(before))


def after_epci_head(text: str, at: int) -> bool:
    """True for the "communes" of a legal form ("communauté de communes de X" is no commune list)."""
    return bool(re.search(r"(?i:communautés?\s+de\s+)$", text[max(0, at - 30) : at]))
