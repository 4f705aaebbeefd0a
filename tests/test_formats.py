"""HTML, PDF and text inputs: the text a reader sees, nothing around it, and the same facts as the text version."""

from __future__ import annotations

import re
import socket
from collections import Counter
from datetime import date

import pytest

from pipeline.catalog import RAW_DIR
from pipeline.formats import sniff
from pipeline.formats.hyphens import keeps_hyphen
from pipeline.ingest import ingest, normalise_text
from pipeline.parse import parse_documents

pytest.importorskip("fpdf", reason="PDF tests build their PDFs with fpdf2 (the test extra)")

from tests.fixtures.build import Layout, make_pdf  # noqa: E402

HTML_FIXTURE = RAW_DIR / "web" / "003_coeur-de-savoie.html"
PDF_FIXTURE = RAW_DIR / "pdf" / "000_monts-du-lyonnais.pdf"


def read(raw: bytes, fmt: str, name: str = "doc"):
    return ingest(raw, source_path=f"{name}.{fmt}", source_format=fmt)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Readers must never fetch anything: any connection attempt fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- HTML -------------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}"><title>{title} – Site de l'ARS</title>{meta}</head>
<body><nav><a href="/">Accueil</a> <a href="/presse">Salle de presse</a> <a href="/recrutement">Recrutement</a></nav>
<div id="consent-box">Nous utilisons des traceurs pour la mesure d'audience. Accepter ou refuser.</div>
<main><article><h1>{title}</h1>{body}</article></main>
<footer>Plan du site – Mentions légales – Accessibilité</footer></body></html>"""

BODY = (
    "<p>La Communauté professionnelle territoriale de santé du Pays Vert a signé le 14 juin 2023 son contrat avec "
    "l'Agence régionale de santé et la caisse primaire d'assurance maladie, pour un territoire de 23 communes.</p>"
    "<h2>Les missions retenues</h2><ul><li>Accès aux soins</li><li>Parcours pluriprofessionnels</li></ul>"
    "<table><tr><th>Financeur</th><th>Montant</th></tr><tr><td>Assurance Maladie</td><td>62 500 €</td></tr></table>"
)


def page(*, title="Contrat signé pour la CPTS du Pays Vert", meta="", body=BODY, charset="utf-8") -> str:
    return PAGE.format(title=title, meta=meta, body=body, charset=charset)


@pytest.mark.parametrize(
    "html,kept,dropped",
    [
        (page(), ["signé le 14 juin 2023", "23 communes"], ["Recrutement", "traceurs", "Mentions légales"]),
        (page(), ["Les missions retenues\n- Accès aux soins\n- Parcours pluriprofessionnels"], []),
        (page(), ["Financeur | Montant\nAssurance Maladie | 62 500 €"], ["|---|", "---", "| Assurance"]),
        (page(body=BODY.replace("<p>", "<div class='cookie-notice'>Cookies ?</div><p>")), ["Pays Vert a signé"], ["Cookies"]),
    ],
    ids=["main text without menu consent box or footer", "heading and list items", "table rows", "cookie notice inside"],
)
def test_html_main_text(html, kept, dropped):
    doc = read(html.encode(), "html")
    assert doc.status == "ok", doc.error
    for fragment in kept:
        assert fragment in doc.text
    for fragment in dropped:
        assert fragment not in doc.text


@pytest.mark.parametrize(
    "meta,body,published",
    [
        ('<meta property="article:published_time" content="2023-06-15T10:00:00+02:00">', BODY, date(2023, 6, 15)),
        ("", BODY + '<p>Publié le <time datetime="2023-06-16">16 juin 2023</time></p>', date(2023, 6, 16)),
        ('<meta name="date" content="2023-06-17">', BODY, date(2023, 6, 17)),
        ("", BODY, None),
    ],
    ids=["article:published_time", "time element", "meta date", "no date in markup: the body's dates are not one"],
)
def test_html_published_date_from_markup_only(meta, body, published):
    doc = read(page(meta=meta, body=body).encode(), "html")
    assert doc.status == "ok", doc.error
    assert doc.published_hint == published


OWN_SITE_BODY = (
    "<p>Le 2 octobre 2023, notre CPTS a signé son accord conventionnel interprofessionnel avec la caisse primaire "
    "et l'agence régionale de santé, devant une quarantaine d'adhérents réunis pour l'occasion à la mairie.</p>"
)


@pytest.mark.parametrize(
    "head,body,last_line",
    [
        ("<title>Signature de l'ACI | CPTS Val de Rance</title>", OWN_SITE_BODY, "CPTS Val de Rance"),
        ('<title>Actualités</title><meta property="og:site_name" content="CPTS du Pays Malouin">', OWN_SITE_BODY,
         "CPTS du Pays Malouin"),
        ("<title>Signature de l'ACI - Site de l'ARS</title>", OWN_SITE_BODY, None),
        ("<title>Actualité – CPTS Val de Rance</title>", OWN_SITE_BODY.replace("notre CPTS", "la CPTS Émeraude"), None),
    ],
    ids=["title suffix of a CPTS's own site", "og:site_name", "no CPTS in the title", "the article names its CPTS"],
)
def test_html_own_site_name_closes_a_text_that_names_no_cpts(head, body, last_line):
    html = f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{head}</head><body><nav>Accueil</nav>" \
           f"<main><article><h1>Signature de l'ACI</h1>{body}</article></main><footer>Mentions légales</footer></body></html>"
    doc = read(html.encode(), "html")
    assert doc.status == "ok", doc.error
    lines = doc.text.strip().split("\n")
    if last_line:
        assert lines[-1] == last_line
    else:
        assert "Val de Rance" not in doc.text and "Site de l'ARS" not in doc.text


def test_html_title():
    doc = read(page(meta='<meta property="og:title" content="La CPTS du Pays Vert signe son ACI">').encode(), "html")
    assert doc.title == "La CPTS du Pays Vert signe son ACI"


@pytest.mark.parametrize(
    "encoding,charset",
    [("cp1252", "windows-1252"), ("latin-1", "iso-8859-1"), ("cp1252", "utf-8-but-wrong")],
    ids=["declared windows-1252", "declared latin-1", "undeclared legacy charset detected"],
)
def test_html_legacy_charsets(encoding, charset):
    html = page(charset=charset)
    if encoding == "latin-1":
        html = html.replace("€", "euros").replace("–", "-")
    raw = html.encode(encoding)
    doc = read(raw, "html")
    assert doc.status == "ok", doc.error
    assert "Communauté professionnelle territoriale de santé" in doc.text


def test_html_fixture_page():
    doc = read(HTML_FIXTURE.read_bytes(), "html")
    assert doc.status == "ok", doc.error
    assert doc.title == "Signature du contrat finançant la CPTS Coeur de Savoie"
    assert doc.published_hint == date(2021, 3, 2)
    for outside in ("Tout accepter", "cookies", "Nous contacter", "Plan canicule", "Mentions légales", "Garibaldi"):
        assert outside not in doc.text
    assert "Une avance de 60 000 € sera versée à la signature" in doc.text


# --- PDF --------------------------------------------------------------------------------------------------------------

PARAGRAPHS = [
    "La Communauté professionnelle territoriale de santé du Haut Bocage a signé son accord conventionnel "
    "interprofessionnel avec l'Assurance Maladie et l'Agence régionale de santé le 9 février 2023.",
    "Elle réunit 64 professionnels de santé libéraux répartis sur 31 communes et couvre une population "
    "de 27 400 habitants, autour de Saint-Symphorien-sur-Coise et de Chazelles-sur-Lyon.",
    "Le contrat prévoit une avance de 37 500 euros versée à la signature, puis une rémunération annuelle "
    "pouvant atteindre 190 000 euros sous réserve de l'atteinte des objectifs fixés avec les partenaires.",
    "Les professionnels développeront des parcours pluriprofessionnels pour les personnes âgées et organiseront "
    "la prise en charge des soins non programmés en lien avec les établissements médico-sociaux du secteur.",
]


def pdf_text(blocks, layout=Layout(), **kwargs) -> str:
    doc = read(make_pdf(blocks, layout, **kwargs), "pdf")
    assert doc.status == "ok", doc.error
    return doc.text


@pytest.mark.parametrize(
    "layout",
    [Layout(columns=1, header=None), Layout(columns=2, header=None), Layout(columns=2, header="CPTS du Haut Bocage – Communiqué")],
    ids=["one column", "two columns", "two columns with running header"],
)
def test_pdf_paragraphs_come_back_whole_and_in_order(layout):
    blocks = [[paragraph] for paragraph in PARAGRAPHS * 8]
    text = pdf_text(blocks, layout, title="Signature du contrat de la CPTS du Haut Bocage")
    lines = text.split("\n")
    assert lines[0] == "Signature du contrat de la CPTS du Haut Bocage"
    assert [line for line in lines[1:] if line] == PARAGRAPHS * 8
    assert "Page" not in text and "Communiqué" not in text


def test_pdf_two_columns_read_left_then_right():
    column = ["Colonne de gauche, paragraphe numéro %d, qui occupe plusieurs lignes de texte justifié." % i for i in range(30)]
    right = ["Colonne de droite, paragraphe numéro %d, qui occupe lui aussi plusieurs lignes." % i for i in range(30)]
    text = pdf_text([[paragraph] for paragraph in column + right], Layout(columns=2, header=None))
    order = [f"{side}{number}" for side, number in re.findall(r"Colonne de (\w+), paragraphe numéro (\d+), qui occupe", text)]
    assert order == [f"gauche{i}" for i in range(30)] + [f"droite{i}" for i in range(30)]


def test_pdf_label_value_rows_are_not_columns():
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for i in range(12):
        pdf.text(50, 100 + 14 * i, f"Financement de l'année {2020 + i}")
        pdf.text(330, 100 + 14 * i, f"{10 + i} 000 euros")
    doc = read(bytes(pdf.output()), "pdf")
    assert doc.text.split("\n") == [f"Financement de l'année {2020 + i} | {10 + i} 000 euros" for i in range(12)]


def test_pdf_words_set_without_space_characters():
    """TeX and InDesign justify by placing words apart, with no space character between them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    x = 50.0
    for word in PARAGRAPHS[0].split()[:12]:
        pdf.text(x, 100, word)
        x += pdf.get_string_width(word) + 2.6
    doc = read(bytes(pdf.output()), "pdf")
    assert doc.text == " ".join(PARAGRAPHS[0].split()[:12])


