"""Sums of money paid to the CPTS: value, payer, purpose, ceiling and condition.

A sum (``money``) is a number and a currency ("116 250 €", "1,5 M€", "deux
millions d'euros"). Who pays it and what for (``roles``) is read from the
narrowest place that says it: its sub-clause, its sentence, the heading
above it (``layout`` cuts them), in the order the rows ``funder`` and
``purpose`` of ``patterns/funding_cues.jsonl`` list them; whether a body
named there pays is decided by ``patterns/funding_rules.jsonl``. A heading
only fills what the sum's own sentence leaves unsaid. The amount's ``rule``
is the id of the purpose row that decided its purpose, or
``payer_named_no_purpose`` when only its payer is named.

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
  about CPTS in general or national scope ("les CPTS", "en France") or a salary ("brut annuel"); the floor
  of a range ("de 150 000 € à 250 000 €"), whose top is read as a ceiling;
  a sum given for comparison ("contre 250 K€ lors du précédent contrat").
- The same sum stated twice for the same purpose is one row, the
  best-evidenced (payer named, purpose known), else the first; a sum whose
  purpose is unknown is dropped when the same value has a known purpose. In a
  release about several CPTS this holds among the facts of one CPTS (its
  section, ``pipeline.parse.owners``): two CPTS paid the same advance keep
  a row each.

``rejected_amounts(doc)`` lists the sums these rules saw and kept no row for,
each with the check that turned it down (for ``python -m pipeline explain``):
the id of the ``amount_cues.jsonl`` row that fired (``rate``,
``not_contract``, ``range_before``, ``comparison_before``/``_after``) or was
missing (``funding``: no payment word), of the ``funders.jsonl`` row of a body
named but not as the payer (``other_departement``...; its why names the
``funding_rules.jsonl`` row that decided, ``common_noun_not_payer``), of the purpose row that
needs a payer named, or a rule name of this module (``amount_below_1000_eur``,
``amount_from_10m_eur``, ``co_funded``, ``payer_named_no_purpose``: neither
payer nor purpose stated).
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
    bodies,
    co_funded,
    compared,
    inside,
    payer_named,
    purpose_cue,
    said,
    unmarked_body,
)
from pipeline.parse.context import Segment
from pipeline.parse.segment import doc_text, folded_text
from pipeline.records import Amount, Funder, Purpose, Rejected

Doc.set_extension("amounts", default=None, force=True)

_MIN_EUR = 1_000
_MAX_EUR = 10_000_000
_PAYER_NAMED = "payer_named_no_purpose"
"""The rule of a sum kept because its payer is named, no purpose cue found (purpose "other")."""
_ACI_PURPOSES: frozenset[str] = frozenset(
    {"signature_payment", "first_year", "annual", "multi_year", "mission_funding"}
)
_BELOW_MIN, _FROM_MAX, _CO_FUNDED = "amount_below_1000_eur", "amount_from_10m_eur", "co_funded"
"""Rule names of the checks written in code, for ``rejected_amounts``."""
_NOT_PAYER = "is named but not as its payer (no 'par ...', '... a versé', '... finance': rule {})"


@dataclass(frozen=True, slots=True)
class _Candidate:
    amount: Amount
    evidence: int
    """How much the text says about it: payer named + purpose known."""


def _refuse(rejected: list[Rejected] | None, money: Money, rule: str, why: str) -> None:
    """Record a sum turned down (only for ``rejected_amounts``); None, as ``_read`` returns then."""
    if rejected is not None:
        rejected.append(Rejected(money.start, money.end, rule, why))


def _read(
    text: str, folded: str, money: Money, place: Place, sums: list[Money], rejected: list[Rejected] | None = None
) -> _Candidate | None:
    """Roles of one sum; None when it is not this CPTS's funding (see the module's domain rules)."""
    sentence, segment = place.sentence, place.segment
    if money.value < _MIN_EUR:
        return _refuse(rejected, money, _BELOW_MIN, "under 1 000 €: a price or a tariff, not a CPTS's funding")
    if money.value >= _MAX_EUR:
        return _refuse(rejected, money, _FROM_MAX, "10 M€ or more: a national or regional budget, not one contract's")
    if said("rate", segment, money):
        return _refuse(rejected, money, "rate", "a sum per unit ('par habitant', 'par acte'): a tariff, not a funding")
    if said("not_contract", segment, money):
        return _refuse(rejected, money, "not_contract", "its sentence speaks of CPTS in general, of national scope or of a salary")
    if said("other_recipient", segment, money) or (
        said("other_recipient_heading", segment, money) and not said("cpts_in_sentence", segment, money)
    ):
        why = "its sentence or heading is about another structure (a hospital, a maison de santé...), not a CPTS"
        return _refuse(rejected, money, "other_recipient", why)
    if said("range_before", segment, money) and said("range_after", segment, money):
        return _refuse(rejected, money, "range_before", "the floor of a range: its top is read, as a ceiling")
    named_here = bodies(folded, sentence)
    if len(sums) == 1 and co_funded(folded, named_here):
        payers = " and ".join(sorted({p.funder for p in named_here if p.strong}))
        return _refuse(rejected, money, _CO_FUNDED, f"paid by several bodies together ({payers}): no share is known")
    says_paid = any(p.strong for p in named_here) or said("funding", segment, money)
    body = unmarked_body(named_here) if rejected is not None else None
    unmarked = f"{text[body.start : body.end]!r} {_NOT_PAYER.format(body.decided_by)}; " if body else ""
    if not says_paid:
        why = "no payment word (versé, aide, financement...) in its sentence or heading, no payer"
        return _refuse(rejected, money, body.row if body else "funding", unmarked + why)

    named = payer_named(folded, money, place, named_here)
    chosen = purpose_cue(folded, money, place, named_here, named)
    purpose = cast(Purpose, chosen.kind if chosen else "other")
    funder = named or ("assurance_maladie" if purpose in _ACI_PURPOSES else None)
    if funder is None:
        why = f"no payer named, and {f'its purpose ({purpose})' if chosen else 'no purpose stated'}: only the ACI "
        why += "remuneration (advance, yearly sum...) defaults to the Assurance Maladie"
        rule = body.row if body else chosen.id if chosen else _PAYER_NAMED
        return _refuse(rejected, money, rule, unmarked + why)
    amount = Amount(
        text=text[money.start : money.end],
        char_start=money.start,
        char_end=money.end,
        value=money.value,
        funder=cast(Funder, funder),
        purpose=purpose,
        period_years=chosen.years if chosen and purpose == "multi_year" else None,
        is_maximum=said("maximum", segment, money) or said("range_top", segment, money),
        conditional=said("conditional", segment, money),
        rule=chosen.id if chosen else _PAYER_NAMED,
    )
    return _Candidate(amount, (named is not None) + (purpose != "other"))


def _dedupe(candidates: list[_Candidate], owners: Owners, rejected: list[Rejected] | None = None) -> list[Amount]:
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
    if rejected is not None:
        _restated(candidates, list(best.values()), owners, rejected)
    return sorted((c.amount for c in best.values()), key=lambda a: a.char_start)


def _restated(candidates: list[_Candidate], kept: list[_Candidate], owners: Owners, rejected: list[Rejected]) -> None:
    """The candidates ``_dedupe`` dropped, each with the row kept in its stead."""
    for c in candidates:
        if any(c is k for k in kept):
            continue
        a = c.amount
        winner = next(
            (k.amount for k in kept
             if k.amount.value == a.value and owners(k.amount.char_start) == owners(a.char_start)
             and (a.purpose == "other" or k.amount.purpose == a.purpose)),
            None,
        )
        at = f": the row at [{winner.char_start}:{winner.char_end}] ({winner.rule}) is kept" if winner else ""
        rejected.append(Rejected(a.char_start, a.char_end, a.rule, f"the same sum stated again{at}"))


def extract_amounts(doc: Doc, rejected: list[Rejected] | None = None) -> list[Amount]:
    """Sums of money the communiqué says are paid to the CPTS, one row per distinct sum and purpose.

    Given ``rejected``, each sum turned down is added to it with the check that did (``rejected_amounts``)."""
    text = doc_text(doc)
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
            alone = Segment(folded, [sentence])
            in_sentence = [m for m in sums if inside(m, sentence) and not compared(alone, m)]
            if rejected is not None:
                _compared(alone, sums, sentence, in_sentence, rejected)
            clauses = pieces(folded, sentence, SUBCLAUSE_BREAK)
            segment = Segment(folded, [sentence], in_sentence, above)
            for money in in_sentence:
                subclause = next((c for c in clauses if inside(money, c)), sentence)
                place = Place(sentence, above, subclause, clauses, segment)
                candidate = _read(text, folded, money, place, in_sentence, rejected)
                if candidate:
                    candidates.append(candidate)
    return _dedupe(candidates, Owners(doc._.cpts or [], doc._.cpts_mentions or [], text), rejected)


def _compared(
    segment: Segment, sums: list[Money], sentence: tuple[int, int], kept: list[Money], rejected: list[Rejected]
) -> None:
    """The sums of ``sentence`` left out of ``kept`` as points of comparison."""
    for money in sums:
        if inside(money, sentence) and money not in kept:
            rule = "comparison_before" if said("comparison_before", segment, money) else "comparison_after"
            _refuse(rejected, money, rule, "given for comparison (an earlier contract's sum), not paid under this one")


def rejected_amounts(doc: Doc) -> list[Rejected]:
    """The sums the funding rules saw and kept no row for, each with the check that turned it down, in text order.

    For ``python -m pipeline explain``; ``doc`` has been through the components."""
    rejected: list[Rejected] = []
    extract_amounts(doc, rejected)
    return sorted(rejected)


@Language.component("cpts_amounts")
def amounts_component(doc: Doc) -> Doc:
    """Store the funding amounts under ``doc._.amounts``."""
    doc._.amounts = extract_amounts(doc)
    return doc
