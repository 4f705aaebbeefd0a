"""Lists of commune names found by what they are (``gazetteer`` hits), whatever words introduce them.

Hits joined by list separators (commas, "et", "ou", spaced dashes,
semicolons, slashes, line breaks between lines that hold only names)
form a run; each name may carry its "(NN)" or a population cell ("A : 7 591
habitants", "A | 7 591"), and one capitalised name the reference does not
know ("La Chapellesur- Erdre", broken by a PDF) may stand between two known
ones. A run is a list when it holds at least two known names that are not
common words.

Its role comes from the evidence around it, not from one gate:

- territory: a territory word or a count of communes in its sentence before
  it, or in the sentence, line or paragraph just before ("un territoire de
  neuf communes –", "... compte 7 communes :" then the names); a territory
  cue right after it ("... composent son territoire"); exactly as many names
  as a count of communes the text states; one of its names already read as
  territory by a cue rule (the run completes that list); or at least
  ``bare_min_names`` known names that agree on their département(s), with
  nothing before them in the clause that names them for another reason and
  no other CPTS or neighbouring place spoken of in their sentence;
- one known name alone right after "le territoire de" ("sur le territoire
  de Quiberon"), right after a covering verb whose clause has the CPTS
  or its territory as subject ("la CPTS couvre Mâcon et les communes de son
  agglomération", "la CPTS couvre la ville de Dinan", "son territoire
  s'étend aussi sur Tinchebray"), or right before a territory cue ("les
  soignants de Challes-les-Eaux font partie de la CPTS"), is the territory
  too;
- mentioned, whatever that evidence: a list whose clause has another CPTS
  or an establishment as subject ("La CPTS voisine a pour territoire A, B
  et C", "Le centre hospitalier couvre A, B et C") or that is
  named as left out ("hors A et B", "A et B ne font pas partie de la
  CPTS"), its ``rule`` the ``places_windows.jsonl`` row that said so;
- otherwise nothing is emitted: a list of towns named in passing stays
  unread (``mentioned`` would add nothing an analyst uses).

A run of known names turned down goes to ``rejected``, when given, with the
``places_windows.jsonl`` row of the check that failed: ``veto_chars`` (an
establishment, a person's place, "CPTS" or a title before it),
``bare_min_names`` (no evidence, too few names or other places spoken of),
``second_departement_names`` (names of disagreeing départements, or an
outlier left out of a list).

Names that agree on one or two départements reinforce each other; an
outlier (a name of another département) does not join the territory.
``rule`` is ``gazetteer_list_<evidence>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipeline.lines import BULLET_CLASS
from pipeline.parse.places.context import (
    commune_counts,
    covered,
    left_out,
    other_subject,
    sentence_start,
    territory_after,
)
from pipeline.parse.places.gazetteer import Hit
from pipeline.parse.places.tables import same_commune_column
from pipeline.parse.places.veto import vetoed
from pipeline.parse.places.shapes import ASIDE, LOW, UP, Claims
from pipeline.parse.places.vocab import folded_cues, number_words, window
from pipeline.records import PlaceMention, Rejected
from pipeline.textnorm import fold

_DECORATION = re.compile(
    r"(?:\s?\((?:\d{2,3}|2[ABab]|\d{5})\)"
    r"|\s?\((?:[Ll]e|[Ll]a|[Ll]es|[Ll]['’])\)"
    r"|\s?[:|\t]\s?\d[\d  .]*(?:\s?hab(?:itants|\.)?)?(?:\s?\|)?"
    r"|\s?\(\s?\d[\d  .]*\s?hab(?:itants|\.)?\s?\)"
    rf"|{ASIDE})*"
)
"""What may follow a name in a list: its département number or postcode, a postposed article ("Bessat (Le)"),
a population cell, a lower-case aside ("Nantes (quartiers nord)")."""
_SEPARATOR = re.compile(
    rf"\s?(?:[,;/•·&|]|\s[-–—]|\s(?:et|ou|ainsi\sque)|\s?\n[\s|]*(?:(?:{BULLET_CLASS}|\d{{1,2}}[.)])\s*)?)\s?(?:et\s|ou\s)?"
    rf"(?:(?:de |d['’] ?|du |des |à )?(?:la |le |les |l['’] ?)?)?(?:\d{{5}}(?: ?\| ?| ))?"
)
"""Between two names of a list: a comma, semicolon, slash, ampersand, middle dot or pipe ("A · B", "A | B", a
page's or a post's list), spaced dash, "et", "ou", "ainsi que" or a line break (with its bullet or number),
then maybe "et" and a preposition or article ("et de", "d'"), then maybe the next name's postcode ("14130
Pont-l'Évêque", as address books and web pages write one a line; "64600 | Anglet", its table cell)."""
_POSTCODE_BEFORE = re.compile(r"(?<![\d\w])(\d{5})(?: ?\| ?| )$")
_CODE_AFTER = re.compile(r"\s?\((\d{2,3}|2[ABab]|\d{5})\)")
_UNKNOWN_ITEM = re.compile(rf"[{UP}][{LOW}{UP}'’\-]*(?:[ \-]+(?:[{UP}][{LOW}{UP}'’\-]*|de|du|des|la|le|les|sur|en|d'|l'))*")


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    hit: Hit | None
    """None for a name the reference does not know, standing between two known ones."""


