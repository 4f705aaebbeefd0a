"""Sums of money paid to the CPTS: value, payer, purpose, ceiling and condition.

A sum (``money``) is a number and a currency ("116 250 €", "1,5 M€", "deux
millions d'euros"). Who pays it and what for (``roles``) is read from the
narrowest place that says it (``layout``): its sub-clause, its sentence, the
heading above it. A heading only fills what the sum's own sentence leaves
unsaid. The amount's ``rule`` is the id of the purpose row that decided its
purpose, or ``payer_named_no_purpose`` when only its payer is named.

Domain rules, each a choice of "nothing rather than wrong":

- The ACI remuneration (advance at signature, first-year, yearly or
  multi-year sums, funding of the missions) is paid by the Assurance Maladie
  (arrêté du 21 août 2019 approving the ACI): such a sum with no payer named
  is ``assurance_maladie``. Any other sum with no payer named is dropped.
- A sum is kept only when its sentence or heading says it is a payment
  (versé, financement, aide, rémunération...) or names its payer; a sum that
  two bodies are named as paying together ("l'ARS et la CPAM financent") is
  dropped, since its share per payer is unknown.
- Not this contract's funding, dropped: under 1 000 € (prices, tariffs) or
  from 10 M€ (national or regional budgets; the largest ACI contract is a few
  hundred thousand euros a year); a sum per unit ("par habitant"); a sentence
  about CPTS in general or national scope ("les CPTS", "en France"); the floor
  of a range ("de 150 000 € à 250 000 €"), whose top is read as a ceiling;
  a sum given for comparison ("contre 250 K€ lors du précédent contrat").
- The same sum stated twice for the same purpose is one row, the
  best-evidenced (payer named, purpose known), else the first; a sum whose
  purpose is unknown is dropped when the same value has a known purpose. In a
  release about several CPTS this holds among the facts of one CPTS (its
  section, ``pipeline.parse.owners``): two CPTS paid the same advance keep
  a row each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.owners import Owners
from pipeline.parse.amounts.layout import SENTENCE_BREAK, SUBCLAUSE_BREAK, heading, logical_lines, pieces
from pipeline.parse.amounts.money import Money, find_money
from pipeline.parse.amounts.roles import (
    Place,
    co_funded,
    compared,
    inside,
    payer_named,
    payers,
    purpose_cue,
    said,
    says,
)
from pipeline.parse.segment import folded_text
from pipeline.records import Amount, Funder, Purpose

Doc.set_extension("amounts", default=None, force=True)

_MIN_EUR = 1_000
_MAX_EUR = 10_000_000
_PAYER_NAMED = "payer_named_no_purpose"
"""The rule of a sum kept because its payer is named, no purpose cue found (purpose "other")."""
_ACI_PURPOSES: frozenset[str] = frozenset(
    {"signature_payment", "first_year", "annual", "multi_year", "mission_funding"}
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    amount: Amount
    evidence: int
    """How much the text says about it: payer named + purpose known."""


def _read(text: str, folded: str, money: Money, place: Place, sums: list[Money]) -> _Candidate | None:
    """Roles of one sum; None when it is not this CPTS's funding (see the module's domain rules)."""
    sentence = place.sentence
    if not _MIN_EUR <= money.value < _MAX_EUR:
        return None
    if said("rate", folded, money, sentence) or said("not_contract", folded, money, sentence):
        return None
    if said("range_before", folded, money, sentence) and said("range_after", folded, money, sentence):
        return None
    sentence_payers = payers(folded, sentence, sentence)
    if len(sums) == 1 and co_funded(folded, sentence_payers):
        return None
    says_paid = any(p.strong for p in sentence_payers) or said("funding", folded, money, sentence, place.heading)
    if not says_paid:
        return None

    named = payer_named(folded, money, place, sentence_payers)
    chosen = purpose_cue(folded, money, place, sums, sentence_payers, named)
    purpose = cast(Purpose, chosen.kind if chosen else "other")
    funder = named or ("assurance_maladie" if purpose in _ACI_PURPOSES else None)
    if funder is None:
        return None
    amount = Amount(
        text=text[money.start : money.end],
        char_start=money.start,
        char_end=money.end,
        value=money.value,
        funder=cast(Funder, funder),
        purpose=purpose,
        period_years=chosen.years if chosen and purpose == "multi_year" else None,
        is_maximum=says(folded, money, place, sums, "maximum") or said("range_top", folded, money, sentence),
        conditional=says(folded, money, place, sums, "conditional"),
        rule=chosen.id if chosen else _PAYER_NAMED,
    )
    return _Candidate(amount, (named is not None) + (purpose != "other"))


def _dedupe(candidates: list[_Candidate], owners: Owners) -> list[Amount]:
    """One row per (value, purpose) among the facts of the same CPTS, the best-evidenced; unknown
    purposes yield to known ones."""
    known = {(owners(c.amount.char_start), c.amount.value) for c in candidates if c.amount.purpose != "other"}
    best: dict[tuple[tuple[str, ...], int, str], _Candidate] = {}
    for candidate in candidates:
        section = owners(candidate.amount.char_start)
        key = (section, candidate.amount.value, candidate.amount.purpose)
        if candidate.amount.purpose == "other" and (section, candidate.amount.value) in known:
            continue
        if key not in best or candidate.evidence > best[key].evidence:
            best[key] = candidate
    return sorted((c.amount for c in best.values()), key=lambda a: a.char_start)


def extract_amounts(doc: Doc) -> list[Amount]:
    """Sums of money the communiqué says are paid to the CPTS, one row per distinct sum and purpose."""
    text = doc.text
    folded = folded_text(doc)
    sums = find_money(folded)
    if not sums:
        return []
    lines = logical_lines(text)
    line_of = {m: next(i for i, span in enumerate(lines) if span[0] <= m.start < span[1]) for m in sums}
    money_lines = set(line_of.values())
    candidates = []
    for index in sorted(money_lines):
        above = heading(text, lines, index, money_lines)
        for sentence in pieces(text, lines[index], SENTENCE_BREAK):
            in_sentence = [m for m in sums if inside(m, sentence) and not compared(folded, m, sentence)]
            clauses = pieces(folded, sentence, SUBCLAUSE_BREAK)
            for money in in_sentence:
                subclause = next((c for c in clauses if inside(money, c)), sentence)
                candidate = _read(text, folded, money, Place(sentence, above, subclause, clauses), in_sentence)
                if candidate:
                    candidates.append(candidate)
    return _dedupe(candidates, Owners(doc._.cpts or [], doc._.cpts_mentions or [], text))


@Language.component("cpts_amounts")
def amounts_component(doc: Doc) -> Doc:
    """Store the funding amounts under ``doc._.amounts``."""
    doc._.amounts = extract_amounts(doc)
    return doc
