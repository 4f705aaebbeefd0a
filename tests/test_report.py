"""The review page: rendered from tiny hand-made tables, then checked as a string and in headless Chromium.

The hand-made communiqué holds every fact kind, facts that nest, facts that
cross, two facts on the very same words, a fact whose offsets are wrong, and
hostile markup (``<script>``, ``<img onerror>``) that must stay text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import EXIT_FAILURE, EXIT_OK, main
from pipeline.report import FACT_KINDS, Span, highlight, render_report, write_report
from pipeline.report.registry import review_sections
from pipeline.write import to_table
from schemas import TABLES

TEXT = (
    "Communiqué de presse du 14 juin 2023\n"
    "Signature du contrat de la CPTS Val d'Orge <script>document.title='pwned'</script> & "
    '<img src=x onerror="document.body.dataset.pwned=1">\n'
    "La CPTS couvre Arpajon, Égly et Saint-Truc, soit environ 52 000 habitants.\n"
    "Elle réunit 85 adhérents et recevra 60 000 € par an de l'Assurance Maladie, "
    "dont une avance de 20 000 € versée le 2 mai.\n"
    "Missions socle : accès aux soins, prévention de l'obésité infantile.\n"
    "Elle est présidée par Léa Martin.\n"
)
DOC, REJECTED, NOT_CPTS = "a1b2c3d4e5f60718", "ffffffffffffffff", "0000000000000001"
KEY = "val-d-orge"
TITLE = "Revue de l'extraction CPTS"
MISPLACED_START = 3
"""``char_start`` of the one hand-made fact whose snippet is not at its offsets."""


def _at(snippet: str) -> dict:
    start = TEXT.index(snippet)
    return {"char_start": start, "char_end": start + len(snippet), "rule": "test_rule"}


def _ev(snippet: str) -> dict:
    return {**_at(snippet), "text": snippet}


def _doc(doc_id: str, path: str, text: str, status: str, error: str | None = None, warnings=()) -> dict:
    return {
        "doc_id": doc_id, "source_path": path, "source_format": "txt", "title": None,
        "published_on": dt.date(2023, 6, 14) if status == "ok" else None, "status": status, "error": error,
        "n_chars": len(text), "pipeline_version": "0.1.0+test", "extracted_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        "duplicate_paths": [], "text": text, "encoding": "utf-8", "warnings": list(warnings), "same_as": None,
    }  # fmt: skip


def _commune(mention: str, code: str | None, method: str, *, role: str = "territory") -> dict:
    where = {"char_start": None, "char_end": None} if method == "epci" else _at(mention)
    return {
        "doc_id": DOC, "cpts_key": KEY, "role": role, "mention": mention, "insee_code": code,
        "commune_name": mention if code else None, "departement_code": "91" if code else None,
        "population": 10000 if code else None, "method": method, "score": 1.0 if code else 0.0,
        "epci_siren": "249100553" if method == "epci" else None, "cog_year": 2023, **where,
        "rule": "test_rule",
    }  # fmt: skip


def _funding(amount: int, purpose: str, kind: str, annual: int | None, snippet: str) -> dict:
    return {"doc_id": DOC, "cpts_key": KEY, "amount_eur": amount, "funder": "assurance_maladie", "purpose": purpose,
            "period_years": None, "is_maximum": False, "conditional": False, **_ev(snippet), "kind": kind,
            "annual_eur": annual}  # fmt: skip


def _cpts(key: str, name: str, **values) -> dict:
    empty = {
        "departement_codes": [], "region_code": None, "signature_date": None, "population_declared": None,
        "population_qualifier": None, "communes_declared": None, "communes_resolved": 0, "population_reference": None,
        "members_declared": None, "president": None, "cog_year": None, "name_source": "explicit", "region_name": None,
        "departement_names": [],
    }  # fmt: skip
    return {"doc_id": DOC, "cpts_key": key, "cpts_name": name, **empty, **values}


def _rows() -> dict[str, list[dict]]:
    keyed = {"doc_id": DOC, "cpts_key": KEY}
    return {
        "documents": [
            _doc(DOC, "idf/val-d-orge.txt", TEXT, "ok", warnings=["2 octets UTF-8 invalides remplacés <b>"]),
            _doc(REJECTED, "broken.pdf", "", "rejected", "unreadable file: <img src=x onerror=alert(1)>"),
            _doc(NOT_CPTS, "other.txt", "Un communiqué sur la vaccination.", "not_cpts", "no CPTS named in the text"),
        ],
        "cpts": [
            _cpts(KEY, "CPTS Val d'Orge", departement_codes=["91"], region_code="11", signature_date=dt.date(2023, 6, 14),
                  population_declared=52000, population_qualifier="approx", communes_declared=3, communes_resolved=2,
                  population_reference=20000, members_declared=85, president="Léa Martin", cog_year=2023,
                  region_name="Île-de-France", departement_names=["Essonne"]),
            _cpts("sud-essonne", "CPTS Sud <Essonne>"),
        ],  # fmt: skip
        "cpts_evidence": [
            {**keyed, "field": "population_declared", "value": "52000", **_ev("environ 52 000 habitants")},
            {**keyed, "field": "members_declared", "value": "85", **_ev("85 adhérents")},
            {**keyed, "field": "president", "value": "Léa Martin", **_ev("présidée par Léa Martin")},
        ],
        "communes": [
            _commune("Arpajon", "91021", "exact"),
            _commune("Égly", "91207", "normalized"),
            _commune("Saint-Truc", None, "unresolved"),
            _commune("CC du Val d'Orge", "91001", "epci"),
        ],
        "fundings": [
            _funding(60000, "annual", "annual", 60000, "60 000 € par an de l'Assurance Maladie"),
            _funding(20000, "signature_payment", "paid_once", None, "avance de 20 000 € versée le 2 mai"),
        ],
        "dates": [
            {**keyed, "date": dt.date(2023, 6, 14), "precision": "day", "role": "publication", **_ev("14 juin 2023")},
            {**keyed, "date": dt.date(2023, 6, 14), "precision": "day", "role": "signature", **_ev("14 juin 2023")},
            {**keyed, "date": None, "precision": "no_year", "role": "other", **_ev("2 mai")},
        ],
        "headcounts": [
            {**keyed, "category": "members", "count": 85, "qualifier": "exact", **_ev("85 adhérents")},
            {**keyed, "category": "professionals_on_territory", "count": 52000, "qualifier": "approx",
             "char_start": MISPLACED_START, "char_end": MISPLACED_START + 16, "text": "52 000 habitants",
             "rule": "test_rule"},
        ],  # fmt: skip
        "missions": [
            {**keyed, "mission": "acces_soins", "status": "socle", "label": "accès aux soins",
             **_at("accès aux soins")},
            {**keyed, "mission": "prevention", "status": "socle", "label": "prévention de l'obésité",
             **_at("prévention de l'obésité")},
        ],  # fmt: skip
        "themes": [
            {**keyed, "theme": "obesite_pediatrique", "mission": "prevention", "label": "obésité infantile",
             **_at("obésité infantile")},
        ],  # fmt: skip
        "territory": [],
        "checks": [
            {**keyed, "check": "population_vs_reference", "declared": 52000.0, "derived": 20000.0,
             "message": "declared 52 000 <b>vs</b> reference 20 000"},
        ],  # fmt: skip
    }


HIGHLIGHTABLE = 15
"""Facts of ``_rows()`` that can be highlighted: all but the EPCI row (no offsets) and the misplaced headcount."""


@pytest.fixture(scope="module")
def tables() -> dict[str, list[dict]]:
    """The hand-made rows, through the writer's schema check and back, as the report reads Parquet."""
    rows = _rows()
    return {name: to_table(name, rows[name]).to_pylist() for name in TABLES}


