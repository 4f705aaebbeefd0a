"""Missions in running text: sentences about this CPTS's project, actions, objectives, priorities.

A sentence assigns the missions it names when it speaks of this CPTS and
commits it to something:

- it names this CPTS ("la CPTS", "CPTS des Monts", "la communauté", "ses
  premières actions", "son projet de santé", "les groupes de travail"), not
  CPTS in general ("les CPTS", "une CPTS"); or it continues a sentence that
  did ("Elle ...", "Ses priorités ..."); or it is quoted from one of its
  officers ("..., explique Anne Roux, coordinatrice de la CPTS": "nous" and
  "notre" in that quotation are this CPTS); or it says "nous" in a text
  written by this CPTS (one that says "notre CPTS") or in an interview of
  one of its officers; elsewhere a "nous" outside quotations is someone
  else's (the interviewed mayor, the magazine);
- a commitment cue fires (``commit.*`` rows of ``mission_cues.jsonl``:
  "s'engage", "a retenu", "souhaite", "compte accueillir", "travaille sur",
  "porte sur", "objectifs", "priorités", "développer"...), and the body
  acting for it is this CPTS, not another one acting as the subject ("L'ARS
  s'engage, aux côtés de la CPTS, à ..." gives nothing; "Avec l'appui de
  l'ARS, la CPTS s'engage à ..." gives the mission): rows of
  ``mission_rules.jsonl`` read by the contextual matcher (``commitment``).
  Rule: the commitment cue's id.

A sentence that calls a mission socle or optionnelle gives it with that
status (rule ``mission_status_sentence``). Such a sentence may be about CPTS
in general ("Une des missions socles des CPTS consiste à ...") and still holds
for this one when the mission is socle: every contract has the socle
missions. A sentence that is not about CPTS in general gives every mission it
names, with the status it gives each ("L'avenant y ajoute la mission crise
sanitaire et une mission optionnelle d'accompagnement": the first has none).

The sentences under a short heading over this CPTS's actions ("Les actions
de la CPTS") speak of it (they continue it, like "Elle ...").

A sentence made of actions in the infinitive ("Faire de la prévention,
accompagner les habitants, épauler les soignants…") followed in its
paragraph by a sentence on this CPTS ("..., la CPTS du Val fait le pari du
collectif.") lists this CPTS's actions (rule ``mission_action_enumeration``).
"""

from __future__ import annotations

import re

from pipeline.parse.missions.acting import FIRST_PERSON, acting_bodies
from pipeline.parse.missions.commitment import commitment
from pipeline.parse.missions.context import commit_cues, commitment_matcher
from pipeline.parse.missions.reading import (
    Found,
    Match,
    Reading,
    is_generic,
    missions_in,
    names_status,
    names_this_cpts,
    status_of,
)
from pipeline.parse.missions.shapes import ends_section
from pipeline.parse.missions.vocabulary import vocabulary
from pipeline.parse.segment import sentence_bounds
from pipeline.parse.context import Rule
from pipeline.records import Rejected

_CLAUSE = re.compile(r"[^,;…]+")
_INFINITIVE = re.compile(r"\s*(?:et |puis )?[a-z]+(?:er|ir|re)\b")
_QUOTE = re.compile(r"[«»“”\"]")
_OPEN_QUOTES = "«“"
_CLOSE_QUOTES = "»”"
_CLAUSE_AFTER_ROLE = re.compile(r"\s*(?:[.,;!?»\"”\n]|$)")
"""A bare role closes the attribution ("..., poursuit la coordinatrice.")."""


