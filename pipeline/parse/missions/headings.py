"""Missions named by a heading or bullet of this CPTS's project.

- A heading or bullet that starts with an action ("Développer des actions
  territoriales de prévention", "Mieux organiser le retour à domicile",
  "• Faciliter l'accès à un médecin traitant : ..."). Rule
  ``mission_action_heading``.
- A bare mission heading ("ACCÈS AUX SOINS") over a paragraph that starts on
  this CPTS ("La CPTS ...", "Elle ..."). Rule ``mission_topic_heading``.

A heading about CPTS in general ("Les CPTS ont l'obligation d'établir un
plan de crise") assigns nothing. The paragraphs under a mission heading are
read for themes.
"""

from __future__ import annotations

from pipeline.parse.missions.reading import Reading, is_generic, missions_in, status_of
from pipeline.parse.missions.shapes import ARTICLE, ends_section, heading, n_words, next_line, run_on
from pipeline.parse.missions.vocabulary import vocabulary

_MAX_TOPIC_WORDS = 5
"""A bare mission heading ("Accès aux soins", "PRÉVENTION") is this short."""


def read_headings(reading: Reading, consumed: set[int]) -> None:
    """Action and topic headings outside the lines the list rules consumed."""
    folded = reading.folded
    section_start: int | None = None
    for i, (start, end) in enumerate(reading.lines):
        if section_start is not None and ends_section(folded, start, end):
            reading.theme_spans.append((section_start, start))
            section_start = None
        if i in consumed:
            continue
        head = heading(folded, start, end)
        if head is None:
            continue
        context = (
            "mission_action_heading"
            if _is_action_heading(folded, *head)
            else "mission_topic_heading"
            if _is_topic_heading(reading, i, *head)
            else None
        )
        if context is None:
            continue
        head_start, head_end, _ = head
        if is_generic(folded[start:end]) or not missions_in(folded, head_start, head_end, headings=True):
            continue
        reading.emit(head_start, head_end, status_of(folded, start, end), headings=True, context=context)
        if section_start is None:
            section_start = start
    if section_start is not None:
        reading.theme_spans.append((section_start, len(folded)))


def _is_action_heading(folded: str, start: int, end: int, bulleted: bool) -> bool:
    """Starts with an action ("Développer ...") or, for a bullet, with one after an article
    ("• L'amélioration de ...") or with a mission name ("• Prévention des chutes")."""
    lead = vocabulary().lead
    if lead.match(folded, start, end):
        return True
    if not bulleted:
        return False
    article = ARTICLE.match(folded, start, end)
    head = article.end() if article else start
    if lead.match(folded, head, end):
        return True
    return any(m.start == head for m in missions_in(folded, start, end, headings=True))


def _is_topic_heading(reading: Reading, i: int, start: int, end: int, bulleted: bool) -> bool:
    """A short heading that opens on a mission name ("Accès aux soins") over a paragraph that starts
    on this CPTS ("La CPTS organise ...", "Elle ..."), or over the rest of its own line ("Accès aux soins — la
    CPTS a réorienté 600 patients"); the tag line of a release over its title is not one."""
    folded = reading.folded
    if bulleted or n_words(folded[start:end]) > _MAX_TOPIC_WORDS:
        return False
    article = ARTICLE.match(folded, start, end)
    head = article.end() if article else start
    if not any(m.start == head for m in missions_in(folded, start, end, headings=True)):
        return False
    following = run_on(folded, end, reading.lines[i][1]) or next_line(folded, reading.lines, i)
    return following is not None and bool(vocabulary().topic_follow.match(folded, *following))
