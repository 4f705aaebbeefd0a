"""CPTS names and the CPTS a communiqué is about.

A name follows a trigger: the acronym "CPTS" or the long form "Communauté
professionnelle territoriale de santé" (also the inverted "... de santé
territoriale"), optionally followed by "(CPTS)". The name is then either
quoted (« Vallée du Gier », "Sud Lyon") or a run of capitalised words joined
by connectors (de, du, des, l', et, sur...) and the few lower-case
geographic nouns of ``patterns/cpts_names.jsonl`` (pays, vallée, monts...).
A lower-case verb or any other word ends it, so "la CPTS a su" or "la CPTS
de signer" give no name.

The document is about the CPTS named most often (ties: the first named);
another CPTS named in passing ("Il y a quelques semaines ... la CPTS Grand
Saint-Étienne") is only a mention. Several CPTS named equally often are all
returned, most frequent first.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import patterns
from pipeline.normalise.keys import cpts_key
from pipeline.records import CptsName
from pipeline.textnorm import fold

Doc.set_extension("cpts_mentions", default=None, force=True)
Doc.set_extension("cpts", default=None, force=True)

_TRIGGER = re.compile(
    r"\bCPTS\b|\bcommunaut[eé]\s+professionnelle\s+(?:territoriale\s+de\s+sant[eé]|de\s+sant[eé]\s+territoriale)"
    r"(?:\s*\(\s*CPTS\s*\))?",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\s*(?:[«\"“]\s*)([^»\"”\n]{2,80}?)\s*[»\"”]")
_WORD = re.compile(r"\s*([\w’'&.-]+)")


@lru_cache(maxsize=1)
def _vocab() -> dict[str, frozenset[str]]:
    return {row["kind"]: frozenset(fold(w) for w in row["words"]) for row in patterns.load("cpts_names")}


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or fold(word) in _vocab()["common_noun"]


def _unquoted_name_end(text: str, start: int) -> int:
    """End offset of the run of name words starting at ``start`` (== start when none)."""
    connectors = _vocab()["connector"]
    end = start
    pos = start
    pending_connector = False
    while pos < len(text):
        match = _WORD.match(text, pos)
        if not match or "\n" in text[pos:match.start(1)]:
            break
        word = match.group(1).rstrip(".")
        for part in re.split(r"(?<=['’])", word):
            if not part:
                continue
            bare = fold(part.rstrip("'’"))
            if bare in connectors and not part[:1].isupper():
                pending_connector = True
            elif _is_name_word(part) and bare not in _vocab()["trigger"]:
                pending_connector = False
                end = match.start(1) + len(word)
            else:
                return end
        pos = match.end(1) if not word.endswith(("'", "’")) else match.start(1) + len(word)
        if match.group(1).endswith("."):
            return end
    return end


def _names(text: str) -> list[CptsName]:
    names = []
    for trigger in _TRIGGER.finditer(text):
        quoted = _QUOTED.match(text, trigger.end())
        if quoted:
            start, end, evidence_end = quoted.start(1), quoted.end(1), quoted.end()
        else:
            first = _WORD.match(text, trigger.end())
            if not first or "\n" in text[trigger.end():first.start(1)]:
                continue
            start = first.start(1)
            end = evidence_end = _unquoted_name_end(text, start)
        key = cpts_key(text[start:end])
        if not key:
            continue
        names.append(
            CptsName(
                text=text[trigger.start():evidence_end],
                char_start=trigger.start(),
                char_end=evidence_end,
                name="CPTS " + text[start:end].strip(),
                key=key,
            )
        )
    return names


def extract_cpts_names(doc: Doc) -> list[CptsName]:
    """Every CPTS named in the text, in order."""
    return _names(doc.text)


def main_cpts(mentions: list[CptsName]) -> list[CptsName]:
    """The CPTS the document is about: the most frequently named (first mention of each)."""
    counts = Counter(m.key for m in mentions)
    if not counts:
        return []
    top = max(counts.values())
    firsts: dict[str, CptsName] = {}
    for mention in mentions:
        firsts.setdefault(mention.key, mention)
    return [firsts[key] for key, n in counts.items() if n == top]


@Language.component("cpts_names")
def names_component(doc: Doc) -> Doc:
    doc._.cpts_mentions = extract_cpts_names(doc)
    doc._.cpts = main_cpts(doc._.cpts_mentions)
    return doc
