"""Counts read from sentences: a quantity and its noun, a noun left out, patients, singular items.

What a count means is decided by the rows of ``count_rules.jsonl`` (see
``context``); the rules that are about the sentence as a whole, not one count
(a profession details a membership, an enumeration of singular items) are here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.parse.headcounts.context import Rule, cue, decide, fires, is_target
from pipeline.parse.headcounts.labels import headcount
from pipeline.parse.headcounts.scope import Quantity, Scope, postposed
from pipeline.parse.headcounts.vocabulary import BEDS, MEMBERS, Noun, form_key, noun_of, vocabulary
from pipeline.records import Headcount, Rejected

OWN_CATEGORY = "$noun"
"""A rule's ``assign`` meaning "the noun's own category" (a profession, a structure)."""


class Count(NamedTuple):
    start: int
    end: int
    noun: Noun
    quantity: Quantity


class Decided(NamedTuple):
    count: Count
    category: str
    rule: str


def numeric_counts(scope: Scope) -> list[Count]:
    """Every quantity directly followed by a counted noun on the same line."""
    counts = []
    for q in scope.quantities:
        m = vocabulary().counted.match(scope.folded, q.end)
        if m and "\n" not in m.group(0) and _written_as_vocabulary(scope, m):
            counts.append(Count(q.start, m.end(), noun_of(m.group(1)), q))
    return counts


def _written_as_vocabulary(scope: Scope, m: re.Match) -> bool:
    """False for an acronym form not written in capitals: "5 mg" is a dosage, "5 MG" five généralistes."""
    key = form_key(m.group(1))
    return key not in vocabulary().acronyms or scope.text[m.start(1) : m.end(1)].isupper()


def decided_counts(scope: Scope, rejected: list[Rejected] | None = None) -> list[Decided]:
    """The numeric counts a rule assigns a category to and that are not plans; the others go to ``rejected``."""
    found = []
    for count in numeric_counts(scope):
        rule = decide(scope, count.noun.kind, count.start, count.end)
        turned_down = "no_rule" if rule is None else rule.id if rule.assign is None else None
        if turned_down is None and is_target(scope, count.start, count.end):
            turned_down = "target"
        if turned_down is not None:
            if rejected is not None:
                rejected.append(Rejected(count.start, count.end, turned_down, _why(rule, turned_down)))
            continue
        category = count.noun.category if rule.assign == OWN_CATEGORY else rule.assign
        found.append(Decided(count, category, rule.id))
    return found


def _why(rule: Rule | None, turned_down: str) -> str:
    """For ``explain``: the cues that made the rule row fire, or the target cue."""
    if turned_down == "target":
        return "a target cue fired around it (count_cues.jsonl 'target': a plan, not a headcount)"
    if rule is None or not rule.when:
        return ""
    return f"the count_rules.jsonl row {rule.id!r} turned it down: its cues {', '.join(rule.when)} fired (count_cues.jsonl)"


def sentence_counts(scope: Scope, decided: list[Decided], rejected: list[Rejected] | None = None) -> list[Headcount]:
    """The decided counts as records; a profession only when it details the membership or the territory."""
    per_sentence: dict[tuple[int, int], int] = {}
    for d in decided:
        if d.count.noun.kind == "profession":
            key = scope.sentence(d.count.start)
            per_sentence[key] = per_sentence.get(key, 0) + 1
    found = []
    for d in decided:
        if d.count.noun.kind == "profession" and not _details_members(scope, d.count, decided, per_sentence):
            if rejected is not None:
                rejected.append(Rejected(d.count.start, d.count.end, "profession_not_detailing_members"))
            continue
        qualifier, end = postposed(scope, d.count.quantity, d.count.end)
        found.append(headcount(scope, d.category, d.count.quantity.value, qualifier, d.count.start, end, d.rule))
    return found


def _details_members(
    scope: Scope, count: Count, decided: list[Decided], per_sentence: dict[tuple[int, int], int]
) -> bool:
    """A profession count is a headcount when it details the CPTS's membership or the territory's count.

    Its sentence lists several professions or gives the members; or a cue says
    so (``profession_detail_cues``). Not a stray mention ("3 médecins généralistes
    partiront à la retraite").
    """
    sentence = scope.sentence(count.start)
    if per_sentence.get(sentence, 0) >= 2:
        return True
    if any(d.count is not count and d.category == MEMBERS and sentence[0] <= d.count.start < sentence[1] for d in decided):
        return True
    return any(fires(scope, name, count.start, count.end) for name in _PROFESSION_DETAIL_CUES)


