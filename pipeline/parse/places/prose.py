"""Commune lists in prose, opened by a ``list_intro`` phrase, and ranges "de A à B".

- inline lists ("couvre les communes de A, B et C", "six communes : A, B",
  "26 communes (A, B…)", "12 communes, dont A et B", "autour de A, B et C",
  "en passant par A et B", "ses principaux pôles sont A et B", "couvre A, B
  et C", "la commune du Gosier"), names separated by commas, semicolons,
  spaced dashes, "et" or "ou", each optionally followed by its "(01)",
  grouped by labels ("côté isérois,", "dans la Drôme :"): role
  ``territory`` after a territory word or a count of communes in the
  sentence, or when the text counts as many communes as the list names
  ("les soignants de A, B et C ... Les trois communes"), unless another
  CPTS or an establishment is the subject of the phrase ("La CPTS voisine
  couvre A, B et C", "Le GHT couvre A, B et C": mentioned, its territory
  is not this one's) or the list is named as left
  out ("couvre A et B, hors C et D"; "C et D ne font pas partie de la CPTS"),
  whose ``rule`` is then that ``places_windows.jsonl`` row. One town alone
  after "autour de" is only mentioned: "12 communes autour de Lyon" may well
  exclude Lyon. "du"/"des" before a name is its article ("du Lamentin"
  names Le Lamentin). ``rule`` is the ``list_intro`` row's id;
- the two ends of a range right after a territory word ("s'étend sur 45
  communes, de A à B", "va de A à B"): role ``territory``. A range is not a
  list: nothing between its ends is inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.parse.places.context import (
    after_epci_head,
    commune_counts,
    counted,
    left_out,
    other_subject,
    sentence_start,
    territory_after,
    territory_cue,
)
from pipeline.parse.places.mentioned import is_person
from pipeline.parse.places.regexes import dept_hint, regexes
from pipeline.parse.places.shapes import Claims
from pipeline.parse.places.vocab import (
    cue_id,
    departements,
    folded_cues,
    has_not_commune_word,
    intros,
    is_departement,
    kicker_departements,
)
from pipeline.records import PlaceMention, PlaceRole
from pipeline.textnorm import fold, vocab_key

_CONTRACTED = {"du": "Le ", "des": "Les "}
"""Article that "du"/"des" (de + le/les) contracts before a commune name."""


@dataclass(frozen=True, slots=True)
class Item:
    """One name of a prose list; ``taken_end`` includes its "(NN)" when it has one, ``article`` is the one
    contracted before it ("du Lamentin" names Le Lamentin, not Lamentin)."""

    start: int
    end: int
    hint: str | None
    taken_end: int
    article: str = ""


def inline_lists(text: str, sentence_starts: list[int], claims: Claims, list_ids: Iterator[int]) -> list[PlaceMention]:
    """Names after a ``list_intro`` phrase ("couvre six communes : A, B et C", "autour de A et B", "couvre A,
    B et C"). A list holding a person's name ("le bureau comprend Marie Martin et ...") is no list of places."""
    out = []
    counts = commune_counts(text)
    for intro in intros():
        if (first := intro.anywhere.search(text)) is None:
            continue
        for m in intro.regex.finditer(text, first.start()):  # no intro starts before its phrase's first place
            if claims.overlaps(m.start(), m.end()) or after_epci_head(text, m.start()):
                continue
            items = name_items(text, m.end())
            people = any(is_person(text[m.start() : i.end], text[i.start : i.end]) for i in items)
            if len(items) < intro.min_names or people:
                continue
            cue = (
                territory_cue(text, sentence_starts, m.start(), [])
                or counted(text, m.start())
                or territory_after(text, items[-1].taken_end)
            )
            rule = intro.id
            if subject := other_subject(text, sentence_starts, m.start()):
                role: PlaceRole = "mentioned"
                rule = subject
            elif out_rule := left_out(text, items[0].start, items[-1].taken_end):
                role, rule = "mentioned", out_rule
            elif (
                intro.always_territory
                or (cue and len(items) >= intro.min_territory_names)
                or (len(items) > 1 and len(items) in counts)
            ):
                role = "territory"
            elif cue or intro.mentioned_without_cue:
                role = "mentioned"
            else:
                continue
            out += list_mentions(text, items, role, next(list_ids), claims, rule)
    return out


def name_items(text: str, pos: int) -> list[Item]:
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
    patterns = regexes()
    items: list[Item] = []
    hint = None
    at_group = True
    while True:
        label = patterns["list_label"].match(text, pos) if at_group else None
        if label is not None:
            hint = dept_hint(label.group()) or hint
            pos = label.end()
        m = patterns["list_item"].match(text, pos)
        if m is None:
            break
        name = m["name"]
        contracted = re.search(r"(?<![\w-])(?i:du|des)\s+$", text[max(0, m.start("name") - 5) : m.start("name")])
        if (
            is_departement(name)
            or (contracted and name in departements())
            or vocab_key(name) in kicker_departements()
            or has_not_commune_word(name)
        ):
            break
        code = m["code"].upper() if m["code"] else None
        article = _CONTRACTED.get(fold(contracted[0]).strip(), "") if contracted and name[0].isupper() else ""
        items.append(Item(m.start("name"), m.end("name"), code or hint, m.end(), article))
        sep = patterns["list_sep"].match(text, m.end())
        if sep is None:
            break
        pos = sep.end()
        at_group = ";" in sep.group()
    return items


def list_mentions(
    text: str, items: list[Item], role: PlaceRole, list_id: int, claims: Claims, rule: str
) -> list[PlaceMention]:
    """One commune mention per item not claimed yet, claimed with its "(NN)"."""
    out = []
    for item in items:
        place = claims.mention(
            text,
            item.start,
            item.end,
            claim_end=item.taken_end,
            name=item.article + text[item.start : item.end],
            role=role,
            dept_hint=item.hint,
            list_id=list_id,
            rule=rule,
        )
        if place is not None:
            out.append(place)
    return out


def ranges(text: str, sentence_starts: list[int], claims: Claims, list_ids: Iterator[int]) -> list[PlaceMention]:
    """The two ends of "de A à B" right after a territory word ("s'étend sur 45 communes, de A à B")."""
    out = []
    words = folded_cues("range")
    for m in regexes()["range"].finditer(text):
        start = sentence_start(sentence_starts, m.start())
        last_words = re.findall(r"[a-z]+", fold(text[start : m.start()]))[-4:]
        ends = [Item(m.start("a"), m.end("a"), None, m.end("a")), Item(m.start("b"), m.end("b"), None, m.end("b"))]
        names = [text[e.start : e.end] for e in ends]
        cue = next((w for w in last_words if w in words), None)
        if cue is None or any(is_departement(n) or has_not_commune_word(n) for n in names):
            continue
        out += list_mentions(text, ends, "territory", next(list_ids), claims, cue_id("range", cue))
    return out
