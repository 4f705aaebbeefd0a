"""The figure the cpts table states, of the candidates the parse stage read (``pipeline.parse.figures``).

A module of its own, without spaCy: the main process of a run whose parsing is done by workers
normalises every document and never loads spaCy.
"""

from __future__ import annotations

from pipeline.records import Figure, FigureKind, Qualifier

_QUALIFIER_RANK: dict[Qualifier, int] = {"exact": 0, "approx": 1, "at_least": 2, "at_most": 3}


def declared_figure(figures: list[Figure], kind: FigureKind) -> Figure | None:
    """The figure of ``kind`` the cpts table states, or None.

    Rule: a labelled figure (the communiqué's summary box) beats prose; then
    an exact figure beats an approximate one, which beats a bound ("96 850
    habitants" beats a later "plus de 90 000 habitants"); then the value
    stated most often; then the first stated. A value the text also hedges
    ("Dix communes et 72 000 habitants" over "soit environ 72 000 habitants")
    keeps its hedge: a headline or a box rounds, it does not make a number exact.
    """
    candidates = [f for f in figures if f.kind == kind]
    if not candidates:
        return None
    times = {f.value: sum(g.value == f.value for g in candidates) for f in candidates}
    chosen = min(
        candidates,
        key=lambda f: (not f.labelled, _QUALIFIER_RANK[f.qualifier], -times[f.value], f.char_start),
    )
    hedged = [f for f in candidates if f.value == chosen.value and f.qualifier != "exact"]
    return hedged[0] if chosen.qualifier == "exact" and hedged else chosen
