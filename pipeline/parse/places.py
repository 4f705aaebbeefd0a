"""Place names (communes, intercommunalités, départements) with their role.

Only names the text marks as places are read, never every capitalised word:

- commune lists under a heading ("Communes du Rhône : A, B, C", "Les 30
  communes de la CPTS X :" then lines of names, "Nos communes" then a
  column of at least three names, or a flattened table "Commune |
  Population" then "A | 1 234"): kind ``commune``, role ``territory``, one
  ``list_id`` per list, the heading's département as ``dept_hint``;
- inline lists opened by a phrase of ``list_intro`` ("couvre les communes de
  A, B et C", "six communes : A, B", "26 communes (A, B…)", "12 communes, dont
  A et B", "autour de A, B et C", "en passant par A et B", "ses principaux
  pôles sont A et B", "couvre A, B et C", "la commune du Gosier"), names
  separated by commas, semicolons, spaced dashes, "et" or "ou", each
  optionally followed by its "(01)", grouped by labels ("côté isérois,",
  "dans la Drôme :"): role ``territory`` after a territory word or a count
  of communes in the sentence, or when the text counts as many communes as
  the list names ("les soignants de A, B et C ... Les trois communes").
  One town alone after "autour de" is only mentioned: "12 communes autour
  de Lyon" may well exclude Lyon. "du"/"des" before a name is its article
  ("du Lamentin" names Le Lamentin);
- the two ends of a range right after a territory word ("s'étend sur 45
  communes, de A à B", "va de A à B"): role ``territory``. A range is not a
  list: nothing between its ends is inferred;
- the names in parentheses after an intercommunalité ("la communauté
  d'agglomération X (A, B, C…)"): communes with the intercommunalité's role;
- municipal arrondissements ("les 13e et 14e arrondissements de Paris",
  "Paris 18e", "le 13e arrondissement" in a text naming Paris and no other
  city with arrondissements): communes named as the reference names them
  ("Paris 13e");
- cantons ("le canton de Nantua"): kind ``canton``. A canton is not a
  commune and its communes are not in the reference, so it only tells the
  département (resolved through its chef-lieu's name, in
  ``pipeline.normalise.communes``);
- départements named with their number ("Puy-de-Dôme (63)"), after
  "département de", "dans la/le" or "en", or opening a line ("Gironde : la
  CPTS..."): kind ``departement``, role ``territory``; after a departmental
  funder ("Assurance Maladie de", "CPAM de", "CGSS de"): role ``mentioned``
  (a context hint, and the fallback when nothing else gives the département);
- régions after "ARS", "région" or "en" ("ARS Occitanie"): kind ``region``,
  ``region_hint`` set;
- intercommunalités after their legal form ("communauté de communes Cœur de
  Savoie", "CC du Pays d'Urfé", "communautés de communes de A, du B et des C"):
  kind ``epci``, role ``territory`` when a territory word (couvre, territoire,
  communes...) comes before them in the sentence, else ``mentioned``; also
  ``mentioned`` after a partitive ("une partie de la métropole"), since its
  expansion would add communes outside the territory. A "Pays de X" without
  legal form is neither an EPCI nor a commune: nothing is read;
- towns named for another reason, after an establishment ("CHU de
  Clermont-Ferrand", "centre de santé d'Amplepuis") or a profession/location
  verb ("masseur-kinésithérapeute à Sain-Bel"): role ``mentioned``; a
  person's name there ("le cabinet de Sophie Lemaire") is no town.

A name in a territory list and also mentioned elsewhere gets one record per
mention, each with its own role; the commune belongs to the territory because
one of its records says so. Resolution against the COG is
``pipeline.normalise.communes``'s job.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import count
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.nlp import model_nlp
from pipeline.parse.segment import sentence_bounds
from pipeline.records import PlaceMention
from pipeline.textnorm import VocabDict, fold, vocab_key

Doc.set_extension("places", default=None, force=True)

_PATTERNS = Path(__file__).resolve().parent.parent / "patterns"

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
_APOS = "'’"
_DASH = r"[\s\-\u2010-\u2015]"
"""A hyphen or a space inside a vocabulary name: writers use -, ‑, – or a space alike ("Côte d’Or")."""
_CAPWORD = rf"[{_UP}][{_LOW}{_UP}]*"
_ELIDED = rf"[dl][{_APOS}]"
_HYPHEN_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|ès|ez|aux|au|et|à|près|devant|derrière|di|del"
"""Lower-case words between hyphens in commune names of the COG ("Savonnières-devant-Bar", "Olmeta-di-Tuda")."""
_SPACE_PARTICLES = "de|du|des|la|le|les|sur|sous|en|lès|lez|aux|au"
_NAME = (
    rf"(?:(?:[Ll]es|[Ll]e|[Ll]a) |[Ll][{_APOS}] ?)?{_CAPWORD}"
    rf"(?:-(?:(?:{_HYPHEN_PARTICLES})-)*(?:{_ELIDED})?{_CAPWORD}"
    rf"| (?:(?:{_SPACE_PARTICLES}) )*(?:{_ELIDED} ?)?{_CAPWORD})*"
)
"""A place name as written: "Saint-Chamond", "l'Arbresle", "Rive-de-Gier", "Le Bessat", "Lyon Sud"."""
_NAME_RE = re.compile(_NAME)
_PERSON_SHAPE = re.compile(rf"(?!(?:Saint|Sainte|St|Ste|Le|La|Les|Los)\b){_CAPWORD} {_CAPWORD}")
"""A first and last name: two capitalised words and a space ("Sophie Lemaire"); hagionyms and articles excluded."""
_DE = rf"(?:de |d[{_APOS}] ?)"
_NAME_LIST = rf"{_NAME}(?: ?, ?{_NAME})*(?:,? et {_DE}?{_NAME})?"
_BULLET = re.compile(r"^[-•*–·▪►‣◦]\s*")
_DEPT_NUMBER = re.compile(r"\((?P<code>\d{2,3}|2[ABab])\)")
_ITEM_SPLIT = re.compile(r"\s*[,;/•]\s*|\s+[-–]\s+")
_ITEM_CHARS = re.compile(rf"^(?:[Ll][{_APOS}] ?)?[{_UP}][{_LOW}{_UP}{_APOS} .-]*$")
_EPCI_PREPOSITION = re.compile(rf"(?:de la |de l[{_APOS}] ?|du |des |de |d[{_APOS}] ?|le |la |les |l[{_APOS}] ?)")
_FINAL_ET = re.compile(rf" et (?=(?:de |du |des |d[{_APOS}]|[{_UP}]))")
_BODY_TOKEN = re.compile(rf"\s*(?:(?P<comma>,)|(?P<word>[\w{_APOS}-]+)|(?P<other>\S))")
_BODY_PARTICLES = frozenset("de du des la le les l d et entre en sur sous lès lez aux au".split())
_MAX_ITEM_WORDS = 6
_PARTIAL_WINDOW = 5
"""Words before an intercommunalité searched for a partitive ("une partie de la")."""
_MIN_COLUMN = 3
"""Fewest lines of one name each that make a list under a heading without colon or bullets."""
_ORDINAL = r"\d{1,2}(?:er|e|è|ème|eme)(?![\w-])"
_ORDINAL_NUMBER = re.compile(r"\d{1,2}")
_CONTRACTED = {"du": "Le ", "des": "Les "}
"""Article that "du"/"des" (de + le/les) contracts before a commune name."""
_ARRONDISSEMENT_CITIES = "Paris|Lyon|Marseille"
"""The communes divided into municipal arrondissements, each with its own INSEE code."""
_POPULATION_CELL = re.compile(
    r"\s*(?:[|:\t]\s*[\d .]+(?:\s*hab(?:itants|\.)?)?|\(\s*[\d .]+\s*hab(?:itants|\.)?\s*\))\s*$"
)
"""A population after a commune name: the second cell of a flattened table ("| 1 234") or "(1 234 hab.)"."""


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Item:
    """One name of a prose list; ``taken_end`` includes its "(NN)" when it has one, ``article`` is the one
    contracted before it ("du Lamentin" names Le Lamentin, not Lamentin)."""

    start: int
    end: int
    hint: str | None
    taken_end: int
    article: str = ""


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
    return VocabDict({e["nom"]: e["code"] for e in entries if "code" in e})


@cache
def _departements_names() -> list[str]:
    """Official département names as written, for the regex alternations."""
    with open(_PATTERNS / "places_departements.jsonl", encoding="utf-8") as f:
        return [e["nom"] for e in map(json.loads, f) if "code" in e]


@cache
def _regions_names() -> list[str]:
    """Région names and aliases as written, for the regex alternations."""
    with open(_PATTERNS / "places_regions.jsonl", encoding="utf-8") as f:
        return [name for e in map(json.loads, f) if "code" in e for name in [e["nom"], *e["aliases"]]]


@cache
def _kicker_departements() -> frozenset[str]:
    """Départements whose name alone ("Gironde : ...", "de Savoie") is the département: no commune bears it."""
    with open(_PATTERNS / "places_departements.jsonl", encoding="utf-8") as f:
        entries = [json.loads(line) for line in f]
    return frozenset(vocab_key(e["nom"]) for e in entries if "code" in e and not e.get("commune_homonym"))


@cache
def _regions() -> dict[str, str]:
    """Région name, official or usual ("Auvergne Rhône-Alpes", "PACA") -> code (``places_regions.jsonl``)."""
    with open(_PATTERNS / "places_regions.jsonl", encoding="utf-8") as f:
        entries = [json.loads(line) for line in f]
    return VocabDict({name: e["code"] for e in entries if "code" in e for name in [e["nom"], *e["aliases"]]})


@cache
def _number_words() -> dict[str, int]:
    """Cardinal words ("six", "trois") of ``number_words.jsonl`` and their values, for counts such as "six communes"."""
    with open(_PATTERNS / "number_words.jsonl", encoding="utf-8") as f:
        entries = [json.loads(line) for line in f]
    exact = [e for e in entries if "word" in e and not e.get("approx") and not e.get("adjective")]
    return {fold(e["word"]): e["value"] for e in exact}


@dataclass(frozen=True, slots=True)
class _Intro:
    """One ``list_intro`` phrase, compiled, with how it gives its names a role."""

    regex: re.Pattern[str]
    always_territory: bool
    min_names: int
    min_territory_names: int
    mentioned_without_cue: bool


@cache
def _intros() -> list[_Intro]:
    """The ``list_intro`` cues of ``places_cues.jsonl``: a phrase ("communes, dont") or a regex, either case."""
    out = []
    for e in _cues()["list_intro"]:
        body = e.get("regex") or _alternation([e["text"]]).replace(r"\ ", r"\s+")
        out.append(
            _Intro(
                regex=re.compile(rf"(?<![\w-])(?i:{body})\s*"),
                always_territory=e["territory"] == "always",
                min_names=e.get("min_names", 1),
                min_territory_names=e.get("min_territory_names", 1),
                mentioned_without_cue=e.get("mentioned_without_cue", False),
            )
        )
    return out


def _alternation(texts: list[str]) -> str:
    """Regex alternation of ``texts``, longest first, either apostrophe accepted."""
    escaped = [
        re.escape(t).replace("'", f"[{_APOS}]").replace(r"\-", _DASH).replace(r"\ ", _DASH)
        for t in sorted(set(texts), key=len, reverse=True)
    ]
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
    dept = rf"(?<![\w-])(?P<dept>{_alternation(_departements_names())})(?![\w-])"
    article = rf"(?:le |la |les |l[{_APOS}] ?)"
    of = rf"(?:de la |de l[{_APOS}] ?|du |des |de |d[{_APOS}] ?|en )"
    heading_words = _alternation([e["text"] for e in _cues()["list_heading"]])
    return {
        "dept": re.compile(dept),
        "dept_number": re.compile(rf"{dept}\s*\((?P<code>\d{{2,3}}|2[AB])\)"),
        "dept_named": re.compile(rf"(?i:département\s+){of}{dept}"),
        "dept_in": re.compile(rf"(?:(?i:dans\s+){article}|(?<![\w-])(?i:en)\s+){dept}"),
        "dept_kicker": re.compile(rf"(?m)^(?P<dept>{_alternation([n for n in _departements_names() if vocab_key(n) in _kicker_departements()])})\s?:"),
        "number_after_name": re.compile(rf"(?<=[{_LOW}{_UP}])\s?\((?P<code>\d{{2,3}}|2[AB])\)"),
        "dept_funder": re.compile(rf"{_cue_regex('funder')}(?:\s*\([{_UP}]+\))?\s+{of}?{dept}"),
        "region": re.compile(
            rf"{_cue_regex('region_head')}\s+(?:de la |de l[{_APOS}] ?|du |de |d[{_APOS}] ?)?"
            rf"(?P<region>{_alternation(_regions_names())})(?![\w-])"
        ),
        "heading": re.compile(
            rf"(?i:(?:la\s+)?liste\s+(?:des|de\s+nos)\s+|l[{_APOS}]ensemble\s+des\s+|les\s+|le\s+|la\s+"
            rf"|nos\s+|notre\s+|ses\s+|son\s+|leurs\s+|leur\s+)?(?:\d+\s+)?"
            rf"(?P<word>(?i:{heading_words}))(?![\w-])"
        ),
        "dept_heading": re.compile(rf"(?i:dans\s+)?{of}?{article}?{dept}(?:\s*\(\w+\))?\s*$"),
        "epci_head": re.compile(_cue_regex("epci_head")),
        "establishment": re.compile(
            rf"{_cue_regex('establishment')}(?: [{_LOW}-]+){{0,2}}? {_DE}(?P<names>{_NAME_LIST})"
        ),
        "person_place": re.compile(rf"{_cue_regex('person_place')}(?: [{_LOW}-]+){{0,2}}? à (?P<names>{_NAME})"),
        "list_item": re.compile(
            rf"(?:{_DE}|du |des )?(?P<name>{_NAME})(?:\s?\((?P<code>\d{{2,3}}|2[AB])\))?"
        ),
        "list_label": re.compile(
            rf"(?i:{_alternation([e['text'] for e in _cues()['list_label']])})"
            rf"(?:(?: |(?<=[{_APOS}]))(?:[{_LOW}]+[{_APOS}]?|{_alternation(_departements_names())})){{0,3}}?\s?[,:]\s*"
        ),
        "list_sep": re.compile(rf"\s?[,;]\s?(?:et\s)?|\s[-–]\s|\set\s|\sou\s"),
        "range": re.compile(
            rf"(?<![\w-])(?i:de |d[{_APOS}] ?|du |des )(?P<a>{_NAME}) (?i:à |au |aux |jusqu[{_APOS}]à )(?P<b>{_NAME})"
        ),
        "arrondissements": re.compile(
            rf"(?P<ordinals>{_ORDINAL}(?:(?:\s?,\s?|\set\s){_ORDINAL})*)\s+(?i:arrondissements?)"
            rf"(?:\s+(?:de\s+)?(?P<city>{_ARRONDISSEMENT_CITIES})(?![\w-]))?"
        ),
        "city_arrondissements": re.compile(
            rf"(?<![\w-])(?P<city>{_ARRONDISSEMENT_CITIES})\s(?P<ordinals>{_ORDINAL}(?:(?:\s?,\s?|\set\s){_ORDINAL})*)"
            rf"(?:\s+(?i:arrondissements?))?"
        ),
        "arrondissement_city": re.compile(rf"(?<![\w-])(?:{_ARRONDISSEMENT_CITIES})(?![\w-])"),
        "canton": re.compile(rf"(?<![\w-])(?i:cantons?)\s+{_DE}(?P<names>{_NAME_LIST})"),
    }


def extract_places(doc: Doc) -> list[PlaceMention]:
    """Every place mention of ``doc``, in text order (see the module docstring)."""
    text = doc.text
    sentence_starts = [start for start, _ in sentence_bounds(doc)]
    taken: list[_Span] = []
    places = _commune_lists(text, taken)
    list_ids = count(max((p.list_id or 0 for p in places), default=0) + 1)
    epcis = _epcis(text, sentence_starts, taken)
    places += epcis
    places += _epci_member_lists(text, epcis, taken, list_ids)
    places += _arrondissements(text, sentence_starts, taken, list_ids)
    places += _inline_lists(text, sentence_starts, taken, list_ids)
    places += _ranges(text, sentence_starts, taken, list_ids)
    places += _cantons(text, sentence_starts, taken)
    places += find_departements(text, taken)
    places += find_regions(text, taken)
    places += _mentioned(text, taken)
    return sorted(places, key=lambda p: (p.char_start, p.char_end))


def find_departements(text: str, taken: list[_Span] | None = None) -> list[PlaceMention]:
    """Départements named in ``text``.

    With their number, after "département de", "dans la" or "en", or opening
    a line ("Gironde : ..."): role territory. After a departmental funder
    ("CPAM de", see ``funder_departements``; the mention's text is then the
    whole "CPAM de la Manche"), or only as a number after another name
    ("Montreuil (93)"): role mentioned, a context hint only.
    """
    taken = taken if taken is not None else []
    regexes = _regexes()
    codes = _departements()
    out = []
    forms = (
        ("dept_number", "territory"),
        ("dept_named", "territory"),
        ("dept_in", "territory"),
        ("dept_kicker", "territory"),
        ("dept_funder", "mentioned"),
    )
    for name, role in forms:
        for m in regexes[name].finditer(text):
            code = codes[m["dept"]]
            if name == "dept_number" and m["code"].upper() != code:
                taken.append(_Span(m.start("code") - 1, m.end()))
                continue
            start = m.start() if name == "dept_funder" else m.start("dept")
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


def funder_departements(text: str) -> set[str]:
    """Départements of the departmental funders ``text`` names ("CPAM de la Manche", "CGSS de La Réunion").

    A CPTS signs its contract with the caisse of its own département, so
    this is the département to state when nothing else names one.
    """
    return {_departements()[m["dept"]] for m in _regexes()["dept_funder"].finditer(text)}


def find_regions(text: str, taken: list[_Span] | None = None) -> list[PlaceMention]:
    """Régions named after "ARS", "agence régionale de santé", "région" or "en": kind region, role territory."""
    taken = taken if taken is not None else []
    out = []
    for m in _regexes()["region"].finditer(text):
        start, end = m.span("region")
        if _overlaps(taken, start, end):
            continue
        taken.append(_Span(start, end))
        out.append(
            PlaceMention(
                text=m["region"],
                char_start=start,
                char_end=end,
                name=m["region"],
                kind="region",
                region_hint=_regions()[m["region"]],
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
        if line.rstrip().endswith(":"):
            break
        if bullets_only and not _BULLET.match(line):
            if not after_heading:
                break
            column = _column(lines, i, hint, strict, list_id)
            found += [place for _, items in column for place in items]
            i = column[-1][0] + 1 if column else i
            break
        items = _items(line, start, hint, strict, list_id)
        lone = items is not None and len(items) == 1 and not _BULLET.match(line)
        if items is None or (lone and blank and not after_heading):
            break
        found += items
        after_heading, blank = False, False
        i += 1
    return i, found


def _column(
    lines: list[tuple[int, str]], i: int, hint: str | None, strict: bool, list_id: int
) -> list[tuple[int, list[PlaceMention]]]:
    """A column of names right under a heading without colon ("Nos communes" then one name per line).

    Without bullets, only a block of at least ``_MIN_COLUMN`` lines of one name
    each, with no blank line and no other heading inside, is a list: a lone
    line under a title is more likely a subtitle or a sentence, and lines
    with figures ("Habitants | 41 200") are a table of key figures. Returns
    ``(line index, [place])`` per line, or nothing.
    """
    block = []
    while i < len(lines) and lines[i][1].strip() and _heading(lines[i][1], allow_bare=True) is None:
        start, line = lines[i]
        items = _items(line, start, hint, strict, list_id)
        if items is None or len(items) != 1 or line.rstrip().endswith((".", ":")) or re.search(r"[\d|]", line):
            break
        block.append((i, items))
        i += 1
    return block if len(block) >= _MIN_COLUMN else []


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
    is accepted too, and then heads bullet lines only, unless it is the
    header row of a flattened table ("Commune | Population").
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
        return _dept_hint(stripped), _is_strict(heading["word"]), len(line), not _is_table_header(stripped)
    return None


def _is_table_header(line: str) -> bool:
    """A flattened table's header row ("Commune | Population"): every cell has words; "Communes | 54" is a figure."""
    cells = line.split("|")
    return len(cells) > 1 and all(re.search(rf"[{_LOW}{_UP}]", cell) for cell in cells)


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
    """One list item as a commune (or an intercommunalité written with its legal form), if it looks like a name.

    A population after the name ("A | 1 234", "A (1 234 hab.)") is dropped."""
    cell = _POPULATION_CELL.search(piece)
    if cell:
        piece = piece[: cell.start()]
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
    """True when a word standing alone marks something else than a commune ("Parc naturel du Vercors",
    "lac d'Annecy", "Pays de Fayence", an establishment such as "MSP"); inside a hyphenated name it is
    part of the commune's ("Saint-Pardoux-la-Rivière")."""
    cues = _folded_cues("not_commune") | _folded_cues("establishment")
    return any(re.sub(rf"^[dl][{_APOS}]|[^\w]", "", fold(w)) in cues for w in text.split())


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
        cue = _territory_cue(text, sentence_starts, head.start(), heads) or (plural and _counted(text, head.start()))
        role = "territory" if cue and not _partial(text, head.start()) else "mentioned"
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
        if _regexes()["epci_head"].match(text, m.start("word")):
            break
        bare = re.sub(rf"^[dl][{_APOS}]", "", word)
        is_cap = bool(bare) and bare[0].isupper()
        if not is_cap and fold(word).rstrip("'") not in _BODY_PARTICLES:
            break
        if current is None:
            if not is_cap and fold(word).rstrip("'") not in {"de", "du", "des", "d", "le", "la", "les", "l"}:
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


