"""People with a role in the CPTS: its president.

Communiqués name the president in a handful of French constructions around
a "présid-" word, so rules read it without running the NER model (which
labels "Dr Gérard Esturillo" MISC as often as PER):

- the name after the cue: "présidée par le Dr NAME", "la présidence est
  assurée par NAME", "la CPTS est placée sous la présidence de NAME", "son
  président, le docteur NAME", "le président de la CPTS X, NAME", "Présidente :
  Mme NAME" and the label lines of flattened tables ("Présidente | NAME",
  "Président – NAME");
- the name before it: "NAME, président(e) de la CPTS", "NAME, médecin
  généraliste et président de la CPTS", "NAME (présidente)", "NAME est
  président de la CPTS", "NAME en est le président", "NAME préside la CPTS",
  "NAME (, pharmacienne,) en assure la présidence".

A bare "le président NAME" counts only in a sentence about the CPTS ("le
président Emmanuel Macron" does not), or, apposed ("Le président, le pharmacien
NAME, rappelle..."), right after sentences about it; "sous la présidence de" without
"placée" more often names who chairs a meeting, and is not read.

A président of another body ("président du conseil départemental", "de la
République", "de la communauté de communes"), a vice-, co- or ancien
président, and "présidentiel" are not read. A name is two or more
capitalised words (hyphenated, with particles such as de, du, Le), on the
cue's line, without its title (Dr, Mme, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.lines import BULLET_CLASS
from pipeline.patterns import load
from pipeline.records import CptsName, Person
from pipeline.parse.segment import doc_text, folded_text
from pipeline.textnorm import fold, fold_same_length

Doc.set_extension("people", default=None, force=True)

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_WORD = rf"(?:[{_UPPER}]['’](?=[{_UPPER}]))?(?:[{_UPPER}][{_LOWER}]+|[{_UPPER}]{{2,}})(?:-(?:[{_UPPER}][{_LOWER}]+|[{_UPPER}]{{2,}}))*"
"""A name's word: "Anne", "LE", "Jean-Luc", "N'Diaye"."""
_CAPITALISED = re.compile(rf"(?:[{_LOWER}]{{1,3}}['’])?[{_UPPER}]")
"""A name word: "Martin", "DUVAL", or an elided particle before a capital ("d’Arcourt")."""
_CUE = re.compile(r"\bpresid(?:ee?s?|ence|ente?|ait|era)\b")
"""On the folded text: présidé(e)(s) and préside (one folded form), présidence, président(e), présidait, présidera."""
_AT_THE_HEAD = re.compile(
    r"(?<![\w'])a (?:sa tete|la tete (?:de la cpts|de la communaute|de l'association|de cette (?:cpts|communaute)))\b"
)
""""À sa tête, NAME" after a sentence about the CPTS, "NAME, pharmacienne, est à la tête de la CPTS": the
journalist's way of naming the president."""
_OPENS_SENTENCE = re.compile(r"(?:\s|[.!?])*(?:(?i:et)\s+)?$")
_HEAD_BEFORE = r"(?:\s*,\s*[^,.;:()\n]{1,60}?)?(?:\s*,\s*(?:est|sera|reste)?|\s+(?:est|sera|reste))(?:\s+(?:désormais|toujours))?\s*$"
_PASSIVE = frozenset({"preside", "presidee", "presides", "presidees"})
_NOUN = frozenset({"president", "presidente"})
_BY = re.compile(r"\s+(?:depuis\s+[^,.;:\n]{1,25}?\s+|aujourd'hui\s+|desormais\s+|actuellement\s+|encore\s+)?par\b")
""""présidée par NAME", "présidée depuis 2021 par NAME", "présidée aujourd'hui par NAME"."""
_PRESIDENCY_BY = re.compile(
    r"(?:\s+(?:de la |de l'|du )?(?:cpts|communaute)[^.;:,\n]{0,60}?)?"
    r"\s+(?:est |sera |a ete |etait )?(?:assuree|tenue|occupee|confiee|exercee|revient)\s+(?:par|au|a la|a)\b"
)
""""La présidence est assurée par NAME", "la présidence a été confiée à NAME"."""
_VERB_OBJECT = re.compile(r"\s+(?:la|cette|notre) (?:cpts|communaute)\b|\s+l'association porteuse\b")
_RELATIVE_OBJECT = re.compile(r"\b(?:cpts|communaute|association)\s*,?\s+(?:que|qu')\s*$")
""""La CPTS, que préside NAME": the CPTS is the object of the relative clause, the name its subject."""
_OF = re.compile(r"\s+(?:de|du|des|d')\b")
_APPOSED_PRESIDENCY = re.compile(r"\s*,\s*(vice-?\s*)?presidente?\b")
_DETERMINER = re.compile(
    r"\b(?:son|sa|notre|leur|votre|(?:re)?elue?|nommee?|designee?"
    r"|(?P<bare>le|la|nouveau|nouvelle|l'actuel(?:le)?|actuel(?:le)?)|dont l[ae])\s+$"
)
"""Before a "président(e)" whose name follows: "son président, NAME", "la présidente Anne Roux", "Élue
présidente de la CPTS en 2022, NAME".

A bare article says whose president it is only through the sentence: "le président Emmanuel Macron"
is nobody's CPTS president, "la présidente Anne Roux a signé le contrat de la CPTS" is."""
_APPOSED_NAME = re.compile(r"e?\s*,\s*(?!(?:de|du|des|d')\b)")
"""A bare "Le président, NAME," in apposition, with no "de ..." saying whose president."""
_CONTEXT_SENTENCES = 2
"""How far back a bare apposed "Le président, NAME" looks for the CPTS it presides: the
paragraph before it, not the whole release."""
_CPTS_WORD = re.compile(r"\b(?:cpts|communaute professionnelle|association porteuse)\b")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_LINE_LABEL = re.compile(rf"(?:\s|{BULLET_CLASS})*$")
"""Nothing but a bullet before the cue: a "Président : NAME" line."""
_LABEL_SEPARATOR = r"(?:\s*[,:|–—]|\s+-|\s+(?:est|sera)\b)?"
"""After a label: "Président : NAME", a flattened table's "Présidente | NAME", "Président – NAME"."""
_PLACED_UNDER = re.compile(r"\b(?:cpts|communaute|association)\b[^.;:\n]{0,40}?\bplacee\s+sous\s+la\s+$")
""""La CPTS est placée sous la présidence de NAME"; a bare "sous la présidence de" more often names who
chairs a meeting or a ceremony."""
_OF_NAME = r"\s+(?:de\s+la\s+|de\s+l['’]|du\s+|de\s+|d['’])?"
_TAKES_PRESIDENCY = (
    r"(?:\s*,\s*[^,.;:()\n]{1,60}?,)?\s+(?:(?i:en)\s+)?"
    r"(?i:assure|assurera|assurait|occupe|occupera|exerce|a pris|prend|prendra|a repris|reprend)\s+(?i:la)\s+$"
)
""""NAME assure la présidence", "NAME, pharmacienne, en assure la présidence", "NAME a pris la présidence de la
CPTS"."""
_VERB_BEFORE = r"(?i:est|sera|devient|a été élue?|a été nommée?|élue?|désormais|reste)"
_LINK_BEFORE = r"(?:(?i:son|sa|notre|leur|l['’]actuel(?:le)?|actuel(?:le)?|le|la|l['’]|nouveau|nouvelle|en tant que)\s*)?"
_BEFORE_CUE = (
    rf"(?:\s*\(\s*{_LINK_BEFORE}"
    rf"|\s*,\s*{_LINK_BEFORE}"
    rf"|\s*,\s*[^,.;:()\n]{{1,60}}?\s(?:et|ainsi que)\s+{_LINK_BEFORE}"
    rf"|\s*,\s*[^,.;:()\n]{{1,60}}?,\s*{_VERB_BEFORE}\s+{_LINK_BEFORE}"
    rf"|,?\s+(?:qui\s+)?(?:(?i:en)\s+)?{_VERB_BEFORE}\s+{_LINK_BEFORE}"
    rf"|\s+{_LINK_BEFORE})$"
)
"""Between a name and the cue after it: "NAME, [sa] président(e)", "NAME (présidente", "NAME, médecin
généraliste et président", "NAME, infirmière à Riom, est présidente", "NAME est président",
"NAME en est le président", "NAME préside"."""


