"""Sums of money paid to the CPTS: value, payer, purpose, ceiling and condition.

A sum is a number in digits ("116 250", "1.050.000", "1,5") or words ("deux
millions") followed by a currency ("€", "euros", "EUR"), possibly through a
magnitude ("250 k€", "1,5 M€", "1,2 million d'euros"); rarely the currency
comes first ("€ 50 000"). Units are data (``patterns/money_units.jsonl``).

Who pays it and what for is read from, in this order, the narrowest place
that says it:

1. its sub-clause: the sentence cut at ";", ", ", "et", "puis"... ("60 000 €
   par l'Assurance Maladie et 15 000 € par l'ARS");
2. its sentence. Sentences are cut inside *logical lines*: a line that
   starts in lower case continues the previous one, because communiqués
   wrap short lines ("15 000 €" / "par l'ARS" / "pour l'écriture du" /
   "projet de santé."). A cue word found in a sentence with several sums
   belongs to the nearest sum; a purpose said in a sub-clause where another
   body pays belongs to that body's money;
3. the heading above it: the nearest line ending with ":" or short
   title-like line, walking up over the sibling lines of the same list
   ("Sommes versées à la signature :" above "116 250 €"). A heading only
   fills what the sum's own sentence leaves unsaid.

A body named in the clause is its payer when the clause marks it so ("par
l'ARS", "aide de l'ARS", "l'ARS a versé"); an unmarked name counts only when
it is the only body named there. Vocabularies: ``patterns/funders.jsonl``,
``patterns/funding_purposes.jsonl``, ``patterns/amount_cues.jsonl``.

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
  section, ``pipeline.normalise.owners``): two CPTS paid the same advance keep
  a row each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import patterns
from pipeline.normalise.owners import Owners
from pipeline.parse.numbers import NUMBER_PATTERN, number_words, parse_number
from pipeline.records import Amount, Funder, Purpose
from pipeline.parse.segment import folded_text

Doc.set_extension("amounts", default=None, force=True)

_MIN_EUR = 1_000
_MAX_EUR = 10_000_000
_ACI_PURPOSES: frozenset[str] = frozenset(
    {"signature_payment", "first_year", "annual", "multi_year", "mission_funding"}
)
_TITLE_MAX_CHARS = 100
"""A line this short without final punctuation is read as a title."""
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ý0-9«\"“])")
_SUBCLAUSE_BREAK = re.compile(r"\s*;\s*|,\s+|\s+(?:et|puis|ainsi que|tandis que|alors que)\s+")
_CO_PAYERS = re.compile(
    r"(?:\s+(?:de la|de l'|du|des|d')\s*[\w' -]{1,30}?)?(?:\s*,\s*|\s+et\s+|\s+ainsi que\s+)(?:l'|la |le |les )?$"
)
"""What lies between two payers named together: an optional short complement, then a conjunction."""


@dataclass(frozen=True, slots=True)
class _Money:
    start: int
    end: int
    value: int


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue word found in the text: a purpose, a ceiling, a condition..."""

    start: int
    end: int
    kind: str
    rank: int = 0
    years: int | None = None
    funder: str | None = None
    """For a purpose cue: the payer it requires, if any."""


@dataclass(frozen=True, slots=True)
class _Payer:
    start: int
    end: int
    funder: str
    strong: bool
    """The clause marks the body as the payer ("par l'ARS", "l'ARS a versé")."""


@dataclass(frozen=True, slots=True)
class _Place:
    """The spans a sum's roles are read from."""

    sentence: tuple[int, int]
    heading: tuple[int, int] | None
    subclause: tuple[int, int]
    """The piece of the sentence holding the sum."""
    clauses: list[tuple[int, int]]
    """All pieces of the sentence, cut at ";", ", ", "et", "puis"..."""


def _alternation(forms: list[str]) -> str:
    """Regex alternation of literal forms, longest first; a form ending in a letter must end a word."""
    ordered = sorted(forms, key=len, reverse=True)
    return "|".join(re.escape(f) + (r"(?![a-z])" if f[-1:].isalpha() else "") for f in ordered)