def _partial(text: str, at: int) -> bool:
    """True when the few words before ``at`` take only part of what follows ("une partie de la métropole",
    "certaines communes de la communauté de communes"): expanding it would add communes outside the territory."""
    before = re.findall(r"[a-z]+", fold(text[max(0, at - 60) : at]))[-_PARTIAL_WINDOW:]
    return bool(_folded_cues("partial") & set(before))


def _territory_cue(text: str, sentence_starts: list[int], at: int, heads: list[re.Match[str]]) -> bool:
    """True when a territory word comes before ``at`` in its sentence (legal forms themselves excluded)."""
    start = sentence_starts[bisect_right(sentence_starts, at) - 1] if sentence_starts else 0
    before = text[start:at]
    for head in heads:
        if start <= head.start() < at:
            before = before.replace(head.group(), " ")
    cues = _folded_cues("territory")
    return any(w.startswith(c) for w in re.findall(r"[a-z']+", fold(before)) for c in cues)


_TERRITORY_AFTER_REACH = 40
"""How far after the verb of a ``territory_after`` cue the CPTS or its territory may be named."""


def _territory_after(text: str, at: int) -> bool:
    """True when the words right after a list at ``at`` tie it to the CPTS ("A, B et C font partie de la CPTS",
    "... composent son territoire"): the cue comes after the names, in the same clause."""
    after = fold(text[at : at + 80])
    verbs = "|".join(re.escape(c["text"]) for c in _cues()["territory_after"])
    return bool(
        re.match(
            rf"\s*(?:{verbs})\b[^.;:\n]{{0,{_TERRITORY_AFTER_REACH}}}?\b(?:cpts|territoire|communaute)\b", after
        )
    )


