"""Place names (communes, intercommunalités, départements) with their role.

Only names the text marks as places are read, never every capitalised word:

- commune lists under a heading ("Communes du Rhône : A, B, C", "Les 30
  communes de la CPTS X :" then lines of names), and inline lists after a
  territory cue ("couvre les communes de A, B et C"): kind ``commune``, role
  ``territory``, one ``list_id`` per list, the heading's département as
  ``dept_hint``;
- départements named with their number ("Puy-de-Dôme (63)"), after
  "département de" or "dans la/le": kind ``departement``, role ``territory``;
  after "Assurance Maladie de"/"CPAM de": role ``mentioned`` (the funder's
  département, a context hint only);
- intercommunalités after their legal form ("communauté de communes Cœur de
  Savoie", "CC du Pays d'Urfé", "communautés de communes de A, du B et des C"):
  kind ``epci``, role ``territory`` when a territory word (couvre, territoire,
  communes...) comes before them in the sentence, else ``mentioned``;
- towns named for another reason, after an establishment ("CHU de
  Clermont-Ferrand", "centre de santé d'Amplepuis") or a profession/location
  verb ("masseur-kinésithérapeute à Sain-Bel"): role ``mentioned``.

A name in a territory list and also mentioned elsewhere gets one record per
mention, each with its own role; the commune belongs to the territory because
one of its records says so. Resolution against the COG is
``pipeline.normalise.communes``'s job.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import PlaceMention
from pipeline.textnorm import fold

Doc.set_extension("places", default=None, force=True)

_PATTERNS = Path(__file__).resolve().parent.parent / "patterns"

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
_APOS = "'’"
_CAPWORD = rf"[{_UP}][{_LOW}{_UP}]*"
_ELIDED = rf"[dl][{_APOS}]"
_HYPHEN_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|aux|au|et|à"
_SPACE_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|aux|au"
_NAME = (
    rf"(?:(?:[Ll]es|[Ll]e|[Ll]a) |[Ll][{_APOS}] ?)?{_CAPWORD}"
    rf"(?:-(?:(?:{_HYPHEN_PARTICLES})-)*(?:{_ELIDED})?{_CAPWORD}"
    rf"| (?:(?:{_SPACE_PARTICLES}) )*(?:{_ELIDED} ?)?{_CAPWORD})*"
)
"""A place name as written: "Saint-Chamond", "l'Arbresle", "Rive-de-Gier", "Le Bessat", "Lyon Sud"."""
_NAME_RE = re.compile(_NAME)
_DE = rf"(?:de |d[{_APOS}] ?)"
_NAME_LIST = rf"{_NAME}(?: ?, ?{_NAME})*(?:,? et {_DE}?{_NAME})?"
_BULLET = re.compile(r"^[-•*–·▪►‣◦]\s*")
_DEPT_NUMBER = re.compile(r"\((?P<code>\d{2,3}|2[ABab])\)")
_ITEM_SPLIT = re.compile(r"\s*[,;/•]\s*|\s+[-–]\s+")
_ITEM_CHARS = re.compile(rf"^(?:[Ll][{_APOS}] ?)?[{_UP}][{_LOW}{_UP}{_APOS} .-]*$")
_EPCI_PREPOSITION = re.compile(rf"(?:de la |de l[{_APOS}] ?|du |des |de |d[{_APOS}] ?)")
_FINAL_ET = re.compile(rf" et (?=(?:de |du |des |d[{_APOS}]|[{_UP}]))")
_BODY_TOKEN = re.compile(rf"\s*(?:(?P<comma>,)|(?P<word>[\w{_APOS}-]+)|(?P<other>\S))")
_BODY_PARTICLES = frozenset("de du des la le les l d et entre en sur sous lès lez aux au".split())
_MAX_ITEM_WORDS = 6


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int


@cache
def _cues() -> dict[str, list[dict]]:
    """``places_cues.jsonl`` grouped by cue type."""
    out: dict[str, list[dict]] = {}
    with open(_PATTERNS / "places_cues.jsonl", encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            if "cue" in entry:
                out.setdefault(entry["cue"], []).append(entry)
    return out


@cache
def _departements() -> dict[str, str]:
    """Official département name -> code (``places_departements.jsonl``)."""
    with open(_PATTERNS / "places_departements.jsonl", encoding="utf-8") as f:
        entries = [json.loads(line) for line in f]
    return {e["nom"]: e["code"] for e in entries if "code" in e}


def _alternation(texts: list[str]) -> str:
    """Regex alternation of ``texts``, longest first, either apostrophe accepted."""
    escaped = [re.escape(t).replace("'", f"[{_APOS}]") for t in sorted(set(texts), key=len, reverse=True)]
    return "|".join(escaped)


def _cue_regex(kind: str) -> str:
    """Alternation of one cue type: long forms case-insensitive, acronyms (CH, MSP) case-sensitive."""
    texts = [e["text"] for e in _cues()[kind]]
    acronyms = [t for t in texts if t.isupper()]
    words = [t for t in texts if not t.isupper()]
    parts = [f"(?i:{_alternation(words)})"] if words else []
    if acronyms:
        parts.append(_alternation(acronyms))
    return rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])"


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    dept = rf"(?<![\w-])(?P<dept>{_alternation(list(_departements()))})(?![\w-])"
    article = rf"(?:le |la |les |l[{_APOS}] ?)"
    of = rf"(?:de la |de l[{_APOS}] ?|du |des |de |d[{_APOS}] ?|en )"
    heading_words = _alternation([e["text"] for e in _cues()["list_heading"]])
    return {
        "dept": re.compile(dept),
        "dept_number": re.compile(rf"{dept}\s*\((?P<code>\d{{2,3}}|2[AB])\)"),
        "dept_named": re.compile(rf"(?i:département\s+){of}{dept}"),
        "dept_in": re.compile(rf"(?i:dans\s+){article}{dept}"),
        "number_after_name": re.compile(rf"(?<=[{_LOW}{_UP}])\s?\((?P<code>\d{{2,3}}|2[AB])\)"),
        "dept_funder": re.compile(
            rf"(?i:assurance\s+maladie|CPAM|caisse\s+primaire\s+d[{_APOS}]assurance\s+maladie)\s+{of}?{dept}"
        ),
        "heading": re.compile(
            rf"(?i:(?:la\s+)?liste\s+des\s+|l[{_APOS}]ensemble\s+des\s+|les\s+|le\s+|la\s+)?(?:\d+\s+)?"
            rf"(?P<word>(?i:{heading_words}))(?![\w-])"
        ),
        "dept_heading": re.compile(rf"(?i:dans\s+)?{of}?{article}?{dept}(?:\s*\(\w+\))?\s*$"),
        "epci_head": re.compile(_cue_regex("epci_head")),
        "establishment": re.compile(
            rf"{_cue_regex('establishment')}(?: [{_LOW}-]+){{0,2}}? {_DE}(?P<names>{_NAME_LIST})"
        ),
        "person_place": re.compile(rf"{_cue_regex('person_place')}(?: [{_LOW}-]+){{0,2}}? à (?P<names>{_NAME})"),
        "inline_list": re.compile(
            rf"(?<!communauté de )(?<!communautés de )(?i:communes) {_DE}(?P<names>{_NAME_LIST})"
        ),
    }


def extract_places(doc: Doc) -> list[PlaceMention]:
    """Every place mention of ``doc``, in text order (see the module docstring)."""
    text = doc.text
    sentence_starts = [s.start_char for s in doc.sents]
    taken: list[_Span] = []
    places = _commune_lists(text, taken)
    places += _epcis(text, sentence_starts, taken)
    next_list_id = max((p.list_id or 0 for p in places), default=0) + 1
    places += _inline_lists(text, sentence_starts, taken, first_list_id=next_list_id)
    places += find_departements(text, taken)
    places += _mentioned(text, taken)
    return sorted(places, key=lambda p: (p.char_start, p.char_end))


def find_departements(text: str, taken: list[_Span] | None = None) -> list[PlaceMention]:
    """Départements named in ``text``.

    With their number, after "département de" or "dans la": role territory.
    After "Assurance Maladie de"/"CPAM", or only as a number after another
    name ("Montreuil (93)"): role mentioned, a context hint only.
    """
    taken = taken if taken is not None else []
    regexes = _regexes()
    codes = _departements()
    out = []
    forms = (
        ("dept_number", "territory"),
        ("dept_named", "territory"),
        ("dept_in", "territory"),
        ("dept_funder", "mentioned"),
    )
    for name, role in forms:
        for m in regexes[name].finditer(text):
            code = codes[m["dept"]]
            if name == "dept_number" and m["code"].upper() != code:
                taken.append(_Span(m.start("code") - 1, m.end()))
                continue
            start = m.start("dept")
            end = m.end() if name == "dept_number" else m.end("dept")
            if _overlaps(taken, start, end):
                continue
            taken.append(_Span(start, end))
            out.append(
                PlaceMention(
                    text=text[start:end],
                    char_start=start,
                    char_end=end,
                    name=m["dept"],
                    kind="departement",
                    role=role,
                    dept_hint=code,
                )
            )
    names = {code: name for name, code in codes.items()}
    for m in regexes["number_after_name"].finditer(text):
        start, end = m.start("code") - 1, m.end()
        if m["code"] in names and not _overlaps(taken, start, end):
            taken.append(_Span(start, end))
            out.append(
                PlaceMention(
                    text=text[start:end],
                    char_start=start,
                    char_end=end,
                    name=names[m["code"]],
                    kind="departement",
                    role="mentioned",
                    dept_hint=m["code"],
                )
            )
    return out


def _commune_lists(text: str, taken: list[_Span]) -> list[PlaceMention]:
    """Lists under a heading: the heading's own line after its colon, then the following name lines."""
    lines = _lines(text)
    out: list[PlaceMention] = []
    list_id = 0
    i = 0
    while i < len(lines):
        start, line = lines[i]
        heading = _heading(line, allow_bare=True)
        if heading is None:
            i += 1
            continue
        hint, strict, rest, bullets_only = heading
        i += 1
        if line[rest:].strip():
            found = _items(line[rest:], start + rest, hint, strict, list_id + 1) or []
        else:
            i, found = _following_lines(lines, i, hint, strict, bullets_only, list_id + 1)
        if strict and len(found) < 2:
            found = []
        if found:
            list_id += 1
        for place in found:
            taken.append(_Span(place.char_start, place.char_end))
        out += found
    return out