def gazetteer_lists(
    text: str,
    sentence_starts: list[int],
    claims: Claims,
    hits: list[Hit],
    earlier: list[PlaceMention],
    list_ids: Iterator[int],
    rejected: list[Rejected] | None = None,
) -> list[PlaceMention]:
    """Territory communes of the lists of known names (see the module docstring). ``earlier`` holds what the
    sub-rules before this one read: a run may complete one of their territory lists, and a name inside an
    intercommunalité's or a département's name is not a commune of a list."""
    counts = commune_counts(text)
    others = [p for p in earlier if p.kind != "commune"]
    territory = [p for p in earlier if p.kind == "commune" and p.role == "territory"]
    hits = [h for h in hits if not any(p.char_start < h.end and h.start < p.char_end for p in others)]
    out = []
    for run in _runs(text, hits):
        kept = _agreeing(run)
        known = [i for i in kept if i.hit is not None and not i.hit.common]
        if len(run) == 1 and known and _TERRITORY_OF.search(text, max(0, run[0].start - 30), run[0].start):
            rule: str | None = "gazetteer_territory_of_town"
        elif len(run) == 1 and known and covered(text, sentence_starts, run[0].start):
            rule = "gazetteer_covered_town"
        elif len(run) == 1 and known and _town_cue_after(text, run[0]):
            rule = "gazetteer_town_cue_after"
        elif len(known) < 2 and not (known and _continues_territory(run, territory)):
            continue
        else:
            rule = _evidence(text, sentence_starts, run, kept, counts, territory)
        if rule is None:
            if rejected is not None:
                rejected += _turned_down(text, run, kept)
            continue
        if (guard := _someone_elses(text, sentence_starts, run, rule)) is not None:
            list_id = next(list_ids)
            for item in kept:
                place = claims.mention(text, item.start, item.end, role="mentioned", list_id=list_id, rule=guard)
                out += [place] if place is not None else []
            continue
        if rejected is not None:
            rejected += [_outlier(i) for i in run if i.hit is not None and i not in kept]
        list_id = next(list_ids)
        for item in kept:
            hint = _departement_of(text, item)
            place = claims.mention(text, item.start, item.end, role="territory", list_id=list_id, rule=rule, dept_hint=hint)
            if place is not None:
                out.append(place)
    return out


_TERRITORY_OF = re.compile(r"(?<![\w-])(?:le|du|sur le|son|leur) territoire (?:de |d['’] ?|du )$")
"""Right before one town: "le territoire de Quiberon", "la CPTS du territoire de Vitré" (lower-case
"territoire": the Territoire de Belfort is a département)."""


def revise_lists(
    text: str, places: list[PlaceMention], hits: list[Hit], claims: Claims, rejected: list[Rejected] | None = None
) -> list[PlaceMention]:
    """``places`` read by the cue rules, revised with what the reference knows.

    A commune name cut short ("Puiseux" of "Puiseux-pontoise", its lower-case
    word unread) is lengthened to the reference name starting at the same
    character. A name that is also a common word or a region ("Bourgogne"),
    lies outside the départements the other names of its territory list
    agree on and has no département of its own ("(38)", a sub-heading) leaves
    the list.
    """
    at = {h.start: h for h in hits}
    lengthened = []
    for place in places:
        hit = at.get(place.char_start)
        if place.kind == "commune" and hit is not None and hit.end > place.char_end and place.name == place.text:
            claims.claim(place.char_end, hit.end)
            place = replace(place, text=text[hit.start : hit.end], name=text[hit.start : hit.end], char_end=hit.end)
        lengthened.append(place)
    lists: dict[int, list[_Item]] = {}
    for place in lengthened:
        if place.kind == "commune" and place.role == "territory" and place.list_id is not None and not place.dept_hint:
            hit = at.get(place.char_start)
            lists.setdefault(place.list_id, []).append(_Item(place.char_start, place.char_end, hit))
    outliers = set()
    for items in lists.values():
        kept = _agreeing(items)
        outliers |= {(i.start, i.end) for i in items if i not in kept and i.hit is not None and i.hit.common}
    if rejected is not None:
        also = " (it is also a common word or a région)"
        rejected += [_outlier(_Item(start, end, None), also) for start, end in sorted(outliers)]
    return [p for p in lengthened if (p.char_start, p.char_end) not in outliers or p.role != "territory"]


