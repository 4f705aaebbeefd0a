"""Dated events: signature, publication, creation, deadlines.

How a date is read, one module per step:

1. ``candidates``: the date-shaped spans and the value each gives on its own (dateparser with
   explicit settings, never today's date).
2. ``roles``: which cue of ``patterns/dates_cues.jsonl`` claims which date (signature,
   creation, deadline), in the context windows of ``context`` (sentence, label line, table
   column); a date no cue claims is "other" only when its sentence is about this CPTS; a date
   that closes a law's name, another CPTS's date and a signature or creation of the national
   framework are dropped.
3. ``publication``: the release's own date (date line, dateline, masthead, byline, publication
   cue; to the month only where the text states a month as the publication: a header label
   "date 2021-07", a periodical's issue "paru dans ..., mars 2019").
4. ``component``: each row's value placed against the publication date (its year for a
   day without one, never today's), deduplicated, with the ``rule`` that decided its role.
"""

from pipeline.parse.dates.component import dates_component, extract_dates, rejected_dates
from pipeline.parse.dates.publication import publication_date

__all__ = ["dates_component", "extract_dates", "publication_date", "rejected_dates"]