def _following_lines(
    lines: list[tuple[int, str]], i: int, hint: str | None, strict: bool, bullets_only: bool, list_id: int
) -> tuple[int, list[PlaceMention]]:
    """Names on the lines after a heading, up to the first line that is not part of the list.

    Sub-headings ("Commune de la Loire :") change the département hint. A line
    holding one name continues the list only right after a heading, as a
    bullet, or with no blank line since the previous list line, so a section
    title after the list is not read as a commune. Returns the next line index.
    """
    found: list[PlaceMention] = []
    after_heading, blank = True, False
    while i < len(lines):
        start, line = lines[i]
        if not line.strip():
            blank = True
            i += 1
            continue
        sub = _heading(line, allow_bare=False)
        if sub is not None:
            hint = sub[0] or hint
            rest = line[sub[2] :]
            if rest.strip():
                found += _items(rest, start + sub[2], hint, strict, list_id) or []
            after_heading, blank = True, False
            i += 1
            continue
        if line.rstrip().endswith(":") or (bullets_only and not _BULLET.match(line)):
            break
        items = _items(line, start, hint, strict, list_id)
        lone = items is not None and len(items) == 1 and not _BULLET.match(line)
        if items is None or (lone and blank and not after_heading):
            break
        found += items
        after_heading, blank = False, False
        i += 1
    return i, found


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    start = 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def _heading(line: str, *, allow_bare: bool) -> tuple[str | None, bool, int, bool] | None:
    """A commune-list heading line: ``(dept hint, strict, offset after the last colon, bullets only)``.

    Headings may be chained ("Les 30 communes de la CPTS : Communes du Rhône :").
    With ``allow_bare``, a heading without a colon ("Communes du territoire")
    is accepted too, and then heads bullet lines only.
    """
    regexes = _regexes()
    body = _BULLET.sub("", line)
    offset = len(line) - len(body)
    hint: str | None = None
    strict = True
    pos = 0
    found = False
    while (colon := body.find(":", pos)) >= 0:
        segment = body[pos:colon].strip()
        heading = regexes["heading"].match(segment)
        dept_only = regexes["dept_heading"].match(segment)
        if len(segment) > 120 or "." in segment or not (heading or dept_only):
            break
        found = True
        hint = _dept_hint(segment) or hint
        if heading:
            strict = strict and _is_strict(heading["word"])
        pos = colon + 1
    if found:
        return hint, strict, offset + pos, False
    stripped = body.strip()
    heading = regexes["heading"].match(stripped)
    if allow_bare and heading and ":" not in stripped and not stripped.endswith(".") and len(stripped.split()) <= 12:
        return _dept_hint(stripped), _is_strict(heading["word"]), len(line), True
    return None