_PROFESSION_DETAIL_CUES = (
    "member_verb",
    "breakdown",
    "territory_subject",
    "members_of_list",
    "practising_on_territory_after",
)
"""Cues that make a lone profession count a detail of the membership or of the territory."""


def elided_counts(scope: Scope) -> list[Headcount]:
    """A count whose noun is left out, read by what surrounds it.

    Membership: "Sur les 450 professionnels, 200 ont adhéré", "Ils sont 130 à
    avoir rejoint la CPTS" (a predicate after it), "Les adhérents sont au nombre
    de 95" (the members named before it). Practice on the territory, the
    professionals named before in the sentence: "la CPTS compte 60
    professionnels, alors que 75 exercent dans ce secteur".
    """
    found = []
    for q in scope.quantities:
        if fires(scope, "fraction_before", q.start, q.end):
            continue
        category, rule, end = _elided_reading(scope, q)
        if rule and not is_target(scope, q.start, end) and not fires(scope, "wider_place_setting", q.start, end):
            found.append(headcount(scope, category, q.value, q.qualifier, q.start, end, rule))
    return found


def _elided_reading(scope: Scope, q: Quantity) -> tuple[str, str | None, int]:
    """(category, rule, evidence end) of a count with no noun; rule None when nothing says what it counts."""
    after = cue("member_predicate").match(scope.at(q.end))
    if after:
        return MEMBERS, "member_predicate", q.end + after.end()
    if fires(scope, "members_au_nombre_de", q.start, q.end):
        return MEMBERS, "members_au_nombre_de", q.end
    after = cue("territory_predicate").match(scope.at(q.end))
    if after and fires(scope, "pros_named_before", q.start, q.end):
        return "professionals_on_territory", "territory_predicate", q.end + after.end()
    return MEMBERS, None, q.end


def patients_without_gp(scope: Scope) -> list[Headcount]:
    """Patients count only as patients_without_gp ("4 000 patients n'ont plus de médecin traitant")."""
    found = []
    for q in scope.quantities:
        m = cue("persons_noun").match(scope.at(q.end))
        if not m:
            continue
        end = q.end + m.end()
        if fires(scope, "no_gp", q.start, end):
            rule = "no_gp"
        elif fires(scope, "no_gp_pronoun", q.start, end) and fires(scope, "gp_before", q.start, end):
            rule = "no_gp_pronoun"
        else:
            continue
        if not fires(scope, "fraction_before", q.start, end) and not is_target(scope, q.start, end, "target_own_clause"):
            qualifier, end = postposed(scope, q, end)
            found.append(headcount(scope, "patients_without_gp", q.value, qualifier, q.start, end, rule))
    return found


def singular_items(scope: Scope, decided: list[Decided]) -> list[Headcount]:
    """A singular article opening an item of an enumeration of counts: 1.

    A structure ("la Clinique du Renaison") after a list separator in a sentence
    that counts structures or members; a profession ("et une diététicienne")
    right after a counted profession ("5 psychomotriciens et une diététicienne"),
    so that "présidée par X, une infirmière" stays a description.
    """
    found = []
    for m in vocabulary().singular_structure.finditer(scope.folded):
        sentence = scope.sentence(m.start())
        enumerates = any(
            sentence[0] <= d.count.start < sentence[1] and (d.count.noun.kind == "structure" or d.category == MEMBERS)
            for d in decided
        )
        if enumerates and fires(scope, "list_item", m.start(), m.end()):
            found.append(_item(scope, m, "singular_structure_item"))
    profession_ends = {d.count.end for d in decided if d.count.noun.kind == "profession"}
    for m in vocabulary().singular_profession.finditer(scope.folded):
        head = max(0, m.start() - 20)
        glue = re.search(r"\s*(?:,|\bet|\bainsi que)\s*$", scope.folded[head : m.start()])
        if glue and head + glue.start() in profession_ends:
            found.append(_item(scope, m, "singular_profession_item"))
    return [h for h in found if h.category != BEDS and not is_target(scope, h.char_start, h.char_end)]


def _item(scope: Scope, m: re.Match, rule: str) -> Headcount:
    return headcount(scope, noun_of(m.group(1)).category, 1, "exact", m.start(), m.end(), rule)
