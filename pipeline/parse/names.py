"""CPTS names and the CPTS a communiqué is about.

A name follows a trigger: the acronym "CPTS" or the long form "Communauté
professionnelle territoriale de santé" (also the inverted "... de santé
territoriale"), optionally followed by "(CPTS)". The name is then either
quoted (« Vallée du Gier », "Sud Lyon") or a run of capitalised words joined
by connectors (de, du, des, l', et, sur...) and the few lower-case
geographic nouns of ``patterns/cpts_names.jsonl`` (pays, vallée, monts...);
a lower-case place adjective may follow a name word ("Vignoble nantais";
endings that verbs share, "Bresse bourguignonne", only before punctuation or
a line end), and a mention cut short ("la CPTS de la Bresse bourguignonne
rassemble") is completed from a fuller mention of the same name elsewhere.
A lower-case verb or any other word ends it, so "la CPTS a su" or "la CPTS
de signer" give no name.

The document is about the CPTS named most often (ties: the first named);
another CPTS named in passing ("Il y a quelques semaines ... la CPTS Grand
Saint-Étienne") is only a mention. Several CPTS named equally often are all
returned, most frequent first. A release about several CPTS ("Trois nouvelles
CPTS signent leur contrat") gives each its own section headed by its name
alone on a line; when two or more CPTS head such sections the document is
about each of them, however often an introduction names one of them. A name
in parentheses after a name ("(CPTS PB)") is its acronym, not another CPTS.
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
_ACRONYM_GLOSS = re.compile(r"\s+[A-Z0-9&-]{2,10}\s*\)")
"""What follows "(CPTS" when the parentheses only give the acronym of a name just written: "(CPTS PB)"."""
_CLOSED = re.compile(r"\s*(?:[.,;:!?)»\"”]|\n|$)")
"""What may follow the last word of a name when nothing else can: punctuation or the end of the line."""
_HEADING_FRAME = re.compile(r"(?:(?:la|le|l['’])\s+)?", re.IGNORECASE)
_HEADING_END = re.compile(r"\s*:?\s*")


@lru_cache(maxsize=1)
def _vocab() -> dict[str, frozenset[str]]:
    return {row["kind"]: frozenset(fold(w) for w in row["words"]) for row in patterns.load("cpts_names")}


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or fold(word) in _vocab()["common_noun"]


def _is_demonym(bare: str, final: bool) -> bool:
    """A lower-case place adjective that ends a territory's name: "Vignoble nantais", "Sud toulousain".

    Endings shared with many verbs ("bourguignonne" / "fonctionne") count only at the end of a line or
    before punctuation, where no verb can follow: "CPTS de la Bresse bourguignonne" as a heading.
    """
    vocab = _vocab()
    endings = vocab["demonym_suffix"] | (vocab["final_demonym_suffix"] if final else frozenset())
    return bare.endswith(tuple(endings)) and bare not in vocab["not_demonym"] and len(bare) > 5


def _closes_name(text: str, pos: int) -> bool:
    return _CLOSED.match(text, pos) is not None


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
            elif (
                _is_name_word(part)
                or (end > start and not pending_connector and _is_demonym(bare, _closes_name(text, match.end(1))))
            ) and bare not in _vocab()["trigger"]:
                pending_connector = False
                end = match.start(1) + len(word)
            else:
                return end
        pos = match.end(1) if not word.endswith(("'", "’")) else match.start(1) + len(word)
        if match.group(1).endswith("."):
            return end
    return end


def _names(text: str) -> list[CptsName]:
    # (trigger start, name start, name end, evidence end, unquoted) of every mention
    spans: list[tuple[int, int, int, int, bool]] = []
    for trigger in _TRIGGER.finditer(text):
        if _ACRONYM_GLOSS.match(text, trigger.end()) and text[: trigger.start()].rstrip().endswith("("):
            continue
        if _plural_before(text, trigger.start()):
            continue
        quoted = _QUOTED.match(text, trigger.end())
        if quoted:
            start, end, evidence_end = quoted.start(1), quoted.end(1), quoted.end()
        else:
            first = _WORD.match(text, trigger.end())
            if not first or "\n" in text[trigger.end():first.start(1)]:
                continue
            start = first.start(1)
            end = evidence_end = _unquoted_name_end(text, start)
        spans.append((trigger.start(), start, end, evidence_end, quoted is None))
    names = []
    for trigger_start, start, end, evidence_end, unquoted in spans:
        if unquoted:
            end = evidence_end = _completed_end(text, start, end, spans)
        key = cpts_key(text[start:end])
        if _has_a_word(key) and _has_a_proper_noun(text[start:end]):
            names.append(
                CptsName(
                    text=text[trigger_start:evidence_end],
                    char_start=trigger_start,
                    char_end=evidence_end,
                    name="CPTS " + text[start:end].strip(),
                    key=key,
                )
            )
    return names


def _plural_before(text: str, pos: int) -> bool:
    """The trigger is plural, CPTS in general rather than one named CPTS: "aux CPTS du Grand Est",
    "huit nouvelles CPTS", "communautés professionnelles territoriales de santé (CPTS) du Grand Est"."""
    before = fold(text[max(0, pos - 80) : pos])
    return bool(_plural_pattern().search(before))


@lru_cache(maxsize=1)
def _plural_pattern() -> re.Pattern[str]:
    determiners = "|".join(re.escape(w) for w in sorted(_vocab()["plural_determiner"], key=len, reverse=True))
    return re.compile(
        rf"(?:(?<![\w'])(?:{determiners}|\d+) +"
        r"|\bcommunautes\s+professionnelles\s+(?:territoriales\s+de\s+sante|de\s+sante\s+territoriales)\s*\(\s*)$"
    )


def _has_a_proper_noun(name: str) -> bool:
    """A name has a capitalised word or a number: "la CPTS de l'île" or "du territoire" names none."""
    return any(word[:1].isupper() or word[:1].isdigit() for word in re.findall(r"[\w-]+", name))


def _has_a_word(key: str) -> bool:
    """A name has at least one word that is not a number: "CPTS des 3 Vallées" is a name,
    the amount in "versera à la CPTS 52 000 €" is not."""
    return any(not part.isdigit() for part in key.split("-") if part)


def _completed_end(text: str, start: int, end: int, spans: list[tuple[int, int, int, int, bool]]) -> int:
    """The end of a name that the same document writes in full elsewhere.

    "La CPTS de la Bresse bourguignonne rassemble" stops at "Bresse" (the adjective could be a
    verb there); the heading "CPTS de la Bresse bourguignonne" shows the words that follow belong
    to the name.
    """
    name = text[start:end]
    longest = end
    for _, other_start, other_end, _, _ in spans:
        other = text[other_start:other_end]
        if other.startswith(name + " ") and text.startswith(other[len(name):], end):
            longest = max(longest, end + len(other) - len(name))
    return longest


def extract_cpts_names(doc: Doc) -> list[CptsName]:
    """Every CPTS named in the text, in order."""
    return _names(doc.text)


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


def main_cpts(mentions: list[CptsName], text: str = "") -> list[CptsName]:
    """The CPTS the document is about: each CPTS heading a section of its own when two or more do, else
    the most frequently named (first mention of each)."""
    counts = Counter(m.key for m in mentions)
    if not counts:
        return []
    heads = {m.key for m in _section_heads(text, mentions)} if text else set()
    if len(heads) >= 2:
        firsts: dict[str, CptsName] = {}
        for mention in mentions:
            if mention.key in heads:
                firsts.setdefault(mention.key, mention)
        return list(firsts.values())
    top = max(counts.values())
    firsts: dict[str, CptsName] = {}
    for mention in mentions:
        firsts.setdefault(mention.key, mention)
    return [firsts[key] for key, n in counts.items() if n == top]


@Language.component("cpts_names")
def names_component(doc: Doc) -> Doc:
    doc._.cpts_mentions = extract_cpts_names(doc)
    doc._.cpts = main_cpts(doc._.cpts_mentions, doc.text)
    return doc
