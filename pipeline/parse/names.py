"""CPTS names and their keys."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import CptsName

Doc.set_extension("names", default=None, force=True)


def extract_names(doc: Doc) -> list[CptsName]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_names")
def names_component(doc: Doc) -> Doc:
    doc._.names = extract_names(doc)
    return doc
