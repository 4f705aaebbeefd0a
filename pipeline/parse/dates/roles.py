"""The roles of dates: which cue of ``patterns/dates_cues.jsonl`` claims which date.

A signature or creation cue ("signé", "contractualisé", "née", "créée") anywhere in the
sentence is claimed by the nearest date within ``_CUE_REACH`` characters, so in "créée en 2019,
elle a signé le 5 mars 2021" each cue finds its own date; a date both cues claim gets both
rows; a date that opens its sentence ("Le 29 septembre 2022, ...") is claimed however far the
cue. "Depuis la signature" only claims a date right after it; "hier", "aujourd'hui" count only
right after a cue ("a signé hier"). A date in a table row ("a | b | c" lines) takes the role
of its column's header; the date nearest to "avenant" is an amendment's signature, "other". A
deadline cue ("d'ici", "avant la fin de") must stand right before the date and then overrides
the sentence cues (a target is not yet an event). A date no cue claims is "other" when its
sentence speaks of this CPTS ("la CPTS", its name), and dropped when it only dates background
(the national ACI "depuis l'été 2019"). A date in the same clause after the name of a legal
text ("loi de modernisation du système de santé de janvier 2016", "décret du ...") is part of
that text's name, not an event of the CPTS: it is dropped.

Cues from real writing: a launch ("lancée le ...") is a creation in a sentence it or the CPTS
opens; a sentence opening "En paraphant cette convention" makes the one date of the sentence
before a signature; "Dossier signé <auteur>" is a byline; a cue followed by its own undated time
("a vu le jour il y a deux ans") claims nothing; a sentence that introduces another CPTS before
the date ("la première, qui ...", a CPTS the text is not about) dates that CPTS; one about the
national framework (unions, UNCAM, the national federation) dates no signature or creation of
this one.

Roles map each role to the ``rule`` that decided it: the ``id`` of the cue's pattern row, or
a rule name of ``publication``, or ``RULE_OTHER``. A date left out is added to ``rejected``,
when given, with the row that left it out (``date_publication_label``, ``date_legal_name``,
``date_other_cpts``, ``date_national_framework``, ``date_this_cpts``); a day named from the
publication that no cue claims ("aujourd'hui" in passing) is not.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from pipeline.parse.context import Matcher, Segment, matcher
from pipeline.parse.dates.candidates import Candidate
from pipeline.parse.dates.context import Unit, column_header, distance, units
from pipeline.parse.dates.grammar import grammar
from pipeline.parse.dates.publication import RULE_DATELINE, publication_rule
from pipeline.parse.numbers import parse_number
from pipeline.parse.segment import doc_text
from pipeline.records import DateRole, Rejected

Roles = dict[int, dict[DateRole, str]]
"""For each kept candidate (by its start), its roles and the rule that gave each."""

RULE_OTHER = "date_other_this_cpts"
_CUE_REACH = 150
"""Farthest a signature or creation cue may be from the date it qualifies, in characters."""
_LINK = re.compile(
    r"\s*(?:(?:a ete|ont ete|est|sera)\s+)?"
    r"(?:(?:son|sa|ses|leur|leurs|le|la|les|l'|un|une|ce|cet|cette)\s*[^,.;:()\n]{0,60}?\s+)?"
    r"(?:le|en|au|ce|cet|cette|depuis|des|du|courant)?\s*"
)
"""Between a cue and the date it governs: "signé le", "créée en", "a signé son contrat ACI le"."""
_APPOSED = re.compile(r"\s*,\s*(?:(?:le|en|au|a|a l'|l')\s*)?")
_OPENING = re.compile(r"\s*(?:(?:le|ce|des le|depuis le)\s+)?")
_DASH = re.compile(r"\s[–—-](?=\s)(?!.*\s[–—-]\s)", re.DOTALL)
"""The last dash set off by spaces before a date: what comes after it may open a sentence of its own."""
_DEADLINE, _LEGAL_NAME, _THIS_CPTS, _NATIONAL, _OTHER_CPTS, _COUNTED = (
    "date_deadline_cue", "date_legal_name", "date_this_cpts", "date_national_framework", "date_other_cpts",
    "date_cpts_counted",
)
_OTHER_STRUCTURE = "date_other_structure"
"""The rows of ``dates_cues.jsonl`` read by the contextual matcher (``pipeline.parse.context``) around a date, each
date's sentence being its unit: a deadline cue right before it on its line, a legal text's name it closes, words
about this CPTS, about the national framework, counting CPTS, introducing another CPTS or opening on another
establishment in its sentence."""
_BYLINE, _EVENT_REFERENCE = "date_byline", "date_event_reference"
_NOT_THE_CONTRACT = (
    "date_statutes", "date_statutes_after", "date_other_contract_after", "date_other_contract_before"
)
"""The rows read around a signature or creation cue: a byline right before it, "depuis la" before it."""


def _cues() -> Matcher:
    return matcher("dates_cues")


def date_roles(doc: Doc, folded: str, candidates: list[Candidate], rejected: list[Rejected] | None = None) -> Roles:
    """Every role of every kept candidate, keyed by its start.

    Left out unless they are the publication date: a year-month that is no publication label, a
    date closing a legal text's name, another CPTS's date. A signature or creation stated in a
    sentence about the national framework is not this CPTS's: the date keeps its other roles.
    """
    sentences = units(doc, candidates)
    segment = Segment(folded, [(lo, hi) for lo, hi, _ in sentences], in_place=True)
    claimed = _cue_roles(doc, segment, candidates, sentences)
    unit_of = {c.start: (lo, hi) for lo, hi, members in sentences for c in members}
    kept: Roles = {}
    for candidate in candidates:
        if candidate.offset is not None:
            if claimed[candidate.start]:
                kept[candidate.start] = claimed[candidate.start]
            continue
        publication = publication_rule(doc_text(doc), folded, candidate)
        left_out = None if publication else _left_out(doc, segment, unit_of[candidate.start], candidate)
        if left_out is not None:
            _refuse(rejected, candidate, *left_out)
            continue
        deadline = _cues().fires(segment, _DEADLINE, candidate.start, candidate.end)
        found = {"deadline": _DEADLINE} if deadline else dict(claimed[candidate.start])
        unit = unit_of[candidate.start]
        national = _of_the_national_framework(doc, segment, unit) or _of_cpts_counted(doc, segment, unit)
        establishment = not national and _of_another_establishment(doc, segment, unit)
        if national or establishment:
            found = {role: rule for role, rule in found.items() if role not in ("signature", "creation")}
        if publication == RULE_DATELINE:
            # "Vire, le 5 mars 2024 – La CPTS signera vendredi...": a cue in the text run on after a dateline
            # dates nothing by it; the day of the page is no day of the event
            found = {}
        if publication:
            found["publication"] = publication
        if not found and not _speaks_of_this_cpts(doc, segment, unit_of[candidate.start]):
            if national and claimed[candidate.start]:
                _refuse(rejected, candidate, _NATIONAL, "its sentence is about the national framework"
                        " (unions, UNCAM...): the signature or creation it states is not this CPTS's")
            elif establishment and claimed[candidate.start]:
                _refuse(rejected, candidate, _OTHER_STRUCTURE, "its sentence is about another establishment"
                        " (a hospital, a maison de santé...): the signature or creation it states is not this CPTS's")
            else:
                _refuse(rejected, candidate, _THIS_CPTS, "no role cue (signé, créée, d'ici...) claims it"
                        " and its sentence does not speak of this CPTS ('la CPTS', its name)")
            continue
        kept[candidate.start] = found or {"other": RULE_OTHER}
    return kept


def _left_out(doc: Doc, segment: Segment, unit: tuple[int, int], candidate: Candidate) -> tuple[str, str] | None:
    """Why a date that is not the publication date is left out whatever its cues say, as (row id, reason).

    A date closing a legal text's name ("loi ... de janvier 2016", "décret du ...") is that text's: the
    row ``date_legal_name`` reads the name in the date's phrase and the "de", "du" it hangs on. In
    "constituée en association loi 1901 en mars 2019" the law is named in full before a date of the CPTS's own.
    """
    if candidate.label_only:
        return grammar().publication_label.id, "a year and month ('2021-07') is a date only as a publication label"
    if _cues().fires(segment, _LEGAL_NAME, candidate.start, candidate.end):
        return _LEGAL_NAME, "part of the name of a law or decree ('loi ... de janvier 2016')"
    if _of_another_cpts(doc, segment, unit, candidate):
        return _OTHER_CPTS, "another CPTS is named before it in its sentence: that CPTS's date"
    return None


def _refuse(rejected: list[Rejected] | None, candidate: Candidate, rule: str, why: str) -> None:
    if rejected is not None:
        rejected.append(Rejected(candidate.start, candidate.end, rule, why))


def _cue_roles(doc: Doc, segment: Segment, candidates: list[Candidate], sentences: list[Unit]) -> Roles:
    """Signature and creation roles: each cue goes to the date of its sentence it claims (``_claimed``).

    A date in a table row takes the role its column's header says ("Date de signature"). A
    signature that an "avenant" claims (the nearest date to that word) is the amendment's, not
    the contract's: it is "other", so ``cpts.signature_date`` stays the contract's own date.
    """
    rules, folded = grammar(), segment.folded
    roles: Roles = {c.start: {} for c in candidates}
    amended: set[int] = set()
    for lo, hi, members in sentences:
        for cue in rules.sentence_cues:
            for match in cue.pattern.finditer(folded, lo, hi):
                if rules.own_time.match(folded, match.end()) or (
                    cue.role == "signature" and _signs_no_contract(doc_text(doc), segment, match)
                ):
                    continue
                claimed = _claimed(segment, members, match, lo)
                if claimed is None:
                    continue
                if cue.subject is None or _launches(folded, claimed, match, cue.subject.match(folded, lo), roles):
                    roles[claimed.start].setdefault(cue.role, cue.id)
        for match in rules.amendment.finditer(folded, lo, hi):
            nearest = min(members, key=lambda c: distance(c, match.start(), match.end()))
            if distance(nearest, match.start(), match.end()) <= _CUE_REACH:
                amended.add(nearest.start)
    for candidate in candidates:
        header = column_header(doc_text(doc), candidate)
        for cue in rules.sentence_cues if header else ():
            if cue.pattern.search(folded, *header):
                roles[candidate.start].setdefault(cue.role, cue.id)
    for start in amended:
        roles[start].pop("signature", None)
    _named_in_next_sentence(folded, sentences, roles)
    return roles


def _launches(
    folded: str, candidate: Candidate, cue: re.Match[str], opening: re.Match[str] | None, roles: Roles
) -> bool:
    """A launch is a creation when the date follows the word, the sentence opens on the word or on the
    CPTS ("Lancée ce vendredi 1er décembre, la CPTS ...", "La communauté a été lancée le ..."; not "La
    campagne de vaccination lancée le ..."), and no signature cue claims the date: "officiellement
    lancée le 11 février suite à la signature du contrat" is the signature (the signature cues come
    first in ``dates_cues.jsonl``)."""
    return opening is not None and _right_after(folded, candidate, cue) and "signature" not in roles[candidate.start]


def _named_in_next_sentence(folded: str, sentences: list[Unit], roles: Roles) -> None:
    """A sentence opening with "En paraphant cette convention", "En signant ce contrat" names the event
    of the sentence before: its one date no cue claimed ("Ce mardi 6 juillet a donné le coup d'envoi
    d'un partenariat ... . En paraphant cette convention, ...") is the signature."""
    cue = grammar().next_sentence
    for _, end, members in sentences:
        if len(members) == 1 and not roles[members[0].start] and members[0].offset is None:
            if cue.pattern.match(folded, end):
                roles[members[0].start][cue.role] = cue.id


_NAME_AFTER = re.compile(r"\s+(?:par\s+)?[A-ZÀ-Ý][a-zà-ÿ'’-]+\s+[A-ZÀ-Ý]")
"""A person's first name and surname right after "signé": "Dossier signé Jeanne Martin"."""


def _signs_no_contract(text: str, segment: Segment, cue: re.Match[str]) -> bool:
    """The signature cue signs a text, the statutes or another contract, not the CPTS's: "Dossier signé ...",
    "Article signé Jeanne Martin", "Les statuts ont été signés le 12 mars" (a creation, which the creation cues
    read), "a signé le 12 mai son contrat local de santé".

    A name right after a bare "signé" (no "par", no verb) is an author; "signé par Jeanne
    Martin, présidente" is not a byline and stays a signature.
    """
    if any(_cues().fires(segment, row, *cue.span()) for row in (_BYLINE, *_NOT_THE_CONTRACT)):
        return True
    return cue.group() in ("signe", "signee") and _NAME_AFTER.match(text, cue.end()) is not None and not re.match(
        r"\s+par\b", segment.folded[cue.end() :]
    )


def _cue_distance(folded: str, candidate: Candidate, start: int, end: int) -> tuple[int, bool]:
    """How far a cue is from a date, for choosing the date it qualifies.

    A date right after the cue, its object and a link word ("signé le 4 avril", "créée en 2019", "a signé son
    contrat le 4 avril") is at distance 0; on a tie the date after the cue wins, so in "lancée en juin 2020, a
    signé le 4 avril 2022" the signature is the April date.
    """
    after = candidate.start >= end
    if after and _LINK.fullmatch(folded, end, candidate.start):
        return 0, False
    return distance(candidate, start, end), not after


def _claimed(segment: Segment, members: list[Candidate], cue: re.Match[str], lo: int) -> Candidate | None:
    """The date of a sentence (starting at ``lo``) that a signature or creation cue qualifies, if any.

    The nearest date within ``_CUE_REACH``, or a date that opens the sentence ("Le 29 septembre
    2022, la CPAM, l'ARS et la CPTS ... ont signé") however long the subject. A cue after "depuis
    la", "dès la", "avant la"... names the event as a point in time ("Depuis la signature, la CPTS
    a orienté 6 500 patients en 2022"): it claims only a date right after it ("dès la signature,
    le 3 mars"). So does any cue for a day named from the publication ("a signé hier"; not "qui
    compte aujourd'hui 80 membres, a signé").
    """
    folded = segment.folded
    claimable = [c for c in members if c.offset is None or _right_after(folded, c, cue)]
    if not claimable:
        return None
    nearest = min(claimable, key=lambda c: _cue_distance(folded, c, cue.start(), cue.end()))
    if _cues().fires(segment, _EVENT_REFERENCE, *cue.span()):
        return nearest if _right_after(folded, nearest, cue) else None
    if distance(nearest, cue.start(), cue.end()) <= _CUE_REACH or _opens(folded, nearest, lo):
        return nearest
    return None


def _right_after(folded: str, candidate: Candidate, cue: re.Match[str]) -> bool:
    """The date follows the cue with only a link or an apposition between ("signé le 4 avril", "a signé
    hier", "depuis sa création, à l'automne 2020")."""
    return _cue_distance(folded, candidate, cue.start(), cue.end()) == (0, False) or (
        candidate.start >= cue.end() and bool(_APPOSED.fullmatch(folded, cue.end(), candidate.start))
    )


def _opens(folded: str, candidate: Candidate, lo: int) -> bool:
    """The date opens its sentence, set off by a comma: "Le 29 septembre 2022, ...", "Le 6 mai dernier, ...";
    a sentence run on after a dateline's dash opens after it ("Gignac, le 10 mai 2024 – Le 6 mai dernier, ...")."""
    past = grammar().past_marker.match(folded, candidate.end)
    end = past.end() if past else candidate.end
    dash = _DASH.search(folded, lo, candidate.start)
    opening = dash.end() if dash else lo
    return bool(_OPENING.fullmatch(folded, opening, candidate.start)) and folded[end : end + 1] == ","


def _speaks_of_this_cpts(doc: Doc, segment: Segment, unit: tuple[int, int]) -> bool:
    """The sentence is about the CPTS itself ("la CPTS", its name), not background on CPTS in general.

    A date no cue claims is kept as "other" only in such a sentence: "Depuis
    l'été 2019, un accord conventionnel favorise leur déploiement" dates the
    national framework, not an event of this CPTS.
    """
    lo, hi = unit
    if _cues().fires(segment, _THIS_CPTS, lo, lo):
        return True
    return any(lo <= m.char_start < hi for m in doc._.cpts_mentions or [])


def _of_the_national_framework(doc: Doc, segment: Segment, unit: tuple[int, int]) -> bool:
    """The sentence is about the national framework ("l'accord signé le 4 avril 2019 entre l'Assurance
    Maladie et les syndicats", "les CPTS créées depuis 2019") and never names this CPTS: a signature or
    creation it states is not this CPTS's."""
    return _cues().fires(segment, _NATIONAL, unit[0], unit[0]) and not _speaks_of_this_cpts(doc, segment, unit)


def _of_another_establishment(doc: Doc, segment: Segment, unit: tuple[int, int]) -> bool:
    """The sentence opens on another establishment ("Le centre hospitalier a signé le 3 mars son contrat", "La
    MSP de Condé, créée en 2019, ...") and never names this CPTS: a signature or creation it states is that
    establishment's."""
    return _cues().fires(segment, _OTHER_STRUCTURE, unit[0], unit[0]) and not _speaks_of_this_cpts(doc, segment, unit)


_COUNTED_NOUN = re.compile(r"\s*(?:(?:nouvelles|autres|premieres)\s+)?(?:cpts|communautes professionnelles)$")


def _of_cpts_counted(doc: Doc, segment: Segment, unit: tuple[int, int]) -> bool:
    """The sentence counts more CPTS than the text names ("Au 1er septembre 2023, 28 CPTS ont signé l'accord"
    in a page naming four) and names none of them: a signature or creation it states is of CPTS in general.
    "Trois nouvelles CPTS signent" in a release naming the three is theirs."""
    lo, hi = unit
    if any(lo <= m.char_start < hi for m in doc._.cpts_mentions or []):
        return False
    named = len(doc._.cpts or [])
    for start, end in _cues().spans(segment, _COUNTED, lo, lo):
        count = parse_number(_COUNTED_NOUN.sub("", segment.folded[start:end]))
        if count is not None and count > named:
            return True
    return False


def _of_another_cpts(doc: Doc, segment: Segment, unit: tuple[int, int], candidate: Candidate) -> bool:
    """The date is another CPTS's: its sentence introduces that CPTS before the date, after this one.

    "Il s'agit de la 2e CPTS du département : la première, qui couvre le reste du territoire,
    avait été signée en mars 2021" dates the first one; so does "un an après la CPTS Vallée Sud,
    qui avait signé en mai 2020" in a text about another CPTS. A cue ("une autre CPTS", "la
    première, qui") or a mention of a CPTS the document is not about must be the last CPTS named
    before the date in its sentence.
    """
    lo, _ = unit
    mine = {c.key for c in doc._.cpts or []}
    before = [m for m in doc._.cpts_mentions or [] if lo <= m.char_start < candidate.start]
    cues = _cues().spans(segment, _OTHER_CPTS, candidate.start, candidate.end)
    if cues and not any(m.char_start >= cues[-1][1] and m.key in mine for m in before):
        return True
    return bool(mine) and bool(before) and max(before, key=lambda m: m.char_start).key not in mine