def _is_strict(word: str) -> bool:
    return any(fold(e["text"]) == fold(word) and e.get("strict") for e in _cues()["list_heading"])


def _dept_hint(segment: str) -> str | None:
    """The département a heading names ("Communes du Rhône", "Loire (42)", "(69)")."""
    found = _regexes()["dept"].search(segment)
    if found:
        return _departements()[found["dept"]]
    number = _DEPT_NUMBER.search(segment)
    if number and number["code"].upper() in _departements().values():
        return number["code"].upper()
    return None


def _items(
    segment: str, offset: int, hint: str | None, strict: bool, list_id: int
) -> list[PlaceMention] | None:
    """The names of one list line, or None when the line is not a list of names (prose, figures)."""
    body = _BULLET.sub("", segment)
    offset += len(segment) - len(body)
    pieces = _split_items(body.rstrip(" .;"))
    out = []
    for start, end in pieces:
        place = _item(body[start:end], offset + start, hint, list_id)
        if place is not None:
            out.append(place)
    if not out or len(out) * 2 < len(pieces) or (strict and len(out) != len(pieces)):
        return None
    return out


def _split_items(body: str) -> list[tuple[int, int]]:
    """Item spans of a list line: separated by , ; / • or a spaced dash, the last one also by "et"."""
    spans = []
    pos = 0
    for sep in _ITEM_SPLIT.finditer(body):
        spans.append((pos, sep.start()))
        pos = sep.end()
    spans.append((pos, len(body)))
    last_start, last_end = spans[-1]
    final_et = _FINAL_ET.search(body, last_start, last_end)
    if final_et:
        spans[-1:] = [(last_start, final_et.start()), (final_et.end(), last_end)]
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _item(piece: str, start: int, hint: str | None, list_id: int) -> PlaceMention | None:
    """One list item as a commune (or an intercommunalité written with its legal form), if it looks like a name."""
    number = _DEPT_NUMBER.search(piece)
    if number:
        hint = number["code"].upper()
        piece = piece[: number.start()]
    stripped = piece.strip()
    start += len(piece) - len(piece.lstrip())
    end = start + len(stripped)
    epci = _regexes()["epci_head"].match(stripped)
    if epci:
        return PlaceMention(
            text=stripped,
            char_start=start,
            char_end=end,
            name=stripped,
            kind="epci",
            list_id=list_id,
            epci_type=_epci_type(epci.group()),
        )
    words = stripped.split()
    if (
        not _ITEM_CHARS.match(stripped)
        or len(words) > _MAX_ITEM_WORDS
        or (stripped.isupper() and len(words) > 3)
        or _has_not_commune_word(stripped)
    ):
        return None
    return PlaceMention(
        text=stripped, char_start=start, char_end=end, name=stripped, dept_hint=hint, list_id=list_id
    )


