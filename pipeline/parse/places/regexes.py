"""The compiled regexes of the places rules, composed from the named pieces of ``shapes`` and ``vocab``."""

from __future__ import annotations

import re
from functools import cache

from pipeline.parse.places.shapes import (
    APOS,
    ASIDE,
    DE,
    DEPT_CODE,
    DEPT_NUMBER,
    LOW,
    NAME,
    NAME_LIST,
    ORDINAL,
    UP,
    alternation,
)
from pipeline.parse.places.vocab import (
    cue_regex,
    cues,
    departements,
    departements_names,
    kicker_departements,
    regions_names,
)
from pipeline.textnorm import fold, vocab_key

ARRONDISSEMENT_CITIES = "Paris|Lyon|Marseille"
"""The communes divided into municipal arrondissements, each with its own INSEE code."""


@cache
def regexes() -> dict[str, re.Pattern[str]]:
    """Every regex by name; ``region`` runs on ``fold_same_length`` text (a région after "ARS" in capitals or
    without accents: "ARS NOUVELLE-AQUITAINE", "ARS Auvergne-Rhone-Alpes")."""
    dept = rf"(?<![\w-])(?P<dept>{alternation(departements_names())})(?![\w-])"
    article = rf"(?:le |la |les |l[{APOS}] ?)"
    of = rf"(?:de la |de l[{APOS}] ?|du |des |de |d[{APOS}] ?|en )"
    heading_words = alternation([e["text"] for e in cues()["list_heading"]])
    kickers = alternation([n for n in departements_names() if vocab_key(n) in kicker_departements()])
    ordinals = rf"(?P<ordinals>{ORDINAL}(?:(?:\s?,\s?|\set\s){ORDINAL})*)"
    return {
        "dept": re.compile(dept),
        "dept_number": re.compile(rf"{dept}\s*\((?P<code>{DEPT_CODE})\)"),
        "dept_named": re.compile(rf"(?i:département\s+){of}{dept}"),
        "dept_in": re.compile(rf"(?:(?i:dans\s+){article}|(?<![\w-])(?i:en)\s+){dept}"),
        "dept_pair": re.compile(
            rf"(?:(?i:dans\s+){article}?|(?<![\w-])(?i:en)\s+)(?P<dept>{alternation(departements_names())})"
            rf"\s?[-–/]\s?(?P<second>{alternation(departements_names())})(?![\w-])"
        ),
        "region_named": re.compile(rf"(?<![\w-])(?P<region>{alternation(regions_names())})(?![\w-])"),
        "dept_kicker": re.compile(rf"(?m)^(?P<dept>{kickers})\s?:"),
        "number_after_name": re.compile(rf"(?<=[{LOW}{UP}])\s?\((?P<code>{DEPT_CODE})\)"),
        "dept_funder": re.compile(rf"{cue_regex('funder')}(?:\s*\([{UP}]+\))?\s+{of}?{dept}"),
        "region": re.compile(
            rf"(?<![\w-])(?:{alternation([fold(e['text']) for e in cues()['region_head']])})(?![\w-])"
            rf"\s+(?:de la |de l[{APOS}] ?|du |de |d[{APOS}] ?)?"
            rf"(?P<region>{alternation([fold(n) for n in regions_names()])})(?![\w-])"
        ),
        "heading": re.compile(
            rf"(?i:(?:la\s+)?liste\s+(?:des|de\s+nos)\s+|l[{APOS}]ensemble\s+des\s+|les\s+|le\s+|la\s+"
            rf"|nos\s+|notre\s+|ses\s+|son\s+|leurs\s+|leur\s+)?(?:\d+\s+)?"
            rf"(?P<word>(?i:{heading_words}))(?![\w-])"
        ),
        "dept_heading": re.compile(rf"(?i:dans\s+)?{of}?{article}?{dept}(?:\s*\(\w+\))?\s*$"),
        "epci_head": re.compile(cue_regex("epci_head")),
        "establishment": re.compile(
            rf"{cue_regex('establishment')}(?: [{LOW}-]+){{0,2}}? {DE}(?P<names>{NAME_LIST})"
        ),
        "person_place": re.compile(rf"{cue_regex('person_place')}(?: [{LOW}-]+){{0,2}}? à (?P<names>{NAME})"),
        "list_item": re.compile(rf"(?:{DE}|du |des )?(?P<name>{NAME})(?:\s?\((?P<code>{DEPT_CODE})\))?(?:{ASIDE})?"),
        "list_label": re.compile(
            rf"(?i:{alternation([e['text'] for e in cues()['list_label']])})"
            rf"(?:(?: |(?<=[{APOS}]))(?:[{LOW}]+[{APOS}]?|{alternation(departements_names())})){{0,3}}?\s?[,:]\s*"
        ),
        "list_sep": re.compile(r"\s?[,;]\s?(?:et\s)?|\s[-–]\s|\set\s|\sou\s"),
        "range": re.compile(
            rf"(?<![\w-])(?i:de |d[{APOS}] ?|du |des )(?P<a>{NAME}) (?i:à |au |aux |jusqu[{APOS}]à )(?P<b>{NAME})"
        ),
        "arrondissements": re.compile(
            rf"{ordinals}\s+(?i:arrondissements?)(?:\s+(?:de\s+)?(?P<city>{ARRONDISSEMENT_CITIES})(?![\w-]))?"
        ),
        "city_arrondissements": re.compile(
            rf"(?<![\w-])(?P<city>{ARRONDISSEMENT_CITIES})\s{ordinals}(?:\s+(?i:arrondissements?))?"
        ),
        "arrondissement_city": re.compile(rf"(?<![\w-])(?:{ARRONDISSEMENT_CITIES})(?![\w-])"),
        "canton": re.compile(rf"(?<![\w-])(?i:cantons?)\s+{DE}(?P<names>{NAME_LIST})"),
    }


def dept_hint(segment: str) -> str | None:
    """The département a heading or label names ("Communes du Rhône", "Loire (42)", "(69)")."""
    found = regexes()["dept"].search(segment)
    if found:
        return departements()[found["dept"]]
    number = DEPT_NUMBER.search(segment)
    if number and number["code"].upper() in departements().values():
        return number["code"].upper()
    return None
