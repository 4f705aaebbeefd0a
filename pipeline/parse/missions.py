"""ACI missions assigned to the CPTS, with socle/optionnelle status."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Mission

Doc.set_extension("missions", default=None, force=True)


def extract_missions(doc: Doc) -> list[Mission]:
    """Not implemented yet: returns no facts."""
    return []


@Language.component("cpts_missions")
def missions_component(doc: Doc) -> Doc:
    doc._.missions = extract_missions(doc)
    return doc