@lru_cache(maxsize=1)
def _units() -> tuple[str, dict[str, int]]:
    """Currency alternation and magnitude factors from ``money_units.jsonl``."""
    rows = patterns.load("money_units")
    currency = [form for row in rows if row["kind"] == "currency" for form in row["forms"]]
    factors = {form: row["factor"] for row in rows if row["kind"] == "magnitude" for form in row["forms"]}
    return _alternation(currency), factors


@lru_cache(maxsize=1)
def _money_regex() -> re.Pattern[str]:
    """Number (digits, magnitude or words) then currency; or currency then digits.

    Before a magnitude a point with one or two digits is a decimal point ("1.2 million d'euros", "1.5 M€"),
    not a thousands separator; number words right after digits the regex could not read ("1.2 million")
    are not a sum on their own.
    """
    currency, factors = _units()
    magnitude = _alternation(list(factors))
    word = _alternation(list(number_words()))
    words = rf"(?:{word})(?:[ -](?:et[ -])?(?:{word}))*"
    decimal_point = rf"\d+\.\d{{1,2}}(?=\s*(?:{magnitude})\s*(?:{currency})|\s+(?:millions?|milliards?)(?![a-z]))"
    return re.compile(
        rf"(?<![\w,.])(?:(?P<digits>{decimal_point}|{NUMBER_PATTERN})"
        rf"(?:\s*(?P<mag>{magnitude})|\s+(?P<magw>millions?|milliards?|mille)(?![a-z]))?"
        rf"|(?<![\d.,]\s)(?P<words>{words}))\s*(?:d')?\s*(?:{currency})"
        rf"|(?<!\w)(?:€|eur(?![a-z]))\s?(?P<after>{NUMBER_PATTERN})(?![\d,.]|\s*(?:\d|{magnitude}|{currency}|mill))"
    )


def _compiled(rows: tuple[dict, ...]) -> list[tuple[re.Pattern[str], dict]]:
    return [(re.compile(row["pattern"]), row) for row in rows]


@lru_cache(maxsize=1)
def _funders() -> list[tuple[re.Pattern[str], dict]]:
    return _compiled(patterns.load("funders"))


@lru_cache(maxsize=1)
def _purposes() -> list[tuple[re.Pattern[str], dict]]:
    return _compiled(patterns.load("funding_purposes"))


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    return {row["cue"]: re.compile(row["pattern"]) for row in patterns.load("amount_cues")}


def _money(folded: str) -> list[_Money]:
    """Every sum of money written in the text, with its value in euros (rounded)."""
    _, factors = _units()
    found = []
    for match in _money_regex().finditer(folded):
        digits = match["digits"]
        if digits and re.fullmatch(r"\d+\.\d{1,2}", digits):
            digits = digits.replace(".", ",")
        if match["after"]:
            value = parse_number(match["after"])
        elif match["words"]:
            value = parse_number(match["words"])
        elif match["mag"]:
            head = parse_number(digits)
            value = head * factors[match["mag"]] if head is not None else None
        elif match["magw"]:
            value = parse_number(f"{digits} {match['magw']}")
        else:
            value = parse_number(digits)
        if value is not None:
            found.append(_Money(match.start(), match.end(), round(value)))
    return found


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines; a line starting in lower case is joined to the line just above."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        if spans and match.group()[:1].islower() and text[spans[-1][1] : match.start()] == "\n":
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans


def _pieces(text: str, span: tuple[int, int], breaks: re.Pattern[str]) -> list[tuple[int, int]]:
    start, end = span
    cuts = [(m.start(), m.end()) for m in breaks.finditer(text, start, end)]
    bounds = [start] + [c for cut in cuts for c in cut] + [end]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


def _inside(money: _Money, span: tuple[int, int]) -> bool:
    return span[0] <= money.start < span[1]


def _distance(cue: _Cue | _Payer, money: _Money) -> int:
    return max(0, cue.start - money.end, money.start - cue.end)


