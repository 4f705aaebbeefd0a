"""Sentence and line segmentation without a statistical model.

Press releases are made of headings, bullet lines and prose. A new line or a
sentence-final mark starts a new sentence; this is all the fact extractors
need, and it costs nothing next to the dependency parser it replaces.

The starts are written in one ``Doc.from_array`` call: setting
``token.is_sent_start`` token by token re-checks the whole document each
time. The segmenter also stores the sentences' character bounds under
``doc._.sentences``, because several extractors walk the sentences and
rebuilding ``doc.sents`` (Span objects) for each costs more than reading them.
Likewise ``doc_text`` reads ``doc.text`` once per Doc: spaCy joins it again
from every token at each access (about 4 ms for a communiqué).
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, IS_DIGIT, IS_SPACE, IS_TITLE, IS_UPPER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.textnorm import fold_same_length

_FINAL = {".", "!", "?", "…"}

Doc.set_extension("sentences", default=None, force=True)
Doc.set_extension("folded", default=None, force=True)
Doc.set_extension("plain_text", default=None, force=True)


_ATTRS = [ORTH, SPACY, IS_TITLE, IS_UPPER, IS_DIGIT, IS_SPACE, IDX]
"""What the segmenter reads of every token, in one ``Doc.to_array`` call rather than a Token object each."""


@Language.component("cpts_segmenter")
def segmenter(doc: Doc) -> Doc:
    """Mark sentence starts after line breaks and after . ! ? …, and keep ``doc.text`` (``doc_text``)."""
    strings = doc.vocab.strings
    rows = doc.to_array(_ATTRS).tolist() if len(doc) else []
    texts = [strings[row[0]] for row in rows]
    starts = [i for i in range(len(rows)) if i == 0 or _starts_sentence(texts[i - 1], rows[i])]
    flags = numpy.full(len(doc), -1, dtype=numpy.int64)
    flags[starts] = 1
    doc.from_array([SENT_START], flags.astype(numpy.uint64))
    ends = [*starts[1:], len(doc)] if starts else []
    doc._.sentences = [(rows[s][6], rows[e - 1][6] + len(texts[e - 1])) for s, e in zip(starts, ends, strict=True)]
    doc._.plain_text = "".join(text + " " if row[1] else text for text, row in zip(texts, rows, strict=True))
    return doc


def _starts_sentence(prev: str, row: list[int]) -> bool:
    """After a token holding a line break (a token's trailing whitespace is one space at most), or after a
    sentence-final mark before a title-case, upper-case, digit or space token."""
    return "\n" in prev or (prev in _FINAL and any(row[2:6]))


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every sentence of a segmented ``doc``, as ``doc.sents`` gives them."""
    return doc._.sentences if doc._.sentences is not None else [(s.start_char, s.end_char) for s in doc.sents]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc for the extractors that all need it."""
    if doc._.plain_text is None:
        doc._.plain_text = doc.text
    return doc._.plain_text


def folded_text(doc: Doc) -> str:
    """``fold_same_length(doc.text)``, computed once per Doc for the extractors that all need it."""
    if doc._.folded is None:
        doc._.folded = fold_same_length(doc_text(doc))
    return doc._.folded
