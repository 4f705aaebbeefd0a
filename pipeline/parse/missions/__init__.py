"""ACI missions and care themes that a communiqué assigns to its CPTS.

The ACI contract gives a CPTS up to six missions (``MissionCode``); the
communiqués name them in headings, in lists under "Missions socles :", in
labelled lines ("Priorités : ..."), and in sentences about this CPTS's
project ("la CPTS s'engage à développer la prévention", "elle compte
accueillir des internes"). Many of the same words also appear in text about
CPTS in general ("les CPTS ont vocation à améliorer l'accès aux soins") or
about another body's actions ("l'ARS s'engage à ..."), which assign nothing.

- ``lists``: lists under a heading line and labelled lines;
- ``headings``: action headings and bare mission headings over this CPTS;
- ``prose``: commitment sentences, status sentences, enumerations of actions;
- ``commitment``, ``acting``, ``context``: whether this CPTS commits to what
  a sentence names (who acts for a commitment cue), decided by the rows of
  ``patterns/mission_cues.jsonl`` and ``mission_rules.jsonl`` through the
  one contextual matcher (``pipeline.parse.context``);
- ``themes``: care themes read in the same places;
- ``vocabulary``: ``patterns/missions.jsonl`` and ``patterns/themes.jsonl``;
- ``component``: the order the rules run in and the spaCy component.

A mission's status is what the text calls it (socle, optionnelle,
obligatoire, complémentaire); it is null when the text does not say.
Every record's ``rule`` is ``<context rule>/<mission pattern id>``; a theme's
is its row id. Every regex runs on ``fold_same_length(doc.text)`` so offsets
hold in the text.
"""

from pipeline.parse.missions.component import extract_missions, extract_themes, rejected_missions

__all__ = ["extract_missions", "extract_themes", "rejected_missions"]
