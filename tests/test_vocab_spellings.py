"""Every vocabulary entry, in every spelling writers use, goes through the whole extractor without a crash.

The crash this guards against: a regex alternation and the dictionary it
indexes built from differently normalised strings; "Côte-d’Or" (typographic
apostrophe) matched the regex, missed the dictionary, and the ``KeyError``
stopped a whole run. Lookups now go through ``pipeline.textnorm.vocab_key``
on both sides; this walks the vocabularies to prove it for all of them:

- every département of ``places_departements.jsonl`` named with its number
  after "département de", and every région of ``places_regions.jsonl`` (and
  its aliases) after "ARS", in each spelling of ``SPELLINGS``: no exception,
  and the département / région is found;
- every word or phrase of every other vocabulary (professions, structures,
  cues, months, number words, ...) in a sentence with a count and an amount,
  in the three spellings furthest from the file's own: no exception.

All documents are parsed in one ``parse_documents`` call per vocabulary.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.catalog import ROOT
from pipeline.ingest import doc_id, normalise_text
from pipeline.parse import parse_documents
from pipeline.records import SourceDocument

PATTERNS = ROOT / "pipeline" / "patterns"


def strip_accents(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "OE")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


SPELLINGS = {
    "as written": lambda s: s,
    "typographic apostrophe": lambda s: s.replace("'", "’"),
    "straight apostrophe": lambda s: s.replace("’", "'"),
    "non-breaking hyphen": lambda s: s.replace("-", "\u2011"),
    "en dash": lambda s: s.replace("-", "–"),
    "space for hyphen, typographic apostrophe": lambda s: s.replace("-", " ").replace("'", "’"),
    "no accents": strip_accents,
    "no accents, straight apostrophe": lambda s: strip_accents(s).replace("’", "'"),
    "upper case": str.upper,
}
"""How writers spell one name: "Côte-d'Or", "Côte-d’Or", "Côte‑d’Or", "Côte–d’Or", "Côte d’Or", "Cote-d'Or", "CÔTE-D'OR"."""

_OF = {"le": "du ", "la": "de la ", "les": "des ", "l'": "de l'"}
_PER_DOC = 6


def rows(name: str) -> list[dict]:
    return [row for row in map(json.loads, (PATTERNS / f"{name}.jsonl").read_text("utf-8").splitlines()) if "code" in row]


def source(text: str) -> SourceDocument:
    text = normalise_text(text)
    return SourceDocument(doc_id=doc_id(text.encode()), source_path="x.txt", source_format="txt", text=text)


def walk(lines: dict[tuple[str, str], str], intro: str) -> dict[tuple[str, str], object]:
    """Parse the lines, ``_PER_DOC`` to a document; each key -> (status, error, places) of its document."""
    keys = list(lines)
    groups = [keys[i : i + _PER_DOC] for i in range(0, len(keys), _PER_DOC)]
    sources = [source(intro + "\n".join(lines[k] for k in group)) for group in groups]
    out = {}
    for group, parsed in zip(groups, parse_documents(sources, n_process=1)):
        for key in group:
            out[key] = parsed
    return out


@pytest.fixture(scope="module")
def departements():
    lines = {}
    for row in rows("places_departements"):
        for spelling, spell in SPELLINGS.items():
            of = spell(_OF.get(row.get("article") or "", "de "))
            lines[(row["code"], spelling)] = f"Elle couvre le nord du département {of}{spell(row['nom'])} ({row['code']})."
    return walk(lines, "La CPTS du Val Fleuri a signé son contrat le 3 mars 2023.\n")


@pytest.fixture(scope="module")
def regions():
    lines = {}
    for row in rows("places_regions"):
        for name in [row["nom"], *row["aliases"]]:
            for spelling, spell in SPELLINGS.items():
                lines[(f"{row['code']} {name}", spelling)] = f"Elle a signé avec l'ARS {spell(name)} le 3 mars 2023."
    return walk(lines, "La CPTS du Val Fleuri compte 40 adhérents.\n")


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_departement_in_every_spelling(departements, spelling):
    crashed = {key[0]: p.source.error for key, p in departements.items() if key[1] == spelling and p.source.status != "ok"}
    assert not crashed
    missed = [
        code
        for (code, sp), parsed in departements.items()
        if sp == spelling and not any(pl.kind == "departement" and pl.dept_hint == code for pl in parsed.places)
    ]
    assert not missed


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_region_in_every_spelling(regions, spelling):
    crashed = {key[0]: p.source.error for key, p in regions.items() if key[1] == spelling and p.source.status != "ok"}
    assert not crashed
    missed = [
        name
        for (name, sp), parsed in regions.items()
        if sp == spelling and not any(pl.kind == "region" and pl.region_hint == name.split()[0] for pl in parsed.places)
    ]
    assert not missed


_PHRASE_KEYS = {"nom", "aliases", "text", "name", "word", "words", "forms", "singular", "plural", "phrase", "alternatives"}
_REGEX_SIGNS = re.compile(r"[\\\[\]()?*+|^$]")


def vocabulary_phrases() -> list[str]:
    """Every plain word or phrase of every ``pipeline/patterns/*.jsonl`` (regexes left out: they are not text)."""
    phrases = set()
    for path in sorted(PATTERNS.glob("*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            for key, value in row.items():
                if key in _PHRASE_KEYS:
                    values = value if isinstance(value, list) else [value]
                    phrases.update(v.strip() for v in values if isinstance(v, str) and v.strip() and not _REGEX_SIGNS.search(v))
    return sorted(phrases)


@pytest.mark.parametrize("spelling", ["typographic apostrophe", "no accents, straight apostrophe", "upper case"])
def test_every_vocabulary_phrase_parses_in_other_spellings(spelling):
    spell = SPELLINGS[spelling]
    phrases = vocabulary_phrases()
    assert len(phrases) > 1000
    sentences = [f"Elle réunit 12 {spell(p)} et reçoit 30 000 € pour {spell(p)} en 2022." for p in phrases]
    chunks = [sentences[i : i + 40] for i in range(0, len(sentences), 40)]
    intro = "La CPTS du Val Fleuri a signé son contrat le 3 mars 2023.\n"
    crashed = [
        (chunk[0], parsed.source.error)
        for chunk, parsed in zip(chunks, parse_documents([source(intro + "\n".join(c)) for c in chunks], n_process=1))
        if parsed.source.status != "ok"
    ]
    assert not crashed
