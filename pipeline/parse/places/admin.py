"""Départements, régions, cantons and municipal arrondissements named in the text.

- départements named with their number ("Puy-de-Dôme (63)"), after
  "département de", "dans la/le" or "en" (also two joined: "en
  Drôme-Ardèche"), or opening a line ("Gironde : la
  CPTS..."): kind ``departement``, role ``territory``; after a departmental
  funder ("Assurance Maladie de", "CPAM de", "CGSS de"): role ``mentioned``
  (a context hint, and the fallback when nothing else gives the département);
- régions after "ARS", "région" or "en" ("ARS Occitanie"): kind ``region``,
  ``region_hint`` set;
- cantons ("le canton de Nantua"): kind ``canton``. A canton is not a
  commune and its communes are not in the reference, so it only tells the
  département (resolved through its chef-lieu's name, in
  ``pipeline.normalise.communes``);
- municipal arrondissements ("les 13e et 14e arrondissements de Paris",
  "Paris 18e", "le 13e arrondissement" in a text naming Paris and no other
  city with arrondissements): communes named as the reference names them
  ("Paris 13e").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.parse.places.context import territory_cue
from pipeline.parse.places.prose import name_items
from pipeline.parse.places.regexes import regexes
from pipeline.parse.places.shapes import Claims
from pipeline.parse.places.vocab import departements, regions
from pipeline.records import PlaceMention, PlaceRole
from pipeline.textnorm import fold_same_length

_ORDINAL_NUMBER = re.compile(r"\d{1,2}")
_DEPARTEMENT_FORMS: tuple[tuple[str, PlaceRole], ...] = (
    ("dept_number", "territory"),
    ("dept_named", "territory"),
    ("dept_in", "territory"),
    ("dept_kicker", "territory"),
    ("dept_funder", "mentioned"),
)
"""The ways a département is named, strongest first, and the role each gives it."""


def find_departements(text: str, claims: Claims | None = None) -> list[PlaceMention]:
    """Départements named in ``text``.

    With their number, after "département de", "dans la" or "en", or opening
    a line ("Gironde : ..."): role territory. After a departmental funder
    ("CPAM de"; the mention's text is then the whole "CPAM de la Manche": a
    CPTS signs with the caisse of its own département), or only as a number after another name
    ("Montreuil (93)"): role mentioned, a context hint only. ``rule`` is
    ``places_<form>``.
    """
    claims = claims if claims is not None else Claims()
    patterns = regexes()
    codes = departements()
    out = []
    for form, role in _DEPARTEMENT_FORMS:
        for m in patterns[form].finditer(text):
            code = codes[m["dept"]]
            if form == "dept_number" and m["code"].upper() != code:
                claims.claim(m.start("code") - 1, m.end())
                continue
            start = m.start() if form == "dept_funder" else m.start("dept")
            end = m.end() if form == "dept_number" else m.end("dept")
            place = claims.mention(
                text, start, end, name=m["dept"], kind="departement", role=role, dept_hint=code, rule=f"places_{form}"
            )
            if place is not None:
                out.append(place)
    for m in patterns["dept_pair"].finditer(text):
        for group in ("dept", "second"):
            place = claims.mention(
                text, *m.span(group), kind="departement", role="territory", dept_hint=codes[m[group]], rule="places_dept_pair"
            )
            if place is not None:
                out.append(place)
    names = {code: name for name, code in codes.items()}
    for m in patterns["number_after_name"].finditer(text):
        if m["code"] not in names:
            continue
        place = claims.mention(
            text,
            m.start("code") - 1,
            m.end(),
            name=names[m["code"]],
            kind="departement",
            role="mentioned",
            dept_hint=m["code"],
            rule="places_number_after_name",
        )
        if place is not None:
            out.append(place)
    return out


def find_regions(text: str, claims: Claims | None = None, folded: str | None = None) -> list[PlaceMention]:
    """Régions named after "ARS", "agence régionale de santé", "région", "URML" or "en" ("ARS Occitanie",
    "ARS NOUVELLE-AQUITAINE", "ARS Auvergne-Rhone-Alpes": accents and case aside, but a capital first, so
    "en réunion" is a meeting): kind region, role territory. A région named with no such word ("les quartiers de La Réunion") is role
    mentioned: it only narrows the homonyms of a town. ``folded``: ``fold_same_length(text)``, when the caller
    has it (the parse stage folds each document once)."""
    claims = claims if claims is not None else Claims()
    out = []
    folded = fold_same_length(text) if folded is None else folded
    for form, role in (("region", "territory"), ("region_named", "mentioned")):
        for m in regexes()[form].finditer(folded if form == "region" else text):
            start, end = m.span("region")
            if not text[start].isupper():
                continue
            place = claims.mention(
                text, start, end, kind="region", role=role, region_hint=regions()[text[start:end]], rule=f"places_{form}"
            )
            if place is not None:
                out.append(place)
    return out


def cantons(text: str, sentence_starts: list[int], claims: Claims) -> list[PlaceMention]:
    """ "le canton de Nantua", "les cantons de A et de B": kind canton, for their département only."""
    out = []
    for m in regexes()["canton"].finditer(text):
        role: PlaceRole = "territory" if territory_cue(text, sentence_starts, m.start(), []) else "mentioned"
        for item in name_items(text, m.start("names")):
            place = claims.mention(text, item.start, item.end, kind="canton", role=role, rule="places_canton")
            if place is not None:
                out.append(place)
    return out


def arrondissements(
    text: str, sentence_starts: list[int], claims: Claims, list_ids: Iterator[int]
) -> list[PlaceMention]:
    """ "les 13e et 14e arrondissements de Paris", "Paris 18e": one commune per ordinal, named as in the
    reference ("Paris 13e").

    "le 13e arrondissement" without its city takes the one city with
    arrondissements that the text names ("CPAM de Paris"); when it names none
    or several, nothing is read.
    """
    out = []
    patterns = regexes()
    cities = set(patterns["arrondissement_city"].findall(text))
    matches = [*patterns["arrondissements"].finditer(text), *patterns["city_arrondissements"].finditer(text)]
    for m in sorted(matches, key=lambda m: m.start()):
        city = m["city"] or (next(iter(cities)) if len(cities) == 1 else None)
        if city is None or claims.overlaps(m.start(), m.end()):
            continue
        role: PlaceRole = "territory" if territory_cue(text, sentence_starts, m.start(), []) else "mentioned"
        list_id = next(list_ids)
        for n in _ORDINAL_NUMBER.finditer(text, m.start("ordinals"), m.end("ordinals")):
            number = int(n.group())
            end = re.match(r"\d+\w*", text[n.start() :]).end() + n.start()
            out.append(
                PlaceMention(
                    text=text[n.start() : end],
                    char_start=n.start(),
                    char_end=end,
                    name=f"{city} {number}{'er' if number == 1 else 'e'}",
                    role=role,
                    list_id=list_id,
                    rule="places_arrondissements",
                )
            )
        claims.claim(m.start(), m.end())
    return out
