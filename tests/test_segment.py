"""Sentences without a model: a line break or a final mark before a capital, a digit or a space starts one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import RAW_DIR
from pipeline.ingest import normalise_text
from pipeline.parse.nlp import build_nlp
from pipeline.parse.segment import folded_text, sentence_bounds
from pipeline.textnorm import fold_same_length

_FINAL = {".", "!", "?", "…"}


@pytest.fixture(scope="module")
def nlp():
    full = build_nlp()
    segment = full.get_pipe("cpts_segmenter")
    return full, lambda text: segment(full.make_doc(text))


def _starts_token_by_token(full, text: str) -> list[int]:
    """The rule written the slow, obvious way (``token.is_sent_start`` set per token): the segmenter must agree."""
    doc = full.make_doc(text)
    for i, token in enumerate(doc):
        prev = doc[i - 1] if i else None
        token.is_sent_start = prev is None or (
            "\n" in prev.text
            or "\n" in prev.whitespace_
            or (prev.text in _FINAL and (token.is_title or token.is_upper or token.is_digit or token.is_space))
        )
    return [s.start_char for s in doc.sents]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("La CPTS a signé. Elle réunit 80 membres.", ["La CPTS a signé.", "Elle réunit 80 membres."], id="full-stop"),
        pytest.param("Signature du contrat\nLa CPTS du Val", ["Signature du contrat\n", "La CPTS du Val"], id="line-break"),
        pytest.param("Montant : 12 000 €. 2 000 € en plus", ["Montant : 12 000 €.", "2 000 € en plus"], id="digit-after-stop"),
        pytest.param("le Dr. martin préside", ["le Dr. martin préside"], id="lower-case-after-stop-continues"),
        pytest.param("Vraiment ? OUI ! Enfin…", ["Vraiment ?", "OUI !", "Enfin…"], id="question-exclamation-ellipsis"),
        pytest.param("Titre\n\nPremier paragraphe.", ["Titre\n\n", "Premier paragraphe."], id="blank-line"),
        pytest.param("", [], id="empty"),
    ],
)
def test_sentences(nlp, text, sentences):
    _, segment = nlp
    doc = segment(text)
    assert [text[s:e] for s, e in sentence_bounds(doc)] == sentences
    assert not sentences or [s.text for s in doc.sents] == sentences


@pytest.mark.parametrize("path", sorted(RAW_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_shipped_texts_same_sentences_as_token_by_token(nlp, path):
    full, segment = nlp
    text = normalise_text(path.read_text("utf-8"))
    doc = segment(text)
    assert [s.start_char for s in doc.sents] == _starts_token_by_token(full, text)
    assert sentence_bounds(doc) == [(s.start_char, s.end_char) for s in doc.sents]


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from(list("ab AÉ1.!?…\n:,«»-'’")), min_size=1, max_size=80))
def test_any_text_same_sentences_as_token_by_token(nlp, text):
    full, segment = nlp
    doc = segment(text)
    assert [s.start_char for s in doc.sents] == _starts_token_by_token(full, text)
    assert sentence_bounds(doc) == [(s.start_char, s.end_char) for s in doc.sents]


def test_folded_text_is_computed_once_per_doc(nlp):
    _, segment = nlp
    doc = segment("Télésanté et soins non programmés à Épinal")
    assert folded_text(doc) == fold_same_length(doc.text) == "telesante et soins non programmes a epinal"
    assert folded_text(doc) is folded_text(doc)
