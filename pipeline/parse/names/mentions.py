"""CPTS names written after the word CPTS.

A name follows a trigger: the acronym "CPTS" or the long form "Communauté
professionnelle territoriale de santé" (also the inverted "... de santé
territoriale"), optionally followed by "(CPTS)" and an adjective of scope
("bi-départementale"). The name is then either quoted (« Vallée du Gier »,
"Sud Lyon") or a run of capitalised words joined by connectors (de, du, des,
l', et, sur...) and the few lower-case geographic nouns of
``patterns/cpts_names.jsonl`` (pays, vallée, monts...); a lower-case place
adjective may follow a name word ("Vignoble nantais"; endings that verbs
share, "Bresse bourguignonne", only before punctuation or a line end), a noun
that needs its complement keeps it even in lower case ("Bout du monde"), and
a mention cut short ("la CPTS de la Bresse bourguignonne rassemble") is
completed from a fuller mention of the same name elsewhere.

A lower-case verb or any other word ends it, so "la CPTS a su" or "la CPTS
de signer" give no name; a name never opens with "en", "et", "sur"... ("une
CPTS en Bretagne au 1er janvier", "la CPTS et le centre communal"). A plural
or counted trigger ("les 4 futures CPTS du Nord", "la 2e CPTS du
département") is CPTS in general or the area they are counted in, not a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import patterns
from pipeline.keys import cpts_key
from pipeline.records import CptsName, NameSource
from pipeline.textnorm import fold

_TRIGGER = re.compile(
    r"\bCPTS\b|\bcommunaut[eé]\s+professionnelle\s+(?:territoriale\s+de\s+sant[eé]|de\s+sant[eé]\s+territoriale)"
    r"(?:\s*\(\s*CPTS\s*\))?",
    re.IGNORECASE,
)
QUOTED = re.compile(r"\s*(?:[«\"“]\s*)([^»\"”\n]{2,80}?)\s*[»\"”]")
WORD = re.compile(r"\s*([\w’'&.-]+)")
_ACRONYM_GLOSS = re.compile(r"[\s-]+[A-Z0-9&-]{2,10}\s*\)")
"""What follows "(CPTS" when the parentheses only give the acronym of a name just written: "(CPTS PB)"."""
_CLOSED = re.compile(r"\s*(?:[.,;:!?)»\"”]|\n|$)")
"""What may follow the last word of a name when nothing else can: punctuation or the end of the line."""
_COMPLEMENT = re.compile(r"\s+(?:du|des|de\s+la|de\s+l['’]|de|d['’])\s*([a-zà-ÿ]{3,})\b")
"""The lower-case complement of a noun that needs one: "Bout| du monde"."""
_ACRONYM = re.compile(r"[A-Z0-9&-]{2,10}")
_GLOSS_AFTER = re.compile(r"\s*\(\s*(?:CPTS[\s-]*)?([A-Z][A-Z0-9&-]{1,9})\s*\)")
"""The acronym a text gives a name it has just written: "CPTS Rennes Nord (CPTS RN)", "... Sud Lys (SL)"."""
_IN_AREA = re.compile(r"\s+(?:en|dans l['’]|dans le|dans la)\s+(\S.*)$")
"""A place after "en" closing a name: "Iroise Nord en Finistère"."""


@lru_cache(maxsize=1)
def _vocab() -> dict[str, frozenset[str]]:
    return {row["kind"]: frozenset(fold(w) for w in row["words"]) for row in patterns.load("cpts_names")}


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or fold(word) in _vocab()["common_noun"]


def is_demonym(bare: str, final: bool) -> bool:
    """A lower-case place adjective that ends a territory's name: "Vignoble nantais", "Sud toulousain".

    Endings shared with many verbs ("bourguignonne" / "fonctionne") count only at the end of a line or
    before punctuation, where no verb can follow: "CPTS de la Bresse bourguignonne" as a heading.
    """
    vocab = _vocab()
    endings = vocab["demonym_suffix"] | (vocab["final_demonym_suffix"] if final else frozenset())
    return bare.endswith(tuple(endings)) and bare not in vocab["not_demonym"] and len(bare) > 5


def _closes_name(text: str, pos: int) -> bool:
    return _CLOSED.match(text, pos) is not None


def unquoted_name_end(text: str, start: int) -> int:
    """End offset of the run of name words starting at ``start`` (== start when none)."""
    connectors = _vocab()["connector"]
    end = start
    pos = start
    pending_connector = False
    after_et = ""  # "et", then "et" and an article: a partner's name there ends ours ("CPTS X et l'Assurance Maladie")
    while pos < len(text):
        match = WORD.match(text, pos)
        if not match or "\n" in text[pos:match.start(1)]:
            break
        word = match.group(1).rstrip(".")
        for part in re.split(r"(?<=['’])", word):
            if not part:
                continue
            bare = fold(part.rstrip("'’"))
            if part.endswith(("'", "’")) and bare in _vocab()["elided_not_name"]:
                return _with_complement(text, start, end)
            if pending_connector and end > start and part[:1].isdigit():
                return _with_complement(text, start, end)
            if (after_et and bare in _vocab()["partner_after_et"]) or (
                after_et == "et+article" and bare in _vocab()["partner_after_et_article"]
            ):
                return _with_complement(text, start, end)
            if bare in connectors and not part[:1].isupper():
                if end == start and bare in _vocab()["not_name_start"]:
                    return end
                after_et = "et" if bare == "et" else "et+article" if after_et and bare in ("l", "la", "le", "les") else ""
                pending_connector = True
            elif (
                _is_name_word(part)
                or (end > start and not pending_connector and is_demonym(bare, _closes_name(text, match.end(1))))
            ) and bare not in _vocab()["trigger"]:
                pending_connector, after_et = False, ""
                end = match.start(1) + len(word)
            else:
                return _with_complement(text, start, end)
        pos = match.end(1) if not word.endswith(("'", "’")) else match.start(1) + len(word)
        if match.group(1).endswith("."):
            return end
    return _with_complement(text, start, end)


def _with_complement(text: str, start: int, end: int) -> int:
    """Keep the lower-case complement of a last word that needs one: "CPTS du Bout| du monde"; drop a
    département or région after "en": "CPTS Iroise Nord| en Finistère"."""
    wide = _IN_AREA.search(text, start, end)
    if wide and " ".join(re.findall(r"[a-z0-9]+", fold(wide.group(1)))) in wide_areas():
        return wide.start()
    last = re.findall(r"[\w’']+", text[start:end])
    if not last or fold(last[-1]) not in _vocab()["needs_complement"]:
        return end
    complement = _COMPLEMENT.match(text, end)
    if complement and fold(complement.group(1)) not in _vocab()["connector"]:
        return complement.end()
    return end


def _name_start(text: str, trigger_end: int) -> int:
    """Where the name may begin: after the trigger, a hyphen joining it to a capitalised name ("CPTS-ACSO")
    and an adjective of scope ("bi-départementale")."""
    if text[trigger_end : trigger_end + 1] == "-" and text[trigger_end + 1 : trigger_end + 2].isupper():
        return trigger_end + 1
    adjective = WORD.match(text, trigger_end)
    if adjective and "\n" not in adjective.group() and fold(adjective.group(1)) in _vocab()["after_trigger_adjective"]:
        return adjective.end()
    return trigger_end


def explicit_names(text: str) -> list[CptsName]:
    """Every CPTS named after the word CPTS or its long form, in text order. A mention by the acronym the
    text gives a name ("CPTS Rennes Nord (CPTS RN)" ... "la CPTS RN") takes the key of the full name."""
    # (trigger start, name start, name end, evidence end, unquoted) of every mention
    spans: list[tuple[int, int, int, int, bool]] = []
    for trigger in _TRIGGER.finditer(text):
        if _ACRONYM_GLOSS.match(text, trigger.end()) and text[: trigger.start()].rstrip().endswith("("):
            continue
        counted = _counted_before(text, trigger.start())
        if counted == "plural":
            continue
        after = _name_start(text, trigger.end())
        quoted = QUOTED.match(text, after)
        if quoted:
            start, end, evidence_end = quoted.start(1), quoted.end(1), quoted.end()
        else:
            first = WORD.match(text, after)
            if not first or "\n" in text[after:first.start(1)]:
                continue
            start = first.start(1)
            end = evidence_end = unquoted_name_end(text, start)
        if counted == "ordinal" and cpts_key(text[start:end]).replace("-", " ") in wide_areas():
            continue
        spans.append((trigger.start(), start, end, evidence_end, quoted is None))
    read: list[tuple[int, int, int, int, bool, str]] = []
    full_keys: dict[str, str] = {}
    for trigger_start, start, end, evidence_end, unquoted in spans:
        if unquoted:
            end = evidence_end = _completed_end(text, start, end, spans)
        key = cpts_key(text[start:end])
        gloss = _GLOSS_AFTER.match(text, evidence_end)
        if gloss and cpts_key(gloss.group(1)) not in ("", key):
            full_keys.setdefault(cpts_key(gloss.group(1)), key)
        read.append((trigger_start, start, end, evidence_end, unquoted, key))
    names = []
    for trigger_start, start, end, evidence_end, unquoted, key in read:
        if has_a_word(key) and has_a_proper_noun(text[start:end]):
            names.append(
                CptsName(
                    text=text[trigger_start:evidence_end],
                    char_start=trigger_start,
                    char_end=evidence_end,
                    name="CPTS " + text[start:end].strip(),
                    key=full_keys.get(key, key),
                    source=_source(text[start:end]),
                    rule="cpts_name_unquoted" if unquoted else "cpts_name_quoted",
                )
            )
    return names


def _source(name: str) -> NameSource:
    """ "CPTS GIPS": a name that is only an acronym."""
    return "acronym" if _ACRONYM.fullmatch(name.strip()) and not name.strip().isdigit() else "explicit"


def _counted_before(text: str, pos: int) -> str | None:
    """How the words before the trigger count it among others.

    "plural": CPTS in general rather than one named CPTS ("aux CPTS du Grand Est", "huit nouvelles CPTS",
    "les 4 futures CPTS du Nord", "communautés professionnelles territoriales de santé (CPTS) du Grand Est").
    "ordinal": "la 2e CPTS du Territoire de Belfort", "la première CPTS de Pantin": what follows is the
    area it is counted in, which names it when it is a town but not when it is a département or région.
    """
    before = fold(text[max(0, pos - 80) : pos])
    match = _counted_pattern().search(before)
    if not match:
        return None
    return "ordinal" if match.group("ordinal") else "plural"


@lru_cache(maxsize=1)
def _counted_pattern() -> re.Pattern[str]:
    def alternatives(kind: str) -> str:
        return "|".join(re.escape(w) for w in sorted(_vocab()[kind], key=len, reverse=True))

    return re.compile(
        rf"(?:(?<![\w'])(?:{alternatives('plural_determiner')}|\d+) +(?:[a-z]+s +)?"
        rf"|(?<![\w'])(?P<ordinal>{alternatives('ordinal')}|\d+ *(?:e|eme|ere|re|er|nde)) +"
        r"|\bcommunautes\s+professionnelles\s+(?:territoriales\s+de\s+sante|de\s+sante\s+territoriales)\s*\(\s*)$"
    )


@lru_cache(maxsize=1)
def wide_areas() -> frozenset[str]:
    """Names of départements, régions and the country, folded, words joined by spaces: places too wide to
    be one CPTS's name."""
    names = {fold(row["nom"]) for row in patterns.load("places_departements")} | {"france"}
    for row in patterns.load("places_regions"):
        names |= {fold(n) for n in [row["nom"], *row.get("aliases", [])]}
    return frozenset(" ".join(re.findall(r"[a-z0-9]+", name)) for name in names)


def has_a_proper_noun(name: str) -> bool:
    """A name has a capitalised word or a number: "la CPTS de l'île" or "du territoire" names none."""
    return any(word[:1].isupper() or word[:1].isdigit() for word in re.findall(r"[\w-]+", name))


def has_a_word(key: str) -> bool:
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