def _inline_lists(
    text: str, sentence_starts: list[int], taken: list[_Span], list_ids: Iterator[int]
) -> list[PlaceMention]:
    """Names after a ``list_intro`` phrase ("couvre six communes : A, B et C", "autour de A et B", "couvre A,
    B et C"). A list holding a person's name ("le bureau comprend Marie Martin et ...") is no list of places."""
    out = []
    counts = _commune_counts(text)
    for intro in _intros():
        for m in intro.regex.finditer(text):
            if _overlaps(taken, m.start(), m.end()) or _after_epci_head(text, m.start()):
                continue
            items = _name_items(text, m.end())
            people = any(_is_person(text[m.start() : i.end], text[i.start : i.end]) for i in items)
            if len(items) < intro.min_names or people:
                continue
            cue = (
                _territory_cue(text, sentence_starts, m.start(), [])
                or _counted(text, m.start())
                or _territory_after(text, items[-1].taken_end)
            )
            if (
                intro.always_territory
                or (cue and len(items) >= intro.min_territory_names)
                or (len(items) > 1 and len(items) in counts)
            ):
                role = "territory"
            elif cue or intro.mentioned_without_cue:
                role = "mentioned"
            else:
                continue
            out += _list_mentions(text, items, role, next(list_ids), taken)
    return out


