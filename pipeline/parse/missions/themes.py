"""Care themes of this CPTS's project (santé mentale, insuffisance cardiaque, ...).

Themes are read where missions are (list items, sentences about this CPTS)
and in the paragraphs under a mission heading; their codes and the mission
each belongs to are the closed list of ``patterns/themes.jsonl``. A theme
named in a sentence about CPTS in general is not this CPTS's. The rule of a
theme is its row id.
"""

from __future__ import annotations

from pipeline.parse.missions.reading import Reading, is_generic
from pipeline.parse.missions.shapes import word_end
from pipeline.parse.missions.vocabulary import vocabulary
from pipeline.records import Theme


def themes_of(reading: Reading) -> list[Theme]:
    """One theme per code, at its first mention in the spans where themes are read."""
    text, folded, vocab = reading.text, reading.folded, vocabulary()
    first: dict[str, Theme] = {}
    cues = [cue for cue in vocab.themes if cue.regex.may_match(folded)]  # most texts name a few themes
    for start, end in sorted(set(reading.theme_spans)):
        if (anywhere := vocab.any_theme.search(folded, start, end)) is None:
            continue
        for cue in cues:
            if cue.theme in first and first[cue.theme].char_start <= start:
                continue  # nothing in this span can come before it
            # No cue matches before the first position where their alternation does: start the search there.
            match = next(
                (
                    m
                    for m in cue.regex.finditer(folded, anywhere.start(), end)
                    if not is_generic(_sentence_around(folded, m.start()))
                ),
                None,
            )
            if match is None:
                continue
            if cue.theme not in first or match.start() < first[cue.theme].char_start:
                end_of_word = word_end(folded, match.end())
                first[cue.theme] = Theme(
                    text=text[match.start() : end_of_word],
                    char_start=match.start(),
                    char_end=end_of_word,
                    rule=cue.id,
                    theme=cue.theme,
                    mission=cue.mission,
                )
    return sorted(first.values(), key=lambda t: t.char_start)


def _sentence_around(folded: str, pos: int) -> str:
    """The line-and-full-stop delimited sentence around ``pos`` (for the generic test)."""
    start = max(folded.rfind("\n", 0, pos), folded.rfind(". ", 0, pos)) + 1
    ends = [i for i in (folded.find("\n", pos), folded.find(". ", pos)) if i != -1]
    return folded[start : min(ends) if ends else len(folded)]
