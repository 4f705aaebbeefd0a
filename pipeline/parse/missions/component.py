"""The ``cpts_missions`` spaCy component: one reading of the document, missions and themes from it.

The rules run in this order, each on what the previous ones left: lists
under a heading and labelled lines (``lists``), action and topic headings
(``headings``), then sentences (``prose``). A mission found several times
keeps one row: the first that carries a status, else the first.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.missions.headings import read_headings
from pipeline.parse.missions.lists import read_lists
from pipeline.parse.missions.prose import read_sentences
from pipeline.parse.missions.reading import Reading, best
from pipeline.parse.missions.themes import themes_of
from pipeline.records import Mission, Rejected, Theme

Doc.set_extension("missions", default=None, force=True)
Doc.set_extension("themes", default=None, force=True)


def read(doc: Doc) -> Reading:
    reading = Reading(doc)
    read_headings(reading, read_lists(reading))
    read_sentences(reading)
    return reading


def missions_of(reading: Reading) -> list[Mission]:
    text = reading.text
    return [
        Mission(
            text=text[f.label_start : f.label_end],
            char_start=f.label_start,
            char_end=f.label_end,
            rule=f.rule,
            mission=f.code,
            status=f.status,
        )
        for f in best(reading.found)
    ]


def extract_missions(doc: Doc) -> list[Mission]:
    """The ACI missions the document assigns to its CPTS, one per mission."""
    return missions_of(read(doc))


def extract_themes(doc: Doc) -> list[Theme]:
    """The care themes of the CPTS's project, one per theme, read where missions are."""
    return themes_of(read(doc))


def rejected_missions(doc: Doc) -> list[Rejected]:
    """Missions named in a sentence on this CPTS whose commitment a rule of ``mission_rules.jsonl`` turned down
    ("L'ARS s'engage, aux côtés de la CPTS, à ...": ``commit_by_other_body``), for ``python -m pipeline explain``."""
    return read(doc).refused


@Language.component("cpts_missions")
def missions_component(doc: Doc) -> Doc:
    """Set ``doc._.missions`` and ``doc._.themes`` from one reading of the document."""
    reading = read(doc)
    doc._.missions = missions_of(reading)
    doc._.themes = themes_of(reading)
    return doc
