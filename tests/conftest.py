"""Shared fixtures: the rule pipeline (built once) and the shipped communiqués."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import GOLD_DIR, RAW_DIR
from pipeline.ingest import normalise_text

SHIPPED = sorted(RAW_DIR.glob("*.txt"))
GOLD_CASES = [pytest.param(path, id=path.stem) for path in sorted(GOLD_DIR.glob("*.json"))]
"""The gold files of the shipped communiqués, one test case each."""


@pytest.fixture(scope="session")
def nlp():
    from pipeline.parse.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def segmented(nlp):
    """Tokenizer and segmenter only, for tests of one extractor that must not depend on the others."""
    segment = nlp.get_pipe("cpts_segmenter")
    return lambda text: segment(nlp.make_doc(text))


@pytest.fixture(scope="session")
def shipped_texts() -> dict[str, str]:
    """Normalised text of each shipped communiqué, by file name."""
    return {p.name: normalise_text(p.read_text("utf-8")) for p in SHIPPED}


def read_text(path: Path) -> str:
    return normalise_text(path.read_text("utf-8"))
