"""CPTS names and the CPTS a communiqué is about.

A CPTS is named after the word CPTS or its long form (``mentions.py``), by a
naming verb ("baptisée « X »", ``baptised.py``), or, in a text about one
CPTS that never names it, after the place of its headline or its seat town
(``unnamed.py``). ``CptsName.source`` says which: explicit, acronym (a name
that is only an acronym, "CPTS GIPS"), headline_place, territory_town.

The document is about the CPTS named most often (ties: the first named);
another CPTS named in passing ("Il y a quelques semaines ... la CPTS Grand
Saint-Étienne") is only a mention, and one named in a comparison ("comme la
CPTS X avant elle") does not make a text that otherwise says only "la CPTS"
about X. Several CPTS named equally often are all returned, in text order. A CPTS whose president the text names ("NAME,
présidente de la CPTS Sud Lys") is one of its subjects too, however seldom
named: an event where two CPTS presidents speak is about both. A release
about several CPTS ("Trois nouvelles CPTS signent leur contrat") gives each
its own section headed by its name alone on a line; when two or more CPTS
head such sections the document is about each of them, however often an
introduction names one of them. A name in parentheses after a name ("(CPTS
PB)") is its acronym, not another CPTS.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import patterns
from pipeline.parse.names.baptised import baptised_names
from pipeline.parse.names.mentions import explicit_names
from pipeline.parse.names.unnamed import unnamed_cpts
from pipeline.parse.segment import doc_text
from pipeline.records import CptsName
from pipeline.textnorm import fold_same_length

Doc.set_extension("cpts_mentions", default=None, force=True)
Doc.set_extension("cpts", default=None, force=True)

_HEADING_FRAME = re.compile(r"(?:(?:la|le|l['’])\s+)?", re.IGNORECASE)
_HEADING_END = re.compile(r"\s*:?\s*")


@lru_cache(maxsize=None)
def _before(kind: str) -> re.Pattern[str]:
    """What, right before a mention, says the text names that CPTS's president ("presided") or compares the
    subject with it ("passing")."""
    rows = [row for row in patterns.load("cpts_subject") if row["kind"] == kind]
    return re.compile("|".join(f"(?:{row['regex']})" for row in rows))


def _preceded_by(kind: str, folded: str, mention: CptsName) -> bool:
    return bool(_before(kind).search(folded[max(0, mention.char_start - 40) : mention.char_start]))


def extract_cpts_names(doc: Doc) -> list[CptsName]:
    """Every CPTS named in the text, in order."""
    explicit = explicit_names(doc_text(doc))
    return sorted(explicit + baptised_names(doc_text(doc), explicit), key=lambda n: n.char_start)


def _line_span(text: str, pos: int) -> tuple[int, int]:
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _is_heading(text: str, mention: CptsName) -> bool:
    """The mention is alone on its line ("CPTS du Grand Provinois", "La CPTS Vallée du Gier :")."""
    start, end = _line_span(text, mention.char_start)
    framed = _HEADING_FRAME.fullmatch(text, start, mention.char_start)
    return bool(framed and _HEADING_END.fullmatch(text, mention.char_end, end))


def _section_heads(text: str, mentions: list[CptsName]) -> list[CptsName]:
    """Mentions that head a section: alone on their line, with a non-blank line after them that is not
    itself a CPTS alone on its line (a plain list of CPTS names is not a set of sections)."""
    alone = [m for m in mentions if _is_heading(text, m)]
    alone_lines = {_line_span(text, m.char_start)[0] for m in alone}
    heads = []
    for mention in alone:
        rest = text[_line_span(text, mention.char_start)[1] :].lstrip("\n")
        next_start = len(text) - len(rest)
        if rest.strip() and next_start not in alone_lines:
            heads.append(mention)
    return heads


def main_cpts(mentions: list[CptsName], text: str = "", title: str | None = None) -> list[CptsName]:
    """The CPTS the document is about: each CPTS heading a section of its own when two or more do, else
    the most frequently named and those whose president is named (first mention of each). Mentions in a
    comparison ("comme la CPTS X avant elle") count only when the text names nothing else and is not about
    one unnamed CPTS, named after its headline's place (``unnamed.py``)."""
    folded = fold_same_length(text) if text else ""
    compared = [m for m in mentions if folded and _preceded_by("passing", folded, m)]
    kept = [m for m in mentions if m not in compared]
    if not kept:
        unnamed = unnamed_cpts(text, title) if text else None
        if unnamed or not mentions:
            return [unnamed] if unnamed else []
        kept = mentions
    return _named_subjects(kept, text, folded)


def _named_subjects(mentions: list[CptsName], text: str, folded: str) -> list[CptsName]:
    """Section heads, else the most named CPTS and those whose president is named."""
    counts = Counter(m.key for m in mentions)
    heads = {m.key for m in _section_heads(text, mentions)} if text else set()
    firsts: dict[str, CptsName] = {}
    for mention in mentions:
        firsts.setdefault(mention.key, mention)
    if len(heads) >= 2:
        return [firsts[key] for key in firsts if key in heads]
    top = max(counts.values())
    presided = {m.key for m in mentions if folded and _preceded_by("presided", folded, m)}
    subjects = {key for key, n in counts.items() if n == top} | presided
    return [firsts[key] for key in firsts if key in subjects]


@Language.component("cpts_names")
def names_component(doc: Doc) -> Doc:
    from pipeline.parse.title import extract_title

    source = doc.user_data.get("source")
    title = source.title if source is not None and source.title else extract_title(doc_text(doc))
    doc._.cpts_mentions = extract_cpts_names(doc)
    doc._.cpts = main_cpts(doc._.cpts_mentions, doc_text(doc), title)
    return doc