def test_pdf_running_header_footer_and_page_numbers_removed():
    text = pdf_text([PARAGRAPHS * 12], Layout(columns=1, header="ARS Normandie · Communiqué de presse"))
    assert "ARS Normandie" not in text and "Page" not in text
    assert text.count("9 février 2023") == 12


def test_pdf_properties_title():
    doc = read(make_pdf([PARAGRAPHS], properties_title="La CPTS du Haut Bocage signe son contrat"), "pdf")
    assert doc.title == "La CPTS du Haut Bocage signe son contrat"
    doc = read(make_pdf([PARAGRAPHS], properties_title="Microsoft Word - CP_CPTS_v3.docx"), "pdf")
    assert doc.title is None


@pytest.mark.parametrize(
    "head,tail,vocabulary,kept",
    [
        ("les pro-", "fessionnels de santé", {}, False),
        ("la coordina-", "tion des soins", {"coordination": 2}, False),
        ("à Saint-", "Étienne et", {}, True),
        ("Chamousset-", "en-Lyonnais,", {}, True),
        ("Villefranche-", "sur-Saône", {}, True),
        ("acteurs médico-", "sociaux du", {}, True),
        ("soins bucco-", "dentaires", {}, True),
        ("peut-", "être", {}, True),
        ("lien ville-", "hôpital", {}, True),
        ("réunions pluri-", "professionnelles", {"pluri-professionnelles": 1}, True),
        ("réunions pluri-", "professionnelles", {"pluriprofessionnelles": 1}, False),
        ("DÉVELOP-", "PEMENT DES", {}, False),
        ("AUVERGNE-", "RHÔNE-ALPES", {}, True),
    ],
    ids=[
        "syllable break joined",
        "document spells it whole",
        "capitalised second part",
        "second part has its own hyphen",
        "place with sur",
        "medico combining form",
        "bucco combining form",
        "peut-être",
        "ville-hôpital",
        "document spells it hyphenated",
        "document spells it whole (pluri)",
        "capitals break joined",
        "capitals compound kept by its inner hyphen",
    ],
)
def test_pdf_hyphen_at_line_end(head, tail, vocabulary, kept):
    assert keeps_hyphen(head, tail, Counter(vocabulary)) is kept