def _commune_counts(text: str) -> set[int]:
    """The numbers of communes the text states ("41 communes", "les quatre communes comptent").

    A list of towns read in passing ("les soignants de A, B, C et D") that has
    exactly as many names as the text gives communes is the territory.
    """
    numbers = _number_words()
    out = set()
    for m in re.finditer(r"(?<![\w-])([\w]+)\s+communes(?![\w-])", text):
        word = fold(m[1])
        if word.isdigit() or word in numbers:
            out.add(int(word) if word.isdigit() else numbers[word])
    return out


def _name_items(text: str, pos: int) -> list[_Item]:
    """The names of a prose list starting at ``pos``, up to the first non-name.

    Items are separated by commas, semicolons, spaced dashes, "et" or "ou",
    each optionally after "de"/"d'" or an article contracted with it ("du
    Gosier" is Le Gosier) and before its département number. Départements
    ("la Loire", "du Var", "Savoie" that no commune is named) and
    non-communes (parks, cantons) end the list. At
    its start and after a semicolon, a short label ("côté isérois,", "dans
    la Drôme :") groups the names that follow; a département it names is
    their hint.
    """
    regexes = _regexes()
    items: list[_Item] = []
    hint = None
    at_group = True
    while True:
        label = regexes["list_label"].match(text, pos) if at_group else None
        if label is not None:
            hint = _dept_hint(label.group()) or hint
            pos = label.end()
        m = regexes["list_item"].match(text, pos)
        if m is None:
            break
        name = m["name"]
        contracted = re.search(r"(?<![\w-])(?i:du|des)\s+$", text[max(0, m.start("name") - 5) : m.start("name")])
        if (
            _is_departement(name)
            or (contracted and name in _departements())
            or vocab_key(name) in _kicker_departements()
            or _has_not_commune_word(name)
        ):
            break
        code = m["code"].upper() if m["code"] else None
        article = _CONTRACTED.get(fold(contracted[0]).strip(), "") if contracted and name[0].isupper() else ""
        items.append(_Item(m.start("name"), m.end("name"), code or hint, m.end(), article))
        sep = regexes["list_sep"].match(text, m.end())
        if sep is None:
            break
        pos = sep.end()
        at_group = ";" in sep.group()
    return items


