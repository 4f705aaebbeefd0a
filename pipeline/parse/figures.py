"""Declared figures of the CPTS: population covered, number of communes, members."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Figure

Doc.set_extension("figures", default=None, force=True)


def extract_figures(doc: Doc) -> list[Figure]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_figures")
def figures_component(doc: Doc) -> Doc:
    doc._.figures = extract_figures(doc)
    return doc