def _outlier(item: _Item, also: str = "") -> Rejected:
    """A name left out of a list for its département."""
    why = f"outside the département(s) the other names of its list agree on{also}"
    return Rejected(item.start, item.end, "second_departement_names", why)


def _town_cue_after(text: str, item: _Item) -> bool:
    """One town right before a territory cue, not named for an establishment or one person ("les soignants de
    Challes-les-Eaux font partie de la CPTS"; not "les médecins de l'hôpital de Chambéry font partie de ...")."""
    return territory_after(text, _DECORATION.match(text, item.end).end()) and not vetoed(text, item.start)


def _someone_elses(text: str, sentence_starts: list[int], run: list[_Item], rule: str) -> str | None:
    """The ``places_windows.jsonl`` row by which a run that has evidence is still no territory of this CPTS, its
    names only mentioned: another CPTS or an establishment is the subject of its clause ("La CPTS voisine a pour
    territoire A, B et C", ``other_cpts_subject``; "Le GHT couvre A, B et C", ``establishment_subject``), or it
    is named as left out ("hors A et B", "A et B ne font pas partie de la
    CPTS", ``excluded_before``, which ``pipeline.normalise.epcis`` takes out of an intercommunalité named just
    before), or only planned ("elle pourrait s'étendre à A et B", ``planned_before``)."""
    subject = other_subject(text, sentence_starts, run[0].start)
    if subject and not (subject == "establishment_subject" and rule == "gazetteer_territory_of_town"):
        return subject  # "La maison de santé, sur le territoire de Quiberon, ..." says where, not what it covers
    return left_out(text, run[0].start, _DECORATION.match(text, run[-1].end).end())


def _turned_down(text: str, run: list[_Item], kept: list[_Item]) -> list[Rejected]:
    """The known names of a run no evidence made the territory, with the check that failed (see ``_evidence``)."""
    known = [i for i in run if i.hit is not None and not i.hit.common]
    least = window("bare_min_names")
    no_cue = "no territory word, count of communes or cue after it"
    if vetoed(text, run[0].start):
        rule, why = "veto_chars", "an establishment, a person's place, 'CPTS' or a title stands before the list"
    elif len(known) < least:
        rule, why = "bare_min_names", f"{no_cue}; with none, a list needs {least} names agreeing on their département"
    elif not all(i in kept for i in known):
        rule, why = "second_departement_names", f"{no_cue}, and its names do not agree on their départements"
    else:
        rule, why = "bare_min_names", f"{no_cue}, and its sentence speaks of other CPTS or neighbouring places"
    return [Rejected(i.start, i.end, rule, f"a list of known names not read as the territory: {why}") for i in known]


def _departement_of(text: str, item: _Item) -> str | None:
    """The département a list item states: its "(14)" or "(14130)" after it, its postcode before it ("29200
    Brest"). A homonym is then resolved in it; Corsica's postcodes (20xxx) name no one département."""
    after = _CODE_AFTER.match(text, item.end)
    before = _POSTCODE_BEFORE.search(text, max(0, item.start - 8), item.start)
    code = (after or before)[1].upper() if after or before else None
    if code is None or len(code) < 5:
        return code
    if code.startswith("20"):
        return None
    return code[:3] if code.startswith("97") else code[:2]


def _runs(text: str, hits: list[Hit]) -> list[list[_Item]]:
    """Hits joined by separators, with at most one unknown name between two known ones."""
    runs: list[list[_Item]] = []
    for hit in hits:
        item = _Item(hit.start, hit.end, hit)
        joined = _join(text, runs[-1][-1], item) if runs else None
        if joined is None:
            runs.append([item])
        else:
            runs[-1] += [*joined, item]
    return runs


def _join(text: str, previous: _Item, item: _Item) -> list[_Item] | None:
    """The items between two hits of one list (``[]`` or one unknown name), else None.

    A line break joins only lines that hold nothing but names (a column, a
    table, a paragraph that is the list), never prose; the rows of a table
    join by their cells of known names, its other cells (postcodes,
    populations) being decoration, or whatever they hold when the column is
    headed "Commune" (``tables``)."""
    if same_commune_column(text, previous.start, previous.end, item.start, item.end):
        return []
    sep = _SEPARATOR.match(text, _DECORATION.match(text, previous.end).end())
    if sep is None:
        return None
    if "\n" in text[previous.end : item.start] and not (_names_only(text, previous) and _names_only(text, item)):
        return None
    if sep.end() == item.start:
        return []
    middle = _UNKNOWN_ITEM.match(text, sep.end(), item.start)
    if middle is None or len(middle.group().split()) > 5:
        return None
    second = _SEPARATOR.match(text, _DECORATION.match(text, middle.end()).end())
    if second is None or second.end() != item.start or "|" in sep.group() + second.group():
        return None  # a table cell the reference does not know is another column ("Anglet | Dr Martin"), no name
    return [_Item(middle.start(), middle.end(), None)]


