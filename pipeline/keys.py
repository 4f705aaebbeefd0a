"""Normalised keys: ``CptsKey`` slugs, as the output contract defines them."""

from __future__ import annotations

import re

from pipeline.records import CptsKey
from pipeline.textnorm import words

_LONG_FORM = re.compile(
    r"communaut[eé]s?\s+professionnelles?\s+(?:territoriales?\s+de\s+sant[eé]|de\s+sant[eé]\s+territoriales?)",
    re.IGNORECASE,
)
_LEADING = ("de la", "de l", "d", "de", "du", "des", "la", "le", "les", "l")
_TRAILING_ACRONYM = re.compile(r"\(\s*[A-Z0-9&.\- ]{2,}\s*\)\s*$")


def cpts_key(name: str) -> CptsKey:
    """Slug of a CPTS name: "CPTS « Vallée du Gier »" -> ``vallee-du-gier``.

    Drops the word CPTS (or its long form), quotes, a trailing acronym in
    parentheses and a leading article or preposition; folds accents and
    ligatures; joins the words with "-".
    """
    name = _LONG_FORM.sub(" ", name)
    name = re.sub(r"\(\s*CPTS\s*\)|\bCPTS\b", " ", name, flags=re.IGNORECASE)
    name = _TRAILING_ACRONYM.sub("", name.strip())
    parts = words(name)
    joined = " ".join(parts)
    for lead in _LEADING:
        if joined.startswith(lead + " ") and len(joined) > len(lead) + 1:
            parts = parts[len(lead.split()):]
            break
    return CptsKey("-".join(parts))
