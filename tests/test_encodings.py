"""Legacy charsets decode right and are recorded; a few bad UTF-8 bytes cost a few characters.

The byte files are made here with ``str.encode`` from one French communiqué
(œ Œ ’ « » € é è ê à ç ù î ô and a commune list); a charset that cannot
write a sign gets the usual substitute (latin-1 has no œ, ’ or €).
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.formats.charset import MAX_INVALID_SHARE, decode_text
from pipeline.ingest import IngestError, ingest, normalise_text
from pipeline.run import run_extract

COMMUNIQUE = (
    "Communiqué de presse — 12 mai 2023\n"
    "« Œuvrer ensemble » : la CPTS du Cœur de Bresse signe son contrat\n"
    "Le 9 mai 2023, la CPTS du Cœur de Bresse a signé l’accord conventionnel interprofessionnel, finançant "
    "ses missions à hauteur de 75 000 € par an. Elle réunit 58 professionnels : médecins, infirmières, "
    "kinésithérapeutes, pharmaciens et sages-femmes, où l’on compte aussi deux maîtres de stage.\n"
    "Son territoire couvre 6 communes : Montrevel-en-Bresse, Marboz, Foissiat, Jayat, Malafretaz et Étrez.\n"
    "Présidée par le Dr Benoît Quénard, la CPTS prévoit une île de prévention et des côtés pratiques.\n"
)
SUBSTITUTES = {
    "cp1252": {},
    "mac_roman": {},
    "iso8859_15": {"’": "'", "—": "-"},
    "latin_1": {"’": "'", "—": "-", "Œ": "OE", "œ": "oe", "€": "euros"},
}
RECORDED = {"utf_8": "utf-8", "cp1252": "cp1252", "mac_roman": "mac-roman", "iso8859_15": "iso-8859-15", "latin_1": "cp1252"}
"""A latin-1 file without bytes 0x80-0x9F is byte for byte a cp1252 file, so it is recorded as cp1252."""


def written(codec: str) -> str:
    text = COMMUNIQUE
    for sign, substitute in SUBSTITUTES.get(codec, {}).items():
        text = text.replace(sign, substitute)
    return text


@pytest.mark.parametrize("codec", ["cp1252", "mac_roman", "iso8859_15", "latin_1"])
def test_legacy_charset_decodes_to_the_same_text_and_is_recorded(codec):
    raw = written(codec).encode(codec)
    doc = ingest(raw, source_path="a.txt", source_format="txt")
    assert doc.status == "ok", doc.error
    assert doc.text == normalise_text(written(codec))
    assert doc.encoding == RECORDED[codec]
    assert doc.warnings == ()


def test_cp1252_is_not_read_as_mac_roman():
    """The bug: a cp1252 communiqué came out as "finanÁant", "CommuniquÈ", "rÈgionale"."""
    doc = ingest("Communiqué régional finançant l’accès aux soins du Cœur de Savoie".encode("cp1252"), source_path="a.txt", source_format="txt")
    assert doc.text == "Communiqué régional finançant l’accès aux soins du Cœur de Savoie"
    assert doc.encoding == "cp1252"


@pytest.mark.parametrize(
    "text,codec",
    [
        ("Le Cœur du Val : 45 000 € versés", "iso8859_15"),
        ("Le Cœur du Val : 45 000 € versés", "cp1252"),
        ("à Château-Thierry, à Épernay", "mac_roman"),
        ("L’ÉTÉ «SANTÉ» à Évian", "cp1252"),
    ],
    ids=["iso-8859-15 œ €", "cp1252 œ €", "mac-roman à É", "cp1252 capital É before » (a valid UTF-8 pair by accident)"],
)
def test_short_legacy_texts(text, codec):
    assert decode_text(text.encode(codec), "a.txt").text == text


def test_utf8_with_a_few_bad_bytes_is_kept_with_a_warning():
    raw = bytearray((COMMUNIQUE * 8).encode())
    raw[3000:3001] = b"\xff\xfe"
    doc = ingest(bytes(raw), source_path="a.txt", source_format="txt")
    assert doc.status == "ok"
    assert doc.encoding == "utf-8"
    assert doc.warnings == ("2 invalid UTF-8 bytes replaced at offsets 3000, 3001",)
    assert doc.text.count("\ufffd") == 2


def test_utf8_with_too_many_bad_bytes_is_rejected():
    text = COMMUNIQUE.encode()
    n_bad = int(len(text) * MAX_INVALID_SHARE) + 2
    raw = text[:200] + b"\xff" * n_bad + text[200:]
    with pytest.raises(IngestError, match=f"invalid UTF-8 bytes at offset 200 in an otherwise UTF-8 file: {n_bad} of"):
        decode_text(raw, "a.txt")


def test_many_bad_bytes_offsets_are_cut_short():
    block = ("Le texte reste sain et accentué. " * 30).encode()
    raw = (block + b"\x80") * 20
    (warning,) = decode_text(raw, "a.txt").warnings
    offsets = ", ".join(str(len(block) + i * (len(block) + 1)) for i in range(10))
    assert warning == f"20 invalid UTF-8 bytes replaced at offsets {offsets}, …"


@pytest.mark.parametrize("raw", [bytes(range(0x80, 0x100)) * 20, "Ελληνικά κείμενα εδώ".encode("cp1253") * 10])
def test_not_french_in_any_charset_is_refused(raw):
    with pytest.raises(IngestError):
        decode_text(raw, "a.txt")


def test_every_charset_gives_the_same_facts(tmp_path):
    """A run over the same communiqué in five charsets: the same CPTS, communes and funding in each."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for codec in ["utf_8", "cp1252", "mac_roman", "iso8859_15", "latin_1"]:
        (raw / f"{codec}.txt").write_bytes(written(codec).encode(codec))
    out = tmp_path / "out"
    run_extract(raw, out)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_path")
    assert documents["encoding"].to_dict() == {f"{codec}.txt": name for codec, name in RECORDED.items()}
    path_of = dict(zip(documents["doc_id"], documents.index))
    cpts = pd.read_parquet(out / "cpts.parquet")
    assert set(cpts["cpts_key"]) == {"coeur-de-bresse"}
    assert set(path_of[d] for d in cpts["doc_id"]) == set(documents.index)
    communes = pd.read_parquet(out / "communes.parquet")
    by_doc = communes[communes["role"] == "territory"].groupby("doc_id")["insee_code"].apply(frozenset)
    assert len(set(by_doc)) == 1 and len(next(iter(by_doc))) == 6
    fundings = pd.read_parquet(out / "fundings.parquet")
    assert sorted(fundings["amount_eur"]) == [75_000] * 5