def test_pdf_hyphenation_in_a_real_layout():
    words = "Les professionnels interprofessionnels coordination prévention accompagnement" * 1
    text = pdf_text([[f"{words} de la communauté {i} et Saint-Laurent-de-Chamousset." for i in range(40)]], Layout(columns=2))
    assert "-\n" not in text
    for whole in ("professionnels", "interprofessionnels", "coordination", "prévention", "Saint-Laurent-de-Chamousset"):
        assert text.count(whole) >= 40


# --- the shipped HTML and PDF give the facts of their text versions --------------------------------------------------


def facts(parsed) -> dict:
    return {
        "cpts": sorted(c.key for c in parsed.cpts),
        "fundings": sorted(a.value for a in parsed.amounts),
        "signature": sorted(d.value for d in parsed.dates if d.role == "signature"),
        "headcounts": sorted((h.category, h.count) for h in parsed.headcounts),
        "missions": sorted((m.mission, m.status or "") for m in parsed.missions),
        "figures": sorted({(f.kind, f.value) for f in parsed.figures}),
        "people": sorted(p.name for p in parsed.people),
    }


@pytest.mark.parametrize(
    "container,fmt,text_version",
    [(HTML_FIXTURE, "html", "003_7f25dc428b94a01c.txt"), (PDF_FIXTURE, "pdf", "000_922f433c6195bcc5.txt")],
    ids=["html page of raw/003", "two-column pdf of raw/000"],
)
def test_container_gives_the_facts_of_the_text_version(container, fmt, text_version):
    sources = [read(container.read_bytes(), fmt), read((RAW_DIR / text_version).read_bytes(), "txt")]
    assert sources[0].status == "ok", sources[0].error
    from_container, from_text = (facts(parsed) for parsed in parse_documents(sources))
    assert from_container == from_text
    assert from_text["fundings"] and from_text["signature"] and from_text["missions"]