def read_sentences(reading: Reading) -> None:
    """Commitment, status and enumeration sentences (see the module docstring)."""
    folded, vocab = reading.folded, vocabulary()
    quoted, voice = _quoted_spans(reading)
    self_voice = bool(vocab.self_voice.search(folded))
    sections = _sections(reading, self_voice)
    bounds = sentence_bounds(reading.doc)
    previous_names_it = False
    for index, (start, end) in enumerate(bounds):
        if any(s <= start < e or start <= s < end for s, e in reading.silenced):
            continue
        span = folded[start:end]
        if span.isspace():
            continue
        in_quote = any(s < end and start < e for s, e in quoted)
        in_voice = any(s < end and start < e for s, e in voice) or (self_voice and _says_we(folded, start, end, quoted))
        speaker = "ours" if in_voice else "theirs" if in_quote or _says_we(folded, start, end, quoted) else None
        in_section = any(s <= start < e for s, e in sections)
        continues = in_voice or in_section or (previous_names_it and _continues(reading.text, start, span))
        pronoun_is_ours = previous_names_it
        names_it = names_this_cpts(span) or (continues and not is_generic(span))
        if names_it or not (previous_names_it and _names_no_body(folded, start, end)):
            previous_names_it = names_it and _subject_is_ours(folded, start, end, speaker, pronoun_is_ours)
        if names_it:
            reading.theme_spans.append((start, end))
        if names_status(folded, start, end):
            _status_sentence(reading, missions_in(folded, start, end, headings=True), start, end, names_it)
        elif names_it and _commits(folded, start, end):
            named = missions_in(folded, start, end, headings=False)
            decided = commitment(folded, start, end, speaker, pronoun_is_ours) if named else None
            if decided is None:
                continue
            negated = decided.negated
            governed = [m for m in named if negated is not None and negated.start < m.start < negated.end]
            if decided.assigns:
                kept = [m for m in named if m not in governed]
                reading.found.extend(Found(m.code, None, m.start, m.end, f"{decided.cue}/{m.cue}") for m in kept)
                if negated is not None:
                    reading.refused.extend(Rejected(m.start, m.end, negated.rule.id, _why(negated.rule, negated.cue)) for m in governed)
            else:
                reading.refused.extend(Rejected(m.start, m.end, decided.rule.id, _why(decided.rule, decided.cue)) for m in named)
        elif _is_enumeration(folded, start, end) and _next_names_it(folded, bounds, index):
            reading.found.extend(
                Found(m.code, None, m.start, m.end, f"mission_action_enumeration/{m.cue}")
                for m in missions_in(folded, start, end, headings=False)
            )


def _why(rule: Rule, cue: str) -> str:
    """For ``explain``: the commitment cue and the rule row that refused a mission."""
    cues = "".join(f", cue {name}" for name in rule.when)
    return f"commitment cue {cue}, anchor {rule.anchor}{cues} (mission_rules.jsonl)"


def _status_sentence(reading: Reading, named: list[Match], start: int, end: int, names_it: bool) -> None:
    folded = reading.folded
    starts = tuple(m.start for m in named)
    for match in named:
        status = status_of(folded, start, end, match.start, starts)
        if names_it or status == "socle" or not is_generic(folded[start:end]):
            reading.found.append(
                Found(match.code, status, match.start, match.end, f"mission_status_sentence/{match.cue}")
            )


def _commits(folded: str, start: int, end: int) -> bool:
    """A commitment cue fires in the sentence (whoever acts for it)."""
    return any(pattern.search(folded, start, end) for _, pattern in commit_cues())


def _subject_is_ours(folded: str, start: int, end: int, speaker: str | None, pronoun_is_ours: bool) -> bool:
    """The first acting body of the sentence is not another one: "La MSP a adhéré à la CPTS. Elle ..." continues
    on the MSP."""
    acting = acting_bodies(folded, start, end, speaker, pronoun_is_ours)
    return not acting or min(acting)[1]


def _continues(text: str, start: int, span: str) -> bool:
    """The sentence continues the one before it: a pronoun or a possessive ("Elle ...", "Ses priorités ..."),
    or it opens in lower case, the rest of a sentence a hard wrap cut in two ("... (CPTS) du Grand Chalon" /
    "se donne pour objectifs de ...": the segmenter read the first line as a heading)."""
    stripped = text[start : start + 40].lstrip()
    return bool(vocabulary().pronoun.search(span)) or (stripped[:1].isalpha() and stripped[:1].islower())