def _list_mentions(text: str, items: list[_Item], role: str, list_id: int, taken: list[_Span]) -> list[PlaceMention]:
    out = []
    for item in items:
        start, end = item.start, item.end
        if _overlaps(taken, start, end):
            continue
        taken.append(_Span(start, item.taken_end))
        out.append(
            PlaceMention(
                text=text[start:end],
                char_start=start,
                char_end=end,
                name=item.article + text[start:end],
                role=role,
                dept_hint=item.hint,
                list_id=list_id,
            )
        )
    return out


def _after_epci_head(text: str, at: int) -> bool:
    """True for the "communes" of a legal form ("communauté de communes de X" is no commune list)."""
    return bool(re.search(r"(?i:communautés?\s+de\s+)$", text[max(0, at - 30) : at]))


def _counted(text: str, at: int) -> bool:
    """True when a count stands right before ``at`` ("41 communes", "trois communautés de communes"):
    the communiqué is stating the make-up of the territory."""
    before = re.search(r"([\w'’]+)\s+$", text[max(0, at - 30) : at])
    return bool(before) and (before[1].isdigit() or fold(before[1]) in _number_words())


def _ranges(text: str, sentence_starts: list[int], taken: list[_Span], list_ids: Iterator[int]) -> list[PlaceMention]:
    """The two ends of "de A à B" right after a territory word ("s'étend sur 45 communes, de A à B")."""
    out = []
    cues = _folded_cues("range")
    for m in _regexes()["range"].finditer(text):
        start = sentence_starts[bisect_right(sentence_starts, m.start()) - 1] if sentence_starts else 0
        last_words = re.findall(r"[a-z]+", fold(text[start : m.start()]))[-4:]
        ends = [_Item(m.start("a"), m.end("a"), None, m.end("a")), _Item(m.start("b"), m.end("b"), None, m.end("b"))]
        names = [text[e.start : e.end] for e in ends]
        if not cues & set(last_words) or any(_is_departement(n) or _has_not_commune_word(n) for n in names):
            continue
        out += _list_mentions(text, ends, "territory", next(list_ids), taken)
    return out


