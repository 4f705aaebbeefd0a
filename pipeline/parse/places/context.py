"""The context that gives a place its role: territory words, counts of communes, partitives, cues after a list.

Each cue is a row of ``pipeline/patterns/places_windows.jsonl`` read by the
one contextual matcher (``pipeline.parse.context``), so that every sub-rule
reads the same context the same way: a territory word in the sentence before
the place, a count or a partitive in the few characters before it, a verb
tying a list to the CPTS right after it. The segment is the original text,
each window folded once cut ("cœur" is one word), and the places' own
sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache

from pipeline.parse.context import Matcher, Segment, matcher
from pipeline.parse.places.vocab import cues, folded_cues, number_words
from pipeline.textnorm import fold


def sentence_start(sentence_starts: list[int], at: int) -> int:
    return sentence_starts[bisect_right(sentence_starts, at) - 1] if sentence_starts else 0


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    pieces = (
        ("territory", "|".join(re.escape(c) for c in sorted(folded_cues("territory")))),
        ("territory_after", "|".join(re.escape(c["text"]) for c in cues()["territory_after"])),
        ("partial", "|".join(re.escape(c) for c in sorted(folded_cues("partial")))),
        ("number_words", "|".join(re.escape(w) for w in sorted(number_words(), key=len, reverse=True))),
    )
    return matcher("places_windows", None, pieces)


@lru_cache(maxsize=4)
def _segment(text: str, sentence_starts: tuple[int, ...] = ()) -> Segment:
    ends = (*sentence_starts[1:], len(text))
    return Segment(text, list(zip(sentence_starts, ends)) or [(0, len(text))], fold=fold)


def territory_cue(text: str, sentence_starts: list[int], at: int, heads: list[re.Match[str]]) -> bool:
    """True when a territory word comes before ``at`` in its sentence (legal forms themselves excluded); an
    elided verb counts ("s'étend sur")."""
    segment = _segment(text, tuple(sentence_starts))
    start = sentence_start(sentence_starts, at)
    inside = [head.span() for head in heads if start <= head.start() and head.end() <= at]
    if inside:
        blanked = text
        for head_start, head_end in inside:
            blanked = blanked[:head_start] + " " * (head_end - head_start) + blanked[head_end:]
        segment = replace(segment, folded=blanked)
    return _matcher().fires(segment, "territory_before", at, at)


def other_subject(text: str, sentence_starts: list[int], at: int) -> str | None:
    """The ``places_windows.jsonl`` row that fires when the subject of the clause before ``at`` is another CPTS
    ("La CPTS voisine du Guiers couvre A, B et C", "la seconde, qui regroupe ...") or an establishment ("Le
    centre hospitalier couvre A, B et C"): the places after it are that body's, not this CPTS's territory."""
    segment = _segment(text, tuple(sentence_starts))
    return next((row for row in _SUBJECTS if _matcher().fires(segment, row, at, at)), None)


_SUBJECTS = ("other_cpts_subject", "establishment_subject")


def left_out(text: str, start: int, end: int) -> str | None:
    """The ``places_windows.jsonl`` row that fires when the list ``start:end`` is named as left out of the
    territory, whatever cue of territory its sentence holds: an exclusion right before it ("à l'exception de A
    et B", "hors A", "sauf A"), a negated verb right after it ("A et B ne font pas partie de la CPTS"), an
    extension only planned in its clause ("elle pourrait s'étendre en 2025 à A et B")."""
    cues = _matcher()
    segment = _segment(text)
    if cues.fires(segment, "excluded_before", start, start) or cues.fires(segment, "negated_after", end, end):
        return "excluded_before"
    return "planned_before" if cues.fires(segment, "planned_before", start, start) else None


def territory_after(text: str, at: int) -> bool:
    """True when the words right after a list at ``at`` tie it to the CPTS ("A, B et C font partie de la CPTS",
    "... composent son territoire"): the cue comes after the names, in the same clause."""
    return _matcher().fires(_segment(text), "territory_after", at, at)


def covered(text: str, sentence_starts: list[int], at: int) -> bool:
    """True when one town at ``at`` follows a covering verb whose clause has the CPTS as subject ("la CPTS couvre
    Mâcon et les communes de son agglomération"; not "l'hôpital couvre Mâcon")."""
    segment = _segment(text, tuple(sentence_starts))
    cues = _matcher()
    return cues.fires(segment, "covers_before", at, at) and cues.fires(segment, "cpts_subject_before", at, at)


def counted(text: str, at: int) -> bool:
    """True when a count stands right before ``at`` ("41 communes", "trois communautés de communes"):
    the communiqué is stating the make-up of the territory."""
    return _matcher().fires(_segment(text), "count_before", at, at)


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
    return _matcher().fires(_segment(text), "partial_before", at, at)


def after_epci_head(text: str, at: int) -> bool:
    """True for the "communes" of a legal form ("communauté de communes de X" is no commune list)."""
    return _matcher().fires(_segment(text), "epci_head_before", at, at)