def test_pdf_fixture_layout_undone():
    text = read(PDF_FIXTURE.read_bytes(), "pdf").text
    assert "Page 1" not in text and "Communiqué de presse –" not in text
    assert "présidée par Samuel Givert, masseur-kinésithérapeute à Sain-Bel." in text
    assert "Saint-Laurent-de-Chamousset" in text and "Chamousset-en-Lyonnais" in text


# --- bad PDFs and file kinds -------------------------------------------------------------------------------------------


def test_encrypted_pdf_rejected():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, "Signature du contrat de la CPTS du Val Vert")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    doc = read(bytes(pdf.output()), "pdf")
    assert (doc.status, doc.error) == ("rejected", "encrypted PDF: it needs a password to be read")


@pytest.mark.parametrize(
    "raw,name",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (or a .docx/.odt office file)"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"{\\rtf1\\ansi Signature", "an RTF document"),
        ("Signature du contrat de la CPTS".encode(), None),
    ],
    ids=["png", "jpeg", "docx", "pdf", "rtf", "text"],
)
def test_sniff(raw, name):
    found = sniff(raw)
    assert (found.name if found else None) == name


def test_pdf_named_txt_is_rejected_for_what_it_is():
    doc = read(make_pdf([PARAGRAPHS]), "txt")
    assert (doc.status, doc.error) == ("rejected", "a PDF document, not a txt file")


# --- text files --------------------------------------------------------------------------------------------------------

TEXT = "Signature du contrat de la CPTS Cœur d’Ouche : 45 000 € à la signature.\nPrésidente : Dr Anne Müller."


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("cp1252"),
        TEXT.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8 bom", "utf-16 bom", "cp1252 with œ ’ €", "cp1252 windows line ends", "old mac line ends"],
)
def test_text_encodings(raw):
    doc = read(raw, "txt")
    assert doc.status == "ok", doc.error
    assert doc.text == TEXT


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("45\u202f000\u00a0€", "45 000 €"),
        ("45\u2009000\u2007€", "45 000 €"),
        ("a\u2002b\u2003c\u3000d", "a b c d"),
        ("pro\u00adfessionnels", "professionnels"),
        ("CP\u200bTS\u2060", "CPTS"),
        ("ligne\u2028suite\x0cpage", "ligne\nsuite\npage"),
        ("\uf0b7 Accès aux soins", "• Accès aux soins"),
        ("* Accès aux soins\n- Parcours\n• Prévention", "* Accès aux soins\n- Parcours\n• Prévention"),
        ("**Missions socles :**\n*Prévention*", "Missions socles :\nPrévention"),
    ],
    ids=[
        "narrow and plain nbsp",
        "thin and figure spaces",
        "en em ideographic spaces",
        "soft hyphen",
        "zero-width characters",
        "line and page separators",
        "wingdings bullet",
        "markdown and typographic bullets kept",
        "markdown emphasis removed",
    ],
)
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