@pytest.fixture(scope="module")
def page(tables) -> str:
    return render_report(tables)


class PageReader(HTMLParser):
    """What a reader of the page sees: the highlights (with the text inside each), links, ids, charts, scripts, title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.fact_text: dict[str, str] = {}
        self.open_marks: list[dict] = []
        self.tags: dict[str, int] = {}
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.rows: list[dict] = []
        self.bars = 0
        self.body: dict = {}
        self.title = ""
        self._in_title = False
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "tr" and "data-region" in attrs:
            self.rows.append(attrs)
        if tag == "mark" and "data-fact" in attrs:
            self.marks.append(attrs)
            self.open_marks.append(attrs)
            self.fact_text.setdefault(attrs["data-fact"], "")
        elif tag == "mark":
            self.open_marks.append({})
        self.bars += tag == "rect" and "bar" in attrs.get("class", "")
        if tag == "body":
            self.body = attrs
        self._in_title = tag == "title" and not self._in_svg
        self._in_svg += tag == "svg"

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open_marks.pop()
        self._in_svg -= tag == "svg"
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for attrs in self.open_marks:
            if attrs:
                self.fact_text[attrs["data-fact"]] += data

    def firsts(self) -> list[dict]:
        """One element per fact: the pieces that are not continuations of a split span."""
        return [m for m in self.marks if "cont" not in m["class"].split()]


def read(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


def test_hostile_text_is_escaped(page):
    assert page.lower().count("<script") == 1, "only the page's own script"
    assert "<img" not in page.lower()
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    assert "onerror=alert(1)&gt;" in page
    assert "declared 52 000 &lt;b&gt;vs&lt;/b&gt;" in page
    assert "CPTS Sud &lt;Essonne&gt;" in page


def test_the_only_script_is_the_one_the_policy_allows(page):
    script = page[page.index("<script>") + len("<script>") : page.index("</script>")]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert "http" not in script.replace("https://", ""), "no network"


def test_every_fact_is_highlighted_once_with_its_own_words(page, tables):
    reader = read(page)
    assert not reader.open_marks, "unbalanced <mark> tags"
    assert len(reader.firsts()) == len(reader.fact_text) == HIGHLIGHTABLE
    kinds = {c.removeprefix("k-") for m in reader.marks for c in m["class"].split() if c.startswith("k-")}
    assert kinds == {k.table for k in FACT_KINDS}
    expected = sorted(
        r[k.evidence] for k in FACT_KINDS for r in tables[k.table] if r["char_start"] not in (None, MISPLACED_START)
    )
    assert sorted(reader.fact_text.values()) == expected


def test_every_fact_is_an_anchor_and_cells_link_to_them(page):
    reader = read(page)
    assert {m["id"] for m in reader.firsts()} == {m["data-fact"] for m in reader.marks}
    assert all(re.fullmatch(rf"f-{DOC}-\d+", m["id"]) for m in reader.firsts())
    fact_links = [link for link in reader.links if link.startswith("f-")]
    assert set(fact_links) <= reader.ids
    summary = read(page[page.index('id="cpts-table"') : page.index("</table>")])
    linked = {reader.fact_text[link] for link in summary.links if link.startswith("f-")}
    assert linked == {"environ 52 000 habitants", "85 adhérents", "présidée par Léa Martin", "14 juin 2023",
                      "60 000 € par an de l'Assurance Maladie", "avance de 20 000 € versée le 2 mai"}  # fmt: skip


def test_overlapping_facts_nest_or_split(page):
    reader = read(page)
    assert any("cont" in m["class"].split() for m in reader.marks), "the crossing mission/theme pair should split"
    assert sum(m["title"].startswith("dates : 2023-06-14") for m in reader.firsts()) == 2


def test_tooltips_carry_normalised_values_and_rules(page):
    titles = [m["title"] for m in read(page).firsts()]
    assert "financements : 60\u202f000\u00a0€ · Assurance Maladie · annuel · par an · soit 60\u202f000\u00a0€/an · règle test_rule" in titles
    assert "dates : année inconnue · année inconnue · autre · règle test_rule" in titles
    assert "effectifs : adhérents = 85 (exact) · règle test_rule" in titles
    assert "missions : accès aux soins · socle · règle test_rule" in titles
    assert "thèmes : obesite_pediatrique · mission prévention · règle test_rule" in titles
    assert "chiffres clés : population déclarée = 52\u202f000 · règle test_rule" in titles
    assert "chiffres clés : président·e = Léa Martin · règle test_rule" in titles
    assert any(t.startswith("communes : territoire · Arpajon (91021, dép. 91) · exact 1.00") for t in titles)
    assert "communes : territoire · non résolu (sans code INSEE) · règle test_rule" in titles


def test_warnings_list_what_needs_a_look(page):
    warnings = page[page.index('id="warnings"') : page.index('id="documents"')]
    assert "declared 52 000 &lt;b&gt;vs&lt;/b&gt; reference 20 000" in warnings
    assert "« 2 mai » (autre)" in warnings
    assert "« Saint-Truc » non résolu (territoire)" in warnings
    assert "2 octets UTF-8 invalides remplacés &lt;b&gt;" in warnings
    assert "broken.pdf</a> : <b>rejeté</b> unreadable file:" in warnings
    assert "effectifs « 52 000 habitants » n&#39;est pas aux positions 3–19" in warnings


def test_summary_totals_and_charts(page):
    summary = page[page.index('id="summary"') : page.index('id="completeness"')]
    assert "52\u202f000 (environ)" in summary and "-62\u00a0%" in summary
    assert "20\u202f000\u00a0€ (1 CPTS)" in summary and "60\u202f000\u00a0€/an (1 CPTS)" in summary
    assert '<td class="outlier"' in summary, "reference 62 % under the declared population"
    reader = read(summary)
    assert [r["data-region"] for r in reader.rows] == ["11", ""] and reader.rows[0]["data-warnings"] == "3"
    reader = read(page[page.index('id="charts"') : page.index('id="warnings"')])
    assert reader.tags["svg"] == 2
    assert reader.bars == 3, "one funding bar and two population bars; the CPTS without figures draws none"


def test_completeness_panel(page):
    panel = page[page.index('id="completeness"') : page.index('id="charts"')]
    assert "président·e</td><td class=\"n\">1 · 50 %" in panel
    assert "non résolu</td><td class=\"n\">1 · 25 %" in panel


def test_empty_tables_render():
    page = render_report({name: [] for name in TABLES})
    assert "aucune CPTS extraite" in page and read(page).marks == []


SPAN_CASES = [
    ("disjoint", "abcdefghij", [(0, 2), (4, 6)]),
    ("nested", "abcdefghij", [(0, 8), (2, 4)]),
    ("same-words", "abcdefghij", [(2, 5), (2, 5)]),
    ("same-start", "abcdefghij", [(2, 5), (2, 9)]),
    ("same-end", "abcdefghij", [(0, 5), (3, 5)]),
    ("crossing", "abcdefghij", [(0, 5), (3, 8)]),
    ("chain", "abcdefghij", [(0, 4), (2, 6), (5, 9)]),
    ("touching", "abcdefghij", [(0, 3), (3, 6)]),
    ("escaped", "a<b>&\"c'd", [(0, 3), (2, 6)]),
]


def _spans(pairs) -> list[Span]:
    return [Span(s, e, f"f{i}", "dates", f"<{i}>") for i, (s, e) in enumerate(pairs)]


def _check_highlight(text: str, pairs) -> None:
    reader = read(str(highlight(text, _spans(pairs))))
    assert not reader.open_marks
    assert len(reader.firsts()) == len(pairs)
    assert {f"f{i}": text[s:e] for i, (s, e) in enumerate(pairs)} == reader.fact_text


@pytest.mark.parametrize("text,pairs", [c[1:] for c in SPAN_CASES], ids=[c[0] for c in SPAN_CASES])
def test_highlight_keeps_markup_well_formed(text, pairs):
    _check_highlight(text, pairs)
    assert _strip_tags(str(highlight(text, _spans(pairs)))) == text


def _strip_tags(markup: str) -> str:
    reader = PageReader()
    parts: list[str] = []
    reader.handle_data = parts.append
    reader.feed(markup)
    return "".join(parts)


@given(st.text(alphabet="ab<&> é\n", min_size=1, max_size=30).flatmap(
    lambda text: st.tuples(
        st.just(text),
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(lambda p: p[0] < p[1]),
            max_size=6,
        ),
    )
))  # fmt: skip
def test_highlight_any_spans(case):
    _check_highlight(*case)


def _write(tables, folder: Path) -> None:
    for name, rows in tables.items():
        pq.write_table(to_table(name, rows), folder / f"{name}.parquet")


def test_cli_writes_the_page(tmp_path, tables):
    _write(tables, tmp_path)
    assert main(["report", "--out", str(tmp_path)]) == EXIT_OK
    assert (tmp_path / "report.html").read_text("utf-8") == render_report(tables, review_sections(tmp_path))


def test_registry_section(tmp_path, tables):
    _write(tables, tmp_path)
    page = write_report(tmp_path).read_text("utf-8")
    registry = page[page.index('id="registry"') : page.index('id="completeness"')]
    assert "CPTS Val d&#39;Orge" in registry and "Île-de-France (11)" in registry and "Essonne (91)" in registry
    assert 'id="registry"' not in render_report(tables), "no sections given, no registry section"


def test_cli_without_tables_fails_clearly(tmp_path, caplog):
    assert main(["report", "--out", str(tmp_path)]) == EXIT_FAILURE
    assert "run `make extract` first" in caplog.text
    assert not (tmp_path / "report.html").exists()


# --- in a real browser ------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Headless Chromium from Debian, installed when missing; skips only when the install fails."""
    if not CHROMIUM.exists():
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "chromium-driver"]):
                subprocess.run(command, check=True, capture_output=True, timeout=600, env=env)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"headless Chromium is missing and `apt-get install chromium chromium-driver` failed: {exc}")
    return CHROMIUM


