"""Counts of members, professions and structures ("regroupe 70 adhérents", "7 MSP").

A count is a *quantity* directly followed by a counted noun:

- the quantity is a number in digits ("5 000") or words ("deux cents"), or a
  collective noun ("une centaine de", "une petite centaine de"), possibly with a quantifier of
  ``patterns/quantifiers.jsonl`` before it ("près de" -> approx, "plus de" ->
  at_least, "jusqu'à" -> at_most) or after its noun ("120 adhérents environ");
- the noun is a profession, a generic "professionnels de santé", "adhérents"
  or "membres" (``patterns/professions.jsonl``), a structure or EHPAD beds
  (``patterns/structures.jsonl``), or patients. Whatever else a number counts
  (ages, durations, money, percentages, ordinals, "actes", habitants,
  communes) never gets that far.

The sentence then says what the count means (cues: ``patterns/count_cues.jsonl``):

- a plan is not a headcount: a target word anywhere before the count in its
  sentence, or after it in its clause, running through a list of counts
  ("l'installation de 3 médecins est prévue", "recruter 2 infirmiers",
  "objectif de 50 patients", "3 médecins et 2 infirmiers seront recrutés");
- nor the count of something else: a fraction ("20 % des 1 200 habitants"),
  a sentence whose subject is a structure ("La maison de santé de X regroupe
  15 professionnels") or a wider place ("L'île compte 9 000 professionnels",
  "Le département compte ..."), a density ("58 infirmiers pour 10 000
  habitants"), a bureau or conseil ("9 membres du bureau");
- "adhérents"/"membres" are members;
- "N professionnels de santé" are professionals_on_territory when they are
  the pool the members come from ("70 adhérents sur les 280 professionnels"),
  members when said to be members ("sont membres", "ont adhéré") or gathered
  by the CPTS ("regroupe", "réunit", "compte", "forte de"),
  professionals_on_territory when the territory counts them ("le territoire
  compte", "exercent sur le territoire"); otherwise nothing ("35
  professionnels ont participé à la réunion");
- a profession counts when it details a membership: its sentence lists
  several professions or gives the members, or the CPTS gathers them, or a
  breakdown word introduces it ("dont", "parmi eux"), or the territory
  counts it ("on recense 26 médecins généralistes sur le territoire"); a lone
  "3 médecins généralistes partiront" is not a headcount;
- a count whose noun is left out counts members when a membership predicate
  follows it ("Sur les 450 professionnels, près de 200 ont adhéré", "134
  d'entre eux sont membres de la CPTS");
- patients count only as patients_without_gp ("n'ont pas de", "n'ont plus de
  médecin traitant", "trouver un médecin traitant aux 1 200 patients qui n'en
  ont plus"), not a part of them ("60 000 habitants, dont une majorité n'a pas
  de médecin traitant");
- beds count as ehpad_beds only next to an EHPAD ("6 EHPAD (312 lits)").

A figures box is read by its labels: "Adhérents : 70", "• Adhérents : une
centaine", "Professionnels de santé du territoire | 612" (the value possibly
on a following line), and "Médecins généralistes | 19", "EHPAD : 6" (a
profession or structure, its count alone ending the line). A box whose
heading states targets ("Objectifs 2025 :") is not read.

A singular article counts 1 only as an item of an enumeration: a structure
("la Clinique du Renaison", "le SSIAD") after a list separator in a sentence
that counts structures or members; a profession ("et une diététicienne")
right after a counted profession. A structure named elsewhere ("un
rapprochement avec le CHU de Lyon") is a mention, not a count, and plurals
without a number ("les Centres Hospitaliers de X et Y") are never counted.

The same count of the same category stated twice is one row, the first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import patterns
from pipeline.parse.numbers import (
    NUMBER_PATTERN,
    approx_nouns,
    collective_adjectives,
    number_words,
    parse_approx_noun,
    parse_number,
)
from pipeline.records import Headcount, Qualifier
from pipeline.parse.segment import folded_text, sentence_bounds
from pipeline.textnorm import fold

Doc.set_extension("headcounts", default=None, force=True)

_PROFESSIONALS = "health_professionals"
_MEMBERS = "members"
_BEDS = "ehpad_beds"


class Quantity(NamedTuple):
    """A number found in folded text: ``start`` includes its quantifier, ``end`` is where its noun may begin."""

    start: int
    end: int
    value: int
    qualifier: Qualifier


def _phrase_regex(phrase: str, sep: str) -> str:
    """A folded phrase as a regex followed by ``sep``: '-' or ' ' match any spacing; a final ' de' also matches "d'"."""
    folded = fold(phrase)
    elided = folded.endswith(" de")
    if elided:
        folded = folded[: -len(" de")]
    body = "[ -]+".join(re.escape(w) for w in re.split(r"[ -]+", folded))
    return body + (r"(?: +de +| +d')" if elided else sep)


def _quantifier_groups(rows: list[dict], sep: str) -> str:
    """One named group per qualifier (``q_approx``...), its phrases longest first, each followed by ``sep``."""
    by_qualifier: dict[str, list[str]] = {}
    for row in rows:
        by_qualifier.setdefault(row["qualifier"], []).append(_phrase_regex(row["phrase"], sep))
    return "|".join(f"(?P<q_{q}>{'|'.join(sorted(alts, key=len, reverse=True))})" for q, alts in by_qualifier.items())


def _qualifier_of(m: re.Match) -> Qualifier | None:
    return next((k[2:] for k, v in m.groupdict().items() if k.startswith("q_") and v), None)


def _form_regex(form: str) -> str:
    """A folded noun form as a regex: a hyphen matches a hyphen, a space or nothing; spaces any run of spaces."""
    words = [re.escape(w) for w in fold(form).split(" ")]
    return " +".join(w.replace(r"\-", "[ -]?") for w in words)


def _form_key(text: str) -> str:
    return re.sub(r"[ -]+", "", text)


@lru_cache(maxsize=1)
def _quantity_regex() -> re.Pattern:
    quantifier = _quantifier_groups([row for row in patterns.load("quantifiers") if not row.get("after")], " +")
    words = sorted(number_words(), key=len, reverse=True)
    starts = "|".join(w for w in words if w not in ("un", "une", "zero"))
    anyword = "|".join(words)
    in_words = rf"(?:{starts})(?:[ -](?:et[ -])?(?:{anyword}))*(?![a-z])"
    collective = "|".join(sorted(approx_nouns(), key=len, reverse=True))
    adjective = "|".join(sorted(collective_adjectives(), key=len, reverse=True))
    approx = rf"(?P<approx>une? +(?:(?:{adjective}) +)?(?:{collective}))(?: +de +| +d'|(?= *[.;]? *(?:\n|$)))"
    digits = rf"(?<![\d.,])(?P<digits>{NUMBER_PATTERN})(?![\d])"
    return re.compile(rf"(?<!\w)(?:{quantifier})?(?:{approx}|{digits}|(?P<words>{in_words}))")


def find_quantities(folded: str) -> list[Quantity]:
    """Every whole, positive quantity of ``folded`` (see ``fold_same_length``), in order."""
    found = []
    for m in _quantity_regex().finditer(folded):
        if m.group("approx"):
            value = parse_approx_noun(m.group("approx"))
        else:
            value = parse_number(m.group("digits") or m.group("words"))
        if not value or value != int(value):
            continue
        qualifier = _qualifier_of(m)
        if qualifier is None:
            qualifier = "approx" if m.group("approx") else "exact"
        found.append(Quantity(m.start(), m.end(), int(value), qualifier))
    return found


@lru_cache(maxsize=None)
def cue(name: str) -> re.Pattern:
    """The compiled cue ``name`` of ``patterns/count_cues.jsonl``."""
    rows = {row["cue"]: row["pattern"] for row in patterns.load("count_cues")}
    return re.compile(rows[name])


class _Noun(NamedTuple):
    category: str
    kind: str
    """profession, structure, or the generic category itself (health_professionals, members, ehpad_beds)."""


class _Vocabulary(NamedTuple):
    counted: re.Pattern
    """Any counted noun, right after a quantity."""
    singular_structure: re.Pattern
    """ "le/la/l'/un/une" + a structure in the singular."""
    singular_profession: re.Pattern
    """ "un/une" + a profession in the singular."""
    structure_subject: re.Pattern
    """A sentence opening on a structure ("La maison de santé de X regroupe ..."): its counts are not the CPTS's."""
    label_noun: re.Pattern
    """A line opening on a profession or structure, possibly after a bullet: the label of a figures box."""
    by_key: dict[str, _Noun]
    """Form key (see ``_form_key``) -> noun."""
    acronyms: frozenset[str]
    """Form keys of capital-letter abbreviations ("MG", "MK"): counted only when written in capitals."""


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    by_key: dict[str, _Noun] = {}
    every: list[str] = []
    singular: dict[str, list[str]] = {"structure": [], "profession": []}
    structures: list[str] = []
    labels: list[str] = []
    acronyms: set[str] = set()
    for source, kind in (("professions", "profession"), ("structures", "structure")):
        for row in patterns.load(source):
            category = row["category"]
            noun = _Noun(category, kind if category not in (_PROFESSIONALS, _MEMBERS, _BEDS) else category)
            for form in row["singular"] + row["plural"]:
                by_key[_form_key(fold(form))] = noun
                every.append(form)
            for form in row.get("acronyms", []):
                by_key[_form_key(fold(form))] = noun
                acronyms.add(_form_key(fold(form)))
                every.append(form)
            if noun.kind in singular:
                singular[noun.kind].extend(row["singular"])
            if noun.kind == "structure":
                structures.extend(row["singular"] + row["plural"])
            if noun.kind in ("profession", "structure"):
                labels.extend(row["singular"] + row["plural"])

    def alternation(forms: list[str]) -> str:
        return "|".join(sorted({_form_regex(f) for f in forms}, key=len, reverse=True))

    return _Vocabulary(
        counted=re.compile(rf" *({alternation(every)})(?![a-z])"),
        singular_structure=re.compile(
            rf"(?<![a-z])(?:le|la|l'|un|une) *({alternation(singular['structure'])})(?![a-z])"
        ),
        singular_profession=re.compile(rf"(?<![a-z])(?:un|une) +({alternation(singular['profession'])})(?![a-z])"),
        structure_subject=re.compile(
            rf"\s*(?:le|la|l'|les|un|une|ce|cet|cette|ces|chaque) *(?:{alternation(structures)})(?![a-z])"
        ),
        label_noun=re.compile(rf"(?:^|(?<=\n))(?:[•·▪►*–-] *)?({alternation(labels)})(?![a-z])"),
        by_key=by_key,
        acronyms=frozenset(acronyms),
    )


