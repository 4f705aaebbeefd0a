"""One reading of a document: what every rule (lists, headings, prose) adds to, and the mission and status matchers.

``Found`` keeps the span a mission was read from and its rule,
``<context rule id>/<mission pattern id>``: the row that decided the context
(a list heading, a commitment cue...) and the row that named the mission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from pipeline.lines import line_spans
from pipeline.parse.missions.shapes import word_end
from pipeline.parse.missions.vocabulary import MissionCue, vocabulary
from pipeline.parse.segment import doc_text, folded_text
from pipeline.records import MissionCode, MissionStatus, Rejected

_OWN_MISSION = re.compile(r"\s*(?:de |d'|du |des |relative (?:a|aux) |:\s*)?(?:la |le |l'|les )?")
"""Between a status word and the mission it introduces: "mission optionnelle d'accompagnement"."""
_ANOTHER_MISSION = re.compile(r"\b(?:la|une|cette) mission\b")
"""After a status list, "ainsi que la mission de crise" introduces a mission the status does not qualify."""


@dataclass(frozen=True, slots=True)
class Found:
    """A mission and the heading, list item or phrase (``label_start:label_end``) it was read from."""

    code: MissionCode
    status: MissionStatus | None
    label_start: int
    label_end: int
    rule: str


@dataclass(frozen=True, slots=True)
class Match:
    """The first wording of one mission in a span."""

    code: MissionCode
    start: int
    end: int
    cue: str


@dataclass
class Reading:
    """The document and what its rules found so far."""

    doc: Doc
    text: str = ""
    """``doc.text``, read once: spaCy rebuilds it from the tokens at every access."""
    folded: str = ""
    lines: list[tuple[int, int]] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    theme_spans: list[tuple[int, int]] = field(default_factory=list)
    """Where themes are read: list items, sections under a mission heading, sentences about this CPTS."""
    silenced: list[tuple[int, int]] = field(default_factory=list)
    """Items of a list about CPTS in general: the sentence rules must not read them either."""
    refused: list[Rejected] = field(default_factory=list)
    """Missions named in a commitment sentence whose commitment a rule turned down ("L'ARS s'engage à ..."),
    for ``explain``."""

    def __post_init__(self) -> None:
        self.text = doc_text(self.doc)
        self.folded = folded_text(self.doc)
        self.lines = line_spans(self.text)

    def emit(self, start: int, end: int, status: MissionStatus | None, *, headings: bool, context: str) -> None:
        """Every mission named in ``start:end``, labelled with the whole span."""
        for match in missions_in(self.folded, start, end, headings=headings):
            self.found.append(Found(match.code, status, start, end, f"{context}/{match.cue}"))


def missions_in(folded: str, start: int, end: int, *, headings: bool) -> list[Match]:
    """First match of each mission in the span, in text order; ``headings`` admits heading-only patterns."""
    first: dict[MissionCode, Match] = {}
    for cue in _mission_cues(folded):
        if cue.heading_only and not headings:
            continue
        match = cue.regex.search(folded, start, end)
        if match and (cue.code not in first or match.start() < first[cue.code].start):
            first[cue.code] = Match(cue.code, match.start(), word_end(folded, match.end()), cue.id)
    return sorted(first.values(), key=lambda m: m.start)


@lru_cache(maxsize=1)
def _mission_cues(folded: str) -> tuple[MissionCue, ...]:
    """The mission patterns that may match somewhere in the text (``Prefiltered.may_match``): every rule asks
    ``missions_in`` about spans of the same text, most of them naming no mission at all."""
    return tuple(cue for cue in vocabulary().missions if cue.regex.may_match(folded))


def status_of(
    folded: str, start: int, end: int, pos: int | None = None, missions: tuple[int, ...] = ()
) -> MissionStatus | None:
    """The status named in the span for the mission at ``pos`` (``missions``: the starts of all of its missions).

    Without ``pos``, the only status named. With it, the nearest status before
    ``pos`` ("Missions socles : accès aux soins, prévention") unless another
    mission is introduced in between ("les missions socles (...) ainsi que la
    mission de réponse aux crises": the crisis mission has none), else the first
    after it ("la prévention, mission socle") unless that one introduces a
    mission of its own ("ajoute la mission crise sanitaire et une mission
    optionnelle d'accompagnement": the crisis mission has no status).
    """
    cues = sorted(
        (match.start(), match.end(), cue.code) for cue in vocabulary().statuses for match in cue.words.finditer(folded, start, end)
    )
    if pos is None:
        kinds = {status for _, _, status in cues}
        return kinds.pop() if len(kinds) == 1 else None
    before = [(cue_end, status) for cue_start, cue_end, status in cues if cue_start < pos]
    if before:
        cue_end, status = before[-1]
        return None if _ANOTHER_MISSION.search(folded, cue_end, pos) else status
    after = [(cue_end, status) for cue_start, cue_end, status in cues if cue_start > pos]
    if not after:
        return None
    cue_end, status = after[0]
    own = next((s for s in missions if s >= cue_end), None)
    return None if own is not None and _OWN_MISSION.fullmatch(folded, cue_end, own) else status


def names_status(folded: str, start: int, end: int) -> bool:
    """The span calls a mission socle or optionnelle."""
    return any(cue.words.search(folded, start, end) for cue in vocabulary().statuses)


def names_this_cpts(span: str) -> bool:
    """The span names one CPTS ("la CPTS", "CPTS des Monts", "la communauté", "son projet de santé")."""
    vocab = vocabulary()
    if vocab.definition.search(span):
        return False
    if any(ref.search(span) for ref in vocab.singular):
        return True
    return any(ref.search(span) for ref in vocab.weak_singular) and not vocab.plural.search(span)


def is_generic(span: str) -> bool:
    """The span speaks of CPTS in general ("les CPTS", "une CPTS", "La CPTS est un regroupement de ...") and does
    not name this one explicitly."""
    vocab = vocabulary()
    if vocab.definition.search(span):
        return True
    return bool(vocab.plural.search(span)) and not any(ref.search(span) for ref in vocab.singular)


def best(found: list[Found]) -> list[Found]:
    """One per mission: the first that carries a status, else the first; in text order."""
    kept: dict[MissionCode, Found] = {}
    for item in sorted(found, key=lambda f: f.label_start):
        current = kept.get(item.code)
        if current is None or (current.status is None and item.status is not None):
            kept[item.code] = item
    return sorted(kept.values(), key=lambda f: f.label_start)