def _heading(text: str, lines: list[tuple[int, int]], index: int, money_lines: set[int]) -> tuple[int, int] | None:
    """The heading above line ``index``: the first line above without a sum, when it reads as a heading.

    The walk goes up over sibling lines that hold a sum, however many (the eighth row of a table,
    "CPTS du Vimeu | 22/06/2023 | 43 500 €", still finds its column header), as long as no blank line
    parts them: a paragraph after a table or list is not one of its rows.
    """
    above = index - 1
    while above in money_lines and "\n\n" not in text[lines[above][1] : lines[above + 1][0]]:
        above -= 1
    if above < 0 or above in money_lines:
        return None
    line = text[lines[above][0] : lines[above][1]].rstrip()
    if line.endswith(":") or (len(line) <= _TITLE_MAX_CHARS and not line.endswith((".", "!", "?", ";", ",", "…"))):
        return lines[above]
    return None


def _payers(folded: str, span: tuple[int, int], clause: tuple[int, int]) -> list[_Payer]:
    """Bodies named in ``span`` that may be the payer; strength is judged within ``clause``."""
    before, after = _cues()["payer_before"], _cues()["payer_after"]
    found = []
    for pattern, row in _funders():
        for match in pattern.finditer(folded, span[0], span[1]):
            strong = bool(
                before.search(folded[clause[0] : match.start()]) or after.search(folded[match.end() : clause[1]])
            )
            if strong or row.get("weak", True):
                found.append(_Payer(match.start(), match.end(), row["funder"], strong))
    return found


def _purpose_cues(folded: str, span: tuple[int, int]) -> list[_Cue]:
    found = []
    for pattern, row in _purposes():
        for match in pattern.finditer(folded, span[0], span[1]):
            years = match.groupdict().get("years")
            found.append(
                _Cue(match.start(), match.end(), row["purpose"], row["rank"], _years(years), row.get("funder"))
            )
    return found


def _years(word: str | None) -> int | None:
    value = parse_number(word) if word else None
    return int(value) if value else None


def _flag_cues(folded: str, span: tuple[int, int], kind: str) -> list[_Cue]:
    return [_Cue(m.start(), m.end(), kind) for m in _cues()[kind].finditer(folded, span[0], span[1])]


def _compared(folded: str, money: _Money, sentence: tuple[int, int]) -> bool:
    """A sum given only as a point of comparison ("contre 250 K€ lors du précédent contrat").

    It is not paid under this contract, and it must not take the cue words of the sentence
    ("..., en fonction de l'atteinte des objectifs") from the sum it is compared with.
    """
    return bool(
        _cues()["comparison_before"].search(folded[sentence[0] : money.start])
        or _cues()["comparison_after"].search(folded[money.end : sentence[1]])
    )


def _nearest(cues: list, money: _Money, sums: list[_Money]) -> list:
    """The cues of a sentence that lie nearer to ``money`` than to any other sum in it."""
    return [cue for cue in cues if min(sums, key=lambda other: _distance(cue, other)) == money]


def _pick_funder(payers: list[_Payer], money: _Money) -> str | None:
    """The payer among bodies named in one span: the only one marked as payer, else the only one named."""
    strong = [p for p in payers if p.strong]
    kinds = {p.funder for p in (strong or payers)}
    if len(kinds) == 1:
        return kinds.pop()
    if strong:
        return min(strong, key=lambda p: _distance(p, money)).funder
    return None


def _co_funded(folded: str, payers: list[_Payer]) -> bool:
    """Two different bodies marked as payers and joined as co-subjects ("l'ARS et la CPAM financent")."""
    strong = sorted((p for p in payers if p.strong), key=lambda p: p.start)
    return any(
        first.funder != second.funder and _CO_PAYERS.match(folded[first.end : second.start])
        for first, second in zip(strong, strong[1:])
    )


def _pick_purpose(cues: list[_Cue], funder: str | None) -> _Cue | None:
    usable = [c for c in cues if c.funder is None or c.funder == funder]
    return min(usable, key=lambda c: c.rank) if usable else None


@dataclass(frozen=True, slots=True)
class _Candidate:
    amount: Amount
    evidence: int
    """How much the text says about it: payer named + purpose known."""


