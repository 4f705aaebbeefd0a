"""The communiqué's title, when the container (HTML) does not give one.

Press releases open with a masthead, "Communiqué de presse", a date and
contacts before the headline. The title is the first line near the top that
names a CPTS or a contract ("Signature du contrat finançant ...") and reads
as a sentence (20 to 300 characters); failing that, the first such line. Web
pages copied as text keep their menus and breadcrumbs ("Accueil | La CPTS |
Actualités", "Accueil > Actualités > Hérault"): a line of short pieces joined
by "|", ">" or "›" is navigation, not a title.
"""

from __future__ import annotations

import re

_CUE = re.compile(r"\bCPTS\b|communaut[eé]s?\s+professionnelles?|contrat|sign", re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(communiqu[eé] de presse|contacts?\s*:?|corps de texte|visuel)\b", re.IGNORECASE)
_HEAD_LINES = 20
_NAV_SEPARATOR = re.compile(r"\s+[|>›»/]\s+")
_NAV_PIECE_MAX = 30


def extract_title(text: str) -> str | None:
    """The headline of the communiqué, or None when no line looks like one."""
    lines = [line.strip() for line in text[: _head_end(text)].split("\n") if line.strip()][:_HEAD_LINES]
    candidates = [
        line for line in lines if 20 <= len(line) <= 300 and not _BOILERPLATE.match(line) and not _is_navigation(line)
    ]
    for line in candidates:
        if _CUE.search(line):
            return line
    return candidates[0] if candidates else None


def _is_navigation(line: str) -> bool:
    """A menu or breadcrumb: short pieces joined by separators."""
    pieces = _NAV_SEPARATOR.split(line)
    return len(pieces) >= 2 and all(len(piece) <= _NAV_PIECE_MAX for piece in pieces)


def title_in_text(title: str | None, text: str) -> int:
    """Where ``title`` begins in the head of ``text`` (the lines ``extract_title`` reads, so a title taken
    from the text is always found there); -1 when it is not there (or there is no title)."""
    return text.find(title, 0, _head_end(text)) if title else -1


def _head_end(text: str) -> int:
    """The end of the head of ``text``, its first ``_HEAD_LINES * 3`` lines: where a title is looked for and found."""
    end = -1
    for _ in range(_HEAD_LINES * 3):
        end = text.find("\n", end + 1)
        if end < 0:
            return len(text)
    return end
