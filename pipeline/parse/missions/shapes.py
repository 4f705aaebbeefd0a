"""The shapes of lines that carry missions: headings, bullets, list items, section ends.

Communiqués name missions in headings and lists far more than in prose; these
helpers say, from the look of a line alone (bullet, final colon, length,
final full stop), which part of it is a heading or an item. They work on the
folded text (same length as the document text) and return offsets into it.
"""

from __future__ import annotations

import re

from pipeline.lines import BULLET_CLASS

BULLET = re.compile(
    rf"(?:{BULLET_CLASS}\s*"
    r"|\d{1,2}\s*[.)°-]\s+"
    r"|\d{1,2}\u20e3\s*"
    r"|[ivx]{1,4}\s*[.)]\s+|[a-h]\)\s+"
    r"|(?:mission|axe|objectif|priorite|action)s?\s*(?:n°\s*)?(?:\d{1,2}|[ivx]{1,4})\s*[:.)\-–]\s*)"
)
"""A bullet, a number, a keycap emoji ("1️⃣" of social posts: a digit and U+20E3 once ingest drops the emoji
selector), a roman numeral or a letter of a report's plan ("II. Organiser les parcours", "b) la prévention") or
a numbered label ("Axe 2 :", "Axe IV –") opening a list line."""
NUMBERED_LABEL = re.compile(r"(?:mission|axe|objectif|priorite|action|chantier)s?\s*(?:n°\s*)?(?:\d{1,2}|[ivx]{1,4})\s*:")
"""A numbered label opening a sentence: "Axe 2 :", "Priorité n° 3 :"."""
SENTENCE_END = re.compile(r"\.(?:\s|$)")
_CLAUSE_END = re.compile(r"[,;:]|\.(?:\s|$)")
ARTICLE = re.compile(r"(?:l'|la |le |les |des |du |une |un |d')")
_WORD = re.compile(r"\w+")
MAX_HEADING_WORDS = 30
"""A line without a final full stop and at most this long can be a heading."""
_MAX_COLON_HEAD_WORDS = 20
"""In "• Faciliter l'accès aux soins : la CPTS ...", the part before ':' is the heading."""
_HEAD_SEPARATORS = (":", " — ", " – ")
"""End the heading part of a line: a colon, or a spaced dash of a report ("Accès aux soins — La CPTS a ...")."""
MAX_ITEM_WORDS = 20
"""A longer line ends a list: it is prose, not an item."""
_MAX_SECTION_END_WORDS = 15


def word_end(folded: str, end: int) -> int:
    """Extend a match to the end of its word: stem patterns ("soins non programm") report whole words."""
    while end < len(folded) and folded[end].isalnum():
        end += 1
    return end


def n_words(text: str) -> int:
    return len(_WORD.findall(text))


def strip(folded: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and trailing ',;:' of list items."""
    while start < end and folded[start].isspace():
        start += 1
    while end > start and (folded[end - 1].isspace() or folded[end - 1] in ",;:"):
        end -= 1
    return start, end


def unbullet(folded: str, start: int, end: int) -> tuple[int, bool]:
    """Start of the line's text after a bullet or "Axe 2 :" prefix, and whether there was one."""
    match = BULLET.match(folded, start, end)
    return (match.end(), True) if match else (start, False)


def heading(folded: str, start: int, end: int) -> tuple[int, int, bool] | None:
    """The heading part of a line (start, end, bulleted), or None for prose; a heading may run on the same
    line after a colon or a spaced dash ("Prévention : ...")."""
    start, end = strip(folded, start, end)
    start, bulleted = unbullet(folded, start, end)
    colon = _separator(folded, start, end)[0]
    if colon > start and n_words(folded[start:colon]) <= _MAX_COLON_HEAD_WORDS:
        return (*strip(folded, start, colon), bulleted)
    if start == end or folded[end - 1] in ".!?" or n_words(folded[start:end]) > MAX_HEADING_WORDS:
        return None
    return start, end, bulleted


def _separator(folded: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the first heading separator in ``start:end``, (-1, -1) when none (str.find: every line
    of every document is asked)."""
    found = [(at, at + len(sep)) for sep in _HEAD_SEPARATORS if (at := folded.find(sep, start, end)) >= 0]
    return min(found, default=(-1, -1))


def run_on(folded: str, end: int, line_end: int) -> tuple[int, int] | None:
    """The stripped text after the separator that ends a heading at ``end`` on its own line, if any."""
    at, after = _separator(folded, end, line_end)
    if at < 0 or folded[end:at].strip():
        return None
    rest = strip(folded, after, line_end)
    return rest if rest[0] < rest[1] else None


def list_item(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """The item of a list line: its heading part, the whole short line ("• Prévention."), or the first
    clause of a long bulleted line ("• Faciliter l'accès à un médecin traitant pour ..., notamment ...");
    None for prose."""
    head = heading(folded, start, end)
    if head is not None:
        return head[0], head[1]
    start, bulleted = unbullet(folded, start, end)
    end = end - 1 if folded[end - 1] == "." else end
    if n_words(folded[start:end]) <= MAX_ITEM_WORDS:
        return start, end
    if not bulleted:
        return None
    clause = _CLAUSE_END.search(folded, start, end)
    return strip(folded, start, clause.start() if clause else end)


def ends_section(folded: str, start: int, end: int) -> bool:
    """A short unbulleted line without final punctuation: the next heading."""
    start, end = strip(folded, start, end)
    if start == end or folded[end - 1] in ".!?:;,":
        return False
    return not unbullet(folded, start, end)[1] and n_words(folded[start:end]) <= _MAX_SECTION_END_WORDS


def next_line(folded: str, spans: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The stripped span of the first non-blank line after line ``i``."""
    return next((strip(folded, *span) for span in spans[i + 1 :] if folded[slice(*span)].strip()), None)
