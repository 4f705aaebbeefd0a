"""How place names and lists are written: character classes, name shapes, lines, alternations, claimed spans.

Every sub-rule of the places package builds on these pieces, so a name, a
bullet or a list separator means the same thing in all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import patterns
from pipeline.lines import BULLET_CLASS, line_spans
from pipeline.records import PlaceMention

UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
APOS = "'’"
DASH = r"[\s\-\u2010-\u2015]"
"""A hyphen or a space inside a vocabulary name: writers use -, ‑, – or a space alike ("Côte d’Or")."""
CAPWORD = rf"[{UP}][{LOW}{UP}]*"
ELIDED = rf"[dl][{APOS}]"
_HYPHEN_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|ès|ez|aux|au|et|à|près|devant|derrière|di|del"
"""Lower-case words between hyphens in commune names of the COG ("Savonnières-devant-Bar", "Olmeta-di-Tuda")."""
_SPACE_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|aux|au"
NAME = (
    rf"(?:(?:[Ll]es|[Ll]e|[Ll]a) |[Ll][{APOS}] ?)?{CAPWORD}"
    rf"(?:-(?:(?:{_HYPHEN_PARTICLES})-)*(?:{ELIDED})?{CAPWORD}"
    rf"| (?:(?:{_SPACE_PARTICLES}) )*(?:{ELIDED} ?)?{CAPWORD})*"
)
"""A place name as written: "Saint-Chamond", "l'Arbresle", "Rive-de-Gier", "Le Bessat", "Lyon Sud"."""
NAME_RE = re.compile(NAME)
DE = rf"(?:de |d[{APOS}] ?)"
NAME_LIST = rf"{NAME}(?: ?, ?{NAME})*(?:,? et {DE}?{NAME})?"
BULLET = re.compile(rf"^{BULLET_CLASS}\s*")
"""A list bullet at the start of a line."""
DEPT_NUMBER = re.compile(r"\((?P<code>\d{2,3}|2[ABab])\)")
FINAL_ET = re.compile(rf" et (?=(?:de |du |des |d[{APOS}]|[{UP}]))")
"""The "et" before the last item of a list: "A, B et C", "de A et de B"."""
ORDINAL = r"\d{1,2}(?:er|e|è|ème|eme)(?![\w-])"
DEPT_CODE = r"\d{2,3}|2[AB]"
ASIDE = rf"\s?\([{LOW}][^()\n]{{0,40}}\)"
"""A lower-case aside after a name in a list, which qualifies the commune without ending the list: "Nantes
(quartiers nord)", "Sucé-sur-Erdre (partie sud)", "Balleroy-sur-Drôme (ex-Balleroy)"."""


def lines(text: str) -> list[tuple[int, str]]:
    """``(offset, line)`` of every line of ``text``, blank ones included."""
    return [(start, text[start:end]) for start, end in line_spans(text)]


def alternation(texts: list[str]) -> str:
    """Regex alternation of place names and cues as written (``patterns.alternation``): either apostrophe,
    and a hyphen or a space where one is."""
    return patterns.alternation(texts, _as_written)


def _as_written(text: str) -> str:
    return re.escape(text).replace("'", f"[{APOS}]").replace(r"\-", DASH).replace(r"\ ", DASH)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class Claims:
    """Spans of the text already read as a place, and the overlap policy: the first claim wins.

    Sub-rules run in the precedence order of ``component.SUB_RULES``; a
    later one never reads a name again that an earlier one read, whatever
    role it gave it.
    """

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def overlaps(self, start: int, end: int) -> bool:
        return any(s.start < end and start < s.end for s in self.spans)

    def claim(self, start: int, end: int) -> None:
        self.spans.append(Span(start, end))

    def mention(self, text: str, start: int, end: int, *, claim_end: int | None = None, **fields) -> PlaceMention | None:
        """A ``PlaceMention`` of ``text[start:end]`` claimed up to ``claim_end``; None when already claimed.

        ``fields`` are the mention's (``rule``, ``role``, ``kind``…); ``name`` defaults to the text."""
        if self.overlaps(start, end):
            return None
        self.claim(start, claim_end if claim_end is not None else end)
        fields.setdefault("name", text[start:end])
        return PlaceMention(text=text[start:end], char_start=start, char_end=end, **fields)
