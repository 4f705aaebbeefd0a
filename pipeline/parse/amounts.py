"""Sums of money with funder, purpose, ceiling and condition."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Amount

Doc.set_extension("amounts", default=None, force=True)


def extract_amounts(doc: Doc) -> list[Amount]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_amounts")
def amounts_component(doc: Doc) -> Doc:
    doc._.amounts = extract_amounts(doc)
    return doc