def _payer_named(folded: str, money: _Money, place: _Place, sentence_payers: list[_Payer]) -> str | None:
    """The payer the text names for a sum: in its sub-clause, else its sentence, else its heading."""
    own = place.subclause
    heading_payers = _payers(folded, place.heading, place.heading) if place.heading else []
    return (
        _pick_funder([p for p in sentence_payers if own[0] <= p.start < own[1]], money)
        or _pick_funder(sentence_payers, money)
        or _pick_funder(heading_payers, money)
    )


def _purpose_cue(
    folded: str, money: _Money, place: _Place, sums: list[_Money], sentence_payers: list[_Payer], named: str | None
) -> _Cue | None:
    """The purpose cue of a sum: in its sub-clause, else its sentence, else its heading.

    Sentence cues in a sub-clause where another body is the payer ("l'ARS finance la rédaction du
    projet") belong to that body's money, not to this sum.
    """
    foreign = [
        clause
        for clause in place.clauses
        if any(p.strong and p.funder != named and clause[0] <= p.start < clause[1] for p in sentence_payers)
    ]
    in_sentence = [c for c in _purpose_cues(folded, place.sentence) if not any(f[0] <= c.start < f[1] for f in foreign)]
    levels = [_purpose_cues(folded, place.subclause), _nearest(in_sentence, money, sums)]
    if place.heading:
        levels.append(_purpose_cues(folded, place.heading))
    return next((cue for cues in levels if (cue := _pick_purpose(cues, named))), None)


def _says(folded: str, money: _Money, place: _Place, sums: list[_Money], kind: str) -> bool:
    """Whether a flag cue (maximum, conditional) is said of this sum in its sentence or its heading."""
    if _nearest(_flag_cues(folded, place.sentence, kind), money, sums):
        return True
    return bool(place.heading and _flag_cues(folded, place.heading, kind))


def _read(text: str, folded: str, money: _Money, place: _Place, sums: list[_Money]) -> _Candidate | None:
    """Roles of one sum; None when it is not this CPTS's funding (see the module's domain rules)."""
    sentence = place.sentence
    if not _MIN_EUR <= money.value < _MAX_EUR:
        return None
    if _cues()["rate"].search(folded[money.end : sentence[1]]) or _cues()["not_contract"].search(folded, *sentence):
        return None
    before, after = folded[sentence[0] : money.start], folded[money.end : sentence[1]]
    if _cues()["range_before"].search(before) and _cues()["range_after"].search(after):
        return None
    sentence_payers = _payers(folded, sentence, sentence)
    if len(sums) == 1 and _co_funded(folded, sentence_payers):
        return None
    says_paid = any(p.strong for p in sentence_payers) or any(
        _cues()["funding"].search(folded, *span) for span in (sentence, place.heading) if span
    )
    if not says_paid:
        return None

    named = _payer_named(folded, money, place, sentence_payers)
    chosen = _purpose_cue(folded, money, place, sums, sentence_payers, named)
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
        is_maximum=_says(folded, money, place, sums, "maximum")
        or bool(_cues()["range_top"].search(before)),
        conditional=_says(folded, money, place, sums, "conditional"),
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
    sums = _money(folded)
    if not sums:
        return []
    lines = _logical_lines(text)
    line_of = {m: next(i for i, span in enumerate(lines) if span[0] <= m.start < span[1]) for m in sums}
    money_lines = set(line_of.values())
    candidates = []
    for index in sorted(money_lines):
        heading = _heading(text, lines, index, money_lines)
        for sentence in _pieces(text, lines[index], _SENTENCE_BREAK):
            in_sentence = [m for m in sums if _inside(m, sentence) and not _compared(folded, m, sentence)]
            clauses = _pieces(folded, sentence, _SUBCLAUSE_BREAK)
            for money in in_sentence:
                subclause = next((c for c in clauses if _inside(money, c)), sentence)
                candidate = _read(text, folded, money, _Place(sentence, heading, subclause, clauses), in_sentence)
                if candidate:
                    candidates.append(candidate)
    return _dedupe(candidates, Owners(doc._.cpts or [], doc._.cpts_mentions or [], text))


@Language.component("cpts_amounts")
def amounts_component(doc: Doc) -> Doc:
    """Store the funding amounts under ``doc._.amounts``."""
    doc._.amounts = extract_amounts(doc)
    return doc
