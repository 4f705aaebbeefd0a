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
from pipeline.parse.places.gazetteer import EPCI_NOISE, epci_keys, epci_name_key, name_words
from pipeline.parse.places.prose import list_mentions, name_items
from pipeline.parse.places.regexes import regexes
from pipeline.parse.places.shapes import APOS, FINAL_ET, NAME, Claims
from pipeline.parse.places.vocab import AGGLOMERATION_RULE, cue_id, cues, epci_type, window
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
    form, commas separate names; in the last chunk, the "et" that leaves two
    names the reference knows separates the last two, else the first "et"
    followed by a preposition or a capital.
    """
    opening = re.match(r"\s*[:(]", text[pos:])
    if opening and plural:
        pos += opening.end()
    if plural and ";" in text[pos : _clause_end(text, pos)]:
        return _semicolon_names(text, pos)
    known = None if plural else _reference_extent(text, pos)
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
    walked_is_known = bool(chunks) and epci_name_key(text[chunks[0][0] : chunks[0][1]]) in epci_keys()
    if known is not None and (not chunks or (known[1] > chunks[0][1] or not walked_is_known)):
        preposition = _PREPOSITION.match(text, *known)
        return [(preposition.end() if preposition else known[0], known[1])]
    if not chunks:
        return []
    if not plural:
        chunks = chunks[:1]
    else:
        last_start, last_end = chunks[-1]
        final_et = _known_split(text, last_start, last_end) or FINAL_ET.search(text, last_start, last_end)
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


def _known(text: str, start: int, end: int) -> bool:
    """``text[start:end]``, without its leading preposition, is an intercommunalité's name in the reference."""
    preposition = _PREPOSITION.match(text, start, end)
    return epci_name_key(text[preposition.end() if preposition else start : end]) in epci_keys()


def _known_split(text: str, start: int, end: int) -> re.Match[str] | None:
    """The " et " of the last chunk of a plural list that leaves two names the reference knows ("de Bresse et
    Saône et de la Veyle": the second "et"), so that a name holding "et" is not cut at its own."""
    for et in re.finditer(r" et ", text[:end]):
        if et.start() > start and _known(text, start, et.start()) and _known(text, et.end(), end):
            return et
    return None


_WORD_OR_STOP = re.compile(rf"\s*(?:(?P<word>[\w{APOS}-]+)|(?P<stop>\S))")


def _reference_extent(text: str, pos: int) -> tuple[int, int] | None:
    """The longest run of words after ``pos`` that is an intercommunalité's name in the reference (lower-case
    words included: "des sources du lac d'Annecy"), up to the first punctuation or legal form, ending on a word
    of the name (not "et", "la"...)."""
    ends = []
    for m in _WORD_OR_STOP.finditer(text, pos):
        if m["stop"] or "\n" in text[pos : m.start("word")] or len(ends) >= window("epci_name_words"):
            break
        if ends and regexes()["epci_head"].match(text, m.start("word")):
            break
        if name_words(m["word"])[-1:] and name_words(m["word"])[-1] not in EPCI_NOISE:
            ends.append(m.end())
    keys = epci_keys()
    for end in reversed(ends):
        key = epci_name_key(text[pos:end])
        if key and key in keys:
            start = pos + len(text[pos:end]) - len(text[pos:end].lstrip())
            return start, end
    return None


def _clause_end(text: str, pos: int) -> int:
    end = re.compile(r"[.\n]").search(text, pos)
    return end.start() if end else len(text)


def _semicolon_names(text: str, pos: int) -> list[tuple[int, int]]:
    """The names of a plural legal form whose items are separated by semicolons ("communautés de communes du
    A ; B-C ; D en E ; et F, G et H"): commas then belong to names. The last item ends at a comma followed by a
    lower-case word ("…, soit 60 000 habitants")."""
    end = _clause_end(text, pos)
    out = []
    start = pos
    for piece in re.split(r"(;)", text[pos:end]):
        if piece == ";":
            start += 1
            continue
        body = re.match(rf"\s*(?:et\s+)?(?:{_PREPOSITION.pattern})?", piece)
        name_start = start + body.end()
        tail = re.search(r",\s+(?=[a-zà-ÿ])", piece)
        name_end = start + (tail.start() if tail else len(piece.rstrip()))
        if name_start < name_end and text[name_start].isupper():
            out.append((name_start, name_end))
        start += len(piece)
    return out


_AGGLOMERATION_OF = re.compile(
    rf"(?<![\w-])(?i:l[{APOS}]\s?agglom[ée]ration|l[{APOS}]\s?agglo|la\s+m[ée]tropole)\s+(?:de |d[{APOS}] ?|du )(?P<town>{NAME})"
)
_ACRONYM = re.compile(r"\s?\((?P<acronym>[A-Z][A-Z0-9&]{1,9})\)")


def agglomerations_of_towns(text: str, sentence_starts: list[int], claims: Claims) -> list[PlaceMention]:
    """ "les 38 communes de l'agglomération de Bergerac", "le territoire de la métropole de Rouen": the
    intercommunalité named by its main town, kind ``epci`` with the town as its name, resolved to the
    agglomeration or métropole that town belongs to (``pipeline.normalise.communes``)."""
    out = []
    for m in _AGGLOMERATION_OF.finditer(text):
        cue = territory_cue(text, sentence_starts, m.start(), []) or counted(text, m.start())
        role: PlaceRole = "territory" if cue and not partial(text, m.start()) else "mentioned"
        kind = "METRO" if "tropole" in m.group() else "CA"
        place = claims.mention(
            text, m.start(), m.end(), name=m["town"], kind="epci", role=role, epci_type=kind, rule=AGGLOMERATION_RULE
        )
        if place is not None:
            out.append(place)
    return out




def acronyms(text: str, sentence_starts: list[int], found: list[PlaceMention], claims: Claims) -> list[PlaceMention]:
    """An acronym the text defines after an intercommunalité ("… du Pays de Saint-Omer (CAPSO)") names it
    wherever it is used later ("la CAPSO couvre"), with the role of its own sentence."""
    out = []
    for epci in found:
        defined = _ACRONYM.match(text, epci.char_end)
        if defined is None:
            continue
        claims.claim(defined.start("acronym"), defined.end("acronym"))
        for m in re.finditer(rf"(?<![\w-]){defined['acronym']}(?![\w-])", text[defined.end() :]):
            start, end = defined.end() + m.start(), defined.end() + m.end()
            cue = territory_cue(text, sentence_starts, start, [])
            role: PlaceRole = "territory" if cue and not partial(text, start) else "mentioned"
            place = claims.mention(
                text, start, end, name=epci.name, kind="epci", role=role, epci_type=epci.epci_type,
                rule="places_epci_acronym",
            )
            if place is not None:
                out.append(place)
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