def browse(chromium: Path, page: Path, profile: Path, *extra: str, query: str = "") -> str:
    """The DOM after Chromium loaded ``page`` (or its stdout with a screenshot flag)."""
    done = subprocess.run(
        [str(chromium), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri() + query],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def test_page_in_headless_chromium(chromium, tmp_path, tables):
    _write(tables, tmp_path)
    dom = read(browse(chromium, write_report(tmp_path), tmp_path / "profile", "--dump-dom"))
    assert dom.title == TITLE, "a script in the communiqué ran"
    assert "data-pwned" not in dom.body and "data-ready-ms" in dom.body, "the page's own script ran, no other"
    assert dom.tags["script"] == 1 and "img" not in dom.tags
    assert len(dom.firsts()) == len(dom.fact_text) == HIGHLIGHTABLE
    assert dom.tags["svg"] == 2 and dom.bars == 3


REGIONS = ("84", "11", "76")


def _is_warning(name: str, row: dict) -> bool:
    return name == "checks" or row.get("precision") == "no_year" or row.get("method") == "unresolved"


def _many(n: int) -> dict[str, list[dict]]:
    """``n`` copies of the hand-made CPTS, each in its own document, over three régions and four signature years;
    the odd ones without any warning."""
    base = _rows()
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for i in range(n):
        doc_id, key = f"{i:016x}", f"cpts-{i}"
        for name in TABLES:
            for row in base[name]:
                if row.get("doc_id") != DOC or row.get("cpts_key", KEY) != KEY or (i % 2 and _is_warning(name, row)):
                    continue
                out[name].append({**row, "doc_id": doc_id, **({"cpts_key": key} if "cpts_key" in row else {})})
        cpts = out["cpts"][-1]
        cpts.update(cpts_name=f"CPTS numéro {i}", region_code=REGIONS[i % 3], population_declared=1000 * (i + 1),
                    signature_date=dt.date(2020 + i % 4, 3, 1))  # fmt: skip
        out["documents"][-1]["source_path"] = f"communique-{i}.txt"
    return out


def test_two_hundred_cpts_open_fast_and_filter(chromium, tmp_path):
    tables = {name: to_table(name, rows).to_pylist() for name, rows in _many(200).items()}
    _write(tables, tmp_path)
    page = write_report(tmp_path)
    dom = read(browse(chromium, page, tmp_path / "profile", "--dump-dom"))
    assert len(dom.rows) == 200 and not any("hidden" in r for r in dom.rows)
    ready = [int(dom.body["data-ready-ms"])]

    dom = read(browse(chromium, page, tmp_path / "profile", "--dump-dom", query="?region=84&year=2021"))
    shown = [r for r in dom.rows if "hidden" not in r]
    expected = [i for i in range(200) if REGIONS[i % 3] == "84" and 2020 + i % 4 == 2021]
    assert sorted(int(r["data-search"].split("numéro ")[1].split()[0]) for r in shown) == expected
    assert all(r["data-region"] == "84" and r["data-year"] == "2021" for r in shown)
    ready.append(int(dom.body["data-ready-ms"]))

    dom = read(browse(chromium, page, tmp_path / "profile", "--dump-dom", query="?warnings=0&sort=population_declared&order=desc"))
    shown = [int(r["data-search"].split("numéro ")[1].split()[0]) for r in dom.rows if "hidden" not in r]
    assert shown == sorted((i for i in range(200) if i % 2), reverse=True), "the CPTS without warnings, largest first"
    ready.append(int(dom.body["data-ready-ms"]))
    assert min(ready) < 2000, f"parsed, filtered and sorted in {ready} ms from navigation start: the best of 3 must be under 2 s"


def test_registry_conflicts_are_coloured_with_their_values():
    from pipeline.report.registry import registry_rows

    row = {"cpts_key": "x", "cpts_name": "CPTS X", "doc_ids": ["a", "b"], "region_code": "84", "departement_codes": ["42"],
           "status": "signed", "signature_date": dt.date(2021, 3, 1), "creation_date": None, "population_declared": 1000,
           "communes_declared": None, "members_declared": 70, "communes_resolved": 3, "population_reference": 900,
           "merge_reason": "same key", "corrected": False,
           "conflicts": [{"field": "members_declared", "values": ["70", "65"], "doc_ids": ["a", "b"]}]}  # fmt: skip
    [shown] = registry_rows([row])
    assert shown["cells"]["members_declared"].css == "conflict" and "70 / 65" in shown["cells"]["members_declared"].tip
    assert shown["cells"]["region_code"].text == "Auvergne-Rhône-Alpes (84)" and shown["cells"]["status"].text == "signée"
    assert shown["cells"]["doc_ids"].text == "2"
