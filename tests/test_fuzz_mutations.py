"""Mutation fuzzing: meaning-preserving rewrites of real communiqués must not crash the extractors or move facts.

Inputs: every shipped communiqué (``raw/*.txt``), every text of the dev set
(``../shared/dev/raw/*.txt``, read where it lies at test time, never copied;
skipped when absent), and three communiqués written for this suite
(``tests/fuzz_texts/``) naming départements with an apostrophe (Côte-d'Or,
Val-d'Oise, Côtes-d'Armor), the spelling that once crashed a whole run: on
the code before ``vocab_key``, the apostrophe mutations of these texts raise
``KeyError: 'Côte-d’Or'``. Each text gets every mutation of ``MUTATIONS``, the
whole set goes through ``ingest`` (as UTF-8 bytes), one ``parse_documents``
call and ``normalise``, as in a run, and:

- no extractor raises: ``parse_documents`` would turn an exception into a
  rejected document, so every document must come back ``ok``; the rows
  must fit the Arrow schemas;
- every fact's offsets are inside the text and ``text[start:end]`` is its
  snippet;
- for the typographic mutations (apostrophes, quotes, non-breaking and thin
  spaces, CRLF), the rows are the same as the original's, compared on
  values, not offsets (strings compared with apostrophes, quotes and spaces
  unified).

The mutations are a fixed table (seeded shuffles), not random draws: the
same documents every run, and a failure names its text and mutation.
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.catalog import RAW_DIR, ROOT
from pipeline.ingest import ingest
from pipeline.parse import parse_documents
from pipeline.records import Evidence
from pipeline.write import to_table
from schemas import TABLES

DEV_RAW = ROOT.parent / "shared" / "dev" / "raw"
OWN = Path(__file__).resolve().parent / "fuzz_texts"
TEXTS = (
    {f"raw/{p.name}": p for p in sorted(RAW_DIR.glob("*.txt"))}
    | {f"own/{p.name}": p for p in sorted(OWN.glob("*.txt"))}
    | {f"dev/{p.name}": p for p in sorted(DEV_RAW.glob("*.txt")) if DEV_RAW.is_dir()}
)

_HEADING = re.compile(r"^[^\n]{3,90}$")
_CAPITALS = str.maketrans("ÉÈÊËÀÂÄÇÎÏÔÖÙÛÜ", "EEEEAAACIIOOUUU")


def _quotes(text: str) -> str:
    return re.sub(r"«\s*", "“", re.sub(r"\s*»", "”", text)).replace("“", '"').replace("”", '"')


def _nbsp(text: str) -> str:
    """French typography: non-breaking space before : ; ! ? € and % and inside « », narrow one in numbers."""
    text = re.sub(r" (?=[:;!?€%»])", "\u00a0", text)
    text = re.sub(r"(?<=«) ", "\u00a0", text)
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "\u202f", text)


def _thin(text: str) -> str:
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "\u2009", text).replace(" €", "\u2009€")


def _headings_upper(text: str) -> str:
    """Short lines without final punctuation (titles, headings, labels) in capitals."""
    return "\n".join(line.upper() if _HEADING.match(line) and not line.rstrip().endswith((".", ",", ";")) else line for line in text.split("\n"))


def _reorder(text: str) -> str:
    """Paragraphs after the first (the title) in another order, the same for every run."""
    head, *paragraphs = text.split("\n\n")
    random.Random(len(text)).shuffle(paragraphs)
    return "\n\n".join([head, *paragraphs])


TYPOGRAPHIC: dict[str, Callable[[str], str]] = {
    "apostrophes ’ to '": lambda t: t.replace("’", "'"),
    "apostrophes ' to ’": lambda t: t.replace("'", "’"),
    "quotes « » to \" \"": _quotes,
    "non-breaking spaces": _nbsp,
    "thin spaces": _thin,
    "CRLF": lambda t: t.replace("\n", "\r\n"),
}
OTHER: dict[str, Callable[[str], str]] = {
    "hyphens to ‑ and dashes to –": lambda t: t.replace(" - ", " – ").replace("-", "\u2011"),
    "doubled spaces": lambda t: t.replace(" ", "  "),
    "headings in capitals": _headings_upper,
    "no accents on capitals": lambda t: t.translate(_CAPITALS),
    "paragraphs reordered": _reorder,
}
MUTATIONS = {**TYPOGRAPHIC, **OTHER}

_UNIFY = str.maketrans({"’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_POSITIONS = {"doc_id", "char_start", "char_end", "text", "mention", "label", "rule", "method", "methods", "score"}
"""Columns that say where and how a fact was read, not what it is: left out of the comparison. ``method`` and
``score`` of a commune are how its name matched the reference: "L’Horme" matches the COG's "L'Horme" as
``normalized`` (0.95), not ``exact``, by the documented rule (apostrophes are a normalisation); its code,
name and population, which are compared, are the same."""

def _value(value):
    if isinstance(value, str):
        return re.sub(r" +", " ", unicodedata.normalize("NFC", value).translate(_UNIFY)).strip()
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    return value


def facts(tables: dict[str, list[dict]]) -> dict[str, Counter]:
    """Every row of every table but ``documents``, as values only."""
    return {
        name: Counter(tuple(sorted((k, _value(v)) for k, v in row.items() if k not in _POSITIONS)) for row in rows)
        for name, rows in tables.items()
        if name != "documents"
    }


@pytest.fixture(scope="module")
def extracted():
    """(text name, mutation or "original") -> (ParsedDocument, rows), every document parsed in one call."""
    from pipeline.normalise import normalise
    from pipeline.run import _territory_resolver

    keys, sources = [], []
    for name, path in TEXTS.items():
        original = path.read_text("utf-8")
        for mutation, mutate in {"original": lambda t: t, **MUTATIONS}.items():
            keys.append((name, mutation))
            sources.append(ingest(mutate(original).encode("utf-8"), source_path=f"{name}|{mutation}", source_format="txt"))
    assert all(s.status == "ok" for s in sources), [s.error for s in sources if s.status != "ok"]
    resolver = _territory_resolver()
    now = datetime.now(UTC)
    out = {}
    for key, parsed in zip(keys, parse_documents(sources, n_process=1)):
        out[key] = parsed, normalise(parsed, resolve_territory=resolver, version="fuzz", now=now).tables
    return out


def test_the_suite_runs_every_text_with_every_mutation(extracted):
    assert len(TEXTS) >= 5
    assert len(extracted) == len(TEXTS) * (len(MUTATIONS) + 1)
    print(f"{len(TEXTS)} texts, {len(TEXTS) * len(MUTATIONS)} mutated documents")


@pytest.mark.parametrize("mutation", ["original", *MUTATIONS])
def test_no_extractor_raises_and_rows_fit_the_schemas(extracted, mutation):
    crashed = {name: p.source.error for (name, m), (p, _) in extracted.items() if m == mutation and p.source.status != "ok"}
    assert not crashed
    for (name, m), (_, tables) in extracted.items():
        if m == mutation:
            for table, rows in tables.items():
                to_table(table, rows)
            assert set(tables) <= set(TABLES)


@pytest.mark.parametrize("mutation", ["original", *MUTATIONS])
def test_every_snippet_is_at_its_offsets(extracted, mutation):
    wrong = []
    for (name, m), (parsed, _) in extracted.items():
        if m != mutation:
            continue
        text = parsed.source.text
        for field in dataclasses.fields(parsed):
            for fact in getattr(parsed, field.name) if isinstance(getattr(parsed, field.name), list) else []:
                if isinstance(fact, Evidence) and not (
                    0 <= fact.char_start <= fact.char_end <= len(text) and text[fact.char_start : fact.char_end] == fact.text
                ):
                    wrong.append((name, field.name, fact.text, fact.char_start))
    assert not wrong


@pytest.mark.parametrize(
    "name,mutation",
    [pytest.param(name, mutation, id=f"{Path(name).stem[:12]}-{mutation}") for name in TEXTS for mutation in TYPOGRAPHIC],
)
def test_typographic_mutations_give_the_same_facts(extracted, name, mutation):
    _, original = extracted[(name, "original")]
    _, mutated = extracted[(name, mutation)]
    before, after = facts(original), facts(mutated)
    for table in sorted(set(before) | set(after)):
        assert before.get(table, Counter()) == after.get(table, Counter()), table
