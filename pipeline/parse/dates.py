"""Dated events: signature, publication, creation, deadlines."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import DateFact

Doc.set_extension("dates", default=None, force=True)


def extract_dates(doc: Doc) -> list[DateFact]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_dates")
def dates_component(doc: Doc) -> Doc:
    doc._.dates = extract_dates(doc)
    return doc
