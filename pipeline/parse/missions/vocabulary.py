"""The mission and theme vocabularies of ``patterns/missions.jsonl`` and ``patterns/themes.jsonl``, compiled once.

Patterns are data; long alternations are written as lists (``kind=piece``
rows) and named in a pattern as ``{piece_name}``, so a reviewer reads and
edits one word per list item instead of a regex of a thousand characters.
Every compiled pattern keeps its row ``id``: it becomes the ``rule`` of the
records it produces. Patterns are compiled ``Prefiltered``: a span without
any of the words a pattern requires is skipped without running it (most
sentences name no mission, theme or status).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pipeline.parse.prefilter import Prefiltered, compile_prefiltered
from pipeline import patterns
from pipeline.patterns import load
from pipeline.records import MissionCode, MissionStatus

_NOT_AFTER_REACH = 30
"""How many characters before a status word its ``not_after`` pattern looks at."""


@dataclass(frozen=True, slots=True)
class Guarded:
    """A pattern and, in ``not_after``, the words before a match that make it mean something else
    ("financement socle" is no mission status, "les CPTS" is not this CPTS)."""

    regex: Prefiltered
    not_after: Prefiltered | None

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if end is None else end
        if self.not_after is None:
            return self.regex.finditer(text, start, end)
        not_after = self.not_after
        return (m for m in self.regex.finditer(text, start, end)
                if not not_after.search(text, max(start, m.start() - _NOT_AFTER_REACH), m.start()))

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        if self.not_after is None:
            return self.regex.search(text, start, len(text) if end is None else end) is not None
        return next(self.finditer(text, start, end), None) is not None


@dataclass(frozen=True, slots=True)
class StatusCue:
    """A status word ("socles", "optionnelle") and the status it gives."""

    id: str
    code: MissionStatus
    words: Guarded


@dataclass(frozen=True, slots=True)
class MissionCue:
    """A wording of one mission; ``heading_only`` ones are read in headings, list items and status sentences only."""

    id: str
    code: MissionCode
    heading_only: bool
    regex: Prefiltered


@dataclass(frozen=True, slots=True)
class ThemeCue:
    id: str
    theme: str
    mission: MissionCode | None
    regex: Prefiltered


@dataclass(frozen=True, slots=True)
class Vocabulary:
    missions: tuple[MissionCue, ...]
    """The patterns of themes that imply their mission come last."""
    statuses: tuple[StatusCue, ...]
    lead: Prefiltered
    list_cue: Prefiltered
    inline_label: Prefiltered
    topic_follow: Prefiltered
    section_heading: Prefiltered
    singular: tuple[Guarded, ...]
    """Explicit references to this CPTS ("la CPTS", "la communauté")."""
    weak_singular: tuple[Guarded, ...]
    """References that name it only in a span not about CPTS in general ("son projet de santé")."""
    plural: Prefiltered
    definition: Prefiltered
    pronoun: Prefiltered
    voice: Prefiltered
    voice_role: Prefiltered
    self_voice: Prefiltered
    themes: tuple[ThemeCue, ...]
    any_theme: Prefiltered
    """All theme patterns in one alternation: a span it does not match holds no theme, and most spans hold none."""


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Compile ``patterns/missions.jsonl`` and ``patterns/themes.jsonl`` once."""
    rows = load("missions")
    pieces = {r["id"].removeprefix("piece."): "|".join(r["alternatives"]) for r in rows if r["kind"] == "piece"}

    def compose(pattern: str, row: dict) -> str:
        return patterns.compose(pattern, pieces, f"missions row {row['id']!r}")

    def compiled(row: dict) -> Prefiltered:
        return compile_prefiltered(compose(row["pattern"], row))

    def guarded(row: dict) -> Guarded:
        return Guarded(compiled(row), compile_prefiltered(compose(row["not_after"], row)) if "not_after" in row else None)

    def of(kind: str) -> list[dict]:
        return [r for r in rows if r["kind"] == kind]

    def one(kind: str) -> Prefiltered:
        return compile_prefiltered("|".join(f"(?:{compose(r['pattern'], r)})" for r in of(kind)))

    theme_rows = load("themes")
    implied = tuple(
        MissionCue(f"{r['id']}.implies", r["mission"], False, compile_prefiltered(p)) for r in theme_rows for p in r.get("implies", ())
    )
    themes = tuple(ThemeCue(r["id"], r["theme"], r.get("mission"), compile_prefiltered(p)) for r in theme_rows for p in r["patterns"])
    return Vocabulary(
        missions=tuple(MissionCue(r["id"], r["code"], r["scope"] == "heading", compiled(r)) for r in of("mission")) + implied,
        statuses=tuple(
            StatusCue(r["id"], r["code"], guarded(r))
            for r in of("status")
        ),
        lead=one("lead"),
        list_cue=one("list_cue"),
        inline_label=one("inline_label"),
        topic_follow=one("topic_follow"),
        section_heading=one("section_heading"),
        singular=tuple(guarded(r) for r in of("singular_ref") if not r.get("weak")),
        weak_singular=tuple(guarded(r) for r in of("singular_ref") if r.get("weak")),
        plural=one("plural_ref"),
        definition=one("definition_ref"),
        pronoun=one("pronoun_ref"),
        voice=one("voice"),
        voice_role=one("voice_role"),
        self_voice=one("self_voice"),
        themes=themes,
        any_theme=compile_prefiltered("|".join(f"(?:{t.regex.pattern})" for t in themes)),
    )
