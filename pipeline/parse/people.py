"""People with a role in the CPTS: its president."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Person

Doc.set_extension("people", default=None, force=True)


def extract_people(doc: Doc) -> list[Person]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_people")
def people_component(doc: Doc) -> Doc:
    doc._.people = extract_people(doc)
    return doc