_BEFORE_VERB = r"(?:\s*,\s*[^,.;:()\n]{1,60}?,)?,?\s+(?:qui\s+)?$"
"""Between a name and "préside": "NAME préside", "NAME, médecin généraliste à Lodève, préside", "NAME, qui
préside"."""


_Found = tuple[int, int, str]
"""(name start, name end, id of the rule that read it)."""


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    name: re.Pattern[str]
    title: str
    not_name_start: frozenset[str]
    not_name: frozenset[str]
    excluded_before: re.Pattern[str]
    cpts_body: re.Pattern[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Compile ``patterns/people.jsonl`` once."""
    rows = load("people")

    def words(kind: str) -> list[str]:
        return sorted((w for r in rows if r["kind"] == kind for w in r["words"]), key=len, reverse=True)

    def alternatives(forms: list[str]) -> str:
        return "|".join(re.escape(w).replace("'", "['’]") for w in forms)

    spaced = [p for p in words("particle") if not p.endswith("'")]
    elided = [p for p in words("particle") if p.endswith("'")]
    next_word = rf"(?: {_WORD}| (?i:{alternatives(spaced)}) {_WORD}| (?i:{alternatives(elided)}){_WORD})"
    excluded = "|".join(re.escape(w.rstrip("-")) for w in words("excluded_before"))
    return _Vocabulary(
        name=re.compile(rf"(?<![\w'’-]){_WORD}{next_word}{{1,4}}"),
        title=rf"(?i:(?:le|la|l['’])\s+)?(?i:{alternatives(words('title'))})\s+",
        not_name_start=frozenset(words("not_name_start")),
        not_name=frozenset(words("not_name")),
        excluded_before=re.compile(rf"\b(?:{excluded})[\s-]*$"),
        cpts_body=re.compile(rf"\s+{next(r['pattern'] for r in rows if r['kind'] == 'cpts_body')}"),
    )


def _clean_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name's span without a leading "Selon", "Le", "Dr"..., or None if it is not a person's name."""
    vocabulary = _vocabulary()
    tokens = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    while tokens and fold(text[slice(*tokens[0])]) in vocabulary.not_name_start:
        tokens.pop(0)
    if any(fold(text[slice(*token)]) in vocabulary.not_name for token in tokens):
        return None
    capitalised = [s for s, e in tokens if _CAPITALISED.match(text, s, e)]
    if len(capitalised) < 2 or capitalised[0] != tokens[0][0]:
        return None
    return tokens[0][0], tokens[-1][1]


def _name_after(text: str, pos: int, end: int, *, separator: str = "") -> tuple[int, int] | None:
    """A name after ``separator``, an optional article and title, from ``pos``.

    The separator and title are matched without accents, as the title words are written folded
    ("le médecin", "la kinésithérapeute").
    """
    vocabulary = _vocabulary()
    lead = re.compile(rf"{separator}\s*(?:{vocabulary.title})?").match(fold_same_length(text[pos:end]))
    name = vocabulary.name.match(text, pos + lead.end(), end) if lead else None
    return _clean_name(text, *name.span()) if name else None


def _name_before(text: str, line_start: int, cue_start: int, tail: str = _BEFORE_CUE) -> tuple[int, int] | None:
    """A name ending just before the cue and ``tail``: "NAME, président", "NAME (présidente", "NAME est président"."""
    before = re.compile(rf"({_vocabulary().name.pattern}){tail}")
    match = before.search(text, line_start, cue_start)
    return _clean_name(text, *match.span(1)) if match else None


def _sentence_of(folded: str, pos: int, line_start: int, line_end: int) -> tuple[int, int]:
    """The sentence around ``pos`` within its line."""
    ends = [m.end() for m in _SENTENCE_END.finditer(folded, line_start, pos)]
    after = _SENTENCE_END.search(folded, pos, line_end)
    return (ends[-1] if ends else line_start), (after.end() if after else line_end)


def _presides_other_body(folded: str, pos: int, own: re.Pattern[str] | None) -> bool:
    """"président(e) de/du ..." followed by anything but the CPTS, its association porteuse, its bureau, or
    the name the document gives the CPTS ("Docteur NAME, président du GIPS" when the CPTS is the CPTS GIPS)."""
    if own is not None and own.match(folded, pos):
        return False
    return bool(_OF.match(folded, pos)) and not _vocabulary().cpts_body.match(folded, pos)


def _apposed_other_presidency(folded: str, pos: int, own: re.Pattern[str] | None) -> bool:
    """"présidée par NAME, président du conseil départemental": NAME presides something else."""
    match = _APPOSED_PRESIDENCY.match(folded, pos)
    return bool(match) and (match.group(1) is not None or _presides_other_body(folded, match.end(), own))


def _read_cue(
    text: str, folded: str, cue: re.Match[str], line_start: int, line_end: int, own: re.Pattern[str] | None
) -> _Found | None:
    """The name this "présid-" cue gives and the rule that read it, if any."""
    word = cue.group()
    if _vocabulary().excluded_before.search(folded, line_start, cue.start()):
        return None
    by = _BY.match(folded, cue.end(), line_end) if word in _PASSIVE else None
    if word == "presidence":
        return _read_presidency(text, folded, cue, line_start, line_end, own)
    if by:
        name = _name_after(text, by.end(), line_end)
        return _found(name if name and not _apposed_other_presidency(folded, name[1], own) else None, "president_presidee_par")
    if word in _NOUN:
        return _read_noun(text, folded, cue, line_start, line_end, own)
    if word in {"preside", "presidait", "presidera"} and _VERB_OBJECT.match(folded, cue.end(), line_end):
        return _found(_name_before(text, line_start, cue.start(), _BEFORE_VERB), "president_name_preside")
    if word in {"preside", "presidait", "presidera"} and _RELATIVE_OBJECT.search(folded, line_start, cue.start()):
        return _found(_name_after(text, cue.end(), line_end), "president_que_preside")
    return None


def _read_head(text: str, folded: str, cue: re.Match[str], line_start: int, line_end: int) -> _Found | None:
    """ "À sa tête, NAME" opening a sentence that follows one about the CPTS, "À la tête de la CPTS, NAME", or
    "NAME, infirmière, est à la tête de la CPTS"."""
    sentence_start = _sentence_of(folded, cue.start(), line_start, line_end)[0]
    if _OPENS_SENTENCE.fullmatch(folded, sentence_start, cue.start()):
        if cue.group().startswith("a sa") and not _follows_cpts(folded, sentence_start):
            return None
        if cue.group().startswith("a sa"):
            return _found(_name_after(text, cue.end(), line_end, separator=r"\s*[,:]"), "president_a_sa_tete")
        return _found(_name_after(text, cue.end(), line_end, separator=r"[^,:;.\n]{0,60}?\s*[,:]"), "president_a_la_tete")
    if cue.group().startswith("a sa"):
        return None
    return _found(_name_before(text, line_start, cue.start(), tail=_HEAD_BEFORE), "president_a_la_tete")


def _found(name: tuple[int, int] | None, rule: str) -> _Found | None:
    return (name[0], name[1], rule) if name else None


def _read_presidency(
    text: str, folded: str, cue: re.Match[str], line_start: int, line_end: int, own: re.Pattern[str] | None
) -> _Found | None:
    """ "La présidence est assurée par NAME", "placée sous la présidence de NAME", "NAME en assure la
    présidence", "Présidence : NAME"."""
    by = _PRESIDENCY_BY.match(folded, cue.end(), line_end)
    if by:
        name, rule = _name_after(text, by.end(), line_end), "president_presidence_assuree_par"
    elif _PLACED_UNDER.search(folded, line_start, cue.start()):
        name, rule = _name_after(text, cue.end(), line_end, separator=_OF_NAME), "president_placee_sous_la_presidence"
    elif _presides_other_body(folded, cue.end(), own):
        return None
    elif _LINE_LABEL.fullmatch(text, line_start, cue.start()):
        return _found(_name_after(text, cue.end(), line_end, separator=_LABEL_SEPARATOR), "president_label")
    else:
        return _found(_name_before(text, line_start, cue.start(), tail=_TAKES_PRESIDENCY), "president_assure_la_presidence")
    return _found(name if name and not _apposed_other_presidency(folded, name[1], own) else None, rule)


def _read_noun(
    text: str, folded: str, cue: re.Match[str], line_start: int, line_end: int, own: re.Pattern[str] | None
) -> _Found | None:
    """ "NAME, président(e) de la CPTS" or "son président, NAME" / "Président : NAME"."""
    if _presides_other_body(folded, cue.end(), own):
        return None
    name = _name_before(text, line_start, cue.start())
    if name is not None:
        return _found(name, "president_name_before")
    determiner = _DETERMINER.search(folded, line_start, cue.start())
    if not determiner and not _LINE_LABEL.fullmatch(text, line_start, cue.start()):
        return None
    of_cpts = _vocabulary().cpts_body.match(folded, cue.end(), line_end)
    sentence = _sentence_of(folded, cue.start(), line_start, line_end)
    if determiner and determiner["bare"] and not of_cpts and not _CPTS_WORD.search(folded, *sentence):
        if not (_APPOSED_NAME.match(folded, cue.end(), line_end) and _follows_cpts(folded, sentence[0])):
            return None
    if of_cpts:
        return _found(
            _name_after(text, of_cpts.end(), line_end, separator=r"[^,:;.\n]{0,80}?\s*[,:]"), "president_of_cpts_name_after"
        )
    elected = determiner is not None and determiner.group().startswith(("elu", "reelu", "nomme", "designe"))
    separator = r"[^,:;.\n]{0,40}?\s*[,:]" if elected else _LABEL_SEPARATOR  # "Élu président en 2022, NAME"
    return _found(_name_after(text, cue.end(), line_end, separator=separator), "president_name_after")


def _follows_cpts(folded: str, sentence_start: int) -> bool:
    """The CPTS is named in one of the ``_CONTEXT_SENTENCES`` sentences before this one."""
    ends = [m.end() for m in _SENTENCE_END.finditer(folded, 0, sentence_start)]
    start = ends[-_CONTEXT_SENTENCES - 1] if len(ends) > _CONTEXT_SENTENCES else 0
    return bool(_CPTS_WORD.search(folded, start, sentence_start))


def _line_of(text: str, pos: int) -> tuple[int, int]:
    """The logical line around ``pos``: a line that starts in lower case continues the one above, as in
    hard-wrapped text ("Elle est présidée par" / "le Dr NAME, médecin")."""
    start = text.rfind("\n", 0, pos) + 1
    while start > 1 and text[start : start + 1].islower() and text[start - 2] != "\n":
        start = text.rfind("\n", 0, start - 1) + 1
    end = text.find("\n", pos)
    while end != -1 and text[end + 1 : end + 2].islower():
        end = text.find("\n", end + 1)
    return start, len(text) if end == -1 else end


def _own_names(names: list[CptsName]) -> re.Pattern[str] | None:
    """ "de la / du / de l' NAME" for every name the document gives a CPTS, without the word CPTS, folded."""
    bare = {fold_same_length(re.sub(r"^CPTS\s+", "", n.name)) for n in names}
    alternatives = "|".join(re.escape(b).replace("'", "['’]") for b in sorted(bare, key=len, reverse=True) if len(b) > 1)
    return re.compile(rf"\s+(?:de la |de l'|du |des |de |d')(?:{alternatives})\b") if alternatives else None


def extract_people(doc: Doc, names: list[CptsName] | None = None) -> list[Person]:
    """The president(s) of the CPTS named in the document, one per distinct name, in text order. ``names`` are
    the CPTS the document names (``doc._.cpts_mentions``): a president "du GIPS" presides the CPTS GIPS."""
    text = doc_text(doc)
    folded = folded_text(doc)
    own = _own_names(names or [])
    people: dict[str, Person] = {}
    cues = sorted([*_CUE.finditer(folded), *_AT_THE_HEAD.finditer(folded)], key=lambda m: m.start())
    for cue in cues:
        reader = _read_head if cue.re is _AT_THE_HEAD else partial(_read_cue, own=own)
        found = reader(text, folded, cue, *_line_of(text, cue.start()))
        if found is None:
            continue
        name_start, name_end, rule = found
        start, end = min(name_start, cue.start()), max(name_end, cue.end())
        key = fold(text[name_start:name_end])
        people.setdefault(
            key,
            Person(text=text[start:end], char_start=start, char_end=end, name=text[name_start:name_end], rule=rule),
        )
    return list(people.values())


@Language.component("cpts_people")
def people_component(doc: Doc) -> Doc:
    doc._.people = extract_people(doc, doc._.cpts_mentions)
    return doc