def _has_not_commune_word(text: str) -> bool:
    return any(w in _folded_cues("not_commune") for w in re.findall(r"[a-z]+", fold(text)))


@cache
def _folded_cues(kind: str) -> frozenset[str]:
    return frozenset(fold(e["text"]) for e in _cues()[kind])


def _epcis(text: str, sentence_starts: list[int], taken: list[_Span]) -> list[PlaceMention]:
    """Intercommunalités after their legal form; a plural form heads a coordinated list."""
    out = []
    heads = list(_regexes()["epci_head"].finditer(text))
    for head in heads:
        if _overlaps(taken, head.start(), head.end()):
            continue
        plural = any(fold(head.group()) == fold(e["text"]) and e.get("plural") for e in _cues()["epci_head"])
        names = _epci_names(text, head.end(), plural, abbreviation=head.group().isupper())
        if not names:
            continue
        role = "territory" if _territory_cue(text, sentence_starts, head.start(), heads) else "mentioned"
        kind = _epci_type(head.group())
        for start, end in names:
            if not plural:
                start = head.start()
            taken.append(_Span(start, end))
            out.append(
                PlaceMention(
                    text=text[start:end],
                    char_start=start,
                    char_end=end,
                    name=text[start:end],
                    kind="epci",
                    role=role,
                    epci_type=kind,
                )
            )
    return out