def _says_we(folded: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """The sentence says "nous" outside any quotation: in a text by this CPTS, a quoted name ("Nous avons lancé
    le dispositif « Un médecin pour tous »") leaves the "nous" of the text its own."""
    return any(
        not any(s <= m.start() < e for s, e in quoted) for m in FIRST_PERSON.finditer(folded, start, end)
    )


def _names_no_body(folded: str, start: int, end: int) -> bool:
    """The sentence names no body, this CPTS, CPTS in general or another one ("L'idée : que chaque cabinet
    réserve des créneaux."): it keeps the topic of the sentences before it, so that "Parmi les projets, ..."
    after it still continues on this CPTS."""
    vocab, span = vocabulary(), folded[start:end]
    refs = (*vocab.singular, *vocab.weak_singular)
    if vocab.plural.search(span) or vocab.definition.search(span) or any(ref.search(span) for ref in refs):
        return False
    return not commitment_matcher().pattern("body.other_body").search(span)


def _sections(reading: Reading, self_voice: bool) -> list[tuple[int, int]]:
    """The text under a short heading over this CPTS's actions ("Les actions de la CPTS"; "Nos projets" in
    a text by this CPTS), up to the next short heading."""
    folded, vocab = reading.folded, vocabulary()
    sections: list[tuple[int, int]] = []
    opened: int | None = None
    for start, end in reading.lines:
        if not ends_section(folded, start, end):
            continue
        if opened is not None:
            sections.append((opened, start))
            opened = None
        line = folded[start:end]
        ours = names_this_cpts(line) or (self_voice and bool(FIRST_PERSON.search(line)))
        if vocab.section_heading.search(line) and ours and not is_generic(line):
            opened = end
    if opened is not None:
        sections.append((opened, len(folded)))
    return sections


def _is_enumeration(folded: str, start: int, end: int) -> bool:
    """Two or more comma-separated clauses in the infinitive, the sentence opening on one."""
    clauses = [m.group() for m in _CLAUSE.finditer(folded, start, end) if m.group().strip()]
    infinitives = [bool(_INFINITIVE.match(c)) for c in clauses]
    return len(clauses) >= 2 and infinitives[0] and sum(infinitives) >= 2


def _next_names_it(folded: str, bounds: list[tuple[int, int]], index: int) -> bool:
    """The next sentence is in the same paragraph and names this CPTS (not CPTS in general)."""
    if index + 1 >= len(bounds):
        return False
    start, end = bounds[index + 1]
    if "\n" in folded[bounds[index][1] : start]:
        return False
    span = folded[start:end]
    return names_this_cpts(span) and not is_generic(span)


def _quoted_spans(reading: Reading) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Every quotation, and those of the paragraphs whose attribution is one of this CPTS's officers."""
    folded, vocab = reading.folded, vocabulary()
    roles = {m.group("role") for m in vocab.voice_role.finditer(folded)}
    quoted: list[tuple[int, int]] = []
    voice: list[tuple[int, int]] = []
    for start, end in reading.lines:
        quotes = _quotations(folded, start, end)
        quoted.extend(quotes)
        if quotes and any(_speaks_for_cpts(folded, m, roles) for m in vocab.voice.finditer(folded, start, end)):
            voice.extend(quotes)
    return quoted, voice


def _speaks_for_cpts(folded: str, attribution: re.Match[str], roles: set[str]) -> bool:
    """The role is said to be this CPTS's here ("coordinatrice de la CPTS") or bare and said so elsewhere."""
    role_start, role_end = attribution.span("role")
    if vocabulary().voice_role.match(folded, role_start):
        return True
    return attribution.group("role") in roles and bool(_CLAUSE_AFTER_ROLE.match(folded, role_end))


def _quotations(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted spans of a paragraph (« », “ ”, or straight quotes paired in order); an unclosed one runs to its end."""
    spans, opened = [], None
    if not _QUOTE.search(folded, start, end):
        return spans
    for i in range(start, end):
        char = folded[i]
        if opened is None and (char in _OPEN_QUOTES or char == '"'):
            opened = i
        elif opened is not None and (char in _CLOSE_QUOTES or char == '"'):
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans
