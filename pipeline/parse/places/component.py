"""The places component: every sub-rule, run in one stated order of precedence.

A name is read once: the first sub-rule that claims its span decides its
kind and role (``shapes.Claims``). The order goes from the most explicit
structure to the loosest context, so a strong reading is never overridden
by a weaker one.
"""

from __future__ import annotations

from itertools import count

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.places.admin import arrondissements, cantons, find_departements, find_regions
from pipeline.parse.places.epci_names import named_epcis
from pipeline.parse.places.epcis import acronyms, agglomerations_of_towns, epci_member_lists, epcis
from pipeline.parse.places.headings import heading_lists
from pipeline.parse.places.gazetteer import gazetteer
from pipeline.parse.places.lists import gazetteer_lists, revise_lists
from pipeline.parse.places.mentioned import mentioned
from pipeline.parse.places.prose import inline_lists, ranges
from pipeline.parse.places.shapes import Claims
from pipeline.parse.places.unnamed_epci import unnamed_epcis
from pipeline.parse.segment import doc_text, folded_text, sentence_bounds
from pipeline.records import PlaceMention, Rejected

Doc.set_extension("places", default=None, force=True)


def extract_places(doc: Doc, rejected: list[Rejected] | None = None) -> list[PlaceMention]:
    """Every place mention of ``doc``, in text order.

    Precedence, first claim wins:

    1. lists under a heading (``headings``);
    2. intercommunalités after their legal form, by their official name
       ("Lorient Agglomération", ``epci_names``), named by their main town
       ("l'agglomération de X"), covered without their name ("les 38 communes
       de l'agglomération", ``unnamed_epci``), then by the acronyms the text defines for
       them, then the communes in parentheses after one (``epcis``);
    3. municipal arrondissements (``admin``);
    4. prose lists after an intro phrase, then ranges "de A à B" (``prose``),
       then cantons (``admin``: their chef-lieu is not a commune of the list);
    5. the lists read so far revised with the reference (names cut short
       lengthened, outliers out), then lists of names the reference knows, whatever introduces them (``lists``,
       over the ``gazetteer``'s hits);
    6. départements, régions (``admin``);
    7. towns of establishments and people, role mentioned (``mentioned``).

    Given ``rejected``, the commune names that ``lists`` and ``mentioned`` read and turned down are added to it,
    each with the rule or ``places_windows.jsonl`` row that did (``rejected_places``).
    """
    text = doc_text(doc)
    sentence_starts = [start for start, _ in sentence_bounds(doc)]
    claims = Claims()
    places = heading_lists(text, claims)
    list_ids = count(max((p.list_id or 0 for p in places), default=0) + 1)
    found_epcis = epcis(text, sentence_starts, claims)
    found_epcis += named_epcis(text, sentence_starts, claims)
    found_epcis += agglomerations_of_towns(text, sentence_starts, claims)
    found_epcis += unnamed_epcis(text, sentence_starts, claims)
    found_epcis += acronyms(text, sentence_starts, found_epcis, claims)
    places += found_epcis
    places += epci_member_lists(text, found_epcis, claims, list_ids)
    places += arrondissements(text, sentence_starts, claims, list_ids)
    places += inline_lists(text, sentence_starts, claims, list_ids)
    places += ranges(text, sentence_starts, claims, list_ids)
    places += cantons(text, sentence_starts, claims)
    hits = gazetteer().find(text)
    places = revise_lists(text, places, hits, claims, rejected)
    places += gazetteer_lists(text, sentence_starts, claims, hits, places, list_ids, rejected)
    places += find_departements(text, claims)
    places += find_regions(text, claims, folded_text(doc))
    places += mentioned(text, claims, rejected)
    return sorted(places, key=lambda p: (p.char_start, p.char_end))


def rejected_places(doc: Doc) -> list[Rejected]:
    """Commune names a places rule read and turned down and no later rule read as a place (a town of a list
    vetoed by "l'hôpital de" is then a mentioned place), each with the rule that turned it down, in text order.
    For ``python -m pipeline explain``; a name no rule read (a lone name in prose) is not in it."""
    rejected: list[Rejected] = []
    places = extract_places(doc, rejected)
    return sorted(r for r in rejected if not any(p.char_start < r.end and r.start < p.char_end for p in places))


@Language.component("cpts_places")
def places_component(doc: Doc) -> Doc:
    doc._.places = extract_places(doc)
    return doc
