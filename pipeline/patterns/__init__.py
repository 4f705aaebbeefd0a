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
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> tuple[dict, ...]:
    """The rows of ``patterns/<name>.jsonl``, without the source notes."""
    rows = (json.loads(line) for line in (_HERE / f"{name}.jsonl").read_text("utf-8").splitlines() if line.strip())
    return tuple(row for row in rows if not set(row) <= {"_source", "_comment"})