def _arrondissements(
    text: str, sentence_starts: list[int], taken: list[_Span], list_ids: Iterator[int]
) -> list[PlaceMention]:
    """ "les 13e et 14e arrondissements de Paris", "Paris 18e": one commune per ordinal, named as in the
    reference ("Paris 13e").

    "le 13e arrondissement" without its city takes the one city with
    arrondissements that the text names ("CPAM de Paris"); when it names none
    or several, nothing is read.
    """
    out = []
    regexes = _regexes()
    cities = set(regexes["arrondissement_city"].findall(text))
    matches = [*regexes["arrondissements"].finditer(text), *regexes["city_arrondissements"].finditer(text)]
    for m in sorted(matches, key=lambda m: m.start()):
        city = m["city"] or (next(iter(cities)) if len(cities) == 1 else None)
        if city is None or _overlaps(taken, m.start(), m.end()):
            continue
        role = "territory" if _territory_cue(text, sentence_starts, m.start(), []) else "mentioned"
        list_id = next(list_ids)
        for n in _ORDINAL_NUMBER.finditer(text, m.start("ordinals"), m.end("ordinals")):
            number = int(n.group())
            end = re.match(r"\d+\w*", text[n.start() :]).end() + n.start()
            out.append(
                PlaceMention(
                    text=text[n.start() : end],
                    char_start=n.start(),
                    char_end=end,
                    name=f"{city} {number}{'er' if number == 1 else 'e'}",
                    role=role,
                    list_id=list_id,
                )
            )
        taken.append(_Span(m.start(), m.end()))
    return out


