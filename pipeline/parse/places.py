"""Place names (communes, intercommunalités, départements) with their role."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import PlaceMention

Doc.set_extension("places", default=None, force=True)


def extract_places(doc: Doc) -> list[PlaceMention]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_places")
def places_component(doc: Doc) -> Doc:
    doc._.places = extract_places(doc)
    return doc
