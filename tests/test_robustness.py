"""Property tests: no text makes the stages crash, and every fact points at its own snippet.

Inputs are the shipped communiqués mutated (lines deleted, duplicated,
shuffled, cut; random unicode, numbers, "€", "CPTS", dates and bullets
injected) and plain random text and bytes. Runs are bounded (50 examples, no
deadline) to keep the suite fast.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import RAW_DIR
from pipeline.ingest import doc_id, ingest, normalise_text
from pipeline.parse import parse_documents
from pipeline.records import Evidence, SourceDocument
from pipeline.write import to_table

SHIPPED = [normalise_text(p.read_text("utf-8")) for p in sorted(RAW_DIR.glob("*.txt"))]
BOUNDED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    "CPTS", "CPTS du", "la CPTS de", "Communauté professionnelle territoriale de santé", "€", " euros", "M€", "k€",
    "1 000 000 000 000", "0", "-5", "12,5", "48 780", "1er", "31 février 2021", "le 7 décembre", "printemps 2022",
    "d'ici 2030", "sur 5 ans", "pouvant atteindre", "Président :", "Dr", "Mme", "présidée par", "•", "- ", "**",
    "(", ")", "«", "»", "’", ":", ";", "\n", "\n\n", "\u00a0", "\u202f", "Saint-", "-\n", "communes", "habitants",
    "adhérents", "médecins", "Missions socles :", "Missions optionnelles :", "ARS", "Assurance Maladie",
]
unicode_noise = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
insertion = st.one_of(st.sampled_from(TOKENS), unicode_noise, st.integers(-10**15, 10**15).map(str))


@st.composite
def mutated_communique(draw) -> str:
    lines = draw(st.sampled_from(SHIPPED)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "insert", "cut", "join"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "shuffle":
            lines = draw(st.permutations(lines))
        elif op == "join" and len(lines) > 1:
            lines[i - 1 : i + 1] = [" ".join(lines[i - 1 : i + 1])]
        elif op == "cut" and lines:
            lines = lines[: i + 1]
        elif lines:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(insertion) + line[at:]
    return "\n".join(lines)


def source(text: str) -> SourceDocument:
    text = normalise_text(text)
    return SourceDocument(doc_id=doc_id(text.encode()), source_path="x.txt", source_format="txt", text=text)


def evidence(parsed) -> list[Evidence]:
    facts = []
    for field in dataclasses.fields(parsed):
        value = getattr(parsed, field.name)
        if isinstance(value, list) and field.name != "title_places":
            facts.extend(v for v in value if isinstance(v, Evidence))
    return facts


def assert_offsets(parsed) -> None:
    """No extractor raised (``parse_documents`` would have rejected the document) and every snippet is at its offsets."""
    assert parsed.source.status == "ok", parsed.source.error
    text = parsed.source.text
    for fact in evidence(parsed):
        assert 0 <= fact.char_start <= fact.char_end <= len(text), fact
        assert text[fact.char_start : fact.char_end] == fact.text, fact
    for place in parsed.title_places:  # a title outside the text: offsets into the title
        assert parsed.title[place.char_start : place.char_end] == place.text, place


@pytest.fixture(scope="module")
def resolver():
    from pipeline.run import _territory_resolver

    return _territory_resolver()


@BOUNDED
@given(text=mutated_communique())
def test_mutated_communiques_parse_with_true_offsets(text):
    (parsed,) = parse_documents([source(text)])
    assert_offsets(parsed)


@BOUNDED
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_random_text_parses(text):
    for parsed in parse_documents([source(text)]):
        assert_offsets(parsed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=mutated_communique())
def test_mutated_communiques_make_valid_rows(text, resolver):
    """Parse, normalise and convert to the Arrow schemas: what a run does with each document."""
    from pipeline.normalise import normalise

    (parsed,) = parse_documents([source(text)])
    assert parsed.source.status == "ok", parsed.source.error
    rows = normalise(parsed, resolve_territory=resolver, version="test", now=datetime.now(UTC)).tables
    for name, table_rows in rows.items():
        to_table(name, table_rows)


@pytest.mark.parametrize("fmt,prefix,suffix", [("txt", b"", b""), ("html", b"<html><body>", b""), ("pdf", b"%PDF-1.4\n", b"\n%%EOF\n")])
@BOUNDED
@given(body=st.binary(max_size=2000))
def test_ingest_never_raises_on_random_bytes(fmt, prefix, suffix, body):
    doc = ingest(prefix + body + suffix, source_path=f"x.{fmt}", source_format=fmt)
    assert doc.status in ("ok", "rejected")
    assert (doc.error is None) == (doc.status == "ok")


@BOUNDED
@given(text=st.one_of(mutated_communique(), st.text(max_size=300)))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once