def _names_only(text: str, item: _Item) -> bool:
    """True when the line of ``item`` holds only names, separators, figures and bullets: no lower-case word but
    particles and "habitants"."""
    line_start = text.rfind("\n", 0, item.start) + 1
    line_end = text.find("\n", item.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return all(w[0].isupper() or fold(w) in _LINE_WORDS for w in re.findall(rf"[{LOW}{UP}]+", line))


_LINE_WORDS = frozenset("et ou de du des la le les l d sur sous en lès hab habitants".split())


def _agreeing(run: list[_Item]) -> list[_Item]:
    """The items whose départements agree with the run's: the département most names share, and a second one
    when it has at least ``second_departement_names`` names (a territory across a border). Unknown names stay."""
    votes: Counter[str] = Counter()
    for item in run:
        if item.hit is not None and not item.hit.common:
            for d in item.hit.departements:
                votes[d] += 1
    if not votes:
        return run
    ranked = votes.most_common()
    keep = {ranked[0][0]} | {d for d, n in ranked[1:2] if n >= window("second_departement_names")}
    return [i for i in run if i.hit is None or i.hit.departements & keep]


def _evidence(
    text: str,
    sentence_starts: list[int],
    run: list[_Item],
    kept: list[_Item],
    counts: frozenset[int],
    territory: list[PlaceMention],
) -> str | None:
    """The name of the evidence that makes ``run`` the territory, or None."""
    if vetoed(text, run[0].start):
        return None
    if len(kept) > 1 and len(kept) in counts:
        return "gazetteer_list_count"
    if _continues_territory(run, territory):
        return "gazetteer_list_continues"
    if _cue_before(text, sentence_starts, run[0].start):
        return "gazetteer_list_cue"
    if territory_after(text, _DECORATION.match(text, run[-1].end).end()):
        return "gazetteer_list_cue_after"
    known = [i for i in run if i.hit is not None and not i.hit.common]
    if len(known) >= window("bare_min_names") and all(i in kept for i in known) and not _others(text, run):
        return "gazetteer_list_agreeing"
    return None


_OTHERS = re.compile(
    r"(?<![\w-])(?:(?:les|des|aux|ces|plusieurs|deux|trois|quatre|cinq|\d+) cpts|communautes professionnelles|autres?"
    r"|voisine?s?)(?![\w-])"
)
"""Words of a sentence about other CPTS or places than this CPTS's ("d'autres CPTS sont actives à A, B et C",
"les CPTS de A, B et C")."""
_CPTS = re.compile(r"(?<![\w-])cpts(?![\w-])")


def _others(text: str, run: list[_Item]) -> bool:
    """True when the run's sentence speaks of several CPTS or of other or neighbouring places: with no cue, its
    towns may well be theirs. One CPTS named in the sentence is this one ("la CPTS X, portée par des libéraux
    de A, B et C"; a release about several CPTS gives each its section)."""
    start = max(text.rfind(".", 0, run[0].start), text.rfind("\n", 0, run[0].start)) + 1
    end = re.compile(r"[.\n]").search(text, run[-1].end)
    sentence = fold(text[start : end.start() if end else len(text)])
    return bool(_OTHERS.search(sentence)) or len(_CPTS.findall(sentence)) > 1


def _continues_territory(run: list[_Item], territory: list[PlaceMention]) -> bool:
    return any(p.char_start < i.end and i.start < p.char_end for i in run for p in territory)


def _cue_before(text: str, sentence_starts: list[int], at: int) -> bool:
    """A territory word or a count of communes before ``at`` in its sentence or the one before it."""
    own = sentence_start(sentence_starts, at)
    previous = sentence_start(sentence_starts, own - 1) if own > 0 else own
    words = re.findall(r"[a-z0-9']+", fold(text[previous:at]))
    cues = folded_cues("territory")
    numbers = number_words()
    for k, word in enumerate(words):
        if any(word.startswith(c) for c in cues):
            return True
        if word.startswith("commune") and k and (words[k - 1].isdigit() or words[k - 1] in numbers):
            return True
    return False
