"""Accent folding: ``fold`` for keys, ``fold_same_length`` for regexes whose offsets must hold in the text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.textnorm import fold, fold_same_length, words

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _fold_one_by_one(text: str) -> str:
    """The definition ``fold_same_length`` must keep: each character decomposed, stripped of accents, lower-cased."""
    out = []
    for c in text:
        base = unicodedata.normalize("NFKD", c.translate(_APOSTROPHES))
        base = "".join(b for b in base if not unicodedata.combining(b)) or c
        out.append(base[0].lower() if len(base[0].lower()) == 1 else c)
    return "".join(out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Élysée", "elysee", id="accents-and-capital"),
        pytest.param("Cœur de Savoie", "coeur de savoie", id="ligature-expands"),
        pytest.param("L’Haÿ-les-Roses", "l'hay-les-roses", id="curly-apostrophe"),
        pytest.param("Straße", "strasse", id="eszett"),
        pytest.param("ÎLE-DE-FRANCE", "ile-de-france", id="upper-case"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Élysée", "elysee", id="accents-and-capital"),
        pytest.param("Cœur", "cœur", id="ligature-kept-one-character"),
        pytest.param("d’accès", "d'acces", id="curly-apostrophe"),
        pytest.param("İstanbul", "istanbul", id="dotted-capital-i-one-character"),
        pytest.param("ﬁn", "fn", id="fi-ligature-keeps-its-first-letter"),
        pytest.param("116 250 €", "116 250 €", id="digits-and-euro-unchanged"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_same_length(text, expected):
    folded = fold_same_length(text)
    assert folded == expected and len(folded) == len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_fold_same_length_is_the_character_by_character_definition(text):
    folded = fold_same_length(text)
    assert folded == _fold_one_by_one(text)
    assert len(folded) == len(text)


def _fold_whole_string(text: str) -> str:
    """``fold`` as first written, on the whole string: the per-character table must give the same."""
    text = text.translate(str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})).translate(_APOSTROPHES)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), max_codepoint=0x2FFF).filter(
    lambda c: not 0x370 <= ord(c) < 0x400), max_size=80))
def test_fold_by_table_is_folding_the_whole_string(text):
    """Greek is left out: ``str.lower`` gives a final sigma by context, which no per-character table can."""
    assert fold(text) == _fold_whole_string(text)


def test_words_split_on_punctuation_and_apostrophes():
    assert words("Saint-Genis- L'Argentière") == ["saint", "genis", "l", "argentiere"]
