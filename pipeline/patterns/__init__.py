"""Vocabularies and patterns as data: one JSON object per line in ``<name>.jsonl``.

A line holding only ``_source`` (or ``_comment``) says where the list comes
from and is skipped by ``load``.

Context rules (``count_cues``/``count_rules``, ``amount_cues``,
``places_windows``) share one row schema, read by the contextual matcher
``pipeline.parse.context`` (its docstring defines every window name):
cue ``{id, window: [names], pattern, max_chars?, max_words?}``, piece
``{id, piece}`` (written ``{id}`` in a pattern or a later piece, so a long
alternation is composed from named parts) and rule
``{id, anchor, when?: [cue ids], assign | exclude: true}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PIECE = re.compile(r"\{([a-z_]+)\}")
"""``{name}`` in a pattern: regex quantifiers (``{0,40}``) hold digits, never letters, so they do not clash."""


class PatternError(ValueError):
    """A pattern names a piece that no row of its file defines."""


@lru_cache(maxsize=None)
def load(name: str) -> tuple[dict, ...]:
    """The rows of ``patterns/<name>.jsonl``, without the source notes."""
    rows = (json.loads(line) for line in (_HERE / f"{name}.jsonl").read_text("utf-8").splitlines() if line.strip())
    return tuple(row for row in rows if not set(row) <= {"_source", "_comment"})


def spaced(form: str) -> str:
    """A folded word or phrase as a regex: its characters literally, a space matching any run of spaces."""
    return r"\s+".join(re.escape(part) for part in form.split())


def alternation(forms: Iterable[str], form: Callable[[str], str] = spaced) -> str:
    """Regex alternation of ``forms``, each written by ``form``, once each and longest first.

    Longest first because ``re`` takes the first alternative that matches, not
    the longest: "communes" must be tried before "commune", "euros" before
    "euro". Each vocabulary says how its forms are written (``spaced``, a word
    end, either apostrophe...) through ``form``; the order is the same for all,
    and alphabetical among forms of one length, so the regex is the same in every
    process (a set's order changes with the string hash seed)."""
    return "|".join(form(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


def compose(pattern: str, pieces: dict[str, str], where: str) -> str:
    """``pattern`` with each ``{name}`` replaced by its piece, as a non-capturing group.

    Long alternations are written as named pieces (one word per list item for a
    reviewer) and composed here, the same way for every pattern file; ``where``
    names the row for the error."""

    def piece(match: re.Match[str]) -> str:
        if match.group(1) not in pieces:
            raise PatternError(f"{where}: names the piece {{{match.group(1)}}}, which no row defines")
        return f"(?:{pieces[match.group(1)]})"

    return _PIECE.sub(piece, pattern)
