"""Counts of members, professions and structures."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Headcount

Doc.set_extension("headcounts", default=None, force=True)


def extract_headcounts(doc: Doc) -> list[Headcount]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_headcounts")
def headcounts_component(doc: Doc) -> Doc:
    doc._.headcounts = extract_headcounts(doc)
    return doc
