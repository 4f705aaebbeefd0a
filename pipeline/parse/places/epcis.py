"""Intercommunalités after their legal form ("communauté de communes Cœur de Savoie", "CC du Pays d'Urfé",
"communautés de communes de A, du B et des C").

Kind ``epci``, role ``territory`` when a territory word (couvre,
territoire, communes...) comes before them in the sentence, else
``mentioned``; also ``mentioned`` after a partitive ("une partie de la
métropole"), since its expansion would add communes outside the territory.
A "Pays de X" without legal form is neither an EPCI nor a commune: nothing
is read. The names in parentheses after an intercommunalité ("la
communauté d'agglomération X (A, B, C…)") are communes with its role.
``rule`` is the id of the legal form's ``epci_head`` row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.parse.places.context import counted, partial, territory_cue
from pipeline.parse.places.prose import list_mentions, name_items
from pipeline.parse.places.regexes import regexes
from pipeline.parse.places.shapes import APOS, FINAL_ET, Claims
from pipeline.parse.places.vocab import cue_id, cues, epci_type
from pipeline.records import PlaceMention, PlaceRole
from pipeline.textnorm import fold

_PREPOSITION = re.compile(rf"(?:de la |de l[{APOS}] ?|du |des |de |d[{APOS}] ?|le |la |les |l[{APOS}] ?)")
_BODY_TOKEN = re.compile(rf"\s*(?:(?P<comma>,)|(?P<word>[\w{APOS}-]+)|(?P<other>\S))")
_BODY_PARTICLES = frozenset("de du des la le les l d et entre en sur sous lès lez aux au".split())
_OPENING_PARTICLES = frozenset("de du des d le la les l".split())


def epcis(text: str, sentence_starts: list[int], claims: Claims) -> list[PlaceMention]:
    """Intercommunalités after their legal form; a plural form heads a coordinated list."""
    out = []
    heads = list(regexes()["epci_head"].finditer(text))
    for head in heads:
        if claims.overlaps(head.start(), head.end()):
            continue
        plural = any(fold(head.group()) == fold(e["text"]) and e.get("plural") for e in cues()["epci_head"])
        names = _epci_names(text, head.end(), plural, abbreviation=head.group().isupper())
        if not names:
            continue
        cue = territory_cue(text, sentence_starts, head.start(), heads) or (plural and counted(text, head.start()))
        role: PlaceRole = "territory" if cue and not partial(text, head.start()) else "mentioned"
        for start, end in names:
            place = claims.mention(
                text,
                start if plural else head.start(),
                end,
                kind="epci",
                role=role,
                epci_type=epci_type(head.group()),
                rule=cue_id("epci_head", head.group()),
            )
            if place is not None:
                out.append(place)
    return out


def _epci_names(text: str, pos: int, plural: bool, *, abbreviation: bool) -> list[tuple[int, int]]:
    """Name spans after an EPCI legal form, each without its leading preposition.

    The name runs over capitalised words and small particles (de, du, entre,
    et...) and stops at punctuation or another lower-case word. After a plural
    form, commas separate names and the first "et" of the last chunk followed
    by a preposition or a capital separates the last two.
    """
    opening = re.match(r"\s*[:(]", text[pos:])
    if opening and plural:
        pos += opening.end()
    chunks: list[list[int]] = []
    current: list[int] | None = None
    last_cap_end = None
    for m in _BODY_TOKEN.finditer(text, pos):
        if "\n" in text[pos : m.start("word") if m["word"] else m.start()]:
            break
        pos = m.end()
        if m["comma"]:
            if not plural or current is None or last_cap_end is None:
                break
            current[1] = last_cap_end
            chunks.append(current)
            current, last_cap_end = None, None
            continue
        if m["other"]:
            break
        word = m["word"]
        if regexes()["epci_head"].match(text, m.start("word")):
            break
        bare = re.sub(rf"^[dl][{APOS}]", "", word)
        is_cap = bool(bare) and bare[0].isupper()
        if not is_cap and fold(word).rstrip("'") not in _BODY_PARTICLES:
            break
        if current is None:
            if not is_cap and fold(word).rstrip("'") not in _OPENING_PARTICLES:
                break
            current = [m.start("word"), m.end("word")]
        if is_cap:
            last_cap_end = m.end("word")
    if current is not None and last_cap_end is not None and last_cap_end > current[0]:
        current[1] = last_cap_end
        chunks.append(current)
    if not chunks:
        return []
    if not plural:
        chunks = chunks[:1]
    else:
        last_start, last_end = chunks[-1]
        final_et = FINAL_ET.search(text, last_start, last_end)
        if final_et:
            chunks[-1:] = [[last_start, final_et.start()], [final_et.end(), last_end]]
    out = []
    for start, end in chunks:
        preposition = _PREPOSITION.match(text, start, end)
        name_start = preposition.end() if preposition else start
        if name_start < end and text[name_start].isupper():
            out.append((name_start, end))
        elif abbreviation:
            return []
    return out


def epci_member_lists(
    text: str, found: list[PlaceMention], claims: Claims, list_ids: Iterator[int]
) -> list[PlaceMention]:
    """ "la communauté d'agglomération X (A, B, C…)": the names in parentheses are communes, with X's role."""
    out = []
    for epci in found:
        opening = re.match(r"\s?\(", text[epci.char_end :])
        if opening is None:
            continue
        items = name_items(text, epci.char_end + opening.end())
        if items:
            out += list_mentions(text, items, epci.role, next(list_ids), claims, "places_epci_members")
    return out