def _epci_type(head: str) -> str | None:
    folded = fold(head)
    for entry in _cues()["epci_head"]:
        if fold(entry["text"]) == folded:
            return entry["type"]
    return None


def _epci_names(text: str, pos: int, plural: bool, *, abbreviation: bool) -> list[tuple[int, int]]:
    """Name spans after an EPCI legal form, each without its leading preposition.

    The name runs over capitalised words and small particles (de, du, entre,
    et...) and stops at punctuation or another lower-case word. After a plural
    form, commas separate names and the first "et" of the last chunk followed
    by a preposition or a capital separates the last two.
    """
    colon = re.match(r"\s*:", text[pos:])
    if colon and plural:
        pos += colon.end()
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
        if _regexes()["epci_head"].match(text, m.start("word")):
            break
        bare = re.sub(rf"^[dl][{_APOS}]", "", word)
        is_cap = bool(bare) and bare[0].isupper()
        if not is_cap and fold(word).rstrip("'") not in _BODY_PARTICLES:
            break
        if current is None:
            if not is_cap and fold(word).rstrip("'") not in {"de", "du", "des", "d", "la", "l"}:
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
        final_et = _FINAL_ET.search(text, last_start, last_end)
        if final_et:
            chunks[-1:] = [[last_start, final_et.start()], [final_et.end(), last_end]]
    out = []
    for start, end in chunks:
        preposition = _EPCI_PREPOSITION.match(text, start, end)
        name_start = preposition.end() if preposition else start
        if name_start < end and text[name_start].isupper():
            out.append((name_start, end))
        elif abbreviation:
            return []
    return out


def _territory_cue(text: str, sentence_starts: list[int], at: int, heads: list[re.Match[str]]) -> bool:
    """True when a territory word comes before ``at`` in its sentence (legal forms themselves excluded)."""
    start = sentence_starts[bisect_right(sentence_starts, at) - 1] if sentence_starts else 0
    before = text[start:at]
    for head in heads:
        if start <= head.start() < at:
            before = before.replace(head.group(), " ")
    cues = _folded_cues("territory")
    return any(w.startswith(c) for w in re.findall(r"[a-z']+", fold(before)) for c in cues)


def _inline_lists(
    text: str, sentence_starts: list[int], taken: list[_Span], first_list_id: int
) -> list[PlaceMention]:
    """ "couvre les communes de A, B et C": two names at least, territory after a territory word."""
    out = []
    list_id = first_list_id
    for m in _regexes()["inline_list"].finditer(text):
        found = _NAME_RE.finditer(text, m.start("names"), m.end("names"))
        names = [n for n in found if not _is_departement(n.group())]
        if len(names) < 2 or _overlaps(taken, m.start(), m.end()):
            continue
        role = "territory" if _territory_cue(text, sentence_starts, m.start(), []) else "mentioned"
        for n in names:
            taken.append(_Span(n.start(), n.end()))
            out.append(
                PlaceMention(
                    text=n.group(),
                    char_start=n.start(),
                    char_end=n.end(),
                    name=n.group(),
                    role=role,
                    list_id=list_id,
                )
            )
        list_id += 1
    return out


def _mentioned(text: str, taken: list[_Span]) -> list[PlaceMention]:
    """Towns of establishments and of people: role mentioned."""
    out = []
    regexes = _regexes()
    for pattern in (regexes["establishment"], regexes["person_place"]):
        for m in pattern.finditer(text):
            for n in _NAME_RE.finditer(text, m.start("names"), m.end("names")):
                if _is_departement(n.group()) or _has_not_commune_word(n.group()):
                    continue
                if _overlaps(taken, n.start(), n.end()):
                    continue
                taken.append(_Span(n.start(), n.end()))
                out.append(
                    PlaceMention(
                        text=n.group(),
                        char_start=n.start(),
                        char_end=n.end(),
                        name=n.group(),
                        role="mentioned",
                    )
                )
    return out


def _is_departement(name: str) -> bool:
    """ "la Loire", "l'Ain": a département written with its article (a bare "Vienne" is the town)."""
    bare = re.sub(rf"^(?:[Ll]es|[Ll]e|[Ll]a) |^[Ll][{_APOS}] ?", "", name)
    return bare != name and bare in _departements()


def _overlaps(taken: list[_Span], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in taken)


@Language.component("cpts_places")
def places_component(doc: Doc) -> Doc:
    doc._.places = extract_places(doc)
    return doc