_LABEL_VALUE = re.compile(r"[:|] *\S")
"""A line of a figures box: a label, then ':' or '|' and its value."""

_ASIDE = re.compile(r"\([^()\n]*\)")
"""A parenthesised aside inside a clause."""

_LIST_GLUE = re.compile(r"\s*(?:(?:et|ou|ainsi que|puis)\s+)?(?:(?:les|des|de|d'|la|le)\s*)?")
"""What may stand between a comma and the next count of the same list (", et les 4 ...")."""


@dataclass
class Scope:
    """A document's text, its folded copy (same offsets), sentences and quantities: the windows cues are searched in."""

    text: str
    folded: str
    sentences: list[tuple[int, int]]
    quantities: list[Quantity]

    @classmethod
    def of(cls, doc: Doc) -> Scope:
        folded = folded_text(doc)
        return cls(doc.text, folded, sentence_bounds(doc), find_quantities(folded))

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, (pos, len(self.text) + 1)) - 1
        return self.sentences[max(i, 0)]

    def before(self, pos: int) -> str:
        """From the end of the previous quantity (or the sentence start) to ``pos``."""
        start = self.sentence(pos)[0]
        ends = [q.end for q in self.quantities if start <= q.start and q.end <= pos]
        return self.folded[max([start, *ends]) : pos]

    def at(self, pos: int) -> str:
        """The rest of the sentence from ``pos``, for the cues anchored right after a number (``^``)."""
        return self.folded[pos : self.sentence(pos)[1]]

    def label_start(self, q: Quantity, label: str) -> int | None:
        """Start of the label (cue ``label``, "Adhérents :") that introduces ``q``.

        The label opens ``q``'s line or a line above; or ``q`` is a whole cell of a
        table flattened to "a | b | c" lines and the label heads its column (then
        the evidence is the cell alone, so the label start is ``q.start``).
        """
        head = self.folded[max(0, q.start - 60) : q.start]
        m = cue(label).search(head)
        if not m:
            header = self.column_header(q)
            return q.start if header is not None and cue(label).search(f"\n{header} :") else None
        return q.start - len(head) + m.start() + (1 if m.group(0).startswith("\n") else 0)

    def column_header(self, q: Quantity) -> str | None:
        """The header of ``q``'s column when ``q`` fills a cell of a table of CPTS, else None.

        The table is flattened to "a | b | c" lines, one row per CPTS: the row
        opens on its name ("CPTS du Perthois | Marne | 41 200 | 57"). Its header
        row is the first of the run of lines above with as many cells ("CPTS |
        Département | Population couverte | Adhérents"). A row per commune
        ("Allauch | 21 500" under "Commune | Habitants") gives that commune's
        figures, not the CPTS's.
        """
        line_start = self.folded.rfind("\n", 0, q.start) + 1
        line_end = self.folded.find("\n", q.end)
        line_end = len(self.folded) if line_end == -1 else line_end
        line = self.folded[line_start:line_end]
        if "|" not in line:
            return None
        column = line.count("|", 0, q.start - line_start)
        cells = line.split("|")
        if cells[column].strip() != self.folded[q.start : q.end].strip() or not cue("cpts_row").search(cells[0]):
            return None
        header = None
        above = line_start
        while above > 0:
            previous = self.folded.rfind("\n", 0, above - 1) + 1
            row = self.folded[previous : above - 1]
            if row.count("|") != len(cells) - 1:
                break
            header, above = row, previous
        return header.split("|")[column].strip() if header is not None else None

    def box_heading(self, pos: int) -> str:
        """The heading of the box of "label : value" lines that ``pos`` is in: the first line above without a value."""
        start = self.folded.rfind("\n", 0, pos) + 1
        while start > 0:
            above = self.folded.rfind("\n", 0, start - 1) + 1
            line = self.folded[above : start - 1]
            if line.strip() and not _LABEL_VALUE.search(line):
                return line
            start = above
        return ""

    def sentence_before(self, pos: int) -> str:
        return self.folded[self.sentence(pos)[0] : pos]

    def clause_before(self, pos: int) -> str:
        """From the last , ; or : of the sentence to ``pos``."""
        return re.split(r"[,;:]", self.sentence_before(pos))[-1]

    def clause_after(self, pos: int) -> str:
        """From ``pos`` to the end of its clause: , ; : . or the next quantity, neither counted inside a
        parenthesised aside ("300 professionnels (dont 40 % de médecins) y exercent" goes on to its verb)."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        masked = _ASIDE.sub(lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", text)
        outside = [q.start - pos for q in self.quantities if pos <= q.start < end and masked[q.start - pos] != "_"]
        cut = min([len(text), *outside])
        stop = re.search(r"[,;:.]", masked[:cut])
        return text[: stop.start() if stop else cut]

    def list_after(self, pos: int) -> str:
        """From ``pos`` to the end of its clause, running on through a list of further counts."""
        end = self.sentence(pos)[1]
        text = self.folded[pos:end]
        starts = [q.start - pos for q in self.quantities if pos <= q.start < end]
        for boundary in re.finditer(r"[,;:.]", text):
            following = next((s for s in starts if s >= boundary.end()), None)
            if following is None or not _LIST_GLUE.fullmatch(text[boundary.end() : following]):
                return text[: boundary.start()]
        return text


def is_target(scope: Scope, start: int, end: int, cue_name: str = "target", *, through_list: bool = True) -> bool:
    """True when the count at ``start:end`` is a plan.

    That is a target cue before it in its sentence, or after it in its clause
    (through a list of counts: "3 médecins et 2 infirmiers seront recrutés").
    A count that carries its own predicate ("4 200 patients n'ont plus de
    médecin traitant, et 4 médecins partiront") is not an item of such a list:
    ``through_list=False`` reads its clause only.
    """
    pattern = cue(cue_name)
    after = scope.list_after(end) if through_list else scope.clause_after(end)
    return bool(pattern.search(scope.sentence_before(start)) or pattern.search(after))


@lru_cache(maxsize=1)
def _postposed_regex() -> re.Pattern:
    rows = [row for row in patterns.load("quantifiers") if row.get("after")]
    return re.compile(rf" +(?:{_quantifier_groups(rows, '')})(?![a-z])")


def postposed(scope: Scope, q: Quantity, end: int) -> tuple[Qualifier, int]:
    """The qualifier of ``q`` and the end of its evidence, with a quantifier after the noun ("120 adhérents environ")."""
    m = _postposed_regex().match(scope.folded, end)
    if q.qualifier != "exact" or not m:
        return q.qualifier, end
    return _qualifier_of(m) or q.qualifier, m.end()


class _Count(NamedTuple):
    start: int
    end: int
    noun: _Noun
    quantity: Quantity


def _numeric_counts(scope: Scope) -> list[_Count]:
    vocabulary = _vocabulary()
    counts = []
    for q in scope.quantities:
        m = vocabulary.counted.match(scope.folded, q.end)
        if m and "\n" not in m.group(0) and _written_as_vocabulary(scope, m):
            counts.append(_Count(q.start, m.end(), vocabulary.by_key[_form_key(m.group(1))], q))
    return counts


def _written_as_vocabulary(scope: Scope, m: re.Match) -> bool:
    """False for an acronym form not written in capitals: "5 mg" is a dosage, "5 MG" five généralistes."""
    key = _form_key(m.group(1))
    return key not in _vocabulary().acronyms or scope.text[m.start(1) : m.end(1)].isupper()


def _category(scope: Scope, count: _Count) -> str | None:
    """The headcount category of a numeric count in its sentence, or None when it is not a headcount."""
    noun, q = count.noun, count.quantity
    before = scope.before(q.start)
    after = scope.clause_after(count.end)
    sentence_before = scope.sentence_before(q.start)
    if (
        cue("fraction_before").search(before)
        or _vocabulary().structure_subject.match(sentence_before)
        or cue("geo_sentence_subject").search(sentence_before.split(";")[-1])
        or cue("density_after").match(scope.at(count.end))
    ):
        return None
    if noun.kind == _MEMBERS:
        governed = cue("governance").search(before) or cue("governance").search(after)
        return None if governed else _MEMBERS
    if noun.kind == _PROFESSIONALS:
        if cue("pool_before").search(before):
            return "professionals_on_territory"
        if cue("member_after").search(after):
            return _MEMBERS
        if cue("territory_subject").search(before):
            return "professionals_on_territory"
        if cue("member_verb").search(before):
            return _MEMBERS
        if cue("territory_after").search(after):
            return "professionals_on_territory"
        return None
    if noun.kind == _BEDS:
        near = cue("ehpad_near")
        return _BEDS if near.search(before) or near.search(after[:25]) else None
    return noun.category


def _patients_without_gp(scope: Scope) -> list[Headcount]:
    persons, no_gp = cue("persons_noun"), cue("no_gp")
    found = []
    for q in scope.quantities:
        m = persons.match(scope.at(q.end))
        if not m:
            continue
        end = q.end + m.end()
        fraction = cue("fraction_before").search(scope.before(q.start))
        lacks = no_gp.search(scope.at(end)) or (
            cue("no_gp_pronoun").match(scope.at(end)) and cue("gp_before").search(scope.sentence_before(q.start))
        )
        if lacks and not fraction and not is_target(scope, q.start, end, through_list=False):
            qualifier, end = postposed(scope, q, end)
            found.append(_headcount(scope, "patients_without_gp", q.value, qualifier, q.start, end))
    return found


def _headcount(scope: Scope, category: str, count: int, qualifier: Qualifier, start: int, end: int) -> Headcount:
    return Headcount(
        category=category, count=count, qualifier=qualifier, text=scope.text[start:end], char_start=start, char_end=end
    )


_LABELS = (("member_label", _MEMBERS), ("pool_label", "professionals_on_territory"))
"""Label cues of a figures box and the category of the value they introduce."""


def _generic_labels(scope: Scope) -> list[Headcount]:
    """ "Adhérents : 70", "• Professionnels de santé du territoire | 612"; the value may be on a following line."""
    found = []
    for q in scope.quantities:
        for label, category in _LABELS:
            start = scope.label_start(q, label)
            if start is not None and not cue("box_target").search(scope.box_heading(start)):
                found.append(_headcount(scope, category, q.value, q.qualifier, start, q.end))
                break
    return found


def _noun_labels(scope: Scope) -> list[Headcount]:
    """A box or table line "Médecins généralistes | 19", "• EHPAD : 6": a profession or structure, its count alone.

    The count must end its line, so "Infirmiers : 12 à recruter" or a label
    followed by prose is not read; a line that states a plan is not either.
    """
    vocabulary = _vocabulary()
    starts = {q.start: q for q in scope.quantities}
    found = []
    for m in vocabulary.label_noun.finditer(scope.folded):
        noun = vocabulary.by_key[_form_key(m.group(1))]
        tail = cue("noun_label_tail").match(scope.folded, m.end())
        q = starts.get(tail.end()) if tail else None
        if q is None or noun.kind == _BEDS or scope.folded[q.end :].split("\n", 1)[0].strip():
            continue
        if not is_target(scope, m.start(), q.end) and not cue("box_target").search(scope.box_heading(m.start())):
            found.append(_headcount(scope, noun.category, q.value, q.qualifier, m.start(), q.end))
    return found


def _elided_members(scope: Scope) -> list[Headcount]:
    """A count whose noun is left out, then a membership predicate: "Sur les 450 professionnels, 200 ont adhéré"."""
    found = []
    for q in scope.quantities:
        m = cue("member_predicate").match(scope.at(q.end))
        if not m or cue("fraction_before").search(scope.before(q.start)):
            continue
        end = q.end + m.end()
        if not is_target(scope, q.start, end):
            found.append(_headcount(scope, _MEMBERS, q.value, q.qualifier, q.start, end))
    return found


def _singular_items(scope: Scope, numeric: list[tuple[_Count, str]]) -> list[Headcount]:
    """A singular article opening an item of an enumeration of counts: 1.

    A structure ("la Clinique du Renaison") after a list separator in a sentence
    that counts structures or members; a profession ("et une diététicienne")
    right after a counted profession ("5 psychomotriciens et une diététicienne"),
    so that "présidée par X, une infirmière" stays a description.
    """
    vocabulary = _vocabulary()
    found = []
    for m in vocabulary.singular_structure.finditer(scope.folded):
        sentence = scope.sentence(m.start())
        enumerates = any(
            sentence[0] <= c.start < sentence[1] and (c.noun.kind == "structure" or category == _MEMBERS)
            for c, category in numeric
        )
        if enumerates and cue("list_item").search(scope.sentence_before(m.start())):
            found.append(_item(scope, m))
    profession_ends = {c.end for c, _ in numeric if c.noun.kind == "profession"}
    for m in vocabulary.singular_profession.finditer(scope.folded):
        head = max(0, m.start() - 20)
        glue = re.search(r"\s*(?:,|\bet|\bainsi que)\s*$", scope.folded[head : m.start()])
        if glue and head + glue.start() in profession_ends:
            found.append(_item(scope, m))
    return [h for h in found if h.category != _BEDS and not is_target(scope, h.char_start, h.char_end)]


def _item(scope: Scope, m: re.Match) -> Headcount:
    category = _vocabulary().by_key[_form_key(m.group(1))].category
    return _headcount(scope, category, 1, "exact", m.start(), m.end())


def extract_headcounts(doc: Doc) -> list[Headcount]:
    """Counts of members, professions and structures, in document order, one row per (category, count)."""
    scope = Scope.of(doc)
    numeric: list[tuple[_Count, str]] = []
    for count in _numeric_counts(scope):
        category = _category(scope, count)
        if category and not is_target(scope, count.start, count.end):
            numeric.append((count, category))
    professions_per_sentence: dict[tuple[int, int], int] = {}
    for count, _ in numeric:
        if count.noun.kind == "profession":
            key = scope.sentence(count.start)
            professions_per_sentence[key] = professions_per_sentence.get(key, 0) + 1
    found = []
    for count, category in numeric:
        if count.noun.kind == "profession" and not _details_members(scope, count, numeric, professions_per_sentence):
            continue
        qualifier, end = postposed(scope, count.quantity, count.end)
        found.append(_headcount(scope, category, count.quantity.value, qualifier, count.start, end))
    found += _generic_labels(scope) + _noun_labels(scope) + _elided_members(scope)
    found += _patients_without_gp(scope) + _singular_items(scope, numeric)
    return _dedupe(found)


def _details_members(
    scope: Scope, count: _Count, numeric: list[tuple[_Count, str]], per_sentence: dict[tuple[int, int], int]
) -> bool:
    """A profession count is a headcount when it details the CPTS's membership or the territory's count.

    Not in a stray mention ("3 médecins généralistes partiront à la retraite").
    """
    sentence = scope.sentence(count.start)
    if per_sentence.get(sentence, 0) >= 2:
        return True
    if any(c is not count and category == _MEMBERS and sentence[0] <= c.start < sentence[1] for c, category in numeric):
        return True
    before = scope.before(count.start)
    return bool(
        cue("member_verb").search(before) or cue("breakdown").search(before) or cue("territory_subject").search(before)
    )


def _dedupe(found: list[Headcount]) -> list[Headcount]:
    seen: set[tuple[str, int]] = set()
    unique = []
    for h in sorted(found, key=lambda h: h.char_start):
        if (h.category, h.count) not in seen:
            seen.add((h.category, h.count))
            unique.append(h)
    return unique


@Language.component("cpts_headcounts")
def headcounts_component(doc: Doc) -> Doc:
    doc._.headcounts = extract_headcounts(doc)
    return doc
