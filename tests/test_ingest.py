import pytest

from pipeline.ingest import doc_id, ingest, normalise_text

TEXT = "Signature du contrat de la CPTS du Val d’Oise : 116 250 € à la signature.\n"


@pytest.mark.parametrize(
    "label,raw",
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("windows line ends", TEXT.replace("\n", "\r\n").encode("utf-8")),
        ("cp1252", TEXT.replace("’", "'").encode("cp1252")),
        ("latin-1", TEXT.replace("’", "'").replace("€", "euros").encode("latin-1")),
    ],
)
def test_decodes_common_encodings(label, raw):
    doc = ingest(raw, source_path="a.txt", source_format="txt")
    assert doc.status == "ok", doc.error
    assert "Val d" in doc.text and "signature" in doc.text
    assert doc.doc_id == doc_id(raw)


@pytest.mark.parametrize(
    "label,raw,reason",
    [
        ("empty", b"", "empty file"),
        ("only spaces", b" \n\t \n", "empty file"),
        ("binary with NUL", bytes(range(256)) * 4, "binary file"),
        ("invalid byte in utf-8", "Café à la CPTS".encode() + b"\xff\xfe" + "é".encode(), "invalid UTF-8"),
    ],
)
def test_bad_bytes_are_rejected_with_reason(label, raw, reason):
    doc = ingest(raw, source_path="bad.txt", source_format="txt")
    assert doc.status == "rejected"
    assert reason in doc.error


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("116\u00a0250\u202f€", "116 250 €"),
        ("Sommes versées**à la signature :**", "Sommes versées à la signature :"),
        ("a  \t b", "a b"),
        ("  ligne  \n\n\n\nsuite", "ligne\n\nsuite"),
        ("Cœur", "Cœur"),
        ("e\u0301te\u0301", "été"),
        ("Nos missions\n\u27a1\ufe0f Prévenir", "Nos missions\n\u27a1 Prévenir"),
        ("La C.P.T.S. du Val de Sèvre a signé.", "La CPTS du Val de Sèvre a signé."),
        ("Notre C. P. T. S Val de Sèvre\nBienvenue à la C.P.T.S.\nSuite", "Notre CPTS Val de Sèvre\nBienvenue à la CPTS.\nSuite"),
    ],
    ids=["nbsp and narrow nbsp", "markdown emphasis", "runs of spaces", "blank lines", "ligature kept", "nfc", "emoji selector",
         "dotted acronym", "dotted acronym with spaces, full stop at a line end kept"],
)
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


def test_doc_id_is_sha256_prefix():
    assert doc_id(b"abc") == "ba7816bf8f01cfea"
