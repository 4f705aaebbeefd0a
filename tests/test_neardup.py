"""Near-duplicate communiqués are found by content, whatever their bytes or format."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest

from pipeline.neardup import Candidate, flag_near_duplicates, same_as
from schemas import TABLES

BODY = """La CPTS du Pays de Lunel a signé le 12 mars 2024 l'accord conventionnel interprofessionnel avec la
caisse primaire d'assurance maladie de l'Hérault et l'agence régionale de santé Occitanie. Créée en 2022 à
l'initiative de médecins, d'infirmiers et de pharmaciens, elle rassemble 94 professionnels de santé et couvre
quatorze communes, soit près de 52 000 habitants. Elle recevra 73 000 euros par an pour ses missions : accès
à un médecin traitant, soins non programmés, parcours des personnes âgées, prévention des chutes et gestion
des crises sanitaires. Sa présidente, la docteure Anne Vidal, salue un projet construit avec les élus."""

OTHER_CPTS = BODY.replace("Pays de Lunel", "Haut Vidourle").replace("12 mars 2024", "3 avril 2023").replace(
    "94", "61").replace("quatorze", "vingt-deux").replace("52 000", "31 500").replace("73 000", "58 000").replace(
    "Anne Vidal", "Paul Mercier").replace("médecins, d'infirmiers et de pharmaciens", "kinésithérapeutes et de sages-femmes")


@pytest.mark.parametrize(
    "copy",
    [
        pytest.param("Communiqué de presse\nMontpellier, le 13 mars 2024\n\n" + BODY + "\n\nContact presse : 04 00 00 00 00", id="republished-with-header-and-footer"),
        pytest.param(BODY.replace("'", "’").replace("\n", " "), id="html-like-reflowed-with-typographic-apostrophes"),
        pytest.param(BODY.upper(), id="upper-cased"),
    ],
)
def test_a_copy_with_other_bytes_points_to_the_canonical_text(copy):
    found = same_as([Candidate("b" * 16, "html", copy), Candidate("a" * 16, "txt", BODY)])
    assert found == {"b" * 16: "a" * 16}


def test_the_plain_text_is_canonical_whatever_the_ids():
    found = same_as([Candidate("0" * 16, "pdf", BODY), Candidate("f" * 16, "txt", BODY)])
    assert found == {"0" * 16: "f" * 16}


def test_two_cpts_from_one_template_are_not_duplicates():
    assert same_as([Candidate("a" * 16, "txt", BODY), Candidate("b" * 16, "txt", OTHER_CPTS)]) == {}


def test_a_long_template_about_another_cpts_is_not_a_copy_however_similar():
    """An ARS page template filled in for two CPTS: only the name differs, the text alone would call them copies."""
    other = BODY.replace("Pays de Lunel", "Haut Vidourle")
    assert same_as([Candidate("a" * 16, "txt", BODY), Candidate("b" * 16, "txt", other)]) == {"b" * 16: "a" * 16}
    assert same_as([
        Candidate("a" * 16, "txt", BODY, frozenset({"pays-de-lunel"})),
        Candidate("b" * 16, "txt", other, frozenset({"haut-vidourle"})),
    ]) == {}


@pytest.mark.parametrize(
    "about_copy",
    [pytest.param(frozenset(), id="copy-whose-extraction-found-no-cpts"),
     pytest.param(frozenset({"pays-de-lunel", "lodevois"}), id="copy-that-also-names-a-neighbour")],
)
def test_a_copy_sharing_a_cpts_or_naming_none_is_still_judged_on_its_text(about_copy):
    found = same_as([
        Candidate("a" * 16, "txt", BODY, frozenset({"pays-de-lunel"})),
        Candidate("b" * 16, "pdf", BODY, about_copy),
    ])
    assert found == {"b" * 16: "a" * 16}


def test_three_copies_form_one_group_with_one_canonical_copy():
    found = same_as([
        Candidate("c" * 16, "pdf", BODY),
        Candidate("b" * 16, "html", "Actualités\n" + BODY),
        Candidate("a" * 16, "txt", BODY),
    ])
    assert found == {"b" * 16: "a" * 16, "c" * 16: "a" * 16}


def test_flagging_fills_the_documents_column_and_ignores_rejected_files():
    rows = [
        {"doc_id": "a" * 16, "source_path": "a.txt", "source_format": "txt", "status": "ok", "text": BODY},
        {"doc_id": "b" * 16, "source_path": "b.html", "source_format": "html", "status": "ok", "text": BODY},
        {"doc_id": "c" * 16, "source_path": "c.pdf", "source_format": "pdf", "status": "rejected", "text": ""},
    ]
    base = {"n_chars": 1, "pipeline_version": "t", "extracted_at": datetime(2024, 1, 1, tzinfo=UTC),
            "duplicate_paths": [], "warnings": []}
    table = pa.Table.from_pylist([{**base, **r} for r in rows], schema=TABLES["documents"])
    flagged = flag_near_duplicates(table)
    assert flagged["same_as"].to_pylist() == [None, "a" * 16, None]
    cpts = pa.table({"doc_id": ["a" * 16, "b" * 16], "cpts_key": ["pays-de-lunel", "haut-vidourle"]})
    assert flag_near_duplicates(table, cpts)["same_as"].to_pylist() == [None, None, None]


def test_a_run_flags_the_html_and_pdf_copies_of_shipped_communiques_and_counts_them_once(tmp_path):
    """raw/ ships two communiqués also as an HTML page and a two-column PDF: one row each in `same_as`."""
    import pandas as pd

    from pipeline.catalog import RAW_DIR
    from pipeline.run import run_extract

    summary = run_extract(RAW_DIR, tmp_path)
    documents = pd.read_parquet(tmp_path / "documents.parquet").set_index("source_path")
    copies = documents["same_as"].dropna()
    assert sorted(copies.index) == ["pdf/000_monts-du-lyonnais.pdf", "web/003_coeur-de-savoie.html"]
    assert {documents.loc[p, "source_format"] for p in documents.index[documents["doc_id"].isin(copies)]} == {"txt"}
    assert summary.status["ok"] == 5 and summary.copies == 2
    assert "(+2 copies of these)" in summary.line()


def test_signatures_are_stored_and_an_incremental_run_flags_as_a_fresh_run_does(tmp_path):
    """A run keeps each document's MinHash (``text_minhash``); a later run with one new copy computes only its
    signature and flags exactly what a run from scratch flags."""
    import shutil

    import pandas as pd

    from pipeline.catalog import RAW_DIR
    from pipeline.run import run_extract

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("reference"))
    run_extract(raw, tmp_path / "out")
    first = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("doc_id")
    assert first.loc[first["status"] != "rejected", "text_minhash"].map(len).eq(64).all()
    text = next(p for p in sorted(raw.glob("*.txt"))).read_text("utf-8")
    (raw / "republished.txt").write_text("Communiqué repris par la mairie\n\n" + text, "utf-8")
    run_extract(raw, tmp_path / "out")
    run_extract(raw, tmp_path / "fresh")
    again, fresh = (pd.read_parquet(tmp_path / d / "documents.parquet").set_index("doc_id").sort_index() for d in ("out", "fresh"))
    assert again["same_as"].equals(fresh["same_as"]) and again["same_as"].notna().sum() == first["same_as"].notna().sum() + 1
    assert [list(v) for v in again["text_minhash"].dropna()] == [list(v) for v in fresh["text_minhash"].dropna()]


def test_a_signature_is_the_one_earlier_runs_stored():
    """``documents.text_minhash`` of an earlier run is reused, never recomputed, so a signature must keep the
    values datasketch 2.0's ``MinHash`` (affine32, seed 1, crc32) gave; the first eight, pinned."""
    from pipeline.neardup import signature

    text = ("La communauté professionnelle territoriale de santé du Val de Brume a signé son accord conventionnel "
            "interprofessionnel avec la caisse primaire.")
    values = signature(text)
    assert len(values) == 64
    assert values[:8] == (94775343, 360367486, 186215905, 379969387, 543454060, 518158905, 161915977, 29919871)
    assert signature(" \n ") is None