def _cantons(text: str, sentence_starts: list[int], taken: list[_Span]) -> list[PlaceMention]:
    """ "le canton de Nantua", "les cantons de A et de B": kind canton, for their département only."""
    out = []
    for m in _regexes()["canton"].finditer(text):
        role = "territory" if _territory_cue(text, sentence_starts, m.start(), []) else "mentioned"
        for item in _name_items(text, m.start("names")):
            start, end = item.start, item.end
            if _overlaps(taken, start, end):
                continue
            taken.append(_Span(start, end))
            out.append(
                PlaceMention(
                    text=text[start:end], char_start=start, char_end=end, name=text[start:end], kind="canton", role=role
                )
            )
    return out


def _epci_member_lists(
    text: str, epcis: list[PlaceMention], taken: list[_Span], list_ids: Iterator[int]
) -> list[PlaceMention]:
    """ "la communauté d'agglomération X (A, B, C…)": the names in parentheses are communes, with X's role."""
    out = []
    for epci in epcis:
        opening = re.match(r"\s?\(", text[epci.char_end :])
        if opening is None:
            continue
        items = _name_items(text, epci.char_end + opening.end())
        if items:
            out += _list_mentions(text, items, epci.role, next(list_ids), taken)
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
                if _overlaps(taken, n.start(), n.end()) or _is_person(text[m.start() : n.end()], n.group()):
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


def _is_person(phrase: str, name: str) -> bool:
    """True when ``name``, at the end of ``phrase``, is a person ("le cabinet de Sophie Lemaire"), not a town.

    Two capitalised words side by side, without hyphen, article or particle, is
    how a first and last name are written and how few communes are (two dozen
    in the COG, "Vire Normandie", or names whose hyphens were dropped,
    "Clermont Ferrand"), so for that shape only the NER model reads the phrase.
    """
    if not _PERSON_SHAPE.fullmatch(name):
        return False
    offset = len(phrase) - len(name)
    return any(e.label_ == "PER" and e.start_char <= offset < e.end_char for e in model_nlp()(phrase).ents)


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
