"""Place names (communes, intercommunalités, départements, régions, cantons) with their role.

One module per sub-rule; ``component`` runs them in a stated order of
precedence and registers the spaCy component ``cpts_places``:

- ``headings``: commune lists under a heading or a table header;
- ``gazetteer``: every commune name of the reference, found wherever it
  stands; ``lists``: the lists those names form and the evidence that makes
  one the territory; ``tables``: the "Commune" column of a flattened table;
  ``veto``: what before a list names its towns for another reason;
- ``epcis``: intercommunalités after their legal form, by their main town,
  by an acronym; ``epci_names``: by their official name;
- ``prose``: lists in prose after an intro phrase, ranges "de A à B";
- ``admin``: départements, régions, cantons, municipal arrondissements;
- ``mentioned``: towns of establishments and people;
- ``context``: the windows that give a list its role; ``shapes``, ``vocab``,
  ``regexes``: the shared pieces (name shapes, lines, alternations, claimed
  spans, cue vocabularies).

A name in a territory list and also mentioned elsewhere gets one record per
mention, each with its own role; the commune belongs to the territory
because one of its records says so. Resolution against the COG is
``pipeline.normalise.communes``'s job.

The package itself imports nothing: ``component`` imports spaCy (its factory,
the NER model ``mentioned`` asks), and normalisation reads only
``gazetteer``, ``regexes`` and ``vocab``, so the main process of a run whose
parsing is done by workers never loads spaCy (~80 MB). Import the module you
need: ``pipeline.parse.places.component`` (``extract_places``,
``rejected_places``), ``pipeline.parse.places.admin`` (``find_departements``,
``find_regions``).
"""