def test_too_long_text_rejected():
    doc = read(("La CPTS signe son contrat. " * 20_000).encode(), "txt")
    assert doc.status == "rejected" and doc.error.startswith("text too long for a communiqué")


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("La CPTS a signÃ© son contrat.", "La CPTS a signé son contrat."),
        ("une aide de 60 000 â‚¬ versÃ©e", "une aide de 60 000 € versée"),
        ("l'Agence rÃ©gionale de santÃ©", "l'Agence régionale de santé"),
        ("les profession-\nnels de santé", "les professionnels de santé"),
        ("la ville de Saint-\nÉtienne", "la ville de Saint-Étienne"),
        ("le secteur médico-\nsocial", "le secteur médico-social"),
        ("Objectifs :\n- accès aux soins\n- prévention", "Objectifs :\n- accès aux soins\n- prévention"),
        ("déjà correct : été, Cœur, «", "déjà correct : été, Cœur, «"),
    ],
    ids=[
        "mojibake e acute",
        "mojibake euro sign",
        "mojibake twice in a phrase",
        "broken word rejoined",
        "capitalised compound keeps its hyphen",
        "combining form keeps its hyphen",
        "bullets untouched",
        "clean text untouched",
    ],
)
def test_text_reader_repairs_pasted_text(raw, clean):
    doc = ingest(raw.encode("utf-8"), source_path="a.txt", source_format="txt")
    assert doc.text == clean


WRAPPED = (
    "La Caisse primaire d'assurance maladie de la Sarthe et l'Agence\n"
    "régionale de santé des Pays de la Loire ont signé le contrat de la\n"
    "CPTS du Pays Fléchois. Elle est présidée par\n"
    "le Dr Hélène Marchand, pharmacienne à La Flèche.\n"
    "\n"
    "Les missions retenues\n"
    "- accès aux soins ;\n"
    "- prévention.\n"
    "\n"
    "Le territoire compte dix-huit communes et près de 40 000 habitants\n"
    "répartis entre le Loir et la Sarthe, au sud-ouest du département.\n"
)


def test_hard_wrapped_text_is_unwrapped():
    text = ingest(WRAPPED.encode(), source_path="a.txt", source_format="txt").text
    lines = text.split("\n")
    assert lines[0].startswith("La Caisse primaire") and lines[0].endswith("Pays Fléchois. Elle est présidée par le Dr Hélène Marchand, pharmacienne à La Flèche.")
    assert "Les missions retenues" in lines, "a heading stays a line of its own"
    assert "- accès aux soins ;" in lines and "- prévention." in lines, "list items stay lines"
    assert lines[-1].startswith("Le territoire compte") and lines[-1].endswith("du département.")


def test_a_key_figures_table_of_a_page_gives_its_figures(nlp):
    """Rows read "Adhérents | 135", as every flattened table: with Markdown's outer bars ("| Adhérents | 135 |") the
    label was not at the start of its line and the figures of a key-figures table were lost."""
    rows = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in [("Communes", "51"), ("Adhérents", "135")])
    table = f"<h2>Chiffres clés</h2><table><tr><th>Indicateur</th><th>Valeur</th></tr>{rows}</table>"
    doc = read(page(body=BODY + table).encode(), "html")
    assert [(h.category, h.count) for h in nlp(doc.text)._.headcounts if h.category == "members"] == [("members", 135)]


def test_table_rows_of_a_hard_wrapped_text_stay_rows():
    """A header row without a full stop is not the start of a wrapped sentence: joined to the first data row, the
    table lost the header that gives each column's dates their role."""
    table = (
        "Département | CPTS | Date de signature | Communes | Habitants\n"
        "Sarthe | CPTS du Pays Fléchois | 14/03/2022 | 18 | 40 000\n"
        "Sarthe | CPTS Sud Sarthe | 02/05/2022 | 24 | 35 000\n"
    )
    text = ingest((WRAPPED + "\n" + table).encode(), source_path="a.txt", source_format="txt").text
    assert text.endswith(table.strip())


def test_text_with_paragraph_lines_is_not_unwrapped(shipped_texts):
    raw = (RAW_DIR / "000_922f433c6195bcc5.txt").read_bytes()
    assert ingest(raw, source_path="a.txt", source_format="txt").text == shipped_texts["000_922f433c6195bcc5.txt"]
