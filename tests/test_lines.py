"""One list of bullet glyphs for every stage (``pipeline/lines.py``, ``patterns/bullets.jsonl``).

Our own phrasings: a commune list, a contacts box and hard-wrapped text, each
bulleted with glyphs met in published communiqués (Word bullets, arrows, check
marks, squares, the typographic dash). Before the glyphs were one list, a list
bulleted with "●" was a list for the mission reader and prose for the places
reader and the people reader.
"""

from __future__ import annotations

import re

import pytest

from pipeline.formats.text import read_text
from pipeline.lines import BULLET_CLASS, BULLET_GLYPHS, line_spans
from pipeline.patterns import load

GLYPHS = [pytest.param(row["glyph"], id=row["id"]) for row in load("bullets")]


def test_every_glyph_is_one_character_listed_once():
    assert all(len(row["glyph"]) == 1 for row in load("bullets"))
    assert len(set(BULLET_GLYPHS)) == len(BULLET_GLYPHS)
    assert all(re.fullmatch(BULLET_CLASS, g) for g in BULLET_GLYPHS)
    assert not re.fullmatch(BULLET_CLASS, "a") and not re.fullmatch(BULLET_CLASS, "]")


@pytest.mark.parametrize("text", ["", "a", "a\nb", "a\n\nb\n", "\n"])
def test_line_spans_cover_every_line(text):
    spans = line_spans(text)
    assert [text[s:e] for s, e in spans] == text.split("\n")


@pytest.mark.parametrize("glyph", GLYPHS)
def test_a_bulleted_commune_list_is_the_territory(nlp, glyph):
    text = (
        "La CPTS du Val Fleuri a signé son contrat.\nSon territoire regroupe les communes suivantes :\n"
        f"{glyph} Annonay\n{glyph} Davézieux\n{glyph} Boulieu-lès-Annonay\n\n"
        f"Ses missions :\n{glyph} Faciliter l'accès à un médecin traitant\n{glyph} Développer la prévention\n"
    )
    doc = nlp(text)
    territory = sorted(p.name for p in doc._.places if p.kind == "commune" and p.role == "territory")
    assert territory == ["Annonay", "Boulieu-lès-Annonay", "Davézieux"]
    assert {m.mission for m in doc._.missions} == {"acces_soins", "prevention"}


@pytest.mark.parametrize("glyph", GLYPHS)
def test_a_bulleted_contacts_line_names_the_president(nlp, glyph):
    text = f"La CPTS du Val Fleuri a signé son contrat.\n\nContacts\n{glyph} Président : Dr Paul Martin\n"
    assert [p.name for p in nlp(text)._.people] == ["Paul Martin"]


@pytest.mark.parametrize("glyph", GLYPHS)
def test_hard_wrapped_text_keeps_bulleted_lines_apart(glyph):
    """Unwrapping a hard-wrapped text joins a wrapped line to the one before, never a list item."""
    para = (
        "La communauté professionnelle territoriale de santé du Val Fleuri réunit des\n"
        "médecins, des infirmiers, des pharmaciens et des kinésithérapeutes qui ont\n"
        "choisi de travailler ensemble pour améliorer l'accès aux soins sur tout le\n"
        "territoire, de la vallée jusqu'aux plateaux, avec le soutien de l'agence.\n"
    )
    items = "".join(f"{glyph} Une action menée par les professionnels de santé du secteur {i}\n" for i in range(5))
    lines = read_text((para + para + items).encode(), "x.txt").text.split("\n")
    assert sum(line.startswith(f"{glyph} Une action") for line in lines) == 5


@pytest.mark.parametrize("glyph", GLYPHS)
def test_a_bulleted_key_figures_box_gives_the_members(nlp, glyph):
    text = f"La CPTS du Val Fleuri a signé son contrat.\n\nChiffres clés\n{glyph} Adhérents : 70\n"
    assert [(h.category, h.count) for h in nlp(text)._.headcounts] == [("members", 70)]


@pytest.mark.parametrize("glyph", GLYPHS)
def test_a_bulleted_mission_list_gives_the_missions(nlp, glyph):
    text = (
        f"La CPTS du Val Fleuri a signé son contrat.\n\nNos missions\n"
        f"{glyph} Améliorer l'accès aux soins\n{glyph} Développer la prévention\n"
    )
    assert [m.mission for m in nlp(text)._.missions] == ["acces_soins", "prevention"]
